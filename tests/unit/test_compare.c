/*
 * Unit tests for compare.c. Expected values were computed independently of
 * the code under test, with python3's standard library only; the comment
 * next to each says how:
 *  - "welch:" t and df from statistics.mean/variance of math.log values,
 *    df by the Welch-Satterthwaite formula written out by hand;
 *  - "t cdf:" the two-sided p = I_{df/(df+t^2)}(df/2, 1/2), the regularized
 *    incomplete beta evaluated by its continued fraction (modified Lentz,
 *    with math.lgamma for the prefactor), and cross-checked against a
 *    composite Simpson integration (200000 panels) of the Student t density
 *    over [|t|, inf) after the substitution x = |t| + u/(1-u); the two
 *    agree to 1e-15 relative on every value used here;
 *  - "mwu:" U by brute-force counting of all pairs (b > a, ties 0.5), tie
 *    groups with collections.Counter, p = math.erfc(z / sqrt(2)) with
 *    z = (|U - nanb/2| - 0.5) / sqrt(var) (samples with ties);
 *  - "mwu exact:" samples without ties, p = min(1, 2 min(P(U <= u),
 *    P(U >= u))) as R's wilcox.test, P from the null distribution of U
 *    found two ways in python3, both exact in integers and neither
 *    steady's recurrence: enumerating every placement of the A ranks
 *    (itertools.combinations, up to 10 + 12 values), and the
 *    coefficients of the Gaussian binomial prod (1 - q^(n+i)) / (1 - q^i)
 *    (every size); they agree wherever both were run;
 *  - "hl:" statistics.median of every log(b_j) - log(a_i), or of every Walsh
 *    average (d_i + d_j) / 2, i <= j, then math.exp;
 *  - "hand:" arithmetic done on paper.
 * The bootstrap interval depends on the random stream, so its tests check
 * properties that hold for any correct BCa interval rather than digits:
 * determinism, exact closed forms for degenerate data, coverage, scaling.
 * Every random sample here comes from fixed seeds, so no test can flake.
 */
#include "unit_fixture.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "analyse/compare.h"
#include "measure/benchmark.h"

#define EPS 1e-12

/* Relative tolerance, for p-values that span many orders of magnitude. */
#define assert_double_close(a, b, rel) \
	assert_double_equal((a), (b), fabs(b) * (rel))

/* Two independent samples, no ties, B about 12% slower. */
static const double a8[] = { 1.02, 0.98, 1.10, 1.05, 0.97, 1.01, 1.20, 0.99 };
static const double b9[] = {
	1.15, 1.08, 1.22, 1.11, 1.30, 1.09, 1.12, 1.18, 1.25
};
/* Ten interleaved pairs: large spread between pairs, B ~2.6% slower in each. */
static const double pa10[] = {
	0.512, 0.498, 0.530, 0.601, 0.587, 0.545, 0.502, 0.611, 0.575, 0.520
};
static const double pb10[] = {
	0.530, 0.505, 0.541, 0.622, 0.590, 0.566, 0.514, 0.630, 0.598, 0.529
};
/* Many ties, within and across the samples. */
static const double ta8[] = { 1, 2, 2, 3, 3, 3, 4, 5 };
static const double tb9[] = { 2, 3, 3, 4, 4, 5, 6, 6, 7 };

/* n lognormal(mu = log(scale), sigma) values from seed. */
static void lognormal_sample(double *x, size_t n, double scale, double sigma,
			     unsigned long seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	gsl_rng_set(r, seed);
	for (size_t i = 0; i < n; i++)
		x[i] = scale * gsl_ran_lognormal(r, 0, sigma);
	gsl_rng_free(r);
}

static void test_verdict_name(void **state)
{
	(void)state;
	assert_string_equal(verdict_name(VERDICT_UNRESOLVED), "UNRESOLVED");
	assert_string_equal(verdict_name(VERDICT_SAME), "SAME");
	assert_string_equal(verdict_name(VERDICT_SLOWER), "SLOWER");
	assert_string_equal(verdict_name(VERDICT_FASTER), "FASTER");
	assert_non_null(verdict_name((enum verdict)42));
}

static void test_verdict_from_ci(void **state)
{
	(void)state;
	/* hand: the rules of compare.h, margin 1% */
	assert_int_equal(verdict_from_ci(1.02, 1.05, 0.01), VERDICT_SLOWER);
	assert_int_equal(verdict_from_ci(0.90, 0.98, 0.01), VERDICT_FASTER);
	assert_int_equal(verdict_from_ci(0.995, 1.005, 0.01), VERDICT_SAME);
	assert_int_equal(verdict_from_ci(0.99, 1.01, 0.01), VERDICT_SAME);
	assert_int_equal(verdict_from_ci(1.0, 1.0, 0.0), VERDICT_SAME);
	/* straddling a margin edge, or wider than the whole band */
	assert_int_equal(verdict_from_ci(1.005, 1.05, 0.01), VERDICT_UNRESOLVED);
	assert_int_equal(verdict_from_ci(0.95, 0.995, 0.01), VERDICT_UNRESOLVED);
	assert_int_equal(verdict_from_ci(0.95, 1.05, 0.01), VERDICT_UNRESOLVED);
	/* on the edge is not beyond it (1.25 and 0.75 are exact in binary) */
	assert_int_equal(verdict_from_ci(1.25, 1.5, 0.25), VERDICT_UNRESOLVED);
	assert_int_equal(verdict_from_ci(0.5, 0.75, 0.25), VERDICT_UNRESOLVED);
	assert_int_equal(verdict_from_ci(0.75, 1.25, 0.25), VERDICT_SAME);
	/* no interval, no verdict */
	assert_int_equal(verdict_from_ci(NAN, NAN, 0.01), VERDICT_UNRESOLVED);
	assert_int_equal(verdict_from_ci(NAN, 0.5, 0.01), VERDICT_UNRESOLVED);
	assert_int_equal(verdict_from_ci(1.5, NAN, 0.01), VERDICT_UNRESOLVED);
	assert_int_equal(verdict_from_ci(1.0, 1.0, NAN), VERDICT_UNRESOLVED);
}

static void test_look_alpha(void **state)
{
	double sum = 0;

	(void)state;
	/* hand: 0.05 / 2, / 4, / 8 */
	assert_double_equal(compare_look_alpha(0.05, 1), 0.025, 0);
	assert_double_equal(compare_look_alpha(0.05, 2), 0.0125, 0);
	assert_double_equal(compare_look_alpha(0.05, 3), 0.00625, 0);
	/* hand: a geometric series, sum alpha (1 - 2^-60) */
	for (unsigned k = 1; k <= 60; k++)
		sum += compare_look_alpha(0.05, k);
	assert_double_equal(sum, 0.05, 1e-15);
	assert_true(sum <= 0.05);
	assert_double_equal(compare_look_alpha(0.05, 100000), 0, 0);
	assert_nan(compare_look_alpha(0.05, 0));
}

static void test_options_init(void **state)
{
	struct compare_options o;

	(void)state;
	memset(&o, 0xff, sizeof(o));
	compare_options_init(&o);
	assert_double_equal(o.alpha, 0.05, 0);
	assert_double_equal(o.margin, 0.01, 0);
	assert_int_equal(o.resamples, 10000);
	assert_int_equal(o.seed, 1);
	assert_int_equal(o.paired, 0);
}

