/*
 * Unit tests for stats.c. Every expected value was computed independently
 * of the code under test; the comment next to it says how:
 *  - "python3:" Python's standard library (statistics.mean, stdev, median,
 *    quantiles(method='inclusive'), which is Hyndman & Fan type 7);
 *  - "A&S:" Student t quantiles from the closed-form CDF of Abramowitz &
 *    Stegun 26.7.3/26.7.4 inverted by bisection in python3 (they agree with
 *    printed tables: t(0.975, 9) = 2.262, t(0.975, 29) = 2.045);
 *  - "comb:" binomial tails summed exactly with python3's math.comb;
 *  - "cox:" Olsson's modified Cox interval written out in python3:
 *    m, v = statistics.mean and variance of math.log(x), then
 *    math.exp(m + v/2 -+ t * math.sqrt(v/n + v*v/(2*(n-1)))) with the t
 *    quantiles of the "A&S:" line above (t(0.975, 2) = 4.302652729749462
 *    from the closed form of df 2, (2p - 1) / sqrt(2p(1 - p)));
 *  - "bca.py:" a BCa bootstrap of the mean written in python3 from Efron's
 *    formulas (random.Random(2024).choice, 100000 resamples, Phi and its
 *    inverse from statistics.NormalDist, acceleration sum d^3 /
 *    (6 (sum d^2)^1.5) with d = x - mean, type 7 quantiles). steady uses
 *    10000 resamples of its own stream, so these ends are compared within
 *    a tolerance, said at each: the spread of the same script's ends
 *    with 10000 resamples over seeds 1 to 12;
 *  - "hand:" arithmetic done on paper.
 */
#include "unit_fixture.h"

#include "analyse/stats.h"

#define EPS 1e-12

/* Relative tolerance, for ends that span orders of magnitude. */
#define assert_double_close(a, b, rel) \
	assert_double_equal((a), (b), fabs(b) * (rel))

/* Ten timings, unsorted, one slow run (15.8). */
static const double a10[] = {
	12.1, 11.8, 12.5, 13.0, 11.9, 12.2, 12.4, 12.0, 15.8, 12.3
};
static const double a10_sorted[] = {
	11.8, 11.9, 12.0, 12.1, 12.2, 12.3, 12.4, 12.5, 13.0, 15.8
};
/* Odd n, too small for a 95% median CI. */
static const double b5[] = { 3.0, 1.0, 4.0, 1.5, 9.0 };
static const double b5_sorted[] = { 1.0, 1.5, 3.0, 4.0, 9.0 };
/* Thirty timings, one duplicate (0.508), one slow run (0.620). */
static const double c30[] = {
	0.512, 0.498, 0.505, 0.521, 0.489, 0.503, 0.517, 0.495, 0.508, 0.511,
	0.500, 0.493, 0.526, 0.507, 0.502, 0.514, 0.497, 0.509, 0.499, 0.516,
	0.504, 0.491, 0.510, 0.506, 0.519, 0.501, 0.496, 0.513, 0.508, 0.620
};
static const double same5[] = { 0.1, 0.1, 0.1, 0.1, 0.1 };
static const double two[] = { 1.0, 3.0 };
static const double one[] = { 42.5 };

static void test_mean(void **state)
{
	(void)state;
	/* python3: statistics.mean(a10) = 12.6 */
	assert_double_equal(stats_mean(a10, 10), 12.6, EPS);
	/* python3: statistics.mean(b5) = 3.7000000000000002 */
	assert_double_equal(stats_mean(b5, 5), 3.7, EPS);
	/* python3: statistics.mean(c30) = 0.50966666666666671 */
	assert_double_equal(stats_mean(c30, 30), 0.50966666666666671, EPS);
	/* hand */
	assert_double_equal(stats_mean(one, 1), 42.5, 0);
	assert_double_equal(stats_mean(two, 2), 2.0, 0);
	assert_double_equal(stats_mean(same5, 5), 0.1, EPS);
	assert_nan(stats_mean(NULL, 0));
}

static void test_stddev(void **state)
{
	(void)state;
	/* python3: statistics.stdev(a10) = 1.1756794725698934 */
	assert_double_equal(stats_stddev(a10, 10), 1.1756794725698934, EPS);
	/* python3: statistics.stdev(b5) = 3.1937438845342623 */
	assert_double_equal(stats_stddev(b5, 5), 3.1937438845342623, EPS);
	/* python3: statistics.stdev(c30) = 0.022746478823118421 */
	assert_double_equal(stats_stddev(c30, 30), 0.022746478823118421, EPS);
	/* hand: deviations -1, 1, variance 2/1 */
	assert_double_equal(stats_stddev(two, 2), sqrt(2), EPS);
	/* hand: all equal; stats.h: 0 when n < 2 */
	assert_double_equal(stats_stddev(same5, 5), 0, EPS);
	assert_double_equal(stats_stddev(one, 1), 0, 0);
	assert_double_equal(stats_stddev(NULL, 0), 0, 0);
}

