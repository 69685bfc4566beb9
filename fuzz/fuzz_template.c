/*
 * fuzz_template: placeholders filled into a command (toolchain/template.h).
 * The input is three strings cut at NUL bytes: a value for {v}, a value for
 * the list {cflags}, and the command. Without a shell the property that
 * makes placeholders safe: a value never adds a word — the filled command
 * has exactly the words of the command split (plus one per {cflags} item),
 * and a word that is just {v} is the value byte for byte, whatever it holds.
 * With --shell the command becomes /bin/sh -c SCRIPT, three words.
 */
#include "fuzz.h"
#include "lib/words.h"
#include "toolchain/template.h"

/* The items of a list value: blank-separated, as template.c splits them. */
static size_t count_items(const char *v)
{
	size_t n = 0;

	for (;;) {
		v += strspn(v, " \t\n");
		if (!*v)
			return n;
		n++;
		v += strcspn(v, " \t\n");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *parts[3], *buf;
	char **words, **filled;
	size_t nwords, nfilled, want;
	struct template_value values[2];
	struct template t = { values, 2 };

	if (size > 4096)
		return 0;
	buf = fuzz_split(data, size, parts, 3);
	values[0] = (struct template_value){ "v", parts[0], 0 };
	values[1] = (struct template_value){ "cflags", parts[1], 1 };

	filled = template_command(&t, parts[2], 1, &nfilled);
	if (filled) {
		if (nfilled != 3 || filled[3])
			fuzz_fail("--shell gave %zu words", nfilled);
		words_free(filled);
	}

	if (words_split(parts[2], &words, &nwords)) {
		free(buf);
		return 0;
	}
	want = 0;
	for (size_t i = 0; i < nwords; i++)
		want += strcmp(words[i], "{cflags}") ? 1 : count_items(parts[1]);
	filled = template_command(&t, parts[2], 0, &nfilled);
	if (filled) {
		if (nfilled != want)
			fuzz_fail("[%s] with {v}=[%s] gave %zu words, not %zu",
				  parts[2], parts[0], nfilled, want);
		for (size_t i = 0, j = 0; i < nwords; i++) {
			if (!strcmp(words[i], "{cflags}")) {
				j += count_items(parts[1]);
				continue;
			}
			if (!strcmp(words[i], "{v}") && strcmp(filled[j], parts[0]))
				fuzz_fail("{v}=[%s] became [%s]", parts[0], filled[j]);
			j++;
		}
		words_free(filled);
	}
	words_free(words);
	free(buf);
	return 0;
}
