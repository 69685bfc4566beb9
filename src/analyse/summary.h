/*
 * summary: what a person reads after `steady run` — the statistics of one
 * benchmark and the warnings that qualify them.
 *
 * summary_warnings() appends its findings to b->warnings (so they are saved
 * with the results); summary_print() only formats. Neither keeps pointers.
 */
#ifndef STEADY_SUMMARY_H
#define STEADY_SUMMARY_H

#include <stdio.h>
#include "measure/benchmark.h"
#include "analyse/stats.h"

/* Limits behind the warnings, shared with the documentation. */
#define WARN_SPREAD_CV 0.10      /* stddev above 10% of the mean */
#define WARN_SHORT_RUN 0.005     /* mean below 5 ms: spawn cost dominates */
#define WARN_FEW_RUNS 10

/* Adds warnings about the measured runs of b, given their wall-time summary. */
void summary_warnings(struct benchmark *b, const struct summary *s);
/*
 * summary_warnings() from b's values of metric (NULL = wall time), which
 * the caller knows b has: what run, compare and stat do after measuring.
 */
void summary_add_warnings(struct benchmark *b, const char *metric);
void summary_print(FILE *out, const struct benchmark *b, const struct summary *s,
		   int color);
/*
 * The warnings of an A/B pair: those both sides have once ("Warning:"),
 * the others marked with their side ("Warning (B):").
 */
void summary_print_pair_warnings(FILE *out, const struct benchmark *a,
				 const struct benchmark *b);
/*
 * The warnings of n benchmarks measured together (compare with several
 * commands): each text once, "Warning:" when every benchmark has it, else
 * marked with the 1-based numbers of those that do ("Warning (2, 3):").
 */
void summary_print_family_warnings(FILE *out, const struct benchmark *const *bs, size_t n);

#endif