static void test_sorted_copy(void **state)
{
	double in[] = { 3, -1, 2, -7.5, 2, 0 };
	const double want[] = { -7.5, -1, 0, 2, 2, 3 }; /* hand */
	double saved[ARRAY_SIZE(in)];
	double *s;
	size_t i;

	(void)state;
	memcpy(saved, in, sizeof(in));
	s = stats_sorted_copy(in, ARRAY_SIZE(in));
	assert_non_null(s);
	assert_ptr_not_equal(s, in);
	for (i = 0; i < ARRAY_SIZE(in); i++)
		assert_double_equal(s[i], want[i], 0);
	assert_memory_equal(in, saved, sizeof(in));
	free(s);

	s = stats_sorted_copy(a10, 10);
	for (i = 0; i < 10; i++)
		assert_double_equal(s[i], a10_sorted[i], 0);
	free(s);

	/* n == 0 still hands back something free() accepts. */
	s = stats_sorted_copy(NULL, 0);
	assert_non_null(s);
	free(s);
}

static void test_percentile(void **state)
{
	(void)state;
	/* python3: q = statistics.quantiles(a10, n=100, method='inclusive');
	 * q[4], q[24], q[74], q[94] */
	assert_double_equal(stats_percentile_sorted(a10_sorted, 10, 5), 11.845, EPS);
	assert_double_equal(stats_percentile_sorted(a10_sorted, 10, 25), 12.025, EPS);
	assert_double_equal(stats_percentile_sorted(a10_sorted, 10, 75), 12.475, EPS);
	assert_double_equal(stats_percentile_sorted(a10_sorted, 10, 95), 14.54, EPS);
	/* hand: h = 9 * p / 100 hits the end ranks and the middle */
	assert_double_equal(stats_percentile_sorted(a10_sorted, 10, 0), 11.8, 0);
	assert_double_equal(stats_percentile_sorted(a10_sorted, 10, 100), 15.8, 0);
	assert_double_equal(stats_percentile_sorted(a10_sorted, 10, 50), 12.25, EPS);

	/* python3: quantiles(b5, n=100, method='inclusive') -> 1.1, 1.5, 4, 8 */
	assert_double_equal(stats_percentile_sorted(b5_sorted, 5, 5), 1.1, EPS);
	assert_double_equal(stats_percentile_sorted(b5_sorted, 5, 25), 1.5, EPS);
	assert_double_equal(stats_percentile_sorted(b5_sorted, 5, 75), 4.0, EPS);
	assert_double_equal(stats_percentile_sorted(b5_sorted, 5, 95), 8.0, EPS);

	/* python3: quantiles([1, 3], n=4, method='inclusive') = [1.5, 2.0, 2.5] */
	assert_double_equal(stats_percentile_sorted(two, 2, 25), 1.5, EPS);
	assert_double_equal(stats_percentile_sorted(two, 2, 75), 2.5, EPS);

	/* hand: one value is every percentile */
	assert_double_equal(stats_percentile_sorted(one, 1, 0), 42.5, 0);
	assert_double_equal(stats_percentile_sorted(one, 1, 37), 42.5, 0);
	assert_double_equal(stats_percentile_sorted(one, 1, 100), 42.5, 0);

	/* outside the domain */
	assert_nan(stats_percentile_sorted(NULL, 0, 50));
	assert_nan(stats_percentile_sorted(a10_sorted, 10, -1));
	assert_nan(stats_percentile_sorted(a10_sorted, 10, 100.5));
	assert_nan(stats_percentile_sorted(a10_sorted, 10, NAN));
}

static void test_median(void **state)
{
	double *s;

	(void)state;
	/* python3: statistics.median(a10) = 12.25 (even n) */
	assert_double_equal(stats_median_sorted(a10_sorted, 10), 12.25, EPS);
	/* python3: statistics.median(b5) = 3 (odd n) */
	assert_double_equal(stats_median_sorted(b5_sorted, 5), 3.0, 0);
	/* python3: statistics.median(c30) = 0.50649999999999995 */
	s = stats_sorted_copy(c30, 30);
	assert_double_equal(stats_median_sorted(s, 30), 0.5065, EPS);
	free(s);
	/* hand */
	assert_double_equal(stats_median_sorted(two, 2), 2.0, 0);
	assert_double_equal(stats_median_sorted(one, 1), 42.5, 0);
	assert_nan(stats_median_sorted(NULL, 0));
}

static void test_mad(void **state)
{
	const double signs[] = { 10, -1, 2, -5, 0 };
	const double with_inf[] = { 2, INFINITY, 1 };
	double saved[10];

	(void)state;
	memcpy(saved, a10, sizeof(a10));
	/* python3: median(abs(x - 12.25) for x in a10) = 0.25 */
	assert_double_equal(stats_mad(a10, 10, 12.25), 0.25, EPS);
	assert_memory_equal(a10, saved, sizeof(a10));
	/* python3: median(abs(x - 3) for x in b5) = 1.5 */
	assert_double_equal(stats_mad(b5, 5, 3.0), 1.5, EPS);
	/* python3: median(abs(x - 0.5065) for x in c30) = 0.0070000000000000062 */
	assert_double_equal(stats_mad(c30, 30, 0.5065), 0.007, EPS);
	/* hand: deviations 10 1 2 5 0, negative values included */
	assert_double_equal(stats_mad(signs, 5, 0), 2.0, 0);
	/* hand: deviations 0 inf 1 */
	assert_double_equal(stats_mad(with_inf, 3, 2), 1.0, 0);
	/* hand: deviations 1 1 */
	assert_double_equal(stats_mad(two, 2, 2), 1.0, 0);
	/* hand: all equal, or a single value */
	assert_double_equal(stats_mad(same5, 5, 0.1), 0, 0);
	assert_double_equal(stats_mad(one, 1, 42.5), 0, 0);
	assert_nan(stats_mad(NULL, 0, 0));
}

