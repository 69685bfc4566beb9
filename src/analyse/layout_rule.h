/*
 * layout_rule: when a layout measurement may stop, and what it concludes.
 * The same looks and alpha spending as compare's rule (sequential.h: looks
 * after --min-runs rounds and at every doubling, look k at (alpha/2) 2^-k,
 * a final look at alpha/2 when the budget runs out), each look judging
 * the whole layout question (layout_assess) instead of one pair.
 *
 * The benchmarks of a layout loop come in one order, which every caller
 * keeps: bs[0] and bs[1] are the default builds of A and B (measured in
 * the same rounds, so they pair run by run), then the ka variants of A,
 * then the kb variants of B. struct layout_rule owns nothing but its
 * fields; it reads the benchmarks it is handed.
 */
#ifndef STEADY_LAYOUT_RULE_H
#define STEADY_LAYOUT_RULE_H

#include "analyse/layout.h"
#include "analyse/sequential.h"

struct layout_rule {
	struct sequential_plan plan;
	struct compare_options copts;  /* copts.alpha is the plan's alpha */
	const char *metric;            /* borrowed; NULL = wall time */
	size_t ka, kb;
	unsigned resamples;
	unsigned looks;                /* interim looks taken so far */
	enum sequential_decision decision;
	int failed;                    /* a look could not be taken (line printed) */
	struct layout_assessment last; /* of the last interim look */
};

void layout_rule_init(struct layout_rule *r, const struct bench_config *cfg,
		      const struct compare_options *copts, const char *metric,
		      size_t ka, size_t kb);

/*
 * One look over bs (the order above) at o's level: compare's comparison
 * of the default builds, then layout_assess(). 0, or -1 after one error
 * line (a side lacks the metric, or has no variant with runs).
 */
int layout_look(struct benchmark **bs, size_t ka, size_t kb, const char *metric,
		const struct compare_options *o, unsigned resamples,
		struct layout_assessment *out);

/* A bench_enough_fn over a struct layout_rule (n must be 2 + ka + kb). */
int layout_rule_enough(void *ctx, struct benchmark **bs, size_t n,
		       size_t rounds, double elapsed);

/*
 * The conclusion after the loop: the interim look that decided when one
 * did and the loop completed, else a last look at the final alpha over
 * everything measured. *look is the deciding look (0 for the single look
 * of -n), *final_look says it was the look after the budget ran out.
 * 0, or -1 after one error line.
 */
int layout_rule_finish(struct layout_rule *r, struct benchmark **bs,
		       struct layout_assessment *out, unsigned *look, int *final_look);

#endif
