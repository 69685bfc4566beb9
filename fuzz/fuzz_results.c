/*
 * fuzz_results: steady's own results file (docs/results-format.md) read by
 * results_read() — what `show`, `history` and --vs read, every key of the
 * schema (layout, sweep, counters, host) reached, not only what import
 * looks at first.
 */
#include "fuzz.h"
#include "formats/results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct results r;
	char path[64];
	int fd;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	fd = fuzz_memfd(data, size, path);
	if (fd < 0)
		return 0;
	results_init(&r);
	if (!results_read(&r, path))
		(void)results_count_runs(&r);
	results_release(&r);
	close(fd);
	return 0;
}
