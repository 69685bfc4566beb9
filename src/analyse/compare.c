/*
 * compare: is B slower, faster or the same as A (see compare.h).
 *
 * The verdict rests on one interval of the ratio B/A, because a ratio is
 * what people act on ("3% slower"): the judged estimator's (estimators.h;
 * the median by default). The ratio of means has its own here: a BCa
 * bootstrap CI, which corrects the skew that timings and ratios both have,
 * joined with Welch's t on logs. Every estimator is computed at the same
 * level and kept beside the verdict with the p-values (Welch's t on log
 * times, Mann-Whitney U): when they disagree, the data deserve a look
 * before the verdict does.
 *
 * Distributions come from GSL; the bootstrap's draws from resample.h,
 * seeded by the caller, so that a comparison can be repeated exactly.
 */
#include "analyse/compare.h"
#include "analyse/resample.h"
#include "analyse/stats.h"
#include "lib/util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

static int all_finite(const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return 0;
	return 1;
}

/* Sample variance (n-1 denominator), n >= 2. */
static double variance(const double *x, size_t n)
{
	double sd = stats_stddev(x, n);

	return sd * sd;
}

/*
 * Type 7 quantile at probability p of sorted x. Unlike
 * stats_percentile_sorted() it takes equal neighbours as they are, so two
 * infinite bootstrap ratios do not interpolate into NaN.
 */
static double quantile_sorted(const double *x, size_t n, double p)
{
	double h = (n - 1) * p, frac;
	size_t lo;

	if (!(h > 0))
		return x[0];
	lo = (size_t)h;
	if (lo >= n - 1)
		return x[n - 1];
	frac = h - lo;
	if (frac == 0 || x[lo] == x[lo + 1])
		return x[lo];
	return x[lo] + frac * (x[lo + 1] - x[lo]);
}

/*
 * The ratio of means from sums, computed the same way for the estimate
 * and for every resample so that equal resamples give equal ratios. A
 * resample of A can only sum to 0 or less if A holds such values; its
 * ratio is then unbounded, which +inf says without making NaN.
 */
static double ratio_of_means(double sum_b, size_t nb, double sum_a, size_t na)
{
	if (!(sum_a > 0))
		return INFINITY;
	return (sum_b / nb) / (sum_a / na);
}

/*
 * Efron's acceleration, a = sum L^3 / (6 (sum L^2)^(3/2)), from jackknife
 * influence values. With two independent samples each sample k contributes
 * its own leave-one-out values, centred on their own mean and weighted by
 * 1/n_k (Davison & Hinkley 1997, the several-sample case); with one sample
 * (pairs) the weight cancels. Sums of squares and cubes accumulate in
 * sum2/sum3.
 */
static void add_influence(const double *jack, size_t n, double *sum2,
			  double *sum3)
{
	double mean = stats_mean(jack, n), l;

	for (size_t i = 0; i < n; i++) {
		l = (mean - jack[i]) * (n - 1) / n;
		*sum2 += l * l;
		*sum3 += l * l * l;
	}
}

static double acceleration(const double *a, size_t na, double sum_a,
			   const double *b, size_t nb, double sum_b, int paired)
{
	double *jack, sum2 = 0, sum3 = 0, acc;
	size_t i;

	jack = xcalloc(na > nb ? na : nb, sizeof(*jack));
	if (paired) {
		/* Leave one pair out: both sums lose their i-th value. */
		for (i = 0; i < na; i++)
			jack[i] = ratio_of_means(sum_b - b[i], nb - 1,
						 sum_a - a[i], na - 1);
		add_influence(jack, na, &sum2, &sum3);
	} else {
		for (i = 0; i < na; i++)
			jack[i] = ratio_of_means(sum_b, nb, sum_a - a[i], na - 1);
		add_influence(jack, na, &sum2, &sum3);
		for (i = 0; i < nb; i++)
			jack[i] = ratio_of_means(sum_b - b[i], nb - 1, sum_a, na);
		add_influence(jack, nb, &sum2, &sum3);
	}
	free(jack);

	/* All leave-one-out ratios equal, or some unbounded: no skew to fix. */
	if (!(sum2 > 0) || !isfinite(sum2) || !isfinite(sum3))
		return 0;
	acc = sum3 / (6 * pow(sum2, 1.5));
	return isfinite(acc) ? acc : 0;
}

/*
 * The BCa level that replaces the nominal one with normal quantile z.
 * Past the pole of the formula (1 - acc (z0 + z) <= 0, only with absurd
 * skew) the level has run off to 0 or 1; clamp it there.
 */
