/*
 * compare: the statistics of A versus B — is B slower, faster or the same
 * as A, by how much, and how sure. Pure functions over samples of times in
 * seconds; nothing here measures or prints.
 *
 * Two designs: paired (live runs interleaved A/B, pair i is the i-th run of
 * each side, so slow drift of the machine cancels in each pair) and
 * independent (saved results of separate sessions). Resampling is seeded:
 * the same data and seed give the same interval. No function keeps a
 * pointer to its inputs; scratch memory is freed before returning.
 * compare_benchmarks() is the one entry that reads its samples out of two
 * benchmarks (a metric's values, paired run by run) instead of arrays.
 */
#ifndef STEADY_COMPARE_H
#define STEADY_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "analyse/estimators.h"

#include "measure/benchmark.h"

/* Bias-corrected and accelerated bootstrap CI of mean(b) / mean(a).
 * paired: resample pair indices (needs na == nb); otherwise resample each
 * side on its own. Returns 0, or -1 (lo/hi NaN) when a side has < 2 values
 * or a mean is not positive. */
int compare_bca_ratio(const double *a, size_t na, const double *b, size_t nb,
		      int paired, double alpha, unsigned resamples, uint64_t seed,
		      double *lo, double *hi);

/*
 * The bootstrap's bound: a comparison's resampling draws one index per
 * run per resample, so its cost is resamples * (na + nb). Above
 * COMPARE_BOOT_MAX_DRAWS (10^8 draws, a few tenths of a second; with the default
 * 10 000 resamples, above 10 000 runs in all, as two hyperfine files of
 * 100 000 runs are) the mean's interval is the large-sample one of
 * compare_delta_ratio() instead, which is what the bootstrap's
 * approaches at such sizes anyway; the comparison says so (mean_ci_delta).
 */
#define COMPARE_BOOT_MAX_DRAWS 100000000.0

/*
 * The delta-method (large-sample normal) CI of mean(b) / mean(a) at level
 * 1 - alpha, on the log scale so that it stays positive: log of the ratio
 * +- z * se, se^2 = var(a) / (na mean(a)^2) + var(b) / (nb mean(b)^2), or
 * with pairs var(b_i / mean(b) - a_i / mean(a)) / n. Linear in n: for
 * samples too large to bootstrap. 0, or -1 (NaN) as compare_bca_ratio().
 */
int compare_delta_ratio(const double *a, size_t na, const double *b, size_t nb,
			int paired, double alpha, double *lo, double *hi);

/* Welch's t-test on log times (paired: one-sample t on d_i). Two-sided p
 * from GSL's t distribution. -1 when undefined (n < 2, zero variance). */
/*
 * Welch's (or, paired, the one-sample) t interval at level 1 - alpha for
 * the ratio of geometric means B/A: exp of the difference of mean logs
 * +- t * se. 0, or -1 with NaN when it cannot be computed.
 */
int compare_welch_log_ci(const double *a, size_t na, const double *b, size_t nb,
			 int paired, double alpha, double *lo, double *hi);
int compare_welch_log(const double *a, size_t na, const double *b, size_t nb,
		      int paired, double *t, double *df, double *p);

/* Mann–Whitney U of b against a (U counts pairs with b > a, ties half),
 * two-sided p: exact when na nb <= 2500 (every 50 + 50) and no value is
 * tied (min(1, 2 min(P(U <= u), P(U >= u))) as R's wilcox.test);
 * otherwise from the normal approximation with tie and continuity
 * correction. -1 when a side is empty. */
int compare_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
			 double *u, double *p);

enum verdict { VERDICT_UNRESOLVED, VERDICT_SAME, VERDICT_SLOWER, VERDICT_FASTER };
const char *verdict_name(enum verdict v);  /* "UNRESOLVED", "SAME", ... */

/*
 * The verdict from a CI [lo, hi] of the ratio B/A and a practical margin m
 * (0.01 = 1%): SLOWER when lo > 1+m, FASTER when hi < 1-m, SAME when the CI
 * lies within [1-m, 1+m], UNRESOLVED otherwise (NaN included).
 */
enum verdict verdict_from_ci(double lo, double hi, double margin);

