/*
 * run: `steady run [options] CMD...` or `steady run [options] -- CMD [ARG...]`
 * — benchmark commands.
 *
 * Without "--" every operand is one command string (as hyperfine takes
 * them); after "--" the rest is one command's argv. A parameter scan (-P,
 * -L, measure/scan.h) makes one benchmark per command and value, its
 * {NAME} filled into the command's words (toolchain/template.h). Several
 * benchmarks are measured together in rounds of random order (bench.c),
 * so each summary is printed and, beside them, every one against the
 * fastest with compare's paired interval. This file parses, prints and
 * saves; the benchmarks belong to the results struct.
 */
#include "cmd/builtin.h"
#include "measure/bench.h"
#include "formats/results.h"
#include "formats/export.h"
#include "measure/run_options.h"
#include "measure/spawn.h"
#include "analyse/stats.h"
#include "analyse/summary.h"
#include "system/checks.h"
#include "lib/atomic_file.h"
#include "lib/util.h"
#include "lib/words.h"
#include "measure/scan.h"
#include "analyse/compare.h"
#include "toolchain/template.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char run_usage_head[] =
"usage: steady run [options] CMD...\n"
"       steady run [options] -- CMD [ARG...]\n"
"\n"
"Runs each command in a fresh process per run (no shell, stdin from\n"
"/dev/null, output discarded) and prints its wall time with the spread,\n"
"intervals and outliers. Each CMD is one command string, split into words\n"
"like a shell would (no shell runs unless --shell is given); after --, the\n"
"words are one command and its arguments, as given. Several commands run\n"
"interleaved in rounds of random order, and each is compared with the\n"
"fastest. By default steady measures at least 10 runs and for 3 s.\n"
"\n";

enum { OPT_NAME = OPT_COMMAND_BASE, OPT_MARKDOWN, OPT_CSV };

static const struct option_doc run_docs[] = {
	OPTDOC_TEXT("Parameter scans ({NAME} in the commands, one benchmark per value):"),
	OPTDOC("P", "parameter-scan", 'P', "NAME MIN MAX", "the numbers MIN..MAX, step 1"),
	OPTDOC("D", "parameter-step-size", 'D', "STEP", "-P's step (decimals need one)"),
	OPTDOC("L", "parameter-list", 'L', "NAME A,B,C",
	       "the values listed; several -P/-L\nmake every combination"),
	OPTDOC_TEXT(""),
	OPTDOC_INCLUDE(run_option_docs),
	OPTDOC_INCLUDE(run_metric_docs),
	OPTDOC_TEXT("Results:"),
	OPTDOC("o", NULL, 'o', "FILE",
	       "save every run and the metadata as JSON\n"
	       "(docs/results-format.md); -o - writes it to stdout"),
	OPTION_JSON("the same as -o -: only the JSON on stdout, the\n"
		    "summary (and --show-output) on stderr"),
	OPTION_EXPORT_JSON,
	OPTDOC(NULL, "export-markdown", OPT_MARKDOWN, "FILE",
	       "each summary as a Markdown table, with the\nmedian relative to the fastest"),
	OPTDOC(NULL, "export-csv", OPT_CSV, "FILE",
	       "the same as CSV (values in seconds, or the metric's unit)"),
	OPTDOC(NULL, "name", OPT_NAME, "NAME",
	       "name of the benchmark (default: the command line;\none command only)"),
	OPTDOC_INCLUDE(run_save_docs),
	OPTDOC_END
};

static const char run_usage_tail[] =
"\n"
"Exit codes: 0 done, 1 the command failed (with -i: every run of a command\n"
"timed out, said in one line), 2 bad usage or input,\n"
"130 interrupted (the runs measured so far are summarised and saved).\n";

static const struct command_help run_help = {
	"run", run_usage_head, run_docs, run_usage_tail
};

/* What the command line asked for; the strings are argv's. */
struct run_args {
	struct bench_config cfg;
	const char *output, *name;
	const char *markdown, *csv;   /* --export-markdown, --export-csv */
	struct scan scan;
	/* -P's, whose step (-D) may come after them */
	const char *range_name, *range_min, *range_max, *range_step;
	char **operands;
	int nr_operands;
	int one_argv;            /* after "--": the operands are one command's words */
};

