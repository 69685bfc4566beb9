/*
 * Unit tests for analyse/bisect_search.c: the order of questions and what
 * they conclude, with oracles whose truth is set by hand (which units are
 * slow, alone or together), counting the questions asked.
 */
#include "unit_fixture.h"

#include "analyse/bisect_search.h"

#include <math.h>

/* An oracle: slow when the subset holds every unit of `needs` (any of `culprits` for single). */
struct truth {
	unsigned char needs[32];      /* all of these together make it slow */
	unsigned char fails_without[32];  /* unit i does not build without unit fails_without[i] - 1 */
	int unresolved_after;         /* answer UNRESOLVED from this question on (0 never) */
	int asked;
};

static enum bisect_answer oracle(void *ctx, const unsigned char *subset, size_t n,
				 enum bisect_purpose purpose)
{
	struct truth *t = ctx;
	int slow = 1, any = 0;

	(void)purpose;
	t->asked++;
	if (t->unresolved_after && t->asked >= t->unresolved_after)
		return BISECT_UNRESOLVED;
	for (size_t i = 0; i < n; i++) {
		if (t->fails_without[i] && subset[i] && !subset[t->fails_without[i] - 1])
			return BISECT_FAILED;
		if (t->needs[i]) {
			any = 1;
			slow &= subset[i] != 0;
		}
	}
	return any && slow ? BISECT_SLOW : BISECT_NOT_SLOW;
}

static size_t ceil_log2(size_t n)
{
	size_t k = 0;

	while (((size_t)1 << k) < n)
		k++;
	return k;
}

/* hand: one culprit among n is found with at most log2(n) + 2 questions, the rest NOT SLOW. */
static void test_one_culprit_every_place(void **state)
{
	(void)state;
	for (size_t n = 1; n <= 16; n++)
		for (size_t c = 0; c < n; c++) {
			struct truth t = { { 0 } };
			struct bisect_result r;

			t.needs[c] = 1;
			assert_int_equal(bisect_units(n, oracle, &t, &r), 0);
			assert_int_equal(r.outcome, BISECT_FOUND);
			assert_int_equal(r.culprit_size, 1);
			assert_true(r.culprit[c]);
			assert_false(r.interacting);
			if (n > 1)
				assert_int_equal(r.rest, BISECT_NOT_SLOW);
			assert_true(r.questions <= ceil_log2(n) + 2);
			assert_int_equal((int)r.questions, t.asked);
			bisect_result_release(&r);
		}
}

/* hand: units 2 and 5 of 8 slow only together: halves are not slow, ddmin finds both. */
static void test_two_interacting(void **state)
{
	struct truth t = { { 0 } };
	struct bisect_result r;

	(void)state;
	t.needs[2] = t.needs[5] = 1;
	assert_int_equal(bisect_units(8, oracle, &t, &r), 0);
	assert_int_equal(r.outcome, BISECT_FOUND);
	assert_true(r.interacting);
	assert_int_equal(r.culprit_size, 2);
	assert_true(r.culprit[2] && r.culprit[5]);
	assert_int_equal(r.rest, BISECT_NOT_SLOW);
	bisect_result_release(&r);
}

/* hand: unit 6 (the culprit) does not build without unit 1: the halves fail, ddmin keeps both. */
static void test_culprit_needs_another(void **state)
{
	struct truth t = { { 0 } };
	struct bisect_result r;

	(void)state;
	t.needs[6] = 1;
	t.fails_without[6] = 1 + 1;
	assert_int_equal(bisect_units(8, oracle, &t, &r), 0);
	assert_int_equal(r.outcome, BISECT_FOUND);
	assert_int_equal(r.culprit_size, 2);
	assert_true(r.culprit[1] && r.culprit[6]);
	bisect_result_release(&r);
}

/* An UNRESOLVED answer stops the search with the candidates left; nothing is guessed. */
static void test_unresolved_stops(void **state)
{
	struct truth t = { { 0 } };
	struct bisect_result r;

	(void)state;
	t.needs[3] = 1;
	t.unresolved_after = 2;
	assert_int_equal(bisect_units(8, oracle, &t, &r), 0);
	assert_int_equal(r.outcome, BISECT_STOPPED);
	/* hand: question 1 (units 0-3) was SLOW, question 2 (units 0-1) UNRESOLVED: 0-3 left */
	assert_int_equal(r.culprit_size, 4);
	assert_true(r.culprit[0] && r.culprit[3] && !r.culprit[4]);
	assert_int_equal(r.questions, 2);
	bisect_result_release(&r);
}

