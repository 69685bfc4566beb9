/*
 * stat: `steady stat` — perf events counted over repeated runs, like
 * `perf stat -r`, with intervals; with --vs, every event of B against A
 * with the verdict statistics of `steady compare`.
 *
 *   steady stat [options] [-e EV,...] [--vs 'CMD_A'] -- CMD [ARG...]
 *
 * The runs are measured by bench.c like any other (rounds of random order
 * when there are two commands, environment padding, prepare, timeout...);
 * spawn.c starts each one blocked until its counters are open. This file
 * only parses options and prints: the numbers come from counter_stats.c
 * and compare.c. It owns the results struct the benchmarks live in.
 */
#include "cmd/builtin.h"
#include "formats/export.h"
#include "measure/bench.h"
#include "analyse/compare.h"
#include "analyse/counter_stats.h"
#include "measure/counters.h"
#include "formats/results.h"
#include "measure/run_options.h"
#include "measure/spawn.h"
#include "analyse/stats.h"
#include "analyse/summary.h"
#include "system/checks.h"
#include "lib/units.h"
#include "lib/atomic_file.h"
#include "lib/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char stat_usage_head[] =
"usage: steady stat [options] [-e EVENT,...] [--vs 'CMD_A'] [--] CMD [ARG...]\n"
"\n"
"Counts hardware and software events (perf_event_open) over repeated runs of\n"
"CMD and prints each event's mean, ± the standard error of the mean relative\n"
"to it (what perf stat prints), a 95% confidence interval, the share of the\n"
"run the event was counted when the PMU multiplexed, and derived metrics\n"
"(IPC, miss rates). Each run starts blocked until its counters are open and\n"
"they are enabled at exec, so steady itself is never counted; child\n"
"processes and threads are. Events this machine cannot count print\n"
"<not supported> and the rest goes on.\n"
"\n"
"With --vs, CMD_A runs too, interleaved with CMD in random order, and every\n"
"event of CMD (B) is compared with CMD_A (A): ratio, interval and verdict\n"
"as in steady compare.\n"
"\n";

enum { OPT_VS = OPT_COMMAND_BASE, OPT_STAT_CSV, OPT_STAT_MD };

static const struct option_doc stat_docs[] = {
	OPTDOC_TEXT("Events:"),
	OPTDOC("e", "events", 'e', "LIST",
	       "comma-separated events, e.g. cycles,instructions:u,\n"
	       "L1-icache-load-misses,r01c2 (steady list shows them;\n"
	       ":u user space only, :k kernel only). Default:\n"
	       EVENTS_DEFAULT_TEXT),
	OPTDOC(NULL, "event", 'e', "LIST", "the same as --events (perf stat's spelling)"),
	OPTDOC("d", "detailed", 'd', NULL,
	       "perf stat -d's cache events too (L1-dcache and LLC\n"
	       "loads and misses); -dd adds L1-icache and TLB events,\n"
	       "-ddd the L1-dcache prefetches"),
	OPTDOC("r", "repeat", 'r', "N", "the same as -n/--runs N"),
	OPTDOC(NULL, "vs", OPT_VS, "CMD_A", "the reference command to compare with"),
	RUN_VERDICT_OPTIONS("practical margin of the verdicts (default 1)",
			    "what judges each row: median (default), hl, mean, min"),
	OPTDOC_TEXT(""),
	OPTDOC_INCLUDE(run_option_docs),
	OPTDOC_TEXT("Results:"),
	OPTDOC("x", "field-separator", 'x', "SEP",
	       "print the counts as fields separated by SEP,\n"
	       "one event a line (as perf stat -x): value, unit,\n"
	       "event, ± %, running %, CI low, CI high"),
	OPTDOC("o", NULL, 'o', "FILE",
	       "save every run with its counts as JSON (the results\n"
	       "format of run, docs/results-format.md); -o - to stdout"),
	OPTION_EXPORT_JSON,
	OPTDOC(NULL, "export-markdown", OPT_STAT_MD, "FILE",
	       "the counts as a Markdown table (the fields of --export-csv)"),
	OPTDOC(NULL, "export-csv", OPT_STAT_CSV, "FILE",
	       "the counts as CSV, a line per side and event: side,\n"
	       "value, unit, event, ± %, running %, CI low, CI high"),
	OPTION_JSON("the same as -o -: only the JSON on stdout, the\n"
		    "counts as text on stderr"),
	OPTDOC_INCLUDE(run_save_docs),
	OPTDOC_END
};

