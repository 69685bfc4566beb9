/*
 * stats: the numbers a benchmark summary is built from (see stats.h).
 *
 * Timings are skewed and often carry a few wild runs, so next to mean and
 * standard deviation we report order statistics (median, percentiles, MAD)
 * and a distribution-free CI of the median, which those runs cannot drag.
 * Distributions come from GSL rather than hand-written approximations.
 */
#include "analyse/stats.h"
#include "analyse/resample.h"
#include "lib/util.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

/* What stats_summarize() asks for: the customary 95% intervals. */
#define SUMMARY_ALPHA 0.05

double stats_mean(const double *x, size_t n)
{
	/* GSL's mean of an empty array is 0; ours is NaN. */
	if (!n)
		return NAN;
	return gsl_stats_mean(x, 1, n);
}

double stats_stddev(const double *x, size_t n)
{
	if (n < 2)
		return 0;
	/* GSL's variance is two-pass: deviations from the mean, averaged. */
	return gsl_stats_sd(x, 1, n);
}

/* The order of stats_sort(): NaNs last, so the order stays total. */
static int before(double a, double b)
{
	if (isnan(a) || isnan(b))
		return !isnan(a) && isnan(b);
	return a < b;
}

static void sift_down(double *x, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		double t;

		if (child >= n)
			return;
		if (child + 1 < n && before(x[child], x[child + 1]))
			child++;
		if (!before(x[root], x[child]))
			return;
		t = x[root];
		x[root] = x[child];
		x[child] = t;
		root = child;
	}
}

/*
 * Heapsort rather than qsort(): glibc's qsort() is a merge sort that
 * mallocs a second array as large as the first, which would cost every
 * summary of a million runs another 8 MB (bench/memory).
 */
void stats_sort(double *x, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(x, i, n);
	for (size_t end = n; end > 1; end--) {
		double t = x[0];

		x[0] = x[end - 1];
		x[end - 1] = t;
		sift_down(x, 0, end - 1);
	}
}

double *stats_log_copy(const double *x, size_t n)
{
	double *l = xcalloc(n ? n : 1, sizeof(*l));

	for (size_t i = 0; i < n; i++) {
		if (!(x[i] > 0) || !isfinite(x[i])) {
			free(l);
			return NULL;
		}
		l[i] = log(x[i]);
	}
	return l;
}

double *stats_sorted_copy(const double *x, size_t n)
{
	/* xcalloc, not xmalloc: it refuses n * sizeof(double) overflowing. */
	double *copy = xcalloc(n, sizeof(*copy));

	if (n) {
		memcpy(copy, x, n * sizeof(*copy));
		stats_sort(copy, n);
	}
	return copy;
}

double stats_percentile_sorted(const double *sorted, size_t n, double p)
{
	double h;

	if (!n || !(p >= 0 && p <= 100))
		return NAN;
	/*
	 * An exact rank is answered without GSL: its (1 - f) x[i] + f x[i+1]
	 * would touch the neighbour, and 0 * inf is NaN.
	 */
	h = (n - 1) * p / 100;
	if (h == (double)(size_t)h)
		return sorted[(size_t)h];
	return gsl_stats_quantile_from_sorted_data(sorted, 1, n, p / 100);
}