static void test_welch_independent(void **state)
{
	double t, df, p;

	(void)state;
	assert_int_equal(compare_welch_log(a8, 8, b9, 9, 0, &t, &df, &p), 0);
	/* welch: t = 3.4727376311936293, df = 14.285303634202851 */
	assert_double_equal(t, 3.4727376311936293, 1e-12);
	assert_double_equal(df, 14.285303634202851, 1e-10);
	/* t cdf: 0.003633640926590216 */
	assert_double_close(p, 0.003633640926590216, 1e-9);

	/* welch: swapping the sides flips t, nothing else */
	assert_int_equal(compare_welch_log(b9, 9, a8, 8, 0, &t, &df, &p), 0);
	assert_double_equal(t, -3.4727376311936293, 1e-12);
	assert_double_equal(df, 14.285303634202851, 1e-10);
	assert_double_close(p, 0.003633640926590216, 1e-9);

	/* welch: t = 2.085492049121751, df = 13.613901598980322 */
	assert_int_equal(compare_welch_log(ta8, 8, tb9, 9, 0, &t, &df, &p), 0);
	assert_double_equal(t, 2.085492049121751, 1e-12);
	assert_double_equal(df, 13.613901598980322, 1e-10);
	/* t cdf: 0.056358733025171213 */
	assert_double_close(p, 0.056358733025171213, 1e-9);

	/* hand: identical samples, t = 0, p = 1 */
	assert_int_equal(compare_welch_log(a8, 8, a8, 8, 0, &t, &df, &p), 0);
	assert_double_equal(t, 0, 0);
	assert_double_equal(p, 1, 1e-12);
}

static void test_welch_paired(void **state)
{
	double t, df, p;

	(void)state;
	assert_int_equal(compare_welch_log(pa10, 10, pb10, 10, 1, &t, &df, &p), 0);
	/* welch (one-sample t on d_i): t = 7.117059174409626, df = 9 */
	assert_double_equal(t, 7.117059174409626, 1e-11);
	assert_double_equal(df, 9, 0);
	/* t cdf: 5.5623526015771406e-05 */
	assert_double_close(p, 5.5623526015771406e-05, 1e-8);
}

static void test_welch_undefined(void **state)
{
	static const double same[] = { 2, 2, 2 };
	static const double zero[] = { 1, 0, 2 };
	static const double neg[] = { 1, -1, 2 };
	static const double inf[] = { 1, INFINITY, 2 };
	double t, df, p;

	(void)state;
	/* n < 2 on either side */
	assert_int_equal(compare_welch_log(a8, 1, b9, 9, 0, &t, &df, &p), -1);
	assert_nan(t);
	assert_nan(df);
	assert_nan(p);
	assert_int_equal(compare_welch_log(a8, 8, b9, 1, 0, &t, &df, &p), -1);
	assert_int_equal(compare_welch_log(NULL, 0, NULL, 0, 0, &t, &df, &p), -1);
	/* zero variance on both sides; one constant side is fine */
	assert_int_equal(compare_welch_log(same, 3, same, 3, 0, &t, &df, &p), -1);
	assert_nan(t);
	assert_int_equal(compare_welch_log(same, 3, b9, 9, 0, &t, &df, &p), 0);
	/* welch: one constant side leaves df = nb - 1 = 8 */
	assert_double_equal(df, 8, 1e-12);
	/* paired: constant ratio, so every d_i is the same */
	assert_int_equal(compare_welch_log(same, 3, same, 3, 1, &t, &df, &p), -1);
	/* paired needs pairs */
	assert_int_equal(compare_welch_log(a8, 8, b9, 9, 1, &t, &df, &p), -1);
	assert_nan(p);
	/* no logarithm */
	assert_int_equal(compare_welch_log(zero, 3, b9, 9, 0, &t, &df, &p), -1);
	assert_int_equal(compare_welch_log(a8, 3, neg, 3, 1, &t, &df, &p), -1);
	assert_int_equal(compare_welch_log(inf, 3, b9, 9, 0, &t, &df, &p), -1);
	assert_nan(t);
}

static void test_mann_whitney(void **state)
{
	double u, p;

	(void)state;
	/*
	 * mwu exact: U = 64 of 72 pairs, no ties: p = 2 * 335 / 24310 =
	 * 67/12155 = 0.00551213492389963 (R: 2 * pwilcox(8, 8, 9)); the
	 * normal approximation said 0.008140438415678013
	 */
	assert_int_equal(compare_mann_whitney(a8, 8, b9, 9, &u, &p), 0);
	assert_double_equal(u, 64, 0);
	assert_double_close(p, 0.00551213492389963, 1e-12);
	/* mwu: with ties (the normal approximation stays) U = 55.5, p = 0.062484795672341185 */
	assert_int_equal(compare_mann_whitney(ta8, 8, tb9, 9, &u, &p), 0);
	assert_double_equal(u, 55.5, 0);
	assert_double_close(p, 0.062484795672341185, 1e-9);
	/* mwu: the other way round U = 72 - 55.5 = 16.5, same p */
	assert_int_equal(compare_mann_whitney(tb9, 9, ta8, 8, &u, &p), 0);
	assert_double_equal(u, 16.5, 0);
	assert_double_close(p, 0.062484795672341185, 1e-9);
	/* mwu: 0.530 in both samples, a tie: U = 60.5, p = 0.449521325767026 */
	assert_int_equal(compare_mann_whitney(pa10, 10, pb10, 10, &u, &p), 0);
	assert_double_equal(u, 60.5, 0);
	assert_double_close(p, 0.449521325767026, 1e-9);
}

static void test_mann_whitney_edges(void **state)
{
	static const double two[] = { 2.0 }, three[] = { 3.0 };
	static const double same[] = { 4, 4, 4 };
	static const double with_nan[] = { 1, NAN };
	double u, p;

	(void)state;
	assert_int_equal(compare_mann_whitney(a8, 0, b9, 9, &u, &p), -1);
	assert_nan(u);
	assert_nan(p);
	assert_int_equal(compare_mann_whitney(a8, 8, b9, 0, &u, &p), -1);
	assert_int_equal(compare_mann_whitney(with_nan, 2, b9, 9, &u, &p), -1);
	/* hand: one value each, U is 0 or 1 with 1/2 each: p = min(1, 2 * 1/2) = 1 */
	assert_int_equal(compare_mann_whitney(two, 1, three, 1, &u, &p), 0);
	assert_double_equal(u, 1, 0);
	assert_double_equal(p, 1, 0);
	assert_int_equal(compare_mann_whitney(three, 1, two, 1, &u, &p), 0);
	assert_double_equal(u, 0, 0);
	assert_double_equal(p, 1, 0);
	/* hand: all six values tied, variance 0, U = 9 * 0.5, p = 1 */
	assert_int_equal(compare_mann_whitney(same, 3, same, 3, &u, &p), 0);
	assert_double_equal(u, 4.5, 0);
	assert_double_equal(p, 1, 0);
}

/* A at ranks 1..na, B at ranks s + j + 1/2 (j < nb): no ties, U = sum of min(s + j, na). */
static void ranked(double *a, size_t na, double *b, size_t nb, size_t s)
{
	for (size_t i = 0; i < na; i++)
		a[i] = (double)(i + 1);
	for (size_t j = 0; j < nb; j++)
		b[j] = (double)(s + j) + 0.5;
}

