/*
 * export: see export.h.
 */
#include "formats/export.h"
#include "lib/atomic_file.h"
#include "lib/units.h"
#include "measure/benchmark.h"

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

void export_markdown(FILE *f, const struct export_row *rows, size_t n)
{
	char a[32], b[32];

	fprintf(f, "| benchmark | A | B | B/A | CI | by | p (Welch, log) | verdict |\n");
	fprintf(f, "|---|---:|---:|---:|---|---|---:|---|\n");
	for (size_t i = 0; i < n; i++) {
		const struct comparison *c = rows[i].c;
		enum value_unit t = (enum value_unit)metric_unit(rows[i].metric);

		fputs("| ", f);
		put_markdown_cell(f, rows[i].name);
		fprintf(f, " | %s | %s | %.3fx | %.4g%%: [%.3f, %.3f] | %s | %.2g | **%s** |\n",
			format_metric(a, sizeof(a), rows[i].a_mean, t),
			format_metric(b, sizeof(b), rows[i].b_mean, t),
			c->ratio, 100 * rows[i].level, c->ci_lo, c->ci_hi,
			estimator_name(c->estimator), c->welch_p, verdict_name(c->verdict));
	}
}

void export_csv(FILE *f, const struct export_row *rows, size_t n)
{
	/* Means in seconds for time metrics, in the metric's own unit otherwise. */
	/* ratio, ci_lo, ci_hi: the judged estimator's; the mean's beside them. */
	fprintf(f, "benchmark,metric,a_mean,b_mean,a_runs,b_runs,estimator,ratio,ci_lo,ci_hi,ci_level,"
		"ratio_means,mean_ci_lo,mean_ci_hi,ratio_medians,hodges_lehmann,welch_p,mwu_p,"
		"margin,verdict,estimators_disagree\n");
	for (size_t i = 0; i < n; i++) {
		const struct comparison *c = rows[i].c;

		put_csv_field(f, rows[i].name);
		fprintf(f, ",%s,%.9g,%.9g,%zu,%zu,%s,%.6f,%.6f,%.6f,%.6g,%.6f,%.6f,%.6f,%.6f,%.6f,"
			"%.6g,%.6g,%g,%s,%s\n",
			rows[i].metric ? rows[i].metric : "wall",
			rows[i].a_mean, rows[i].b_mean, c->na, c->nb, estimator_name(c->estimator),
			c->ratio, c->ci_lo, c->ci_hi, rows[i].level, c->ratio_means,
			c->by[ESTIMATOR_MEAN].lo, c->by[ESTIMATOR_MEAN].hi, c->ratio_medians,
			c->hl_ratio, c->welch_p, c->mwu_p, c->margin, verdict_name(c->verdict),
			c->disagree ? "yes" : "no");
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
