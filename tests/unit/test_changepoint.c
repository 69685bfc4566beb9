/*
 * Unit tests for changepoint.c, the step search of `steady history trend`.
 *
 * Expected values are "hand:" arithmetic done on paper from the formula
 * in changepoint.h, S = n_in n_out / (n_in + n_out) (mean in - mean out)^2
 * over every run [i, j) of points, on values whose logs are 0 and 1
 * (1 and e), or, for the whole search,
 * series built so the answer is known by construction: a level of 1.00
 * for some revisions and 1.10 (or 1.20) for the rest, each revision's
 * runs the same small pattern of +-0.2% around its level, so each
 * revision's median is its level exactly and the ratio of the two sides'
 * medians is the step.
 */
#include "unit_fixture.h"

#include <math.h>

#include "analyse/changepoint.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#define RUNS 20
#define MAX_POINTS 16

static double e_ = M_E;

/* hand: logs 0,0 | 0,0 | 1,1. [0,1): in {0,0} out {0,0,1,1}: 2*4/6 * 0.5^2
 * = 1/3; [0,2): in four 0s, out {1,1}: 4*2/6 * 1^2 = 4/3; [1,2): 1/3;
 * [1,3): in {0,0,1,1} out {0,0}: 1/3; [2,3): 4/3 again (the same cut as
 * [0,2), found second). The best is [0,2): one step, at 2. */
static void test_best_split_by_hand(void **state)
{
	const double one[2] = { 1, 1 }, e[2] = { e_, e_ };
	const struct changepoint_point p[3] = { { one, 2 }, { one, 2 }, { e, 2 } };
	size_t from = 9, to = 9;
	double s = 0;

	(void)state;
	assert_int_equal(changepoint_best_split(p, 0, 3, &from, &to, &s), 0);
	assert_int_equal(from, 0);
	assert_int_equal(to, 2);
	assert_double_equal(s, 4.0 / 3.0, 1e-12);
	/* hand: the segment [0, 2) holds only 1s: S = 0 for its one cut. */
	assert_int_equal(changepoint_best_split(p, 0, 2, &from, &to, &s), 0);
	assert_int_equal(from, 0);
	assert_int_equal(to, 1);
	assert_double_equal(s, 0, 1e-15);
	/* One point has nothing to cut. */
	assert_int_equal(changepoint_best_split(p, 1, 2, &from, &to, &s), -1);
}

/* hand: logs 0 | 1 | 0. [0,1): in {0} out {1,0}: 1*2/3 * 0.5^2 = 1/6;
 * [0,2): in {0,1} out {0}: 2*1/3 * 0.5^2 = 1/6; [1,2): in {1} out {0,0}:
 * 1*2/3 * 1^2 = 2/3, the best: a step up at 1 and back at 2. */
static void test_best_split_run_in_the_middle(void **state)
{
	const double one = 1, e = e_;
	const struct changepoint_point p[3] = { { &one, 1 }, { &e, 1 }, { &one, 1 } };
	size_t from = 9, to = 9;
	double s = 0;

	(void)state;
	assert_int_equal(changepoint_best_split(p, 0, 3, &from, &to, &s), 0);
	assert_int_equal(from, 1);
	assert_int_equal(to, 2);
	assert_double_equal(s, 2.0 / 3.0, 1e-12);
}

/* hand: logs 0 | 1: the one cut [0,1), 1*1/2 * 1^2 = 1/2; equal cuts
 * ([0,1) and [1,2) are one) keep the first. */
static void test_best_split_tie_takes_first(void **state)
{
	const double one = 1, e = e_;
	const struct changepoint_point p[2] = { { &one, 1 }, { &e, 1 } };
	size_t from = 9, to = 9;
	double s = 0;

	(void)state;
	assert_int_equal(changepoint_best_split(p, 0, 2, &from, &to, &s), 0);
	assert_int_equal(from, 0);
	assert_int_equal(to, 1);
	assert_double_equal(s, 0.5, 1e-12);
}

/* hand: a zero among the values: raw scale, 0,0 | 2,2: 2*2/4 * 2^2 = 4. */
static void test_best_split_raw_scale_with_zero(void **state)
{
	const double zero[2] = { 0, 0 }, two[2] = { 2, 2 };
	const struct changepoint_point p[2] = { { zero, 2 }, { two, 2 } };
	size_t from = 9, to = 9;
	double s = 0;

	(void)state;
	assert_int_equal(changepoint_best_split(p, 0, 2, &from, &to, &s), 0);
	assert_int_equal(from, 0);
	assert_int_equal(to, 1);
	assert_double_equal(s, 4, 1e-12);
}

/* A series: levels[k] for point k, each RUNS runs of a +-0.2% pattern. */
struct series {
	double v[MAX_POINTS][RUNS];
	struct changepoint_point p[MAX_POINTS];
	size_t n;
};