/* -P NAME MIN MAX and -L NAME LIST take more than getopt's one argument. */
static int take_words(int argc, int n, const char *opt)
{
	if (optind + n > argc)
		return error("%s needs %s after its name", opt, n == 2 ? "MIN and MAX" : "a list A,B,C");
	optind += n;
	return 0;
}

/* 0 to go on, 1 after --help or --version, -1 after one error line. */
static int parse_run_options(int argc, char **argv, struct run_args *a)
{
	struct option_table t;
	enum run_common_result common;
	int opt, seed_given = 0, ret = -1;

	opterr = 0;
	optind = 1;
	option_table_init(&t, "+:", run_docs);
	while ((opt = run_options_next(argc, argv, t.shortopts, t.longopts,
				       &a->cfg, &seed_given)) != -1) {
		switch (opt) {
		case RUN_OPTION_INVALID:
			goto out;
		case OPT_NAME:
			a->name = optarg;
			break;
		case OPT_MARKDOWN:
			a->markdown = optarg;
			break;
		case OPT_CSV:
			a->csv = optarg;
			break;
		case 'P':
			if (a->range_name) {
				error("one -P per run (its values times -L lists make the combinations)");
				goto out;
			}
			a->range_name = optarg;
			if (take_words(argc, 2, "-P"))
				goto out;
			a->range_min = argv[optind - 2];
			a->range_max = argv[optind - 1];
			break;
		case 'D':
			a->range_step = optarg;
			break;
		case 'L':
			if (take_words(argc, 1, "-L") ||
			    scan_add_list(&a->scan, optarg, argv[optind - 1]))
				goto out;
			break;
		default:
			common = run_common_option(opt, optarg, argc, argv, &a->output, &run_help,
						   NULL, NULL);
			if (common != RUN_COMMON_GO_ON) {
				ret = common == RUN_COMMON_DONE ? 1 : -1;
				goto out;
			}
			break;
		}
	}
	if (a->range_step && !a->range_name) {
		error("-D gives the step of -P: there is no -P");
		goto out;
	}
	if (a->range_name && scan_add_range(&a->scan, a->range_name, a->range_min,
					    a->range_max, a->range_step))
		goto out;
	if (optind >= argc) {
		error("missing command to benchmark: steady run [options] CMD... or -- CMD [ARG...]");
		goto out;
	}
	a->one_argv = optind > 1 && !strcmp(argv[optind - 1], "--");
	a->operands = argv + optind;
	a->nr_operands = argc - optind;
	for (size_t i = 0; i < a->scan.nr; i++) {
		char *placeholder = xasprintf("{%s}", a->scan.params[i].name);
		int used = 0;

		for (int k = 0; k < a->nr_operands; k++)
			used |= strstr(a->operands[k], placeholder) != NULL;
		free(placeholder);
		/* every value would run the same command, under the same name */
		if (!used) {
			error("parameter '%s' is not used: write {%s} in the command",
			      a->scan.params[i].name, a->scan.params[i].name);
			goto out;
		}
	}
	if (a->name && ((!a->one_argv && a->nr_operands > 1) || a->scan.nr)) {
		error("--name names one benchmark: with several, each is named by its command");
		goto out;
	}
	if (run_options_check(&a->cfg))
		goto out;
	if (!seed_given)
		a->cfg.seed = run_random_seed();
	if (atomic_prepare_outputs(&a->output, &a->markdown, &a->csv))
		goto out;
	ret = 0;
out:
	option_table_release(&t);
	return ret;
}

/*
 * Command c's words with combination k of the scan filled in, as the
 * benchmark's argv. 0, or -1 after one line (an unknown {NAME}).
 */
