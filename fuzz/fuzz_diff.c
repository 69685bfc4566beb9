/*
 * fuzz_diff: unified diffs (git, GNU diff) taken apart by diff_parse()
 * (toolchain/diff.h), as `steady bisect` does. Properties of an accepted
 * diff: every hunk and group can be named; the patch of all its groups,
 * diff_write_subset(), parses again into as many hunks (and no more files);
 * and the
 * patch of every other group parses too (bisect applies such halves).
 */
#include "fuzz.h"
#include "toolchain/diff.h"

/* The patch of the groups chosen, parsed again; its hunk count, or -1 when refused. */
static long reparse(const struct diff *d, const unsigned char *groups, size_t *nr_files)
{
	struct diff again = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	long hunks = -1;

	if (!out)
		abort();
	if (diff_write_subset(d, groups, out))
		fuzz_fail("diff_write_subset failed on a memory stream");
	fclose(out);
	if (!diff_parse(text, len, "subset.diff", &again)) {
		hunks = (long)again.nr_hunks;
		*nr_files = again.nr_files;
	}
	diff_release(&again);
	free(text);
	return hunks;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diff d = { 0 };
	unsigned char *groups;
	size_t nr_files = 0;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	if (diff_parse((const char *)data, size, "fuzz.diff", &d)) {
		diff_release(&d);
		return 0;
	}
	for (size_t h = 0; h < d.nr_hunks; h++)
		free(diff_hunk_label(&d, h));
	for (size_t g = 0; g < d.nr_groups; g++)
		free(diff_group_label(&d, g));

	groups = calloc(d.nr_groups + 1, 1);
	if (!groups)
		abort();
	memset(groups, 1, d.nr_groups);
	/*
	 * Every hunk comes back. Files may come back fewer: lines passed over
	 * between files are not written, and two hunk-less headers that only
	 * such lines kept apart (garbage a fuzzer makes, never git or diff)
	 * read back as one. The cases git could meet are refused by diff.c.
	 */
	if (reparse(&d, groups, &nr_files) != (long)d.nr_hunks || nr_files > d.nr_files)
		fuzz_fail("the whole patch written out does not parse into %zu files, %zu hunks",
			  d.nr_files, d.nr_hunks);
	for (size_t g = 0; g < d.nr_groups; g++)
		groups[g] = g % 2 == 0;
	if (d.nr_groups > 1 && reparse(&d, groups, &nr_files) < 0)
		fuzz_fail("the patch of every other group does not parse");
	free(groups);
	diff_release(&d);
	return 0;
}