double stats_median_sorted(const double *sorted, size_t n)
{
	if (!n)
		return NAN;
	if (n % 2)
		return sorted[n / 2];
	return (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/* The MAD needs the median of the deviations: sort a scratch copy. */
double stats_mad(const double *x, size_t n, double median)
{
	double *dev, mad;

	if (!n)
		return NAN;
	dev = xcalloc(n, sizeof(*dev));
	for (size_t i = 0; i < n; i++)
		dev[i] = fabs(x[i] - median);
	stats_sort(dev, n);
	mad = stats_median_sorted(dev, n);
	free(dev);
	return mad;
}

int stats_mean_ci(const double *x, size_t n, double alpha,
		  double *lo, double *hi)
{
	double mean, half;

	*lo = *hi = NAN;
	/* GSL's default error handler aborts, so never hand it bad input. */
	if (n < 2 || !(alpha > 0 && alpha < 1))
		return -1;
	mean = stats_mean(x, n);
	half = gsl_cdf_tdist_Pinv(1 - alpha / 2, n - 1) *
	       stats_stddev(x, n) / sqrt(n);
	*lo = mean - half;
	*hi = mean + half;
	return 0;
}

int stats_lognormal_mean_ci(const double *x, size_t n, double alpha,
			    double *lo, double *hi)
{
	double *l, m, v, half;

	*lo = *hi = NAN;
	if (n < 2 || !(alpha > 0 && alpha < 1))
		return -1;
	l = stats_log_copy(x, n);
	if (!l)
		return -1;
	m = stats_mean(l, n);
	v = stats_stddev(l, n);
	v *= v;
	free(l);
	/*
	 * Olsson's modified Cox interval: for log-normal times the mean is
	 * exp(mu + sigma^2 / 2), and the estimate of mu + sigma^2 / 2 has
	 * variance sigma^2 / n + sigma^4 / (2 (n - 1)); a t quantile on n - 1
	 * degrees of freedom keeps it honest at small n.
	 */
	half = gsl_cdf_tdist_Pinv(1 - alpha / 2, n - 1) *
	       sqrt(v / n + v * v / (2.0 * (n - 1)));
	*lo = exp(m + v / 2 - half);
	*hi = exp(m + v / 2 + half);
	return 0;
}

/*
 * The resamples of stats_bootstrap_mean_ci(): with a slow run among ten,
 * the BCa upper end is the 99.8th percentile of the resamples, which 2000
 * leave to four of them (1.6% off); 10000, as compare's default, keep it
 * within 1.5% (tests/unit/test_stats.c). A fixed seed makes the same data
 * give the same interval.
 */
#define BOOT_RESAMPLES 10000
#define BOOT_SEED 20240612UL

int stats_bootstrap_mean_ci(const double *x, size_t n, double alpha,
			    double *lo, double *hi)
{
	double theta, *boot, *sorted, below = 0, p, z0, z, sum2 = 0, sum3 = 0, acc;
	struct index_source src;
	size_t i, k;

	*lo = *hi = NAN;
	if (n < 2 || !(alpha > 0 && alpha < 1) || n > UINT32_MAX)
		return -1;
	for (i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return -1;
	/*
	 * Drawn from sorted values, and the estimate summed in that order too:
	 * the interval does not depend on their order, not even through the
	 * last bit of the mean that decides a tie with a resample.
	 */
	sorted = stats_sorted_copy(x, n);
	theta = stats_mean(sorted, n);
	boot = xcalloc(BOOT_RESAMPLES, sizeof(*boot));
	index_source_init(&src, BOOT_SEED, (uint32_t)n);
	for (k = 0; k < BOOT_RESAMPLES; k++) {
		double sum = 0;

		for (i = 0; i < n; i++)
			sum += sorted[draw_index(&src)];
		boot[k] = sum / n;
	}
	free(sorted);
	stats_sort(boot, BOOT_RESAMPLES);
	if (boot[0] == boot[BOOT_RESAMPLES - 1]) {
		*lo = *hi = boot[0];
		free(boot);
		return 0;
	}
	/* Bias: the share of resamples below the estimate, ties half, kept inside (0, 1). */
	for (k = 0; k < BOOT_RESAMPLES && boot[k] <= theta; k++)
		below += boot[k] < theta ? 1 : 0.5;
	p = below / BOOT_RESAMPLES;
	p = fmin(fmax(p, 0.5 / BOOT_RESAMPLES), 1 - 0.5 / BOOT_RESAMPLES);
	z0 = gsl_cdf_ugaussian_Pinv(p);
	/* The jackknife influence of x[i] on the mean is x[i] - mean. */
	for (i = 0; i < n; i++) {
		double d = x[i] - theta;

		sum2 += d * d;
		sum3 += d * d * d;
	}
	acc = sum2 > 0 ? sum3 / (6 * pow(sum2, 1.5)) : 0;
	z = gsl_cdf_ugaussian_Pinv(alpha / 2);
	for (int side = 0; side < 2; side++) {
		double zz = side ? -z : z, num = z0 + zz, den = 1 - acc * num, level;

		/* Past the pole of the formula the level has run off to 0 or 1. */
		level = den > 0 ? gsl_cdf_ugaussian_P(z0 + num / den) : num > 0;
		*(side ? hi : lo) = gsl_stats_quantile_from_sorted_data(boot, 1, BOOT_RESAMPLES, level);
	}
	free(boot);
	return 0;
}

int stats_mean_ci_in_domain(const double *x, size_t n, double alpha,
			    double *lo, double *hi)
{
	int positive = 1, nonnegative = 1;
	double blo, bhi;

	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]))
			return stats_mean_ci(x, n, alpha, lo, hi);
		positive &= x[i] > 0;
		nonnegative &= x[i] >= 0;
	}
	if (!nonnegative || n < 2 || n > STATS_BOOT_MAX_N) {
		if (stats_mean_ci(x, n, alpha, lo, hi))
			return -1;
		/*
		 * Many runs: the t interval is right by the central limit
		 * theorem, and cutting it at 0 loses no coverage, since the
		 * mean of values >= 0 is never below 0. With few runs its
		 * symmetric shape is what is wrong, which no cut mends.
		 */
		if (nonnegative && *lo < 0)
			*lo = 0;
		return 0;
	}
	/*
	 * Values with zeros (context switches, major faults) have no log,
	 * and the t interval's symmetric shape is what puts a bound below 0
	 * when a few runs count 1 or 2 and the rest 0. The bootstrap's ends
	 * are means of resampled values >= 0, within [min, max]: valid for
	 * the domain by construction. Its weakness, too narrow with a
	 * handful of runs, is what the summary's few-runs warning is for.
	 */
	if (stats_bootstrap_mean_ci(x, n, alpha, lo, hi))
		return -1;
	/*
	 * With few runs the bootstrap cannot see the tails it was never
	 * dealt and comes out too narrow; the log-scale interval is exact
	 * for log-normal data at any n, but an outlier it takes for a tail
	 * of the log-normal can leave the mean outside it. The union keeps
	 * the coverage of each (as compare.c does for the ratio of means).
	 */
	if (positive && !stats_lognormal_mean_ci(x, n, alpha, &blo, &bhi)) {
		*lo = fmin(*lo, blo);
		*hi = fmax(*hi, bhi);
	}
	return 0;
}

