/*
 * fuzz_sampler: the perf records `steady profile` reads from its sampling
 * rings, through sampler_parse_records() (measure/sampler.h), the reader
 * sampler_drain() uses. The first byte says whether samples carry call
 * chains; the rest is records. Properties: whole records only are read,
 * every sample's call chain lies inside the chain store, and every
 * sample's mapping can be looked up (a loop of forks must not hang).
 */
#include "fuzz.h"
#include "measure/sampler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sampler_result r = SAMPLER_RESULT_INIT;
	uint64_t lost = 0;
	size_t used;
	void *records;

	if (size < 1 || size > FUZZ_MAX_INPUT)
		return 0;
	/* a copy of its own size, so ASan sees any read past the end */
	records = malloc(size - 1 ? size - 1 : 1);
	if (!records)
		abort();
	memcpy(records, data + 1, size - 1);
	used = sampler_parse_records(records, size - 1, data[0] & 1, &lost, &r);
	if (used > size - 1)
		fuzz_fail("read %zu bytes of %zu", used, size - 1);
	for (size_t i = 0; i < r.nr; i++) {
		const struct sample *s = &r.samples[i];

		if (s->nr_callchain && s->callchain + s->nr_callchain > r.nr_callchains)
			fuzz_fail("sample %zu's call chain is outside the store", i);
		(void)sampler_find_mapping(&r, s->pid, s->ip);
	}
	sampler_result_release(&r);
	free(records);
	return 0;
}