static double bca_level(double z0, double acc, double z)
{
	double num = z0 + z, den = 1 - acc * num;

	if (!(den > 0))
		return num > 0 ? 1 : 0;
	return gsl_cdf_ugaussian_P(z0 + num / den);
}

int compare_bca_ratio(const double *a, size_t na, const double *b, size_t nb,
		      int paired, double alpha, unsigned resamples, uint64_t seed,
		      double *lo, double *hi)
{
	double sum_a = 0, sum_b = 0, theta, *boot, below, z0, acc, z, p;
	struct index_source src_a, src_b;
	unsigned k;
	size_t i;

	*lo = *hi = NAN;
	if (na < 2 || nb < 2 || (paired && na != nb))
		return -1;
	/* Indices are drawn 32 bits at a time. */
	if (na > UINT32_MAX || nb > UINT32_MAX)
		return -1;
	if (!(alpha > 0 && alpha < 1) || !resamples)
		return -1;
	if (!all_finite(a, na) || !all_finite(b, nb))
		return -1;
	for (i = 0; i < na; i++)
		sum_a += a[i];
	for (i = 0; i < nb; i++)
		sum_b += b[i];
	if (!(sum_a > 0 && sum_b > 0))
		return -1;
	theta = ratio_of_means(sum_b, nb, sum_a, na);

	boot = xcalloc(resamples, sizeof(*boot));
	/* A stream a side; B's seed differs from A's in every bit. */
	index_source_init(&src_a, seed, (uint32_t)na);
	index_source_init(&src_b, ~seed, (uint32_t)nb);
	for (k = 0; k < resamples; k++) {
		double sa = 0, sb = 0;
		uint32_t j;

		if (paired) {
			/* A resampled pair keeps both of its times. */
			for (i = 0; i < na; i++) {
				j = draw_index(&src_a);
				sa += a[j];
				sb += b[j];
			}
		} else {
			for (i = 0; i < na; i++)
				sa += a[draw_index(&src_a)];
			for (i = 0; i < nb; i++)
				sb += b[draw_index(&src_b)];
		}
		boot[k] = ratio_of_means(sb, nb, sa, na);
	}
	stats_sort(boot, resamples);

	/* No spread at all: every reading of the data gives one ratio. */
	if (boot[0] == boot[resamples - 1]) {
		*lo = *hi = boot[0];
		free(boot);
		return 0;
	}

	/*
	 * Bias correction from the share of resamples below the estimate,
	 * ties counted half. A share of 0 or 1 would make z0 infinite, so
	 * keep it half a resample inside (0, 1).
	 */
	below = 0;
	for (k = 0; k < resamples && boot[k] <= theta; k++)
		below += boot[k] < theta ? 1 : 0.5;
	p = below / resamples;
	if (p < 0.5 / resamples)
		p = 0.5 / resamples;
	if (p > 1 - 0.5 / resamples)
		p = 1 - 0.5 / resamples;
	z0 = gsl_cdf_ugaussian_Pinv(p);

	acc = acceleration(a, na, sum_a, b, nb, sum_b, paired);

	z = gsl_cdf_ugaussian_Pinv(alpha / 2);
	*lo = quantile_sorted(boot, resamples, bca_level(z0, acc, z));
	*hi = quantile_sorted(boot, resamples, bca_level(z0, acc, -z));
	free(boot);
	return 0;
}

int compare_delta_ratio(const double *a, size_t na, const double *b, size_t nb,
			int paired, double alpha, double *lo, double *hi)
{
	double ma, mb, var, z, theta;

	*lo = *hi = NAN;
	if (na < 2 || nb < 2 || (paired && na != nb) || !(alpha > 0 && alpha < 1))
		return -1;
	if (!all_finite(a, na) || !all_finite(b, nb))
		return -1;
	ma = stats_mean(a, na);
	mb = stats_mean(b, nb);
	if (!(ma > 0 && mb > 0))
		return -1;
	if (paired) {
		/* The linearised log ratio of each pair, whose mean is 0. */
		double sum2 = 0;

		for (size_t i = 0; i < na; i++) {
			double d = b[i] / mb - a[i] / ma;

			sum2 += d * d;
		}
		var = sum2 / (na - 1) / na;
	} else {
		double sa = stats_stddev(a, na) / ma, sb = stats_stddev(b, nb) / mb;

		var = sa * sa / na + sb * sb / nb;
	}
	theta = mb / ma;
	if (!isfinite(var) || !isfinite(theta))
		return -1;
	z = gsl_cdf_ugaussian_Qinv(alpha / 2);
	*lo = theta * exp(-z * sqrt(var));
	*hi = theta * exp(z * sqrt(var));
	return 0;
}