static const char stat_usage_tail[] =
"\n"
"Exit codes: 0 done, 1 a command failed (with -i: every run of a command\n"
"timed out, said in one line), 2 bad usage or input,\n"
"130 interrupted (the runs measured so far are summarised and saved).\n";

static const struct command_help stat_help = {
	"stat", stat_usage_head, stat_docs, stat_usage_tail
};

/* perf stat -d, -dd, -ddd: the events each level adds (perf's own lists). */
static const char *const detailed_events[] = {
	"L1-dcache-loads,L1-dcache-load-misses,LLC-loads,LLC-load-misses",
	"L1-icache-loads,L1-icache-load-misses,dTLB-loads,dTLB-load-misses,iTLB-loads,iTLB-load-misses",
	"L1-dcache-prefetches,L1-dcache-prefetch-misses",
};

/* 1234567.4 -> "1,234,567"; below 100, two decimals (means of small counts). */
static char *format_mean_count(char *buf, size_t size, double v)
{
	if (!isnan(v) && fabs(v) < 100) {
		snprintf(buf, size, "%.2f", v);
		return buf;
	}
	return format_grouped(buf, size, v);
}

/* An event's value in its display unit: msec for clocks, the count otherwise. */
static char *format_event_value(char *buf, size_t size, const char *event, double v)
{
	if (counter_is_clock(event)) {
		if (isnan(v))
			snprintf(buf, size, "n/a");
		else
			snprintf(buf, size, "%.2f msec", v / 1e6);
		return buf;
	}
	return format_mean_count(buf, size, v);
}

static const char *status_text(enum counter_status s)
{
	switch (s) {
	case COUNTER_COUNTED:
		break;
	case COUNTER_NOT_COUNTED:
		return "<not counted>";
	case COUNTER_UNSUPPORTED:
		return "<not supported>";
	case COUNTER_DENIED:
		return "<not permitted>";
	}
	return "";
}

static void print_event_line(const char *name, const struct event_stats *st)
{
	char val[48], lo[48], hi[48];

	if (st->status != COUNTER_COUNTED) {
		printf("  %22s   %s\n", status_text(st->status), name);
		return;
	}
	printf("  %22s   %-28s", format_event_value(val, sizeof(val), name, st->mean), name);
	if (isnan(st->rel_sem_pct))
		printf("  ( ±   n/a  )");
	else
		printf("  ( ± %6.2f%% )", st->rel_sem_pct);
	if (!isnan(st->ci_lo))
		printf("   95%% CI [%s, %s]", format_event_value(lo, sizeof(lo), name, st->ci_lo),
		       format_event_value(hi, sizeof(hi), name, st->ci_hi));
	if (st->running_pct < 99.995)
		printf("   [counted %.1f%% of the time, scaled]", st->running_pct);
	putchar('\n');
}

static void print_derived_line(const struct derived_metric *d, const struct event_stats *st)
{
	char lo[32], hi[32];

	printf("  %21.3f%s   %-28s", st->mean, *d->unit ? d->unit : " ", d->name);
	if (isnan(st->rel_sem_pct))
		printf("  ( ±   n/a  )");
	else
		printf("  ( ± %6.2f%% )", st->rel_sem_pct);
	if (!isnan(st->ci_lo)) {
		snprintf(lo, sizeof(lo), "%.3f", st->ci_lo);
		snprintf(hi, sizeof(hi), "%.3f", st->ci_hi);
		printf("   95%% CI [%s, %s]", lo, hi);
	}
	putchar('\n');
}

