/*
 * Unit tests for estimators.c and pairwise.c. Expected values were
 * computed independently with python3 (standard library only):
 *  - "enum:" exact null distributions counted with big integers — the
 *    signed-rank statistic by subset sums of 1..n, Mann–Whitney's U by the
 *    rank sums of every m-subset of 1..m+n — and the largest k with
 *    P(T <= k-1) <= alpha/2 read off with fractions. They agree with the
 *    printed tables (signed rank n = 10: critical 8; U for 8 and 8: 13).
 *  - "brute:" every Walsh average or pairwise difference listed, sorted,
 *    and the median / k-th values taken, on the data of the test.
 */
#include "unit_fixture.h"

#include "analyse/estimators.h"
#include "analyse/stats.h"

static void test_names(void **state)
{
	enum estimator e;

	(void)state;
	assert_int_equal(estimator_parse("median", &e), 0);
	assert_int_equal(e, ESTIMATOR_MEDIAN);
	assert_int_equal(estimator_parse("hl", &e), 0);
	assert_int_equal(e, ESTIMATOR_HL);
	assert_int_equal(estimator_parse("min", &e), 0);
	assert_int_equal(e, ESTIMATOR_MIN);
	assert_int_equal(estimator_parse("mean", &e), 0);
	assert_string_equal(estimator_name(e), "mean");
	assert_int_equal(estimator_parse("Median", &e), -1);
	assert_int_equal(estimator_parse("", &e), -1);
}

