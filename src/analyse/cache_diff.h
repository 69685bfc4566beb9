/*
 * cache_diff: what changed between two Cachegrind profiles (A and B of
 * `steady cache`): totals per event, and per function the change in the
 * four figures that explain a time difference — instructions (Ir), I1
 * misses, D1 misses and LL misses. Pure functions over parsed profiles
 * (cachegrind.h); the caller frees what they return, whose strings point
 * into the profiles.
 */
#ifndef STEADY_CACHE_DIFF_H
#define STEADY_CACHE_DIFF_H

#include <stddef.h>
#include "formats/cachegrind.h"

enum cg_measure {
	CG_IR,		/* Ir */
	CG_I1_MISSES,	/* I1mr */
	CG_D1_MISSES,	/* D1mr + D1mw */
	CG_LL_MISSES,	/* ILmr + DLmr + DLmw */
	CG_NR_MEASURES
};

/* "Ir", "I1 misses", "D1 misses", "LL misses". */
const char *cg_measure_name(enum cg_measure m);

/* 1 when p has every event m needs (a profile without --cache-sim has only Ir). */
int cg_measure_available(const struct cg_profile *p, enum cg_measure m);

/* m of one cost vector of p (summary or a function's); 0 when unavailable. */
double cg_measure_value(const struct cg_profile *p, const uint64_t *cost, enum cg_measure m);

/* One function's figure in A and in B (0 where it does not exist). */
struct fn_change {
	const char *file, *name;
	double a, b;
};

/*
 * Every function of a or b, matched by (file, name), with measure m, sorted
 * by |b - a| (largest first; ties by name, then file). Functions whose
 * figure is 0 on both sides are left out. *n gets the count.
 */
struct fn_change *cache_changes(const struct cg_profile *a, const struct cg_profile *b,
				enum cg_measure m, size_t *n);

/*
 * 1 when every event both profiles have agrees in total within tol
 * (0.001 = 0.1%) of A's total: the simulated caches see no difference.
 */
int cache_totals_agree(const struct cg_profile *a, const struct cg_profile *b, double tol);

#endif
