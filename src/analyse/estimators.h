/*
 * estimators: the ratio B/A by the typical run rather than the average,
 * each with an interval whose coverage does not rest on normal times.
 *
 *   median  paired: median of the per-pair log ratios, order-statistic
 *           (sign-test) interval, valid whatever their distribution;
 *           files: ratio of the medians, from the two medians'
 *           order-statistic intervals, valid whatever either side's shape
 *   hl      Hodges–Lehmann on log times: paired, the median Walsh average
 *           of the log ratios with the Wilcoxon signed-rank interval
 *           (assumes the log ratios symmetric); files, the median pairwise
 *           difference with the Mann–Whitney interval (assumes B a shift
 *           of A: equal spreads). More power where those hold.
 *   min     the fast end: the ratio of the 10% quantiles with their
 *           order-statistic intervals (a minimum itself has none)
 *   mean    the ratio of means (compare.c: BCa bootstrap with Welch's t)
 *
 * Pure functions over positive sample values (times); nothing is kept or
 * handed over, scratch memory is freed before returning. The expected
 * values of the unit tests are computed by enumeration (see
 * tests/unit/test_estimators.c).
 */
#ifndef STEADY_ESTIMATORS_H
#define STEADY_ESTIMATORS_H

#include <stddef.h>
#include <stdint.h>

enum estimator {
	ESTIMATOR_MEDIAN, ESTIMATOR_HL, ESTIMATOR_MEAN, ESTIMATOR_MIN,
	ESTIMATOR_COUNT,
	/*
	 * The default: the median, the one that keeps its error rate under
	 * every shape bench/calibration tries (hl does not with unequal
	 * spreads) and converges as fast as hl on this machine's pairs
	 * (docs/compare.md); the mean while too few runs for its interval.
	 */
	ESTIMATOR_AUTO
};

/* The estimator ESTIMATOR_AUTO stands for (in either design). */
enum estimator estimator_resolve(enum estimator e, int paired);

/* What it estimates, for output: "median of the pairs' ratios", ... */
const char *estimator_description(enum estimator e, int paired);
/* "median", "hl", "mean", "min" ("auto"); and back: 0, or -1 for an unknown name. */
const char *estimator_name(enum estimator e);
int estimator_parse(const char *s, enum estimator *out);

/* The quantile of the fast end that `min` takes its interval from. */
#define ESTIMATOR_MIN_QUANTILE 0.10

/*
 * The rank k of the lower end of the 1 - alpha interval from Wilcoxon's
 * signed-rank statistic for n pairs: the interval is the k-th smallest to
 * the k-th largest Walsh average, k the largest with P(T <= k-1) <= alpha/2
 * under the null. Exact for n <= 100, normal with continuity correction
 * above. 0 when no k gives that coverage (n too small).
 */
uint64_t signed_rank_lower_k(size_t n, double alpha);

/* The same for the Mann–Whitney U of samples of m and n values, the
 * interval running over the m n pairwise differences. Exact while
 * m n <= 2500. */
uint64_t rank_sum_lower_k(size_t m, size_t n, double alpha);
/*
 * The null distribution of that U (no ties), lower half: a new array of
 * m n / 2 + 1 values, P(U <= u) at u, the caller frees it. NULL (use the
 * normal approximation) when m n > 2500, or a side is empty. U and
 * m n - U have the same distribution, so this is the whole of it.
 */
double *rank_sum_lower_cdf(size_t m, size_t n);

struct ratio_estimate {
	double ratio;   /* the estimate of B/A */
	double lo, hi;  /* its 1 - alpha interval; NaN when there is none */
};

/*
 * B/A by estimator e (not ESTIMATOR_MEAN, which compare.c owns) at level
 * 1 - alpha. paired: a[i] and b[i] were measured together (na == nb).
 * 0; -1 with NaN everywhere when a side is empty or holds a value <= 0.
 * A sample too small for an interval gives the estimate with NaN bounds,
 * unless every value of A is the same and so is every value of B (an
 * instruction count, say): then the ratio is exact and so is its interval.
 */
int estimate_ratio(enum estimator e, const double *a, size_t na,
		   const double *b, size_t nb, int paired, double alpha,
		   struct ratio_estimate *out);

#endif
