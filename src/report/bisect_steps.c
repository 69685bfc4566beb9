/*
 * bisect_steps: a `steady bisect --log` file — the whole change against
 * the base, then every step's ratio and interval against the bar it was
 * judged by, and what the search concluded.
 */
#include "report/report.h"
#include "report/charts.h"
#include "report/html.h"
#include "lib/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *unit_label(const json_t *units, long long i)
{
	const json_t *u = json_array_get(units, (size_t)i);
	const char *l = report_str(u, "label");

	return l ? l : "?";
}

/* The whole change's colour, from its verdict: SAME and UNRESOLVED have none. */
static const char *verdict_class(const char *v)
{
	return !v ? NULL : !strcmp(v, "SLOWER") ? "slower" : !strcmp(v, "FASTER") ? "faster" : NULL;
}

int report_bisect(struct report *r, const char *file, const json_t *root)
{
	FILE *f = r->f;
	const json_t *steps = json_object_get(root, "steps"), *units = json_object_get(root, "units");
	const json_t *full = json_object_get(root, "full"), *result = json_object_get(root, "result");
	static const char *const headers[] = { "step", "purpose", "units", "answer", "ratio",
					       "CI", "bar", "runs", NULL };
	size_t n = json_array_size(steps);
	struct interval_row *rows = xcalloc(n + 2, sizeof(*rows));
	char (*labels)[64] = xcalloc(n + 2, sizeof(*labels));
	double threshold = report_num(root, "threshold");

	if (!json_is_array(steps))
		return free(rows), free(labels),
		       error("cannot read '%s': a bisect log needs its 'steps'", file);
	html_para(f, "file", "%s %s; run: %s", report_str(root, "patch") ? "patch" : "commits",
		  report_str(root, "patch") ? report_str(root, "patch") :
		  report_str(root, "commits") ? report_str(root, "commits") : "?",
		  report_str(root, "run") ? report_str(root, "run") : "?");
	if (json_is_object(result))
		html_para(f, "verdict", "outcome: %s after %lld questions",
			  report_str(result, "outcome") ? report_str(result, "outcome") : "?",
			  report_int(result, "questions"));
	{
		const json_t *c = json_object_get(result, "culprit");
		size_t i;
		const json_t *u;
		char **items = xcalloc(json_array_size(c) + 1, sizeof(*items));

		json_array_foreach(c, i, u)
			items[i] = xstrdup(unit_label(units, json_integer_value(u)));
		if (json_array_size(c))
			html_para(f, NULL, "culprit:");
		html_list(f, "culprit", items, json_array_size(c));
		for (i = 0; i < json_array_size(c); i++)
			free(items[i]);
		free(items);
	}
	rows[0] = (struct interval_row){ "whole change", report_num(full, "ratio"),
					 report_num(full, "ci_lo"), report_num(full, "ci_hi"),
					 verdict_class(report_str(full, "verdict")) };
	for (size_t i = 0; i < n; i++) {
		const json_t *s = json_array_get(steps, i);
		const char *answer = report_str(s, "answer");

		snprintf(labels[i], sizeof(labels[i]), "step %lld: %s", report_int(s, "step"),
			 report_str(s, "key") ? report_str(s, "key") : "?");
		rows[i + 1] = (struct interval_row){ labels[i], report_num(s, "ratio"),
						     report_num(s, "ci_lo"), report_num(s, "ci_hi"),
						     /* NOT SLOW is no speed-up: no colour */
						     answer && !strcmp(answer, "SLOW") ? "slower" : NULL };
	}
	html_pair_begin(f);
	chart_intervals(f, "each step's ratio over the base, against the bar (dashed)", rows, n + 1,
			threshold, NAN, NAN, (struct axis_unit){ 1, "" }, "subset / base");
	html_pair_table(f);
	html_table_begin(f, "the steps, in the order asked", headers, 0);
	for (size_t i = 0; i < n; i++) {
		const json_t *s = json_array_get(steps, i), *us = json_object_get(s, "units"), *u;
		char *list = xstrdup("");
		size_t k;

		json_array_foreach(us, k, u) {
			char *next = xasprintf("%s%s%lld", list, k ? ", " : "",
					       (long long)json_integer_value(u) + 1);

			free(list);
			list = next;
		}
		html_tr_begin(f);
		html_td_num(f, "%lld", report_int(s, "step"));
		html_td(f, "%s", report_str(s, "purpose") ? report_str(s, "purpose") : "");
		html_td(f, "%s", list);
		html_td(f, "%s", report_str(s, "answer") ? report_str(s, "answer") : "");
		html_td_ratio(f, report_num(s, "ratio"));
		html_td_num(f, "%.4f – %.4f", report_num(s, "ci_lo"), report_num(s, "ci_hi"));
		html_td_ratio(f, report_num(s, "threshold"));
		html_td_num(f, "%lld", report_int(s, "runs"));
		html_tr_end(f);
		free(list);
	}
	html_table_end(f, 0);
	html_pair_end(f);
	free(rows);
	free(labels);
	return 0;
}
