/*
 * stats: descriptive statistics of one sample, as small pure functions.
 *
 * Inputs are never modified (stats_summarize_sorting() says so in its
 * name: it sorts its input); scratch memory a function needs is freed
 * before it returns, and only stats_sorted_copy() hands memory to the
 * caller. Every function is unit-tested against values
 * computed independently (see tests/unit/test_stats.c for the sources).
 */
#ifndef STEADY_STATS_H
#define STEADY_STATS_H

#include <stddef.h>

double stats_mean(const double *x, size_t n);
/* Sample standard deviation (n-1 denominator); 0 when n < 2. */
double stats_stddev(const double *x, size_t n);
/* Sorts x ascending in place, NaNs last, without allocating. */
void stats_sort(double *x, size_t n);
/* New array of log(x[i]), NULL when some x[i] has no finite log; the caller frees it. */
double *stats_log_copy(const double *x, size_t n);
/* New array with x sorted ascending; the caller frees it. */
double *stats_sorted_copy(const double *x, size_t n);
/* p in [0,100] on sorted data, linear interpolation between closest ranks
 * (Hyndman & Fan type 7, the default of R and numpy). */
double stats_percentile_sorted(const double *sorted, size_t n, double p);
double stats_median_sorted(const double *sorted, size_t n);
/* Median absolute deviation from the median, unscaled. */
double stats_mad(const double *x, size_t n, double median);

/* 95% (or 1-alpha) CI of the mean with Student's t (GSL quantile), for
 * values of any sign. Returns -1 (and leaves lo/hi NaN) when n < 2. */
int stats_mean_ci(const double *x, size_t n, double alpha, double *lo, double *hi);
/*
 * The 1 - alpha interval of the mean that the summaries print: one that
 * never leaves the domain of the data (stats.c says why each):
 *  - every value > 0 (times, counts never 0): the union of the BCa
 *    bootstrap interval and the log-scale (modified Cox) t interval;
 *  - every value >= 0, some 0 (context switches, major faults): the BCa
 *    bootstrap interval, within [min, max] by construction;
 *  - above STATS_BOOT_MAX_N values, or with negative values: Student's t,
 *    cut at 0 when no value is negative.
 * Returns -1 (lo/hi NaN) when n < 2. Deterministic: the same values give
 * the same interval.
 */
#define STATS_BOOT_MAX_N 1000
int stats_mean_ci_in_domain(const double *x, size_t n, double alpha, double *lo, double *hi);
/*
 * Log-scale t interval of the mean of log-normal values, Olsson's modified
 * Cox method (J. Stat. Educ. 13(1), 2005): exp(m + v/2 -+ t(n-1) sqrt(v/n +
 * v^2 / (2(n-1)))) with m, v the mean and variance of log x. Positive.
 * -1 (NaN) when n < 2 or some value is not > 0.
 */
int stats_lognormal_mean_ci(const double *x, size_t n, double alpha, double *lo, double *hi);
/*
 * BCa bootstrap interval of the mean (10000 resamples, fixed seed, jackknife
 * acceleration): within [min x, max x], so >= 0 for values >= 0. The same
 * values in any order give the same interval.
 * -1 (NaN) when n < 2 or some value is not finite.
 */
int stats_bootstrap_mean_ci(const double *x, size_t n, double alpha, double *lo, double *hi);
/*
 * Distribution-free 1 - alpha interval of the q-quantile from sorted
 * values: [x(l), x(u)] with the Binomial(n, q) count below the quantile
 * between l and u-1 with probability >= 1 - alpha, each tail alpha/2.
 * 0, or -1 (lo/hi NaN) when n is too small for such an interval.
 */
int stats_quantile_ci_sorted(const double *sorted, size_t n, double q, double alpha,
			     double *lo, double *hi);
/* The same for the median (q = 1/2): the sign-test interval; n >= 6 at 95%. */
int stats_median_ci_sorted(const double *sorted, size_t n, double alpha,
			   double *lo, double *hi);

/* Modified z-score of Iglewicz and Hoaglin: 0.6745 (x - median) / MAD. */
double stats_modified_z(double x, double median, double mad);
#define STATS_OUTLIER_Z 3.5
/* Flags (1/0) in is_outlier[i] for |modified z| > 3.5; returns the count.
 * When MAD is 0, any value different from the median is an outlier. */
size_t stats_flag_outliers(const double *x, size_t n, unsigned char *is_outlier);

/* Everything the summary of one benchmark shows. */
struct summary {
	size_t n;
	double mean, median, min, max;
	double stddev, mad;                /* NaN when n < 2: one value has no spread */
	double p5, p25, p75, p95;
	double mean_ci_lo, mean_ci_hi;     /* NaN when unavailable */
	double median_ci_lo, median_ci_hi; /* NaN when unavailable */
	size_t outliers;
};
/* Fills s from n values; n == 0 gives n = 0 and NaN everywhere. */
void stats_summarize(const double *x, size_t n, struct summary *s);
/*
 * The same, sorting x in place: for callers whose array is a scratch copy
 * anyway, so that a summary of a million runs needs no second copy.
 */
void stats_summarize_sorting(double *x, size_t n, struct summary *s);

#endif
