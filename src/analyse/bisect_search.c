/*
 * bisect_search: see bisect_search.h.
 */
#include "analyse/bisect_search.h"
#include "lib/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *bisect_answer_name(enum bisect_answer a)
{
	switch (a) {
	case BISECT_SLOW:
		return "SLOW";
	case BISECT_NOT_SLOW:
		return "NOT SLOW";
	case BISECT_UNRESOLVED:
		return "UNRESOLVED";
	case BISECT_FAILED:
		return "BUILD FAILED";
	case BISECT_ABORT:
		break;
	}
	return "ABORTED";
}

const char *bisect_purpose_name(enum bisect_purpose p)
{
	switch (p) {
	case BISECT_HALF:
		return "half";
	case BISECT_CULPRIT:
		return "culprit alone";
	case BISECT_REST:
		return "rest alone";
	case BISECT_DDMIN:
		return "ddmin";
	case BISECT_COMMIT:
		break;
	}
	return "commit";
}

double bisect_bar(double fraction, double whole_lo, double whole_ratio)
{
	return 1 + fraction * ((isfinite(whole_lo) ? whole_lo : whole_ratio) - 1);
}

enum bisect_answer bisect_judge(double lo, double hi, double bar)
{
	if (lo > bar)
		return BISECT_SLOW;
	if (hi < bar)
		return BISECT_NOT_SLOW;
	return BISECT_UNRESOLVED;
}

void bisect_result_release(struct bisect_result *r)
{
	free(r->culprit);
	r->culprit = NULL;
}

/* The search's state: the oracle, and how many questions it took. */
struct search {
	size_t n;
	bisect_oracle_fn oracle;
	void *ctx;
	unsigned questions;
};

static enum bisect_answer ask(struct search *s, const unsigned char *subset,
			      enum bisect_purpose purpose)
{
	s->questions++;
	return s->oracle(s->ctx, subset, s->n, purpose);
}

static size_t count(const unsigned char *set, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += set[i] != 0;
	return k;
}

/* The first half (in unit order) of set into first, the rest into second. */
static void halve(const unsigned char *set, size_t n, unsigned char *first,
		  unsigned char *second)
{
	size_t total = count(set, n), seen = 0;

	memset(first, 0, n);
	memset(second, 0, n);
	for (size_t i = 0; i < n; i++) {
		if (!set[i])
			continue;
		if (seen++ < total / 2)
			first[i] = 1;
		else
			second[i] = 1;
	}
}

/* Chunk k of `chunks` nearly equal chunks of set (in unit order) into out. */
static void chunk(const unsigned char *set, size_t n, size_t chunks, size_t k,
		  unsigned char *out)
{
	size_t total = count(set, n), seen = 0;
	size_t from = total * k / chunks, to = total * (k + 1) / chunks;

	memset(out, 0, n);
	for (size_t i = 0; i < n; i++) {
		if (!set[i])
			continue;
		if (seen >= from && seen < to)
			out[i] = 1;
		seen++;
	}
}

/* An answer that ends the search: UNRESOLVED or ABORT. */
static int stops(enum bisect_answer a)
{
	return a == BISECT_UNRESOLVED || a == BISECT_ABORT;
}

static void conclude_stop(struct bisect_result *out, enum bisect_answer a,
			  const unsigned char *candidates, size_t n)
{
	out->outcome = a == BISECT_ABORT ? BISECT_ABORTED : BISECT_STOPPED;
	memcpy(out->culprit, candidates, n);
}

/*
 * ddmin over set: the 1-minimal slow subset into out->culprit (FOUND), or
 * the whole set back when nothing smaller is slow (NONE). Returns 0, or 1
 * when an answer stopped the search (out filled).
 */
static int ddmin(struct search *s, const unsigned char *set, struct bisect_result *out)
{
	size_t n = s->n, granularity = 2;
	unsigned char *c = xcalloc(n, 1), *part = xcalloc(n, 1), *comp = xcalloc(n, 1);
	int ret = 0, shrunk_once = 0;

	memcpy(c, set, n);
	while (count(c, n) >= 2) {
		size_t size = count(c, n), chunks = granularity < size ? granularity : size;
		int reduced = 0;

		for (size_t k = 0; k < chunks && !reduced; k++) {
			enum bisect_answer a;

			chunk(c, n, chunks, k, part);
			a = ask(s, part, BISECT_DDMIN);
			if (stops(a)) {
				conclude_stop(out, a, c, n);
				ret = 1;
				goto out;
			}
			if (a == BISECT_SLOW) {
				memcpy(c, part, n);
				granularity = 2;
				reduced = 1;
			}
		}
		/* complements: with two chunks they are the chunks themselves */
		for (size_t k = 0; k < chunks && !reduced && chunks > 2; k++) {
			enum bisect_answer a;

			chunk(c, n, chunks, k, part);
			for (size_t i = 0; i < n; i++)
				comp[i] = c[i] && !part[i];
			a = ask(s, comp, BISECT_DDMIN);
			if (stops(a)) {
				conclude_stop(out, a, c, n);
				ret = 1;
				goto out;
			}
			if (a == BISECT_SLOW) {
				memcpy(c, comp, n);
				granularity = granularity - 1 > 2 ? granularity - 1 : 2;
				reduced = 1;
			}
		}
		shrunk_once |= reduced;
		if (reduced)
			continue;
		if (granularity >= size)
			break;
		granularity = 2 * granularity < size ? 2 * granularity : size;
	}
	memcpy(out->culprit, c, n);
	out->outcome = shrunk_once || count(c, n) < count(set, n) ? BISECT_FOUND : BISECT_NONE;
	out->interacting = count(c, n) > 1;
out:
	free(c);
	free(part);
	free(comp);
	return ret;
}

