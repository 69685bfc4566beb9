/*
 * fuzz_words: command strings split without a shell (lib/words.h). The
 * round trip: words a string splits into, joined for display by
 * words_join(), split again into the very same words — the display form
 * is what a user copies back onto a command line. And a single argument
 * taken as a command string by words_command() splits as words_split() does.
 */
#include "fuzz.h"
#include "lib/words.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char **words, **again;
	size_t n, n_again;
	char *s, *joined;

	if (size > 4096)
		return 0;
	s = fuzz_string(data, size);
	(void)words_is_command_string(s);
	if (words_split(s, &words, &n)) {
		free(s);
		return 0;
	}
	if (words[n])
		fuzz_fail("argv not NULL-terminated");
	joined = words_join(words, n);
	if (words_split(joined, &again, &n_again))
		fuzz_fail("the joined words [%s] do not split again", joined);
	if (n_again != n)
		fuzz_fail("[%s] split into %zu words, joined [%s] into %zu", s, n, joined, n_again);
	for (size_t i = 0; i < n; i++)
		if (strcmp(words[i], again[i]))
			fuzz_fail("word %zu [%s] came back as [%s] through [%s]",
				  i, words[i], again[i], joined);
	words_free(again);
	free(joined);
	words_free(words);
	free(s);
	return 0;
}