static void test_mean_ci(void **state)
{
	const double three[] = { 1, 2, 6 };
	double lo, hi, half;

	(void)state;
	/* A&S: t(0.975, 9) = 2.262157162798205;
	 * python3: mean(a10) -+ t * stdev(a10) / sqrt(10) */
	assert_int_equal(stats_mean_ci(a10, 10, 0.05, &lo, &hi), 0);
	assert_double_equal(lo, 11.758969570089182, 1e-9);
	assert_double_equal(hi, 13.441030429910818, 1e-9);

	/* A&S: t(0.975, 29) = 2.0452296421327056; python3 as above */
	assert_int_equal(stats_mean_ci(c30, 30, 0.05, &lo, &hi), 0);
	assert_double_equal(lo, 0.50117299188447584, 1e-9);
	assert_double_equal(hi, 0.51816034144885759, 1e-9);

	/* A&S: t(0.975, 4) = 2.7764451051977908; python3 as above */
	assert_int_equal(stats_mean_ci(b5, 5, 0.05, &lo, &hi), 0);
	assert_double_equal(lo, -0.26555680090964628, 1e-9);
	assert_double_equal(hi, 7.6655568009096466, 1e-9);

	/* hand: df 1 is Cauchy, t(0.975, 1) = tan(0.475 pi) =
	 * 12.706204736174696; stdev sqrt(2) / sqrt(2) = 1 */
	assert_int_equal(stats_mean_ci(two, 2, 0.05, &lo, &hi), 0);
	assert_double_equal(lo, 2 - 12.706204736174696, 1e-9);
	assert_double_equal(hi, 2 + 12.706204736174696, 1e-9);

	/* hand: df 2 has t(p, 2) = (2p - 1) / sqrt(2p(1 - p)), so
	 * t(0.95, 2) = 0.9 / sqrt(0.095) = 2.9199855803537256; mean 3,
	 * stdev sqrt((4 + 1 + 9) / 2) = sqrt(7) */
	assert_int_equal(stats_mean_ci(three, 3, 0.10, &lo, &hi), 0);
	half = 2.9199855803537256 * sqrt(7) / sqrt(3);
	assert_double_equal(lo, 3 - half, 1e-9);
	assert_double_equal(hi, 3 + half, 1e-9);

	/* hand: no spread, no width */
	assert_int_equal(stats_mean_ci(same5, 5, 0.05, &lo, &hi), 0);
	assert_double_equal(lo, 0.1, 1e-12);
	assert_double_equal(hi, 0.1, 1e-12);

	/* stats.h: -1 and NaN when n < 2 */
	lo = hi = 0;
	assert_int_equal(stats_mean_ci(one, 1, 0.05, &lo, &hi), -1);
	assert_nan(lo);
	assert_nan(hi);
	lo = hi = 0;
	assert_int_equal(stats_mean_ci(NULL, 0, 0.05, &lo, &hi), -1);
	assert_nan(lo);
	assert_nan(hi);
	/* no coverage to speak of */
	assert_int_equal(stats_mean_ci(a10, 10, 0, &lo, &hi), -1);
	assert_nan(lo);
	assert_int_equal(stats_mean_ci(a10, 10, 1, &lo, &hi), -1);
	assert_nan(hi);
}

static void test_lognormal_mean_ci(void **state)
{
	const double with_zero[] = { 1, 0, 2 }, neg[] = { 1, -2, 3 };
	double lo, hi;

	(void)state;
	/* cox: as in test_summarize_* below */
	assert_int_equal(stats_lognormal_mean_ci(a10, 10, 0.05, &lo, &hi), 0);
	assert_double_close(lo, 11.853966087269916, 1e-9);
	assert_double_close(hi, 13.39740190652263, 1e-9);
	assert_int_equal(stats_lognormal_mean_ci(b5, 5, 0.05, &lo, &hi), 0);
	assert_double_close(lo, 1.1033604849632688, 1e-9);
	assert_double_close(hi, 14.479529666584511, 1e-9);
	assert_int_equal(stats_lognormal_mean_ci(two, 2, 0.05, &lo, &hi), 0);
	assert_double_close(lo, 0.0003398161298120574, 1e-9);
	assert_double_close(hi, 16142.206626940982, 1e-9);
	/* hand: no spread in the logs, no width: exp(log 0.1) */
	assert_int_equal(stats_lognormal_mean_ci(same5, 5, 0.05, &lo, &hi), 0);
	assert_double_equal(lo, 0.1, 1e-12);
	assert_double_equal(hi, 0.1, 1e-12);
	/* stats.h: no log of 0 or of a negative value; n >= 2 */
	assert_int_equal(stats_lognormal_mean_ci(with_zero, 3, 0.05, &lo, &hi), -1);
	assert_nan(lo);
	assert_int_equal(stats_lognormal_mean_ci(neg, 3, 0.05, &lo, &hi), -1);
	assert_nan(hi);
	assert_int_equal(stats_lognormal_mean_ci(one, 1, 0.05, &lo, &hi), -1);
	assert_int_equal(stats_lognormal_mean_ci(a10, 10, 0, &lo, &hi), -1);
}

