/*
 * run_options: the options every measuring command shares (`run`,
 * `compare`, `stat`, `layout`): run counts, warm-up, prepare/setup/cleanup,
 * timeout, CPUs, failure handling, shell, output, randomisation, --color and
 * --version. One table and one parser so the commands cannot drift apart;
 * each command adds its own options.
 */
#ifndef STEADY_RUN_OPTIONS_H
#define STEADY_RUN_OPTIONS_H

#include <getopt.h>
#include <stdint.h>
#include "analyse/estimators.h"
#include "measure/benchmark.h"

enum {
	OPT_MIN_RUNS = 256, OPT_MAX_RUNS, OPT_MAX_TIME, OPT_PREPARE, OPT_SETUP,
	OPT_CLEANUP, OPT_TIMEOUT, OPT_CPU, OPT_SHELL, OPT_SHOW_OUTPUT,
	OPT_NO_RANDOMIZE, OPT_NO_ASLR, OPT_SEED, OPT_METRIC,
	OPT_MARGIN, OPT_ESTIMATOR,   /* the verdict options: run_verdict_option() */
	OPT_COMMAND_BASE = 512   /* a command's own long options start here */
};

/* The long options of a command that gives verdicts (compare, stat --vs). */
#define RUN_VERDICT_OPTIONS \
	{ "margin", required_argument, NULL, OPT_MARGIN }, \
	{ "estimator", required_argument, NULL, OPT_ESTIMATOR }

/* getopt_long short options of the shared set. */
#define RUN_SHORT_OPTIONS "n:r:w:iN"

/* Shared long options, NULL-terminated; run_options_count() without it. */
extern const struct option run_long_options[];
size_t run_options_count(void);

/*
 * A new getopt_long table: the shared options followed by extra (itself
 * NULL-terminated). The caller frees it.
 */
struct option *run_options_table(const struct option *extra);

/*
 * Applies option opt with argument arg to cfg. Returns 1 when opt was one
 * of the shared options, 0 when it is not, -1 after one error line for a
 * bad value. *seed_given is set when --seed was given.
 */
int run_option_parse(int opt, const char *arg, struct bench_config *cfg,
		     int *seed_given);

/*
 * The option loop of a measuring command: option_next() over table (from
 * run_options_table()) that applies every shared option to cfg itself and
 * returns the next one that is the command's own (or getopt's ':' or '?',
 * for option_error()); -1 after the last option, RUN_OPTION_INVALID after
 * the error line of a bad shared value. The caller resets optind/opterr.
 */
#define RUN_OPTION_INVALID (-2)
int run_options_next(int argc, char **argv, const char *shortopts,
		     const struct option *table, struct bench_config *cfg,
		     int *seed_given);

/* --margin PCT (compare, stat): 0 <= PCT < 100; 0, or -1 after one line. */
int run_margin_parse(const char *arg, double *pct);
/*
 * The last case of a verdict-giving command's option switch: --margin PCT
 * (into *margin_pct) and --estimator NAME (into *e) give 0; a bad value,
 * or an option the command does not know, -1 after one line (argc, argv
 * and command name it as option_error() does).
 */
int run_verdict_option(const char *command, int opt, int argc, char **argv,
		       double *margin_pct, enum estimator *e);

/* A --metric name steady can measure: 0, or -1 after one error line. */
int metric_check(const char *name);
/* Checks between options (--runs vs --min-runs...), and lets an explicit
 * --max-runs lower the default --min-runs: 0 or -1 with a line. */
int run_options_check(struct bench_config *cfg);

/* A seed from the kernel's random source, for runs without --seed. */
uint64_t run_random_seed(void);

/*
 * Sets b's argv (and name, unless set) from the command words: with
 * --shell, the words joined are the script for /bin/sh -c; one word with
 * spaces that names no file is split like a shell would; otherwise the
 * words are the argv. 0, or -1 after one error line.
 */
int run_set_command(struct benchmark *b, int argc, char **argv);

/* The usage lines of the shared options, for --help texts. */
extern const char run_options_usage[];
/* The usage lines of --metric (run and compare). */
extern const char run_metric_usage[];

#endif
