/*
 * export: `steady compare --export-markdown/--export-csv`, the comparison
 * table, and `steady run`'s, each benchmark's summary (as hyperfine
 * exports them), in formats other programs read. Exporters sit side by side here,
 * one function a format, all taking the same rows; the command decides
 * what goes in them, the exporter only how it is spelt.
 *
 * Nothing here keeps a pointer to the rows or owns them. Files are
 * written through the atomic writer (lib/atomic_file.h).
 */
#ifndef STEADY_EXPORT_H
#define STEADY_EXPORT_H

#include <stddef.h>
#include <stdio.h>
#include "analyse/compare.h"
#include "analyse/stats.h"

/* One benchmark of A against B, as the exporters see it. */
struct export_row {
	const char *name;
	const char *metric;        /* --metric, NULL = wall time */
	double a_mean, b_mean;     /* in the metric's unit: seconds for times */
	const struct comparison *c;
	double level;              /* confidence level of c's interval */
};

enum export_format { EXPORT_MARKDOWN, EXPORT_CSV };

/* Writes the table to path in format; 0, or -1 after one error line. */
int export_comparison(const char *path, enum export_format format,
		      const struct export_row *rows, size_t n);

/* The table itself, onto f (write errors are left in ferror(f)). */
void export_markdown(FILE *f, const struct export_row *rows, size_t n);
void export_csv(FILE *f, const struct export_row *rows, size_t n);

/* One benchmark's summary, as `run --export-*` writes it. */
struct export_summary {
	const char *name;
	const char *metric;        /* --metric, NULL = wall time */
	const struct summary *s;   /* in the metric's unit: seconds for times */
	double relative;           /* median / the fastest's median; NaN alone */
};

/* The summaries to path in format (columns in docs): 0, or -1 after one line. */
int export_summaries(const char *path, enum export_format format,
		     const struct export_summary *rows, size_t n);

/*
 * Any table of text cells (nrows rows of ncols, row by row) under its
 * headers, as a Markdown table or CSV: for the commands whose rows are
 * their own (stat's counts, cache's totals, trace's calls). 0, or -1
 * after one line.
 */
int export_table(const char *path, enum export_format format, const char *const *headers,
		 size_t ncols, char *const *cells, size_t nrows);

/*
 * One table cell of text: Markdown syntax characters backslash-escaped
 * and line breaks made spaces (they would end the row); for CSV, always
 * quoted with quotes doubled (RFC 4180).
 */
void put_markdown_cell(FILE *f, const char *s);
void put_csv_field(FILE *f, const char *s);

#endif