/* Counts of a context-switch-like event: zeros occur. */
static const double z10[] = { 0, 1, 0, 2, 0, 0, 3, 1, 0, 5 };

static void test_bootstrap_mean_ci(void **state)
{
	const double zeros[] = { 0, 0, 0, 0 }, inf[] = { 1, INFINITY, 2 };
	double lo, hi, lo2, hi2;

	(void)state;
	/*
	 * bca.py: [0.4, 2.6] (z0 0.074, a 0.068). Resample means of ten
	 * integers fall on multiples of 0.1, so an end moves by a whole step
	 * (seeds 1-12: lower 0.4 to 0.5, upper 2.5 to 2.6).
	 */
	assert_int_equal(stats_bootstrap_mean_ci(z10, 10, 0.05, &lo, &hi), 0);
	assert_double_equal(lo, 0.45, 0.051);
	assert_double_equal(hi, 2.55, 0.051);
	/* hand: within [min, max] = [0, 5], and about the mean 1.2 */
	assert_true(lo >= 0 && lo < 1.2 && hi > 1.2 && hi <= 5);
	/* the same values give the same interval */
	assert_int_equal(stats_bootstrap_mean_ci(z10, 10, 0.05, &lo2, &hi2), 0);
	assert_double_equal(lo2, lo, 0);
	assert_double_equal(hi2, hi, 0);
	/*
	 * bca.py: [12.16, 13.82] (seeds 1-12: 12.16-12.17, 13.80-13.99) and
	 * [1.9, 7.4] (1.8-1.9, 7.0-7.4)
	 */
	assert_int_equal(stats_bootstrap_mean_ci(a10, 10, 0.05, &lo, &hi), 0);
	assert_double_close(lo, 12.16, 0.005);
	assert_double_close(hi, 13.82, 0.015);
	/* the same values in another order: the same interval */
	assert_int_equal(stats_bootstrap_mean_ci(a10_sorted, 10, 0.05, &lo2, &hi2), 0);
	assert_double_equal(lo2, lo, 0);
	assert_double_equal(hi2, hi, 0);
	assert_int_equal(stats_bootstrap_mean_ci(b5, 5, 0.05, &lo, &hi), 0);
	assert_double_close(lo, 1.9, 0.06);
	assert_double_close(hi, 7.4, 0.06);
	/* hand: all zero, every resample 0 */
	assert_int_equal(stats_bootstrap_mean_ci(zeros, 4, 0.05, &lo, &hi), 0);
	assert_double_equal(lo, 0, 0);
	assert_double_equal(hi, 0, 0);
	assert_int_equal(stats_bootstrap_mean_ci(one, 1, 0.05, &lo, &hi), -1);
	assert_nan(lo);
	assert_int_equal(stats_bootstrap_mean_ci(inf, 3, 0.05, &lo, &hi), -1);
	assert_nan(hi);
}

static void test_mean_ci_in_domain(void **state)
{
	const double signs[] = { -1, 2, 0.5, -3, 4 };
	double lo, hi, want_lo, want_hi, *big;

	(void)state;
	/* values with zeros: the bootstrap's interval, never below 0 */
	assert_int_equal(stats_mean_ci_in_domain(z10, 10, 0.05, &lo, &hi), 0);
	assert_int_equal(stats_bootstrap_mean_ci(z10, 10, 0.05, &want_lo, &want_hi), 0);
	assert_double_equal(lo, want_lo, 0);
	assert_double_equal(hi, want_hi, 0);
	/* positive: the union of Cox's and the bootstrap's (values above) */
	assert_int_equal(stats_mean_ci_in_domain(b5, 5, 0.05, &lo, &hi), 0);
	assert_double_close(lo, 1.1033604849632688, 1e-9);
	assert_double_close(hi, 14.479529666584511, 1e-9);
	/* values of both signs: Student's t as before, t(0.975, 4) from A&S */
	assert_int_equal(stats_mean_ci_in_domain(signs, 5, 0.05, &lo, &hi), 0);
	assert_int_equal(stats_mean_ci(signs, 5, 0.05, &want_lo, &want_hi), 0);
	assert_double_equal(lo, want_lo, 0);
	assert_double_equal(hi, want_hi, 0);
	assert_true(lo < 0);
	/*
	 * Beyond STATS_BOOT_MAX_N values: Student's t, cut at 0. hand: one
	 * 1 among n - 1 zeros has mean 1/n and stdev sqrt(1/n) (n - 1 and
	 * n almost equal), so the t interval reaches about -1.96 / n.
	 */
	big = calloc(STATS_BOOT_MAX_N + 1, sizeof(*big));
	assert_non_null(big);
	big[7] = 1;
	assert_int_equal(stats_mean_ci_in_domain(big, STATS_BOOT_MAX_N + 1, 0.05, &lo, &hi), 0);
	assert_double_equal(lo, 0, 0);
	assert_int_equal(stats_mean_ci(big, STATS_BOOT_MAX_N + 1, 0.05, &want_lo, &want_hi), 0);
	assert_true(want_lo < 0);
	assert_double_equal(hi, want_hi, 0);
	free(big);
	/* one value: no interval */
	assert_int_equal(stats_mean_ci_in_domain(one, 1, 0.05, &lo, &hi), -1);
	assert_nan(lo);
	assert_nan(hi);
}

