/*
 * changepoint: see changepoint.h.
 */
#include "analyse/changepoint.h"
#include "analyse/stats.h"
#include "lib/util.h"

#include <gsl/gsl_cdf.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

void changepoint_options_init(struct changepoint_options *o)
{
	o->alpha = 0.05;
	o->margin = 0.01;
	o->estimator = ESTIMATOR_AUTO;
	o->resamples = 10000;
	o->seed = 0x73746561647950ULL;   /* any fixed value: the same data, the same answer */
}

void changepoint_result_init(struct changepoint_result *r)
{
	memset(r, 0, sizeof(*r));
	r->split_alpha = NAN;
}

void changepoint_result_release(struct changepoint_result *r)
{
	free(r->steps);
	changepoint_result_init(r);
}

/*
 * Logs when every value is positive (a step is a ratio), the values
 * themselves otherwise, so that a zero count cannot make the score NaN.
 */
static double point_sum(const struct changepoint_point *p, int use_log)
{
	double s = 0;

	for (size_t i = 0; i < p->n; i++)
		s += use_log ? log(p->values[i]) : p->values[i];
	return s;
}

static int all_positive(const struct changepoint_point *p, size_t begin, size_t end)
{
	for (size_t k = begin; k < end; k++)
		for (size_t i = 0; i < p[k].n; i++)
			if (!(p[k].values[i] > 0))
				return 0;
	return 1;
}

int changepoint_best_split(const struct changepoint_point *p, size_t begin, size_t end,
			   size_t *from, size_t *to, double *score)
{
	size_t m = end - begin, *cnt;
	double *sum;
	int use_log = all_positive(p, begin, end), found = 0;

	if (end < begin + 2)
		return -1;
	/* Prefix sums: the run [i, j) is sum[j] - sum[i] of cnt[j] - cnt[i] values. */
	sum = xcalloc(m + 1, sizeof(*sum));
	cnt = xcalloc(m + 1, sizeof(*cnt));
	for (size_t k = 0; k < m; k++) {
		sum[k + 1] = sum[k] + point_sum(&p[begin + k], use_log);
		cnt[k + 1] = cnt[k] + p[begin + k].n;
	}
	for (size_t i = 0; i < m; i++)
		for (size_t j = i + 1; j <= m; j++) {
			size_t nin = cnt[j] - cnt[i], nout = cnt[m] - nin;
			double min, mout, s;

			if (!nin || !nout)
				continue;
			min = (sum[j] - sum[i]) / (double)nin;
			mout = (sum[m] - (sum[j] - sum[i])) / (double)nout;
			s = (double)nin * (double)nout / (double)cnt[m] * (min - mout) * (min - mout);
			if (!found || s > *score) {
				*from = begin + i;
				*to = begin + j;
				*score = s;
				found = 1;
			}
		}
	free(sum);
	free(cnt);
	return found ? 0 : -1;
}

/* The runs of points [begin, end) in one new array. */
static double *pool(const struct changepoint_point *p, size_t begin, size_t end, size_t *n)
{
	double *v;
	size_t total = 0;

	for (size_t k = begin; k < end; k++)
		total += p[k].n;
	v = xmalloc((total ? total : 1) * sizeof(*v));
	*n = 0;
	for (size_t k = begin; k < end; k++) {
		memcpy(v + *n, p[k].values, p[k].n * sizeof(*v));
		*n += p[k].n;
	}
	return v;
}

static void add_step(struct changepoint_result *r, const struct changepoint *c)
{
	size_t i;

	ALLOC_GROW(r->steps, r->nr + 1, r->alloc);
	for (i = r->nr; i > 0 && r->steps[i - 1].at > c->at; i--)
		r->steps[i] = r->steps[i - 1];
	r->steps[i] = *c;
	r->nr++;
}

/* The median of point k's runs, on the log scale when use_log. */
static double point_median(const struct changepoint_point *p, int use_log)
{
	double *v = xmalloc((p->n ? p->n : 1) * sizeof(*v)), m;

	for (size_t i = 0; i < p->n; i++)
		v[i] = use_log ? log(p->values[i]) : p->values[i];
	stats_sort(v, p->n);
	m = stats_median_sorted(v, p->n);
	free(v);
	return m;
}

/*
 * The gate with revisions as the units: the medians of the points
 * [from, to) against those of the rest of [begin, end), a two-sample t
 * test with pooled variance (df = points - 2), two-sided. Runs of one
 * revision share its session (the machine's mood that day, a cold or warm
 * cache), so they are no independent replicates of the level: judged
 * alone, session-to-session noise of 2% makes half of flat series step.
 * The medians of revisions are. 1 when the p value is below alpha.
 */
