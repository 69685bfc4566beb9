/*
 * cmd_run: `steady run [options] -- CMD [ARG...]` — benchmark one command.
 *
 * Parses options into a struct benchmark, checks everything that can be
 * checked before measuring (output path, command), lets bench.c measure,
 * then prints the summary and writes the results file. The option table is
 * the usage text below; keep them in step.
 */
#include "builtin.h"
#include "bench.h"
#include "results.h"
#include "spawn.h"
#include "stats.h"
#include "summary.h"
#include "util.h"
#include "words.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char run_usage[] =
"usage: steady run [options] [--] CMD [ARG...]\n"
"\n"
"Runs CMD in a fresh process per run (no shell, stdin from /dev/null, output\n"
"discarded) and prints its wall time with the spread, intervals and outliers.\n"
"A single CMD argument with spaces is split into words like a shell would,\n"
"but no shell runs unless --shell is given.\n"
"\n"
"How many runs (default: at least 10 runs and 3 s of measuring):\n"
"  -n, --runs N           exactly N measured runs\n"
"  -w, --warmup N         N unmeasured warm-up runs first (default 0)\n"
"      --min-runs N       at least N runs in adaptive mode (default 10)\n"
"      --max-runs N       at most N runs in adaptive mode (default no limit)\n"
"      --max-time S       measure for about S seconds (default 3; 1.5, 300ms)\n"
"Around the runs (command strings, split into words; no shell unless --shell):\n"
"      --prepare CMD      run CMD before every run, unmeasured\n"
"      --setup CMD        run CMD once before the first run\n"
"      --cleanup CMD      run CMD once after the last run\n"
"Each run:\n"
"      --timeout S        kill the run's process group after S seconds\n"
"      --cpu LIST         pin steady and the command to CPUs, e.g. 0 or 2-3\n"
"  -i, --ignore-failure   measure runs that exit non-zero or crash\n"
"      --shell            run CMD (and --prepare etc.) with /bin/sh -c\n"
"      --show-output      let the command's stdout and stderr through\n"
"      --no-randomize     no environment padding (it is 0-4095 random bytes per\n"
"                         run by default, to vary the stack layout)\n"
"      --no-aslr          run with address-space randomisation off\n"
"      --seed N           seed of the randomisation (default: random, recorded)\n"
"Results:\n"
"  -o, --output FILE      save every run and the metadata as JSON\n"
"                         (docs/results-format.md)\n"
"      --name NAME        name of the benchmark (default: the command line)\n"
"\n"
"Exit codes: 0 done, 1 the command failed, 2 bad usage or input,\n"
"130 interrupted (the runs measured so far are summarised and saved).\n";

enum {
	OPT_MIN_RUNS = 256, OPT_MAX_RUNS, OPT_MAX_TIME, OPT_PREPARE, OPT_SETUP,
	OPT_CLEANUP, OPT_TIMEOUT, OPT_CPU, OPT_SHELL, OPT_SHOW_OUTPUT,
	OPT_NO_RANDOMIZE, OPT_NO_ASLR, OPT_SEED, OPT_NAME
};

static const struct option run_options[] = {
	{ "runs", required_argument, NULL, 'n' },
	{ "warmup", required_argument, NULL, 'w' },
	{ "min-runs", required_argument, NULL, OPT_MIN_RUNS },
	{ "max-runs", required_argument, NULL, OPT_MAX_RUNS },
	{ "max-time", required_argument, NULL, OPT_MAX_TIME },
	{ "prepare", required_argument, NULL, OPT_PREPARE },
	{ "setup", required_argument, NULL, OPT_SETUP },
	{ "cleanup", required_argument, NULL, OPT_CLEANUP },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "ignore-failure", no_argument, NULL, 'i' },
	{ "shell", no_argument, NULL, OPT_SHELL },
	{ "show-output", no_argument, NULL, OPT_SHOW_OUTPUT },
	{ "no-randomize", no_argument, NULL, OPT_NO_RANDOMIZE },
	{ "no-aslr", no_argument, NULL, OPT_NO_ASLR },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "output", required_argument, NULL, 'o' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

#define MAX_COUNT 100000000UL

static int bad_value(const char *opt, const char *value, const char *expected)
{
	error("invalid value for %s: '%s' (expected %s)", opt, value, expected);
	return EXIT_USAGE;
}

static uint64_t random_seed(void)
{
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), 0) == sizeof(seed))
		return seed;
	return (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
}

/* "'./work 200'" given as one word becomes ./work 200, unless it names a file. */
static int command_argv(struct benchmark *b, int argc, char **argv)
{
	struct stat st;
	char **words;
	size_t n;

	if (b->config.shell) {
		char *script = words_join(argv, (size_t)argc);

		/* One argument is the script as typed; several are joined. */
		char *text = argc == 1 ? xstrdup(argv[0]) : script;

		benchmark_set_argv(b, (char *[]){ "/bin/sh", "-c", text }, 3);
		b->name = b->name ? b->name : xstrdup(text);
		if (text != script)
			free(text);
		free(script);
		return 0;
	}
	if (argc == 1 && strpbrk(argv[0], " \t\n'\"") && stat(argv[0], &st)) {
		if (words_split(argv[0], &words, &n))
			return -1;
		benchmark_set_argv(b, words, n);
		words_free(words);
	} else {
		benchmark_set_argv(b, argv, (size_t)argc);
	}
	if (!b->name)
		b->name = words_join(b->argv, b->argc);
	return 0;
}

