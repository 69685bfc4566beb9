/*
 * ab: the sections of results files — every benchmark's runs in order
 * with its summary, a file's system warnings — and A against B: both
 * distributions, the ratio and its interval against the margin, and the
 * counts' ratios. The ratios are compare_benchmarks()'s (report.h).
 */
#include "report/report.h"
#include "report/charts.h"
#include "report/html.h"
#include "report/svg.h"
#include "analyse/stats.h"
#include "lib/units.h"
#include "lib/util.h"
#include "lib/words.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many runs the table of runs lists the first ones only. */
#define RUNS_TABLE_MAX 5000

static enum value_unit unit_of(const struct benchmark *b)
{
	if (!b->nr_runs && b->imported_metric == METRIC_MAXRSS)
		return VALUE_KIB;
	return VALUE_SECONDS;
}

/* "41.7 ms" or a count, by unit. */
static const char *fmt_value(char *buf, size_t size, double v, enum value_unit unit)
{
	if (!isfinite(v))
		return snprintf(buf, size, "n/a"), buf;
	return format_metric(buf, size, v, unit);
}

static void summary_table(FILE *f, const char *caption, const struct benchmark *const *bs,
			  const char *const *labels, size_t n)
{
	static const char *const headers[] = {
		"", "runs", "median", "median 95% CI", "mean", "mean 95% CI", "σ", "min", "max",
		"outliers", NULL
	};
	char a[64], b[64];

	html_table_begin(f, caption, headers, 0);
	for (size_t i = 0; i < n; i++) {
		size_t nv;
		double *v = benchmark_values(bs[i], METRIC_WALL, &nv);
		enum value_unit u = unit_of(bs[i]);
		struct summary s;

		stats_summarize_sorting(v, nv, &s);
		html_tr_begin(f);
		html_td(f, "%s", labels[i]);
		html_td_num(f, "%zu", s.n);
		html_td_num(f, "%s", fmt_value(a, sizeof(a), s.median, u));
		html_td_num(f, "%s – %s", fmt_value(a, sizeof(a), s.median_ci_lo, u),
			    fmt_value(b, sizeof(b), s.median_ci_hi, u));
		html_td_num(f, "%s", fmt_value(a, sizeof(a), s.mean, u));
		html_td_num(f, "%s – %s", fmt_value(a, sizeof(a), s.mean_ci_lo, u),
			    fmt_value(b, sizeof(b), s.mean_ci_hi, u));
		html_td_num(f, "%s", fmt_value(a, sizeof(a), s.stddev, u));
		html_td_num(f, "%s", fmt_value(a, sizeof(a), s.min, u));
		html_td_num(f, "%s", fmt_value(a, sizeof(a), s.max, u));
		html_td_num(f, "%zu", s.outliers);
		html_tr_end(f);
		free(v);
	}
	html_table_end(f, 0);
}

/* Every run's value in the order they ran, warm-ups included. */
static double *run_sequence(const struct benchmark *b, unsigned char **warm,
			    unsigned char **failed, size_t *n)
{
	double *v;

	if (!b->nr_runs) {
		*n = b->nr_imported;
		v = xcalloc(*n + 1, sizeof(*v));
		memcpy(v, b->imported, *n * sizeof(*v));
		*warm = xcalloc(*n + 1, 1);
		*failed = xcalloc(*n + 1, 1);
		return v;
	}
	*n = b->nr_runs;
	v = xcalloc(*n, sizeof(*v));
	*warm = xcalloc(*n, 1);
	*failed = xcalloc(*n, 1);
	for (size_t i = 0; i < *n; i++) {
		const struct run_sample *s = &b->runs[i];

		v[i] = s->timed_out ? NAN : (double)s->wall_ns / 1e9;
		(*warm)[i] = s->warmup;
		(*failed)[i] = (unsigned char)run_failed(s);
	}
	return v;
}

static void runs_table(FILE *f, const struct benchmark *b, const double *v, size_t n,
		       enum value_unit u)
{
	static const char *const own[] = {
		"run", "order", "wall", "user", "sys", "max RSS", "exit", "warm-up", NULL
	};
	static const char *const imported[] = { "run", "value", NULL };
	char caption[96], x[64];
	size_t shown = n > RUNS_TABLE_MAX ? RUNS_TABLE_MAX : n;

