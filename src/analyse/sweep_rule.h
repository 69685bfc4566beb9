/*
 * sweep_rule: when a sweep may stop measuring, and what it concludes per
 * configuration. The same looks and alpha spending as compare's rule
 * (sequential.h), each look deciding a family of m comparisons by Holm's
 * step-down: in a ranking sweep every configuration against the baseline,
 * in an A/B sweep B against A within each configuration. With layout
 * variants (A/B only), the look's alpha is split in halves: Holm's family
 * takes one, and every configuration's layout question (layout_rule.h's
 * layout_look) a Bonferroni share alpha / 2m of the other, so one look's
 * errors over both stay within its alpha. The look decides when every
 * comparison is decided and every layout verdict is decided or cannot be
 * with the variants built (more runs do not narrow the spread between
 * variants: layout_assessment.variants_needed above them).
 *
 * The rule reads the benchmarks it is handed; it owns its family and the
 * copies of the layout sets it was given (sweep_rule_release()).
 */
#ifndef STEADY_SWEEP_RULE_H
#define STEADY_SWEEP_RULE_H

#include "analyse/layout_rule.h"
#include "analyse/sequential.h"

/*
 * The benchmarks of one configuration's layout question, as indices into
 * the measured array: its default builds of A and B, then the ka variants
 * of A and the kb of B (layout_look's order).
 */
struct sweep_layout_set {
	size_t *index;   /* 2 + ka + kb */
	size_t ka, kb;
};

struct sweep_rule {
	struct sequential_family family;
	struct sweep_layout_set *sets;         /* m, or NULL without layout variants */
	struct layout_assessment *assessment;  /* m, of the last look */
	int *assessed;                         /* m: the look could judge it */
	unsigned resamples;
};

/*
 * pairs[i] = (reference, other) indices of comparison i; sets NULL, or
 * one layout set per pair (copied).
 */
void sweep_rule_init(struct sweep_rule *r, const struct bench_config *cfg,
		     const struct compare_options *copts, const char *metric,
		     const size_t (*pairs)[2], size_t m, const struct sweep_layout_set *sets);
void sweep_rule_release(struct sweep_rule *r);

/* A bench_enough_fn over a struct sweep_rule. */
int sweep_rule_enough(void *ctx, struct benchmark **bs, size_t n, size_t rounds,
		      double elapsed);

/*
 * After the loop: the deciding look's conclusions when one decided and
 * the loop completed, else a final look over everything measured.
 * 0, or -1 after one error line.
 */
int sweep_rule_finish(struct sweep_rule *r, struct benchmark **bs);

/*
 * A layout question between two sets of builds judged once, at level
 * 1 - alpha: what a ranking sweep asks of a configuration against the
 * fastest (is the gap within layout noise?). 0, or -1 after one line.
 */
int sweep_layout_judge(struct benchmark **bs, const struct sweep_layout_set *set,
		       const char *metric, const struct compare_options *o,
		       struct layout_assessment *out);

#endif
