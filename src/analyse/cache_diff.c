/*
 * cache_diff: see cache_diff.h. Functions are matched by sorting both
 * sides' (name, file) keys and merging, O(n log n) for the hundreds of
 * thousands of functions a large program has.
 */
#include "analyse/cache_diff.h"
#include "lib/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const measure_names[CG_NR_MEASURES] = {
	[CG_IR] = "Ir",
	[CG_I1_MISSES] = "I1 misses",
	[CG_D1_MISSES] = "D1 misses",
	[CG_LL_MISSES] = "LL misses",
};

/* The events each measure sums. */
static const char *const measure_events[CG_NR_MEASURES][4] = {
	[CG_IR] = { "Ir", NULL },
	[CG_I1_MISSES] = { "I1mr", NULL },
	[CG_D1_MISSES] = { "D1mr", "D1mw", NULL },
	[CG_LL_MISSES] = { "ILmr", "DLmr", "DLmw", NULL },
};

const char *cg_measure_name(enum cg_measure m)
{
	return measure_names[m];
}

int cg_measure_available(const struct cg_profile *p, enum cg_measure m)
{
	for (const char *const *e = measure_events[m]; *e; e++)
		if (cg_event_index(p, *e) < 0)
			return 0;
	return 1;
}

double cg_measure_value(const struct cg_profile *p, const uint64_t *cost, enum cg_measure m)
{
	double sum = 0;

	if (!cg_measure_available(p, m))
		return 0;
	for (const char *const *e = measure_events[m]; *e; e++)
		sum += (double)cost[cg_event_index(p, *e)];
	return sum;
}

static int compare_keys(const char *name_a, const char *file_a,
			const char *name_b, const char *file_b)
{
	int c = strcmp(name_a, name_b);

	return c ? c : strcmp(file_a, file_b);
}

static int by_key(const void *x, const void *y)
{
	const struct cg_function *const *a = x, *const *b = y;

	return compare_keys((*a)->name, (*a)->file, (*b)->name, (*b)->file);
}

static int by_change(const void *x, const void *y)
{
	const struct fn_change *a = x, *b = y;
	double da = fabs(a->b - a->a), db = fabs(b->b - b->a);

	if (da != db)
		return da < db ? 1 : -1;
	return compare_keys(a->name, a->file, b->name, b->file);
}

static const struct cg_function **sorted(const struct cg_profile *p)
{
	const struct cg_function **v = xcalloc(p->nr_fns ? p->nr_fns : 1, sizeof(*v));

	for (size_t i = 0; i < p->nr_fns; i++)
		v[i] = &p->fns[i];
	qsort(v, p->nr_fns, sizeof(*v), by_key);
	return v;
}

struct fn_change *cache_changes(const struct cg_profile *a, const struct cg_profile *b,
				enum cg_measure m, size_t *n)
{
	const struct cg_function **sa = sorted(a), **sb = sorted(b);
	struct fn_change *out = xcalloc(a->nr_fns + b->nr_fns + 1, sizeof(*out));
	size_t i = 0, j = 0, k = 0;

	while (i < a->nr_fns || j < b->nr_fns) {
		struct fn_change c = { NULL, NULL, 0, 0 };
		int cmp;

		if (i == a->nr_fns)
			cmp = 1;
		else if (j == b->nr_fns)
			cmp = -1;
		else
			cmp = compare_keys(sa[i]->name, sa[i]->file, sb[j]->name, sb[j]->file);
		if (cmp <= 0) {
			c.name = sa[i]->name;
			c.file = sa[i]->file;
			c.a = cg_measure_value(a, sa[i]->cost, m);
			i++;
		}
		if (cmp >= 0) {
			c.name = sb[j]->name;
			c.file = sb[j]->file;
			c.b = cg_measure_value(b, sb[j]->cost, m);
			j++;
		}
		if (c.a != 0 || c.b != 0)
			out[k++] = c;
	}
	free(sa);
	free(sb);
	qsort(out, k, sizeof(*out), by_change);
	*n = k;
	return out;
}

int cache_totals_agree(const struct cg_profile *a, const struct cg_profile *b, double tol)
{
	for (size_t i = 0; i < a->nr_events; i++) {
		int k = cg_event_index(b, a->events[i]);
		double x, y;

		if (k < 0)
			continue;
		x = (double)a->summary[i];
		y = (double)b->summary[k];
		if (fabs(y - x) > tol * fabs(x) && fabs(y - x) > 0)
			return 0;
	}
	return 1;
}