	snprintf(caption, sizeof(caption), shown < n ? "every run (the first %zu of %zu)" :
		 "every run (%zu)", shown, n);
	html_table_begin(f, caption, b->nr_runs ? own : imported, 1);
	for (size_t i = 0; i < shown; i++) {
		html_tr_begin(f);
		html_td_num(f, "%zu", i);
		if (!b->nr_runs) {
			html_td_num(f, "%s", fmt_value(x, sizeof(x), v[i], u));
		} else {
			const struct run_sample *s = &b->runs[i];

			html_td_num(f, "%lld", (long long)s->seq);
			html_td_num(f, "%s%s", fmt_value(x, sizeof(x), (double)s->wall_ns / 1e9, u),
				    s->timed_out ? " (timed out)" : "");
			html_td_num(f, "%s", format_time(x, sizeof(x), (double)s->user_ns / 1e9));
			html_td_num(f, "%s", format_time(x, sizeof(x), (double)s->sys_ns / 1e9));
			html_td_num(f, "%s", format_kib(x, sizeof(x), (double)s->max_rss_kib));
			if (s->signal)
				html_td_num(f, "signal %d", s->signal);
			else
				html_td_num(f, "%d", s->exit_code);
			html_td(f, "%s", s->warmup ? "yes" : "");
		}
		html_tr_end(f);
	}
	html_table_end(f, 1);
}

static void benchmark_section(struct report *r, const struct benchmark *b, int side)
{
	FILE *f = r->f;
	unsigned char *warm, *failed;
	size_t n, nv;
	double *v = run_sequence(b, &warm, &failed, &n);
	double *measured = benchmark_values(b, METRIC_WALL, &nv);
	enum value_unit u = unit_of(b);
	const struct benchmark *one[1] = { b };
	const char *label[1] = { side ? "B" : "A" };
	char title[256], *cmd = b->argc ? words_join(b->argv, b->argc) : NULL;
	struct summary s;

	html_heading(f, 3, NULL, b->name);
	if (cmd && strcmp(cmd, b->name))
		html_para(f, "file", "command: %s%s", cmd, b->config.shell ? " (through /bin/sh)" : "");
	html_list(f, "warnings", b->warnings, b->nr_warnings);
	stats_summarize_sorting(measured, nv, &s);
	snprintf(title, sizeof(title), "runs of %s in the order they ran", b->name);
	html_pair_begin(f);
	chart_runs(f, title, v, warm, failed, n, side, axis_unit_for(u, s.median),
		   u == VALUE_KIB ? "max RSS" : "wall time");
	html_pair_table(f);
	summary_table(f, "summary of the measured runs (warm-ups and timeouts left out)", one, label, 1);
	runs_table(f, b, v, n, u);
	html_pair_end(f);
	free(cmd);
	free(measured);
	free(v);
	free(warm);
	free(failed);
}

void report_results(struct report *r, const char *file, const struct results *res)
{
	FILE *f = r->f;

	(void)file;
	if (res->created)
		html_para(f, "file", "measured %s on %s (%s, %s, %d CPUs), steady %s", res->created,
			  res->host.hostname ? res->host.hostname : "unknown",
			  res->host.cpu_model ? res->host.cpu_model : "unknown CPU",
			  res->host.kernel ? res->host.kernel : "unknown kernel", res->host.cpu_count,
			  res->steady_version ? res->steady_version : "unknown");
	if (res->system_checked) {
		if (res->nr_system_warnings) {
			html_para(f, "warn", "system warnings when measuring began (steady system show):");
			html_list(f, "warnings system-warnings", res->system_warnings,
				  res->nr_system_warnings);
		} else {
			html_para(f, NULL, "steady system show found nothing to warn about.");
		}
	}
	for (size_t i = 0; i < res->nr_benchmarks; i++)
		benchmark_section(r, &res->benchmarks[i], res->nr_benchmarks == 2 ? (int)i : 0);
}

/* ---- A against B ---- */

