/*
 * words: splits a command string into argv words the way a POSIX shell
 * would quote them — but never runs a shell. Single quotes keep everything
 * literal, double quotes allow \" \\ \$ \` escapes, a backslash outside
 * quotes escapes the next character. Unquoted shell operators (| & ; < > and
 * friends) and expansions ($VAR, `cmd`, globs) are not interpreted: such a
 * word is refused with a hint to use --shell (or sh -c, for commands without
 * that option), because silently passing '|' to a program as an argument is
 * never what the user meant.
 *
 * Ownership: on success *argv is a new NULL-terminated array of new strings;
 * free it with words_free().
 */
#ifndef STEADY_WORDS_H
#define STEADY_WORDS_H

#include <stddef.h>

/* 0 on success; -1 after printing one error line naming the string. */
int words_split(const char *s, char ***argv, size_t *argc);
void words_free(char **argv);
/*
 * The one rule for a command given on steady's command line (run, compare,
 * stat, cache, trace): a single argument that holds blanks, quotes or shell
 * syntax and names no existing file is a command string, split by
 * words_split() — so 'a|b' is refused with a hint everywhere, never looked
 * up as a program called "a|b". Anything else is taken word for word.
 */
int words_is_command_string(const char *arg);

struct command_words {
	char *const *words;     /* as typed: one command string, or program and args */
	size_t nwords;
	char *const *extra;     /* appended after (cache's and trace's ARGS), or NULL */
	size_t nextra;
	const char *label;      /* "A": an empty command is refused naming it; NULL: not checked */
	int shell_option;       /* the command has --shell: refusals suggest it, else sh -c */
};

/*
 * The argv of c by the rule above: a new NULL-terminated array (free it
 * with words_free()), *argc its length; NULL after one error line.
 */
char **words_command(const struct command_words *c, size_t *argc);
/* Joins argv into one display string, quoting words that need it. */
char *words_join(char *const *argv, size_t argc);

#endif
