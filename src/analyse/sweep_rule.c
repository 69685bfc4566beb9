/*
 * sweep_rule: see sweep_rule.h.
 */
#include "analyse/sweep_rule.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

/* Bootstrap resamples per layout judgement, as layout's rule takes them. */
#define SWEEP_LAYOUT_RESAMPLES 4000

void sweep_rule_init(struct sweep_rule *r, const struct bench_config *cfg,
		     const struct compare_options *copts, const char *metric,
		     const size_t (*pairs)[2], size_t m, const struct sweep_layout_set *sets)
{
	struct compare_options o = *copts;

	memset(r, 0, sizeof(*r));
	/* every build runs in the same rounds: run i of each side pairs up */
	o.paired = 1;
	sequential_family_init_pairs(&r->family, cfg, &o, metric, pairs, m);
	r->resamples = SWEEP_LAYOUT_RESAMPLES;
	r->assessment = xcalloc(m + 1, sizeof(*r->assessment));
	r->assessed = xcalloc(m + 1, sizeof(*r->assessed));
	if (!sets)
		return;
	r->sets = xcalloc(m + 1, sizeof(*r->sets));
	for (size_t i = 0; i < m; i++) {
		size_t len = 2 + sets[i].ka + sets[i].kb;

		r->sets[i] = sets[i];
		r->sets[i].index = xcalloc(len, sizeof(size_t));
		memcpy(r->sets[i].index, sets[i].index, len * sizeof(size_t));
	}
}

void sweep_rule_release(struct sweep_rule *r)
{
	if (r->sets)
		for (size_t i = 0; i < r->family.m; i++)
			free(r->sets[i].index);
	free(r->sets);
	free(r->assessment);
	free(r->assessed);
	sequential_family_release(&r->family);
	r->sets = NULL;
	r->assessment = NULL;
	r->assessed = NULL;
}

int sweep_layout_judge(struct benchmark **bs, const struct sweep_layout_set *set,
		       const char *metric, const struct compare_options *o,
		       struct layout_assessment *out)
{
	size_t len = 2 + set->ka + set->kb;
	struct benchmark **picked = xcalloc(len, sizeof(*picked));
	int ret;

	for (size_t i = 0; i < len; i++)
		picked[i] = bs[set->index[i]];
	ret = layout_look(picked, set->ka, set->kb, metric, o, SWEEP_LAYOUT_RESAMPLES, out);
	free(picked);
	return ret;
}

/*
 * One look at alpha: the family by Holm, then each configuration's
 * layout question at alpha / m. 1 when everything is decided, 0 when
 * not, -1 when a look could not be taken.
 */
static int look(void *ctx, struct benchmark **bs, double alpha)
{
	struct sweep_rule *r = ctx;
	struct sequential_family *f = &r->family;
	struct compare_options o = f->copts;
	int all = 1;

	/* with layout questions too, each half of the look's alpha */
	if (sequential_family_look(f, bs, r->sets ? alpha / 2 : alpha))
		return -1;
	all = f->decided == f->m;
	if (!r->sets)
		return all;
	o.alpha = alpha / 2 / (double)f->m;
	for (size_t i = 0; i < f->m; i++) {
		const struct layout_assessment *l = &r->assessment[i];
		size_t k = r->sets[i].ka < r->sets[i].kb ? r->sets[i].ka : r->sets[i].kb;

		r->assessed[i] = !sweep_layout_judge(bs, &r->sets[i], f->metric, &o,
						     &r->assessment[i]);
		if (!r->assessed[i])
			return -1;
		/*
		 * Undecided, but settled when the variants built cannot decide it
		 * whatever the runs: its width is the spread between variants.
		 */
		all &= l->verdict != LAYOUT_UNRESOLVED || !l->variants_needed ||
		       l->variants_needed > k;
	}
	return all;
}

int sweep_rule_enough(void *ctx, struct benchmark **bs, size_t n, size_t rounds,
		      double elapsed)
{
	struct sweep_rule *r = ctx;
	struct sequential_family *f = &r->family;

	(void)n;
	return sequential_plan_step(&f->plan, rounds, elapsed, bs, look, r, &f->looks,
				    &f->failed, &f->decision);
}

int sweep_rule_finish(struct sweep_rule *r, struct benchmark **bs)
{
	struct sequential_family *f = &r->family;

	if (f->failed)
		return -1;
	/* as for a pair: a deciding look stands unless the loop was cut short */
	if (f->decision == SEQUENTIAL_DECIDED && bs[0]->stop == STOP_COMPLETED) {
		f->final_look = 0;
		return 0;
	}
	if (look(r, bs, sequential_plan_final_alpha(&f->plan)) < 0)
		return -1;
	f->final_look = !f->plan.fixed_rounds;
	f->looks = f->plan.fixed_rounds ? 0 : f->looks + 1;
	return 0;
}
