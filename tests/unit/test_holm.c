/*
 * Unit tests for holm.c, Holm's step-down over interval verdicts.
 *
 * The callback is a mock: comparison i is given fixed intervals at the
 * levels the procedure can ask for, and its verdict is verdict_from_ci()
 * of that interval with a 1% margin. Expected steps are "hand:" the
 * procedure of docs/compare.md done on paper: with m = 3 and alpha 0.05,
 * step 1 is at 0.05/3, step 2 at 0.05/r for the r left, and so on.
 */
#include "unit_fixture.h"

#include <math.h>

#include "analyse/holm.h"

#define MAX_M 4

/* One comparison's interval at each alpha the tests can ask for. */
struct mock_interval {
	double alpha, lo, hi;
};

struct mock {
	const struct mock_interval (*iv)[3];  /* per comparison, 3 levels */
	size_t calls[MAX_M];
	double last_alpha[MAX_M];
	size_t fail_at;  /* the call that fails; 0 = none */
	size_t nr_calls;
};

static int mock_verdict(void *ctx, size_t i, double alpha, enum verdict *v)
{
	struct mock *m = ctx;

	m->calls[i]++;
	m->last_alpha[i] = alpha;
	if (++m->nr_calls == m->fail_at)
		return -1;
	for (size_t k = 0; k < 3; k++)
		if (fabs(m->iv[i][k].alpha - alpha) < 1e-12) {
			*v = verdict_from_ci(m->iv[i][k].lo, m->iv[i][k].hi, 0.01);
			return 0;
		}
	fail_msg("comparison %zu asked at alpha %g, which the test did not foresee", i, alpha);
	return -1;
}

#define A3 (0.05 / 3)
#define A2 (0.05 / 2)
#define A1 0.05

/*
 * hand: step 1 at 0.05/3 decides comparison 0 (its interval [1.20, 1.30]
 * lies above 1.01: SLOWER) only; step 2 at 0.05/2 decides 1 ([0.995,
 * 1.005] within ±1%: SAME); step 3 at 0.05 decides 2 ([0.90, 0.98] below
 * 0.99: FASTER). Each decided at the step where its interval first clears.
 */
static void test_three_decided_one_per_step(void **state)
{
	static const struct mock_interval iv[3][3] = {
		{ { A3, 1.20, 1.30 }, { A2, 1.21, 1.29 }, { A1, 1.22, 1.28 } },
		{ { A3, 0.985, 1.015 }, { A2, 0.995, 1.005 }, { A1, 0.996, 1.004 } },
		{ { A3, 0.85, 1.02 }, { A2, 0.88, 1.00 }, { A1, 0.90, 0.98 } },
	};
	struct mock m = { iv, { 0 }, { 0 }, 0, 0 };
	unsigned step[3];
	double used[3];

	(void)state;
	assert_int_equal(holm_decide(3, 0.05, mock_verdict, &m, step, used), 3);
	assert_int_equal(step[0], 1);
	assert_int_equal(step[1], 2);
	assert_int_equal(step[2], 3);
	assert_double_equal(used[0], A3, 1e-15);
	assert_double_equal(used[1], A2, 1e-15);
	assert_double_equal(used[2], A1, 1e-15);
	/* hand: 0 asked once, 1 twice, 2 three times */
	assert_int_equal(m.calls[0], 1);
	assert_int_equal(m.calls[1], 2);
	assert_int_equal(m.calls[2], 3);
}

/*
 * hand: step 1 at 0.05/3 decides 0 and 1 together (both intervals above
 * 1.01); step 2 at 0.05/1 asks 2 alone and its [1.00, 1.05] still reaches
 * across 1.01: UNRESOLVED, the procedure stops with 2 undecided at 0.05.
 * Bonferroni would have left 2 at 0.05/3; Holm gives it the whole 0.05.
 */