static void series_make(struct series *s, const double *levels, size_t n)
{
	static const double pattern[5] = { -0.002, -0.001, 0, 0.001, 0.002 };

	s->n = n;
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < RUNS; i++)
			s->v[k][i] = levels[k] * (1 + pattern[(i * 3 + k) % 5]);
		s->p[k].values = s->v[k];
		s->p[k].n = RUNS;
	}
}

/* by construction: r1..r6 at 1.00, r7..r10 at 1.10: one step, at index 6,
 * SLOWER by 10%, judged at 0.05 / 45 (hand: 10 points cut in 10*9/2 ways). */
static void test_find_one_step(void **state)
{
	const double levels[10] = { 1, 1, 1, 1, 1, 1, 1.1, 1.1, 1.1, 1.1 };
	struct changepoint_options o;
	struct changepoint_result r;
	struct series s;

	(void)state;
	series_make(&s, levels, 10);
	changepoint_options_init(&o);
	assert_int_equal(changepoint_find(s.p, s.n, &o, &r), 0);
	assert_double_equal(r.split_alpha, 0.05 / 45, 1e-15);
	assert_int_equal(r.nr, 1);
	assert_int_equal(r.steps[0].at, 6);
	assert_int_equal(r.steps[0].c.verdict, VERDICT_SLOWER);
	assert_double_equal(r.steps[0].c.ratio, 1.1, 1e-9);
	assert_true(r.steps[0].c.ci_lo > 1.01 && r.steps[0].c.ci_hi < 1.2);
	assert_double_equal(r.steps[0].c.alpha, 0.05 / 45, 1e-15);
	changepoint_result_release(&r);
}

