/*
 * report: the sections of `steady report`'s page, one function per kind of
 * input, all writing to one struct report (src/cmd/report.c reads the
 * files, pairs A with B and calls them in order). The charts they share
 * are in charts.h, the page's pieces in html.h, the SVG marks in svg.h.
 *
 * Every section only reads what it is given: results, benchmarks and
 * JSON trees stay the caller's. Ratios of A and B are compare.h's
 * compare_benchmarks() with the report's options — what `steady compare`
 * says of the same files — never computed another way here.
 */
#ifndef STEADY_REPORT_REPORT_H
#define STEADY_REPORT_REPORT_H

#include "analyse/compare.h"
#include "formats/results.h"
#include "store/history.h"

#include <jansson.h>
#include <stdio.h>

struct report {
	FILE *f;                     /* the page being written (not owned) */
	struct compare_options copts;   /* as `steady compare` defaults them, --margin */
	const struct history_series *series;  /* --history: drawn first, or NULL */
	const char *series_name;
};

/* ab.c: every benchmark of a results file (runs, distribution), its system warnings. */
void report_results(struct report *r, const char *file, const struct results *res);
/*
 * ab.c: A against B — both distributions, the ratio with its interval
 * against the margin band, and the ratio of every count both sides have.
 * title names the pair; paired: compared paired by round, as `steady
 * compare FILE` does a file whose sides ran in the same rounds
 * (compare_same_rounds()). 0, or -1 after one error line (a side without
 * values).
 */
int report_pair(struct report *r, const char *title, int paired, const struct benchmark *a,
		const struct benchmark *b);

/* layout_spread.c: a `steady layout` file: the spread of the variants per side, the verdicts. */
void report_layout(struct report *r, const char *file, const struct results *res);
/* sweep_rank.c: a `steady sweep` file: the configurations ranked, with intervals. */
void report_sweep(struct report *r, const char *file, const struct results *res);

/*
 * The other kinds steady writes, as the JSON trees they are read into
 * (docs/results-format.md): steady-cache, steady-trace, steady-profile,
 * steady-bisect. 0, or -1 after one error line when a key the section
 * needs is missing or of the wrong type.
 */
int report_cache(struct report *r, const char *file, const json_t *root);
int report_trace(struct report *r, const char *file, const json_t *root);
int report_profile(struct report *r, const char *file, const json_t *root);
int report_bisect(struct report *r, const char *file, const json_t *root);

/*
 * A member of a JSON object as the sections read them: a number (NaN when
 * missing or null), a string (NULL), an integer (-1).
 */
double report_num(const json_t *o, const char *key);
const char *report_str(const json_t *o, const char *key);
long long report_int(const json_t *o, const char *key);

/*
 * history_trend.c: `--history NAME`: the series history_series() gave, a
 * chart and a table per machine, with the steps found marked.
 */
void report_history(struct report *r, const struct history_series *s);

#endif
