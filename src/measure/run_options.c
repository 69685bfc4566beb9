/*
 * run_options: see run_options.h.
 */
#include "measure/run_options.h"
#include "analyse/estimators.h"
#include "measure/counters.h"
#include "lib/util.h"
#include "lib/words.h"
#include "formats/results.h"
#include "store/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define MAX_COUNT 100000000UL

const struct option_doc run_option_docs[] = {
	OPTDOC_TEXT("How many runs:"),
	OPTDOC("rn", "runs", 'n', "N", "exactly N measured runs (-r as hyperfine and perf)"),
	OPTDOC("w", "warmup", 'w', "N", "N unmeasured warm-up runs first (default 0)"),
	OPTDOC(NULL, "min-runs", OPT_MIN_RUNS, "N", "at least N runs in adaptive mode (default 10)"),
	OPTDOC(NULL, "max-runs", OPT_MAX_RUNS, "N", "at most N runs in adaptive mode (default no limit)"),
	OPTDOC(NULL, "max-time", OPT_MAX_TIME, "S", "measure for about S seconds (e.g. 3, 1.5, 300ms)"),
	OPTDOC_TEXT("Around the runs (command strings, split into words; no shell unless --shell):"),
	OPTDOC(NULL, "prepare", OPT_PREPARE, "CMD", "run CMD before every run, unmeasured"),
	OPTDOC(NULL, "setup", OPT_SETUP, "CMD", "run CMD once before the first run"),
	OPTDOC(NULL, "cleanup", OPT_CLEANUP, "CMD", "run CMD once after the last run"),
	OPTDOC_TEXT("Each run:"),
	OPTDOC(NULL, "timeout", OPT_TIMEOUT, "S", "kill the run's process group after S seconds"),
	OPTDOC(NULL, "cpu", OPT_CPU, "LIST", "pin steady and the command to CPUs, e.g. 0 or 2-3\n(numbered below 1024)"),
	OPTDOC("i", "ignore-failure", 'i', NULL, "measure runs that exit non-zero or crash"),
	OPTDOC(NULL, "shell", OPT_SHELL, NULL, "run CMD (and --prepare etc.) with /bin/sh -c"),
	OPTDOC("N", NULL, 'N', NULL, "no shell, steady's default (hyperfine's way of saying so)"),
	OPTDOC(NULL, "show-output", OPT_SHOW_OUTPUT, NULL, "let the command's stdout and stderr through"),
	OPTDOC(NULL, "no-randomize", OPT_NO_RANDOMIZE, NULL,
	       "no environment padding (it is 0-4095 random bytes per\n"
	       "run by default, to vary the stack layout)"),
	OPTDOC(NULL, "no-aslr", OPT_NO_ASLR, NULL, "run with address-space randomisation off"),
	OPTDOC(NULL, "seed", OPT_SEED, "N", "seed of the randomisation (default: random, recorded)"),
	OPTDOC_TEXT("Display:"),
	OPTION_COLOR,
	OPTION_VERSION,   /* returned to the command, which prints and ends */
	OPTION_HELP,      /* returned to the command */
	OPTDOC_END
};

const struct option_doc run_metric_docs[] = {
	OPTDOC_TEXT("What is analysed:"),
	OPTDOC(NULL, "metric", OPT_METRIC, "M",
	       "wall (default), cpu, user, sys, maxrss, a perf event\n"
	       "counted per run (e.g. instructions, task-clock; see\n"
	       "steady list), or valgrind-ir: instructions counted\n"
	       "under Cachegrind: independent of the machine's load,\n"
	       "repeatable with --no-randomize, slow"),
	OPTDOC_END
};

const struct option_doc run_save_docs[] = {
	OPTDOC_TEXT("History (docs/history.md):"),
	OPTDOC(NULL, "save", OPT_SAVE, NULL,
	       "record the results in the history store, keyed by\n"
	       "benchmark name, revision, machine and date"),
	OPTDOC(NULL, "db", OPT_DB, "DB",
	       "the store: a file, or a postgresql:// URL (default\n"
	       "$XDG_DATA_HOME/steady/history.db); with --save"),
	OPTDOC(NULL, "rev", OPT_REV, "REV",
	       "the revision saved (default: the git commit of the\n"
	       "working directory, marked dirty when files changed)"),
	OPTDOC_END
};

