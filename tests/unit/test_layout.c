/*
 * Unit tests for layout.c, on per-variant samples whose components are
 * known by construction: each variant's runs sit symmetrically around
 * the variant's own level, so its median is that level exactly. Expected
 * values: "python3:" the statistics module on those levels; "hand:"
 * arithmetic in the comment.
 */
#include "unit_fixture.h"

#include "analyse/compare.h"
#include "analyse/layout.h"

/* Four layouts of A at 100, 110, 95 and 105, three runs each. */
static const double a0[] = { 100, 101, 99 }, a1[] = { 110, 111, 109 },
		    a2[] = { 95, 96, 94 }, a3[] = { 105, 104, 106 };
/* The same layouts 3% slower. */
static const double b0[] = { 103, 104.03, 101.97 }, b1[] = { 113.3, 114.33, 112.27 },
		    b2[] = { 97.85, 98.88, 96.82 }, b3[] = { 108.15, 107.12, 109.18 };

static const struct variant_runs side_a[] = {
	{ a0, 3 }, { a1, 3 }, { a2, 3 }, { a3, 3 },
};
static const struct variant_runs side_b[] = {
	{ b0, 3 }, { b1, 3 }, { b2, 3 }, { b3, 3 },
};

static void test_spread(void **state)
{
	struct layout_spread s;
	const struct variant_runs with_empty[] = { { a0, 3 }, { NULL, 0 }, { a1, 3 } };
	const double zero[] = { 1, 0 };
	const struct variant_runs bad[] = { { zero, 2 } };

	(void)state;
	assert_int_equal(layout_spread(side_a, 4, &s), 0);
	assert_int_equal(s.k, 4);
	/* python3: mean(100, 110, 95, 105); stdev / mean; min / mean; max / mean */
	assert_double_equal(s.center, 102.5, 1e-12);
	assert_double_equal(s.sd_rel, 0.06297533896272223, 1e-12);
	assert_double_equal(s.min_rel, 0.926829268292683, 1e-12);
	assert_double_equal(s.max_rel, 1.0731707317073171, 1e-12);
	/* hand: a variant without runs is not a layout */
	assert_int_equal(layout_spread(with_empty, 3, &s), 0);
	assert_int_equal(s.k, 2);
	assert_double_equal(s.center, 105, 1e-12);
	assert_int_equal(layout_spread(bad, 1, &s), -1);
	assert_true(isnan(s.center));
}

static void test_averaged_ratio(void **state)
{
	struct layout_ratio r, again;
	const double ma[] = { 100, 110, 95, 105 };
	const double mb[] = { 103, 113.3, 97.85, 108.15 };
	double tlo, thi;

	(void)state;
	assert_int_equal(layout_averaged_ratio(side_a, 4, side_b, 4, 0.05, 2000, 7, &r), 0);
	/* hand: every layout 3% slower, so the mean of medians is too */
	assert_double_equal(r.ratio, 1.03, 1e-12);
	/* the t part is compare's Welch interval on the variant medians */
	assert_int_equal(compare_welch_log_ci(ma, 4, mb, 4, 0, 0.05, &tlo, &thi), 0);
	assert_double_equal(r.t_lo, tlo, 1e-12);
	assert_double_equal(r.t_hi, thi, 1e-12);
	/* the judged interval is the union, and holds the ratio */
	assert_double_equal(r.lo, fmin(r.t_lo, r.boot_lo), 0);
	assert_double_equal(r.hi, fmax(r.t_hi, r.boot_hi), 0);
	assert_true(r.lo < 1.03 && 1.03 < r.hi);
	/* a 3% change inside a 6% layout spread with 4 layouts: not resolved */
	assert_true(r.lo < 1.0);
	/* seeded: the same data give the same interval */
	assert_int_equal(layout_averaged_ratio(side_a, 4, side_b, 4, 0.05, 2000, 7, &again), 0);
	assert_double_equal(again.boot_lo, r.boot_lo, 0);
	assert_double_equal(again.boot_hi, r.boot_hi, 0);
}

