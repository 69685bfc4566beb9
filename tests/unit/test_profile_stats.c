/*
 * Unit tests for profile_stats.c: the ratio-of-means interval and the
 * per-function estimates of `steady profile`.
 *
 * Expected values are by hand: means and variances on paper, Student's t
 * quantiles from a printed table (t 0.975 with 4 df = 2.776445, with 2 df
 * = 4.302653; t 0.9875 with 2 df = 6.205347), and the exponentials with
 * Python's math module, e.g. 2 * math.exp(-2.776445 * math.sqrt(1/6)).
 */
#include "unit_fixture.h"

#include <math.h>
#include <stdlib.h>

#include "analyse/profile_stats.h"

static void test_ratio_interval_by_hand(void **state)
{
	/*
	 * x: mean 2, variance 1; y: mean 4, variance 4. Relative variances of
	 * the means: 1/(3*4) = 4/(3*16) = 1/12, se^2 = 1/6; Welch's df =
	 * (1/6)^2 / (2 * (1/12)^2 / 2) = 4. Ratio 2, ends 2 exp(-+2.776445
	 * sqrt(1/6)) = 0.643823, 6.212890.
	 */
	const double x[] = { 1, 2, 3 }, y[] = { 2, 4, 6 };
	double r, lo, hi;

	(void)state;
	assert_int_equal(ratio_of_means_ci(x, 3, y, 3, 0.05, &r, &lo, &hi), 0);
	assert_true(fabs(r - 2) < 1e-12);
	assert_true(fabs(lo - 0.643823) < 1e-5);
	assert_true(fabs(hi - 6.212890) < 1e-5);
}

static void test_ratio_interval_edges(void **state)
{
	const double two[] = { 2, 2 }, three[] = { 3, 3 }, zero[] = { 0, 0 };
	double r, lo, hi;

	(void)state;
	/* No spread at all: the interval is the point. */
	assert_int_equal(ratio_of_means_ci(two, 2, three, 2, 0.05, &r, &lo, &hi), 0);
	assert_true(r == 1.5 && lo == 1.5 && hi == 1.5);
	/* One value, or a mean of 0: no interval. */
	assert_int_equal(ratio_of_means_ci(two, 1, three, 2, 0.05, &r, &lo, &hi), -1);
	assert_true(isnan(r) && isnan(lo) && isnan(hi));
	assert_int_equal(ratio_of_means_ci(zero, 2, three, 2, 0.05, &r, &lo, &hi), -1);
}

/*
 * Two functions, three runs a side, 100 samples a run. A: wall 1 s, f0 75
 * and f1 25 samples every run (times 0.75 s and 0.25 s, no spread). B: wall
 * 2 s, f0 60/75/90 (times 1.2/1.5/1.8 s: mean 1.5, variance 0.09), f1
 * 40/25/10 (0.8/0.5/0.2 s: mean 0.5, variance 0.09).
 * f0: ratio 2, se = sqrt(0.09 / (3 * 2.25)) = 0.115470, df 2 (A has no
 * spread): 95% ends 2 exp(-+4.302653 se) = 1.216916, 3.286998; the family
 * of two at 2.5%: 2 exp(-+6.205347 se) = 0.976887, 4.094641 — holds 1, so
 * not shown to change. f1: ratio 2, se 0.346410, ends 0.450528, 8.878476.
 * Sorted by |time B - time A|: f0 (0.75 s) before f1 (0.25 s).
 */