static void test_median_ci(void **state)
{
	const double six[] = { 1, 2, 3, 4, 5, 6 };
	double lo, hi, *s;

	(void)state;
	/* comb: n = 5, P(B <= 0) = 1/32 = 0.03125 > 0.025: unavailable */
	lo = hi = 0;
	assert_int_equal(stats_median_ci_sorted(b5_sorted, 5, 0.05, &lo, &hi), -1);
	assert_nan(lo);
	assert_nan(hi);

	/* comb: n = 6, P(B <= 0) = 1/64 <= 0.025 < P(B <= 1) = 7/64:
	 * l = 1, ranks 1 and 6 */
	assert_int_equal(stats_median_ci_sorted(six, 6, 0.05, &lo, &hi), 0);
	assert_double_equal(lo, 1, 0);
	assert_double_equal(hi, 6, 0);

	/* comb: n = 10, P(B <= 1) = 11/1024 <= 0.025 < P(B <= 2) = 56/1024:
	 * l = 2, ranks 2 and 9 */
	assert_int_equal(stats_median_ci_sorted(a10_sorted, 10, 0.05, &lo, &hi), 0);
	assert_double_equal(lo, 11.9, 0);
	assert_double_equal(hi, 13.0, 0);
	/* comb: at 99%, P(B <= 0) = 1/1024 <= 0.005 < P(B <= 1):
	 * l = 1, ranks 1 and 10 */
	assert_int_equal(stats_median_ci_sorted(a10_sorted, 10, 0.01, &lo, &hi), 0);
	assert_double_equal(lo, 11.8, 0);
	assert_double_equal(hi, 15.8, 0);

	s = stats_sorted_copy(c30, 30);
	/* comb: n = 30, P(B <= 9) = 0.021387 <= 0.025 < P(B <= 10) = 0.049369:
	 * l = 10, ranks 10 and 21 of sorted(c30) */
	assert_int_equal(stats_median_ci_sorted(s, 30, 0.05, &lo, &hi), 0);
	assert_double_equal(lo, 0.501, 0);
	assert_double_equal(hi, 0.511, 0);
	/* comb: P(B <= 7) = 0.0026114 <= 0.005 < P(B <= 8) = 0.0080624:
	 * l = 8, ranks 8 and 23 */
	assert_int_equal(stats_median_ci_sorted(s, 30, 0.01, &lo, &hi), 0);
	assert_double_equal(lo, 0.499, 0);
	assert_double_equal(hi, 0.513, 0);
	free(s);

	/* comb: n = 1, P(B <= 0) = 1/2 */
	assert_int_equal(stats_median_ci_sorted(one, 1, 0.05, &lo, &hi), -1);
	assert_nan(lo);
	assert_nan(hi);
	assert_int_equal(stats_median_ci_sorted(NULL, 0, 0.05, &lo, &hi), -1);
	assert_nan(lo);
	assert_nan(hi);
	assert_int_equal(stats_median_ci_sorted(six, 6, 0, &lo, &hi), -1);
	assert_nan(lo);
}

static void test_modified_z(void **state)
{
	(void)state;
	/* hand: 0.6745 * 3.55 / 0.25 = 0.6745 * 14.2 = 9.5779 */
	assert_double_equal(stats_modified_z(15.8, 12.25, 0.25), 9.5779, 1e-9);
	/* hand: 0.6745 * -0.45 / 0.25 = -1.2141 */
	assert_double_equal(stats_modified_z(11.8, 12.25, 0.25), -1.2141, 1e-9);
	assert_double_equal(stats_modified_z(12.25, 12.25, 0.25), 0, 0);
	/* stats.h: with MAD 0 only the median itself is not an outlier */
	assert_double_equal(stats_modified_z(5, 5, 0), 0, 0);
	assert_true(isinf(stats_modified_z(7, 5, 0)));
	assert_true(stats_modified_z(7, 5, 0) > 0);
	assert_true(isinf(stats_modified_z(3, 5, 0)));
	assert_true(stats_modified_z(3, 5, 0) < 0);
}

