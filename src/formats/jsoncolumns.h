/*
 * jsoncolumns: keeps long arrays of numbers out of jansson's tree while a
 * JSON file is parsed. jansson spends about 40 bytes on every number of a
 * tree (a json_t and a pointer to it); a results file of 10^5 runs holds a
 * million of them. A packing filter sits between the file and
 * json_load_callback(): an array of numbers, or of true/false, that is the
 * value of one of the keys it was given is parsed by the filter, stored at
 * the narrowest integer width that holds it, and replaced in the text
 * jansson sees by a placeholder string naming the packed column. Readers
 * find the column again with packed_column_of(). Text the filter does not
 * understand reaches jansson unchanged, so syntax errors stay jansson's to
 * report (with the right line: a placeholder keeps the array's newlines).
 *
 * Ownership: struct packed_columns owns every column it holds;
 * packed_columns_release() frees them. The filter borrows the FILE, the
 * keys and the packed_columns it fills.
 */
#ifndef STEADY_JSONCOLUMNS_H
#define STEADY_JSONCOLUMNS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum packed_kind {
	PACKED_INTEGERS,	/* every element a JSON integer */
	PACKED_REALS,		/* numbers, at least one written as a real */
	PACKED_BOOLEANS		/* every element true or false (1 or 0) */
};

struct packed_column {
	enum packed_kind kind;
	size_t n;
	unsigned width;		/* bytes per value: 1, 2, 4 or 8 integers; 8 doubles */
	void *data;
	size_t first_real;	/* PACKED_REALS: index of the first real element */
};

struct packed_columns {
	struct packed_column *cols;
	size_t nr, alloc;
	uint64_t key;		/* drawn by packed_columns_init(), in every placeholder */
};

void packed_columns_init(struct packed_columns *pc);
void packed_columns_release(struct packed_columns *pc);

/* The column v stands for, or NULL when v is no placeholder of pc's. */
const struct packed_column *packed_column_of(const struct packed_columns *pc,
					     const json_t *v);
/*
 * Puts every column of pc back into root as the JSON array it was read
 * from, for a reader that finds the file is not one whose columns it reads
 * (another tool's results, steady's other kinds): a file is parsed once and
 * may be a pipe. Integers and booleans come back exactly; a column of reals
 * as reals from its first real element on. 0, or -1 out of memory.
 */
int packed_columns_unpack(json_t *root, const struct packed_columns *pc);

/* Element i: integers and booleans exactly; any kind as a double. */
int64_t packed_integer(const struct packed_column *c, size_t i);
double packed_number(const struct packed_column *c, size_t i);

/*
 * A json_load_callback_t over in: keys is NULL-terminated; columns go to
 * out. packing_filter_failed() says whether reading in failed (errno kept).
 */
struct packing_filter;
struct packing_filter *packing_filter_new(FILE *in, const char *const *keys,
					  struct packed_columns *out);
size_t packing_filter_read(void *buffer, size_t buflen, void *filter);
int packing_filter_failed(const struct packing_filter *f);
void packing_filter_free(struct packing_filter *f);

#endif
