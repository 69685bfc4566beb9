/*
 * layout_spread: a `steady layout` file — each variant's median and its
 * interval, per side, so the spread that layout alone makes is seen
 * beside the difference of A and B; and the file's verdicts as written.
 */
#include "report/report.h"
#include "report/charts.h"
#include "report/html.h"
#include "analyse/stats.h"
#include "lib/units.h"
#include "lib/util.h"

#include <math.h>
#include <stdlib.h>

void report_layout(struct report *r, const char *file, const struct results *res)
{
	FILE *f = r->f;
	const struct results_layout *l = res->layout;
	static const char *const headers[] = { "variant", "side", "how", "runs", "median",
					       "median 95% CI", ".text", NULL };
	struct interval_row *rows = xcalloc(l->nr_variants + 1, sizeof(*rows));
	struct summary *s = xcalloc(l->nr_variants + 1, sizeof(*s));
	char (*how)[96] = xcalloc(l->nr_variants + 1, sizeof(*how));
	struct interval_row ratios[2] = {
		{ "default builds", l->default_ratio, l->default_lo, l->default_hi, NULL },
		{ "averaged over variants", l->averaged_ratio, l->averaged_lo, l->averaged_hi, NULL },
	};
	double typical = NAN;
	char a[64], b[64];

	(void)file;
	html_para(f, "verdict", "%s (perturbation: %s; the default builds: %s)",
		  l->verdict ? l->verdict : "no verdict", l->perturbation ? l->perturbation : "?",
		  l->default_verdict ? l->default_verdict : "no verdict");
	html_para(f, NULL, "spread of the variant medians (σ over mean): A %.2f%%, B %.2f%%; slowest over fastest: A %.3f, B %.3f; variants per side that would resolve it: %llu",
		  100 * l->spread_a, 100 * l->spread_b, l->range_a, l->range_b,
		  (unsigned long long)l->variants_needed);
	html_pair_begin(f);
	chart_intervals(f, "B/A of the default builds and averaged over the variants", ratios, 2, 1,
			1 - r->copts.margin, 1 + r->copts.margin, (struct axis_unit){ 1, "" },
			"B/A");
	html_pair_table(f);
	{
		static const char *const rh[] = { "", "B/A", "CI low", "CI high", NULL };

		html_table_begin(f, "the ratios the file holds", rh, 0);
		for (int i = 0; i < 2; i++) {
			html_tr_begin(f);
			html_td(f, "%s", ratios[i].label);
			html_td_ratio(f, ratios[i].est);
			html_td_ratio(f, ratios[i].lo);
			html_td_ratio(f, ratios[i].hi);
			html_tr_end(f);
		}
		html_table_end(f, 0);
	}
	html_pair_end(f);

	for (size_t i = 0; i < l->nr_variants; i++) {
		const struct layout_variant *v = &l->variants[i];
		const struct benchmark *bm = &res->benchmarks[v->benchmark];
		size_t n;
		double *x = benchmark_values(bm, METRIC_WALL, &n);

		stats_summarize_sorting(x, n, &s[i]);
		free(x);
		if (!isfinite(typical))
			typical = s[i].median;
		rows[i] = (struct interval_row){ bm->name, s[i].median, s[i].median_ci_lo,
						 s[i].median_ci_hi, v->side == 'B' ? "side-b" : "side-a" };
		if (v->is_default)
			snprintf(how[i], sizeof(how[i]), "the default build");
		else if (v->env_pad >= 0)
			snprintf(how[i], sizeof(how[i]), "%d bytes of environment", v->env_pad);
		else
			snprintf(how[i], sizeof(how[i]), "seed %llu%s", (unsigned long long)v->seed,
				 v->relinked ? ", relinked" : "");
	}
	html_heading(f, 4, NULL, "the variants: medians and their intervals");
	html_pair_begin(f);
	chart_intervals(f, "median wall time of each variant, A and B", rows, l->nr_variants, NAN,
			NAN, NAN, axis_unit_for(VALUE_SECONDS, typical), "median wall time");
	html_pair_table(f);
	html_table_begin(f, "every variant", headers, 0);
	for (size_t i = 0; i < l->nr_variants; i++) {
		const struct layout_variant *v = &l->variants[i];

		html_tr_begin(f);
		html_td(f, "%s", rows[i].label);
		html_td(f, "%c", v->side);
		html_td(f, "%s", how[i]);
		html_td_num(f, "%zu", s[i].n);
		html_td_num(f, "%s", isfinite(s[i].median) ? format_time(a, sizeof(a), s[i].median) : "n/a");
		if (isfinite(s[i].median_ci_lo))
			html_td_num(f, "%s – %s", format_time(a, sizeof(a), s[i].median_ci_lo),
				    format_time(b, sizeof(b), s[i].median_ci_hi));
		else
			html_td_num(f, "n/a");
		if (v->text_bytes >= 0)
			html_td_num(f, "%lld", (long long)v->text_bytes);
		else
			html_td_num(f, "unknown");
		html_tr_end(f);
	}
	html_table_end(f, 0);
	html_pair_end(f);
	if (res->nr_system_warnings)
		html_list(f, "warnings system-warnings", res->system_warnings,
			  res->nr_system_warnings);
	free(rows);
	free(s);
	free(how);
}
