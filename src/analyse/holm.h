/*
 * holm: family-wise error control for several comparisons at once, by
 * Holm's step-down procedure applied to interval verdicts (docs/compare.md,
 * "Many commands or files: one family").
 *
 * m comparisons share a family level alpha. Step 1 computes every
 * comparison's interval at alpha/m and marks decided those whose verdict
 * is not UNRESOLVED; each further step computes the still undecided ones at
 * alpha/r (r = how many are undecided) and does the same; it stops when a
 * step decides none or none remain. With m = 1 this is the single interval
 * at alpha.
 *
 * The procedure knows nothing of samples: a callback computes comparison
 * i's interval at a given alpha, keeps whatever it wants in its context,
 * and returns the verdict. Nothing here allocates or keeps a pointer.
 */
#ifndef STEADY_HOLM_H
#define STEADY_HOLM_H

#include <stddef.h>

#include "analyse/compare.h"

/*
 * Comparison i's verdict from its interval at level 1 - alpha, into *v.
 * 0, or -1 when it cannot be computed (the callback prints the line).
 */
typedef int (*holm_verdict_fn)(void *ctx, size_t i, double alpha, enum verdict *v);

/*
 * Runs the procedure over comparisons 0..m-1 at family level alpha. For
 * each i: step[i] is the step (1, 2, ...) that decided it, 0 when none
 * did; alpha_used[i] the alpha of its last interval (the deciding one, or
 * for an undecided comparison that of the last step). The callback's last
 * call for i is always at alpha_used[i]. Returns how many were decided, or
 * -1 as soon as a callback fails.
 */
int holm_decide(size_t m, double alpha, holm_verdict_fn fn, void *ctx,
		unsigned *step, double *alpha_used);

#endif