int stats_quantile_ci_sorted(const double *sorted, size_t n, double q, double alpha,
			     double *lo, double *hi)
{
	double tail = alpha / 2;
	size_t l, u;

	*lo = *hi = NAN;
	if (!n || n > UINT_MAX || !(alpha > 0 && alpha < 1) || !(q > 0 && q < 1))
		return -1;
	/*
	 * B, the number of values below the quantile, is Binomial(n, q).
	 * x(l) lies above it when B <= l-1 and x(u) below it when B >= u:
	 * the largest l and the smallest u that keep each within tail, both
	 * found by bisection (the tails are monotonic in l and u).
	 */
	{
		size_t a = 0, b = n;   /* P(B <= a-1) <= tail holds at a = 0 */

		while (a < b) {
			size_t mid = a + (b - a + 1) / 2;

			if (gsl_cdf_binomial_P((unsigned)(mid - 1), q, (unsigned)n) <= tail)
				a = mid;
			else
				b = mid - 1;
		}
		l = a;
		a = 1;
		b = n + 1;    /* n + 1: no u within the sample */
		while (a < b) {
			size_t mid = a + (b - a) / 2;

			if (gsl_cdf_binomial_Q((unsigned)(mid - 1), q, (unsigned)n) <= tail)
				b = mid;
			else
				a = mid + 1;
		}
		u = a;
	}
	if (l < 1 || u > n || l > u)
		return -1;
	*lo = sorted[l - 1];
	*hi = sorted[u - 1];
	return 0;
}


int stats_median_ci_sorted(const double *sorted, size_t n, double alpha,
			   double *lo, double *hi)
{
	return stats_quantile_ci_sorted(sorted, n, 0.5, alpha, lo, hi);
}

