/*
 * sequential: the stopping rule of live comparisons (see sequential.h).
 *
 * Looks at doubling n rather than after every round: the alpha of each
 * look halves from one to the next, so looking often would leave the
 * later looks almost no level to spend; doubling keeps the number of looks
 * logarithmic in the runs measured, and big differences still stop at the
 * first look.
 */
#include "analyse/sequential.h"
#include "analyse/holm.h"
#include "lib/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sequential_plan_init(struct sequential_plan *p, const struct bench_config *cfg,
			  double alpha)
{
	p->fixed_rounds = cfg->runs;
	p->min_rounds = cfg->min_runs;
	p->max_rounds = cfg->max_runs;
	p->max_time = cfg->max_time;
	p->alpha = alpha;
}

unsigned sequential_plan_look_at(const struct sequential_plan *p, size_t rounds)
{
	size_t multiple;
	unsigned k = 1;

	if (p->fixed_rounds || !p->min_rounds || rounds < p->min_rounds ||
	    rounds % p->min_rounds)
		return 0;
	multiple = rounds / p->min_rounds;
	/* Looks fall on min_rounds times a power of two only. */
	if (multiple & (multiple - 1))
		return 0;
	while (multiple >>= 1)
		k++;
	return k;
}

double sequential_plan_look_alpha(const struct sequential_plan *p, unsigned k)
{
	return compare_look_alpha(p->alpha / 2, k);
}

double sequential_plan_final_alpha(const struct sequential_plan *p)
{
	return p->fixed_rounds ? p->alpha : p->alpha / 2;
}

enum sequential_decision sequential_plan_decide(const struct sequential_plan *p,
						size_t rounds, double elapsed,
						enum verdict verdict)
{
	if (p->fixed_rounds)
		return rounds >= p->fixed_rounds ? SEQUENTIAL_RUNS_DONE : SEQUENTIAL_GO_ON;
	/* Below --min-runs neither a verdict nor the budget ends the loop. */
	if (rounds < p->min_rounds)
		return SEQUENTIAL_GO_ON;
	if (verdict != VERDICT_UNRESOLVED)
		return SEQUENTIAL_DECIDED;
	if (p->max_rounds && rounds >= p->max_rounds)
		return SEQUENTIAL_BUDGET_SPENT;
	if (elapsed >= p->max_time)
		return SEQUENTIAL_BUDGET_SPENT;
	return SEQUENTIAL_GO_ON;
}

int sequential_plan_unmeasurable(const struct sequential_plan *p, size_t rounds,
				 struct benchmark *const *bs, size_t n)
{
	return !p->fixed_rounds && rounds >= p->min_rounds && benchmarks_one_unmeasured(bs, n);
}

void sequential_init(struct sequential *s, const struct bench_config *cfg,
		     const struct compare_options *copts, const char *metric)
{
	sequential_plan_init(&s->plan, cfg, copts->alpha);
	s->copts = *copts;
	s->metric = metric;
	s->looks = 0;
	s->decision = SEQUENTIAL_GO_ON;
	s->failed = 0;
	s->last.verdict = VERDICT_UNRESOLVED;
}

int sequential_plan_step(const struct sequential_plan *p, size_t rounds, double elapsed,
			 struct benchmark **bs, sequential_look_fn look, void *ctx,
			 unsigned *looks, int *failed, enum sequential_decision *decision)
{
	/* The plan knows one verdict: any decided look stands for it. */
	enum verdict verdict = VERDICT_UNRESOLVED;
	unsigned k = sequential_plan_look_at(p, rounds);

	if (k) {
		int decided;

		*looks = k;
		decided = look(ctx, bs, sequential_plan_look_alpha(p, k));
		if (decided < 0) {
			*failed = 1;
			return 1;
		}
		if (decided)
			verdict = VERDICT_SAME;
	}
	*decision = sequential_plan_decide(p, rounds, elapsed, verdict);
	return *decision != SEQUENTIAL_GO_ON;
}

/* A look of the pair rule: compare's comparison of A and B at alpha. */
static int pair_look(void *ctx, struct benchmark **bs, double alpha)
{
	struct sequential *s = ctx;
	struct compare_options o = s->copts;

	o.alpha = alpha;
	if (compare_benchmarks(bs[0], bs[1], s->metric, &o, &s->last))
		return -1;
	return s->last.verdict != VERDICT_UNRESOLVED;
}

int sequential_enough(void *ctx, struct benchmark **bs, size_t n,
		      size_t rounds, double elapsed)
{
	struct sequential *s = ctx;

	if (sequential_plan_unmeasurable(&s->plan, rounds, bs, n)) {
		s->decision = SEQUENTIAL_UNMEASURABLE;
		return 1;
	}
	return sequential_plan_step(&s->plan, rounds, elapsed, bs, pair_look, s, &s->looks,
				    &s->failed, &s->decision);
}