/*
 * The parts of Welch's t on log values: the difference of mean logs (of
 * B minus A; with pairs, the mean log-ratio), its standard error and the
 * degrees of freedom. 0, or -1 when they cannot be computed.
 */
static int welch_log_parts(const double *a, size_t na, const double *b, size_t nb,
			   int paired, double *diff, double *se_out, double *df)
{
	double *la, *lb, va, vb, se, d, nu;
	int ret = -1;

	if (na < 2 || nb < 2 || (paired && na != nb))
		return -1;
	la = stats_log_copy(a, na);
	lb = stats_log_copy(b, nb);
	if (!la || !lb)
		goto out;

	if (paired) {
		for (size_t i = 0; i < na; i++)
			lb[i] -= la[i];
		se = sqrt(variance(lb, na) / na);
		d = stats_mean(lb, na);
		nu = na - 1;
	} else {
		va = variance(la, na) / na;
		vb = variance(lb, nb) / nb;
		se = sqrt(va + vb);
		d = stats_mean(lb, nb) - stats_mean(la, na);
		/* Welch-Satterthwaite; one constant side leaves the other's n-1. */
		nu = se > 0 ? (va + vb) * (va + vb) /
			      (va * va / (na - 1) + vb * vb / (nb - 1)) : NAN;
	}
	if (!(se > 0) || !isfinite(d) || !(nu > 0))
		goto out;
	*diff = d;
	*se_out = se;
	*df = nu;
	ret = 0;
out:
	free(la);
	free(lb);
	return ret;
}

int compare_welch_log(const double *a, size_t na, const double *b, size_t nb,
		      int paired, double *t, double *df, double *p)
{
	double d, se, nu;

	*t = *df = *p = NAN;
	if (welch_log_parts(a, na, b, nb, paired, &d, &se, &nu))
		return -1;
	*t = d / se;
	*df = nu;
	*p = 2 * gsl_cdf_tdist_Q(fabs(*t), nu);
	if (*p > 1)
		*p = 1;
	return 0;
}

int compare_welch_log_ci(const double *a, size_t na, const double *b, size_t nb,
			 int paired, double alpha, double *lo, double *hi)
{
	double d, se, nu, q;

	*lo = *hi = NAN;
	if (welch_log_parts(a, na, b, nb, paired, &d, &se, &nu))
		return -1;
	q = gsl_cdf_tdist_Qinv(alpha / 2, nu);
	*lo = exp(d - q * se);
	*hi = exp(d + q * se);
	return 0;
}

/*
 * The exact two-sided p of U = u (an integer) when na A and nb B values
 * without ties are one random arrangement of their ranks, as R's
 * wilcox.test: min(1, 2 min(P(U <= u), P(U >= u))); U's distribution is
 * symmetric, so the smaller tail is P(U <= min(u, na nb - u)).
 * NaN beyond the sizes rank_sum_lower_cdf() counts.
 */
static double mann_whitney_exact_p(size_t na, size_t nb, double u)
{
	double *cum = rank_sum_lower_cdf(na, nb), p;
	double lower = fmin(u, (double)na * nb - u);

	if (!cum)
		return NAN;
	p = 2 * cum[(size_t)lower];
	free(cum);
	return p > 1 ? 1 : p;
}

