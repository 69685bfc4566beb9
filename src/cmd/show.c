/*
 * show: `steady show` — what a saved file holds, read again without
 * measuring anything.
 *
 *   steady show [--runs] [--hist] [--metadata] [--metric M] FILE...
 *
 * Results files (steady's, hyperfine's and pyperf's, gzip included) get
 * the summary `steady run` prints for each benchmark, and with the
 * options every run, a histogram and the metadata; a `steady layout` file
 * also its conclusion. The other kinds steady writes (cache, trace,
 * saved system values) are shown as the tree of values they hold. This
 * file only reads and prints; the results it reads are its own.
 */
#include "cmd/builtin.h"
#include "analyse/stats.h"
#include "analyse/summary.h"
#include "formats/import.h"
#include "formats/jsoncolumns.h"
#include "formats/jsonfile.h"
#include "formats/results.h"
#include "lib/units.h"
#include "lib/util.h"
#include "lib/words.h"
#include "measure/run_options.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char show_usage_head[] =
"usage: steady show [options] FILE...\n"
"\n"
"Shows what saved files hold, measuring nothing: for results (steady,\n"
"hyperfine --export-json, pyperf JSON, plain or .json.gz) the summary of\n"
"each benchmark as `steady run` prints it, and a layout file's verdict;\n"
"for the other files steady writes (cache -o, trace -o, the saved system\n"
"values) the values they hold.\n"
"\n";

static const char show_usage_tail[] =
"\n"
"Exit codes: 0 done, 2 a file that cannot be read (one line each).\n";

enum { OPT_RUNS = 256, OPT_HIST, OPT_METADATA, OPT_SHOW_METRIC };

static const struct option_doc show_options[] = {
	OPTDOC(NULL, "runs", OPT_RUNS, NULL, "every run: times, rusage, exit status, padding, order"),
	OPTDOC(NULL, "hist", OPT_HIST, NULL, "a histogram of each benchmark's values"),
	OPTDOC(NULL, "metadata", OPT_METADATA, NULL, "when and where it was measured, how, and the warnings"),
	OPTDOC(NULL, "metric", OPT_SHOW_METRIC, "M", "summarise another per-run figure (as run --metric)"),
	OPTION_COLOR,
	OPTION_HELP,
	OPTION_VERSION,
	OPTDOC_END
};

struct show_args {
	int runs, hist, metadata;
	const char *metric;
};

#define HIST_BINS 16
#define HIST_WIDTH 40

/* ---- results ---- */

static enum value_unit unit_of(const char *metric)
{
	return metric ? (enum value_unit)metric_unit(metric) : VALUE_SECONDS;
}

/* A terminal histogram of x (sorted), HIST_BINS equal bins from min to max. */
static void print_hist(const double *x, size_t n, enum value_unit unit)
{
	size_t count[HIST_BINS] = { 0 }, most = 1;
	double lo = x[0], hi = x[n - 1], width = (hi - lo) / HIST_BINS;
	struct time_unit u;

	if (!(width > 0)) {
		char v[32];

		printf("  histogram: all %zu values are %s\n", n, format_metric(v, sizeof(v), lo, unit));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t bin = (size_t)((x[i] - lo) / width);

		count[bin < HIST_BINS ? bin : HIST_BINS - 1]++;
	}
	for (size_t b = 0; b < HIST_BINS; b++)
		if (count[b] > most)
			most = count[b];
	/* one unit for every bin edge, as the summary's percentiles do */
	u = value_unit_for(unit, hi);
	printf("  histogram (%zu values, %s):\n", n, u.name);
	for (size_t b = 0; b < HIST_BINS; b++) {
		char from[32], to[32];
		size_t bar = (count[b] * HIST_WIDTH + most - 1) / most;

		format_in_unit(from, sizeof(from), lo + (double)b * width, u);
		format_in_unit(to, sizeof(to), lo + (double)(b + 1) * width, u);
		printf("  %10s .. %-10s %6zu %.*s\n", from, to, count[b], (int)bar,
		       "########################################");
	}
}

