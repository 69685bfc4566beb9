/*
 * fuzz_cachegrind: cachegrind.out files (and callgrind's variants) read by
 * cachegrind_parse_buffer() (formats/cachegrind.h). What it accepts must be
 * whole: every event named, every function with a file, a name and one
 * count per event, the summary one per event.
 */
#include "fuzz.h"
#include "formats/cachegrind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_profile p;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	cg_profile_init(&p);
	if (!cachegrind_parse_buffer((const char *)data, size, "fuzz.out", &p)) {
		if (!p.nr_events || !p.events || !p.summary)
			fuzz_fail("a profile without events or summary");
		for (size_t i = 0; i < p.nr_events; i++) {
			if (!p.events[i])
				fuzz_fail("event %zu has no name", i);
			if (cg_event_index(&p, p.events[i]) < 0)
				fuzz_fail("event '%s' not found by name", p.events[i]);
			(void)cg_total(&p, p.events[i], NULL);
		}
		for (size_t i = 0; i < p.nr_fns; i++)
			if (!p.fns[i].file || !p.fns[i].name || !p.fns[i].cost)
				fuzz_fail("function %zu is incomplete", i);
	}
	cg_profile_release(&p);
	return 0;
}