int compare_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
			 double *u, double *p)
{
	double *sa, *sb, uu = 0, ties = 0, mean, var, n, z, v;
	size_t i = 0, j = 0, ca, cb, below_a = 0;

	*u = *p = NAN;
	if (!na || !nb)
		return -1;
	for (i = 0; i < na; i++)
		if (isnan(a[i]))
			return -1;
	for (j = 0; j < nb; j++)
		if (isnan(b[j]))
			return -1;

	/*
	 * Walk both sorted samples one distinct value at a time: each b equal
	 * to v beats the a below v and ties the a equal to v, and every group
	 * of t equal values adds t^3 - t to the tie correction.
	 */
	sa = stats_sorted_copy(a, na);
	sb = stats_sorted_copy(b, nb);
	i = j = 0;
	while (i < na || j < nb) {
		if (j >= nb || (i < na && sa[i] < sb[j]))
			v = sa[i];
		else
			v = sb[j];
		for (ca = 0; i < na && sa[i] == v; i++)
			ca++;
		for (cb = 0; j < nb && sb[j] == v; j++)
			cb++;
		uu += (double)cb * below_a + 0.5 * (double)cb * ca;
		ties += ((double)(ca + cb) * (ca + cb) - 1) * (ca + cb);
		below_a += ca;
	}
	free(sa);
	free(sb);

	n = (double)na + nb;
	mean = (double)na * nb / 2;
	var = (double)na * nb / 12 * ((n + 1) - ties / (n * (n - 1)));
	*u = uu;
	/* Every value equal: nothing tells the samples apart. */
	if (!(var > 0)) {
		*p = 1;
		return 0;
	}
	/*
	 * Small samples without ties (na nb <= 2500, so every 50 + 50): the
	 * exact null distribution of U, counted as for the Hodges–Lehmann
	 * interval (estimators.h), as R's wilcox.test. With ties the normal
	 * approximation below stays, its variance corrected for them: an
	 * exact test would need the permutation distribution of the tied
	 * ranks, one for every pattern of ties.
	 */
	if (ties == 0) {
		double exact = mann_whitney_exact_p(na, nb, uu);

		if (!isnan(exact)) {
			*p = exact;
			return 0;
		}
	}
	z = (fabs(uu - mean) - 0.5) / sqrt(var);
	*p = z > 0 ? 2 * gsl_cdf_ugaussian_Q(z) : 1;
	if (*p > 1)
		*p = 1;
	return 0;
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_UNRESOLVED:
		return "UNRESOLVED";
	case VERDICT_SAME:
		return "SAME";
	case VERDICT_SLOWER:
		return "SLOWER";
	case VERDICT_FASTER:
		return "FASTER";
	}
	return "UNKNOWN";
}

enum verdict verdict_from_ci(double lo, double hi, double margin)
{
	/* Half an interval, or one upside down, says nothing. */
	if (!(lo <= hi) || isnan(margin))
		return VERDICT_UNRESOLVED;
	if (lo > 1 + margin)
		return VERDICT_SLOWER;
	if (hi < 1 - margin)
		return VERDICT_FASTER;
	if (lo >= 1 - margin && hi <= 1 + margin)
		return VERDICT_SAME;
	return VERDICT_UNRESOLVED;
}

double compare_look_alpha(double alpha, unsigned k)
{
	/* Look 0 does not exist; a NaN level makes every interval fail. */
	if (!k)
		return NAN;
	/* Far beyond the last double anyway; keeps the int conversion safe. */
	if (k > 4096)
		k = 4096;
	return ldexp(alpha, -(int)k);
}

void compare_options_init(struct compare_options *o)
{
	o->alpha = 0.05;
	o->margin = 0.01;
	o->resamples = 10000;
	o->seed = 1;
	o->paired = 0;
	o->estimator = ESTIMATOR_AUTO;
}

/* Ratio of medians, NaN unless both exist and A's is positive. */
static double ratio_of_medians(const double *a, size_t na, const double *b,
			       size_t nb)
{
	double *sa, *sb, ma, mb;

	if (!na || !nb)
		return NAN;
	sa = stats_sorted_copy(a, na);
	sb = stats_sorted_copy(b, nb);
	ma = stats_median_sorted(sa, na);
	mb = stats_median_sorted(sb, nb);
	free(sa);
	free(sb);
	return ma > 0 && isfinite(mb) ? mb / ma : NAN;
}

/*
 * The ratio of means and its interval: the union of the bootstrap's and
 * Welch's t on log values. With few runs (under ten or so) the bootstrap
 * cannot see the tails it was never dealt and comes out too narrow; the t
 * interval is exact for log-normal times at any n. Taking the wider of the
 * two keeps the coverage of each. Beyond the bootstrap's bound
 * (COMPARE_BOOT_MAX_DRAWS) the delta method takes its place: thousands of
 * runs are where it is accurate, and its cost is one pass.
 */
static void mean_estimate(const double *a, size_t na, const double *b, size_t nb,
			  const struct compare_options *o, double ratio_means,
			  struct estimate_verdict *out, int *delta)
{
	double lo, hi;

	out->ratio = ratio_means;
	*delta = (double)o->resamples * ((double)na + (double)nb) > COMPARE_BOOT_MAX_DRAWS;
	if (*delta)
		compare_delta_ratio(a, na, b, nb, o->paired, o->alpha, &out->lo, &out->hi);
	else
		compare_bca_ratio(a, na, b, nb, o->paired, o->alpha, o->resamples,
				  o->seed, &out->lo, &out->hi);
	if (!isnan(out->lo) &&
	    !compare_welch_log_ci(a, na, b, nb, o->paired, o->alpha, &lo, &hi)) {
		out->lo = fmin(out->lo, lo);
		out->hi = fmax(out->hi, hi);
	}
}

