/*
 * layout_rule: see layout_rule.h.
 */
#include "analyse/layout_rule.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

/* Bootstrap resamples per look: the interval's ends are stable to ~0.1% at 4000. */
#define LAYOUT_RESAMPLES 4000

void layout_rule_init(struct layout_rule *r, const struct bench_config *cfg,
		      const struct compare_options *copts, const char *metric,
		      size_t ka, size_t kb)
{
	memset(r, 0, sizeof(*r));
	sequential_plan_init(&r->plan, cfg, copts->alpha);
	r->copts = *copts;
	r->copts.paired = 1;
	r->metric = metric;
	r->ka = ka;
	r->kb = kb;
	r->resamples = LAYOUT_RESAMPLES;
	r->decision = SEQUENTIAL_GO_ON;
}

/* The metric's values of each of k benchmarks, as variant_runs (freed by the caller). */
static int variant_values(struct benchmark **bs, size_t k, const char *metric,
			  struct variant_runs *out)
{
	for (size_t i = 0; i < k; i++) {
		double *x = benchmark_metric_values(bs[i], metric, &out[i].n);

		if (!x)
			return -1;
		out[i].x = x;
	}
	return 0;
}

static void free_values(struct variant_runs *v, size_t k)
{
	for (size_t i = 0; i < k; i++)
		free((double *)v[i].x);
	free(v);
}

int layout_look(struct benchmark **bs, size_t ka, size_t kb, const char *metric,
		const struct compare_options *o, unsigned resamples,
		struct layout_assessment *out)
{
	struct variant_runs *va = xcalloc(ka + 1, sizeof(*va));
	struct variant_runs *vb = xcalloc(kb + 1, sizeof(*vb));
	struct layout_samples s = { va, vb, ka, kb };
	struct comparison defaults;
	int ret = -1;

	if (compare_benchmarks(bs[0], bs[1], metric, o, &defaults) ||
	    variant_values(bs + 2, ka, metric, va) ||
	    variant_values(bs + 2 + ka, kb, metric, vb))
		goto out;
	if (layout_assess(&s, &defaults, o, resamples, out)) {
		error("cannot judge the layouts: %s has no variant with a positive %s",
		      out->spread_a.k ? "B" : "A", metric ? metric : "time");
		goto out;
	}
	ret = 0;
out:
	free_values(va, ka);
	free_values(vb, kb);
	return ret;
}

/* A look of the layout rule: layout_look() at alpha; decided unless UNRESOLVED. */
static int rule_look(void *ctx, struct benchmark **bs, double alpha)
{
	struct layout_rule *r = ctx;
	struct compare_options o = r->copts;

	o.alpha = alpha;
	if (layout_look(bs, r->ka, r->kb, r->metric, &o, r->resamples, &r->last))
		return -1;
	return r->last.verdict != LAYOUT_UNRESOLVED;
}

int layout_rule_enough(void *ctx, struct benchmark **bs, size_t n,
		       size_t rounds, double elapsed)
{
	struct layout_rule *r = ctx;

	(void)n;
	return sequential_plan_step(&r->plan, rounds, elapsed, bs, rule_look, r, &r->looks,
				    &r->failed, &r->decision);
}

int layout_rule_finish(struct layout_rule *r, struct benchmark **bs,
		       struct layout_assessment *out, unsigned *look, int *final_look)
{
	struct compare_options o = r->copts;

	if (r->failed)
		return -1;
	*final_look = 0;
	*look = 0;
	if (r->decision == SEQUENTIAL_DECIDED && bs[0]->stop == STOP_COMPLETED) {
		*out = r->last;
		*look = r->looks;
		return 0;
	}
	o.alpha = sequential_plan_final_alpha(&r->plan);
	*final_look = !r->plan.fixed_rounds;
	return layout_look(bs, r->ka, r->kb, r->metric, &o, r->resamples, out);
}
