/*
 * run: `steady run [options] -- CMD [ARG...]` — benchmark one command.
 *
 * Parses options into a struct benchmark, checks everything that can be
 * checked before measuring (output path, command), lets bench.c measure,
 * then prints the summary and writes the results file. The option table is
 * the usage text below; keep them in step.
 */
#include "cmd/builtin.h"
#include "measure/bench.h"
#include "formats/results.h"
#include "measure/run_options.h"
#include "measure/spawn.h"
#include "analyse/stats.h"
#include "analyse/summary.h"
#include "system/checks.h"
#include "lib/atomic_file.h"
#include "lib/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char run_usage_head[] =
"usage: steady run [options] [--] CMD [ARG...]\n"
"\n"
"Runs CMD in a fresh process per run (no shell, stdin from /dev/null, output\n"
"discarded) and prints its wall time with the spread, intervals and outliers.\n"
"A single CMD argument with spaces is split into words like a shell would,\n"
"but no shell runs unless --shell is given. By default steady measures\n"
"at least 10 runs and for 3 s.\n"
"\n";

static const char run_usage_tail[] =
"Results:\n"
"  -o FILE                save every run and the metadata as JSON\n"
"                         (docs/results-format.md); -o - writes it to stdout\n"
"      --json             the same as -o -: only the JSON on stdout, the\n"
"                         summary (and --show-output) on stderr\n"
"      --name NAME        name of the benchmark (default: the command line)\n"
"\n"
"Exit codes: 0 done, 1 the command failed, 2 bad usage or input,\n"
"130 interrupted (the runs measured so far are summarised and saved).\n";

enum { OPT_NAME = OPT_COMMAND_BASE };

static const struct option run_only_options[] = {
	OPTION_JSON,
	{ "name", required_argument, NULL, OPT_NAME },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int cmd_run(int argc, char **argv)
{
	struct results results;
	struct benchmark *b;
	struct bench_config *cfg;
	struct summary summary;
	struct progress progress;
	const char *output = NULL;
	struct option *options = NULL;
	int opt, seed_given = 0, ret = EXIT_USAGE;
	double *values;
	size_t n;

	results_init(&results);
	b = results_add_benchmark(&results);
	cfg = &b->config;

	opterr = 0;
	optind = 1;
	options = run_options_table(run_only_options);
	while ((opt = run_options_next(argc, argv, "+:" RUN_SHORT_OPTIONS "o:h", options,
				       cfg, &seed_given)) != -1) {
		switch (opt) {
		case RUN_OPTION_INVALID:
			goto out;
		case 'o':
		case 'J':
			if (output_option(&output, opt, optarg))
				goto out;
			break;
		case 'V':
			print_version();
			ret = EXIT_OK;
			goto out;
		case OPT_NAME:
			free(b->name);
			b->name = xstrdup(optarg);
			break;
		case 'h':
			printf("%s%s%s%s", run_usage_head, run_options_usage, run_metric_usage, run_usage_tail);
			ret = EXIT_OK;
			goto out;
		default:
			option_error("run", opt, argc, argv);
			goto out;
		}
	}
	if (optind >= argc) {
		error("missing command to benchmark: steady run [options] -- CMD [ARG...]");
		goto out;
	}
	if (run_options_check(cfg))
		goto out;
	if (!seed_given)
		cfg->seed = run_random_seed();
	if (run_set_command(b, argc - optind, argv + optind))
		goto out;
	if (output && (atomic_check_writable(output) || atomic_claim_stdout(&output)))
		goto out;

	system_record(&results);
	spawn_catch_signals();
	progress_init(&progress);
	if (bench_execute(b, &progress))
		goto out;

	values = benchmark_metric_values(b, cfg->metric, &n);
	stats_summarize_sorting(values, n, &summary);
	free(values);
	summary_warnings(b, &summary);

	/* Save before printing: a closed stdout must not cost the samples. */
	ret = stop_reason_exit_code(b->stop);
	if (results_save(&results, output))
		ret = EXIT_USAGE;
	summary_print(stdout, b, &summary, use_color(STDOUT_FILENO));
out:
	free(options);
	results_release(&results);
	return ret;
}
