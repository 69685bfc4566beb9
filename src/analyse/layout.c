/*
 * layout: the statistics of `steady layout` (see layout.h).
 */
#include "analyse/layout.h"
#include "analyse/stats.h"
#include "lib/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>

/* Median of n values (copied: the caller's stay as they are); NaN if n = 0. */
static double median_of(const double *x, size_t n, double *scratch)
{
	if (!n)
		return NAN;
	memcpy(scratch, x, n * sizeof(*x));
	stats_sort(scratch, n);
	return stats_median_sorted(scratch, n);
}

static size_t longest(const struct variant_runs *v, size_t k)
{
	size_t most = 1;

	for (size_t i = 0; i < k; i++)
		if (v[i].n > most)
			most = v[i].n;
	return most;
}

static int all_positive(const struct variant_runs *v, size_t k)
{
	size_t runs = 0;

	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j < v[i].n; j++)
			if (!(v[i].x[j] > 0) || !isfinite(v[i].x[j]))
				return 0;
		runs += v[i].n;
	}
	return runs > 0;
}

/* The medians of the variants that have runs, into med; their count. */
static size_t variant_medians(const struct variant_runs *v, size_t k, double *med)
{
	double *scratch = xcalloc(longest(v, k), sizeof(*scratch));
	size_t m = 0;

	for (size_t i = 0; i < k; i++)
		if (v[i].n)
			med[m++] = median_of(v[i].x, v[i].n, scratch);
	free(scratch);
	return m;
}

int layout_spread(const struct variant_runs *v, size_t k, struct layout_spread *out)
{
	double *med;
	size_t m;

	out->k = 0;
	out->center = out->sd_rel = out->min_rel = out->max_rel = NAN;
	if (!k || !all_positive(v, k))
		return -1;
	med = xcalloc(k, sizeof(*med));
	m = variant_medians(v, k, med);
	out->k = m;
	out->center = stats_mean(med, m);
	out->sd_rel = stats_stddev(med, m) / out->center;
	stats_sort(med, m);
	out->min_rel = med[0] / out->center;
	out->max_rel = med[m - 1] / out->center;
	free(med);
	return 0;
}

/*
 * One resample of a side: k variants drawn with replacement, each one's
 * runs drawn with replacement, the mean of the resampled medians.
 */
static double resampled_center(const struct variant_runs *v, size_t k, gsl_rng *r,
			       double *draw)
{
	double sum = 0;
	size_t used = 0;

	for (size_t i = 0; i < k; i++) {
		const struct variant_runs *pick = &v[gsl_rng_uniform_int(r, k)];

		if (!pick->n)
			continue;
		for (size_t j = 0; j < pick->n; j++)
			draw[j] = pick->x[gsl_rng_uniform_int(r, pick->n)];
		stats_sort(draw, pick->n);
		sum += stats_median_sorted(draw, pick->n);
		used++;
	}
	return used ? sum / (double)used : NAN;
}

int layout_averaged_ratio(const struct variant_runs *a, size_t ka,
			  const struct variant_runs *b, size_t kb, double alpha,
			  unsigned resamples, uint64_t seed, struct layout_ratio *out)
{
	double *ma, *mb, *boot, *draw;
	size_t na, nb, got = 0;
	gsl_rng *r;

	out->ratio = out->boot_lo = out->boot_hi = NAN;
	out->t_lo = out->t_hi = out->lo = out->hi = NAN;
	if (!ka || !kb || !all_positive(a, ka) || !all_positive(b, kb) || !resamples)
		return -1;
	ma = xcalloc(ka, sizeof(*ma));
	mb = xcalloc(kb, sizeof(*mb));
	na = variant_medians(a, ka, ma);
	nb = variant_medians(b, kb, mb);
	out->ratio = stats_mean(mb, nb) / stats_mean(ma, na);

	/* Welch's t on log medians: needs two variants a side. */
	if (na >= 2 && nb >= 2)
		compare_welch_log_ci(ma, na, mb, nb, 0, alpha, &out->t_lo, &out->t_hi);

	r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, (unsigned long)(uint32_t)(seed ^ (seed >> 32)));
	boot = xcalloc(resamples, sizeof(*boot));
	draw = xcalloc(longest(a, ka) > longest(b, kb) ? longest(a, ka) : longest(b, kb),
		       sizeof(*draw));
	for (unsigned i = 0; i < resamples; i++) {
		double ca = resampled_center(a, ka, r, draw);
		double cb = resampled_center(b, kb, r, draw);

		if (ca > 0 && isfinite(cb))
			boot[got++] = cb / ca;
	}
	if (got) {
		stats_sort(boot, got);
		out->boot_lo = stats_percentile_sorted(boot, got, 100 * alpha / 2);
		out->boot_hi = stats_percentile_sorted(boot, got, 100 * (1 - alpha / 2));
	}
	/* The union: the wider of the two at either end, where both exist. */
	out->lo = isnan(out->t_lo) ? out->boot_lo : fmin(out->boot_lo, out->t_lo);
	out->hi = isnan(out->t_hi) ? out->boot_hi : fmax(out->boot_hi, out->t_hi);
	/* One variant a side says nothing of layout: no interval at all. */
	if (na < 2 || nb < 2)
		out->lo = out->hi = NAN;
	gsl_rng_free(r);
	free(boot);
	free(draw);
	free(ma);
	free(mb);
	return 0;
}