static int set_scanned_command(struct benchmark *b, const struct run_args *a, int c, size_t k)
{
	struct template_value *values = xcalloc(a->scan.nr + 1, sizeof(*values));
	struct template t = { values, a->scan.nr };
	char **words = NULL, **filled = NULL;
	size_t n = 0, nf;
	int ret = -1;

	scan_combination(&a->scan, k, values);
	if (a->one_argv) {
		filled = template_expand(&t, a->operands, (size_t)a->nr_operands, &nf);
	} else if (a->cfg.shell) {
		/* the script is one word: its {NAME}s filled, then /bin/sh -c */
		filled = template_expand(&t, &a->operands[c], 1, &nf);
	} else if (!words_split(a->operands[c], &words, &n)) {
		filled = template_expand(&t, words, n, &nf);
	}
	if (filled) {
		if (a->cfg.shell && !a->one_argv) {
			benchmark_set_argv(b, (char *[]){ "/bin/sh", "-c", filled[0] }, 3);
			b->name = xstrdup(filled[0]);
		} else {
			benchmark_set_argv(b, filled, nf);
			b->name = words_join(filled, nf);
		}
		ret = 0;
	}
	words_free(words);
	words_free(filled);
	free(values);
	return ret;
}

/*
 * The same command given twice is measured twice, but its results must
 * stay matchable by name (compare pairs files by name): the repeats are
 * named "1: cmd", "2: cmd"...
 */
static void name_repeats_apart(struct results *r)
{
	int *repeated = xcalloc(r->nr_benchmarks + 1, sizeof(*repeated));

	/* all found first: a renamed one would no longer match its twin */
	for (size_t i = 0; i < r->nr_benchmarks; i++)
		for (size_t j = 0; j < r->nr_benchmarks; j++)
			repeated[i] |= j != i && !strcmp(r->benchmarks[i].name, r->benchmarks[j].name);
	for (size_t i = 0; i < r->nr_benchmarks; i++)
		if (repeated[i]) {
			char *numbered = xasprintf("%zu: %s", i + 1, r->benchmarks[i].name);

			free(r->benchmarks[i].name);
			r->benchmarks[i].name = numbered;
		}
	free(repeated);
}

/* One benchmark per command and scanned value into r. 0, or -1 after one line. */
static int add_benchmarks(struct results *r, struct run_args *a)
{
	int commands = a->one_argv ? 1 : a->nr_operands;
	size_t combos = scan_count(&a->scan);

	if ((size_t)commands * combos > BENCH_MAX_TOGETHER)
		return error("%zu commands to benchmark: at most %d run together",
			     (size_t)commands * combos, BENCH_MAX_TOGETHER);
	for (int c = 0; c < commands; c++)
		for (size_t k = 0; k < combos; k++) {
			struct benchmark *b = results_add_benchmark(r);

			bench_config_copy(&b->config, &a->cfg);
			if (a->scan.nr) {
				if (set_scanned_command(b, a, c, k))
					return -1;
				continue;
			}
			if (a->name)
				b->name = xstrdup(a->name);
			if (a->one_argv ? run_set_command(b, a->nr_operands, a->operands) :
					  run_set_command(b, 1, &a->operands[c]))
				return -1;
		}
	name_repeats_apart(r);
	return 0;
}

/* The median of b's values of metric, to find the fastest; NaN when none. */
static double median_of(const struct benchmark *b, const char *metric)
{
	size_t n;
	double *v = benchmark_metric_values(b, metric, &n), m = NAN;
	struct summary s;

	if (v && n) {
		stats_summarize_sorting(v, n, &s);
		m = s.median;
	}
	free(v);
	return m;
}

/*
 * Every benchmark against the fastest (by median), with compare's paired
 * interval: they ran in the same rounds.
 */
static void print_relative(struct results *r, const char *metric)
{
	size_t fastest = 0;
	double best = INFINITY;
	struct compare_options o;

	for (size_t i = 0; i < r->nr_benchmarks; i++) {
		double m = median_of(&r->benchmarks[i], metric);

		if (m < best) {
			best = m;
			fastest = i;
		}
	}
	if (!isfinite(best))
		return;
	compare_options_init(&o);
	o.paired = 1;
	printf("\nRelative to the fastest, '%s' (median of the paired ratios, each with its %.0f%% CI):\n",
	       r->benchmarks[fastest].name, 100 * (1 - o.alpha));
	for (size_t i = 0; i < r->nr_benchmarks; i++) {
		struct comparison c;

		if (i == fastest)
			continue;
		if (!benchmark_has_measured_run(&r->benchmarks[i])) {
			printf("  '%s': no measured runs\n", r->benchmarks[i].name);
			continue;
		}
		if (compare_benchmarks(&r->benchmarks[fastest], &r->benchmarks[i], metric, &o, &c))
			continue;
		if (isfinite(c.ci_lo) && isfinite(c.ci_hi))
			printf("  '%s' ran %.3fx [%.3fx, %.3fx] as long\n", r->benchmarks[i].name,
			       c.ratio, c.ci_lo, c.ci_hi);
		else
			printf("  '%s' ran %.3fx as long (too few runs for an interval)\n",
			       r->benchmarks[i].name, c.ratio);
	}
}

