/*
 * estimators: medians, Hodges–Lehmann and minima of B against A with
 * distribution-free intervals (see estimators.h).
 *
 * Why these: on a shared machine a third of the runs may land in bursts
 * of host contention 40-50% slower than the rest. The mean carries those
 * bursts; the median of paired log ratios and the Hodges–Lehmann shift
 * carry the program. Their intervals come from ranks and order statistics
 * only; the median's coverage holds whatever the shape of the times, the
 * rank intervals' under the symmetry and shift they assume (estimators.h).
 *
 * Rank distributions are counted exactly where the counts stay cheap; the
 * normal approximation with continuity correction serves beyond that. It
 * errs on the wide side only, by a few ranks for sizes alike and much
 * more for very unequal ones or tiny levels (no interval where an exact
 * one would exist): safe, at the cost of power.
 */
#include "analyse/estimators.h"
#include "analyse/pairwise.h"
#include "analyse/stats.h"
#include "lib/util.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

/*
 * Where counting stops being cheap at every look (n^3 / 6 and m^2 n / 2
 * additions); see above for the approximation beyond.
 */
#define SIGNED_RANK_EXACT_MAX 100
#define RANK_SUM_EXACT_MAX 2500

static const char *const names[] = {
	[ESTIMATOR_MEDIAN] = "median",
	[ESTIMATOR_HL] = "hl",
	[ESTIMATOR_MEAN] = "mean",
	[ESTIMATOR_MIN] = "min",
	[ESTIMATOR_COUNT] = NULL,
	[ESTIMATOR_AUTO] = "auto",
};

enum estimator estimator_resolve(enum estimator e, int paired)
{
	if (e != ESTIMATOR_AUTO)
		return e;
	(void)paired;
	return ESTIMATOR_MEDIAN;
}

const char *estimator_name(enum estimator e)
{
	if ((size_t)e < sizeof(names) / sizeof(*names) && names[e])
		return names[e];
	return "unknown";
}

const char *estimator_description(enum estimator e, int paired)
{
	switch (e) {
	case ESTIMATOR_MEDIAN:
		return paired ? "median of the pairs' ratios" : "ratio of medians";
	case ESTIMATOR_HL:
		return paired ? "Hodges–Lehmann of the pairs' log ratios" :
				"Hodges–Lehmann shift of log times";
	case ESTIMATOR_MEAN:
		return "ratio of means";
	case ESTIMATOR_MIN:
		return "ratio of the fast ends: the 10% quantiles";
	case ESTIMATOR_AUTO:
		return estimator_description(estimator_resolve(e, paired), paired);
	case ESTIMATOR_COUNT:
		break;
	}
	return "unknown";
}

int estimator_parse(const char *s, enum estimator *out)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (names[i] && !strcmp(s, names[i])) {
			*out = (enum estimator)i;
			return 0;
		}
	}
	return -1;
}

/*
 * k from a lower-tail CDF: the largest k with cdf(k-1) <= tail, given the
 * cumulative probabilities cum[0..len-1] (cum[c] = P(T <= c)); 0 if even
 * cum[0] exceeds the tail.
 */
static uint64_t largest_k(const double *cum, size_t len, double tail)
{
	uint64_t k = 0;

	while (k < len && cum[k] <= tail)
		k++;
	return k;
}

/* Normal approximation: the largest k with P(T <= k-1) <= tail. */
static uint64_t normal_k(double mean, double sd, double tail)
{
	double c = mean - 0.5 + gsl_cdf_ugaussian_Pinv(tail) * sd;

	/* c is the largest real k-1 that keeps the tail: k = floor(c) + 1. */
	return c < 0 ? 0 : (uint64_t)floor(c) + 1;
}

