/*
 * sequential: when a live A/B comparison may stop measuring, and at what
 * confidence level each look at the data is taken (docs/compare.md,
 * "Adaptive stopping that stays valid").
 *
 * The rule: with -n N, exactly N rounds and one look at alpha. Otherwise
 * interim looks after --min-runs rounds and at every doubling of that
 * (min, 2 min, 4 min, ...), look k at (alpha/2) * 2^-k, stopping at the
 * first look with a verdict; when --max-runs or --max-time runs out first
 * (or an interrupt or a failed run ends the loop), one final look at
 * alpha/2. All levels together spend at most alpha.
 *
 * Two layers. struct sequential_plan and the sequential_plan_* functions are
 * the rule itself: pure functions of (rounds, elapsed, plan, verdict). struct
 * sequential drives them from the measuring loop (sequential_enough() is a
 * bench_enough_fn, see measure/bench.h) and owns nothing but its own fields:
 * it reads the benchmarks it is handed and keeps the last comparison by value.
 */
#ifndef STEADY_SEQUENTIAL_H
#define STEADY_SEQUENTIAL_H

#include <stddef.h>

#include "analyse/compare.h"
#include "measure/benchmark.h"

struct sequential_plan {
	size_t fixed_rounds;  /* -n N: exactly N rounds, one look; 0 = adaptive */
	size_t min_rounds;    /* --min-runs: the first interim look (>= 1) */
	size_t max_rounds;    /* --max-runs, 0 = no limit */
	double max_time;      /* --max-time, seconds of measuring */
	double alpha;         /* spent by all looks together (0.05) */
};

/* The plan of cfg's run options, spending alpha over all its looks. */
void sequential_plan_init(struct sequential_plan *p, const struct bench_config *cfg,
			  double alpha);

/*
 * The number k (1, 2, ...) of the interim look due after `rounds` rounds:
 * 1 at min_rounds, 2 at twice that, 3 at four times...; 0 when no look is
 * due then, and always 0 with fixed_rounds (its one look comes at the end).
 */
unsigned sequential_plan_look_at(const struct sequential_plan *p, size_t rounds);

/* The alpha of interim look k: (alpha/2) * 2^-k; NaN for k = 0. */
double sequential_plan_look_alpha(const struct sequential_plan *p, unsigned k);

/*
 * The alpha of the last look, taken after the loop when no interim look
 * decided: alpha/2 for the adaptive rule (the other half is the interim
 * looks'), all of alpha for the single look of fixed_rounds.
 */
double sequential_plan_final_alpha(const struct sequential_plan *p);

enum sequential_decision {
	SEQUENTIAL_GO_ON,         /* measure another round */
	SEQUENTIAL_DECIDED,       /* the interim look just taken has a verdict */
	SEQUENTIAL_BUDGET_SPENT,  /* --max-runs or --max-time reached: final look */
	SEQUENTIAL_RUNS_DONE,     /* the -n rounds are done: the single look */
	SEQUENTIAL_UNMEASURABLE   /* --min-runs rounds and a command has not one
				   * measured run (all timed out under -i): more
				   * rounds would only spend its timeout again */
};

/*
 * 1 when the adaptive plan has measured its --min-runs rounds and one of
 * the n benchmarks has no measured run yet: the comparison can only end
 * in "nothing to compare", so measuring on to --max-time is wasted.
 */
int sequential_plan_unmeasurable(const struct sequential_plan *p, size_t rounds,
				 struct benchmark *const *bs, size_t n);

/*
 * Whether to stop after `rounds` rounds and `elapsed` seconds of measuring.
 * verdict is that of the interim look taken at these rounds, or
 * VERDICT_UNRESOLVED when none was (sequential_plan_look_at() said 0).
 */
enum sequential_decision sequential_plan_decide(const struct sequential_plan *p,
						size_t rounds, double elapsed,
						enum verdict verdict);

/*
 * A look at everything measured so far at level alpha: 1 when it decided,
 * 0 when it did not, -1 when it could not be taken (one line printed).
 */
typedef int (*sequential_look_fn)(void *ctx, struct benchmark **bs, double alpha);

/*
 * One step of the rule, whatever a look judges (a pair, a family, the
 * layouts): takes the look due after `rounds`, if any, through look (its
 * number into *looks), then the plan's decision into *decision. Returns 1
 * when measuring should stop — also when a look failed (*failed set).
 */
int sequential_plan_step(const struct sequential_plan *p, size_t rounds, double elapsed,
			 struct benchmark **bs, sequential_look_fn look, void *ctx,
			 unsigned *looks, int *failed, enum sequential_decision *decision);

