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

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <string.h>

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
	/*
	 * python3, the t quantile by Simpson integration of the t density and
	 * bisection: the least k with t(0.025, 2k-2) sqrt(0.02 / k) <= 0.03 is
	 * 87 (t = 1.97385 at 172 df; the normal approximation alone gives 86)
	 */
	assert_int_equal(layout_variants_needed(0.1, 0.1, 0.03, 0.05), 87);
	/* the same way: k = 9 at sd 1% a side, half-width 1% (t(16) = 2.11991) */
	assert_int_equal(layout_variants_needed(0.01, 0.01, 0.01, 0.05), 9);
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

	struct layout_ratio holds_one = { .lo = 0.97, .hi = 1.02 };

	(void)state;
	/* hand: [0.95, 1.06] holds 1 and 1.031 alike: it cannot tell */
	assert_int_equal(layout_classify(VERDICT_SLOWER, 1.031, &wide, &a, 0.01), LAYOUT_UNRESOLVED);
	/* hand: [0.97, 1.02] holds 1 but not 1.031 */
	assert_int_equal(layout_classify(VERDICT_SLOWER, 1.031, &holds_one, &a, 0.01), LAYOUT_ARTEFACT);
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

static void test_resolving_half_width(void **state)
{
	(void)state;
	/* python3: log(1.03) - log(1.01); log(1.01); log(1.3) - log(1.01) */
	assert_double_equal(layout_resolving_half_width(1.03, 0.01), 0.019608471388376337, 1e-12);
	assert_double_equal(layout_resolving_half_width(1.0, 0.01), 0.009950330853168092, 1e-12);
	assert_double_equal(layout_resolving_half_width(1.3, 0.01), 0.25241393361432296, 1e-12);
	/* python3: |log(1/1.03) - log(0.99)|; |log(0.97) - log(0.99)|: the
	 * lower edge is 1 - margin, not 1 / (1 + margin) */
	assert_double_equal(layout_resolving_half_width(1 / 1.03, 0.01), 0.01950846638804294, 1e-12);
	assert_double_equal(layout_resolving_half_width(0.97, 0.01), 0.020408871631207123, 1e-12);
	/* hand: on an edge nothing resolves */
	assert_double_equal(layout_resolving_half_width(1.01, 0.01), 0, 1e-12);
	assert_double_equal(layout_resolving_half_width(0.99, 0.01), 0, 1e-12);
	assert_double_equal(layout_resolving_half_width(NAN, 0.01), 0, 0);
}

/* A comparison of default builds as compare would report it. */
static struct comparison defaults_said(enum verdict v, double ratio)
{
	struct comparison c;

	memset(&c, 0, sizeof(c));
	c.verdict = v;
	c.ratio = ratio;
	c.alpha = 0.05;
	return c;
}

/* Twelve layouts: two at the ends of a 6% range, ten in the middle. */
static const double levels[12] = { 97, 103, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100 };
static double tight_runs[12][3];
static struct variant_runs tight[12];

static void make_tight(void)
{
	for (int i = 0; i < 12; i++) {
		tight_runs[i][0] = levels[i] - 0.5;
		tight_runs[i][1] = levels[i];
		tight_runs[i][2] = levels[i] + 0.5;
		tight[i].x = tight_runs[i];
		tight[i].n = 3;
	}
}