int sequential_finish(struct sequential *s, const struct benchmark *a,
		      const struct benchmark *b, struct sequential_outcome *out)
{
	struct compare_options o = s->copts;

	/* The same data would fail the same way: one error line is enough. */
	if (s->failed)
		return -1;
	/*
	 * A stop reason other than COMPLETED after a deciding look can only
	 * come from the cleanup command; the verdict then gets the final look
	 * like any other cut-short loop.
	 */
	if (s->decision == SEQUENTIAL_DECIDED && a->stop == STOP_COMPLETED) {
		out->c = s->last;
		out->look = s->looks;
		out->final_look = 0;
		return 0;
	}
	o.alpha = sequential_plan_final_alpha(&s->plan);
	if (compare_benchmarks(a, b, s->metric, &o, &out->c))
		return -1;
	out->final_look = !s->plan.fixed_rounds;
	out->look = s->plan.fixed_rounds ? 0 : ++s->looks;
	return 0;
}

void sequential_family_init(struct sequential_family *f, const struct bench_config *cfg,
			    const struct compare_options *copts, const char *metric,
			    size_t n, size_t base)
{
	sequential_plan_init(&f->plan, cfg, copts->alpha);
	f->copts = *copts;
	f->metric = metric;
	f->base = base;
	f->m = n - 1;
	f->looks = 0;
	f->decision = SEQUENTIAL_GO_ON;
	f->failed = 0;
	f->final_look = 0;
	f->c = xcalloc(f->m, sizeof(*f->c));
	f->step = xcalloc(f->m, sizeof(*f->step));
	f->alpha_used = xcalloc(f->m, sizeof(*f->alpha_used));
	f->decided = 0;
	f->pairs = NULL;
}

void sequential_family_init_pairs(struct sequential_family *f, const struct bench_config *cfg,
				  const struct compare_options *copts, const char *metric,
				  const size_t (*pairs)[2], size_t m)
{
	/* the same rule, its m comparisons the pairs' instead of the baseline's */
	sequential_family_init(f, cfg, copts, metric, m + 1, 0);
	f->pairs = xcalloc(m, sizeof(*f->pairs));
	memcpy(f->pairs, pairs, m * sizeof(*f->pairs));
}

void sequential_family_release(struct sequential_family *f)
{
	free(f->pairs);
	f->pairs = NULL;
	free(f->c);
	free(f->step);
	free(f->alpha_used);
	f->c = NULL;
	f->step = NULL;
	f->alpha_used = NULL;
}

size_t sequential_family_other(const struct sequential_family *f, size_t i)
{
	if (f->pairs)
		return f->pairs[i][1];
	return i < f->base ? i : i + 1;
}

size_t sequential_family_reference(const struct sequential_family *f, size_t i)
{
	return f->pairs ? f->pairs[i][0] : f->base;
}

struct family_look {
	struct sequential_family *f;
	struct benchmark *const *bs;
};

static int family_verdict(void *ctx, size_t i, double alpha, enum verdict *v)
{
	struct family_look *l = ctx;
	struct sequential_family *f = l->f;
	struct compare_options o = f->copts;

	o.alpha = alpha;
	if (compare_benchmarks(l->bs[sequential_family_reference(f, i)],
			       l->bs[sequential_family_other(f, i)],
			       f->metric, &o, &f->c[i]))
		return -1;
	*v = f->c[i].verdict;
	return 0;
}

int sequential_family_look(struct sequential_family *f, struct benchmark *const *bs,
			   double alpha)
{
	struct family_look l = { f, bs };
	int decided = holm_decide(f->m, alpha, family_verdict, &l, f->step, f->alpha_used);

	if (decided < 0)
		return -1;
	f->decided = (size_t)decided;
	return 0;
}

/* A look of the family rule: Holm over every row at alpha; decided when all are. */
static int family_look(void *ctx, struct benchmark **bs, double alpha)
{
	struct sequential_family *f = ctx;

	if (sequential_family_look(f, bs, alpha))
		return -1;
	return f->decided == f->m;
}

int sequential_family_enough(void *ctx, struct benchmark **bs, size_t n,
			     size_t rounds, double elapsed)
{
	struct sequential_family *f = ctx;

	if (sequential_plan_unmeasurable(&f->plan, rounds, bs, n)) {
		f->decision = SEQUENTIAL_UNMEASURABLE;
		return 1;
	}
	return sequential_plan_step(&f->plan, rounds, elapsed, bs, family_look, f, &f->looks,
				    &f->failed, &f->decision);
}

int sequential_family_finish(struct sequential_family *f, struct benchmark *const *bs)
{
	if (f->failed)
		return -1;
	/* As for a pair: a deciding look stands unless the loop was cut short. */
	if (f->decision == SEQUENTIAL_DECIDED && bs[0]->stop == STOP_COMPLETED) {
		f->final_look = 0;
		return 0;
	}
	if (sequential_family_look(f, bs, sequential_plan_final_alpha(&f->plan)))
		return -1;
	f->final_look = !f->plan.fixed_rounds;
	f->looks = f->plan.fixed_rounds ? 0 : f->looks + 1;
	return 0;
}
