/*
 * template: the placeholders of a build or run command ({cc}, {cflags},
 * {ldflags}, {seed}, {dir}, ...) filled into argv words that were split
 * without a shell. A value is never parsed again: whatever it holds (';',
 * '$(...)', quotes, newlines) stays inside the word it was put in, so a
 * value cannot add a command. Only a word that is exactly one placeholder
 * of a list (cflags, ldflags: declared by the caller) becomes several
 * words, split at blanks and nothing else.
 *
 * "{{" and "}}" stand for literal braces; any other '{' must open a known
 * placeholder, so a misspelt one is an error rather than a build that
 * silently ran with "{cflgas}" in its flags.
 *
 * Ownership: the template borrows its names and values (the caller keeps
 * them alive while expanding); template_expand() returns a new
 * NULL-terminated array to free with words_free().
 */
#ifndef STEADY_TEMPLATE_H
#define STEADY_TEMPLATE_H

#include <stddef.h>

struct template_value {
	const char *name;     /* "cflags" for {cflags} */
	const char *value;
	int is_list;          /* a word of just {name} becomes one word per blank-separated item */
};

struct template {
	const struct template_value *values;
	size_t nr;
};

/*
 * argv with every placeholder filled: a new array, *argc its length, or
 * NULL after one error line naming the word (unknown placeholder, '{'
 * without '}', a lone '}').
 */
char **template_expand(const struct template *t, char *const *argv, size_t argc,
		       size_t *out_argc);

/*
 * A whole command string filled: without shell, split into words without
 * a shell (lib/words) and each word filled; with shell, the string filled
 * as text (the user asked for a shell and quotes as in one) and made
 * /bin/sh -c SCRIPT. A new array, *argc its length; NULL after one line.
 */
char **template_command(const struct template *t, const char *command, int shell,
			size_t *argc);

#endif
