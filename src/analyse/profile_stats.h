/*
 * profile_stats: what `steady profile` concludes from the samples of
 * several runs of A and of B — per function its share of the samples, its
 * estimated time (share of a run's samples × that run's wall time, averaged
 * over the runs) and the ratio of B's time to A's with an interval drawn
 * from the run-to-run spread, so one lucky run cannot make a difference.
 *
 * The interval of a ratio of two means is the delta method on the log
 * scale with Welch's degrees of freedom: log(mean B / mean A) ± t × se,
 * se² = s²_B / (n_B mean²_B) + s²_A / (n_A mean²_A). Each function's own
 * interval is at 1 - alpha; whether it changed is decided at 1 - alpha/m,
 * m the functions judged (Bonferroni), since a profile asks the question
 * of every function at once.
 *
 * Pure functions: the caller owns the input and frees out->fns.
 */
#ifndef STEADY_PROFILE_STATS_H
#define STEADY_PROFILE_STATS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Functions with fewer samples than this on a side get no interval; nor
 * does one whose per-run times do not vary on either side.
 */
#define PROFILE_MIN_JUDGED_SAMPLES 10

struct profile_side_data {
	size_t nr_runs;           /* 0: no such side (a profile of A alone) */
	const double *wall;       /* seconds, per run */
	const uint64_t *samples;  /* every sample of a run, per run */
	const uint64_t *counts;   /* [run * nr_fns + fn] */
};

struct fn_estimate {
	size_t fn;
	uint64_t samples[2];
	double share[2];          /* of every sample of the side */
	double time[2];           /* seconds per run, the mean over the side's runs */
	double ratio;             /* time B / time A; NAN where either is 0 */
	double lo, hi;            /* at 1 - alpha; NAN when not judged */
	double family_lo, family_hi;  /* at 1 - alpha / family */
	int judged;               /* enough samples on both sides for an interval */
	int change;               /* +1 slower, -1 faster, 0 not shown to change */
};

struct profile_estimate {
	double wall[2];           /* mean wall seconds per run */
	double wall_ratio, wall_lo, wall_hi;  /* at 1 - alpha; NAN with one side */
	struct fn_estimate *fns;  /* every function with a sample */
	size_t nr;
	size_t family;            /* functions judged */
};

/*
 * The interval of mean(y) / mean(x) at 1 - alpha as described above, into
 * *ratio, *lo, *hi. -1 (all NAN) when a side has fewer than 2 values or a
 * mean that is not > 0. Zero spread on both sides gives lo = hi = ratio.
 */
int ratio_of_means_ci(const double *x, size_t nx, const double *y, size_t ny,
		      double alpha, double *ratio, double *lo, double *hi);

/*
 * Estimates every function of nr_fns; sorted with the largest change in
 * time first (|time B - time A|; with A alone, the largest time), ties by
 * id. 0, or -1 when side 0 has fewer than 2 runs.
 */
int profile_estimate(const struct profile_side_data side[2], size_t nr_fns, double alpha,
		     struct profile_estimate *out);

#endif
