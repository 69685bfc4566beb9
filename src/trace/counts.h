/*
 * counts: named call counts (system calls, library calls) and the
 * difference of two sets of them, for `steady trace`. Pure data: nothing
 * here traces, prints or reads files.
 *
 * Ownership: a struct call_table owns its entries and their names;
 * call_table_release() frees them. Pointers to entries stay valid until the
 * next call that adds a name. Diff rows borrow the entries of both tables,
 * so the tables must outlive them; the caller frees the row array.
 */
#ifndef STEADY_TRACE_COUNTS_H
#define STEADY_TRACE_COUNTS_H

#include <stddef.h>
#include <stdint.h>

struct call_count {
	char *name;
	uint64_t calls;
	uint64_t errors;    /* calls that returned an error (system calls only) */
	int64_t time_ns;    /* time inside the calls, when measured */
};

struct call_table {
	struct call_count *items;
	size_t nr, alloc;
};

void call_table_init(struct call_table *t);
void call_table_release(struct call_table *t);

/* The entry named name, NULL when there is none. */
const struct call_count *call_table_find(const struct call_table *t, const char *name);
/* Adds the figures to name's entry, creating it at zero first. */
void call_table_add(struct call_table *t, const char *name, uint64_t calls,
		    uint64_t errors, int64_t time_ns);
/* Every entry of from added to into. */
void call_table_merge(struct call_table *into, const struct call_table *from);
/* Sorts the entries by name, for stable output (JSON). */
void call_table_sort(struct call_table *t);

struct call_table_totals {
	uint64_t calls, errors;
	int64_t time_ns;
};
void call_table_totals(const struct call_table *t, struct call_table_totals *out);

struct call_diff_row {
	const char *name;
	const struct call_count *a, *b;  /* NULL where the side never made the call */
	int64_t delta;                   /* calls of B minus calls of A */
};

/*
 * The names whose calls or errors differ between a and b, largest |delta|
 * first (then more errors changed, then by name); *nr rows. *unchanged
 * (may be NULL) gets how many names have the same figures on both sides.
 * Time is not compared: it differs every run.
 */
struct call_diff_row *call_table_diff(const struct call_table *a, const struct call_table *b,
				      size_t *nr, size_t *unchanged);

#endif