static void distributions(struct report *r, const struct benchmark *a, const struct benchmark *b)
{
	FILE *f = r->f;
	const struct benchmark *bs[2] = { a, b };
	static const char *const labels[2] = { "A", "B" };
	static const char *const headers[] = { "from", "to", "runs of A", "runs of B", NULL };
	double *v[2], lo = NAN, hi = NAN, w;
	size_t n[2], nbins, *counts[2];
	struct summary s[2];
	struct hist_side sides[2];
	enum value_unit u = unit_of(a);
	struct axis_unit au;
	char x[64], y[64];

	for (int i = 0; i < 2; i++) {
		v[i] = benchmark_values(bs[i], METRIC_WALL, &n[i]);
		stats_summarize(v[i], n[i], &s[i]);
		if (n[i]) {
			lo = isfinite(lo) && lo < s[i].min ? lo : s[i].min;
			hi = isfinite(hi) && hi > s[i].max ? hi : s[i].max;
		}
	}
	nbins = hist_bin_count(n[0] > n[1] ? n[0] : n[1]);
	if (!isfinite(lo))
		lo = hi = 0;
	if (hi <= lo)
		hi = lo + (lo ? fabs(lo) * 1e-3 : 1);
	w = (hi - lo) / (double)nbins;
	for (int i = 0; i < 2; i++) {
		counts[i] = xcalloc(nbins, sizeof(**counts));
		hist_bins(v[i], n[i], lo, hi, nbins, counts[i]);
		sides[i] = (struct hist_side){ counts[i], s[i].median, s[i].median_ci_lo,
					       s[i].median_ci_hi };
	}
	au = axis_unit_for(u, s[0].median);
	html_heading(f, 4, NULL, "distributions of A and B");
	html_pair_begin(f);
	chart_hist(f, "histograms of A (blue) and B (orange), medians and their 95% intervals",
		   sides, 2, nbins, lo, hi, au, u == VALUE_KIB ? "max RSS" : "wall time");
	html_pair_table(f);
	summary_table(f, "A and B", bs, labels, 2);
	html_table_begin(f, "the histogram's bins", headers, 1);
	for (size_t k = 0; k < nbins; k++) {
		html_tr_begin(f);
		html_td_num(f, "%s", fmt_value(x, sizeof(x), lo + w * (double)k, u));
		html_td_num(f, "%s", fmt_value(y, sizeof(y), lo + w * (double)(k + 1), u));
		html_td_num(f, "%zu", counts[0][k]);
		html_td_num(f, "%zu", counts[1][k]);
		html_tr_end(f);
	}
	html_table_end(f, 1);
	html_pair_end(f);
	for (int i = 0; i < 2; i++) {
		free(v[i]);
		free(counts[i]);
	}
}

static const char *verdict_class(enum verdict v)
{
	return v == VERDICT_SLOWER ? "slower" : v == VERDICT_FASTER ? "faster" : NULL;
}

static void ratio_section(struct report *r, const struct comparison *c)
{
	FILE *f = r->f;
	static const char *const headers[] = { "estimator", "B/A", "CI low", "CI high", "verdict", NULL };
	struct interval_row rows[1 + ESTIMATOR_COUNT];
	enum verdict verdicts[1 + ESTIMATOR_COUNT];
	char labels[1 + ESTIMATOR_COUNT][64];
	size_t n = 0;
	double level = 100 * (1 - c->alpha);

	html_heading(f, 4, NULL, "the ratio B/A");
	html_para(f, "verdict", "%s: B/A %.4f [%.4f, %.4f] (%s, %g%% interval, %s), margin ±%g%%",
		  verdict_name(c->verdict), c->ratio, c->ci_lo, c->ci_hi,
		  estimator_name(c->estimator), level,
		  c->paired ? "paired by round" : "independent samples", 100 * c->margin);
	snprintf(labels[n], sizeof(labels[n]), "%s (judged)", estimator_name(c->estimator));
	rows[n] = (struct interval_row){ labels[n], c->ratio, c->ci_lo, c->ci_hi,
					 verdict_class(c->verdict) };
	verdicts[n++] = c->verdict;
	for (int e = 0; e < ESTIMATOR_COUNT; e++) {
		const struct estimate_verdict *ev = &c->by[e];

		if ((enum estimator)e == c->estimator || !isfinite(ev->ratio))
			continue;
		snprintf(labels[n], sizeof(labels[n]), "%s", estimator_name((enum estimator)e));
		rows[n] = (struct interval_row){ labels[n], ev->ratio, ev->lo, ev->hi,
						 verdict_class(ev->verdict) };
		verdicts[n++] = ev->verdict;
	}
	html_pair_begin(f);
	chart_intervals(f, "B/A by each estimator, against the margin band", rows, n, 1,
			1 - c->margin, 1 + c->margin, (struct axis_unit){ 1, "" }, "B/A");
	html_pair_table(f);
	html_table_begin(f, "B/A and its interval", headers, 0);
	for (size_t i = 0; i < n; i++) {
		html_tr_begin(f);
		html_td(f, "%s", rows[i].label);
		html_td_ratio(f, rows[i].est);
		html_td_ratio(f, rows[i].lo);
		html_td_ratio(f, rows[i].hi);
		html_td(f, "%s", verdict_name(verdicts[i]));
		html_tr_end(f);
	}
	html_table_end(f, 0);
	html_pair_end(f);
}