static void print_single(const struct benchmark *b)
{
	const struct derived_metric *dm;
	size_t nd, n, printed = 0;
	double *wall = benchmark_values(b, METRIC_WALL, &n);
	struct event_stats st;

	printf("Performance counters for '%s' (%zu runs%s):\n\n", b->name, n,
	       b->config.randomize ? ", env-randomised" : "");
	for (size_t k = 0; k < b->nr_counters; k++) {
		event_stats_compute(b, k, &st);
		print_event_line(b->counters[k], &st);
	}
	dm = derived_metrics(&nd);
	for (size_t i = 0; i < nd; i++) {
		size_t m;
		double *v = derived_values(b, &dm[i], &m);

		if (!v)
			continue;
		if (!printed++)
			putchar('\n');
		event_stats_from_values(v, m, &st);
		print_derived_line(&dm[i], &st);
		free(v);
	}
	/* Wall time: seconds, so the event printer's "count" path fits. */
	event_stats_from_values(wall, n, &st);
	free(wall);
	{
		char t[32], lo[32], hi[32];

		printf("\n  %22s   %-28s", format_time(t, sizeof(t), st.mean), "wall time");
		if (isnan(st.rel_sem_pct))
			printf("  ( ±   n/a  )\n");
		else
			printf("  ( ± %6.2f%% )   95%% CI [%s, %s]\n", st.rel_sem_pct,
			       format_time(lo, sizeof(lo), st.ci_lo),
			       format_time(hi, sizeof(hi), st.ci_hi));
	}
	printf("\n  ± is the standard error of the mean relative to the mean (as perf stat);\n"
	       "  CI is the 95%% interval of the mean: a bootstrap (BCa), joined with a log-scale\n"
	       "  t interval when no value is 0, so that it never goes below 0.\n");
}

/*
 * A ratio to three decimals and its suffix ("x" or ""), or n/a where there
 * is none (NaN: a count of 0 in A) or it is unbounded.
 */
static char *format_ratio_value(char *buf, size_t size, double r, const char *suffix)
{
	if (isfinite(r))
		snprintf(buf, size, "%.3f%s", r, suffix);
	else
		snprintf(buf, size, "n/a");
	return buf;
}

/* One row of the --vs table: A and B means, B/A with its CI and verdict. */
enum row_kind { ROW_EVENT, ROW_DERIVED, ROW_TIME };

static void print_vs_row(const char *name, enum row_kind kind, const double *va, size_t na,
			 const double *vb, size_t nb, const struct compare_options *o,
			 const char *unit)
{
	struct comparison c;
	char a[48], b[48];
	double ma = stats_mean(va, na), mb = stats_mean(vb, nb);
	int positive = 1;

	for (size_t i = 0; i < na; i++)
		positive &= va[i] > 0;
	for (size_t i = 0; i < nb; i++)
		positive &= vb[i] > 0;
	if (kind == ROW_EVENT) {
		format_event_value(a, sizeof(a), name, ma);
		format_event_value(b, sizeof(b), name, mb);
	} else if (kind == ROW_TIME) {
		format_time(a, sizeof(a), ma);
		format_time(b, sizeof(b), mb);
	} else {
		snprintf(a, sizeof(a), "%.3f%s", ma, unit);
		snprintf(b, sizeof(b), "%.3f%s", mb, unit);
	}
	printf("  %-28s %18s %18s", name, a, b);
	if (na < 2 || nb < 2 || !positive) {
		/* Ratios of logs need positive values: a count of 0 has none. */
		printf("   %8s  %-18s %s\n", "n/a", "", na < 2 || nb < 2 ? "n/a (too few runs)" :
		       "n/a (zero counts)");
		return;
	}
	compare_samples(va, na, vb, nb, o, &c);
	{
		char ci[64], lo[24], hi[24], r[24];

		snprintf(ci, sizeof(ci), "[%s, %s]", format_ratio_value(lo, sizeof(lo), c.ci_lo, ""),
			 format_ratio_value(hi, sizeof(hi), c.ci_hi, ""));
		printf("   %8s  %-18s %s%s\n", format_ratio_value(r, sizeof(r), c.ratio, "x"), ci,
		       verdict_name(c.verdict), c.disagree ? " (estimators disagree)" : "");
	}
}