static void assert_flags(const unsigned char *got, const unsigned char *want,
			 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

static void test_flag_outliers(void **state)
{
	/* Both sides: 30 above and -5 below a tight cluster around 10. */
	const double d9[] = { 10, 10.5, 9.5, 10.2, 9.8, 30, -5, 10.1, 9.9 };
	const double mad0_odd[] = { 5, 5, 5, 5, 7 };
	const double mad0_even[] = { 5, 5, 5, 3, 5, 5 };
	unsigned char flags[30];
	double saved[10];

	(void)state;
	/* python3: median 12.25, MAD 0.25; |z| = 9.578 for 15.8 (index 8),
	 * next largest 2.023 for 13.0 */
	memcpy(saved, a10, sizeof(a10));
	memset(flags, 0xff, sizeof(flags));
	assert_int_equal(stats_flag_outliers(a10, 10, flags), 1);
	assert_flags(flags,
		     (const unsigned char[]){ 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, 10);
	assert_memory_equal(a10, saved, sizeof(a10));

	/* python3: median 0.5065, MAD 0.007; |z| = 10.937 for 0.620
	 * (index 29), every other |z| <= 1.879 */
	memset(flags, 0xff, sizeof(flags));
	assert_int_equal(stats_flag_outliers(c30, 30, flags), 1);
	assert_int_equal(flags[29], 1);
	assert_flags(flags, (const unsigned char[30]){ 0 }, 29);

	/* python3: median 3, MAD 1.5; largest |z| = 2.698 for 9 */
	memset(flags, 0xff, sizeof(flags));
	assert_int_equal(stats_flag_outliers(b5, 5, flags), 0);
	assert_flags(flags, (const unsigned char[]){ 0, 0, 0, 0, 0 }, 5);

	/* python3: median 10, MAD 0.2; z = 67.45 for 30, -50.588 for -5,
	 * every other |z| <= 1.686 */
	assert_int_equal(stats_flag_outliers(d9, 9, flags), 2);
	assert_flags(flags, (const unsigned char[]){ 0, 0, 0, 0, 0, 1, 1, 0, 0 }, 9);

	/* hand: median 5 and MAD 0, so anything but 5 is out */
	assert_int_equal(stats_flag_outliers(mad0_odd, 5, flags), 1);
	assert_flags(flags, (const unsigned char[]){ 0, 0, 0, 0, 1 }, 5);
	assert_int_equal(stats_flag_outliers(mad0_even, 6, flags), 1);
	assert_flags(flags, (const unsigned char[]){ 0, 0, 0, 1, 0, 0 }, 6);

	/* hand: nothing stands out from identical values, one value, or two */
	memset(flags, 0xff, sizeof(flags));
	assert_int_equal(stats_flag_outliers(same5, 5, flags), 0);
	assert_flags(flags, (const unsigned char[]){ 0, 0, 0, 0, 0 }, 5);
	assert_int_equal(stats_flag_outliers(one, 1, flags), 0);
	assert_int_equal(flags[0], 0);
	/* hand: median 2, MAD 1, |z| = 0.6745 */
	assert_int_equal(stats_flag_outliers(two, 2, flags), 0);

	assert_int_equal(stats_flag_outliers(NULL, 0, NULL), 0);
}

static void test_summarize_empty(void **state)
{
	struct summary s;

	(void)state;
	memset(&s, 0x55, sizeof(s));
	stats_summarize(NULL, 0, &s);
	assert_int_equal(s.n, 0);
	assert_nan(s.mean);
	assert_nan(s.stddev);
	assert_nan(s.median);
	assert_nan(s.mad);
	assert_nan(s.min);
	assert_nan(s.max);
	assert_nan(s.p5);
	assert_nan(s.p25);
	assert_nan(s.p75);
	assert_nan(s.p95);
	assert_nan(s.mean_ci_lo);
	assert_nan(s.mean_ci_hi);
	assert_nan(s.median_ci_lo);
	assert_nan(s.median_ci_hi);
	assert_int_equal(s.outliers, 0);
}

static void test_summarize_one(void **state)
{
	struct summary s;

	(void)state;
	stats_summarize(one, 1, &s);
	/* hand: one value is its own mean, median and every percentile */
	assert_int_equal(s.n, 1);
	assert_double_equal(s.mean, 42.5, 0);
	/* stats.h: one value has no spread (NaN, printed n/a), not a spread of 0 */
	assert_nan(s.stddev);
	assert_double_equal(s.median, 42.5, 0);
	assert_nan(s.mad);
	assert_double_equal(s.min, 42.5, 0);
	assert_double_equal(s.max, 42.5, 0);
	assert_double_equal(s.p5, 42.5, 0);
	assert_double_equal(s.p95, 42.5, 0);
	assert_nan(s.mean_ci_lo);
	assert_nan(s.mean_ci_hi);
	assert_nan(s.median_ci_lo);
	assert_nan(s.median_ci_hi);
	assert_int_equal(s.outliers, 0);
}

static void test_summarize_two(void **state)
{
	struct summary s;

	(void)state;
	stats_summarize(two, 2, &s);
	assert_int_equal(s.n, 2);
	/* hand and python3: mean 2, stdev sqrt(2), median 2, MAD 1,
	 * quantiles([1, 3], n=20, method='inclusive') -> p5 1.1, p95 2.9 */
	assert_double_equal(s.mean, 2, EPS);
	assert_double_equal(s.stddev, sqrt(2), EPS);
	assert_double_equal(s.median, 2, 0);
	assert_double_equal(s.mad, 1, 0);
	assert_double_equal(s.min, 1, 0);
	assert_double_equal(s.max, 3, 0);
	assert_double_equal(s.p5, 1.1, EPS);
	assert_double_equal(s.p25, 1.5, EPS);
	assert_double_equal(s.p75, 2.5, EPS);
	assert_double_equal(s.p95, 2.9, EPS);
	/*
	 * cox: [0.0003398161298120574, 16142.206626940982]; the bootstrap's
	 * lies within [1, 3], so the union is Cox's. Student's t would
	 * reach 2 - 12.706 = -10.7: below 0 for two positive values.
	 */
	assert_double_close(s.mean_ci_lo, 0.0003398161298120574, 1e-9);
	assert_double_close(s.mean_ci_hi, 16142.206626940982, 1e-9);
	/* comb: P(B <= 0) = 1/4 */
	assert_nan(s.median_ci_lo);
	assert_nan(s.median_ci_hi);
	assert_int_equal(s.outliers, 0);
}

static void test_summarize_all_equal(void **state)
{
	const double same7[] = { 3.25, 3.25, 3.25, 3.25, 3.25, 3.25, 3.25 };
	struct summary s;

	(void)state;
	stats_summarize(same7, 7, &s);
	/* hand: no spread anywhere; 3.25 is exact in binary */
	assert_int_equal(s.n, 7);
	assert_double_equal(s.mean, 3.25, 0);
	assert_double_equal(s.stddev, 0, 0);
	assert_double_equal(s.median, 3.25, 0);
	assert_double_equal(s.mad, 0, 0);
	assert_double_equal(s.min, 3.25, 0);
	assert_double_equal(s.max, 3.25, 0);
	assert_double_equal(s.p5, 3.25, 0);
	assert_double_equal(s.p95, 3.25, 0);
	assert_double_equal(s.mean_ci_lo, 3.25, 0);
	assert_double_equal(s.mean_ci_hi, 3.25, 0);
	/* comb: n = 7, P(B <= 0) = 1/128 <= 0.025 < P(B <= 1) = 8/128 */
	assert_double_equal(s.median_ci_lo, 3.25, 0);
	assert_double_equal(s.median_ci_hi, 3.25, 0);
	assert_int_equal(s.outliers, 0);
}

static void test_summarize_small(void **state)
{
	struct summary s;

	(void)state;
	stats_summarize(b5, 5, &s);
	/* python3 values as in the tests above */
	assert_int_equal(s.n, 5);
	assert_double_equal(s.mean, 3.7, EPS);
	assert_double_equal(s.stddev, 3.1937438845342623, EPS);
	assert_double_equal(s.median, 3, 0);
	assert_double_equal(s.mad, 1.5, EPS);
	assert_double_equal(s.min, 1, 0);
	assert_double_equal(s.max, 9, 0);
	assert_double_equal(s.p5, 1.1, EPS);
	assert_double_equal(s.p25, 1.5, EPS);
	assert_double_equal(s.p75, 4, EPS);
	assert_double_equal(s.p95, 8, EPS);
	/*
	 * cox: [1.1033604849632688, 14.479529666584511], wider on both
	 * sides than bca.py's [1.9, 7.4] (any bootstrap end lies within
	 * [1, 9]): the union is Cox's. Student's t gave [-0.27, 7.67].
	 */
	assert_double_close(s.mean_ci_lo, 1.1033604849632688, 1e-9);
	assert_double_close(s.mean_ci_hi, 14.479529666584511, 1e-9);
	/* comb: n = 5 is below the 95% median CI */
	assert_nan(s.median_ci_lo);
	assert_nan(s.median_ci_hi);
	assert_int_equal(s.outliers, 0);
}

static void test_summarize_ten(void **state)
{
	struct summary s;
	double saved[10];

	(void)state;
	memcpy(saved, a10, sizeof(a10));
	stats_summarize(a10, 10, &s);
	assert_memory_equal(a10, saved, sizeof(a10));
	/* python3 values as in the tests above */
	assert_int_equal(s.n, 10);
	assert_double_equal(s.mean, 12.6, EPS);
	assert_double_equal(s.stddev, 1.1756794725698934, EPS);
	assert_double_equal(s.median, 12.25, EPS);
	assert_double_equal(s.mad, 0.25, EPS);
	assert_double_equal(s.min, 11.8, 0);
	assert_double_equal(s.max, 15.8, 0);
	assert_double_equal(s.p5, 11.845, EPS);
	assert_double_equal(s.p25, 12.025, EPS);
	assert_double_equal(s.p75, 12.475, EPS);
	assert_double_equal(s.p95, 14.54, EPS);
	/*
	 * cox: [11.853966087269916, 13.39740190652263]; bca.py: [12.16,
	 * 13.82] (z0 0.122, a 0.120). The union takes Cox's lower end and
	 * the bootstrap's upper one, which sees the slow run (15.8): within
	 * 1.5% of bca.py's (seeds 1-12: 13.80 to 13.99; its percentile end,
	 * 13.38, is 3.2% away).
	 */
	assert_double_close(s.mean_ci_lo, 11.853966087269916, 1e-9);
	assert_double_close(s.mean_ci_hi, 13.82, 0.015);
	assert_double_equal(s.median_ci_lo, 11.9, 0);
	assert_double_equal(s.median_ci_hi, 13.0, 0);
	assert_int_equal(s.outliers, 1);
}

static void test_summarize_thirty(void **state)
{
	struct summary s;

	(void)state;
	stats_summarize(c30, 30, &s);
	/* python3: quantiles(c30, n=100, method='inclusive') -> p5 0.4919,
	 * p25 0.49925, p75 0.51275, p95 0.52375; others as above */
	assert_int_equal(s.n, 30);
	assert_double_equal(s.mean, 0.50966666666666671, EPS);
	assert_double_equal(s.stddev, 0.022746478823118421, EPS);
	assert_double_equal(s.median, 0.5065, EPS);
	assert_double_equal(s.mad, 0.007, EPS);
	assert_double_equal(s.min, 0.489, 0);
	assert_double_equal(s.max, 0.620, 0);
	assert_double_equal(s.p5, 0.4919, EPS);
	assert_double_equal(s.p25, 0.49925, EPS);
	assert_double_equal(s.p75, 0.51275, EPS);
	assert_double_equal(s.p95, 0.52375, EPS);
	/*
	 * cox: [0.5018549483163308, 0.5175847333532921]; bca.py: [0.5046,
	 * 0.5248]. As for a10: Cox's lower end, the bootstrap's upper one
	 * (the slow 0.620), within 0.5% of bca.py's (seeds 1-12: 0.5233 to
	 * 0.5253; the percentile end 0.5189 is 1.1% away).
	 */
	assert_double_close(s.mean_ci_lo, 0.5018549483163308, 1e-9);
	assert_double_close(s.mean_ci_hi, 0.5248, 0.005);
	assert_double_equal(s.median_ci_lo, 0.501, 0);
	assert_double_equal(s.median_ci_hi, 0.511, 0);
	assert_int_equal(s.outliers, 1);
}

/*
 * The summary takes the MAD from sorted values by a merge walk; stats_mad()
 * (checked against python3 above) sorts the deviations. Both must agree on
 * odd and even n, ties, and values all on one side of the median.
 */
static void test_summary_mad_matches(void **state)
{
	double x[64], copy[64];
	struct summary s;
	unsigned seed = 12345;

	(void)state;
	/* n = 1 has no MAD in the summary (NaN): start at 2 */
	for (size_t n = 2; n <= 64; n++) {
		for (int round = 0; round < 20; round++) {
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				/* few distinct values in some rounds: ties */
				x[i] = round % 2 ? (double)((seed >> 16) % 7)
						 : (double)((seed >> 8) % 100000) / 997.0;
			}
			memcpy(copy, x, n * sizeof(*x));
			stats_summarize(x, n, &s);
			assert_double_equal(s.mad, stats_mad(copy, n, s.median), 0);
		}
	}
	/* hand: with an infinite value the MAD of {1, 2, inf} is still 1 */
	{
		double inf3[] = { 1, 2, INFINITY };

		stats_summarize_sorting(inf3, 3, &s);
		assert_double_equal(s.mad, 1, 0);
	}
}

static void test_quantile_ci(void **state)
{
	double x[200], lo, hi;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(x); i++)
		x[i] = (double)i + 1;
	/*
	 * comb: q = 0.1, n = 50, alpha 0.05: P(B <= 0) = 0.9^50 = 0.0052,
	 * P(B <= 1) = 0.0338, so l = 1; P(B >= 10) = 0.0245 and
	 * P(B >= 9) = 0.0579, so u = 10: [x(1), x(10)].
	 */
	assert_int_equal(stats_quantile_ci_sorted(x, 50, 0.1, 0.05, &lo, &hi), 0);
	assert_double_equal(lo, 1, 0);
	assert_double_equal(hi, 10, 0);
	/* comb: 0.9^35 = 0.02503 > 0.025: no lower bound from 35 values */
	assert_int_equal(stats_quantile_ci_sorted(x, 35, 0.1, 0.05, &lo, &hi), -1);
	assert_true(isnan(lo) && isnan(hi));
	/* comb: 0.9^36 = 0.0225 */
	assert_int_equal(stats_quantile_ci_sorted(x, 36, 0.1, 0.05, &lo, &hi), 0);
}