/* 1 when count k of b has at least two counted, measured runs. */
static int counted(const struct benchmark *b, int k)
{
	size_t n;
	double *v;

	if (k < 0)
		return 0;
	v = benchmark_count_values(b, (size_t)k, &n);
	free(v);
	return n >= 2;
}

static void counters_section(struct report *r, const struct compare_options *o,
			     const struct benchmark *a, const struct benchmark *b)
{
	FILE *f = r->f;
	static const char *const headers[] = { "count", "median A", "median B", "B/A", "CI low",
					       "CI high", "verdict", NULL };
	struct interval_row *rows = xcalloc(a->nr_counters + 1, sizeof(*rows));
	struct comparison *cs = xcalloc(a->nr_counters + 1, sizeof(*cs));
	size_t n = 0;

	for (size_t k = 0; k < a->nr_counters; k++) {
		const char *name = a->counters[k];

		if (!counted(a, (int)k) || !counted(b, benchmark_counter_index(b, name)))
			continue;
		if (compare_benchmarks(a, b, name, o, &cs[n]))
			continue;
		rows[n] = (struct interval_row){ name, cs[n].ratio, cs[n].ci_lo, cs[n].ci_hi,
						 verdict_class(cs[n].verdict) };
		n++;
	}
	if (n) {
		html_heading(f, 4, NULL, "counts of B over A");
		html_pair_begin(f);
		chart_intervals(f, "ratio B/A of each count, with its interval", rows, n, 1,
				1 - r->copts.margin, 1 + r->copts.margin,
				(struct axis_unit){ 1, "" }, "B/A");
		html_pair_table(f);
		html_table_begin(f, "counts (as steady compare --metric COUNT judges them)", headers, 0);
		for (size_t i = 0; i < n; i++) {
			int ka = benchmark_counter_index(a, rows[i].label);
			int kb = benchmark_counter_index(b, rows[i].label);
			size_t na, nb;
			double *va = benchmark_count_values(a, (size_t)ka, &na);
			double *vb = benchmark_count_values(b, (size_t)kb, &nb);
			char x[64], y[64];

			stats_sort(va, na);
			stats_sort(vb, nb);
			html_tr_begin(f);
			html_td(f, "%s", rows[i].label);
			html_td_num(f, "%s", format_count(x, sizeof(x), stats_median_sorted(va, na)));
			html_td_num(f, "%s", format_count(y, sizeof(y), stats_median_sorted(vb, nb)));
			html_td_ratio(f, cs[i].ratio);
			html_td_ratio(f, cs[i].ci_lo);
			html_td_ratio(f, cs[i].ci_hi);
			html_td(f, "%s", verdict_name(cs[i].verdict));
			html_tr_end(f);
			free(va);
			free(vb);
		}
		html_table_end(f, 0);
		html_pair_end(f);
	}
	free(rows);
	free(cs);
}

int report_pair(struct report *r, const char *title, int paired, const struct benchmark *a,
		const struct benchmark *b)
{
	struct compare_options by_file = r->copts;
	struct comparison c;
	/* pyperf --track-memory files hold peak memory: compared as --metric maxrss */
	const char *metric = unit_of(a) == VALUE_KIB ? "maxrss" : NULL;

	html_section_begin(r->f, "comparison");
	html_heading(r->f, 3, NULL, title);
	html_para(r->f, "file", "A: %s — B: %s", a->name, b->name);
	if (unit_of(a) != unit_of(b)) {
		html_para(r->f, "warn", "not compared: one side holds times, the other peak memory");
		html_section_end(r->f);
		return 0;
	}
	by_file.paired = paired;
	if (compare_benchmarks(a, b, metric, &by_file, &c))
		return -1;
	distributions(r, a, b);
	ratio_section(r, &c);
	counters_section(r, &by_file, a, b);
	html_section_end(r->f);
	return 0;
}