static void test_signed_rank_k(void **state)
{
	/* enum: n -> k at alpha 0.05 */
	static const struct { size_t n; uint64_t k; } want[] = {
		{ 1, 0 }, { 5, 0 }, { 6, 1 }, { 7, 3 }, { 8, 4 }, { 9, 6 },
		{ 10, 9 }, { 20, 53 }, { 30, 138 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		assert_int_equal(signed_rank_lower_k(want[i].n, 0.05), want[i].k);
	/* enum: n = 20 at alpha 0.01 */
	assert_int_equal(signed_rank_lower_k(20, 0.01), 38);
	/*
	 * enum: n = 301 19765, n = 400 35567, both past the exact limit.
	 * The statistic's tails are lighter than the normal's, so the
	 * approximation may only err on the wide side, by a few ranks of
	 * some 45000.
	 */
	assert_true(signed_rank_lower_k(301, 0.05) <= 19765);
	assert_true(signed_rank_lower_k(301, 0.05) >= 19765 - 3);
	assert_true(signed_rank_lower_k(400, 0.05) <= 35567);
	assert_true(signed_rank_lower_k(400, 0.05) >= 35567 - 3);
	assert_int_equal(signed_rank_lower_k(0, 0.05), 0);
	assert_int_equal(signed_rank_lower_k(10, 0), 0);
}

static void test_rank_sum_k(void **state)
{
	/* enum: (m, n) -> k at alpha 0.05 */
	static const struct { size_t m, n; uint64_t k; } want[] = {
		{ 2, 2, 0 }, { 3, 3, 0 }, { 4, 4, 1 }, { 5, 5, 3 }, { 3, 7, 2 },
		{ 7, 3, 2 }, { 8, 8, 14 }, { 10, 10, 24 }, { 20, 20, 128 },
		{ 10, 30, 88 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		assert_int_equal(rank_sum_lower_k(want[i].m, want[i].n, 0.05), want[i].k);
	/* enum: 100 and 101, past the exact limit: 4242, never exceeded */
	/* enum: 60 and 60 (3600 > 2500, normal): 1427, never exceeded */
	assert_true(rank_sum_lower_k(60, 60, 0.05) <= 1427);
	assert_true(rank_sum_lower_k(60, 60, 0.05) >= 1427 - 3);
	/* enum: n = 150, normal: 4619, never exceeded */
	assert_true(signed_rank_lower_k(150, 0.05) <= 4619);
	assert_true(signed_rank_lower_k(150, 0.05) >= 4619 - 3);
	assert_true(rank_sum_lower_k(100, 101, 0.05) <= 4242);
	assert_true(rank_sum_lower_k(100, 101, 0.05) >= 4242 - 3);
	assert_int_equal(rank_sum_lower_k(0, 5, 0.05), 0);
}

/* brute: the data of the next two tests, B about 3.6% slower in pairs */
static const double pa[] = { 10.0, 11.0, 12.5, 9.5, 10.2, 30.0, 10.1, 9.9 };
static const double pb[] = { 10.4, 11.3, 12.9, 9.8, 10.9, 29.0, 10.6, 10.3 };

static void test_paired(void **state)
{
	struct ratio_estimate r;

	(void)state;
	/* brute: median log ratio; sign test at n = 8 gives [d(1), d(8)] */
	assert_int_equal(estimate_ratio(ESTIMATOR_MEDIAN, pa, 8, pb, 8, 1, 0.05, &r), 0);
	assert_double_equal(r.ratio, 1.035992277963499, 1e-12);
	assert_double_equal(r.lo, 0.9666666666666667, 1e-12);
	assert_double_equal(r.hi, 1.0686274509803924, 1e-12);
	/* brute: median Walsh average; k = 4 of 36 (enum) */
	assert_int_equal(estimate_ratio(ESTIMATOR_HL, pa, 8, pb, 8, 1, 0.05, &r), 0);
	assert_double_equal(r.ratio, 1.0359871873566282, 1e-12);
	assert_double_equal(r.lo, 0.9987992791347018, 1e-12);
	assert_double_equal(r.hi, 1.0542165569841937, 1e-12);
	/* too few pairs for any interval: the estimate alone */
	assert_int_equal(estimate_ratio(ESTIMATOR_HL, pa, 5, pb, 5, 1, 0.05, &r), 0);
	assert_false(isnan(r.ratio));
	assert_true(isnan(r.lo) && isnan(r.hi));
}

static void test_independent(void **state)
{
	struct ratio_estimate r;

	(void)state;
	/* brute: median of the 64 log differences, k = 14 (enum) */
	assert_int_equal(estimate_ratio(ESTIMATOR_HL, pa, 8, pb, 8, 0, 0.05, &r), 0);
	assert_double_equal(r.ratio, 1.0396077691733023, 1e-12);
	assert_double_equal(r.lo, 0.9039999999999999, 1e-12);
	assert_double_equal(r.hi, 1.1727272727272726, 1e-12);
	/* brute: min, the ratio of the type-7 10% quantiles of the logs */
	assert_int_equal(estimate_ratio(ESTIMATOR_MIN, pa, 8, pb, 8, 0, 0.05, &r), 0);
	assert_double_equal(r.ratio, 1.037748614435034, 1e-12);
	assert_true(isnan(r.lo));
}

static void test_median_independent_covers(void **state)
{
	/*
	 * hand: A = 1..40, B = 1.5 x A; the estimate is the ratio of the
	 * medians, 30.75 / 20.5 = 1.5. comb: each side's interval at 97.5%
	 * (tails 0.0125) is [x(13), x(28)], so B/A lies in
	 * [1.5 * 13 / 28, 1.5 * 28 / 13].
	 */
	double a[40], b[40];
	struct ratio_estimate r;

	(void)state;
	for (size_t i = 0; i < 40; i++) {
		a[i] = (double)i + 1;
		b[i] = 1.5 * a[i];
	}
	assert_int_equal(estimate_ratio(ESTIMATOR_MEDIAN, a, 40, b, 40, 0, 0.05, &r), 0);
	assert_double_equal(r.ratio, 1.5, 1e-12);
	assert_double_equal(r.lo, 1.5 * 13 / 28, 1e-12);
	assert_double_equal(r.hi, 1.5 * 28 / 13, 1e-12);
}

static void test_bad_input(void **state)
{
	const double zero[] = { 1, 0, 2 };
	struct ratio_estimate r;

	(void)state;
	assert_int_equal(estimate_ratio(ESTIMATOR_MEDIAN, pa, 0, pb, 8, 0, 0.05, &r), -1);
	assert_true(isnan(r.ratio));
	assert_int_equal(estimate_ratio(ESTIMATOR_MEDIAN, pa, 8, pb, 7, 1, 0.05, &r), -1);
	assert_int_equal(estimate_ratio(ESTIMATOR_HL, zero, 3, pb, 3, 1, 0.05, &r), -1);
	assert_int_equal(estimate_ratio(ESTIMATOR_HL, pa, 3, zero, 3, 0, 0.05, &r), -1);
	assert_int_equal(estimate_ratio(ESTIMATOR_MEAN, pa, 8, pb, 8, 0, 0.05, &r), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_signed_rank_k),
		cmocka_unit_test(test_rank_sum_k),
		cmocka_unit_test(test_paired),
		cmocka_unit_test(test_independent),
		cmocka_unit_test(test_median_independent_covers),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
