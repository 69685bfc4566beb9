/*
 * cachegrind: reads the files `valgrind --tool=cachegrind` writes
 * (cachegrind.out.PID) into per-function event counts, so a profile can be
 * compared like any other measurement. Our own parser: no cg_annotate, no
 * Perl or Python at run time.
 *
 * What is read (valgrind 3.x, and the callgrind-style variants other
 * versions and tools write):
 *   - "desc:", "cmd:", "events:", "positions:", "summary:", "totals:" and
 *     any other "word: ..." header line (ignored), anywhere in the file;
 *   - "fl=", "fi=", "fe=" set the file for the cost lines that follow and
 *     "fn=" the function; fi=/fe= (inlined code) keep the function, so its
 *     lines from another file count as the pair (that file, function);
 *   - callgrind name compression: "fn=(7) name" defines 7, "fn=(7)" uses it
 *     (files and functions are numbered apart; cfi=/cfl=/jfi= and
 *     cfn=/jfn= lines only define names). "fn=(below main)" is a name;
 *   - cost lines "POS c1 c2 ...": one position column (the line number)
 *     unless "positions:" names more; missing trailing counts are 0; the
 *     cost line after a callgrind calls=/jump=/jcnd= line is a call's cost,
 *     not the function's own, and is skipped;
 *   - blank lines, "#" comments and CRLF line ends.
 * A cost line before any fl= has the file "???", before any fn= the
 * function "???" (valgrind's own name for unknown).
 *
 * Ownership: struct cg_profile owns every string and array in it, including
 * each cg_function's file, name and cost; cg_profile_release() frees them
 * all and leaves the profile empty, as cg_profile_init() does. Nothing in a
 * profile points into the parsed text.
 */
#ifndef STEADY_CACHEGRIND_H
#define STEADY_CACHEGRIND_H

#include <stddef.h>
#include <stdint.h>

struct cg_function {
	char *file;          /* fl= in effect */
	char *name;          /* fn= */
	uint64_t *cost;      /* nr_events counts, summed over the function's lines */
};

struct cg_profile {
	char *cmd;           /* the cmd: line, NULL if absent */
	char **events;       /* event names from the events: line (NULL after the last) */
	size_t nr_events;
	uint64_t *summary;   /* the summary: line; if missing, the sum over functions */
	int has_summary;     /* the file had a summary: line (or an old totals: line) */
	struct cg_function *fns;   /* in order of first appearance */
	size_t nr_fns, alloc_fns;
};

void cg_profile_init(struct cg_profile *p);
void cg_profile_release(struct cg_profile *p);

/*
 * Reads path into out, which must have been initialised: its old contents
 * are released and replaced. One cg_function per distinct (file, function)
 * pair, blocks of the same pair merged. A summary: line is kept as written
 * even when it disagrees with the sum of the cost lines (a summary: line
 * wins over a totals: line).
 *
 * 0, or -1 after one error line naming path and, for bad content, the line
 * number (not a cachegrind file, no events: line before the first cost
 * line, a count that is not a number or does not fit 64 bits, more counts
 * than events, a compressed name never defined, an empty file); out is then
 * left empty.
 */
int cachegrind_parse(const char *path, struct cg_profile *out);
/* Same, from len bytes of text in memory (for tests); name used in messages. */
int cachegrind_parse_buffer(const char *text, size_t len, const char *name,
			    struct cg_profile *out);

/* Index of an event by name in p->events, or -1. */
int cg_event_index(const struct cg_profile *p, const char *name);
/* p->summary[index of name], or 0 with *found = 0 when the event is absent;
 * found may be NULL. */
uint64_t cg_total(const struct cg_profile *p, const char *name, int *found);

#endif