static int exit_code_for(enum stop_reason stop)
{
	switch (stop) {
	case STOP_COMPLETED:
		return EXIT_OK;
	case STOP_INTERRUPTED:
		return EXIT_INTERRUPTED;
	case STOP_FAILED:
		break;
	}
	return EXIT_FAILED;
}

int cmd_run(int argc, char **argv)
{
	struct results results;
	struct benchmark *b;
	struct bench_config *cfg;
	struct summary summary;
	struct progress progress;
	const char *output = NULL;
	unsigned long v;
	int opt, seed_given = 0, ret = EXIT_USAGE;
	double *values;
	size_t n;

	results_init(&results);
	b = results_add_benchmark(&results);
	cfg = &b->config;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:n:w:io:h", run_options, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (parse_uint(optarg, MAX_COUNT, &v) || !v) {
				bad_value("--runs", optarg, "a whole number of runs >= 1");
				goto out;
			}
			cfg->runs = v;
			break;
		case 'w':
			if (parse_uint(optarg, MAX_COUNT, &v)) {
				bad_value("--warmup", optarg, "a whole number of runs >= 0");
				goto out;
			}
			cfg->warmup = v;
			break;
		case OPT_MIN_RUNS:
			if (parse_uint(optarg, MAX_COUNT, &v) || !v) {
				bad_value("--min-runs", optarg, "a whole number of runs >= 1");
				goto out;
			}
			cfg->min_runs = v;
			break;
		case OPT_MAX_RUNS:
			if (parse_uint(optarg, MAX_COUNT, &v) || !v) {
				bad_value("--max-runs", optarg, "a whole number of runs >= 1");
				goto out;
			}
			cfg->max_runs = v;
			break;
		case OPT_MAX_TIME:
			if (parse_seconds(optarg, &cfg->max_time)) {
				bad_value("--max-time", optarg, "seconds, e.g. 3, 0.5 or 300ms");
				goto out;
			}
			break;
		case OPT_PREPARE:
			free(cfg->prepare);
			cfg->prepare = xstrdup(optarg);
			break;
		case OPT_SETUP:
			free(cfg->setup);
			cfg->setup = xstrdup(optarg);
			break;
		case OPT_CLEANUP:
			free(cfg->cleanup);
			cfg->cleanup = xstrdup(optarg);
			break;
		case OPT_TIMEOUT:
			if (parse_seconds(optarg, &cfg->timeout) || cfg->timeout <= 0) {
				bad_value("--timeout", optarg, "seconds > 0, e.g. 2, 0.5 or 300ms");
				goto out;
			}
			break;
		case OPT_CPU: {
			cpu_set_t set;

			if (parse_cpu_list(optarg, &set)) {
				bad_value("--cpu", optarg, "a CPU list, e.g. 0, 0,2 or 0-3");
				goto out;
			}
			free(cfg->cpus);
			cfg->cpus = xstrdup(optarg);
			break;
		}
		case 'i':
			cfg->ignore_failure = 1;
			break;
		case OPT_SHELL:
			cfg->shell = 1;
			break;
		case OPT_SHOW_OUTPUT:
			cfg->show_output = 1;
			break;
		case OPT_NO_RANDOMIZE:
			cfg->randomize = 0;
			break;
		case OPT_NO_ASLR:
			cfg->aslr = 0;
			break;
		case OPT_SEED:
			if (parse_uint(optarg, (unsigned long)-1, &v)) {
				bad_value("--seed", optarg, "a whole number");
				goto out;
			}
			cfg->seed = v;
			seed_given = 1;
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_NAME:
			free(b->name);
			b->name = xstrdup(optarg);
			break;
		case 'h':
			fputs(run_usage, stdout);
			results_release(&results);
			return EXIT_OK;
		case ':':
			error("option '%s' needs a value (see 'steady run --help')",
			      argv[optind - 1]);
			goto out;
		default:
			error("unknown option '%s' (see 'steady run --help')",
			      argv[optind - 1]);
			goto out;
		}
	}
	if (optind >= argc) {
		error("missing command to benchmark: steady run [options] -- CMD [ARG...]");
		goto out;
	}
	if (cfg->runs && (cfg->max_runs || cfg->min_runs != 10)) {
		error("--runs cannot be combined with --min-runs or --max-runs");
		goto out;
	}
	if (cfg->max_runs && cfg->max_runs < cfg->min_runs) {
		error("--max-runs %lu is below --min-runs %lu", cfg->max_runs, cfg->min_runs);
		goto out;
	}
	if (!seed_given)
		cfg->seed = random_seed();
	if (command_argv(b, argc - optind, argv + optind))
		goto out;
	if (output && results_check_writable(output))
		goto out;

	spawn_catch_signals();
	progress_init(&progress);
	if (bench_execute(b, &progress))
		goto out;

	values = benchmark_values(b, METRIC_WALL, &n);
	stats_summarize(values, n, &summary);
	free(values);
	summary_warnings(b, &summary);

	/* Save before printing: a closed stdout must not cost the samples. */
	ret = exit_code_for(b->stop);
	if (output) {
		results_stamp(&results);
		if (results_write(&results, output))
			ret = EXIT_USAGE;
	}
	summary_print(stdout, b, &summary, use_color(STDOUT_FILENO));
out:
	results_release(&results);
	return ret;
}