/* hand: the order is checked pairwise, NaNs last, on many sizes */
static void test_sort(void **state)
{
	double x[300];
	unsigned seed = 99;

	(void)state;
	for (size_t n = 0; n <= ARRAY_SIZE(x); n += (n < 20 ? 1 : 37)) {
		size_t nans = 0;

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			x[i] = (seed >> 16) % 13 == 0 ? NAN : (double)((seed >> 8) % 50) - 25;
			nans += isnan(x[i]);
		}
		stats_sort(x, n);
		for (size_t i = 0; i + 1 < n; i++)
			if (!isnan(x[i + 1]))
				assert_true(!isnan(x[i]) && x[i] <= x[i + 1]);
		for (size_t i = n - nans; i < n; i++)
			assert_nan(x[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mean),
		cmocka_unit_test(test_stddev),
		cmocka_unit_test(test_sorted_copy),
		cmocka_unit_test(test_percentile),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_mad),
		cmocka_unit_test(test_mean_ci),
		cmocka_unit_test(test_lognormal_mean_ci),
		cmocka_unit_test(test_bootstrap_mean_ci),
		cmocka_unit_test(test_mean_ci_in_domain),
		cmocka_unit_test(test_median_ci),
		cmocka_unit_test(test_modified_z),
		cmocka_unit_test(test_flag_outliers),
		cmocka_unit_test(test_summarize_empty),
		cmocka_unit_test(test_summarize_one),
		cmocka_unit_test(test_summarize_two),
		cmocka_unit_test(test_summarize_all_equal),
		cmocka_unit_test(test_summarize_small),
		cmocka_unit_test(test_summarize_ten),
		cmocka_unit_test(test_summarize_thirty),
		cmocka_unit_test(test_summary_mad_matches),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_quantile_ci),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