static void print_vs(struct benchmark *a, struct benchmark *b, const struct compare_options *copts)
{
	const struct derived_metric *dm;
	size_t nd, na, nb;
	struct compare_options o = *copts;
	double *va = benchmark_values(a, METRIC_WALL, &na);
	double *vb = benchmark_values(b, METRIC_WALL, &nb);

	if (na == nb)
		printf("Performance counters, B vs A (%zu runs each, interleaved%s):\n", nb,
		       b->config.randomize ? ", env-randomised" : "");
	else
		printf("Performance counters, B vs A (%zu runs of A, %zu of B, interleaved%s):\n",
		       na, nb, b->config.randomize ? ", env-randomised" : "");
	/* An A/A pair is named "A: cmd" and "B: cmd" already. */
	printf("  A: %s\n  B: %s\n\n", strncmp(a->name, "A: ", 3) ? a->name : a->name + 3,
	       strncmp(b->name, "B: ", 3) ? b->name : b->name + 3);
	printf("  %-28s %18s %18s   %8s  %-18s %s\n", "event", "A", "B", "B/A", "95% CI", "verdict");
	for (size_t k = 0; k < b->nr_counters; k++) {
		struct event_stats sa, sb;
		double *ca, *cb;
		size_t ka, kb;

		event_stats_compute(a, k, &sa);
		event_stats_compute(b, k, &sb);
		if (sa.status != COUNTER_COUNTED || sb.status != COUNTER_COUNTED) {
			char va_[48], vb_[48];

			printf("  %-28s %18s %18s\n", b->counters[k],
			       sa.status == COUNTER_COUNTED ?
			       format_event_value(va_, sizeof(va_), b->counters[k], sa.mean) :
			       status_text(sa.status),
			       sb.status == COUNTER_COUNTED ?
			       format_event_value(vb_, sizeof(vb_), b->counters[k], sb.mean) :
			       status_text(sb.status));
			continue;
		}
		ca = benchmark_count_values(a, k, &ka);
		cb = benchmark_count_values(b, k, &kb);
		o.paired = copts->paired && ka == kb;
		print_vs_row(b->counters[k], ROW_EVENT, ca, ka, cb, kb, &o, "");
		free(ca);
		free(cb);
	}
	dm = derived_metrics(&nd);
	for (size_t i = 0; i < nd; i++) {
		size_t ka, kb;
		double *ca = derived_values(a, &dm[i], &ka);
		double *cb = derived_values(b, &dm[i], &kb);

		if (ca && cb) {
			o.paired = copts->paired && ka == kb;
			print_vs_row(dm[i].name, ROW_DERIVED, ca, ka, cb, kb, &o, dm[i].unit);
		}
		free(ca);
		free(cb);
	}
	o.paired = copts->paired && na == nb;
	print_vs_row("wall time", ROW_TIME, va, na, vb, nb, &o, "");
	free(va);
	free(vb);
	printf("\n  verdicts: 95%% intervals of B/A, %s%s, against a ±%g%% margin, one per row\n"
	       "  (each row is its own test: among many rows, expect about 1 in 20 to miss)\n",
	       estimator_description(estimator_resolve(copts->estimator, copts->paired),
				     copts->paired),
	       copts->estimator == ESTIMATOR_AUTO ? " (the ratio of means while too few runs)" : "",
	       100 * copts->margin);
}