int bisect_units(size_t n, bisect_oracle_fn oracle, void *ctx, struct bisect_result *out)
{
	struct search s = { n, oracle, ctx, 0 };
	unsigned char *cand, *first, *second, *rest;
	enum bisect_answer a, alone = BISECT_UNRESOLVED;
	int inferred = 0;

	memset(out, 0, sizeof(*out));
	out->rest = BISECT_UNRESOLVED;
	if (!n)
		return -1;
	out->culprit = xcalloc(n, 1);
	cand = xcalloc(n, 1);
	first = xcalloc(n, 1);
	second = xcalloc(n, 1);
	rest = xcalloc(n, 1);
	memset(cand, 1, n);
	/* one unit is the whole change, known slow: nothing to ask of it alone */
	if (n == 1)
		alone = BISECT_SLOW;

	/* halving, as if one unit were the culprit */
	while (count(cand, n) > 1) {
		halve(cand, n, first, second);
		a = ask(&s, first, BISECT_HALF);
		if (stops(a)) {
			conclude_stop(out, a, cand, n);
			goto done;
		}
		if (a == BISECT_SLOW) {
			memcpy(cand, first, n);
			inferred = 0;
			alone = count(cand, n) == 1 ? BISECT_SLOW : BISECT_UNRESOLVED;
			continue;
		}
		if (a == BISECT_NOT_SLOW) {
			/* one culprit would be in the other half: no need to ask (confirmed below) */
			memcpy(cand, second, n);
			inferred = 1;
			continue;
		}
		/* the first half alone does not build: ask the second */
		a = ask(&s, second, BISECT_HALF);
		if (stops(a)) {
			conclude_stop(out, a, cand, n);
			goto done;
		}
		if (a != BISECT_SLOW)
			goto interacting;
		memcpy(cand, second, n);
		inferred = 0;
		alone = count(cand, n) == 1 ? BISECT_SLOW : BISECT_UNRESOLVED;
	}

	/* the confirmation: the candidate alone, then the rest alone */
	if (inferred || alone != BISECT_SLOW) {
		alone = ask(&s, cand, BISECT_CULPRIT);
		if (stops(alone)) {
			conclude_stop(out, alone, cand, n);
			goto done;
		}
		if (alone != BISECT_SLOW)
			goto interacting;
	}
	memcpy(out->culprit, cand, n);
	out->outcome = BISECT_FOUND;
	if (n > 1) {
		for (size_t i = 0; i < n; i++)
			rest[i] = !cand[i];
		out->rest = ask(&s, rest, BISECT_REST);
		if (out->rest == BISECT_ABORT)
			out->outcome = BISECT_ABORTED;
	}
	goto done;

interacting:
	/* not one culprit: the slow subset is found by ddmin from the whole */
	memset(cand, 1, n);
	if (!ddmin(&s, cand, out) && out->outcome == BISECT_FOUND && count(out->culprit, n) < n) {
		for (size_t i = 0; i < n; i++)
			rest[i] = !out->culprit[i];
		out->rest = ask(&s, rest, BISECT_REST);
		if (out->rest == BISECT_ABORT)
			out->outcome = BISECT_ABORTED;
	}
done:
	out->culprit_size = count(out->culprit, n);
	out->questions = s.questions;
	free(cand);
	free(first);
	free(second);
	free(rest);
	return 0;
}

int bisect_commits(size_t n, bisect_oracle_fn oracle, void *ctx, struct bisect_result *out)
{
	struct search s = { n, oracle, ctx, 0 };
	unsigned char *prefix, *skipped;
	size_t good = 0, slow = n;   /* commit 0 is the base; commit n is known slow */

	memset(out, 0, sizeof(*out));
	out->rest = BISECT_UNRESOLVED;
	if (!n)
		return -1;
	out->culprit = xcalloc(n, 1);
	prefix = xcalloc(n, 1);
	skipped = xcalloc(n + 1, 1);
	while (slow - good > 1) {
		size_t mid = good + (slow - good) / 2, probe = 0;
		enum bisect_answer a = BISECT_FAILED;

		/*
		 * The commit nearest the middle that builds: one that does not
		 * says nothing about the slowdown, so it is skipped, not taken
		 * as good (git bisect skip's rule).
		 */
		for (size_t d = 0; a == BISECT_FAILED && d < slow - good; d++) {
			size_t tries[2] = { mid + d, mid - d };

			for (int t = 0; t < 2 && a == BISECT_FAILED; t++) {
				probe = tries[t];
				if (probe <= good || probe >= slow || skipped[probe] || (t && !d))
					continue;
				memset(prefix, 0, n);
				memset(prefix, 1, probe);
				a = ask(&s, prefix, BISECT_COMMIT);
				if (a == BISECT_FAILED)
					skipped[probe] = 1;
			}
		}
		if (a == BISECT_FAILED || stops(a)) {
			/* the culprit lies in (good, slow]: every commit between failed, or a step stopped */
			for (size_t i = good; i < slow; i++)
				out->culprit[i] = 1;
			out->outcome = a == BISECT_ABORT ? BISECT_ABORTED : BISECT_STOPPED;
			out->unbuildable = a == BISECT_FAILED;
			goto done;
		}
		if (a == BISECT_SLOW)
			slow = probe;
		else
			good = probe;
	}
	out->culprit[slow - 1] = 1;
	out->outcome = BISECT_FOUND;
done:
	out->culprit_size = count(out->culprit, n);
	out->questions = s.questions;
	free(prefix);
	free(skipped);
	return 0;
}