uint64_t signed_rank_lower_k(size_t n, double alpha)
{
	double tail = alpha / 2, mean, sd;

	if (!n || !(alpha > 0 && alpha < 1))
		return 0;
	if (n <= SIGNED_RANK_EXACT_MAX) {
		/*
		 * count[s] = subsets of {1..n} with sum s, one rank at a
		 * time; additions only, so the lower tail is exact.
		 */
		size_t max = n * (n + 1) / 2, half = max / 2 + 1;
		double *count = xcalloc(half, sizeof(*count));
		uint64_t k;

		count[0] = 1;
		for (size_t r = 1; r <= n; r++)
			for (size_t s = half - 1; s >= r; s--)
				count[s] += count[s - r];
		/* Cumulative probabilities, 2^n subsets in all. */
		for (size_t s = 0; s < half; s++)
			count[s] = ldexp(count[s], -(int)n) + (s ? count[s - 1] : 0);
		k = largest_k(count, half, tail);
		free(count);
		return k;
	}
	mean = (double)n * (n + 1) / 4;
	sd = sqrt((double)n * (n + 1) * (2.0 * n + 1) / 24);
	return normal_k(mean, sd, tail);
}

double *rank_sum_lower_cdf(size_t m, size_t n)
{
	size_t half;
	double *prev, *cur, total;

	if (!m || !n || (uint64_t)m * n > RANK_SUM_EXACT_MAX)
		return NULL;
	if (m > n) {
		size_t t = m;

		m = n;
		n = t;
	}
	/*
	 * U counts the pairs (a, b) with b < a, and its null distribution
	 * is that of the partitions of u into at most m parts of at most n
	 * each. With N(u; i, j) those of an i-by-j box: N(u; i, j) =
	 * N(u; i-1, j) + N(u-i; i, j-1) (fewer than i parts, or i parts each
	 * one smaller). Only the lower half of u is needed. Additions of
	 * counts only: the lower tail stays exact to rounding.
	 */
	half = m * n / 2 + 1;
	prev = xcalloc((m + 1) * half, sizeof(*prev));
	cur = xcalloc((m + 1) * half, sizeof(*cur));
	/* A box of width 0 holds only the empty partition. */
	for (size_t i = 0; i <= m; i++)
		prev[i * half] = 1;
	for (size_t j = 1; j <= n; j++) {
		for (size_t i = 0; i <= m; i++) {
			double *row = cur + i * half;

			for (size_t u = 0; u < half; u++) {
				double v = i ? cur[(i - 1) * half + u] : (u == 0);

				if (i && u >= i)
					v += prev[i * half + u - i];
				row[u] = v;
			}
		}
		double *t = prev;

		prev = cur;
		cur = t;
	}
	/* C(m + n, m) arrangements in all. */
	total = gsl_sf_lnchoose((unsigned)(m + n), (unsigned)m);
	for (size_t u = 0; u < half; u++)
		cur[u] = exp(log(prev[m * half + u]) - total) + (u ? cur[u - 1] : 0);
	free(prev);
	return xrealloc(cur, half * sizeof(*cur));
}

uint64_t rank_sum_lower_k(size_t m, size_t n, double alpha)
{
	double tail = alpha / 2, mean, sd, *cum;

	if (!m || !n || !(alpha > 0 && alpha < 1))
		return 0;
	cum = rank_sum_lower_cdf(m, n);
	if (cum) {
		uint64_t k = largest_k(cum, m * n / 2 + 1, tail);

		free(cum);
		return k;
	}
	mean = (double)m * n / 2;
	sd = sqrt((double)m * n * ((double)m + n + 1) / 12);
	return normal_k(mean, sd, tail);
}

/* New sorted array of log(x[i]); NULL when some x[i] is not positive. */
static double *sorted_logs(const double *x, size_t n)
{
	double *l = stats_log_copy(x, n);

	if (l)
		stats_sort(l, n);
	return l;
}

/* Sorted log(b[i]) - log(a[i]); NULL when a value is not positive. */
static double *sorted_log_ratios(const double *a, const double *b, size_t n)
{
	double *la = stats_log_copy(a, n), *d = la ? stats_log_copy(b, n) : NULL;

	if (d) {
		for (size_t i = 0; i < n; i++)
			d[i] -= la[i];
		stats_sort(d, n);
	}
	free(la);
	return d;
}

/*
 * Two one-sample intervals, each at 1 - alpha/2, cover both quantiles at
 * once with probability >= 1 - alpha whatever ties the two sides (runs
 * measured together share the machine's bursts); their difference on the
 * log scale then lies within [lo_b - hi_a, hi_b - lo_a].
 */