/* hand: the first slow commit k of n, found by halving prefixes in ceil(log2 n) questions. */
static void test_commits(void **state)
{
	(void)state;
	for (size_t n = 1; n <= 17; n++)
		for (size_t k = 1; k <= n; k++) {
			struct truth t = { { 0 } };
			struct bisect_result r;

			t.needs[k - 1] = 1;  /* a prefix holding commit k is slow */
			assert_int_equal(bisect_commits(n, oracle, &t, &r), 0);
			assert_int_equal(r.outcome, BISECT_FOUND);
			assert_int_equal(r.culprit_size, 1);
			assert_true(r.culprit[k - 1]);
			assert_true(r.questions <= ceil_log2(n));
			bisect_result_release(&r);
		}
}

/* Prefixes of length fail_from..fail_to do not build; from slow_from on they are slow. */
struct prefix_truth {
	size_t fail_from, fail_to, slow_from;
};

static enum bisect_answer commit_oracle(void *ctx, const unsigned char *subset, size_t n,
					enum bisect_purpose purpose)
{
	const struct prefix_truth *t = ctx;
	size_t len = 0;

	(void)purpose;
	for (size_t i = 0; i < n; i++)
		len += subset[i] != 0;
	if (len >= t->fail_from && len <= t->fail_to)
		return BISECT_FAILED;
	return len >= t->slow_from ? BISECT_SLOW : BISECT_NOT_SLOW;
}

static void test_commits_skip_failed_builds(void **state)
{
	/*
	 * hand: 5 commits, commit 2 slow, commits 3 and 4 do not build (their
	 * prefixes FAIL). The middle (prefix 2) is asked first: SLOW; then
	 * prefix 1: NOT SLOW. Culprit 2, never taken past by a failed build.
	 */
	struct prefix_truth five = { 3, 4, 2 }, four = { 2, 3, 4 };
	struct bisect_result r;

	(void)state;
	assert_int_equal(bisect_commits(5, commit_oracle, &five, &r), 0);
	assert_int_equal(r.outcome, BISECT_FOUND);
	assert_true(r.culprit[1]);
	assert_int_equal(r.culprit_size, 1);
	bisect_result_release(&r);
	/* hand: 4 commits, the first slow prefix is 4, prefixes 2 and 3 fail: stopped between 1 and 4 */
	assert_int_equal(bisect_commits(4, commit_oracle, &four, &r), 0);
	assert_int_equal(r.outcome, BISECT_STOPPED);
	assert_true(r.unbuildable);
	assert_int_equal(r.culprit_size, 3);
	assert_false(r.culprit[0]);
	bisect_result_release(&r);
}

static void test_bar_and_judge(void **state)
{
	(void)state;
	/* hand: whole [1.020, 1.040] at F = 0.5: the bar is 1 + 0.5 * 0.020 = 1.010 */
	assert_double_equal(bisect_bar(0.5, 1.020, 1.030), 1.010, 1e-12);
	/* hand: no low end yet: the estimate, 1 + 0.25 * 0.2 = 1.05 */
	assert_double_equal(bisect_bar(0.25, NAN, 1.2), 1.05, 1e-12);
	assert_int_equal(bisect_judge(1.011, 1.030, 1.010), BISECT_SLOW);
	assert_int_equal(bisect_judge(0.990, 1.009, 1.010), BISECT_NOT_SLOW);
	/* an interval holding the bar, or not yet known, decides nothing */
	assert_int_equal(bisect_judge(1.005, 1.015, 1.010), BISECT_UNRESOLVED);
	assert_int_equal(bisect_judge(NAN, NAN, 1.010), BISECT_UNRESOLVED);
	assert_int_equal(bisect_judge(1.010, 1.020, 1.010), BISECT_UNRESOLVED);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(bisect_answer_name(BISECT_NOT_SLOW), "NOT SLOW");
	assert_string_equal(bisect_answer_name(BISECT_FAILED), "BUILD FAILED");
	assert_string_equal(bisect_purpose_name(BISECT_REST), "rest alone");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_culprit_every_place),
		cmocka_unit_test(test_two_interacting),
		cmocka_unit_test(test_culprit_needs_another),
		cmocka_unit_test(test_unresolved_stops),
		cmocka_unit_test(test_commits),
		cmocka_unit_test(test_commits_skip_failed_builds),
		cmocka_unit_test(test_bar_and_judge),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
