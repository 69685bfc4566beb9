/*
 * fuzz_import: results files as `compare` and `report` read them —
 * steady's own, hyperfine's --export-json and pyperf's — through
 * import_results(), which tells the three apart (formats/import.h).
 */
#include "fuzz.h"
#include "formats/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct results r;
	enum import_format format;
	char path[64];
	int fd;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	fd = fuzz_memfd(data, size, path);
	if (fd < 0)
		return 0;
	results_init(&r);
	if (!import_results(&r, path, &format)) {
		if (!import_format_name(format))
			fuzz_fail("accepted with no format name");
		/* what compare counts first: every benchmark's runs */
		(void)results_count_runs(&r);
	}
	results_release(&r);
	close(fd);
	return 0;
}