static void test_two_at_once_then_one_left_undecided(void **state)
{
	static const struct mock_interval iv[3][3] = {
		{ { A3, 1.50, 1.60 }, { A2, 1.51, 1.59 }, { A1, 1.52, 1.58 } },
		{ { A3, 1.02, 1.10 }, { A2, 1.03, 1.09 }, { A1, 1.04, 1.08 } },
		{ { A3, 0.98, 1.07 }, { A2, 0.99, 1.06 }, { A1, 1.00, 1.05 } },
	};
	struct mock m = { iv, { 0 }, { 0 }, 0, 0 };
	unsigned step[3];
	double used[3];

	(void)state;
	assert_int_equal(holm_decide(3, 0.05, mock_verdict, &m, step, used), 2);
	assert_int_equal(step[0], 1);
	assert_int_equal(step[1], 1);
	assert_int_equal(step[2], 0);
	assert_double_equal(used[2], A1, 1e-15);
	assert_int_equal(m.calls[2], 2);
}

/*
 * hand: nothing clears at 0.05/3, so the procedure stops after step 1 —
 * it never looks at 0.05/2, however close comparison 1 would come there.
 */
static void test_none_at_first_step_stops(void **state)
{
	static const struct mock_interval iv[3][3] = {
		{ { A3, 0.97, 1.03 }, { A2, 0.98, 1.02 }, { A1, 0.99, 1.01 } },
		{ { A3, 1.005, 1.05 }, { A2, 1.02, 1.04 }, { A1, 1.02, 1.03 } },
		{ { A3, 0.90, 1.10 }, { A2, 0.92, 1.08 }, { A1, 0.93, 1.07 } },
	};
	struct mock m = { iv, { 0 }, { 0 }, 0, 0 };
	unsigned step[3];
	double used[3];

	(void)state;
	assert_int_equal(holm_decide(3, 0.05, mock_verdict, &m, step, used), 0);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(step[i], 0);
		assert_int_equal(m.calls[i], 1);
		assert_double_equal(used[i], A3, 1e-15);
	}
}

/* hand: m = 1 is the single interval at alpha, asked once. */
static void test_one_comparison_is_the_single_interval(void **state)
{
	static const struct mock_interval iv[1][3] = {
		{ { A3, 0.5, 0.6 }, { A2, 0.5, 0.6 }, { A1, 1.02, 1.05 } },
	};
	struct mock m = { iv, { 0 }, { 0 }, 0, 0 };
	unsigned step[1];
	double used[1];

	(void)state;
	assert_int_equal(holm_decide(1, 0.05, mock_verdict, &m, step, used), 1);
	assert_int_equal(step[0], 1);
	assert_double_equal(used[0], 0.05, 1e-15);
	assert_int_equal(m.calls[0], 1);
	assert_int_equal(holm_decide(0, 0.05, mock_verdict, &m, step, used), 0);
}

/* A failing callback ends the procedure at once with -1. */
static void test_failing_callback(void **state)
{
	static const struct mock_interval iv[3][3] = {
		{ { A3, 1.50, 1.60 }, { A2, 1.51, 1.59 }, { A1, 1.52, 1.58 } },
		{ { A3, 0.98, 1.07 }, { A2, 0.99, 1.06 }, { A1, 1.00, 1.05 } },
		{ { A3, 0.98, 1.07 }, { A2, 0.99, 1.06 }, { A1, 1.00, 1.05 } },
	};
	struct mock m = { iv, { 0 }, { 0 }, 4, 0 };
	unsigned step[3];
	double used[3];

	(void)state;
	/* calls: step 1 asks 0, 1, 2; step 2 asks 1 (the 4th call) */
	assert_int_equal(holm_decide(3, 0.05, mock_verdict, &m, step, used), -1);
	assert_int_equal(m.nr_calls, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_decided_one_per_step),
		cmocka_unit_test(test_two_at_once_then_one_left_undecided),
		cmocka_unit_test(test_none_at_first_step_stops),
		cmocka_unit_test(test_one_comparison_is_the_single_interval),
		cmocka_unit_test(test_failing_callback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
