/*
 * changepoint: see changepoint.h.
 */
#include "analyse/changepoint.h"
#include "lib/util.h"

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

/* c turned round: A over B, for the step back at the end of a run. */
static void invert(struct comparison *c)
{
	double lo = c->ci_lo;

	c->ratio = 1 / c->ratio;
	c->ci_lo = 1 / c->ci_hi;
	c->ci_hi = 1 / lo;
	if (c->verdict == VERDICT_SLOWER)
		c->verdict = VERDICT_FASTER;
	else if (c->verdict == VERDICT_FASTER)
		c->verdict = VERDICT_SLOWER;
	for (size_t e = 0; e < ESTIMATOR_COUNT; e++) {
		lo = c->by[e].lo;
		c->by[e].ratio = 1 / c->by[e].ratio;
		c->by[e].lo = 1 / c->by[e].hi;
		c->by[e].hi = 1 / lo;
	}
	c->ratio_means = 1 / c->ratio_means;
	c->ratio_medians = 1 / c->ratio_medians;
	c->hl_ratio = 1 / c->hl_ratio;
}

static void scan(const struct changepoint_point *p, size_t begin, size_t end,
		 const struct compare_options *co, struct changepoint_result *r)
{
	struct changepoint c = { .seg_begin = begin, .seg_end = end };
	size_t from, to, na, nb;
	double score, *a, *b;

	if (changepoint_best_split(p, begin, end, &from, &to, &score))
		return;
	if (from == begin) {
		/* One step at `to`: before it against from it on. */
		a = pool(p, begin, to, &na);
		b = pool(p, to, end, &nb);
		c.at = to;
	} else {
		/* A step at `from`, and one back at `to` unless that is the end. */
		double *before = pool(p, begin, from, &na), *after;
		size_t nafter;

		after = pool(p, to, end, &nafter);
		a = xrealloc(before, (na + nafter ? na + nafter : 1) * sizeof(*a));
		memcpy(a + na, after, nafter * sizeof(*a));
		na += nafter;
		free(after);
		b = pool(p, from, to, &nb);
		c.at = from;
	}
	compare_samples(a, na, b, nb, co, &c.c);
	free(a);
	free(b);
	if (c.c.verdict != VERDICT_SLOWER && c.c.verdict != VERDICT_FASTER)
		return;
	add_step(r, &c);
	if (from != begin && to != end) {
		struct changepoint back = c;

		back.at = to;
		invert(&back.c);
		add_step(r, &back);
		scan(p, begin, from, co, r);
		scan(p, from, to, co, r);
		scan(p, to, end, co, r);
		return;
	}
	scan(p, begin, c.at, co, r);
	scan(p, c.at, end, co, r);
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