static void test_assess(void **state)
{
	struct layout_samples same = { tight, tight, 12, 12 };
	struct layout_samples slower = { side_a, side_b, 4, 4 };
	struct compare_options o;
	struct layout_assessment out;
	struct comparison def = defaults_said(VERDICT_SLOWER, 1.03);

	(void)state;
	make_tight();
	compare_options_init(&o);
	/* hand: identical layouts whose range (103/97 = 1.062) holds the
	 * default builds' 3%, and an interval on 12 of them that does not */
	assert_int_equal(layout_assess(&same, &def, &o, 2000, &out), 0);
	assert_int_equal(out.verdict, LAYOUT_ARTEFACT);
	assert_true(out.has_default);
	assert_double_equal(out.averaged.ratio, 1.0, 1e-12);
	/* what an artefact leaves open narrowed to the margin: half-width
	 * log(1.01) (python3: 0.009950330853168092) at the spreads measured */
	assert_double_equal(out.needed_for_ratio, 1.01, 1e-12);
	assert_int_equal(out.variants_needed,
			 layout_variants_needed(out.spread_a.sd_rel, out.spread_b.sd_rel,
						0.009950330853168092, 0.05));
	/* 4 layouts, each 3% slower, but layouts span 16%: not resolved */
	assert_int_equal(layout_assess(&slower, &def, &o, 2000, &out), 0);
	assert_int_equal(out.verdict, LAYOUT_UNRESOLVED);
	assert_double_equal(out.needed_for_ratio, 1.03, 1e-12);
	assert_true(out.variants_needed > 4);
	/* no default builds: the layouts alone decide */
	assert_int_equal(layout_assess(&same, NULL, &o, 2000, &out), 0);
	assert_false(out.has_default);
	assert_int_equal(out.verdict, LAYOUT_UNRESOLVED);
}

/*
 * Two-level samples with known components: variant levels lognormal with
 * sd between, runs around each with sd within (both on the log scale).
 */
static void simulate_side(gsl_rng *r, double scale, double between, double within,
			  size_t k, size_t runs, double *store, struct variant_runs *v)
{
	for (size_t i = 0; i < k; i++) {
		double level = scale * exp(gsl_ran_gaussian(r, between));

		for (size_t j = 0; j < runs; j++)
			store[i * runs + j] = level * exp(gsl_ran_gaussian(r, within));
		v[i].x = store + i * runs;
		v[i].n = runs;
	}
}

static void test_known_components(void **state)
{
	enum { K = 40, RUNS = 15, SMALL_K = 8, TRIALS = 100 };
	static double xa[K * RUNS], xb[K * RUNS];
	struct variant_runs va[K], vb[K];
	struct layout_spread s;
	struct layout_ratio lr;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	unsigned covered = 0;

	(void)state;
	gsl_rng_set(r, 20261130);
	/* 5% between layouts, 1% within: the spread sees the 5% (sd of 40
	 * draws: relative standard error about 11%) */
	simulate_side(r, 100, 0.05, 0.01, K, RUNS, xa, va);
	assert_int_equal(layout_spread(va, K, &s), 0);
	assert_in_range((long)(s.sd_rel * 1000), 38, 62);
	/* B 10% slower in every layout, independent layouts: a real change */
	simulate_side(r, 110, 0.05, 0.01, K, RUNS, xb, vb);
	assert_int_equal(layout_averaged_ratio(va, K, vb, K, 0.05, 2000, 1, &lr), 0);
	assert_true(lr.lo > 1.01);
	assert_true(lr.lo < 1.10 && 1.10 < lr.hi);
	/* A/A with 8 layouts a side: the 95% interval holds 1 in about 95 of
	 * 100 trials (binomial: 88 or more with probability 0.9999) */
	for (int t = 0; t < TRIALS; t++) {
		simulate_side(r, 100, 0.05, 0.01, SMALL_K, RUNS, xa, va);
		simulate_side(r, 100, 0.05, 0.01, SMALL_K, RUNS, xb, vb);
		assert_int_equal(layout_averaged_ratio(va, SMALL_K, vb, SMALL_K, 0.05, 500,
						       (uint64_t)t, &lr), 0);
		covered += lr.lo <= 1 && 1 <= lr.hi;
	}
	assert_in_range(covered, 88, TRIALS);
	gsl_rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_averaged_ratio),
		cmocka_unit_test(test_averaged_ratio_degenerate),
		cmocka_unit_test(test_variants_needed),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_resolving_half_width),
		cmocka_unit_test(test_assess),
		cmocka_unit_test(test_known_components),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
