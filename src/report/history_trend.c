/*
 * history_trend: `steady report --history NAME` — one benchmark's series
 * over revisions, one chart per machine (the store never mixes machines
 * in a series): each revision's median with its 95% interval, the
 * revisions where `steady history trend` found a step marked, and the
 * table of both beside it. The series and its steps are history.h's
 * history_series(): what `steady history trend` prints, drawn.
 */
#include "report/report.h"
#include "report/charts.h"
#include "report/html.h"
#include "lib/units.h"
#include "lib/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Revisions are shown by their first characters, as git does. */
#define REVISION_SHOWN 12

/* The step of m that begins at point i, or NULL. */
static const struct changepoint *step_at(const struct history_machine_series *m, size_t i)
{
	for (size_t k = 0; k < m->steps.nr; k++)
		if (m->steps.steps[k].at == i)
			return &m->steps.steps[k];
	return NULL;
}

static void machine_trend(struct report *r, const struct history_series *s,
			  const struct history_machine_series *m)
{
	static const char *const headers[] = { "revision", "date", "runs", "median", "95% CI",
					       "step", NULL };
	FILE *f = r->f;
	size_t n = m->nr_points;
	struct interval_row *rows = xcalloc(n + 1, sizeof(*rows));
	char (*labels)[REVISION_SHOWN + 8] = xcalloc(n + 1, sizeof(*labels));
	double typical = NAN;
	char a[48], b[48];

	for (size_t i = 0; i < n; i++) {
		const struct history_point *p = &m->points[i];
		const struct changepoint *c = step_at(m, i);

		snprintf(labels[i], sizeof(labels[i]), "%.*s%s", REVISION_SHOWN, p->revision,
			 p->dirty ? "+" : "");
		rows[i] = (struct interval_row){ labels[i], p->estimate, p->lo, p->hi,
						 !c ? NULL : c->c.verdict == VERDICT_SLOWER ? "slower" :
						 c->c.verdict == VERDICT_FASTER ? "faster" : NULL };
		if (!isfinite(typical))
			typical = p->estimate;
	}
	html_para(f, NULL, "%s, %s, %d CPUs, kernel %s%s: %zu revisions, %zu step%s found",
		  m->machine.host, m->machine.cpu_model, m->machine.cpu_count, m->machine.kernel,
		  m->machine.tuned ? ", tuned" : "", n, m->steps.nr, m->steps.nr == 1 ? "" : "s");
	html_pair_begin(f);
	chart_intervals(f, "each revision: median and its 95% interval, oldest first", rows, n,
			NAN, NAN, NAN, axis_unit_for((enum value_unit)s->unit, typical),
			s->metric ? s->metric : "wall time");
	html_pair_table(f);
	html_table_begin(f, "the revisions", headers, 0);
	for (size_t i = 0; i < n; i++) {
		const struct history_point *p = &m->points[i];
		const struct changepoint *c = step_at(m, i);

		html_tr_begin(f);
		html_td(f, "%s", labels[i]);
		html_td(f, "%s", p->date ? p->date : "");
		html_td_num(f, "%zu", p->n);
		html_td_num(f, "%s", format_metric(a, sizeof(a), p->estimate, (enum value_unit)s->unit));
		if (isfinite(p->lo) && isfinite(p->hi))
			html_td_num(f, "%s – %s", format_metric(a, sizeof(a), p->lo, (enum value_unit)s->unit),
				    format_metric(b, sizeof(b), p->hi, (enum value_unit)s->unit));
		else
			html_td_num(f, "n/a");
		if (c)
			html_td(f, "%s %.4f [%.4f, %.4f]", verdict_name(c->c.verdict), c->c.ratio,
				c->c.ci_lo, c->c.ci_hi);
		else
			html_td(f, "%s", "");
		html_tr_end(f);
	}
	html_table_end(f, 0);
	html_pair_end(f);
	free(rows);
	free(labels);
}

void report_history(struct report *r, const struct history_series *s)
{
	html_para(r->f, NULL,
		  "%s over revisions: a step is a change of level judged as steady compare judges two"
		  " sets of runs, at %.3g%% for the whole scan of a series (margin %g%%)",
		  s->metric ? s->metric : "wall time", 100 * s->options.alpha,
		  100 * s->options.margin);
	for (size_t i = 0; i < s->nr_machines; i++)
		machine_trend(r, s, &s->machines[i]);
}
