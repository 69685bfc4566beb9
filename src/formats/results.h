/*
 * results: steady's JSON results file (schema in docs/results-format.md),
 * written atomically and read back into the same structs that measured it.
 *
 * Ownership: struct results owns its host info, date string and benchmarks;
 * results_release() frees everything. results_write() never leaves a
 * half-written file: it streams the JSON into a temporary file beside the
 * target (atomic_open() of lib/atomic_file.h) and renames it over the target. Reading
 * keeps the runs' long arrays out of jansson's tree (jsoncolumns.h), so
 * neither direction needs much more memory than the runs themselves.
 */
#ifndef STEADY_RESULTS_H
#define STEADY_RESULTS_H

#include "measure/benchmark.h"
#include "system/hostinfo.h"

#include <jansson.h>

#define RESULTS_FORMAT_NAME "steady-results"
#define RESULTS_FORMAT_VERSION 2

/*
 * The most runs a file may hold per benchmark: twice what --runs accepts
 * (warm-up included), and far fewer when no column is an array, since
 * only arrays make a file as long as the runs it claims.
 */
#define RESULTS_MAX_RUNS 200000000L
#define RESULTS_MAX_RUNS_WITHOUT_ARRAYS 1000000L

/*
 * One build (or, for --perturb env, one padding) that `steady layout`
 * measured: results.benchmarks[benchmark] holds its runs.
 */
struct layout_variant {
	size_t benchmark;      /* index into results.benchmarks */
	char side;             /* 'A' or 'B' */
	int is_default;        /* the user's build, no perturbation */
	char *cflags;          /* what {cflags} and {ldflags} were; NULL none */
	char *ldflags;
	uint64_t seed;         /* the variant's perturbation seed, 0 none */
	int env_pad;           /* --perturb env: bytes of padding, -1 none */
	int relinked;          /* relinked from its side's compiled tree */
	double build_seconds;  /* NaN when nothing was built for it */
	int64_t text_bytes;    /* size of the binary's .text, -1 unknown */
};

/* What `steady layout` built and concluded (docs/results-format.md, "layout"). */
struct results_layout {
	char *perturbation;    /* "link-order", "align", "env" */
	struct layout_variant *variants;
	size_t nr_variants, alloc_variants;
	/* The conclusion as printed; NaN/NULL where there is none. */
	char *verdict;         /* "LAYOUT ARTEFACT", ... */
	char *default_verdict; /* compare's verdict on the default builds */
	double default_ratio, default_lo, default_hi;
	double averaged_ratio, averaged_lo, averaged_hi;
	double level;          /* confidence level of both intervals */
	double spread_a, spread_b;   /* sd of the variants' medians / their mean */
	double range_a, range_b;     /* slowest variant / fastest */
	uint64_t variants_needed;    /* per side to resolve the difference; 0 none */
	uint64_t compiles, relinks;
	double build_seconds;        /* wall time of all builds */
};

/* A new variant of l, zeroed but for env_pad -1, text_bytes -1, build_seconds NaN. */
struct layout_variant *results_layout_add(struct results_layout *l);
void results_layout_release(struct results_layout *l);


struct results {
	char *steady_version;   /* version of steady that wrote the file */
	char *created;          /* ISO 8601 UTC, "2026-11-25T10:00:00Z" */
	struct host_info host;
	/*
	 * What `steady system show` warned about when measuring started
	 * ("name: value"); system_checked says the checks ran (files of
	 * older builds, and imported ones, have no such record).
	 */
	int system_checked;
	char **system_warnings;
	size_t nr_system_warnings;
	struct benchmark *benchmarks;
	size_t nr_benchmarks, alloc_benchmarks;
	struct results_layout *layout;  /* steady layout's builds; NULL otherwise */
	/*
	 * steady sweep's configurations, builds and conclusions
	 * (docs/results-format.md, "sweep"), as the JSON object written;
	 * owned (one reference), NULL otherwise.
	 */
	json_t *sweep;
};

void results_init(struct results *r);

/* The measured runs of every benchmark of r, warm-up runs left out. */
size_t results_count_runs(const struct results *r);
void results_release(struct results *r);
/* Sets created to now and host to this machine. */
void results_stamp(struct results *r);
/* Appends a new, initialised benchmark and returns it (owned by r). */
struct benchmark *results_add_benchmark(struct results *r);

/* 0 on success; -1 after printing one error line naming the path. */
int results_write(const struct results *r, const char *path);
/*
 * -o of a measuring command: stamps r and writes it; nothing when path is
 * NULL. When path cannot be written, -1, and the results are kept in a new
 * file $TMPDIR/steady-results.XXXXXX.json named on stderr (one line), so
 * that nothing measured is lost; the caller exits 2, or 130 when a signal
 * came (the wait for a FIFO's reader is interrupted by one).
 */
int results_save(struct results *r, const char *path);
/*
 * r must be initialised; whatever it held is released first. On error r is
 * left released (empty), so the caller has nothing to clean up either way.
 */
int results_read(struct results *r, const char *path);

/*
 * results_read() in two steps, for a reader that must look at the JSON
 * before knowing it is steady's (import.c): results_load_json() releases r
 * and parses path with the runs' columns packed into columns (initialised
 * by the caller, released after the tree); NULL after one error line.
 * results_from_json() then reads r from that tree, as results_read() does.
 */
struct packed_columns;
json_t *results_load_json(struct results *r, const char *path,
			  struct packed_columns *columns);
int results_from_json(struct results *r, const char *path, const json_t *root,
		      const struct packed_columns *columns);


/* A benchmark of file A with its counterpart in file B; name is A's (or the only B's). */
struct benchmark_pair {
	struct benchmark *a, *b;
	const char *name;
};

/*
 * Pairs the benchmarks of ra and rb as `steady compare A B` does: the only
 * one of each, else those of the same name (each name once in each file;
 * the unmatched are left out with a warning). fa and fb name the files in
 * messages. *out is new (the caller frees it) and points into ra and rb.
 * 0, or -1 after one error line (a name twice, no name in both).
 */
int results_match_benchmarks(struct results *ra, struct results *rb, const char *fa,
			     const char *fb, struct benchmark_pair **out, size_t *n_out);

#endif
