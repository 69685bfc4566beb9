/*
 * changepoint: where in a series of revisions the measured level stepped,
 * judged with compare's statistics (docs/history.md, "Finding the step").
 *
 * The series is P points in order (one per revision), each the runs
 * measured of it. Circular binary segmentation (Olshen et al., 2004): in a
 * segment of points, every run of points [i, j) is scored against the
 * rest of the segment by the between-sides sum of squares of the log
 * values,
 *     S = n_in n_out / (n_in + n_out) * (mean log in - mean log out)^2,
 * whose largest value is the maximum-likelihood place of the change
 * (normal log values, one spread). A run that reaches an end of the
 * segment is one step; one in its middle is a step and a step back (a
 * regression fixed later). That one candidate must then hold with
 * revisions as the units: a two-sample t test of the medians of the
 * revisions inside against those outside (pooled variance, df = points
 * - 2) at alpha / (P (P - 1) / 2). Only then is each boundary judged on
 * runs, by compare_samples() on the runs just before it against those
 * just after it (a run in the middle has two boundaries, each with its
 * own comparison), as independent samples at the same level; a SLOWER or
 * FASTER verdict (the interval wholly beyond the margin) makes a step.
 * The pieces it leaves are searched the same way.
 *
 * Error rate: P points can be cut into "inside" and "outside" in
 * P (P - 1) / 2 ways (a run [i, j) and its mirror that share a cut count
 * once). With no step anywhere, a step is reported only when the
 * revision-level test of the cut chosen rejects, and the chance that any
 * of the P (P - 1) / 2 cuts' tests rejects is at most alpha (Bonferroni),
 * so the chance of reporting any step at all is at most alpha. That
 * holds with revisions as the units: each revision's median may carry
 * its session's own offset (the machine that day), as long as those are
 * independent and roughly normal on the log scale; runs of one revision
 * need not be independent replicates of the level. A step needs three
 * revisions or more in its segment (one degree of freedom).
 *
 * Pure: nothing measured or printed. The points' values are borrowed;
 * changepoint_find() fills a result that owns its steps
 * (changepoint_result_release() frees them).
 */
#ifndef STEADY_CHANGEPOINT_H
#define STEADY_CHANGEPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "analyse/compare.h"

/* One revision's runs of the metric (borrowed, positive values). */
struct changepoint_point {
	const double *values;
	size_t n;
};

struct changepoint_options {
	double alpha;        /* of the whole scan: 0.05 */
	double margin;       /* steps smaller than this do not count: 0.01 */
	enum estimator estimator;   /* compare's, ESTIMATOR_AUTO by default */
	unsigned resamples;  /* of compare's bootstrap: 10000 */
	uint64_t seed;       /* of that bootstrap: fixed, so trend is repeatable */
};
void changepoint_options_init(struct changepoint_options *o);

/*
 * A step: the level of the points from `at` on (1 <= at < P) against that
 * before it. c is compare's comparison of the later side (B) over the
 * earlier one (A) at the scan's split_alpha: for a step back at the end
 * of a run [i, j), the inverse of the run's comparison (ratio, interval
 * and verdict turned round).
 */
struct changepoint {
	size_t at;
	size_t seg_begin, seg_end;   /* the segment it was found in: [begin, end) */
	struct comparison c;
};

struct changepoint_result {
	struct changepoint *steps;   /* ordered by at */
	size_t nr, alloc;
	double split_alpha;          /* alpha / (P (P - 1) / 2); NaN when P < 2 */
};

/*
 * The candidate of points [begin, end) with the largest S (the first of
 * equal ones, i ascending, then j): the points [*from, *to) against the
 * rest of the segment, its S into *score. 0, or -1 when the segment has
 * fewer than two points with runs (nothing to cut). Exposed for the unit
 * tests.
 */
int changepoint_best_split(const struct changepoint_point *p, size_t begin, size_t end,
			   size_t *from, size_t *to, double *score);

/*
 * The revision-level test above of the points [from, to) against the rest
 * of [begin, end) at alpha: 1 when it rejects (their levels differ).
 * Exposed for the unit tests.
 */
int changepoint_revisions_differ(const struct changepoint_point *p, size_t begin, size_t end,
				 size_t from, size_t to, double alpha);

/*
 * Every step of the series by the rule above. 0; -1 when a side cannot be
 * compared (nothing printed: every point needs runs), out then empty.
 */
int changepoint_find(const struct changepoint_point *p, size_t nr_points,
		     const struct changepoint_options *o, struct changepoint_result *out);
void changepoint_result_init(struct changepoint_result *r);
void changepoint_result_release(struct changepoint_result *r);

#endif
