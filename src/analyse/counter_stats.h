/*
 * counter_stats: the statistics `steady stat` prints per event — mean over
 * the runs, perf stat's "±" (the standard error of the mean relative to the
 * mean), a 95% confidence interval, the share of time the event was
 * actually on the PMU — and the derived metrics (IPC, miss rates, CPUs
 * utilised), computed run by run so they get intervals and verdicts too.
 *
 * Pure functions over a struct benchmark's counts; the caller owns every
 * array they return.
 */
#ifndef STEADY_COUNTER_STATS_H
#define STEADY_COUNTER_STATS_H

#include <stddef.h>
#include "measure/benchmark.h"

struct event_stats {
	size_t n;                   /* measured runs where the event was counted */
	enum counter_status status; /* COUNTED when n > 0, else why not */
	double mean, stddev;
	double rel_sem_pct;         /* 100 * (stddev / sqrt(n)) / mean; NaN when n < 2 or mean 0 */
	double ci_lo, ci_hi;        /* 95% CI of the mean (Student t); NaN when n < 2 */
	double running_pct;         /* mean share of the run spent counting; 100 = not multiplexed */
};

/* Statistics of count k of b over its measured runs. */
void event_stats_compute(const struct benchmark *b, size_t k, struct event_stats *out);

/* Statistics of any values (derived metrics): status COUNTED, running 100. */
void event_stats_from_values(const double *v, size_t n, struct event_stats *out);

/*
 * A ratio of two counts per run, times scale: IPC = instructions / cycles.
 * den "wall" means the run's wall time in ns (CPUs utilised).
 */
struct derived_metric {
	const char *name;   /* "IPC", "branch-miss rate" */
	const char *num, *den;
	double scale;       /* 1, or 100 for a percentage */
	const char *unit;   /* "", "%" */
};
const struct derived_metric *derived_metrics(size_t *nr);

/* 1 for task-clock and cpu-clock in any spelling: they count nanoseconds. */
int counter_is_clock(const char *name);

/*
 * The per-run values of d for b: runs (measured, not timed out) where both
 * inputs were counted and the denominator is not 0. NULL with *n = 0 when b
 * lacks an input.
 */
double *derived_values(const struct benchmark *b, const struct derived_metric *d, size_t *n);

#endif