/* Two decisions that cannot both be right. */
static int opposed(enum verdict x, enum verdict y)
{
	if (x == VERDICT_UNRESOLVED || y == VERDICT_UNRESOLVED)
		return 0;
	return x != y;
}

void compare_samples(const double *a, size_t na, const double *b, size_t nb,
		     const struct compare_options *o, struct comparison *out)
{
	struct compare_options defaults;
	double ma, mb;

	if (!o) {
		compare_options_init(&defaults);
		o = &defaults;
	}
	out->na = na;
	out->nb = nb;
	out->paired = o->paired;
	out->alpha = o->alpha;
	out->margin = o->margin;
	out->estimator = estimator_resolve(o->estimator, o->paired);

	ma = stats_mean(a, na);
	mb = stats_mean(b, nb);
	out->ratio_means = ma > 0 && isfinite(ma) && isfinite(mb) ? mb / ma : NAN;
	out->ratio_medians = ratio_of_medians(a, na, b, nb);

	/* Each leaves NaN behind where it cannot say anything. */
	compare_welch_log(a, na, b, nb, o->paired, &out->welch_t,
			  &out->welch_df, &out->welch_p);
	compare_mann_whitney(a, na, b, nb, &out->mwu_u, &out->mwu_p);

	/*
	 * Every estimator at the same level: the judged one decides, the
	 * others say whether it is alone in its decision.
	 */
	out->disagree = 0;
	for (int e = 0; e < ESTIMATOR_COUNT; e++) {
		struct estimate_verdict *ev = &out->by[e];
		struct ratio_estimate r;

		if (e == ESTIMATOR_MEAN) {
			mean_estimate(a, na, b, nb, o, out->ratio_means, ev, &out->mean_ci_delta);
		} else {
			estimate_ratio((enum estimator)e, a, na, b, nb, o->paired, o->alpha, &r);
			ev->ratio = r.ratio;
			ev->lo = r.lo;
			ev->hi = r.hi;
		}
		ev->verdict = verdict_from_ci(ev->lo, ev->hi, out->margin);
	}
	out->hl_ratio = out->by[ESTIMATOR_HL].ratio;
	for (int e = 0; e < ESTIMATOR_COUNT; e++)
		for (int f = e + 1; f < ESTIMATOR_COUNT; f++)
			/* The minimum answers another question: not counted. */
			if (e != ESTIMATOR_MIN && f != ESTIMATOR_MIN &&
			    opposed(out->by[e].verdict, out->by[f].verdict))
				out->disagree = 1;
	/*
	 * Too few runs for a distribution-free interval (under 6 pairs at
	 * 95%): the default falls back to the mean's, whose error rate holds
	 * from 2 runs on (bench/calibration). One asked for by name does not.
	 */
	out->fell_back = o->estimator == ESTIMATOR_AUTO && isnan(out->by[out->estimator].lo) &&
			 !isnan(out->by[ESTIMATOR_MEAN].lo);
	if (out->fell_back)
		out->estimator = ESTIMATOR_MEAN;
	out->ratio = out->by[out->estimator].ratio;
	out->ci_lo = out->by[out->estimator].lo;
	out->ci_hi = out->by[out->estimator].hi;
	out->verdict = out->by[out->estimator].verdict;
}

/* Runs whose values the analysis takes: not warm-up, not timed out. */
static size_t measured_runs(const struct benchmark *b)
{
	size_t n = 0;

	if (!b->nr_runs)
		return b->nr_imported;
	for (size_t i = 0; i < b->nr_runs; i++)
		n += !b->runs[i].warmup && !b->runs[i].timed_out;
	return n;
}

static int has_timeouts(const struct benchmark *b)
{
	for (size_t i = 0; i < b->nr_runs; i++)
		if (b->runs[i].timed_out && !b->runs[i].warmup)
			return 1;
	return 0;
}

int compare_benchmarks(const struct benchmark *a, const struct benchmark *b,
		       const char *metric, const struct compare_options *o,
		       struct comparison *out)
{
	size_t na, nb;
	double *va = benchmark_metric_values(a, metric, &na);
	double *vb = va ? benchmark_metric_values(b, metric, &nb) : NULL;
	struct compare_options opts = *o;