static int bad_value(const char *opt, const char *value, const char *expected)
{
	return error("invalid value for %s: '%s' (expected %s)", opt, value, expected);
}

int run_option_parse(int opt, const char *optarg, struct bench_config *cfg,
		     int *seed_given)
{
	unsigned long v;

	switch (opt) {
	case 'n':
	case 'r':	/* -r as hyperfine and perf stat spell it (--runs, --repeat) */
		if (opt == 'n' && optarg[0] && (optarg[0] < '0' || optarg[0] > '9'))
			return error("invalid value for -n: '%s' (steady's -n is the number of runs, as -r; hyperfine's -n names a command: steady's is --name)",
				     optarg);
		if (parse_uint(optarg, MAX_COUNT, &v) || !v)
			return bad_value(opt == 'r' ? "-r" : "--runs", optarg,
					 "a whole number of runs >= 1");
		cfg->runs = v;
		break;
	case 'N':	/* hyperfine's -N (no shell): steady's default already */
		cfg->shell = 0;
		break;
	case 'w':
		if (parse_uint(optarg, MAX_COUNT, &v))
			return bad_value("--warmup", optarg, "a whole number of runs >= 0");
		cfg->warmup = v;
		break;
	case OPT_MIN_RUNS:
		if (parse_uint(optarg, MAX_COUNT, &v) || !v)
			return bad_value("--min-runs", optarg, "a whole number of runs >= 1");
		cfg->min_runs = v;
		cfg->min_runs_given = 1;
		break;
	case OPT_MAX_RUNS:
		if (parse_uint(optarg, MAX_COUNT, &v) || !v)
			return bad_value("--max-runs", optarg, "a whole number of runs >= 1");
		cfg->max_runs = v;
		break;
	case OPT_MAX_TIME:
		if (parse_seconds(optarg, &cfg->max_time))
			return bad_value("--max-time", optarg, "seconds, e.g. 3, 0.5 or 300ms");
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
		if (parse_seconds(optarg, &cfg->timeout) || cfg->timeout <= 0)
			return bad_value("--timeout", optarg, "seconds > 0, e.g. 2, 0.5 or 300ms");
		break;
	case OPT_CPU: {
		cpu_set_t set;

		if (parse_cpu_list(optarg, &set))
			return bad_value("--cpu", optarg,
					 "a CPU list of CPUs below " CPU_LIST_LIMIT_TEXT ", e.g. 0, 0,2 or 0-3");
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
		if (parse_uint(optarg, (unsigned long)-1, &v))
			return bad_value("--seed", optarg, "a whole number");
		cfg->seed = v;
		*seed_given = 1;
		break;
	case OPT_COLOR:
		if (color_option(optarg))
			return -1;
		break;
	case OPT_SAVE:
		cfg->save = 1;
		break;
	case OPT_DB:
		free(cfg->save_db);
		cfg->save_db = xstrdup(optarg);
		break;
	case OPT_REV:
		if (!*optarg)
			return bad_value("--rev", optarg, "a revision name");
		free(cfg->save_rev);
		cfg->save_rev = xstrdup(optarg);
		cfg->save_dirty = 0;
		break;
	case OPT_METRIC:
		if (metric_check(optarg))
			return -1;
		free(cfg->metric);
		cfg->metric = xstrdup(optarg);
		break;
	default:
		return 0;
	}
	return 1;
}

int run_options_next(int argc, char **argv, const char *shortopts,
		     const struct option *table, struct bench_config *cfg,
		     int *seed_given)
{
	int opt;

	while ((opt = option_next(argc, argv, shortopts, table)) != -1) {
		int shared = run_option_parse(opt, optarg, cfg, seed_given);

		if (shared < 0)
			return RUN_OPTION_INVALID;
		if (!shared)
			return opt;
	}
	return -1;
}

int run_margin_parse(const char *arg, double *pct)
{
	if (parse_number(arg, pct) || *pct >= 100)
		return bad_value("--margin", arg, "a percentage, e.g. 1 or 0.5");
	return 0;
}

int run_verdict_option(const char *command, int opt, int argc, char **argv,
		       double *margin_pct, enum estimator *e)
{
	if (opt == OPT_MARGIN)
		return run_margin_parse(optarg, margin_pct);
	if (opt != OPT_ESTIMATOR)
		return option_error(command, opt, argc, argv);
	if (estimator_parse(optarg, e))
		return bad_value("--estimator", optarg, "median, hl, mean, min or auto");
	return 0;
}

int metric_check(const char *name)
{
	struct event_list l;
	enum metric m;
	int ret = 0;

	if (metric_builtin(name, &m) || !strcmp(name, METRIC_VALGRIND_IR))
		return 0;
	if (strchr(name, ','))
		return error("--metric takes one event, not a list: '%s'", name);
	event_list_init(&l);
	/* Its message names the close events; the rusage names are in --help. */
	if (events_parse(name, &l))
		ret = -1;
	event_list_release(&l);
	return ret;
}

/* --save's revision, from git unless --rev; the store opened once. */
static int save_check(struct bench_config *cfg)
{
	struct history h;
	int ret;

	if (!cfg->save) {
		if (cfg->save_db || cfg->save_rev)
			return error("%s goes with --save", cfg->save_db ? "--db" : "--rev");
		return 0;
	}
	if (!cfg->save_rev) {
		ret = history_git_revision(NULL, &cfg->save_rev, &cfg->save_dirty);
		if (ret < 0)
			return -1;
		if (ret > 0)
			return error("--save needs --rev REV here: the working directory is in no git work tree with a commit");
	}
	if (history_open(&h, cfg->save_db, 1))
		return -1;
	history_close(&h);
	return 0;
}

int run_options_check(struct bench_config *cfg)
{
	if (cfg->runs && (cfg->max_runs || cfg->min_runs_given))
		return error("--runs cannot be combined with --min-runs or --max-runs");
	/* An explicit --max-runs wins over the default --min-runs. */
	if (cfg->max_runs && !cfg->min_runs_given && cfg->max_runs < cfg->min_runs)
		cfg->min_runs = cfg->max_runs;
	if (cfg->max_runs && cfg->max_runs < cfg->min_runs)
		return error("--max-runs %lu is below --min-runs %lu", cfg->max_runs, cfg->min_runs);
	return save_check(cfg);
}

int run_history_save(struct results *r, const struct bench_config *cfg, const char *command)
{
	struct history h;
	size_t saved = 0;
	int ret;

	if (!cfg->save)
		return 0;
	if (!r->created)
		results_stamp(r);
	if (history_open(&h, cfg->save_db, 1))
		return -1;
	ret = history_record(&h, r, cfg->save_rev, cfg->save_dirty, command, cfg->metric, &saved);
	if (!ret && saved < r->nr_benchmarks)
		warning("%zu of %zu benchmarks did not complete: not saved to history",
			r->nr_benchmarks - saved, r->nr_benchmarks);
	if (!ret)
		note("saved %zu benchmark%s to history %s as revision %s%s", saved,
		     saved == 1 ? "" : "s", h.where, cfg->save_rev, cfg->save_dirty ? " (dirty)" : "");
	history_close(&h);
	return ret;
}

uint64_t run_random_seed(void)
{
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), 0) == sizeof(seed))
		return seed;
	return (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
}

