/*
 * template: placeholders filled into argv words (see template.h).
 */
#include "toolchain/template.h"
#include "lib/util.h"
#include "lib/words.h"

#include <stdlib.h>
#include <string.h>

struct out {
	char **argv;
	size_t n, alloc;
};

static void push(struct out *o, char *word)
{
	ALLOC_GROW(o->argv, o->n + 2, o->alloc);
	o->argv[o->n++] = word;
	o->argv[o->n] = NULL;
}

static const struct template_value *lookup(const struct template *t, const char *name,
					   size_t len)
{
	for (size_t i = 0; i < t->nr; i++)
		if (strlen(t->values[i].name) == len && !strncmp(t->values[i].name, name, len))
			return &t->values[i];
	return NULL;
}

/* The list's items, split at blanks, one word each; none for an empty value. */
static void push_list(struct out *o, const char *value)
{
	const char *p = value;

	for (;;) {
		size_t len;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			return;
		len = strcspn(p, " \t\n");
		push(o, xasprintf("%.*s", (int)len, p));
		p += len;
	}
}

/* One word with its placeholders filled, as a new string; NULL after one line. */
static char *fill_word(const struct template *t, const char *word)
{
	size_t len = 0, alloc = 0;
	char *buf = NULL;
	const char *p = word;

	while (*p) {
		const char *piece = p;
		size_t plen = 1;

		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			p += 2;
		} else if (*p == '}') {
			free(buf);
			error("'%s': a '}' that closes no placeholder (write '}}' for a brace)", word);
			return NULL;
		} else if (*p == '{') {
			const char *end = strchr(p, '}');
			const struct template_value *v = end ? lookup(t, p + 1, (size_t)(end - p - 1)) : NULL;

			if (!end) {
				free(buf);
				error("'%s': a '{' without its '}' (write '{{' for a brace)", word);
				return NULL;
			}
			if (!v) {
				free(buf);
				error("'%s': unknown placeholder '%.*s'", word, (int)(end - p + 1), p);
				return NULL;
			}
			piece = v->value;
			plen = strlen(v->value);
			p = end + 1;
		} else {
			p++;
		}
		ALLOC_GROW(buf, len + plen + 1, alloc);
		memcpy(buf + len, piece, plen);
		len += plen;
	}
	ALLOC_GROW(buf, len + 1, alloc);
	buf[len] = '\0';
	return buf;
}

char **template_expand(const struct template *t, char *const *argv, size_t argc,
		       size_t *out_argc)
{
	struct out o = { 0 };

	push(&o, NULL);
	o.n = 0;
	for (size_t i = 0; i < argc; i++) {
		const char *w = argv[i];
		size_t len = strlen(w);
		const struct template_value *whole = NULL;
		char *filled;

		if (len > 2 && w[0] == '{' && w[len - 1] == '}' && !strchr(w + 1, '{'))
			whole = lookup(t, w + 1, len - 2);
		if (whole && whole->is_list) {
			push_list(&o, whole->value);
			continue;
		}
		filled = fill_word(t, w);
		if (!filled) {
			words_free(o.argv);
			return NULL;
		}
		push(&o, filled);
	}
	*out_argc = o.n;
	return o.argv;
}

char **template_command(const struct template *t, const char *command, int shell,
			size_t *argc)
{
	char **words, **filled;
	size_t n;

	if (shell) {
		/*
		 * Filled as text, never as a list: a script that is just
		 * "{cflags}" stays one script, all its items in it (found by
		 * fuzz_template: they were split off and lost).
		 */
		char *script = fill_word(t, command);
		char **argv;

		if (!script)
			return NULL;
		argv = xcalloc(4, sizeof(*argv));
		argv[0] = xstrdup("/bin/sh");
		argv[1] = xstrdup("-c");
		argv[2] = script;
		*argc = 3;
		return argv;
	}
	if (words_split(command, &words, &n))
		return NULL;
	filled = template_expand(t, words, n, argc);
	words_free(words);
	return filled;
}