/*
 * Alpha of the k-th look (k = 1, 2, ...) of a sequential comparison that
 * looks at doubling sample sizes: alpha * 2^-k. The levels sum to alpha,
 * so the chance of any false verdict over all looks stays within alpha.
 */
double compare_look_alpha(double alpha, unsigned k);

/* One estimator's B/A, its interval at the comparison's level, its verdict. */
struct estimate_verdict {
	double ratio, lo, hi;         /* NaN where it cannot be computed */
	enum verdict verdict;
};

/*
 * Everything `steady compare` reports for one pair of benchmarks. The
 * verdict is the judged estimator's; the others are computed at the same
 * level and kept beside it, so that nothing is hidden: `disagree` is set
 * when two of them reach opposite decisions (SLOWER against SAME or
 * FASTER, FASTER against SAME).
 */
struct comparison {
	size_t na, nb;
	int paired;
	double alpha;                 /* level of every interval: 1 - alpha */
	double margin;
	enum estimator estimator;     /* the one judged (never ESTIMATOR_AUTO) */
	int fell_back;                /* the default's had no interval yet: the mean judged */
	double ratio;                 /* its estimate of B/A */
	double ci_lo, ci_hi;          /* its interval */
	enum verdict verdict;         /* from that interval and the margin */
	struct estimate_verdict by[ESTIMATOR_COUNT];  /* indexed by enum estimator */
	int disagree;
	double ratio_means;           /* mean(b) / mean(a) */
	int mean_ci_delta;            /* its interval by compare_delta_ratio(): too many
				       * runs for the bootstrap's bound */
	double ratio_medians;         /* median(b) / median(a), unpaired */
	double hl_ratio;              /* exp(Hodges–Lehmann shift on log times) */
	double welch_t, welch_df, welch_p;
	double mwu_u, mwu_p;
};

struct compare_options {
	double alpha;        /* 0.05 */
	double margin;       /* 0.01 */
	unsigned resamples;  /* 10000 */
	uint64_t seed;
	int paired;
	enum estimator estimator;  /* ESTIMATOR_AUTO: median for pairs, else hl */
};
void compare_options_init(struct compare_options *o);

/* Fills out from the two samples; NaN for what cannot be computed. */
void compare_samples(const double *a, size_t na, const double *b, size_t nb,
		     const struct compare_options *o, struct comparison *out);

/*
 * compare_samples() on the values of metric (NULL = wall time) of a and b.
 * Paired (when o->paired) needs run i of each side from the same round:
 * an interrupt that ended a round half-way leaves one side a run ahead,
 * and that unmatched run is dropped; a timed-out run (left out of the
 * values) breaks the alignment, and the samples are then independent.
 * 0, or -1 after one error line when a side lacks the metric.
 */
int compare_benchmarks(const struct benchmark *a, const struct benchmark *b,
		       const char *metric, const struct compare_options *o,
		       struct comparison *out);

/*
 * For a side read from a file (compare FILE..., report's pairs): 0 when
 * b has something to compare, else -1 after one error line naming side
 * ("A" or "B"), b and file: no runs at all, only warm-up or timed-out
 * runs, or, for wall time (metric NULL or "wall"), times that are not
 * positive (another tool's times of 0). compare_benchmarks() would call
 * such a side UNRESOLVED, which says "measure more", not "nothing here".
 */
int compare_check_side(const struct benchmark *b, const char *metric, const char *side,
		       const char *file);

/*
 * 1 when the measured runs of a and b pair up by round, as a live compare
 * or layout measured them: the k-th measured run of each (warm-ups and
 * timed-out runs left out) has the same seq / round_size, where
 * round_size is how many benchmarks ran in each round (all those of the
 * file). Such a file is compared paired by round, as live. One run more
 * on one side after the last pair (a round an interrupt cut short) still
 * pairs: compare_benchmarks() leaves it out. 0 for runs without a seq
 * (-1: imported, or an older file), any other unmatched run, or fewer
 * than 2 pairs.
 */
int compare_same_rounds(const struct benchmark *a, const struct benchmark *b,
			size_t round_size);

/*
 * The same test for any benchmark, measured live or read: who names it in
 * the error line, e.g. "side B ('./new')" (compare -- A B, every run of B
 * timed out) or "command 3 ('./new')" (compare with a baseline).
 */
int compare_check_measured(const struct benchmark *b, const char *metric, const char *who);

#endif
