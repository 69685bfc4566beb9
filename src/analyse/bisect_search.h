/*
 * bisect_search: which units of a change (a patch's hunk groups, or the
 * commits of a range) make it slow, found by asking an oracle about
 * subsets. Pure: the oracle — build the subset, measure it against the
 * base under noise — is the caller's; here is only the order of the
 * questions and what the answers conclude.
 *
 * Units (bisect_units): first a halving search that assumes one culprit
 * (one question per halving: a half that is NOT SLOW sends the search to
 * the other half untested), then the confirmation: the candidate alone
 * (when it was never asked) and the rest alone. When the halves do not
 * behave as one culprit would (neither half slow, or the candidate alone
 * not slow), delta debugging (ddmin, Zeller and Hildebrandt 2002) over
 * subsets and complements finds a 1-minimal slow subset: interacting
 * units that are only slow together.
 *
 * Commits (bisect_commits): the first slow commit of a linear range,
 * halving between the last known good and the first known slow.
 *
 * An answer UNRESOLVED (the oracle's budget spent without a decision)
 * stops the search there: no guess is made. FAILED (the subset does not
 * apply or build) counts as not slow, as ddmin's unresolved outcome.
 * Subsets are byte maps over the units (1 = in); the search owns its
 * arrays and frees them; the result's culprit map is the caller's to free.
 */
#ifndef STEADY_BISECT_SEARCH_H
#define STEADY_BISECT_SEARCH_H

#include <stddef.h>

enum bisect_answer {
	BISECT_SLOW,          /* reproduces the set fraction of the full slowdown */
	BISECT_NOT_SLOW,
	BISECT_UNRESOLVED,    /* the budget ran out undecided */
	BISECT_FAILED,        /* does not apply or build */
	BISECT_ABORT          /* interrupted, or an error: stop at once */
};
const char *bisect_answer_name(enum bisect_answer a);  /* "SLOW", "NOT SLOW", ... */

/* What a question is for, in the log. */
enum bisect_purpose {
	BISECT_HALF,          /* a half of the candidates */
	BISECT_CULPRIT,       /* the candidate alone */
	BISECT_REST,          /* everything but the candidate */
	BISECT_DDMIN,         /* a subset or complement of delta debugging */
	BISECT_COMMIT         /* a commit of the range, against the base */
};
const char *bisect_purpose_name(enum bisect_purpose p);

/* Asks about subset (n bytes, 1 = unit in). */
typedef enum bisect_answer (*bisect_oracle_fn)(void *ctx, const unsigned char *subset,
					       size_t n, enum bisect_purpose purpose);

enum bisect_outcome {
	BISECT_FOUND,         /* culprit holds the minimal slow subset */
	BISECT_STOPPED,       /* a question came back UNRESOLVED: see culprit for the candidates left */
	BISECT_ABORTED,
	BISECT_NONE           /* no subset short of the whole is slow (ddmin kept everything) */
};

struct bisect_result {
	enum bisect_outcome outcome;
	unsigned char *culprit;   /* n bytes: the culprit (FOUND), the candidates left (STOPPED) */
	size_t culprit_size;
	int interacting;          /* ddmin was needed: the culprit's units are slow only together */
	enum bisect_answer rest;  /* the rest alone, when asked (FOUND); BISECT_UNRESOLVED if not */
	int unbuildable;          /* STOPPED because the commits left do not build, not undecided */
	unsigned questions;       /* oracle calls made */
};

/*
 * Searches n units (n >= 1; the whole set is known slow). 0, or -1 when
 * n is 0. The result's culprit is allocated (bisect_result_release()).
 */
int bisect_units(size_t n, bisect_oracle_fn oracle, void *ctx, struct bisect_result *out);

/*
 * The first slow commit of n (the whole range is known slow): commit k
 * (1..n) asked as the subset of the first k commits. culprit marks it.
 */
int bisect_commits(size_t n, bisect_oracle_fn oracle, void *ctx, struct bisect_result *out);

void bisect_result_release(struct bisect_result *r);

/*
 * The bar a subset must clear, 1 + fraction (low - 1), from the low end
 * of the whole change's interval (its estimate when the interval has no
 * low end): a sequential test that stopped at its first clear look
 * overstates the effect, and a bar from that could sit on the culprit's
 * own ratio.
 */
double bisect_bar(double fraction, double whole_lo, double whole_ratio);

/*
 * One step's answer from the interval [lo, hi] of its ratio to the base:
 * SLOW when it lies above the bar, NOT SLOW when below, else UNRESOLVED
 * (NaN ends included: not yet known).
 */
enum bisect_answer bisect_judge(double lo, double hi, double bar);

#endif