static void quantile_ratio(const double *la, size_t na, const double *lb,
			   size_t nb, double q, double alpha,
			   struct ratio_estimate *out)
{
	double alo, ahi, blo, bhi;

	out->ratio = exp(stats_percentile_sorted(lb, nb, 100 * q) -
			 stats_percentile_sorted(la, na, 100 * q));
	if (!stats_quantile_ci_sorted(la, na, q, alpha / 2, &alo, &ahi) &&
	    !stats_quantile_ci_sorted(lb, nb, q, alpha / 2, &blo, &bhi)) {
		out->lo = exp(blo - ahi);
		out->hi = exp(bhi - alo);
	}
}

static void paired_median(const double *d, size_t n, double alpha,
			  struct ratio_estimate *out)
{
	double lo, hi;

	out->ratio = exp(stats_median_sorted(d, n));
	if (!stats_median_ci_sorted(d, n, alpha, &lo, &hi)) {
		out->lo = exp(lo);
		out->hi = exp(hi);
	}
}

/* The estimate and the k-th smallest and largest pairwise values. */
static void rank_interval(const struct pairwise *pw, uint64_t k,
			  struct ratio_estimate *out)
{
	uint64_t count = pairwise_count(pw);

	out->ratio = exp(pairwise_median(pw));
	if (k >= 1 && k <= count - k + 1) {
		out->lo = exp(pairwise_kth(pw, k));
		out->hi = exp(pairwise_kth(pw, count - k + 1));
	}
}

static int all_equal(const double *x, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (x[i] != x[0])
			return 0;
	return 1;
}

int estimate_ratio(enum estimator e, const double *a, size_t na,
		   const double *b, size_t nb, int paired, double alpha,
		   struct ratio_estimate *out)
{
	double *la = NULL, *lb = NULL, *d = NULL;
	struct pairwise pw;
	int ret = -1;

	out->ratio = out->lo = out->hi = NAN;
	e = estimator_resolve(e, paired);
	if (!na || !nb || (paired && na != nb) || e == ESTIMATOR_MEAN || e >= ESTIMATOR_COUNT)
		return -1;
	/*
	 * Nothing varies over two runs or more: whatever the estimator, B/A
	 * is known exactly. One run each shows nothing of the spread.
	 */
	if (na >= 2 && nb >= 2 && all_equal(a, na) && all_equal(b, nb) && a[0] > 0 && b[0] > 0 &&
	    isfinite(a[0]) && isfinite(b[0])) {
		out->ratio = out->lo = out->hi = b[0] / a[0];
		return 0;
	}
	/* Pairs decide the median and HL; minima are a side's own. */
	if (paired && e != ESTIMATOR_MIN) {
		d = sorted_log_ratios(a, b, na);
		if (!d)
			goto out;
		if (e == ESTIMATOR_MEDIAN) {
			paired_median(d, na, alpha, out);
		} else {
			pairwise_walsh(&pw, d, na);
			rank_interval(&pw, signed_rank_lower_k(na, alpha), out);
		}
		ret = 0;
		goto out;
	}
	la = sorted_logs(a, na);
	lb = la ? sorted_logs(b, nb) : NULL;
	if (!lb)
		goto out;
	switch (e) {
	case ESTIMATOR_MEDIAN:
		quantile_ratio(la, na, lb, nb, 0.5, alpha, out);
		break;
	case ESTIMATOR_HL:
		pairwise_differences(&pw, la, na, lb, nb);
		rank_interval(&pw, rank_sum_lower_k(na, nb, alpha), out);
		break;
	case ESTIMATOR_MIN:
		quantile_ratio(la, na, lb, nb, ESTIMATOR_MIN_QUANTILE, alpha, out);
		break;
	case ESTIMATOR_MEAN:
	case ESTIMATOR_COUNT:
	case ESTIMATOR_AUTO:
		break;
	}
	ret = 0;
out:
	if (ret)
		out->ratio = out->lo = out->hi = NAN;
	free(la);
	free(lb);
	free(d);
	return ret;
}