static void test_two_functions_by_hand(void **state)
{
	const double wall_a[] = { 1, 1, 1 }, wall_b[] = { 2, 2, 2 };
	const uint64_t samples[] = { 100, 100, 100 };
	const uint64_t counts_a[] = { 75, 25, 75, 25, 75, 25 };
	const uint64_t counts_b[] = { 60, 40, 75, 25, 90, 10 };
	const struct profile_side_data side[2] = {
		{ 3, wall_a, samples, counts_a }, { 3, wall_b, samples, counts_b } };
	struct profile_estimate e;
	const struct fn_estimate *f0, *f1;

	(void)state;
	assert_int_equal(profile_estimate(side, 2, 0.05, &e), 0);
	assert_int_equal(e.nr, 2);
	assert_int_equal(e.family, 2);
	assert_true(e.wall_ratio == 2 && e.wall_lo == 2 && e.wall_hi == 2);
	f0 = &e.fns[0];
	f1 = &e.fns[1];
	assert_int_equal(f0->fn, 0);
	assert_int_equal(f1->fn, 1);
	assert_int_equal(f0->samples[0], 225);
	assert_int_equal(f0->samples[1], 225);
	assert_true(fabs(f0->share[0] - 0.75) < 1e-12 && fabs(f0->share[1] - 0.75) < 1e-12);
	assert_true(fabs(f0->time[0] - 0.75) < 1e-12 && fabs(f0->time[1] - 1.5) < 1e-12);
	assert_true(fabs(f0->ratio - 2) < 1e-12);
	assert_true(fabs(f0->lo - 1.216916) < 1e-5 && fabs(f0->hi - 3.286998) < 1e-5);
	assert_true(fabs(f0->family_lo - 0.976887) < 1e-5);
	assert_true(fabs(f0->family_hi - 4.094641) < 1e-5);
	assert_int_equal(f0->change, 0);
	assert_true(fabs(f1->lo - 0.450528) < 1e-5 && fabs(f1->hi - 8.878476) < 1e-5);
	free(e.fns);
}

/*
 * Few samples: f1 has none in A and 3 in B, below
 * PROFILE_MIN_JUDGED_SAMPLES: no ratio, no interval, not in the family, so
 * the family is f0 alone.
 */
static void test_few_samples_not_judged(void **state)
{
	const double wall_a[] = { 1, 1, 1 }, wall_b[] = { 2, 2, 2 };
	const uint64_t samples_a[] = { 20, 20, 20 }, samples_b[] = { 20, 20, 20 };
	/* f0 20 a run on both sides; f1 absent from A, 3 samples in B. */
	const uint64_t counts_a[] = { 20, 0, 20, 0, 20, 0 };
	const uint64_t counts_b[] = { 20, 0, 17, 3, 20, 0 };
	const struct profile_side_data side[2] = {
		{ 3, wall_a, samples_a, counts_a }, { 3, wall_b, samples_b, counts_b } };
	struct profile_estimate e;

	(void)state;
	assert_int_equal(profile_estimate(side, 2, 0.05, &e), 0);
	assert_int_equal(e.nr, 2);
	assert_int_equal(e.family, 1);
	for (size_t i = 0; i < e.nr; i++) {
		const struct fn_estimate *f = &e.fns[i];

		if (f->fn == 1) {
			/* A has none of it: no ratio, no interval, no verdict. */
			assert_int_equal(f->judged, 0);
			assert_true(isnan(f->ratio) && isnan(f->lo));
			assert_int_equal(f->change, 0);
			assert_int_equal(f->samples[1], 3);
		} else {
			/* B: times 2, 1.7, 2 (mean 1.9) against A's 1, 1, 1. */
			assert_int_equal(f->judged, 1);
			assert_true(fabs(f->ratio - 1.9) < 1e-12);
		}
	}
	free(e.fns);
}

static void test_one_side(void **state)
{
	const double wall[] = { 1, 3 };
	const uint64_t samples[] = { 10, 10 };
	const uint64_t counts[] = { 2, 8, 4, 6 };
	const struct profile_side_data side[2] = { { 2, wall, samples, counts }, { 0 } };
	struct profile_estimate e;

	(void)state;
	assert_int_equal(profile_estimate(side, 2, 0.05, &e), 0);
	assert_true(isnan(e.wall_ratio));
	assert_true(fabs(e.wall[0] - 2) < 1e-12);
	/* f1: (0.8 * 1 + 0.6 * 3) / 2 = 1.3 s; f0: (0.2 + 1.2) / 2 = 0.7 s. */
	assert_int_equal(e.fns[0].fn, 1);
	assert_true(fabs(e.fns[0].time[0] - 1.3) < 1e-12);
	assert_true(fabs(e.fns[1].time[0] - 0.7) < 1e-12);
	assert_true(fabs(e.fns[0].share[0] - 0.7) < 1e-12);
	free(e.fns);
	/* One run is not enough. */
	{
		const struct profile_side_data one[2] = { { 1, wall, samples, counts }, { 0 } };

		assert_int_equal(profile_estimate(one, 2, 0.05, &e), -1);
		free(e.fns);
	}
}

