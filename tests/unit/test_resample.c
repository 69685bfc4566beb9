/*
 * Unit tests for resample.h: the generator is xoshiro256** seeded by
 * splitmix64, indices stay in [0, n), the rejection of the low chunks
 * happens where it must, for both chunk widths, and the counts are
 * uniform.
 *
 * "ref.py": tests/unit/resample_ref.py, a python3 transcription of the
 * published splitmix64 and xoshiro256** (prng.di.unimi.it) and of
 * Lemire's rule, which prints every expected value below.
 */
#include "unit_fixture.h"

#include <stdint.h>

#include "analyse/resample.h"

static void test_generator_matches_reference(void **state)
{
	struct index_source s;

	(void)state;
	/* ref.py; the first splitmix64 output of seed 0, 0xe220a8397b1dcdaf,
	 * is also the one widely quoted for it */
	index_source_init(&s, 0, 10);
	assert_true(s.state[0] == 0xe220a8397b1dcdafULL);
	assert_true(s.state[1] == 0x6e789e6aa1b965f4ULL);
	assert_true(s.state[2] == 0x06c45d188009454fULL);
	assert_true(s.state[3] == 0xf88bb8a8724c81ecULL);
	assert_true(index_source_next64(&s) == 0x99ec5f36cb75f2b4ULL);
	assert_true(index_source_next64(&s) == 0xbf6e1f784956452aULL);
	assert_true(index_source_next64(&s) == 0x1a5f849d4933e6e0ULL);
	/* ref.py, seed 20240612 (stats.c's bootstrap seed) */
	index_source_init(&s, 20240612, 10);
	assert_true(index_source_next64(&s) == 0xc9188fb4d6ff5925ULL);
	assert_true(index_source_next64(&s) == 0x3843081c0e94fd2cULL);
}

static void expect_indices(uint64_t seed, uint32_t n, const uint32_t *want, size_t k)
{
	struct index_source s;

	index_source_init(&s, seed, n);
	for (size_t i = 0; i < k; i++)
		assert_int_equal(draw_index(&s), want[i]);
}

static void test_indices_match_reference(void **state)
{
	/* ref.py: seed 1, n 10, 16-bit chunks */
	const uint32_t ten[] = { 0, 0, 6, 7, 3, 2, 3, 5, 2, 0, 5, 5 };
	/* ref.py: seed 7, n 40000: 65536 mod 40000 = 25536, so 39% of the
	 * chunks are rejected; 4 of the first 14 were */
	const uint32_t rejecting[] = { 18492, 12339, 28022, 12387, 9622,
				       11149, 18997, 33584, 17851, 4765 };
	/* ref.py: seed 1, n 100000, 32-bit chunks */
	const uint32_t wide[] = { 6163, 70292, 27817, 52043, 3189, 57410 };
	/* ref.py: seed 1, n 3e9: 2^32 mod n = 1294967296, so 30% of the
	 * 32-bit chunks are rejected; 4 of the first 12 were */
	const uint32_t wide_rejecting[] = { 184893745, 2108765499, 1561309859, 95684959,
					    2278135952u, 1173985805, 1312392556, 430716109 };

	(void)state;
	expect_indices(1, 10, ten, sizeof(ten) / sizeof(ten[0]));
	expect_indices(7, 40000, rejecting, sizeof(rejecting) / sizeof(rejecting[0]));
	expect_indices(1, 100000, wide, sizeof(wide) / sizeof(wide[0]));
	expect_indices(1, 3000000000u, wide_rejecting,
		       sizeof(wide_rejecting) / sizeof(wide_rejecting[0]));
}

static void test_range_and_uniformity(void **state)
{
	struct index_source s;
	unsigned counts[3] = { 0 };
	double chi2 = 0, sum = 0;
	const uint32_t big = 4000000000u;

	(void)state;
	/* hand: one index only */
	index_source_init(&s, 5, 1);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(draw_index(&s), 0);
	/* The extremes of each chunk width: 65536 takes every 16-bit chunk
	 * as it is, 65537 is the first to need 32 bits. */
	index_source_init(&s, 5, 65536);
	for (int i = 0; i < 100000; i++)
		assert_true(draw_index(&s) < 65536);
	index_source_init(&s, 5, 65537);
	for (int i = 0; i < 100000; i++)
		assert_true(draw_index(&s) < 65537);
	/*
	 * 300 000 draws in 3 cells: chi-square with 2 df, whose upper 1e-6
	 * point is -2 ln(1e-6) = 27.63 (hand: the 2-df chi-square is the
	 * exponential of mean 2).
	 */
	index_source_init(&s, 11, 3);
	for (int i = 0; i < 300000; i++)
		counts[draw_index(&s)]++;
	for (int i = 0; i < 3; i++)
		chi2 += (counts[i] - 100000.0) * (counts[i] - 100000.0) / 100000.0;
	assert_true(chi2 < 27.63);
	/* 10^6 draws below 4e9: the mean within 6 standard errors of
	 * (n - 1) / 2, the standard error n / sqrt(12 * 10^6) (hand) */
	index_source_init(&s, 13, big);
	for (int i = 0; i < 1000000; i++) {
		uint32_t x = draw_index(&s);

		assert_true(x < big);
		sum += x;
	}
	assert_true(fabs(sum / 1e6 - (big - 1) / 2.0) < 6.0 * big / sqrt(12e6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generator_matches_reference),
		cmocka_unit_test(test_indices_match_reference),
		cmocka_unit_test(test_range_and_uniformity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
