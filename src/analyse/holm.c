/*
 * holm: Holm's step-down over interval verdicts (see holm.h).
 *
 * Holm's procedure orders the p-values and rejects p_(1) <= alpha/m, then
 * p_(2) <= alpha/(m-1), ... until the first that fails. An interval
 * verdict has no p-value, but its intervals are nested in alpha (a larger
 * alpha gives a narrower interval, and a decided verdict stays the same
 * verdict as the interval narrows), so "decided at alpha/r" is "its
 * decision p-value is at most alpha/r". Deciding every comparison that
 * passes at alpha/r in one step is what Holm does one at a time: each of
 * them would also pass the larger thresholds that follow.
 */
#include "analyse/holm.h"

int holm_decide(size_t m, double alpha, holm_verdict_fn fn, void *ctx,
		unsigned *step, double *alpha_used)
{
	size_t undecided = m;
	unsigned s = 0;

	for (size_t i = 0; i < m; i++)
		step[i] = 0;
	while (undecided) {
		double level = alpha / (double)undecided;
		size_t newly = 0;

		s++;
		for (size_t i = 0; i < m; i++) {
			enum verdict v;

			if (step[i])
				continue;
			if (fn(ctx, i, level, &v))
				return -1;
			alpha_used[i] = level;
			if (v != VERDICT_UNRESOLVED) {
				step[i] = s;
				newly++;
			}
		}
		if (!newly)
			break;
		undecided -= newly;
	}
	return (int)(m - undecided);
}