static void test_mann_whitney_exact(void **state)
{
	/* A at ranks 1 9 10 13 16 17 18 19 20 22 of 22, B at the others */
	static const double a10[] = { 1, 9, 10, 13, 16, 17, 18, 19, 20, 22 };
	static const double b12[] = { 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 21 };
	static const double two_a[] = { 1, 2 }, two_b[] = { 3, 4 };
	static const double three_a[] = { 1, 2, 5 }, four_b[] = { 3, 4, 6, 7 };
	double a[50], b[50], u, p;

	(void)state;
	/*
	 * hand: 2 + 2 values have 6 arrangements, U = 0..4 with counts
	 * 1 1 2 1 1; every B above every A: U = 4, p = 2 * 1/6 = 1/3
	 */
	assert_int_equal(compare_mann_whitney(two_a, 2, two_b, 2, &u, &p), 0);
	assert_double_equal(u, 4, 0);
	assert_double_close(p, 1.0 / 3, 1e-15);
	/* hand: and the other way round, U = 0: the same p */
	assert_int_equal(compare_mann_whitney(two_b, 2, two_a, 2, &u, &p), 0);
	assert_double_equal(u, 0, 0);
	assert_double_close(p, 1.0 / 3, 1e-15);
	/* mwu exact: 3 + 4, U = 10 (5 beats 3 and 4), p = 8/35 */
	assert_int_equal(compare_mann_whitney(three_a, 3, four_b, 4, &u, &p), 0);
	assert_double_equal(u, 10, 0);
	assert_double_close(p, 8.0 / 35, 1e-14);
	/* mwu exact: 10 + 12, U = 30, p = 16271/323323 = 0.05032428871438159 */
	assert_int_equal(compare_mann_whitney(a10, 10, b12, 12, &u, &p), 0);
	assert_double_equal(u, 30, 0);
	assert_double_close(p, 0.05032428871438159, 1e-12);
	/* mwu exact (Gaussian binomial): 50 + 50, U = 1275, p = 0.8664717523984099 */
	ranked(a, 50, b, 50, 1);
	assert_int_equal(compare_mann_whitney(a, 50, b, 50, &u, &p), 0);
	assert_double_equal(u, 1275, 0);
	assert_double_close(p, 0.8664717523984099, 1e-12);
	/* mwu exact (Gaussian binomial): 50 + 50, U = 1597, p = 0.016450137297190092 */
	ranked(a, 50, b, 50, 8);
	assert_int_equal(compare_mann_whitney(a, 50, b, 50, &u, &p), 0);
	assert_double_equal(u, 1597, 0);
	assert_double_close(p, 0.016450137297190092, 1e-12);
	/* mwu exact (Gaussian binomial): 50 + 30, U = 1035, p = 0.0042592631055326565 */
	ranked(a, 50, b, 30, 20);
	assert_int_equal(compare_mann_whitney(a, 50, b, 30, &u, &p), 0);
	assert_double_equal(u, 1035, 0);
	assert_double_close(p, 0.0042592631055326565, 1e-12);
	/* the exact p is symmetric in the sides */
	assert_int_equal(compare_mann_whitney(b, 30, a, 50, &u, &p), 0);
	assert_double_equal(u, 1500 - 1035, 0);
	assert_double_close(p, 0.0042592631055326565, 1e-12);
}

/* The Hodges–Lehmann estimate as compare computes it (estimators.c). */
static double compare_hodges_lehmann(const double *a, size_t na, const double *b,
				     size_t nb, int paired)
{
	struct ratio_estimate r;

	estimate_ratio(ESTIMATOR_HL, a, na, b, nb, paired, 0.05, &r);
	return r.ratio;
}

static void test_hodges_lehmann(void **state)
{
	static const double one[] = { 2.0 }, two[] = { 3.0 };

	(void)state;
	/* hl: 72 differences, median 1.1237604309355598 */
	assert_double_equal(compare_hodges_lehmann(a8, 8, b9, 9, 0),
			    1.1237604309355598, EPS);
	/* hl: 72 differences with ties, 1.5000000000000002 */
	assert_double_equal(compare_hodges_lehmann(ta8, 8, tb9, 9, 0),
			    1.5000000000000002, EPS);
	/* hl: a sample against most of itself, 1.0 */
	assert_double_equal(compare_hodges_lehmann(a8, 8, a8, 7, 0), 1.0, EPS);
	/* hl: 55 Walsh averages, 1.0262211998378552 */
	assert_double_equal(compare_hodges_lehmann(pa10, 10, pb10, 10, 1),
			    1.0262211998378552, EPS);
	/* hl: 36 Walsh averages with ties, 1.4953487812212205 */
	assert_double_equal(compare_hodges_lehmann(ta8, 8, tb9, 8, 1),
			    1.4953487812212205, EPS);
	/* hand: one difference, one Walsh average: both 3/2 */
	assert_double_equal(compare_hodges_lehmann(one, 1, two, 1, 0), 1.5, EPS);
	assert_double_equal(compare_hodges_lehmann(one, 1, two, 1, 1), 1.5, EPS);
}