/*
 * Unequal runs (3 of A, 4 of B, as an interrupt leaves them) and both
 * signs. A: wall 1 s, 200 samples a run, f0 90/100/110 (times .45/.5/.55),
 * f1 the rest (.55/.5/.45). B: wall 1 s, 250 samples, f0 200/190/210/200
 * (.8/.76/.84/.8), f1 50/60/40/50 (.2/.24/.16/.2). By hand: f0 ratio
 * .8/.5 = 1.6, se^2 = .0025/(3 * .25) + .0010667/(4 * .64) = .00375; f1
 * ratio .2/.5 = .4. Both are far from 1 against se ~ .06 and ~ .07 even at
 * the family's level (t below 5 at 2.5 df): f0 slower, f1 faster.
 */
static void test_unequal_runs_both_signs(void **state)
{
	const double wall_a[] = { 1, 1, 1 }, wall_b[] = { 1, 1, 1, 1 };
	const uint64_t samples_a[] = { 200, 200, 200 }, samples_b[] = { 250, 250, 250, 250 };
	const uint64_t counts_a[] = { 90, 110, 100, 100, 110, 90 };
	const uint64_t counts_b[] = { 200, 50, 190, 60, 210, 40, 200, 50 };
	const struct profile_side_data side[2] = {
		{ 3, wall_a, samples_a, counts_a }, { 4, wall_b, samples_b, counts_b } };
	struct profile_estimate e;

	(void)state;
	assert_int_equal(profile_estimate(side, 2, 0.05, &e), 0);
	assert_int_equal(e.family, 2);
	for (size_t i = 0; i < e.nr; i++) {
		const struct fn_estimate *f = &e.fns[i];

		if (f->fn == 0) {
			assert_true(fabs(f->ratio - 1.6) < 1e-12);
			assert_true(f->family_lo > 1);
			assert_int_equal(f->change, 1);
		} else {
			assert_true(fabs(f->ratio - 0.4) < 1e-12);
			assert_true(f->family_hi < 1);
			assert_int_equal(f->change, -1);
		}
	}
	free(e.fns);
}

/*
 * The same count every run on both sides: the interval would be a point,
 * and any ratio but 1 would be a change. Such a function is not judged.
 */
static void test_no_spread_not_judged(void **state)
{
	const double wall[] = { 1, 1 };
	const uint64_t samples[] = { 100, 100 };
	const uint64_t counts_a[] = { 50, 50 }, counts_b[] = { 60, 60 };
	const struct profile_side_data side[2] = {
		{ 2, wall, samples, counts_a }, { 2, wall, samples, counts_b } };
	struct profile_estimate e;

	(void)state;
	assert_int_equal(profile_estimate(side, 1, 0.05, &e), 0);
	assert_int_equal(e.family, 0);
	assert_int_equal(e.fns[0].judged, 0);
	assert_int_equal(e.fns[0].change, 0);
	assert_true(fabs(e.fns[0].ratio - 1.2) < 1e-12);
	assert_true(isnan(e.fns[0].lo));
	free(e.fns);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratio_interval_by_hand),
		cmocka_unit_test(test_ratio_interval_edges),
		cmocka_unit_test(test_two_functions_by_hand),
		cmocka_unit_test(test_few_samples_not_judged),
		cmocka_unit_test(test_one_side),
		cmocka_unit_test(test_unequal_runs_both_signs),
		cmocka_unit_test(test_no_spread_not_judged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
