/*
 * counts: see counts.h. Tables hold a few hundred names at
 * most (one per system call or called symbol), so lookups are linear.
 */
#include "trace/counts.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

void call_table_init(struct call_table *t)
{
	memset(t, 0, sizeof(*t));
}

void call_table_release(struct call_table *t)
{
	for (size_t i = 0; i < t->nr; i++)
		free(t->items[i].name);
	free(t->items);
	call_table_init(t);
}

const struct call_count *call_table_find(const struct call_table *t, const char *name)
{
	for (size_t i = 0; i < t->nr; i++)
		if (!strcmp(t->items[i].name, name))
			return &t->items[i];
	return NULL;
}

void call_table_add(struct call_table *t, const char *name, uint64_t calls,
		    uint64_t errors, int64_t time_ns)
{
	struct call_count *c = (struct call_count *)call_table_find(t, name);

	if (!c) {
		ALLOC_GROW(t->items, t->nr + 1, t->alloc);
		c = &t->items[t->nr++];
		memset(c, 0, sizeof(*c));
		c->name = xstrdup(name);
	}
	c->calls += calls;
	c->errors += errors;
	c->time_ns += time_ns;
}

void call_table_merge(struct call_table *into, const struct call_table *from)
{
	for (size_t i = 0; i < from->nr; i++)
		call_table_add(into, from->items[i].name, from->items[i].calls,
			       from->items[i].errors, from->items[i].time_ns);
}

static int by_name(const void *x, const void *y)
{
	return strcmp(((const struct call_count *)x)->name, ((const struct call_count *)y)->name);
}

void call_table_sort(struct call_table *t)
{
	if (t->nr)
		qsort(t->items, t->nr, sizeof(*t->items), by_name);
}

void call_table_totals(const struct call_table *t, struct call_table_totals *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < t->nr; i++) {
		out->calls += t->items[i].calls;
		out->errors += t->items[i].errors;
		out->time_ns += t->items[i].time_ns;
	}
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

static uint64_t errors_of(const struct call_count *c)
{
	return c ? c->errors : 0;
}

static uint64_t error_change(const struct call_diff_row *r)
{
	uint64_t ea = errors_of(r->a), eb = errors_of(r->b);

	return ea > eb ? ea - eb : eb - ea;
}

static int by_change(const void *x, const void *y)
{
	const struct call_diff_row *p = x, *q = y;
	uint64_t mp = magnitude(p->delta), mq = magnitude(q->delta);

	if (mp != mq)
		return mp > mq ? -1 : 1;
	if (error_change(p) != error_change(q))
		return error_change(p) > error_change(q) ? -1 : 1;
	return strcmp(p->name, q->name);
}

static int64_t delta_of(uint64_t a, uint64_t b)
{
	/* Counts beyond 2^63 are not physical; clamp rather than wrap. */
	if (b >= a)
		return b - a > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)(b - a);
	return a - b > (uint64_t)INT64_MAX ? -INT64_MAX : -(int64_t)(a - b);
}

struct call_diff_row *call_table_diff(const struct call_table *a, const struct call_table *b,
				      size_t *nr, size_t *unchanged)
{
	struct call_diff_row *rows = xcalloc(a->nr + b->nr, sizeof(*rows));
	size_t n = 0, same = 0;

	for (size_t i = 0; i < a->nr; i++) {
		const struct call_count *ca = &a->items[i];
		const struct call_count *cb = call_table_find(b, ca->name);

		if (cb && cb->calls == ca->calls && cb->errors == ca->errors) {
			same++;
			continue;
		}
		rows[n].name = ca->name;
		rows[n].a = ca;
		rows[n].b = cb;
		rows[n].delta = delta_of(ca->calls, cb ? cb->calls : 0);
		n++;
	}
	for (size_t i = 0; i < b->nr; i++) {
		const struct call_count *cb = &b->items[i];

		if (call_table_find(a, cb->name))
			continue;
		rows[n].name = cb->name;
		rows[n].b = cb;
		rows[n].delta = delta_of(0, cb->calls);
		n++;
	}
	if (n)
		qsort(rows, n, sizeof(*rows), by_change);
	*nr = n;
	if (unchanged)
		*unchanged = same;
	return rows;
}