static void print_runs(const struct benchmark *b)
{
	char t[4][32];

	if (b->imported) {
		printf("  %6s  %12s\n", "run", "time");
		for (size_t i = 0; i < b->nr_imported; i++)
			printf("  %6zu  %12s\n", i + 1, format_time(t[0], sizeof(t[0]), b->imported[i]));
		return;
	}
	printf("  %6s %6s  %12s %12s %12s %10s  %-10s %7s\n", "run", "order", "wall", "user",
	       "sys", "max RSS", "status", "env pad");
	for (size_t i = 0; i < b->nr_runs; i++) {
		const struct run_sample *r = &b->runs[i];
		char status[32], order[24], pad[16];

		if (r->timed_out)
			snprintf(status, sizeof(status), "timed out");
		else if (r->signal)
			snprintf(status, sizeof(status), "signal %d", r->signal);
		else
			snprintf(status, sizeof(status), "exit %d", r->exit_code);
		snprintf(order, sizeof(order), r->seq >= 0 ? "%" PRId64 : "-", r->seq);
		snprintf(pad, sizeof(pad), r->env_pad >= 0 ? "%d" : "off", r->env_pad);
		printf("  %6zu %6s  %12s %12s %12s %10s  %-10s %7s%s\n", i + 1, order,
		       format_time(t[0], sizeof(t[0]), r->wall_ns / 1e9),
		       format_time(t[1], sizeof(t[1]), r->user_ns / 1e9),
		       format_time(t[2], sizeof(t[2]), r->sys_ns / 1e9),
		       format_kib(t[3], sizeof(t[3]), (double)r->max_rss_kib), status, pad,
		       r->warmup ? "  (warm-up)" : "");
	}
}

static void print_benchmark_metadata(const struct benchmark *b)
{
	char *cmd = words_join(b->argv, b->argc);
	const struct bench_config *c = &b->config;

	printf("  command: %s%s\n", cmd ? cmd : "(unknown)", c->shell ? "  (through /bin/sh -c)" : "");
	free(cmd);
	if (!b->imported)
		printf("  options: %lu warm-up, %s, env padding %s, ASLR %s, seed %" PRIu64 "%s%s\n",
		       c->warmup, c->runs ? "fixed run count" : "adaptive run count",
		       c->randomize ? "on" : "off", c->aslr ? "on" : "off", c->seed,
		       c->metric ? ", metric " : "", c->metric ? c->metric : "");
	printf("  ended: %s\n", stop_reason_name(b->stop));
}

static void print_file_metadata(const struct results *r, enum import_format format)
{
	

	printf("  kind: %s", import_format_name(format));
	if (r->steady_version)
		printf(", written by steady %s", r->steady_version);
	printf("\n");
	if (r->created)
		printf("  measured: %s\n", r->created);
	if (r->host.hostname)
		printf("  host: %s, %s, %s, %s, %d CPUs\n", r->host.hostname,
		       r->host.kernel ? r->host.kernel : "unknown", r->host.arch ? r->host.arch : "unknown",
		       r->host.cpu_model ? r->host.cpu_model : "unknown", r->host.cpu_count);
	if (r->system_checked && !r->nr_system_warnings)
		printf("  system: tuned for benchmarking\n");
	for (size_t i = 0; i < r->nr_system_warnings; i++)
		printf("  system: %s\n", r->system_warnings[i]);
}

static void print_layout(const struct results_layout *l)
{
	printf("layout (%s): %s", l->perturbation ? l->perturbation : "unknown",
	       l->verdict ? l->verdict : "no verdict");
	if (isfinite(l->default_ratio))
		printf("; default build B/A %.3fx [%.3f, %.3f] %s", l->default_ratio, l->default_lo,
		       l->default_hi, l->default_verdict ? l->default_verdict : "");
	if (isfinite(l->averaged_ratio))
		printf("; layout-averaged B/A %.3fx [%.3f, %.3f]", l->averaged_ratio,
		       l->averaged_lo, l->averaged_hi);
	printf("\n  spread: A sd %.1f%% (range %.2fx), B sd %.1f%% (range %.2fx); builds: %" PRIu64
	       " compiles + %" PRIu64 " relinks; %zu variants\n",
	       100 * l->spread_a, l->range_a, 100 * l->spread_b, l->range_b, l->compiles,
	       l->relinks, l->nr_variants);
}

static int show_results(const char *file, json_t *root, struct packed_columns *columns,
			const struct show_args *args, int *shown)
{
	struct results r;
	enum import_format format;
	int ret = 0;

	results_init(&r);
	if (import_from_json(&r, file, root, columns, &format))
		return -1;
	printf("%s%s\n", *shown ? "\n" : "", file);
	*shown = 1;
	if (args->metadata)
		print_file_metadata(&r, format);
	if (r.layout)
		print_layout(r.layout);
	for (size_t i = 0; i < r.nr_benchmarks; i++) {
		struct benchmark *b = &r.benchmarks[i];
		struct summary s;
		size_t n;
		/* a file of memory sizes (pyperf --track-memory) is shown as such */
		const char *metric = args->metric ? args->metric : b->config.metric;
		double *values = benchmark_metric_values(b, metric, &n);

		if (!values) {
			ret = -1;
			break;
		}
		stats_summarize_sorting(values, n, &s);
		summary_print(stdout, b, &s, use_color(STDOUT_FILENO));
		if (args->metadata)
			print_benchmark_metadata(b);
		if (args->hist && n)
			print_hist(values, n, unit_of(metric));
		if (args->runs)
			print_runs(b);
		free(values);
	}
	results_release(&r);
	return ret;
}