int changepoint_revisions_differ(const struct changepoint_point *p, size_t begin, size_t end,
				 size_t from, size_t to, double alpha)
{
	size_t nin = to - from, nout = (end - begin) - nin;
	int use_log = all_positive(p, begin, end);
	double sin = 0, sout = 0, ssin = 0, ssout = 0, min, mout, var, t;

	if (!nin || !nout || nin + nout < 3)
		return 0;
	for (size_t k = begin; k < end; k++) {
		double m = point_median(&p[k], use_log);

		if (k >= from && k < to) {
			sin += m;
			ssin += m * m;
		} else {
			sout += m;
			ssout += m * m;
		}
	}
	min = sin / (double)nin;
	mout = sout / (double)nout;
	if (min == mout)
		return 0;
	/* Pooled: the spread of revisions around their own side's level. */
	var = (ssin - (double)nin * min * min + ssout - (double)nout * mout * mout) /
	      (double)(nin + nout - 2);
	if (!(var > 0))
		return 1;   /* every revision of each side alike: the levels differ */
	t = fabs(min - mout) / sqrt(var * (1.0 / (double)nin + 1.0 / (double)nout));
	return 2 * gsl_cdf_tdist_Q(t, (double)(nin + nout - 2)) < alpha;
}

/*
 * One boundary at `at`: the runs of [a_begin, a_end) as A against those
 * of [b_begin, b_end) as B, by compare's statistics. A step when B is
 * SLOWER or FASTER beyond the margin.
 */
static void judge_boundary(const struct changepoint_point *p, size_t a_begin, size_t a_end,
			   size_t b_begin, size_t b_end, size_t at, size_t seg_begin,
			   size_t seg_end, const struct compare_options *co,
			   struct changepoint_result *r)
{
	struct changepoint c = { .at = at, .seg_begin = seg_begin, .seg_end = seg_end };
	size_t na, nb;
	double *a = pool(p, a_begin, a_end, &na), *b = pool(p, b_begin, b_end, &nb);

	compare_samples(a, na, b, nb, co, &c.c);
	free(a);
	free(b);
	if (c.c.verdict == VERDICT_SLOWER || c.c.verdict == VERDICT_FASTER)
		add_step(r, &c);
}

static void scan(const struct changepoint_point *p, size_t begin, size_t end,
		 const struct compare_options *co, struct changepoint_result *r)
{
	size_t from, to, before = r->nr;
	double score;

	if (changepoint_best_split(p, begin, end, &from, &to, &score))
		return;
	/* The candidate must first hold with revisions as the units. */
	if (!changepoint_revisions_differ(p, begin, end, from, to, co->alpha))
		return;
	/*
	 * Then each of its boundaries is judged on the runs on both sides of
	 * it alone: a run [from, to) in the middle of the segment is a step
	 * up from what came before and one from it to what came after, whose
	 * levels may differ (a partial fix).
	 */
	if (from == begin) {
		judge_boundary(p, begin, to, to, end, to, begin, end, co, r);
	} else {
		judge_boundary(p, begin, from, from, to, from, begin, end, co, r);
		if (to != end)
			judge_boundary(p, from, to, to, end, to, begin, end, co, r);
	}
	if (r->nr == before)
		return;
	if (from != begin && to != end) {
		scan(p, begin, from, co, r);
		scan(p, from, to, co, r);
		scan(p, to, end, co, r);
		return;
	}
	from = from == begin ? to : from;
	scan(p, begin, from, co, r);
	scan(p, from, end, co, r);
}

int changepoint_find(const struct changepoint_point *p, size_t nr_points,
		     const struct changepoint_options *o, struct changepoint_result *out)
{
	struct compare_options co;

	changepoint_result_init(out);
	for (size_t k = 0; k < nr_points; k++)
		if (!p[k].n)
			return -1;
	if (nr_points < 2)
		return 0;
	out->split_alpha = o->alpha / ((double)nr_points * (double)(nr_points - 1) / 2);
	compare_options_init(&co);
	co.alpha = out->split_alpha;
	co.margin = o->margin;
	co.resamples = o->resamples;
	co.seed = o->seed;
	co.paired = 0;
	co.estimator = o->estimator;
	scan(p, 0, nr_points, &co, out);
	return 0;
}
