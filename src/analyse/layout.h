/*
 * layout: how much of a difference between A and B is code layout, from
 * runs of several builds per side that differ only in where the code
 * lands (link order, alignment). Two-level data: variants, then runs
 * within each variant (Kalibera & Jones). Pure functions over samples of
 * times; nothing measures, builds or prints here. The caller owns every
 * array; nothing is kept.
 *
 * A variant is judged by its typical run (the median of its runs), like
 * compare's default estimator, so that host bursts inside a variant do not
 * pass for layout.
 */
#ifndef STEADY_LAYOUT_H
#define STEADY_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "analyse/compare.h"

/* One build variant's measured runs. */
struct variant_runs {
	const double *x;
	size_t n;
};

/* One side's layout spread, relative to the mean of its variants' medians. */
struct layout_spread {
	size_t k;            /* variants with at least one run */
	double center;       /* mean of the variants' medians */
	double sd_rel;       /* their standard deviation / center */
	double min_rel;      /* slowest and fastest variant / center */
	double max_rel;
};

/* 0, or -1 (NaN everywhere) when no variant has runs or a value is not positive. */
int layout_spread(const struct variant_runs *v, size_t k, struct layout_spread *out);

/* B/A averaged over layouts, with its interval at 1 - alpha. */
struct layout_ratio {
	double ratio;            /* mean of B's variant medians / mean of A's */
	double boot_lo, boot_hi; /* hierarchical bootstrap: variants, then runs */
	double t_lo, t_hi;       /* Welch's t on the logs of the variant medians */
	double lo, hi;           /* the one judged: the union of both */
};

/*
 * Resamples variants with replacement, then runs within each chosen
 * variant, `resamples` times (seeded: the same data give the same
 * interval); the percentile interval of the resampled ratios. With few
 * variants the bootstrap has not seen the spread it was never dealt, so
 * the interval judged also covers the t interval on variant medians (2
 * variants a side at least). 0, or -1 with NaN when a side has no runs.
 */
int layout_averaged_ratio(const struct variant_runs *a, size_t ka,
			  const struct variant_runs *b, size_t kb, double alpha,
			  unsigned resamples, uint64_t seed, struct layout_ratio *out);

/*
 * How many variants per side would bring the half-width of the t
 * interval on log variant medians down to `half_width` (log scale), at
 * the relative spreads sd_a and sd_b: the least k >= 2 with
 * t(alpha/2, 2k - 2) sqrt((sd_a^2 + sd_b^2) / k) <= half_width. 0 when
 * half_width is not positive (no number of variants resolves it) or k
 * would pass ten million.
 */
size_t layout_variants_needed(double sd_a, double sd_b, double half_width, double alpha);

enum layout_verdict {
	LAYOUT_UNRESOLVED,
	LAYOUT_SAME,          /* the layout-averaged interval lies within the margin */
	LAYOUT_SLOWER,        /* REAL CHANGE: the averaged interval lies above 1 + margin */
	LAYOUT_FASTER,        /* REAL CHANGE: ... below 1 - margin */
	LAYOUT_ARTEFACT       /* the default build says SLOWER/FASTER, layouts do not */
};
const char *layout_verdict_name(enum layout_verdict v);  /* "REAL CHANGE (SLOWER)", ... */

/*
 * The classification: REAL CHANGE when the averaged interval lies beyond
 * the margin; LAYOUT ARTEFACT when the default build's verdict is SLOWER
 * or FASTER but the averaged interval lies within the margin, or holds 1
 * and not the default build's ratio, and that ratio lies within A's own
 * layout range; SAME when the averaged interval lies within the margin;
 * else UNRESOLVED (an interval holding both 1 and the default's ratio
 * cannot tell layout from a real change that size).
 */
enum layout_verdict layout_classify(enum verdict default_build, double default_ratio,
				    const struct layout_ratio *avg,
				    const struct layout_spread *a, double margin);

/*
 * What a half-width on the log scale must be to resolve a ratio against
 * the margin: the distance from log(ratio) to the nearer of log(1 -
 * margin) and log(1 + margin), the edges verdict_from_ci() decides by. 0
 * when the ratio lies on an edge (or is not a number).
 */
double layout_resolving_half_width(double ratio, double margin);

/* The perturbed variants of both sides (borrowed arrays). */
struct layout_samples {
	const struct variant_runs *a, *b;
	size_t ka, kb;
};

/* The conclusion of one look. */
struct layout_assessment {
	struct layout_spread spread_a, spread_b;
	int has_default;
	struct comparison defaults;    /* compare's comparison of the default builds */
	struct layout_ratio averaged;  /* B/A averaged over layouts */
	enum layout_verdict verdict;
	/*
	 * Variants per side that would resolve, at the measured spread: the
	 * averaged ratio against the margin when the verdict is UNRESOLVED;
	 * for a LAYOUT ARTEFACT, a real change as large as the margin
	 * (an interval of half-width log(1 + margin)). 0 when no number would
	 * (or nothing is left to resolve).
	 */
	size_t variants_needed;
	double needed_for_ratio;       /* the ratio variants_needed is about */
};

/*
 * One look: the spreads, the layout-averaged ratio at o's level and
 * margin (resamples, o->seed), and the verdict beside defaults, compare's
 * comparison of the two default builds at the same level (copied into
 * out; NULL when there are none). 0, or -1 when a side has no variant
 * with runs (out is then NaN/UNRESOLVED throughout).
 */
int layout_assess(const struct layout_samples *s, const struct comparison *defaults,
		  const struct compare_options *o, unsigned resamples,
		  struct layout_assessment *out);

#endif