double stats_modified_z(double x, double median, double mad)
{
	/*
	 * With MAD 0 (over half the values equal) the score is 0 for the
	 * median and infinite for anything else, which is what makes every
	 * other value an outlier as stats.h promises.
	 */
	if (mad == 0) {
		if (x == median)
			return 0;
		return x > median ? INFINITY : -INFINITY;
	}
	return 0.6745 * (x - median) / mad;
}

/* is_outlier may be NULL when only the count is wanted. */
static size_t mark_outliers(const double *x, size_t n, double median,
			    double mad, unsigned char *is_outlier)
{
	size_t i, count = 0;
	int out;

	for (i = 0; i < n; i++) {
		out = fabs(stats_modified_z(x[i], median, mad)) > STATS_OUTLIER_Z;
		if (is_outlier)
			is_outlier[i] = out;
		count += out;
	}
	return count;
}

size_t stats_flag_outliers(const double *x, size_t n, unsigned char *is_outlier)
{
	double *sorted, median;

	if (!n)
		return 0;
	sorted = stats_sorted_copy(x, n);
	median = stats_median_sorted(sorted, n);
	free(sorted);
	return mark_outliers(x, n, median, stats_mad(x, n, median), is_outlier);
}

/*
 * The MAD of sorted values without a scratch array: the deviations left of
 * the median, read leftwards, and those right of it, read rightwards, are
 * two ascending runs, so walking both as in a merge reaches the middle
 * deviations in order.
 */
static double mad_sorted(const double *sorted, size_t n, double median)
{
	size_t right = 0, left, want = n / 2, k;
	double prev = NAN, cur = NAN;

	while (right < n && sorted[right] < median)
		right++;
	left = right;    /* deviations of sorted[left - 1], sorted[left - 2], ... */
	for (k = 0; k <= want; k++) {
		prev = cur;
		if (left && (right >= n || median - sorted[left - 1] <= sorted[right] - median)) {
			cur = median - sorted[left - 1];
			left--;
		} else {
			cur = sorted[right] - median;
			right++;
		}
	}
	return n % 2 ? cur : (prev + cur) / 2;
}

void stats_summarize_sorting(double *x, size_t n, struct summary *s)
{
	s->n = n;
	s->outliers = 0;
	if (!n) {
		s->mean = s->stddev = s->median = s->mad = NAN;
		s->min = s->max = NAN;
		s->p5 = s->p25 = s->p75 = s->p95 = NAN;
		s->mean_ci_lo = s->mean_ci_hi = NAN;
		s->median_ci_lo = s->median_ci_hi = NAN;
		return;
	}

	stats_sort(x, n);
	s->mean = stats_mean(x, n);
	s->stddev = stats_stddev(x, n);
	s->median = stats_median_sorted(x, n);
	s->mad = mad_sorted(x, n, s->median);
	s->min = x[0];
	s->max = x[n - 1];
	s->p5 = stats_percentile_sorted(x, n, 5);
	s->p25 = stats_percentile_sorted(x, n, 25);
	s->p75 = stats_percentile_sorted(x, n, 75);
	s->p95 = stats_percentile_sorted(x, n, 95);
	/* Both leave NaN behind when the sample is too small. */
	stats_mean_ci_in_domain(x, n, SUMMARY_ALPHA, &s->mean_ci_lo, &s->mean_ci_hi);
	stats_median_ci_sorted(x, n, SUMMARY_ALPHA,
			       &s->median_ci_lo, &s->median_ci_hi);
	s->outliers = mark_outliers(x, n, s->median, s->mad, NULL);
	/* One value has no spread: not a spread of 0. */
	if (n < 2)
		s->stddev = s->mad = NAN;
}

void stats_summarize(const double *x, size_t n, struct summary *s)
{
	double *copy = n ? xcalloc(n, sizeof(*copy)) : NULL;

	if (n)
		memcpy(copy, x, n * sizeof(*copy));

	stats_summarize_sorting(copy, n, s);
	free(copy);
}
