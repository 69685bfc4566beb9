/*
 * scan: parameter scans of a benchmarked command, as hyperfine has them —
 * `-P NAME MIN MAX [-D STEP]` (numbers) and `-L NAME a,b,c` (a list), with
 * {NAME} in the command. Several parameters make their product; the last
 * one given changes fastest. Pure: parsing, counting and the values of one
 * combination; filling the command is toolchain/template's job.
 *
 * Ownership: struct scan owns its names and values (scan_release()); the
 * template values scan_combination() fills borrow from it.
 */
#ifndef STEADY_SCAN_H
#define STEADY_SCAN_H

#include <stddef.h>

#include "toolchain/template.h"

/* Most values one scan may expand to (hyperfine has no limit; a typo should not start a week of runs). */
#define SCAN_MAX_COMBINATIONS 10000

struct scan_param {
	char *name;
	char **values;
	size_t nr;
};

/* A combination left out: value[i] is the index of parameter i's value, -1 any. */
struct scan_exclude {
	long *value;
};

struct scan {
	struct scan_param *params;
	size_t nr, alloc;
	struct scan_exclude *excludes;   /* sweep's --exclude */
	size_t nr_excludes, alloc_excludes;
};

void scan_init(struct scan *s);
void scan_release(struct scan *s);

/*
 * -P NAME MIN MAX with step (NULL: 1, which needs integer ends): the
 * values MIN, MIN+STEP, ... up to MAX. 0, or -1 after one error line.
 */
int scan_add_range(struct scan *s, const char *name, const char *min, const char *max,
		   const char *step);
/* -L NAME a,b,c: the values as listed (none empty). 0, or -1 after one line. */
int scan_add_list(struct scan *s, const char *name, const char *list);

/*
 * --param NAME=V1;V2: values split at ';' only, so they may hold blanks
 * and commas; an empty value is a value ('cflags=;-O2': no flags, then
 * -O2). 0, or -1 after one line.
 */
int scan_add_param(struct scan *s, const char *spec);

/*
 * --exclude NAME=VALUE;NAME=VALUE: the combinations holding all of those
 * values are left out. Names and values must be the parameters' (so call
 * it after every parameter is added). 0, or -1 after one line.
 */
int scan_add_exclude(struct scan *s, const char *spec);

/* 1 when combination k is left out by an exclusion. */
int scan_excluded(const struct scan *s, size_t k);

/* The number of combinations (1 with no parameter), excluded ones included. */
size_t scan_count(const struct scan *s);

/* Combination k (0 <= k < scan_count()): one value per parameter into out[s->nr]. */
void scan_combination(const struct scan *s, size_t k, struct template_value *out);

/* "n=10 mode=fast" for combination k: a new string. */
char *scan_label(const struct scan *s, size_t k);

#endif
