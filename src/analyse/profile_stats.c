/*
 * profile_stats: see profile_stats.h.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/profile_stats.h"
#include "analyse/stats.h"
#include "lib/util.h"

int ratio_of_means_ci(const double *x, size_t nx, const double *y, size_t ny,
		      double alpha, double *ratio, double *lo, double *hi)
{
	double mx, my, vx, vy, se2, df, t;

	*ratio = *lo = *hi = NAN;
	if (nx < 2 || ny < 2)
		return -1;
	mx = stats_mean(x, nx);
	my = stats_mean(y, ny);
	if (!(mx > 0) || !(my > 0))
		return -1;
	*ratio = my / mx;
	/* Each side's relative variance of its mean. */
	vx = stats_stddev(x, nx) * stats_stddev(x, nx) / ((double)nx * mx * mx);
	vy = stats_stddev(y, ny) * stats_stddev(y, ny) / ((double)ny * my * my);
	se2 = vx + vy;
	if (!(se2 > 0)) {
		*lo = *hi = *ratio;
		return 0;
	}
	df = se2 * se2 / (vx * vx / (double)(nx - 1) + vy * vy / (double)(ny - 1));
	t = gsl_cdf_tdist_Pinv(1 - alpha / 2, df);
	*lo = *ratio * exp(-t * sqrt(se2));
	*hi = *ratio * exp(t * sqrt(se2));
	return 0;
}

/* Per run of one side: the function's estimated seconds, count / samples × wall. */
static void fn_times(const struct profile_side_data *s, size_t nr_fns, size_t fn, double *out,
		     uint64_t *total)
{
	*total = 0;
	for (size_t r = 0; r < s->nr_runs; r++) {
		uint64_t c = s->counts[r * nr_fns + fn];

		*total += c;
		out[r] = s->samples[r] ? (double)c / (double)s->samples[r] * s->wall[r] : 0;
	}
}

static uint64_t side_samples(const struct profile_side_data *s)
{
	uint64_t sum = 0;

	for (size_t r = 0; r < s->nr_runs; r++)
		sum += s->samples[r];
	return sum;
}

static int by_change(const void *x, const void *y)
{
	const struct fn_estimate *a = x, *b = y;
	double da = fabs(a->time[1] - a->time[0]), db = fabs(b->time[1] - b->time[0]);

	if (da != db)
		return da > db ? -1 : 1;
	return a->fn < b->fn ? -1 : a->fn > b->fn;
}

int profile_estimate(const struct profile_side_data side[2], size_t nr_fns, double alpha,
		     struct profile_estimate *out)
{
	int two = side[1].nr_runs > 0;
	size_t most = side[0].nr_runs > side[1].nr_runs ? side[0].nr_runs : side[1].nr_runs;
	double *t[2];
	uint64_t all[2] = { side_samples(&side[0]), two ? side_samples(&side[1]) : 0 };

	memset(out, 0, sizeof(*out));
	out->wall_ratio = out->wall_lo = out->wall_hi = NAN;
	if (side[0].nr_runs < 2)
		return -1;
	for (int k = 0; k < 1 + two; k++)
		out->wall[k] = stats_mean(side[k].wall, side[k].nr_runs);
	if (two)
		ratio_of_means_ci(side[0].wall, side[0].nr_runs, side[1].wall, side[1].nr_runs,
				  alpha, &out->wall_ratio, &out->wall_lo, &out->wall_hi);
	t[0] = xcalloc(most, sizeof(double));
	t[1] = xcalloc(most, sizeof(double));
	out->fns = xcalloc(nr_fns ? nr_fns : 1, sizeof(*out->fns));
	for (size_t f = 0; f < nr_fns; f++) {
		struct fn_estimate *e = &out->fns[out->nr];

		memset(e, 0, sizeof(*e));
		e->fn = f;
		e->ratio = e->lo = e->hi = e->family_lo = e->family_hi = NAN;
		for (int k = 0; k < 1 + two; k++) {
			fn_times(&side[k], nr_fns, f, t[k], &e->samples[k]);
			e->share[k] = all[k] ? (double)e->samples[k] / (double)all[k] : 0;
			e->time[k] = stats_mean(t[k], side[k].nr_runs);
		}
		if (!e->samples[0] && !e->samples[1])
			continue;
		out->nr++;
		if (!two)
			continue;
		if (e->time[0] > 0 && e->time[1] > 0)
			e->ratio = e->time[1] / e->time[0];
		e->judged = e->samples[0] >= PROFILE_MIN_JUDGED_SAMPLES &&
			    e->samples[1] >= PROFILE_MIN_JUDGED_SAMPLES &&
			    side[1].nr_runs >= 2 &&
			    !ratio_of_means_ci(t[0], side[0].nr_runs, t[1], side[1].nr_runs, alpha,
					       &e->ratio, &e->lo, &e->hi) &&
			    /* no spread on either side: no interval to judge by */
			    e->hi > e->lo;
		if (!e->judged)
			e->lo = e->hi = NAN;
		out->family += (size_t)e->judged;
	}
	/* The family is known only now: every judged function again, at alpha / m. */
	for (size_t i = 0; i < out->nr && two; i++) {
		struct fn_estimate *e = &out->fns[i];
		double ratio;
		uint64_t ignored;

		if (!e->judged)
			continue;
		for (int k = 0; k < 2; k++)
			fn_times(&side[k], nr_fns, e->fn, t[k], &ignored);
		ratio_of_means_ci(t[0], side[0].nr_runs, t[1], side[1].nr_runs,
				  alpha / (double)out->family, &ratio, &e->family_lo, &e->family_hi);
		e->change = e->family_lo > 1 ? 1 : e->family_hi < 1 ? -1 : 0;
	}
	qsort(out->fns, out->nr, sizeof(*out->fns), by_change);
	free(t[0]);
	free(t[1]);
	return 0;
}
