/*
 * fuzz_libcalls: the files steady's LD_AUDIT library writes (one per
 * process, "count<TAB>symbol<TAB>library" lines), read back by
 * libcalls_parse() (trace/libcalls.h). The table it fills must sort and
 * total without trouble.
 */
#include "fuzz.h"
#include "trace/libcalls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct call_table t;
	struct call_table_totals totals;
	char *text;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	text = fuzz_string(data, size);
	call_table_init(&t);
	if (!libcalls_parse(text, "fuzz.123", &t)) {
		call_table_sort(&t);
		call_table_totals(&t, &totals);
	}
	call_table_release(&t);
	free(text);
	return 0;
}