/* ---- the other kinds: the tree of values ---- */

static void print_value(const char *key, const json_t *v, int depth);

static void print_scalar(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		printf("%s", json_string_value(v));
		break;
	case JSON_INTEGER:
		printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		printf("%.6g", json_real_value(v));
		break;
	case JSON_TRUE:
		printf("true");
		break;
	case JSON_FALSE:
		printf("false");
		break;
	default:
		printf("null");
		break;
	}
}

static int is_scalar(const json_t *v)
{
	return !json_is_object(v) && !json_is_array(v);
}

static void print_value(const char *key, const json_t *v, int depth)
{
	printf("%*s%s:", 2 * depth, "", key);
	if (is_scalar(v)) {
		putchar(' ');
		print_scalar(v);
		putchar('\n');
	} else if (json_is_object(v)) {
		const char *k;
		const json_t *inner;

		putchar('\n');
		json_object_foreach((json_t *)v, k, inner)
			print_value(k, inner, depth + 1);
	} else {
		size_t n = json_array_size(v);

		putchar('\n');
		for (size_t i = 0; i < n; i++) {
			char index[24];

			snprintf(index, sizeof(index), "[%zu]", i);
			print_value(index, json_array_get(v, i), depth + 1);
		}
	}
}

static int show_tree(const char *file, json_t *root, int *shown)
{
	const char *k;
	json_t *v;

	printf("%s%s\n", *shown ? "\n" : "", file);
	*shown = 1;
	json_object_foreach(root, k, v)
		print_value(k, v, 1);
	return 0;
}

/* The file is read once, so `steady show <(cat FILE)` works too. */
static int show_file(const char *file, const struct show_args *args, int *shown)
{
	struct packed_columns columns;
	struct results none;
	json_t *root, *format;
	int ret;

	packed_columns_init(&columns);
	results_init(&none);
	root = results_load_json(&none, file, &columns);
	if (!root)
		return -1;
	format = json_is_object(root) ? json_object_get(root, "format") : NULL;
	/* steady's other kinds; results and other tools' files go to the importer */
	if (json_is_string(format) && strcmp(json_string_value(format), RESULTS_FORMAT_NAME) &&
	    !strncmp(json_string_value(format), "steady-", 7)) {
		if (args->runs || args->hist)
			warning("'%s' is a %s file: it has no runs (--runs and --hist apply to results)",
				file, json_string_value(format));
		if (packed_columns_unpack(root, &columns))
			ret = error("cannot read '%s': %s", file, strerror(ENOMEM));
		else
			ret = show_tree(file, root, shown);
	} else {
		ret = show_results(file, root, &columns, args, shown);
	}
	json_decref(root);
	packed_columns_release(&columns);
	return ret;
}

static int show_main(int argc, char **argv, const struct option_table *t)
{
	struct show_args args = { 0 };
	int opt, shown = 0, ret = EXIT_OK;

	opterr = 0;
	optind = 1;
	while ((opt = option_next(argc, argv, t->shortopts, t->longopts)) != -1) {
		switch (opt) {
		case OPT_RUNS:
			args.runs = 1;
			break;
		case OPT_HIST:
			args.hist = 1;
			break;
		case OPT_METADATA:
			args.metadata = 1;
			break;
		case OPT_SHOW_METRIC:
			if (metric_check(optarg))
				return EXIT_USAGE;
			args.metric = optarg;
			break;
		case 'h':
			fputs(show_usage_head, stdout);
			option_docs_print(stdout, show_options);
			fputs(show_usage_tail, stdout);
			return EXIT_OK;
		case 'V':
			print_version();
			return EXIT_OK;
		case OPT_COLOR:
			if (color_option(optarg))
				return EXIT_USAGE;
			break;
		default:
			option_error("show", opt, argc, argv);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		error("show needs at least one file (see 'steady show --help')");
		return EXIT_USAGE;
	}
	/* every file is shown that can be; one that cannot is one line */
	for (int i = optind; i < argc; i++)
		if (show_file(argv[i], &args, &shown))
			ret = EXIT_USAGE;
	return ret;
}

int cmd_show(int argc, char **argv)
{
	struct option_table t;
	int ret;

	option_table_init(&t, "+:", show_options);
	ret = show_main(argc, argv, &t);
	option_table_release(&t);
	return ret;
}