size_t layout_variants_needed(double sd_a, double sd_b, double half_width, double alpha)
{
	double z, var = sd_a * sd_a + sd_b * sd_b, k;

	if (!(half_width > 0) || !(alpha > 0 && alpha < 1))
		return 0;
	z = gsl_cdf_ugaussian_Qinv(alpha / 2);
	/* the normal approximation first: a lower bound, since t > z */
	k = ceil(z * z * var / (half_width * half_width));
	if (!(k < 1e7))
		return 0;
	if (k < 2)
		k = 2;
	/* then Welch's t with 2k - 2 degrees of freedom, which few variants need */
	while (gsl_cdf_tdist_Qinv(alpha / 2, 2 * k - 2) * sqrt(var / k) > half_width)
		k++;
	return (size_t)k;
}

const char *layout_verdict_name(enum layout_verdict v)
{
	switch (v) {
	case LAYOUT_UNRESOLVED:
		return "UNRESOLVED";
	case LAYOUT_SAME:
		return "SAME";
	case LAYOUT_SLOWER:
		return "REAL CHANGE (SLOWER)";
	case LAYOUT_FASTER:
		return "REAL CHANGE (FASTER)";
	case LAYOUT_ARTEFACT:
		return "LAYOUT ARTEFACT";
	}
	return "UNKNOWN";
}

enum layout_verdict layout_classify(enum verdict default_build, double default_ratio,
				    const struct layout_ratio *avg,
				    const struct layout_spread *a, double margin)
{
	enum verdict averaged = verdict_from_ci(avg->lo, avg->hi, margin);
	double widest;

	if (averaged == VERDICT_SLOWER)
		return LAYOUT_SLOWER;
	if (averaged == VERDICT_FASTER)
		return LAYOUT_FASTER;
	/* How far apart two layouts of A itself are: its own range. */
	widest = a->max_rel / a->min_rel;
	/*
	 * An interval that holds 1 but also the default build's ratio cannot
	 * tell layout from a real change of that size: that stays
	 * UNRESOLVED, never a verdict of artefact a real change could get.
	 */
	if ((default_build == VERDICT_SLOWER || default_build == VERDICT_FASTER) &&
	    (averaged == VERDICT_SAME ||
	     (avg->lo <= 1 && 1 <= avg->hi &&
	      !(avg->lo <= default_ratio && default_ratio <= avg->hi))) &&
	    default_ratio <= widest && default_ratio >= 1 / widest)
		return LAYOUT_ARTEFACT;
	if (averaged == VERDICT_SAME)
		return LAYOUT_SAME;
	return LAYOUT_UNRESOLVED;
}

double layout_resolving_half_width(double ratio, double margin)
{
	double d, upper = log1p(margin), lower = log1p(-margin);

	if (!(ratio > 0) || !isfinite(ratio))
		return 0;
	d = log(ratio);
	/* the nearer edge of [1 - margin, 1 + margin], as verdict_from_ci() draws it */
	return fmin(fabs(d - upper), fabs(d - lower));
}

/* Variants per side to tell ratio from the margin at the spreads of out. */
static size_t needed_for(const struct layout_assessment *out, double ratio,
			 double margin, double alpha)
{
	return layout_variants_needed(out->spread_a.sd_rel, out->spread_b.sd_rel,
				      layout_resolving_half_width(ratio, margin), alpha);
}

int layout_assess(const struct layout_samples *s, const struct comparison *defaults,
		  const struct compare_options *o, unsigned resamples,
		  struct layout_assessment *out)
{
	enum verdict def = VERDICT_UNRESOLVED;
	double def_ratio = NAN;

	memset(out, 0, sizeof(*out));
	out->verdict = LAYOUT_UNRESOLVED;
	out->needed_for_ratio = NAN;
	out->has_default = defaults != NULL;
	if (defaults) {
		out->defaults = *defaults;
		def = out->defaults.verdict;
		def_ratio = out->defaults.ratio;
	}
	layout_spread(s->b, s->kb, &out->spread_b);
	if (layout_spread(s->a, s->ka, &out->spread_a) ||
	    layout_averaged_ratio(s->a, s->ka, s->b, s->kb, o->alpha, resamples,
				  o->seed, &out->averaged))
		return -1;
	out->verdict = layout_classify(def, def_ratio, &out->averaged, &out->spread_a,
				       o->margin);
	if (out->verdict == LAYOUT_UNRESOLVED) {
		out->needed_for_ratio = out->averaged.ratio;
		out->variants_needed = needed_for(out, out->needed_for_ratio, o->margin,
						  o->alpha);
	} else if (out->verdict == LAYOUT_ARTEFACT) {
		/* how many would narrow what is not excluded to the margin */
		out->needed_for_ratio = 1 + o->margin;
		out->variants_needed = layout_variants_needed(out->spread_a.sd_rel,
							      out->spread_b.sd_rel,
							      log1p(o->margin), o->alpha);
	}
	return 0;
}