/* The rule applied to two benchmarks, A (bs[0]) and B (bs[1]), as they are measured. */
struct sequential {
	struct sequential_plan plan;
	struct compare_options copts;  /* copts.alpha is the plan's alpha */
	const char *metric;            /* borrowed; NULL = wall time */
	unsigned looks;                /* interim looks taken so far */
	enum sequential_decision decision;  /* of the last call */
	int failed;                    /* a look could not compare (line printed) */
	struct comparison last;        /* of the last interim look */
};

/* cfg's rule over copts (its alpha, margin, seed, pairing); metric is borrowed. */
void sequential_init(struct sequential *s, const struct bench_config *cfg,
		     const struct compare_options *copts, const char *metric);

/*
 * A bench_enough_fn (ctx is a struct sequential, n must be 2): takes the
 * interim look due at `rounds`, if any, and returns 1 when measuring should
 * stop — also when a look could not compare (s->failed, one line printed).
 */
int sequential_enough(void *ctx, struct benchmark **bs, size_t n,
		      size_t rounds, double elapsed);

/* What the comparison concludes once the loop has ended. */
struct sequential_outcome {
	struct comparison c;
	unsigned look;   /* the look that gave c: 0 for the single look of -n */
	int final_look;  /* c is the final look at alpha/2 after the loop */
};

/*
 * The verdict after the loop: the interim look that decided, when one did
 * and the loop completed; otherwise a last look over everything measured
 * (runs cut short by an interrupt included). 0, or -1 when the data cannot
 * be compared (the line already printed, by this call or by a look).
 */
int sequential_finish(struct sequential *s, const struct benchmark *a,
		      const struct benchmark *b, struct sequential_outcome *out);

/*
 * The same rule over a family: n benchmarks (2..BENCH_MAX_TOGETHER), each
 * but the baseline bs[base] compared with it, m = n - 1 comparisons. Every
 * look (interim, final, or the single look of -n) decides the whole family
 * afresh from all the data at its alpha by Holm's step-down (analyse/holm.h);
 * measuring stops at the first interim look that decides every comparison.
 * Each look's family error stays within its alpha, so all looks together
 * stay within the plan's alpha as for a pair.
 *
 * c, step and alpha_used are owned (sequential_family_release frees them);
 * the benchmarks and metric are borrowed. Comparison i is of benchmark
 * sequential_family_other(f, i) against the baseline.
 */
struct sequential_family {
	struct sequential_plan plan;
	struct compare_options copts;
	const char *metric;
	size_t base, m;
	unsigned looks;                /* looks taken so far (final included) */
	enum sequential_decision decision;
	int failed;
	int final_look;                /* the verdicts are the final look's */
	struct comparison *c;          /* m, of the last look */
	unsigned *step;                /* m: the Holm step that decided it, 0 = none */
	double *alpha_used;            /* m: the alpha of c[i]'s interval */
	size_t decided;                /* at the last look */
	size_t (*pairs)[2];            /* m pairs (A, B) instead of the baseline; NULL none */
};

void sequential_family_init(struct sequential_family *f, const struct bench_config *cfg,
			    const struct compare_options *copts, const char *metric,
			    size_t n, size_t base);
/*
 * The same rule over m given pairs: comparison i is of bs[pairs[i][1]]
 * against bs[pairs[i][0]] (sweep's A/B mode: B against A per
 * configuration). The pairs are copied.
 */
void sequential_family_init_pairs(struct sequential_family *f, const struct bench_config *cfg,
				  const struct compare_options *copts, const char *metric,
				  const size_t (*pairs)[2], size_t m);
void sequential_family_release(struct sequential_family *f);

/* The index in bs of comparison i's benchmark, and of the one it is compared with. */
size_t sequential_family_other(const struct sequential_family *f, size_t i);
size_t sequential_family_reference(const struct sequential_family *f, size_t i);

/*
 * Decides the family from bs (n benchmarks, as at init) at family level
 * alpha by Holm's step-down into f->c, f->step, f->alpha_used, f->decided.
 * 0, or -1 after one error line. Exposed for the unit tests and the rule.
 */
int sequential_family_look(struct sequential_family *f, struct benchmark *const *bs,
			   double alpha);

/* A bench_enough_fn (ctx is a struct sequential_family). */
int sequential_family_enough(void *ctx, struct benchmark **bs, size_t n,
			     size_t rounds, double elapsed);

/*
 * After the loop: keeps the deciding interim look, or takes the final look
 * (the single look of -n) over everything measured. 0, or -1 when the data
 * cannot be compared (the line already printed).
 */
int sequential_family_finish(struct sequential_family *f, struct benchmark *const *bs);

#endif
