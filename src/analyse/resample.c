/*
 * resample: uniform indices for the bootstraps (see resample.h).
 */
#include "analyse/resample.h"

/* splitmix64 (Steele, Lea and Flood): seeds the state, as xoshiro's authors advise. */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void index_source_init(struct index_source *s, uint64_t seed, uint32_t n)
{
	for (int i = 0; i < 4; i++)
		s->state[i] = splitmix64(&seed);
	s->n = n;
	s->chunk_bits = n > UINT16_MAX + 1 ? 32 : 16;
	/* 2^bits mod n: the chunks below it would favour the low indices. */
	s->threshold = s->chunk_bits == 32 ? (uint32_t)(-n) % n
					   : (uint32_t)((UINT16_MAX + 1) % n);
	s->bits = 0;
	s->chunks_left = 0;
}