/* What the command line asked for; cfg is owned (stat_args_release). */
struct stat_args {
	struct bench_config cfg;
	struct compare_options copts;
	const char *output;
	const char *vs;      /* --vs CMD_A, NULL when counting one command */
	const char *separator; /* -x SEP: fields instead of the table */
	const char *csv;     /* --export-csv FILE */
	const char *markdown; /* --export-markdown FILE */
	int detailed;        /* -d given this many times */
	char **command;      /* CMD [ARG...] */
	int nr_words;
};

static void stat_args_init(struct stat_args *args)
{
	memset(args, 0, sizeof(*args));
	bench_config_init(&args->cfg);
	compare_options_init(&args->copts);
}

static void stat_args_release(struct stat_args *args)
{
	bench_config_release(&args->cfg);
}

/* -e LIST, checked now; several -e add up, as in perf stat. 0 or -1. */
static int add_events(struct bench_config *cfg, const char *list)
{
	struct event_list check;
	int bad;

	event_list_init(&check);
	bad = events_parse(list, &check);
	event_list_release(&check);
	if (bad)
		return -1;
	if (cfg->events) {
		char *joined = xasprintf("%s,%s", cfg->events, list);

		free(cfg->events);
		cfg->events = joined;
	} else {
		cfg->events = xstrdup(list);
	}
	return 0;
}

/* 0 to go on, 1 after --help was printed, -1 after one error line. */
static int parse_stat_options(int argc, char **argv, struct stat_args *args)
{
	struct option_table t;
	struct bench_config *cfg = &args->cfg;
	double margin_pct = 1.0;
	enum run_common_result common;
	int opt, seed_given = 0, ret = -1;

	opterr = 0;
	optind = 1;
	option_table_init(&t, "+:", stat_docs);
	while ((opt = run_options_next(argc, argv, t.shortopts, t.longopts,
				       cfg, &seed_given)) != -1) {
		switch (opt) {
		case RUN_OPTION_INVALID:
			goto out;
		case 'e':
			if (add_events(cfg, optarg))
				goto out;
			break;
		case OPT_VS:
			args->vs = optarg;
			break;
		case 'd':
			args->detailed++;
			break;
		case OPT_STAT_CSV:
			args->csv = optarg;
			break;
		case OPT_STAT_MD:
			args->markdown = optarg;
			break;
		case 'x':
			if (!*optarg) {
				error("-x needs a separator, e.g. -x ,");
				goto out;
			}
			args->separator = optarg;
			break;
		default:
			common = run_common_option(opt, optarg, argc, argv, &args->output, &stat_help,
						   &margin_pct, &args->copts.estimator);
			if (common != RUN_COMMON_GO_ON) {
				ret = common == RUN_COMMON_DONE ? 1 : -1;
				goto out;
			}
			break;
		}
	}
	if (optind >= argc) {
		error("missing command to count: steady stat [options] -- CMD [ARG...]");
		goto out;
	}
	if (run_options_check(cfg))
		goto out;
	/* stat prints every event; under valgrind-ir they would be valgrind's. */
	if (cfg->metric) {
		error("--metric is for run and compare: stat reports every event of -e");
		goto out;
	}
	if (!cfg->events)
		cfg->events = xstrdup(EVENTS_DEFAULT_TEXT);
	for (int level = 0; level < args->detailed && level < 3; level++)
		if (add_events(cfg, detailed_events[level]))
			goto out;
	if (args->separator && args->vs) {
		error("-x prints one command's counts; --vs compares two (save both with -o, or print the table)");
		goto out;
	}
	args->copts.margin = margin_pct / 100.0;
	if (seed_given)
		args->copts.seed = cfg->seed;
	else
		cfg->seed = run_random_seed();
	if (atomic_prepare_outputs(&args->output, &args->markdown, &args->csv))
		goto out;
	args->command = argv + optind;
	args->nr_words = argc - optind;
	ret = 0;
out:
	option_table_release(&t);
	return ret;
}

