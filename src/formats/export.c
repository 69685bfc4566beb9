/*
 * export: see export.h.
 */
#include "formats/export.h"
#include "lib/atomic_file.h"
#include "lib/units.h"
#include "measure/benchmark.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void put_markdown_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r') {
			fputc(' ', f);
			continue;
		}
		if (strchr("|*_`[]<>\\", *s))
			fputc('\\', f);
		fputc(*s, f);
	}
}

void put_csv_field(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/*
 * v printed with fmt (one conversion of a double), or missing when it is
 * not a finite number: a ratio with A's value 0, an interval too few runs
 * cannot give, an unbounded end. Never "nan" or "inf" in a table.
 */
static const char *num(char *buf, size_t size, const char *fmt, double v, const char *missing)
{
	if (!isfinite(v))
		snprintf(buf, size, "%s", missing);
	else
		snprintf(buf, size, fmt, v);
	return buf;
}

void export_markdown(FILE *f, const struct export_row *rows, size_t n)
{
	char a[32], b[32], r[32], lo[32], hi[32], p[32];

	fprintf(f, "| benchmark | A | B | B/A | CI | by | p (Welch, log) | verdict |\n");
	fprintf(f, "|---|---:|---:|---:|---|---|---:|---|\n");
	for (size_t i = 0; i < n; i++) {
		const struct comparison *c = rows[i].c;
		enum value_unit t = (enum value_unit)metric_unit(rows[i].metric);

		fputs("| ", f);
		put_markdown_cell(f, rows[i].name);
		fprintf(f, " | %s | %s | %s | %.4g%%: [%s, %s] | %s | %s | **%s** |\n",
			format_metric(a, sizeof(a), rows[i].a_mean, t),
			format_metric(b, sizeof(b), rows[i].b_mean, t),
			num(r, sizeof(r), "%.3fx", c->ratio, "n/a"), 100 * rows[i].level,
			num(lo, sizeof(lo), "%.3f", c->ci_lo, "n/a"),
			num(hi, sizeof(hi), "%.3f", c->ci_hi, "n/a"),
			estimator_name(c->estimator), num(p, sizeof(p), "%.2g", c->welch_p, "n/a"),
			verdict_name(c->verdict));
	}
}

void export_csv(FILE *f, const struct export_row *rows, size_t n)
{
	char x[12][40];

	/* Means in seconds for time metrics, in the metric's own unit otherwise. */
	/* ratio, ci_lo, ci_hi: the judged estimator's; the mean's beside them. */
	/* A number that does not exist is an empty field, as CSV readers expect. */
	fprintf(f, "benchmark,metric,a_mean,b_mean,a_runs,b_runs,estimator,ratio,ci_lo,ci_hi,ci_level,"
		"ratio_means,mean_ci_lo,mean_ci_hi,ratio_medians,hodges_lehmann,welch_p,mwu_p,"
		"margin,verdict,estimators_disagree\n");
	for (size_t i = 0; i < n; i++) {
		const struct comparison *c = rows[i].c;

		put_csv_field(f, rows[i].name);
		fprintf(f, ",%s,%s,%s,%zu,%zu,%s,%s,%s,%s,%.6g,%s,%s,%s,%s,%s,"
			"%s,%s,%g,%s,%s\n",
			rows[i].metric ? rows[i].metric : "wall",
			num(x[0], sizeof(x[0]), "%.9g", rows[i].a_mean, ""),
			num(x[1], sizeof(x[1]), "%.9g", rows[i].b_mean, ""),
			c->na, c->nb, estimator_name(c->estimator),
			num(x[2], sizeof(x[2]), "%.6f", c->ratio, ""),
			num(x[3], sizeof(x[3]), "%.6f", c->ci_lo, ""),
			num(x[4], sizeof(x[4]), "%.6f", c->ci_hi, ""), rows[i].level,
			num(x[5], sizeof(x[5]), "%.6f", c->ratio_means, ""),
			num(x[6], sizeof(x[6]), "%.6f", c->by[ESTIMATOR_MEAN].lo, ""),
			num(x[7], sizeof(x[7]), "%.6f", c->by[ESTIMATOR_MEAN].hi, ""),
			num(x[8], sizeof(x[8]), "%.6f", c->ratio_medians, ""),
			num(x[9], sizeof(x[9]), "%.6f", c->hl_ratio, ""),
			num(x[10], sizeof(x[10]), "%.6g", c->welch_p, ""),
			num(x[11], sizeof(x[11]), "%.6g", c->mwu_p, ""),
			c->margin, verdict_name(c->verdict), c->disagree ? "yes" : "no");
	}
}

int export_comparison(const char *path, enum export_format format,
		      const struct export_row *rows, size_t n)
{
	char *tmp;
	FILE *f = atomic_open(path, &tmp);

	if (!f)
		return -1;
	if (format == EXPORT_CSV)
		export_csv(f, rows, n);
	else
		export_markdown(f, rows, n);
	/* atomic_commit() sees a failed write in ferror(f) */
	return atomic_commit(f, tmp, path);
}

/* The unit a summary's column is in, for the header: "ms", "MiB"... */
static struct time_unit summary_unit(const struct export_summary *rows, size_t n)
{
	double typical = n && rows[0].s->n ? rows[0].s->mean : 1;

	return value_unit_for((enum value_unit)metric_unit(rows[0].metric), typical);
}

static void summaries_markdown(FILE *f, const struct export_summary *rows, size_t n)
{
	struct time_unit u = summary_unit(rows, n);

	fprintf(f, "| Command | Mean [%s] | Median [%s] | Min [%s] | Max [%s] | Relative |\n",
		u.name, u.name, u.name, u.name);
	fprintf(f, "|:---|---:|---:|---:|---:|---:|\n");
	for (size_t i = 0; i < n; i++) {
		const struct summary *s = rows[i].s;
		char mean[32], sd[32], med[32], lo[32], hi[32], rel[32];

		snprintf(rel, sizeof(rel), "%.2f", isfinite(rows[i].relative) ? rows[i].relative : 1.0);
		fputs("| ", f);
		put_markdown_cell(f, rows[i].name);
		fprintf(f, " | %s ± %s | %s | %s | %s | %s |\n",
			format_in_unit(mean, sizeof(mean), s->mean, u),
			isfinite(s->stddev) ? format_in_unit(sd, sizeof(sd), s->stddev, u) : "n/a",
			format_in_unit(med, sizeof(med), s->median, u),
			format_in_unit(lo, sizeof(lo), s->min, u),
			format_in_unit(hi, sizeof(hi), s->max, u), rel);
	}
}

/* Values in the metric's own unit (seconds, KiB, counts); empty where none. */
static void summaries_csv(FILE *f, const struct export_summary *rows, size_t n)
{
	fprintf(f, "command,metric,mean,stddev,median,min,max,runs,relative\n");
	for (size_t i = 0; i < n; i++) {
		const struct summary *s = rows[i].s;
		char x[6][40];

		put_csv_field(f, rows[i].name);
		fprintf(f, ",%s,%s,%s,%s,%s,%s,%zu,%s\n", rows[i].metric ? rows[i].metric : "wall",
			num(x[0], sizeof(x[0]), "%.9g", s->mean, ""),
			num(x[1], sizeof(x[1]), "%.9g", s->stddev, ""),
			num(x[2], sizeof(x[2]), "%.9g", s->median, ""),
			num(x[3], sizeof(x[3]), "%.9g", s->min, ""),
			num(x[4], sizeof(x[4]), "%.9g", s->max, ""),
			s->n, num(x[5], sizeof(x[5]), "%.6f", isfinite(rows[i].relative) ?
				  rows[i].relative : 1.0, ""));
	}
}

int export_summaries(const char *path, enum export_format format,
		     const struct export_summary *rows, size_t n)
{
	char *tmp;
	FILE *f = atomic_open(path, &tmp);

	if (!f)
		return -1;
	if (format == EXPORT_CSV)
		summaries_csv(f, rows, n);
	else
		summaries_markdown(f, rows, n);
	return atomic_commit(f, tmp, path);
}

int export_table(const char *path, enum export_format format, const char *const *headers,
		 size_t ncols, char *const *cells, size_t nrows)
{
	char *tmp;
	FILE *f = atomic_open(path, &tmp);

	if (!f)
		return -1;
	for (size_t c = 0; c < ncols; c++) {
		if (format == EXPORT_CSV) {
			fputs(c ? "," : "", f);
			fputs(headers[c], f);
		} else {
			fputs("| ", f);
			put_markdown_cell(f, headers[c]);
			fputc(' ', f);
		}
	}
	fputs(format == EXPORT_CSV ? "\n" : "|\n", f);
	if (format == EXPORT_MARKDOWN) {
		for (size_t c = 0; c < ncols; c++)
			fputs(c ? "|---:" : "|:---", f);
		fputs("|\n", f);
	}
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < ncols; c++) {
			const char *cell = cells[r * ncols + c] ? cells[r * ncols + c] : "";

			if (format == EXPORT_CSV) {
				fputs(c ? "," : "", f);
				put_csv_field(f, cell);
			} else {
				fputs("| ", f);
				put_markdown_cell(f, cell);
				fputc(' ', f);
			}
		}
		fputs(format == EXPORT_CSV ? "\n" : "|\n", f);
	}
	return atomic_commit(f, tmp, path);
}