/* Larger samples from integer formulas python3 reproduces bit for bit. */
static void test_hodges_lehmann_large(void **state)
{
	double sa[300], sb[251], sp[300];
	size_t i;

	(void)state;
	for (i = 0; i < 300; i++) {
		sa[i] = 1 + ((i * 7919) % 1009) / 1009.0;
		sp[i] = 1.05 + ((i * 31) % 17) / 17.0;
	}
	/* only 50 distinct values: many tied differences */
	for (i = 0; i < 251; i++)
		sb[i] = 1.1 + ((i * 104729) % 50) / 50.0 * 1.3;
	/* hl: 75300 differences, 1.1558576603799218 */
	assert_double_equal(compare_hodges_lehmann(sa, 300, sb, 251, 0),
			    1.1558576603799218, EPS);
	/* hl: 45150 Walsh averages, 1.0112391280778243 */
	assert_double_equal(compare_hodges_lehmann(sa, 300, sp, 300, 1),
			    1.0112391280778243, EPS);
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/* Brute force: every pairwise value in an array, sorted, middle taken. */
static double brute_hl(const double *a, size_t na, const double *b, size_t nb,
		       int paired)
{
	size_t n = paired ? na * (na + 1) / 2 : na * nb, k = 0;
	double *v = malloc(n * sizeof(*v)), m;

	assert_non_null(v);
	for (size_t i = 0; i < na; i++) {
		if (paired) {
			double di = log(b[i]) - log(a[i]);

			for (size_t j = i; j < na; j++)
				v[k++] = (di + (log(b[j]) - log(a[j]))) / 2;
		} else {
			for (size_t j = 0; j < nb; j++)
				v[k++] = log(b[j]) - log(a[i]);
		}
	}
	qsort(v, n, sizeof(*v), cmp_double);
	m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	free(v);
	return exp(m);
}

/*
 * The selection algorithm against brute force on many shapes: sizes 1 to
 * 40, continuous values and heavily rounded ones (ties everywhere).
 */
static void test_hodges_lehmann_brute(void **state)
{
	double a[40], b[40];
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	(void)state;
	gsl_rng_set(r, 7);
	for (size_t na = 1; na <= 40; na += 3) {
		for (size_t nb = 1; nb <= 40; nb += 7) {
			int rounded = (na + nb) % 2;

			for (size_t i = 0; i < 40; i++) {
				a[i] = gsl_ran_lognormal(r, 0, 0.3);
				b[i] = gsl_ran_lognormal(r, 0.1, 0.3);
				if (rounded) {
					a[i] = 0.1 + round(a[i] * 4) / 4;
					b[i] = 0.1 + round(b[i] * 4) / 4;
				}
			}
			assert_double_equal(compare_hodges_lehmann(a, na, b, nb, 0),
					    brute_hl(a, na, b, nb, 0), 0);
			assert_double_equal(compare_hodges_lehmann(a, na, b, na, 1),
					    brute_hl(a, na, b, na, 1), 0);
		}
	}
	gsl_rng_free(r);
}

static void test_hodges_lehmann_undefined(void **state)
{
	static const double zero[] = { 1, 0 }, neg[] = { 1, -2 };

	(void)state;
	assert_nan(compare_hodges_lehmann(a8, 0, b9, 9, 0));
	assert_nan(compare_hodges_lehmann(a8, 8, b9, 0, 0));
	assert_nan(compare_hodges_lehmann(a8, 0, b9, 0, 1));
	assert_nan(compare_hodges_lehmann(a8, 8, b9, 9, 1));
	assert_nan(compare_hodges_lehmann(zero, 2, b9, 9, 0));
	assert_nan(compare_hodges_lehmann(a8, 2, neg, 2, 1));
}

static void test_bca_invalid(void **state)
{
	static const double zeros[] = { 0, 0, 0 }, neg[] = { -1, -2, 1 };
	static const double with_nan[] = { 1, NAN, 2 };
	double lo, hi;

	(void)state;
	/* n < 2 */
	assert_int_equal(compare_bca_ratio(a8, 1, b9, 9, 0, 0.05, 100, 1, &lo, &hi), -1);
	assert_nan(lo);
	assert_nan(hi);
	assert_int_equal(compare_bca_ratio(a8, 8, b9, 1, 0, 0.05, 100, 1, &lo, &hi), -1);
	assert_int_equal(compare_bca_ratio(a8, 1, b9, 1, 1, 0.05, 100, 1, &lo, &hi), -1);
	assert_int_equal(compare_bca_ratio(NULL, 0, NULL, 0, 0, 0.05, 100, 1, &lo, &hi), -1);
	/* a mean that is not positive, on either side */
	assert_int_equal(compare_bca_ratio(zeros, 3, b9, 9, 0, 0.05, 100, 1, &lo, &hi), -1);
	assert_nan(lo);
	assert_int_equal(compare_bca_ratio(a8, 8, zeros, 3, 0, 0.05, 100, 1, &lo, &hi), -1);
	assert_int_equal(compare_bca_ratio(neg, 3, a8, 3, 1, 0.05, 100, 1, &lo, &hi), -1);
	assert_int_equal(compare_bca_ratio(with_nan, 3, b9, 9, 0, 0.05, 100, 1, &lo, &hi), -1);
	/* paired samples of different sizes */
	assert_int_equal(compare_bca_ratio(a8, 8, b9, 9, 1, 0.05, 100, 1, &lo, &hi), -1);
	/* no level, no resamples */
	assert_int_equal(compare_bca_ratio(a8, 8, b9, 9, 0, 0, 100, 1, &lo, &hi), -1);
	assert_int_equal(compare_bca_ratio(a8, 8, b9, 9, 0, 1, 100, 1, &lo, &hi), -1);
	assert_int_equal(compare_bca_ratio(a8, 8, b9, 9, 0, NAN, 100, 1, &lo, &hi), -1);
	assert_int_equal(compare_bca_ratio(a8, 8, b9, 9, 0, 0.05, 0, 1, &lo, &hi), -1);
	assert_nan(hi);
}

static void test_bca_deterministic(void **state)
{
	double lo1, hi1, lo2, hi2, lo3, hi3;

	(void)state;
	for (int paired = 0; paired <= 1; paired++) {
		size_t nb = paired ? 8 : 9;

		assert_int_equal(compare_bca_ratio(a8, 8, b9, nb, paired, 0.05,
						   2000, 42, &lo1, &hi1), 0);
		assert_int_equal(compare_bca_ratio(a8, 8, b9, nb, paired, 0.05,
						   2000, 42, &lo2, &hi2), 0);
		/* same data, same seed: the very same interval */
		assert_memory_equal(&lo1, &lo2, sizeof(lo1));
		assert_memory_equal(&hi1, &hi2, sizeof(hi1));
		/* another seed reads the data differently */
		assert_int_equal(compare_bca_ratio(a8, 8, b9, nb, paired, 0.05,
						   2000, 43, &lo3, &hi3), 0);
		assert_true(lo3 != lo1 || hi3 != hi1);
		/* and the high 32 bits of the seed count too */
		assert_int_equal(compare_bca_ratio(a8, 8, b9, nb, paired, 0.05,
						   2000, 42 + (UINT64_C(1) << 40),
						   &lo3, &hi3), 0);
		assert_true(lo3 != lo1 || hi3 != hi1);
		assert_true(lo1 < hi1);
	}
}

static void test_bca_closed_forms(void **state)
{
	static const double twos[] = { 2, 2, 2, 2, 2 };
	static const double threes[] = { 3, 3, 3, 3, 3, 3 };
	double a[50], b[50], lo, hi, lo2, hi2;
	size_t i;

	(void)state;
	/* hand: constant samples, every resample gives exactly 3/2 */
	assert_int_equal(compare_bca_ratio(twos, 5, threes, 6, 0, 0.05, 500, 1,
					   &lo, &hi), 0);
	assert_double_equal(lo, 1.5, 0);
	assert_double_equal(hi, 1.5, 0);
	assert_int_equal(compare_bca_ratio(twos, 5, threes, 5, 1, 0.05, 500, 1,
					   &lo, &hi), 0);
	assert_double_equal(lo, 1.5, 0);
	assert_double_equal(hi, 1.5, 0);

	/* hand: b = 1.1 a pair by pair, so every paired resample gives 1.1
	 * (up to rounding in the sums) and the interval collapses onto it */
	lognormal_sample(a, 50, 1, 0.5, 3);
	for (i = 0; i < 50; i++)
		b[i] = 1.1 * a[i];
	assert_int_equal(compare_bca_ratio(a, 50, b, 50, 1, 0.05, 2000, 1,
					   &lo, &hi), 0);
	assert_double_equal(lo, 1.1, 1e-13);
	assert_double_equal(hi, 1.1, 1e-13);

	/* hand: doubling B doubles each resampled ratio exactly, and scaling
	 * both sides by 4 changes none: the interval follows (only pow()
	 * rounding in the acceleration may move it in the last bits) */
	lognormal_sample(b, 50, 1.2, 0.5, 4);
	for (int paired = 0; paired <= 1; paired++) {
		double a4[50], b2[50], b4[50];

		for (i = 0; i < 50; i++) {
			a4[i] = 4 * a[i];
			b2[i] = 2 * b[i];
			b4[i] = 4 * b[i];
		}
		assert_int_equal(compare_bca_ratio(a, 50, b, 50, paired, 0.05,
						   2000, 9, &lo, &hi), 0);
		assert_int_equal(compare_bca_ratio(a, 50, b2, 50, paired, 0.05,
						   2000, 9, &lo2, &hi2), 0);
		assert_double_equal(lo2, 2 * lo, 1e-12);
		assert_double_equal(hi2, 2 * hi, 1e-12);
		assert_int_equal(compare_bca_ratio(a4, 50, b4, 50, paired, 0.05,
						   2000, 9, &lo2, &hi2), 0);
		assert_double_equal(lo2, lo, 1e-12);
		assert_double_equal(hi2, hi, 1e-12);
	}
}

/* B 1.25 times slower in distribution: the interval must see it. */
static void test_bca_shift(void **state)
{
	double a[100], b[100], lo, hi;

	(void)state;
	lognormal_sample(a, 100, 1, 0.2, 11);
	lognormal_sample(b, 100, 1.25, 0.2, 12);
	assert_int_equal(compare_bca_ratio(a, 100, b, 100, 0, 0.05, 2000, 1,
					   &lo, &hi), 0);
	assert_true(lo < 1.25 && 1.25 < hi);
	assert_true(lo > 1.1);
	/* a 99% interval holds the 95% one */
	{
		double lo99, hi99;

		assert_int_equal(compare_bca_ratio(a, 100, b, 100, 0, 0.01, 2000,
						   1, &lo99, &hi99), 0);
		assert_true(lo99 < lo && hi < hi99);
	}
}

static void test_bca_width_shrinks(void **state)
{
	double a[1600], b[1600], lo_s, hi_s, lo_l, hi_l;

	(void)state;
	lognormal_sample(a, 1600, 1, 0.3, 21);
	lognormal_sample(b, 1600, 1.1, 0.3, 22);
	assert_int_equal(compare_bca_ratio(a, 25, b, 25, 0, 0.05, 2000, 1,
					   &lo_s, &hi_s), 0);
	assert_int_equal(compare_bca_ratio(a, 1600, b, 1600, 0, 0.05, 2000, 1,
					   &lo_l, &hi_l), 0);
	/* the width goes as 1/sqrt(n): 8 times narrower; ask for 4 */
	assert_true(hi_l - lo_l < (hi_s - lo_s) / 4);
	assert_true(lo_l < 1.1 && 1.1 < hi_l);
}

/* Over 65536 runs indices need all 32 bits of a draw: the other path. */
static void test_bca_many_runs(void **state)
{
	enum { N = 70000 };
	static double a[N], b[N];
	double lo, hi, ratio, sa = 0, sb = 0;

	(void)state;
	lognormal_sample(a, N, 1, 0.2, 41);
	lognormal_sample(b, N, 1.05, 0.2, 42);
	for (size_t i = 0; i < N; i++) {
		sa += a[i];
		sb += b[i];
	}
	ratio = sb / sa;
	/* few resamples keep this quick; the interval is coarse, not wrong */
	assert_int_equal(compare_bca_ratio(a, N, b, N, 0, 0.05, 40, 1,
					   &lo, &hi), 0);
	assert_true(lo < ratio && ratio < hi);
	/* hand: standard error 1.05 * 0.2 * sqrt(2 / N) = 0.11% */
	assert_true(lo > 1.04 && hi < 1.06);
	for (size_t i = 0; i < N; i++)
		b[i] = 1.1 * a[i];
	assert_int_equal(compare_bca_ratio(a, N, b, N, 1, 0.05, 40, 1,
					   &lo, &hi), 0);
	assert_double_equal(lo, 1.1, 1e-12);
	assert_double_equal(hi, 1.1, 1e-12);
}

/*
 * The machine drifts: pair i runs at speed factor drift_i (1 to 3) for
 * both sides, plus 1% noise of its own. Pairing cancels the drift, the
 * independent design must carry it.
 */
static void test_bca_paired_drift(void **state)
{
	double a[60], b[60], lo_p, hi_p, lo_i, hi_i;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	(void)state;
	gsl_rng_set(r, 5);
	for (size_t i = 0; i < 60; i++) {
		double drift = 1 + 2 * gsl_rng_uniform(r);

		a[i] = drift * (1 + gsl_ran_gaussian(r, 0.01));
		b[i] = 1.2 * drift * (1 + gsl_ran_gaussian(r, 0.01));
	}
	gsl_rng_free(r);
	assert_int_equal(compare_bca_ratio(a, 60, b, 60, 1, 0.05, 2000, 1,
					   &lo_p, &hi_p), 0);
	assert_int_equal(compare_bca_ratio(a, 60, b, 60, 0, 0.05, 2000, 1,
					   &lo_i, &hi_i), 0);
	/* the paired interval is ~0.8% wide (standard error ~0.2%): a 95%
	 * interval may miss 1.2 by a little (this one ends 0.01% short of
	 * it), but not by 10 standard errors */
	assert_true(lo_p > 1.18 && hi_p < 1.22);
	assert_true(lo_i < 1.2 && 1.2 < hi_i);
	/* hand: noise 1% against spread ~30%: far narrower, ask for 5x */
	assert_true(hi_p - lo_p < (hi_i - lo_i) / 5);
}

/*
 * For large n the bootstrap distribution of the ratio is close to normal,
 * so BCa approaches the delta-method interval
 * R +- z sqrt(var_a / (na mean_a^2) + var_b / (nb mean_b^2)) R.
 */
static void test_bca_large_n(void **state)
{
	enum { N = 2000 };
	static double a[N], b[N];
	double ma = 0, mb = 0, va = 0, vb = 0, r, se, lo, hi;
	size_t i;

	(void)state;
	lognormal_sample(a, N, 1, 0.2, 31);
	lognormal_sample(b, N, 1.05, 0.2, 32);
	for (i = 0; i < N; i++) {
		ma += a[i] / N;
		mb += b[i] / N;
	}
	for (i = 0; i < N; i++) {
		va += (a[i] - ma) * (a[i] - ma) / (N - 1);
		vb += (b[i] - mb) * (b[i] - mb) / (N - 1);
	}
	r = mb / ma;
	se = r * sqrt(va / (N * ma * ma) + vb / (N * mb * mb));
	assert_int_equal(compare_bca_ratio(a, N, b, N, 0, 0.05, 4000, 1,
					   &lo, &hi), 0);
	/* 1.959964 = z(0.975); Monte Carlo error with 4000 resamples is a
	 * few percent of the width, so allow 10% */
	assert_double_equal(hi - lo, 2 * 1.959964 * se, 0.1 * 2 * 1.959964 * se);
	assert_double_equal((lo + hi) / 2, r, 0.1 * se);
}

/*
 * Skewed data (lognormal, sigma 1, B depending on A), where bias
 * correction and acceleration move the ends well away from the plain
 * percentile interval. bca.py: BCa written out in python3 from Efron's
 * formulas, random.Random(2024) with 200000 resamples, Phi and its inverse
 * from statistics.NormalDist, the same jackknife acceleration. It gives
 * independent [1.4613725, 5.1818692] (z0 0.0397, a 0.0352) and paired
 * [1.7474968, 3.6924725] (z0 0.0177, a 0.0181), while the percentile
 * intervals are [1.3778687, 4.7858489] and [1.7109504, 3.6236094]. With
 * 50000 resamples the Monte Carlo error of the ends stays within 1.0%
 * (independent) and 0.8% (paired) over seeds 1 to 20.
 */
static void test_bca_reference(void **state)
{
	static const double a[] = {
		2.5298, 2.1449, 1.0538, 0.5355, 3.6946, 0.9270, 0.2919,
		0.5568, 0.2582, 0.3580, 0.2485, 0.2676, 0.2327, 0.3096,
		0.4304, 1.5326, 4.7067, 2.6638, 0.5315, 0.2315, 1.6787,
		4.7389, 0.4365, 2.3723, 1.7956
	};
	static const double b[] = {
		3.7620, 5.8433, 0.3665, 3.3380, 0.5112, 3.5982, 1.5939,
		3.7798, 1.4515, 2.5994, 5.9081, 0.5795, 0.9064, 1.1854,
		2.3171, 2.7512, 22.3865, 3.6766, 1.4384, 1.6831, 1.7393,
		9.2287, 0.5915, 6.1940, 1.1123
	};
	double lo, hi;

	(void)state;
	assert_int_equal(compare_bca_ratio(a, 25, b, 25, 0, 0.05, 50000, 1,
					   &lo, &hi), 0);
	/* 3% tolerance; the percentile ends are 6% and 8% away */
	assert_double_close(lo, 1.4613725, 0.03);
	assert_double_close(hi, 5.1818692, 0.03);
	assert_int_equal(compare_bca_ratio(a, 25, b, 25, 1, 0.05, 50000, 1,
					   &lo, &hi), 0);
	/* 1.2% tolerance; the percentile ends are 2.1% and 1.9% away */
	assert_double_close(lo, 1.7474968, 0.012);
	assert_double_close(hi, 3.6924725, 0.012);
}

/*
 * Paired t interval of the ratio of geometric means, pb10 over pa10:
 * python3 with the statistics module, d = log(b) - log(a) per pair,
 * exp(mean(d) -+ t * stdev(d) / sqrt(10)) with t(0.975, 9) =
 * 2.2621571627982053 (tables): [1.0176810052952345, 1.034439346930854].
 */
static void test_welch_log_ci(void **state)
{
	double lo, hi;

	(void)state;
	assert_int_equal(compare_welch_log_ci(pa10, 10, pb10, 10, 1, 0.05, &lo, &hi), 0);
	assert_double_close(lo, 1.0176810052952345, 1e-9);
	assert_double_close(hi, 1.034439346930854, 1e-9);
	/* one run a side, or unequal pairs: nothing to say */
	assert_int_equal(compare_welch_log_ci(pa10, 1, pb10, 1, 0, 0.05, &lo, &hi), -1);
	assert_nan(lo);
	assert_int_equal(compare_welch_log_ci(pa10, 10, pb10, 9, 1, 0.05, &lo, &hi), -1);
}

static void test_compare_samples(void **state)
{
	struct compare_options o;
	struct comparison c;
	double lo, hi;

	(void)state;
	compare_options_init(&o);
	o.resamples = 2000;
	o.seed = 77;
	compare_samples(a8, 8, b9, 9, &o, &c);
	assert_int_equal(c.na, 8);
	assert_int_equal(c.nb, 9);
	assert_int_equal(c.paired, 0);
	assert_double_equal(c.alpha, 0.05, 0);
	assert_double_equal(c.margin, 0.01, 0);
	/* python3: statistics.mean(b9) / statistics.mean(a8) */
	assert_double_equal(c.ratio_means, 1.1217948717948718, EPS);
	/* python3: statistics.median(b9) / statistics.median(a8) */
	assert_double_equal(c.ratio_medians, 1.133004926108374, EPS);
	/* hl, welch, t cdf, mwu: as in the tests above */
	assert_double_equal(c.hl_ratio, 1.1237604309355598, EPS);
	assert_double_equal(c.welch_t, 3.4727376311936293, 1e-12);
	assert_double_equal(c.welch_df, 14.285303634202851, 1e-10);
	assert_double_close(c.welch_p, 0.003633640926590216, 1e-9);
	assert_double_equal(c.mwu_u, 64, 0);
	assert_double_close(c.mwu_p, 0.00551213492389963, 1e-12);
	/* the mean's interval is the union of compare_bca_ratio()'s and Welch's on logs */
	assert_int_equal(compare_bca_ratio(a8, 8, b9, 9, 0, 0.05, 2000, 77,
					   &lo, &hi), 0);
	{
		double wlo, whi;

		assert_int_equal(compare_welch_log_ci(a8, 8, b9, 9, 0, 0.05, &wlo, &whi), 0);
		assert_double_equal(c.by[ESTIMATOR_MEAN].lo, fmin(lo, wlo), 0);
		assert_double_equal(c.by[ESTIMATOR_MEAN].hi, fmax(hi, whi), 0);
		assert_double_equal(c.by[ESTIMATOR_MEAN].ratio, c.ratio_means, 0);
	}
	/*
	 * comb: the default judges by the median. With 8 and 9 runs each
	 * side's 97.5% interval (tails 0.0125) is only [x(1), x(n)]: 2^-8
	 * and 2^-9 fit the tail, 9/256 and 10/512 do not. So B/A lies in
	 * [min B / max A, max B / min A] = [1.08 / 1.20, 1.30 / 0.97].
	 */
	assert_int_equal(c.estimator, ESTIMATOR_MEDIAN);
	assert_false(c.fell_back);
	/* hand: medians of the logs: 1.15, and sqrt(1.01 * 1.02) for 8 runs */
	assert_double_equal(c.ratio, 1.15 / sqrt(1.01 * 1.02), 1e-12);
	assert_double_equal(c.ci_lo, 1.08 / 1.20, 1e-12);
	assert_double_equal(c.ci_hi, 1.30 / 0.97, 1e-12);
	assert_int_equal(c.verdict, VERDICT_UNRESOLVED);
	/* The same samples judged by the mean: its interval is the union below. */
	o.estimator = ESTIMATOR_MEAN;
	compare_samples(a8, 8, b9, 9, &o, &c);
	assert_double_equal(c.ci_lo, c.by[ESTIMATOR_MEAN].lo, 0);
	assert_double_equal(c.ci_hi, c.by[ESTIMATOR_MEAN].hi, 0);
	assert_true(c.ci_lo < c.ratio_means && c.ratio_means < c.ci_hi);
	/* B is 12% slower with p < 0.01: the interval clears the margin */
	assert_true(c.ci_lo > 1.01);
	assert_int_equal(c.verdict, VERDICT_SLOWER);

	o.paired = 1;
	compare_samples(pa10, 10, pb10, 10, &o, &c);
	assert_int_equal(c.paired, 1);
	/* python3: mean and median ratios of pb10 over pa10 */
	assert_double_equal(c.ratio_means, 1.026272577996716, EPS);
	assert_double_equal(c.ratio_medians, 1.029767441860465, EPS);
	assert_double_equal(c.hl_ratio, 1.0262211998378552, EPS);
	assert_double_equal(c.welch_t, 7.117059174409626, 1e-11);
	assert_double_equal(c.welch_df, 9, 0);
	assert_double_equal(c.mwu_u, 60.5, 0);
	assert_int_equal(c.verdict, verdict_from_ci(c.ci_lo, c.ci_hi, 0.01));
	/* every pair is 0.5% to 4.5% slower: the CI must hold the ratio */
	assert_true(c.ci_lo < c.ratio_means && c.ratio_means < c.ci_hi);
	assert_true(c.ci_lo > 1.0 && c.ci_hi < 1.05);

	/* NULL options mean the defaults: the median, UNRESOLVED as above */
	compare_samples(a8, 8, b9, 9, NULL, &c);
	assert_double_equal(c.alpha, 0.05, 0);
	assert_int_equal(c.paired, 0);
	assert_int_equal(c.estimator, ESTIMATOR_MEDIAN);
	assert_int_equal(c.verdict, VERDICT_UNRESOLVED);
}

static void test_compare_samples_degenerate(void **state)
{
	static const double one[] = { 2.0 }, zeros[] = { 0, 0, 0 };
	struct compare_options o;
	struct comparison c;

	(void)state;
	compare_options_init(&o);
	o.resamples = 500;

	/* one run of A: ratios and U exist, intervals and t do not */
	compare_samples(one, 1, b9, 9, &o, &c);
	assert_double_equal(c.ratio_means, 1.1666666666666667 / 2, EPS);
	assert_double_equal(c.ratio_medians, 1.15 / 2, EPS);
	assert_nan(c.ci_lo);
	assert_nan(c.ci_hi);
	assert_false(isnan(c.hl_ratio));
	assert_nan(c.welch_t);
	assert_nan(c.welch_df);
	assert_nan(c.welch_p);
	/* hand: every b9 value is below 2, U = 0 */
	assert_double_equal(c.mwu_u, 0, 0);
	assert_int_equal(c.verdict, VERDICT_UNRESOLVED);

	/* nothing at all */
	compare_samples(NULL, 0, NULL, 0, &o, &c);
	assert_int_equal(c.na, 0);
	assert_nan(c.ratio_means);
	assert_nan(c.ratio_medians);
	assert_nan(c.ci_lo);
	assert_nan(c.hl_ratio);
	assert_nan(c.welch_p);
	assert_nan(c.mwu_u);
	assert_nan(c.mwu_p);
	assert_int_equal(c.verdict, VERDICT_UNRESOLVED);

	/* A takes no time: no ratio, no log */
	compare_samples(zeros, 3, b9, 9, &o, &c);
	assert_nan(c.ratio_means);
	assert_nan(c.ratio_medians);
	assert_nan(c.ci_lo);
	assert_nan(c.hl_ratio);
	assert_nan(c.welch_t);
	assert_double_equal(c.mwu_u, 27, 0);
	assert_int_equal(c.verdict, VERDICT_UNRESOLVED);

	/* paired but not pairs: only what ignores pairing remains */
	o.paired = 1;
	compare_samples(a8, 8, b9, 9, &o, &c);
	assert_double_equal(c.ratio_means, 1.1217948717948718, EPS);
	assert_nan(c.ci_lo);
	assert_nan(c.ci_hi);
	assert_nan(c.hl_ratio);
	assert_nan(c.welch_t);
	assert_double_equal(c.mwu_u, 64, 0);
	assert_int_equal(c.verdict, VERDICT_UNRESOLVED);
}

/*
 * Calibration over 200 fixed seeds, n = 30 per side, lognormal times with
 * 10% spread, the default alpha and margin. A against A: a false SLOWER or
 * FASTER needs the 95% interval to miss 1 by more than the margin, about
 * 2.5% of the time or less; allow 10%. A against 1.25 A: always SLOWER,
 * and the interval should hold 1.25 about 95% of the time; allow 88%.
 * The counts are deterministic, the margins only absorb what a different
 * but correct BCa implementation could give.
 */
enum { CAL_SEEDS = 200, CAL_N = 30 };

static void calibrate_n(double shift, int paired, size_t n, unsigned *wrong,
			unsigned *covered)
{
	struct compare_options o;
	struct comparison c;
	double a[CAL_N], b[CAL_N];
	enum verdict want = shift > 1 ? VERDICT_SLOWER : VERDICT_SAME;

	compare_options_init(&o);
	o.resamples = 2000;
	o.paired = paired;
	*wrong = *covered = 0;
	for (unsigned s = 0; s < CAL_SEEDS; s++) {
		lognormal_sample(a, n, 1, 0.1, 1000 + 2 * s);
		lognormal_sample(b, n, shift, 0.1, 1001 + 2 * s);
		o.seed = s;
		compare_samples(a, n, b, n, &o, &c);
		if (want == VERDICT_SAME)
			*wrong += c.verdict == VERDICT_SLOWER ||
				  c.verdict == VERDICT_FASTER;
		else
			*wrong += c.verdict != VERDICT_SLOWER;
		*covered += c.ci_lo <= shift && shift <= c.ci_hi;
	}
}

static void calibrate(double shift, int paired, unsigned *wrong, unsigned *covered)
{
	calibrate_n(shift, paired, CAL_N, wrong, covered);
}

/*
 * Few runs (a file of 3 or 5, --min-runs 3): the bootstrap alone calls
 * A/A pairs SLOWER or FASTER in 9-42% of trials at 2 to 6 runs; with the
 * union with Welch's t interval on logs it is back at the nominal rate
 * (bench/calibration prints both, 2-6%). Allow 8%.
 */
static void test_calibration_few_runs(void **state)
{
	static const size_t ns[] = { 2, 3, 5, 8 };
	unsigned wrong, covered;

	(void)state;
	for (size_t i = 0; i < sizeof(ns) / sizeof(*ns); i++) {
		calibrate_n(1.0, 0, ns[i], &wrong, &covered);
		assert_in_range(wrong, 0, CAL_SEEDS * 8 / 100);
		calibrate_n(1.0, 1, ns[i], &wrong, &covered);
		assert_in_range(wrong, 0, CAL_SEEDS * 8 / 100);
	}
}

static void test_calibration_same(void **state)
{
	unsigned wrong, covered;

	(void)state;
	calibrate(1.0, 0, &wrong, &covered);
	assert_in_range(wrong, 0, CAL_SEEDS / 10);
	assert_in_range(covered, CAL_SEEDS * 88 / 100, CAL_SEEDS);
	/* independent draws paired up arbitrarily are still A/A pairs */
	calibrate(1.0, 1, &wrong, &covered);
	assert_in_range(wrong, 0, CAL_SEEDS / 10);
	assert_in_range(covered, CAL_SEEDS * 88 / 100, CAL_SEEDS);
}

static void test_calibration_shift(void **state)
{
	unsigned wrong, covered;

	(void)state;
	calibrate(1.25, 0, &wrong, &covered);
	assert_int_equal(wrong, 0);
	assert_in_range(covered, CAL_SEEDS * 88 / 100, CAL_SEEDS);
	calibrate(1.25, 1, &wrong, &covered);
	assert_int_equal(wrong, 0);
	assert_in_range(covered, CAL_SEEDS * 88 / 100, CAL_SEEDS);
}

/*
 * hand: 3 pairs are too few for the sign test at 95% (2 * 2^-3 > 0.05),
 * so the default falls back to the mean's interval; asked for by name,
 * the median stays without one.
 */
static void test_estimator_fallback(void **state)
{
	const double a[] = { 1.00, 1.02, 0.99 }, b[] = { 1.20, 1.23, 1.18 };
	struct compare_options o;
	struct comparison c;

	(void)state;
	compare_options_init(&o);
	o.paired = 1;
	o.resamples = 1000;
	compare_samples(a, 3, b, 3, &o, &c);
	assert_int_equal(c.estimator, ESTIMATOR_MEAN);
	assert_true(c.fell_back);
	assert_true(isnan(c.by[ESTIMATOR_MEDIAN].lo));
	assert_double_equal(c.ratio, c.ratio_means, 0);

	o.estimator = ESTIMATOR_MEDIAN;
	compare_samples(a, 3, b, 3, &o, &c);
	assert_int_equal(c.estimator, ESTIMATOR_MEDIAN);
	assert_false(c.fell_back);
	assert_true(isnan(c.ci_lo));
	assert_int_equal(c.verdict, VERDICT_UNRESOLVED);
}

/*
 * hand: nothing varies within a side over 2 runs or more, so B/A = 1.02
 * exactly; one run each shows no spread at all and decides nothing.
 */
static void test_estimator_exact_when_constant(void **state)
{
	const double a[] = { 100, 100, 100 }, b[] = { 102, 102, 102 };
	struct compare_options o;
	struct comparison c;

	(void)state;
	compare_options_init(&o);
	o.paired = 1;
	compare_samples(a, 3, b, 3, &o, &c);
	assert_int_equal(c.estimator, ESTIMATOR_MEDIAN);
	assert_false(c.fell_back);
	assert_double_equal(c.ci_lo, 1.02, 1e-12);
	assert_double_equal(c.ci_hi, 1.02, 1e-12);
	assert_int_equal(c.verdict, VERDICT_SLOWER);

	o.paired = 0;
	compare_samples(a, 1, b, 1, &o, &c);
	assert_true(isnan(c.by[ESTIMATOR_MEDIAN].lo));
	assert_int_equal(c.verdict, VERDICT_UNRESOLVED);
}

/*
 * hand: 40 pairs, 28 with B = A and 12 (30%) with B = 1.5 A. The median
 * pair ratio is 1 and the sign-test interval [d(14), d(27)] holds only
 * zeros: SAME. The mean ratio is (28 + 12 * 1.5) / 40 = 1.15: SLOWER.
 * The median Walsh average is log 1.5 / 2 (406 zero-zero averages, then
 * 336 zero-high ones), but the signed-rank interval starts at one of the
 * 406 zeros: UNRESOLVED. Median and mean disagree, and the output must say so.
 */
static void test_estimators_disagree(void **state)
{
	double a[40], b[40];
	struct compare_options o;
	struct comparison c;

	(void)state;
	for (int i = 0; i < 40; i++) {
		a[i] = 1.0;
		b[i] = i % 10 < 3 ? 1.5 : 1.0;
	}
	compare_options_init(&o);
	o.paired = 1;
	o.resamples = 2000;
	compare_samples(a, 40, b, 40, &o, &c);
	assert_int_equal(c.estimator, ESTIMATOR_MEDIAN);
	assert_double_equal(c.ratio, 1.0, 0);
	assert_int_equal(c.verdict, VERDICT_SAME);
	assert_double_equal(c.ratio_means, 1.15, 1e-12);
	assert_int_equal(c.by[ESTIMATOR_MEAN].verdict, VERDICT_SLOWER);
	assert_double_equal(c.by[ESTIMATOR_HL].ratio, sqrt(1.5), 1e-12);
	assert_double_equal(c.by[ESTIMATOR_HL].lo, 1.0, 0);
	assert_int_equal(c.by[ESTIMATOR_HL].verdict, VERDICT_UNRESOLVED);
	assert_true(c.disagree);

	/* The same pairs judged by the mean: SLOWER, and still flagged. */
	o.estimator = ESTIMATOR_MEAN;
	compare_samples(a, 40, b, 40, &o, &c);
	assert_int_equal(c.verdict, VERDICT_SLOWER);
	assert_true(c.disagree);
}

/*
 * Beyond the bootstrap's bound the mean's interval is the delta method's:
 * close to the bootstrap's on the same data (checked below the bound), and
 * the comparison says which was used.
 */
static void test_delta_ratio_large_n(void **state)
{
	enum { N = 6000 };
	double *a = xcalloc(N, sizeof(*a)), *b = xcalloc(N, sizeof(*b));
	double blo, bhi, dlo, dhi;
	struct compare_options o;
	struct comparison c;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	(void)state;
	gsl_rng_set(r, 7);
	for (size_t i = 0; i < N; i++) {
		a[i] = 0.010 * exp(gsl_ran_gaussian(r, 0.2));
		b[i] = 0.0105 * exp(gsl_ran_gaussian(r, 0.2));
	}
	gsl_rng_free(r);
	for (int paired = 0; paired <= 1; paired++) {
		assert_int_equal(compare_bca_ratio(a, N, b, N, paired, 0.05, 2000, 1, &blo, &bhi), 0);
		assert_int_equal(compare_delta_ratio(a, N, b, N, paired, 0.05, &dlo, &dhi), 0);
		assert_true(fabs(dlo / blo - 1) < 0.002 && fabs(dhi / bhi - 1) < 0.002);
		assert_true(dlo < 1.05 && dhi > 1.05);
	}
	assert_int_equal(compare_delta_ratio(a, 1, b, N, 0, 0.05, &dlo, &dhi), -1);
	assert_true(isnan(dlo) && isnan(dhi));

	compare_options_init(&o);
	compare_samples(a, N, b, N, &o, &c);  /* 12 000 runs x 10 000 resamples */
	assert_true(c.mean_ci_delta);
	assert_true(c.by[ESTIMATOR_MEAN].lo < 1.05 && c.by[ESTIMATOR_MEAN].hi > 1.05);
	compare_samples(a, 100, b, 100, &o, &c);
	assert_false(c.mean_ci_delta);
	free(a);
	free(b);
}

/* A benchmark of runs with these seq numbers, 1 ms each; flags per run. */
static void runs_with_seq(struct benchmark *b, const int64_t *seq, size_t n,
			  const int *warmup, const int *timed_out)
{
	benchmark_init(b);
	for (size_t i = 0; i < n; i++) {
		struct run_sample r;

		memset(&r, 0, sizeof(r));
		r.wall_ns = 1000000;
		r.env_pad = -1;
		r.seq = seq[i];
		r.warmup = warmup ? warmup[i] : 0;
		r.timed_out = timed_out ? timed_out[i] : 0;
		benchmark_add_run(b, &r, NULL);
	}
}

static void test_same_rounds(void **state)
{
	/* hand: rounds of 2 are seq 0-1, 2-3, 4-5, ... */
	const int64_t a_live[] = { 1, 3, 5, 6 }, b_live[] = { 0, 2, 4, 7 };
	/* hand: the same runs shifted by one round on B's side */
	const int64_t b_late[] = { 2, 4, 6, 9 };
	/* hand: rounds of 6 (a layout file of 6 builds): 4/6 = 3/6 = 0, 10 and 9 -> 1 */
	const int64_t a_six[] = { 4, 10, 12 }, b_six[] = { 3, 9, 13 };
	/* hand: a warm-up round first, then A's run of round 2 timed out: its
	 * pairs are rounds 1 and 3 against B's 1 and 2: not the same rounds */
	const int64_t a_to[] = { 0, 2, 4, 6 }, b_to[] = { 1, 3, 5, 7 };
	const int warm[] = { 1, 0, 0, 0 }, a_out[] = { 0, 0, 1, 0 };
	const int64_t none[] = { -1, -1, -1 };
	struct benchmark a, b;

	(void)state;
	runs_with_seq(&a, a_live, 4, NULL, NULL);
	runs_with_seq(&b, b_live, 4, NULL, NULL);
	assert_int_equal(compare_same_rounds(&a, &b, 2), 1);
	assert_int_equal(compare_same_rounds(&a, &b, 0), 0);
	benchmark_release(&b);
	runs_with_seq(&b, b_late, 4, NULL, NULL);
	assert_int_equal(compare_same_rounds(&a, &b, 2), 0);
	benchmark_release(&b);
	/* hand: B's run of the last round missing (an interrupt cut it):
	 * A's one run more is left out, the rest pairs */
	runs_with_seq(&b, b_live, 3, NULL, NULL);
	assert_int_equal(compare_same_rounds(&a, &b, 2), 1);
	benchmark_release(&b);
	/* hand: two runs more on A's side are no cut round */
	runs_with_seq(&b, b_live, 2, NULL, NULL);
	assert_int_equal(compare_same_rounds(&a, &b, 2), 0);
	benchmark_release(&a);
	benchmark_release(&b);

	runs_with_seq(&a, a_six, 3, NULL, NULL);
	runs_with_seq(&b, b_six, 3, NULL, NULL);
	assert_int_equal(compare_same_rounds(&a, &b, 6), 1);
	assert_int_equal(compare_same_rounds(&a, &b, 2), 0);
	benchmark_release(&a);
	benchmark_release(&b);

	/* hand: warm-ups on both sides are left out: rounds 1-3 pair */
	runs_with_seq(&a, a_to, 4, warm, NULL);
	runs_with_seq(&b, b_to, 4, warm, NULL);
	assert_int_equal(compare_same_rounds(&a, &b, 2), 1);
	benchmark_release(&a);
	runs_with_seq(&a, a_to, 4, warm, a_out);
	assert_int_equal(compare_same_rounds(&a, &b, 2), 0);
	benchmark_release(&a);
	benchmark_release(&b);

	/* hand: no seq (imported, or an older file): never paired */
	runs_with_seq(&a, none, 3, NULL, NULL);
	runs_with_seq(&b, none, 3, NULL, NULL);
	assert_int_equal(compare_same_rounds(&a, &b, 2), 0);
	benchmark_release(&a);
	benchmark_release(&b);
}

/*
 * hand: a count missing from one run of A (not counted) would pair A's
 * k-th value with B's from another round: asked to pair, the comparison
 * is made on independent samples instead; wall time, present in every
 * run, stays paired.
 */
static void test_pairs_need_every_value(void **state)
{
	char *names[] = { "cycles" };
	struct benchmark a, b;
	struct compare_options o;
	struct comparison c;

	(void)state;
	benchmark_init(&a);
	benchmark_init(&b);
	benchmark_set_counters(&a, names, 1);
	benchmark_set_counters(&b, names, 1);
	for (int i = 0; i < 6; i++) {
		struct run_sample r = { .wall_ns = 1000000 + 1000 * i, .env_pad = -1, .seq = 2 * i };
		struct run_count ca = { i == 2 ? COUNTER_NOT_COUNTED : COUNTER_COUNTED, 100.0 + i, 100 };
		struct run_count cb = { COUNTER_COUNTED, 110.0 + i, 100 };

		benchmark_add_run(&a, &r, &ca);
		r.seq = 2 * i + 1;
		r.wall_ns += 50000;
		benchmark_add_run(&b, &r, &cb);
	}
	compare_options_init(&o);
	o.paired = 1;
	o.resamples = 2000;
	assert_int_equal(compare_benchmarks(&a, &b, NULL, &o, &c), 0);
	assert_true(c.paired);
	assert_int_equal(compare_benchmarks(&a, &b, "cycles", &o, &c), 0);
	assert_false(c.paired);
	assert_int_equal(c.na, 5);
	assert_int_equal(c.nb, 6);
	benchmark_release(&a);
	benchmark_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_estimator_fallback),
		cmocka_unit_test(test_estimator_exact_when_constant),
		cmocka_unit_test(test_estimators_disagree),
		cmocka_unit_test(test_verdict_name),
		cmocka_unit_test(test_verdict_from_ci),
		cmocka_unit_test(test_look_alpha),
		cmocka_unit_test(test_options_init),
		cmocka_unit_test(test_welch_independent),
		cmocka_unit_test(test_welch_paired),
		cmocka_unit_test(test_welch_undefined),
		cmocka_unit_test(test_mann_whitney),
		cmocka_unit_test(test_mann_whitney_edges),
		cmocka_unit_test(test_mann_whitney_exact),
		cmocka_unit_test(test_hodges_lehmann),
		cmocka_unit_test(test_hodges_lehmann_large),
		cmocka_unit_test(test_hodges_lehmann_brute),
		cmocka_unit_test(test_hodges_lehmann_undefined),
		cmocka_unit_test(test_bca_invalid),
		cmocka_unit_test(test_bca_deterministic),
		cmocka_unit_test(test_bca_closed_forms),
		cmocka_unit_test(test_bca_shift),
		cmocka_unit_test(test_bca_width_shrinks),
		cmocka_unit_test(test_bca_many_runs),
		cmocka_unit_test(test_bca_paired_drift),
		cmocka_unit_test(test_bca_large_n),
		cmocka_unit_test(test_bca_reference),
		cmocka_unit_test(test_compare_samples),
		cmocka_unit_test(test_compare_samples_degenerate),
		cmocka_unit_test(test_calibration_same),
		cmocka_unit_test(test_calibration_few_runs),
		cmocka_unit_test(test_welch_log_ci),
		cmocka_unit_test(test_calibration_shift),
		cmocka_unit_test(test_delta_ratio_large_n),
		cmocka_unit_test(test_same_rounds),
		cmocka_unit_test(test_pairs_need_every_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