/*
 * Counts CMD (and with --vs, CMD_A first, interleaved) into results, bs[0]
 * being A when there are two; *nb gets how many. 0 when it was measured
 * (bs[0]->stop says how that ended), -1 after one error line.
 */
static int stat_measure(const struct stat_args *args, struct results *results,
			struct benchmark **bs, int *nb)
{
	struct progress progress;

	/* A (the reference) first, as in steady compare's files. */
	*nb = args->vs ? 2 : 1;
	for (int i = 0; i < *nb; i++)
		bench_config_copy(&results_add_benchmark(results)->config, &args->cfg);
	/* Taken after the last add: adding may move the array. */
	for (int i = 0; i < *nb; i++)
		bs[i] = &results->benchmarks[i];
	if ((args->vs && run_set_command(bs[0], 1, (char **)&args->vs)) ||
	    run_set_command(bs[*nb - 1], args->nr_words, args->command))
		return -1;
	if (*nb == 2)
		benchmark_names_apart(bs[0], bs[1]);

	system_record(results);
	spawn_catch_signals();
	progress_init(&progress);
	if (bench_execute_rounds(bs, (size_t)*nb, &progress, bench_enough_runs, NULL))
		return -1;
	for (int i = 0; i < *nb; i++)
		summary_add_warnings(bs[i], NULL);
	return 0;
}

/* One field of -x: SEP between fields, empty where there is nothing. */
static void put_fields(FILE *f, const char *lead, const char *sep, const char *event,
		       const char *unit, const struct event_stats *st)
{
	if (lead)
		fprintf(f, "%s%s", lead, sep);
	if (st->status != COUNTER_COUNTED) {
		fprintf(f, "%s%s%s%s%s%s%s%s%s%s%s%s\n", status_text(st->status), sep, unit, sep,
			event, sep, "", sep, "", sep, "", sep);
		return;
	}
	fprintf(f, "%.6g%s%s%s%s%s", st->mean, sep, unit, sep, event, sep);
	if (isfinite(st->rel_sem_pct))
		fprintf(f, "%.2f", st->rel_sem_pct);
	fprintf(f, "%s%.2f%s", sep, st->running_pct, sep);
	if (isfinite(st->ci_lo))
		fprintf(f, "%.6g%s%.6g", st->ci_lo, sep, st->ci_hi);
	else
		fprintf(f, "%s", sep);
	fputc('\n', f);
}

/*
 * -x SEP, as perf stat -x: a line per event (value, unit, event, ± % of
 * the mean's standard error, % of the run counted, the CI), then the
 * derived metrics and the wall time; "<not supported>" in the value field
 * of an event that could not be counted. Values in their own units: msec
 * for clocks as perf, counts, seconds for the wall time.
 */
static void print_separated(FILE *f, const char *lead, const struct benchmark *b,
			    const char *sep)
{
	const struct derived_metric *dm;
	size_t nd, n;
	double *wall;
	struct event_stats st;

	for (size_t k = 0; k < b->nr_counters; k++) {
		int clock = counter_is_clock(b->counters[k]);

		event_stats_compute(b, k, &st);
		if (clock) {
			st.mean /= 1e6;
			st.ci_lo /= 1e6;
			st.ci_hi /= 1e6;
		}
		put_fields(f, lead, sep, b->counters[k], clock ? "msec" : "", &st);
	}
	dm = derived_metrics(&nd);
	for (size_t i = 0; i < nd; i++) {
		size_t m;
		double *v = derived_values(b, &dm[i], &m);

		if (!v)
			continue;
		event_stats_from_values(v, m, &st);
		put_fields(f, lead, sep, dm[i].name, "", &st);
		free(v);
	}
	wall = benchmark_values(b, METRIC_WALL, &n);
	event_stats_from_values(wall, n, &st);
	free(wall);
	put_fields(f, lead, sep, "wall-time", "seconds", &st);
}