	if (!vb) {
		free(va);
		return -1;
	}
	/* Recorded but never counted (<not supported>): nothing to compare. */
	if (metric && (!na || !nb) && (a->nr_runs && b->nr_runs)) {
		free(va);
		free(vb);
		return error("'%s' has no counted values of '%s' (<not supported> or <not counted> on the machine that measured it)",
			     !na ? a->name : b->name, metric);
	}
	/*
	 * Pairs by index need the k-th value to be the k-th measured run: a
	 * run without a value of the metric (a count not counted) would shift
	 * every pair after it into another round. Then they are independent.
	 */
	if (o->paired && (na != measured_runs(a) || nb != measured_runs(b)))
		opts.paired = 0;
	if (opts.paired && na != nb && !has_timeouts(a) && !has_timeouts(b)) {
		if (na > nb)
			na = nb;
		else
			nb = na;
	}
	opts.paired = opts.paired && na == nb;
	compare_samples(va, na, vb, nb, &opts, out);
	free(va);
	free(vb);
	return 0;
}

/* Measured runs of b from index from on. */
static size_t measured_after(const struct benchmark *b, size_t from)
{
	size_t n = 0;

	for (size_t i = from; i < b->nr_runs; i++)
		n += !b->runs[i].warmup && !b->runs[i].timed_out;
	return n;
}

int compare_same_rounds(const struct benchmark *a, const struct benchmark *b,
			size_t round_size)
{
	size_t i = 0, j = 0, pairs = 0;

	if (!round_size)
		return 0;
	for (;;) {
		while (i < a->nr_runs && (a->runs[i].warmup || a->runs[i].timed_out))
			i++;
		while (j < b->nr_runs && (b->runs[j].warmup || b->runs[j].timed_out))
			j++;
		if (i == a->nr_runs || j == b->nr_runs)
			break;
		if (a->runs[i].seq < 0 || b->runs[j].seq < 0 ||
		    a->runs[i].seq / (int64_t)round_size != b->runs[j].seq / (int64_t)round_size)
			return 0;
		i++;
		j++;
		pairs++;
	}
	if (pairs < 2)
		return 0;
	if (i == a->nr_runs && j == b->nr_runs)
		return 1;
	/*
	 * One run more on one side, after the last pair: the round an
	 * interrupt cut short, whose unmatched run compare_benchmarks()
	 * leaves out as live comparison does.
	 */
	return measured_after(a, i) + measured_after(b, j) == 1;
}

int compare_check_measured(const struct benchmark *b, const char *metric, const char *who)
{
	int wall = !metric || !strcmp(metric, "wall");
	size_t warmup = 0, timed_out = 0, measured = 0, not_positive = 0;

	if (!b->nr_runs) {
		measured = b->nr_imported;
		for (size_t i = 0; wall && b->imported_metric == METRIC_WALL && i < measured; i++)
			not_positive += !(b->imported[i] > 0);
	}
	for (size_t i = 0; i < b->nr_runs; i++) {
		const struct run_sample *r = &b->runs[i];

		if (r->warmup)
			warmup++;
		else if (r->timed_out)
			timed_out++;
		else {
			measured++;
			not_positive += wall && r->wall_ns <= 0;
		}
	}
	if (!b->nr_runs && !measured)
		return error("nothing to compare: %s has no runs", who);
	if (!measured && !timed_out)
		return error("nothing to compare: %s has no measured runs (its %zu run%s warm-up)",
			     who, b->nr_runs, b->nr_runs == 1 ? " is" : "s are all");
	if (!measured && !warmup)
		return error("nothing to compare: %s has no measured runs (its %zu run%s timed out)",
			     who, b->nr_runs, b->nr_runs == 1 ? "" : "s all");
	if (!measured)
		return error("nothing to compare: %s has no measured runs (of its %zu, %zu %s warm-up and %zu timed out)",
			     who, b->nr_runs, warmup, warmup == 1 ? "is" : "are", timed_out);
	if (not_positive)
		return error("nothing to compare: %s has %zu wall time%s of 0 among its %zu (a time must be positive)",
			     who, not_positive, not_positive == 1 ? "" : "s", measured);
	return 0;
}

int compare_check_side(const struct benchmark *b, const char *metric, const char *side,
		       const char *file)
{
	char *who = xasprintf("side %s ('%s' in '%s')", side, b->name, file);
	int ret = compare_check_measured(b, metric, who);

	free(who);
	return ret;
}