/* --export-markdown, --export-csv: every summary, relative to the fastest median. */
static int write_exports(const struct run_args *a, const struct results *r,
			 const struct summary *s)
{
	struct export_summary *rows;
	double fastest = INFINITY;
	int ret = 0;

	if (!a->markdown && !a->csv)
		return 0;
	rows = xcalloc(r->nr_benchmarks, sizeof(*rows));
	for (size_t i = 0; i < r->nr_benchmarks; i++)
		if (s[i].median < fastest)
			fastest = s[i].median;
	for (size_t i = 0; i < r->nr_benchmarks; i++) {
		rows[i].name = r->benchmarks[i].name;
		rows[i].metric = a->cfg.metric;
		rows[i].s = &s[i];
		rows[i].relative = r->nr_benchmarks > 1 ? s[i].median / fastest : NAN;
	}
	if ((a->markdown && export_summaries(a->markdown, EXPORT_MARKDOWN, rows, r->nr_benchmarks)) ||
	    (a->csv && export_summaries(a->csv, EXPORT_CSV, rows, r->nr_benchmarks)))
		ret = -1;
	free(rows);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct results results;
	struct run_args a;
	struct progress progress;
	struct benchmark **bs = NULL;
	struct summary *summaries = NULL;
	int parsed, ret = EXIT_USAGE;

	results_init(&results);
	memset(&a, 0, sizeof(a));
	bench_config_init(&a.cfg);
	scan_init(&a.scan);
	parsed = parse_run_options(argc, argv, &a);
	if (parsed) {
		ret = parsed > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (add_benchmarks(&results, &a))
		goto out;
	bs = xcalloc(results.nr_benchmarks, sizeof(*bs));
	for (size_t i = 0; i < results.nr_benchmarks; i++)
		bs[i] = &results.benchmarks[i];

	system_record(&results);
	spawn_catch_signals();
	progress_init(&progress);
	if (bench_execute_rounds(bs, results.nr_benchmarks, &progress, bench_enough_runs, NULL))
		goto out;

	for (size_t i = 0; i < results.nr_benchmarks; i++)
		summary_add_warnings(bs[i], a.cfg.metric);
	/* Save before printing: a closed stdout must not cost the samples. */
	ret = stop_reason_exit_code(bs[0]->stop);
	if (results_save(&results, a.output) || run_history_save(&results, &a.cfg, "run"))
		ret = spawn_exit_code(EXIT_USAGE);
	summaries = xcalloc(results.nr_benchmarks, sizeof(*summaries));
	for (size_t i = 0; i < results.nr_benchmarks; i++) {
		size_t n;
		double *values = benchmark_metric_values(bs[i], a.cfg.metric, &n);

		stats_summarize_sorting(values, n, &summaries[i]);
		free(values);
		if (i)
			putchar('\n');
		summary_print(stdout, bs[i], &summaries[i], use_color(STDOUT_FILENO));
	}
	if (write_exports(&a, &results, summaries))
		ret = EXIT_USAGE;
	if (results.nr_benchmarks > 1)
		print_relative(&results, a.cfg.metric);
	/* Last, under the summaries: the runs are saved, the command failed. */
	for (size_t i = 0; i < results.nr_benchmarks; i++)
		if (benchmark_check_measured(bs[i]) && ret == EXIT_OK)
			ret = EXIT_FAILED;
out:
	free(summaries);
	free(bs);
	scan_release(&a.scan);
	bench_config_release(&a.cfg);
	results_release(&results);
	return ret;
}
