/*
 * sweep_rank: a `steady sweep` file — its configurations ranked by their
 * centre (rank mode) or by B/A (ab mode), with intervals, from the
 * "sweep" record as written (docs/results-format.md, "sweep").
 */
#include "report/report.h"
#include "report/charts.h"
#include "report/html.h"
#include "lib/units.h"
#include "lib/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ranked {
	const json_t *c;
	long long rank;
};

static int by_rank(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	long long ra = a->rank < 0 ? 1LL << 40 : a->rank, rb = b->rank < 0 ? 1LL << 40 : b->rank;

	return ra < rb ? -1 : ra > rb;
}

static const char *verdict_class(const char *v)
{
	return !v ? NULL : !strcmp(v, "SLOWER") ? "slower" : !strcmp(v, "FASTER") ? "faster" : NULL;
}

void report_sweep(struct report *r, const char *file, const struct results *res)
{
	FILE *f = r->f;
	const json_t *configs = json_object_get(res->sweep, "configurations");
	const char *mode = report_str(res->sweep, "mode"), *metric = report_str(res->sweep, "metric");
	int ab = mode && !strcmp(mode, "ab");
	size_t n = json_array_size(configs);
	struct ranked *rk = xcalloc(n + 1, sizeof(*rk));
	struct interval_row *rows = xcalloc(n + 1, sizeof(*rows));
	static const char *const headers[] = { "rank", "configuration", "status", "centre",
					       "centre 95% CI", "ratio", "CI", "verdict", NULL };
	enum value_unit unit = metric ? (enum value_unit)metric_unit(metric) : VALUE_SECONDS;
	double typical = NAN, margin = report_num(res->sweep, "margin");
	char a[64], b[64];

	(void)file;
	for (size_t i = 0; i < n; i++) {
		rk[i].c = json_array_get(configs, i);
		rk[i].rank = report_int(rk[i].c, "rank");
	}
	if (!ab)
		qsort(rk, n, sizeof(*rk), by_rank);
	for (size_t i = 0; i < n; i++) {
		const json_t *c = rk[i].c, *cmp = json_object_get(c, "comparison");
		const char *label = report_str(c, "label");

		if (ab)
			rows[i] = (struct interval_row){ label ? label : "?", report_num(cmp, "ratio"),
							 report_num(cmp, "ci_lo"), report_num(cmp, "ci_hi"),
							 verdict_class(report_str(cmp, "verdict")) };
		else
			rows[i] = (struct interval_row){ label ? label : "?", report_num(c, "center"),
							 report_num(c, "center_ci_lo"),
							 report_num(c, "center_ci_hi"),
							 verdict_class(report_str(cmp, "verdict")) };
		if (!isfinite(typical))
			typical = report_num(c, "center");
	}
	html_para(f, NULL, "%s sweep of %zu configurations; judged on %s, margin %g%%",
		  ab ? "an A/B" : "a ranking", n, metric ? metric : "wall time",
		  isfinite(margin) ? 100 * margin : 1.0);
	html_pair_begin(f);
	if (ab)
		chart_intervals(f, "B/A in each configuration", rows, n, 1,
				isfinite(margin) ? 1 - margin : NAN, isfinite(margin) ? 1 + margin : NAN,
				(struct axis_unit){ 1, "" }, "B/A");
	else
		chart_intervals(f, "configurations ranked: centre and its 95% interval", rows, n, NAN,
				NAN, NAN, axis_unit_for(unit, typical),
				metric ? metric : "median wall time");
	html_pair_table(f);
	html_table_begin(f, "the configurations", headers, 0);
	for (size_t i = 0; i < n; i++) {
		const json_t *c = rk[i].c, *cmp = json_object_get(c, "comparison");
		double lo = report_num(c, "center_ci_lo"), hi = report_num(c, "center_ci_hi");

		html_tr_begin(f);
		if (rk[i].rank > 0)
			html_td_num(f, "%lld", rk[i].rank);
		else
			html_td(f, "%s", "");
		html_td(f, "%s", rows[i].label);
		html_td(f, "%s", report_str(c, "status") ? report_str(c, "status") : "");
		html_td_num(f, "%s", isfinite(report_num(c, "center")) ?
			    format_metric(a, sizeof(a), report_num(c, "center"), unit) : "n/a");
		if (isfinite(lo) && isfinite(hi))
			html_td_num(f, "%s – %s", format_metric(a, sizeof(a), lo, unit),
				    format_metric(b, sizeof(b), hi, unit));
		else
			html_td_num(f, "n/a");
		if (json_is_object(cmp)) {
			html_td_ratio(f, report_num(cmp, "ratio"));
			html_td_num(f, "%.4f – %.4f", report_num(cmp, "ci_lo"), report_num(cmp, "ci_hi"));
			html_td(f, "%s", report_str(cmp, "verdict") ? report_str(cmp, "verdict") : "");
		} else {
			html_td(f, "%s", ab ? "" : "baseline");
			html_td(f, "%s", "");
			html_td(f, "%s", "");
		}
		html_tr_end(f);
	}
	html_table_end(f, 0);
	html_pair_end(f);
	free(rk);
	free(rows);
}
