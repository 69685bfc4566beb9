/*
 * resample: uniform indices in [0, n) for the bootstraps (compare's ratio,
 * stats' mean), from a seeded generator of their own.
 *
 * The draws are most of a bootstrap's cost: 10000 resamples of n runs are
 * 10000 n draws, at the end of every run and compare and at each of a
 * live compare's looks. So the generator is xoshiro256** (Blackman and
 * Vigna), inline, 64 bits a step, its state filled from the seed by
 * splitmix64 as its authors advise; each step serves four indices when n
 * fits in 16 bits, two when it fits in 32. Lemire's multiply-and-shift
 * maps a chunk to [0, n) with no division, and the rare chunks below
 * threshold = 2^bits mod n are rejected, which keeps every index exactly
 * equally likely. The same seed gives the same indices on every machine.
 *
 * Ownership: a struct index_source is plain data; nothing to release.
 */
#ifndef STEADY_RESAMPLE_H
#define STEADY_RESAMPLE_H

#include <stdint.h>

struct index_source {
	uint64_t state[4];
	uint32_t n, threshold;
	unsigned chunk_bits; /* 16 or 32 */
	uint64_t bits;       /* the unused chunks of the last step... */
	unsigned chunks_left; /* ...and how many */
};

/* Indices in [0, n) drawn from seed; n must be at least 1. */
void index_source_init(struct index_source *s, uint64_t seed, uint32_t n);

/* The generator's next 64 bits (xoshiro256**). */
static inline uint64_t index_source_next64(struct index_source *s)
{
	uint64_t *st = s->state;
	uint64_t x = st[1] * 5, result = ((x << 7) | (x >> 57)) * 9, t = st[1] << 17;

	st[2] ^= st[0];
	st[3] ^= st[1];
	st[1] ^= st[2];
	st[0] ^= st[3];
	st[2] ^= t;
	st[3] = (st[3] << 45) | (st[3] >> 19);
	return result;
}

static inline uint32_t draw_index(struct index_source *s)
{
	uint64_t chunk, m;
	uint32_t mask = s->chunk_bits == 16 ? UINT16_MAX : UINT32_MAX;

	do {
		if (!s->chunks_left) {
			s->bits = index_source_next64(s);
			s->chunks_left = 64 / s->chunk_bits;
		}
		chunk = s->bits & mask;
		s->bits >>= s->chunk_bits;
		s->chunks_left--;
		m = chunk * s->n;
	} while ((m & mask) < s->threshold);
	return (uint32_t)(m >> s->chunk_bits);
}

#endif
