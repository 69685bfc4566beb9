/*
 * words: see words.h.
 */
#include "lib/words.h"
#include "lib/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct word_buf {
	char *buf;
	size_t len, alloc;
};

static void word_put(struct word_buf *w, char c)
{
	ALLOC_GROW(w->buf, w->len + 2, w->alloc);
	w->buf[w->len++] = c;
	w->buf[w->len] = '\0';
}

static int is_operator(char c)
{
	return strchr("|&;<>()", c) != NULL;
}

/* ~ and # mean something to a shell only at the start of a word. */
static int is_expansion(char c, int word_start)
{
	return strchr("$`*?[", c) || (word_start && (c == '~' || c == '#'));
}

static void free_words(char **argv, size_t argc, struct word_buf *w)
{
	for (size_t i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	free(w->buf);
}

static void word_end(struct word_buf *w)
{
	ALLOC_GROW(w->buf, w->len + 1, w->alloc);
	w->buf[w->len] = '\0';
}

/* NAME=value, NAME a shell variable name. */
static int is_assignment(const char *w)
{
	if (!(isalpha((unsigned char)*w) || *w == '_'))
		return 0;
	for (w++; *w && *w != '='; w++)
		if (!(isalnum((unsigned char)*w) || *w == '_'))
			return 0;
	return *w == '=';
}

/*
 * How each refusal ends: with the --shell option the command has, or with
 * sh -c, which a command without that option (cache, trace) can still use.
 */
struct shell_hints {
	const char *operator, *expansion, *assignment;
};

static const struct shell_hints with_shell_option = {
	"steady runs no shell unless you pass --shell",
	"quote it, or pass --shell to run it through /bin/sh",
	"or --shell",
};

static const struct shell_hints without_shell_option = {
	"steady runs no shell: write it as sh -c '...'",
	"quote it, or write it as sh -c '...'",
	"or sh -c '...'",
};

static int split(const char *s, char ***argv_out, size_t *argc_out,
		 const struct shell_hints *hint)
{
	char **argv = NULL;
	size_t argc = 0, alloc = 0;
	const char *p = s;
	struct word_buf w;

	for (;;) {
		memset(&w, 0, sizeof(w));
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
			if (*p == '\'') {
				const char *close = strchr(p + 1, '\'');

				if (!close)
					goto unterminated;
				for (p++; p < close; p++)
					word_put(&w, *p);
				p++;
				word_end(&w);
			} else if (*p == '"') {
				for (p++; *p && *p != '"'; p++) {
					if (*p == '\\' && p[1] && strchr("\"\\$`", p[1]))
						p++;
					else if (*p == '$' || *p == '`')
						goto expansion;
					word_put(&w, *p);
				}
				if (!*p)
					goto unterminated;
				p++;
				word_end(&w);
			} else if (*p == '\\') {
				if (!p[1]) {
					free_words(argv, argc, &w);
					return error("command '%s' ends with a lone backslash", s);
				}
				word_put(&w, p[1]);
				p += 2;
			} else if (is_operator(*p)) {
				free_words(argv, argc, &w);
				return error("command '%s' uses the shell operator '%c': %s",
					     s, *p, hint->operator);
			} else if (is_expansion(*p, w.len == 0 && (p == s || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n'))) {
				goto expansion;
			} else {
				word_put(&w, *p++);
			}
		}
		word_end(&w);
		ALLOC_GROW(argv, argc + 2, alloc);
		argv[argc++] = w.buf;
		argv[argc] = NULL;
	}
	if (!argc) {
		free(argv);
		return error("empty command '%s'", s);
	}
	/* "CC=clang make": a shell would set a variable, exec would not. */
	if (is_assignment(argv[0])) {
		size_t name = strcspn(argv[0], "=");

		error("command '%s' starts with the variable assignment '%.*s=...': use 'env %s' %s",
		      s, (int)name, argv[0], s, hint->assignment);
		words_free(argv);
		return -1;
	}
	*argv_out = argv;
	*argc_out = argc;
	return 0;

unterminated:
	free_words(argv, argc, &w);
	return error("command '%s' has an unterminated quote", s);
expansion:
	free_words(argv, argc, &w);
	return error("command '%s' needs shell expansion ('%c'): %s",
		     s, *p, hint->expansion);
}

int words_split(const char *s, char ***argv, size_t *argc)
{
	return split(s, argv, argc, &with_shell_option);
}

void words_free(char **argv)
{
	if (!argv)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}

static int needs_quotes(const char *w)
{
	if (!*w)
		return 1;
	for (; *w; w++)
		if (!(strchr("-_./=:,+@%^", *w) || (*w >= '0' && *w <= '9') ||
		      (*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z')))
			return 1;
	return 0;
}

char *words_join(char *const *argv, size_t argc)
{
	struct word_buf out = { 0 };

	word_put(&out, '\0');
	out.len = 0;
	for (size_t i = 0; i < argc; i++) {
		const char *w = argv[i];

		if (i)
			word_put(&out, ' ');
		if (!needs_quotes(w)) {
			for (; *w; w++)
				word_put(&out, *w);
			continue;
		}
		word_put(&out, '\'');
		for (; *w; w++) {
			if (*w == '\'') {
				/* close, escaped quote, reopen: 'it'\''s' */
				word_put(&out, '\'');
				word_put(&out, '\\');
				word_put(&out, '\'');
			}
			word_put(&out, *w);
		}
		word_put(&out, '\'');
	}
	return out.buf;
}

int words_is_command_string(const char *arg)
{
	struct stat st;

	return strpbrk(arg, " \t\n'\"|&;<>()$`\\*?[]{}~") && stat(arg, &st);
}

char **words_command(const struct command_words *c, size_t *argc)
{
	char **words, **argv;
	size_t n;

	if (c->label && c->nwords == 1 && !*c->words[0]) {
		error("empty command for %s", c->label);
		return NULL;
	}
	if (c->nwords == 1 && words_is_command_string(c->words[0])) {
		if (split(c->words[0], &words, &n,
			  c->shell_option ? &with_shell_option : &without_shell_option))
			return NULL;
	} else {
		words = xcalloc(c->nwords + 1, sizeof(*words));
		for (n = 0; n < c->nwords; n++)
			words[n] = xstrdup(c->words[n]);
	}
	argv = xcalloc(n + c->nextra + 1, sizeof(*argv));
	for (size_t i = 0; i < n; i++)
		argv[i] = words[i];
	free(words);	/* the strings moved to argv */
	for (size_t i = 0; i < c->nextra; i++)
		argv[n + i] = xstrdup(c->extra[i]);
	*argc = n + c->nextra;
	return argv;
}