/* --export-csv: -x's fields with a header, a line per side and event. */
static int export_counts(const char *path, struct benchmark **bs, int nb)
{
	char *tmp;
	FILE *f = atomic_open(path, &tmp);

	if (!f)
		return -1;
	fprintf(f, "side,value,unit,event,rel_sem_pct,running_pct,ci_lo,ci_hi\n");
	for (int i = 0; i < nb; i++)
		print_separated(f, nb == 1 ? "" : i ? "B" : "A", bs[i], ",");
	return atomic_commit(f, tmp, path);
}

/* --export-markdown: the same fields as --export-csv, laid out as a table. */
static int export_counts_markdown(const char *path, struct benchmark **bs, int nb)
{
	static const char *const headers[] = {
		"side", "value", "unit", "event", "± %", "running %", "CI low", "CI high"
	};
	char *text = NULL, **cells = NULL, *line, *save = NULL;
	size_t len = 0, ncells = 0, alloc = 0;
	FILE *ms = open_memstream(&text, &len);
	int ret;

	/* -x's fields, tab-separated (no event name holds a tab), split into cells */
	for (int i = 0; i < nb; i++)
		print_separated(ms, nb == 1 ? "" : i ? "B" : "A", bs[i], "\t");
	fclose(ms);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *field = line;

		for (size_t c = 0; c < 8; c++) {
			char *tab = field ? strchr(field, '\t') : NULL;

			if (tab)
				*tab = '\0';
			ALLOC_GROW(cells, ncells + 1, alloc);
			cells[ncells++] = field ? field : (char *)"";
			field = tab ? tab + 1 : NULL;
		}
	}
	ret = export_table(path, EXPORT_MARKDOWN, headers, 8, cells, ncells / 8);
	free(cells);
	free(text);
	return ret;
}

static void print_stat(const struct stat_args *args, struct benchmark **bs, int nb)
{
	if (args->separator) {
		print_separated(stdout, NULL, bs[0], args->separator);
		for (size_t w = 0; w < bs[0]->nr_warnings; w++)
			fprintf(stderr, "steady: warning: %s\n", bs[0]->warnings[w]);
	} else if (nb == 1) {
		print_single(bs[0]);
		for (size_t w = 0; w < bs[0]->nr_warnings; w++)
			printf("  Warning: %s\n", bs[0]->warnings[w]);
	} else {
		struct compare_options copts = args->copts;

		copts.paired = 1;
		print_vs(bs[0], bs[1], &copts);
		summary_print_pair_warnings(stdout, bs[0], bs[1]);
	}
}

int cmd_stat(int argc, char **argv)
{
	struct stat_args args;
	struct results results;
	struct benchmark *bs[2];
	int parsed, nb = 0, ret = EXIT_USAGE;

	results_init(&results);
	stat_args_init(&args);
	parsed = parse_stat_options(argc, argv, &args);
	if (parsed) {
		ret = parsed > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (stat_measure(&args, &results, bs, &nb))
		goto out;
	ret = stop_reason_exit_code(bs[0]->stop);
	/* Saved before printing: a closed stdout must not cost the counts. */
	if (results_save(&results, args.output) || run_history_save(&results, &args.cfg, "stat"))
		ret = spawn_exit_code(EXIT_USAGE);
	if ((args.csv && export_counts(args.csv, bs, nb)) ||
	    (args.markdown && export_counts_markdown(args.markdown, bs, nb)))
		ret = EXIT_USAGE;
	print_stat(&args, bs, nb);
	/* Last, under the counts: the runs are saved, the command failed. */
	for (int i = 0; i < nb; i++)
		if (benchmark_check_measured(bs[i]) && ret == EXIT_OK)
			ret = EXIT_FAILED;
out:
	/* cfg's strings were copied into each benchmark. */
	stat_args_release(&args);
	results_release(&results);
	return ret;
}
