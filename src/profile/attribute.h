/*
 * attribute: a sampled run's samples named — each sample's instruction
 * pointer, through the mappings the run recorded (PERF_RECORD_MMAP2) and
 * the ELF symbols of the mapped files (symbols.h), to the function that
 * holds it, counted per function; with call chains, counted per folded
 * stack ("main;middle;hot_a"); and for one chosen function (`profile
 * --annotate`), the file-relative address of each sample inside it.
 *
 * Labels: a function of the program itself by its name; of any other
 * file as "name (libfoo.so.1)"; "[anon]" for anonymous or JIT code;
 * "[vdso]"; "[stripped]" for an address of a file that has no symbol table
 * (then only exported symbols are named), "[unknown]" for one no symbol
 * and no mapping explains — both suffixed with the file name outside the
 * program. Labels are shared by A and B (struct profile_names), so the same
 * function in two builds is one row.
 *
 * Ownership: struct profile_names and struct attributor own everything
 * they point to (released by their _release functions); an attributor
 * borrows the names table and the focus function's name. struct
 * run_counts owns its array.
 */
#ifndef STEADY_PROFILE_ATTRIBUTE_H
#define STEADY_PROFILE_ATTRIBUTE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/strmap.h"
#include "measure/sampler.h"
#include "profile/annotate.h"
#include "profile/symbols.h"

/* Every function label and folded stack met, A's and B's alike. */
struct profile_names {
	struct strmap functions;
	struct strmap stacks;
};
#define PROFILE_NAMES_INIT { STRMAP_INIT, STRMAP_INIT }
void profile_names_release(struct profile_names *n);

/* One run's samples per function id (and per stack id), dense by id. */
struct run_counts {
	uint64_t *fn;           /* [function id] */
	size_t nr_fn;           /* ids below this may be set; above are 0 */
	uint64_t *stack;        /* [stack id], with call chains */
	size_t nr_stack;
	uint64_t samples;       /* every sample of the run, named or not */
	uint64_t chains;        /* samples with a call chain */
	uint64_t chains_with_caller;  /* ... whose caller lies in a mapped file */
};
void run_counts_release(struct run_counts *c);
/* c's count for function id (0 beyond what it holds). */
uint64_t run_counts_fn(const struct run_counts *c, size_t id);
uint64_t run_counts_stack(const struct run_counts *c, size_t id);

/* The samples inside the focus function, by file-relative address. */
struct focus_hits {
	char *path;             /* the file that holds it (the first met) */
	struct symbol fn;       /* its start and size in that file; name owned */
	struct addr_count *at;   /* in the order met; an address may come again */
	size_t nr, alloc;
	uint64_t samples;       /* the sum of count */
	uint64_t elsewhere;     /* samples in a function of that name in another file */
};

struct attributor {
	struct profile_names *names;   /* borrowed */
	struct symcache syms;
	char *program;                 /* the run's program, canonical: unsuffixed labels */
	const char *focus;             /* borrowed; NULL: none */
	struct focus_hits hits;
	struct strmap stripped;        /* files with samples but no symbol table */
};

/*
 * Prepares an attributor for one side: program is its executable (as
 * resolved: realpath()'d here), focus the function to collect addresses
 * of (NULL for none).
 */
void attributor_init(struct attributor *at, struct profile_names *names,
		     const char *program, const char *focus);
void attributor_release(struct attributor *at);

/*
 * Names every sample of r into *out (zeroed first), and every call chain
 * when r has them. Samples of the focus function go to at->hits too.
 */
void attribute_run(struct attributor *at, const struct sampler_result *r,
		   struct run_counts *out);

#endif