static void test_averaged_ratio_degenerate(void **state)
{
	const double x[] = { 100, 100 }, y[] = { 103, 103 };
	const struct variant_runs same_a[] = { { x, 2 }, { x, 2 }, { x, 2 } };
	const struct variant_runs same_b[] = { { y, 2 }, { y, 2 }, { y, 2 } };
	struct layout_ratio r;

	(void)state;
	/* hand: no spread anywhere: the bootstrap sees 1.03 every time */
	assert_int_equal(layout_averaged_ratio(same_a, 3, same_b, 3, 0.05, 500, 1, &r), 0);
	assert_double_equal(r.boot_lo, 1.03, 1e-12);
	assert_double_equal(r.boot_hi, 1.03, 1e-12);
	assert_double_equal(r.lo, 1.03, 1e-12);
	/* one layout a side says nothing of layout: no interval */
	assert_int_equal(layout_averaged_ratio(side_a, 1, side_b, 1, 0.05, 500, 1, &r), 0);
	assert_true(isnan(r.lo) && isnan(r.hi));
	assert_int_equal(layout_averaged_ratio(side_a, 0, side_b, 1, 0.05, 500, 1, &r), -1);
}

static void test_variants_needed(void **state)
{
	(void)state;
	/* python3: ceil(1.959964^2 * (0.1^2 + 0.1^2) / 0.03^2) = 86 */
	assert_int_equal(layout_variants_needed(0.1, 0.1, 0.03, 0.05), 86);
	/* hand: no spread needs the least that has an interval at all */
	assert_int_equal(layout_variants_needed(0, 0, 0.01, 0.05), 2);
	assert_int_equal(layout_variants_needed(0.1, 0.1, 0, 0.05), 0);
	assert_int_equal(layout_variants_needed(0.1, 0.1, -0.01, 0.05), 0);
}

static void test_classify(void **state)
{
	/* hand: A's layouts span 0.9 .. 1.2 of its center: 1.333x apart */
	struct layout_spread a = { .k = 8, .center = 1, .sd_rel = 0.1,
				   .min_rel = 0.9, .max_rel = 1.2 };
	struct layout_ratio wide = { .lo = 0.95, .hi = 1.06 };
	struct layout_ratio beyond = { .lo = 1.02, .hi = 1.05 };
	struct layout_ratio narrow = { .lo = 0.995, .hi = 1.005 };
	struct layout_ratio none = { .lo = NAN, .hi = NAN };

	(void)state;
	assert_int_equal(layout_classify(VERDICT_SLOWER, 1.031, &wide, &a, 0.01), LAYOUT_ARTEFACT);
	assert_int_equal(layout_classify(VERDICT_SLOWER, 1.031, &beyond, &a, 0.01), LAYOUT_SLOWER);
	assert_int_equal(layout_classify(VERDICT_SAME, 1.0, &beyond, &a, 0.01), LAYOUT_SLOWER);
	/* a default difference larger than A's own layout range is no artefact */
	assert_int_equal(layout_classify(VERDICT_SLOWER, 1.5, &wide, &a, 0.01), LAYOUT_UNRESOLVED);
	assert_int_equal(layout_classify(VERDICT_FASTER, 0.97, &narrow, &a, 0.01), LAYOUT_ARTEFACT);
	assert_int_equal(layout_classify(VERDICT_SAME, 1.0, &narrow, &a, 0.01), LAYOUT_SAME);
	assert_int_equal(layout_classify(VERDICT_UNRESOLVED, 1.0, &wide, &a, 0.01), LAYOUT_UNRESOLVED);
	assert_int_equal(layout_classify(VERDICT_SLOWER, 1.031, &none, &a, 0.01), LAYOUT_UNRESOLVED);
	assert_string_equal(layout_verdict_name(LAYOUT_ARTEFACT), "LAYOUT ARTEFACT");
	assert_string_equal(layout_verdict_name(LAYOUT_SLOWER), "REAL CHANGE (SLOWER)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_averaged_ratio),
		cmocka_unit_test(test_averaged_ratio_degenerate),
		cmocka_unit_test(test_variants_needed),
		cmocka_unit_test(test_classify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