/* by construction: no step, nothing found (the search's first split is SAME). */
static void test_find_flat(void **state)
{
	const double levels[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
	struct changepoint_options o;
	struct changepoint_result r;
	struct series s;

	(void)state;
	series_make(&s, levels, 8);
	changepoint_options_init(&o);
	assert_int_equal(changepoint_find(s.p, s.n, &o, &r), 0);
	assert_int_equal(r.nr, 0);
	changepoint_result_release(&r);
}

/* by construction: up by 20% at 4, back down at 8: two steps, in order,
 * found as one run [4, 8) against the rest. */
static void test_find_two_steps(void **state)
{
	const double levels[12] = { 1, 1, 1, 1, 1.2, 1.2, 1.2, 1.2, 1, 1, 1, 1 };
	struct changepoint_options o;
	struct changepoint_result r;
	struct series s;

	(void)state;
	series_make(&s, levels, 12);
	changepoint_options_init(&o);
	assert_int_equal(changepoint_find(s.p, s.n, &o, &r), 0);
	assert_int_equal(r.nr, 2);
	assert_int_equal(r.steps[0].at, 4);
	assert_int_equal(r.steps[0].c.verdict, VERDICT_SLOWER);
	assert_double_equal(r.steps[0].c.ratio, 1.2, 1e-9);
	assert_int_equal(r.steps[1].at, 8);
	assert_int_equal(r.steps[1].c.verdict, VERDICT_FASTER);
	/* hand: the step back is the run's comparison turned round: 1.0 / 1.2. */
	assert_double_equal(r.steps[1].c.ratio, 1 / 1.2, 1e-9);
	changepoint_result_release(&r);
}

/* by construction: a 0.5% step under a 1% margin is no step; under 0.1%, it is. */
static void test_find_step_within_margin(void **state)
{
	const double levels[6] = { 1, 1, 1, 1.005, 1.005, 1.005 };
	struct changepoint_options o;
	struct changepoint_result r;
	struct series s;

	(void)state;
	series_make(&s, levels, 6);
	changepoint_options_init(&o);
	assert_int_equal(changepoint_find(s.p, s.n, &o, &r), 0);
	assert_int_equal(r.nr, 0);
	changepoint_result_release(&r);
	o.margin = 0.001;
	assert_int_equal(changepoint_find(s.p, s.n, &o, &r), 0);
	assert_int_equal(r.nr, 1);
	assert_int_equal(r.steps[0].at, 3);
	changepoint_result_release(&r);
}

static void test_find_degenerate(void **state)
{
	const double one[2] = { 1, 1 };
	const struct changepoint_point p[2] = { { one, 2 }, { NULL, 0 } };
	struct changepoint_options o;
	struct changepoint_result r;

	(void)state;
	changepoint_options_init(&o);
	/* One point: nothing to split, no level to judge it at. */
	assert_int_equal(changepoint_find(p, 1, &o, &r), 0);
	assert_int_equal(r.nr, 0);
	assert_nan(r.split_alpha);
	/* A point without runs cannot be compared. */
	assert_int_equal(changepoint_find(p, 2, &o, &r), -1);
	assert_int_equal(r.nr, 0);
}

/*
 * hand: four revisions of one run each, logs 0, 0.2 | 1.0, 1.2. Inside
 * [2, 4): mean 1.1; outside: mean 0.1; pooled variance (0.02 + 0.02) / 2
 * = 0.02; se = sqrt(0.02 * (1/2 + 1/2)) = 0.141421; t = 1 / se = 7.0711
 * with 2 df. For 2 df the upper tail is exactly (1 - t / sqrt(t^2 + 2)) / 2
 * = (1 - 7.0711 / 7.2111) / 2 = 0.009709, so p = 0.019419: rejects at
 * 0.02, not at 0.019.
 */
static void test_revisions_differ_by_hand(void **state)
{
	const double v0[1] = { 1 }, v1[1] = { exp(0.2) }, v2[1] = { exp(1.0) }, v3[1] = { exp(1.2) };
	const struct changepoint_point p[4] = { { v0, 1 }, { v1, 1 }, { v2, 1 }, { v3, 1 } };

	(void)state;
	assert_int_equal(changepoint_revisions_differ(p, 0, 4, 2, 4, 0.02), 1);
	assert_int_equal(changepoint_revisions_differ(p, 0, 4, 2, 4, 0.019), 0);
	/* two revisions: no degree of freedom left, never a step */
	assert_int_equal(changepoint_revisions_differ(p, 0, 2, 1, 2, 0.5), 0);
}

/*
 * Calibration: series with no step but what real revisions have, each
 * revision measured in its own session with its own offset (log-normal,
 * sd 2%) on top of run-to-run noise (sd 2%), 20 revisions of 10 runs.
 * Judged on runs alone, such series show steps far more often than 5%
 * (every revision's runs share its offset); with revisions as the units
 * the rate must stay within its 5%: 200 series
 * (a fixed seed), at most 16 with a step (P(X >= 17) < 3% even at a true
 * 5%, binomial). And a real 10% step at revision 12 under the same noise
 * is found, at 12 or next to it (a session's offset can blur it by one),
 * in 18 of 20 series or more.
 */
#define CAL_POINTS 20
#define CAL_RUNS 10
static void make_series(gsl_rng *rng, double v[CAL_POINTS][CAL_RUNS],
			struct changepoint_point *p, size_t step_at, double step)
{
	for (size_t k = 0; k < CAL_POINTS; k++) {
		double session = gsl_ran_gaussian(rng, 0.02) + (k >= step_at ? log(step) : 0);

		for (size_t i = 0; i < CAL_RUNS; i++)
			v[k][i] = exp(session + gsl_ran_gaussian(rng, 0.02));
		p[k] = (struct changepoint_point){ v[k], CAL_RUNS };
	}
}

static void test_calibration_with_session_noise(void **state)
{
	static double v[CAL_POINTS][CAL_RUNS];
	struct changepoint_point p[CAL_POINTS];
	struct changepoint_options o;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t stepped = 0, found_at_12 = 0;

	(void)state;
	gsl_rng_set(rng, 20261130);
	changepoint_options_init(&o);
	o.resamples = 2000;
	for (int trial = 0; trial < 200; trial++) {
		struct changepoint_result r;

		make_series(rng, v, p, CAL_POINTS, 1);
		assert_int_equal(changepoint_find(p, CAL_POINTS, &o, &r), 0);
		stepped += r.nr > 0;
		changepoint_result_release(&r);
	}
	print_message("flat series with a step: %zu of 200\n", stepped);
	assert_true(stepped <= 16);
	for (int trial = 0; trial < 20; trial++) {
		struct changepoint_result r;

		make_series(rng, v, p, 12, 1.10);
		assert_int_equal(changepoint_find(p, CAL_POINTS, &o, &r), 0);
		/* within one revision of where it is: session noise may blur it */
		for (size_t k = 0; k < r.nr; k++)
			if (r.steps[k].at >= 11 && r.steps[k].at <= 13 &&
			    r.steps[k].c.verdict == VERDICT_SLOWER) {
				found_at_12++;
				break;
			}
		changepoint_result_release(&r);
	}
	print_message("10%% steps found at 11-13: %zu of 20\n", found_at_12);
	assert_true(found_at_12 >= 18);
	gsl_rng_free(rng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_best_split_by_hand),
		cmocka_unit_test(test_best_split_run_in_the_middle),
		cmocka_unit_test(test_best_split_tie_takes_first),
		cmocka_unit_test(test_best_split_raw_scale_with_zero),
		cmocka_unit_test(test_find_one_step),
		cmocka_unit_test(test_find_flat),
		cmocka_unit_test(test_find_two_steps),
		cmocka_unit_test(test_find_step_within_margin),
		cmocka_unit_test(test_find_degenerate),
		cmocka_unit_test(test_revisions_differ_by_hand),
		cmocka_unit_test(test_calibration_with_session_noise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