/* "'./work 200'" given as one word becomes ./work 200 (words_command's rule). */
int run_set_command(struct benchmark *b, int argc, char **argv)
{
	struct command_words c = { argv, (size_t)argc, NULL, 0, NULL, 1 };
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
	words = words_command(&c, &n);
	if (!words)
		return -1;
	benchmark_set_argv(b, words, n);
	words_free(words);
	if (!b->name)
		b->name = words_join(b->argv, b->argc);
	return 0;
}

enum run_common_result run_common_option(int opt, const char *arg, int argc, char **argv,
					 const char **output, const struct command_help *help,
					 double *margin_pct, enum estimator *e)
{
	switch (opt) {
	case 'o':
	case 'J':
		return output_option(output, opt, arg) ? RUN_COMMON_ERROR : RUN_COMMON_GO_ON;
	case 'V':
		print_version();
		return RUN_COMMON_DONE;
	case 'h':
		fputs(help->head, stdout);
		option_docs_print(stdout, help->docs);
		fputs(help->tail, stdout);
		return RUN_COMMON_DONE;
	}
	if (margin_pct)
		return run_verdict_option(help->name, opt, argc, argv, margin_pct, e) ?
		       RUN_COMMON_ERROR : RUN_COMMON_GO_ON;
	option_error(help->name, opt, argc, argv);
	return RUN_COMMON_ERROR;
}
