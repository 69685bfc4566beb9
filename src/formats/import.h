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

/* 0, or -1 after one error line naming the file (not JSON, truncated,
 * unknown format, no benchmarks, no values...). */
int import_results(struct results *r, const char *path, enum import_format *format);

#endif
