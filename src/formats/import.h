/*
 * import: reads results written by steady, hyperfine (--export-json) or
 * pyperf into struct results, so `compare` and `report` treat them alike.
 *
 * Ownership as in results.h: the caller owns r and releases it. Imported
 * benchmarks from other tools have no per-run rusage: their times land in
 * benchmark.imported (seconds), which benchmark_values() returns for
 * METRIC_WALL when a benchmark has no runs of its own.
 */
#ifndef STEADY_IMPORT_H
#define STEADY_IMPORT_H

#include "formats/results.h"

enum import_format { IMPORT_STEADY, IMPORT_HYPERFINE, IMPORT_PYPERF };
const char *import_format_name(enum import_format f);

/*
 * r must be initialised; whatever it held is released first, as
 * results_read() does. 0, or -1 after one error line naming the file (not
 * JSON, truncated, unknown format, no benchmarks, no values...); r is then
 * left empty. *format (may be NULL) is set only on success.
 */
int import_results(struct results *r, const char *path, enum import_format *format);

/*
 * import_results() on a tree already parsed by results_load_json(), for a
 * reader that takes other kinds of file too (show, report) and so looks at
 * the tree first: every input is read once, so a pipe reads like a file.
 * Another tool's file has its columns put back into root (it is changed);
 * root and columns stay the caller's.
 */
struct packed_columns;
int import_from_json(struct results *r, const char *path, json_t *root,
		     struct packed_columns *columns, enum import_format *format);

#endif
