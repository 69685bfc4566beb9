/*
 * run_options: the options every measuring command shares (`run`,
 * `compare`, `stat`, `layout`): run counts, warm-up, prepare/setup/cleanup,
 * timeout, CPUs, failure handling, shell, output, randomisation, --color,
 * --version and --help. One table (with its --help text, lib/optdoc.h) and
 * one parser so the commands cannot drift apart; each command adds its own
 * options.
 */
#ifndef STEADY_RUN_OPTIONS_H
#define STEADY_RUN_OPTIONS_H

#include <getopt.h>
#include <stdint.h>
#include "lib/optdoc.h"
#include "analyse/estimators.h"
#include "measure/benchmark.h"

enum {
	OPT_MIN_RUNS = 256, OPT_MAX_RUNS, OPT_MAX_TIME, OPT_PREPARE, OPT_SETUP,
	OPT_CLEANUP, OPT_TIMEOUT, OPT_CPU, OPT_SHELL, OPT_SHOW_OUTPUT,
	OPT_NO_RANDOMIZE, OPT_NO_ASLR, OPT_SEED, OPT_METRIC,
	OPT_MARGIN, OPT_ESTIMATOR,   /* the verdict options: run_verdict_option() */
	OPT_SAVE, OPT_DB, OPT_REV,   /* run_save_docs */
	OPT_COMMAND_BASE = 512   /* a command's own long options start here */
};

/*
 * The verdict options of a command that gives verdicts (compare, stat --vs,
 * layout), for its option_doc table; each words its own help.
 */
#define RUN_VERDICT_OPTIONS(margin_help, estimator_help) \
	OPTDOC(NULL, "margin", OPT_MARGIN, "PCT", margin_help), \
	OPTDOC(NULL, "estimator", OPT_ESTIMATOR, "E", estimator_help)

/*
 * The shared options with their help (lib/optdoc.h), headings included,
 * --color, --version and --help last; a command puts
 * OPTDOC_INCLUDE(run_option_docs) in its own table. run_metric_docs is
 * --metric under its heading (run, compare, layout).
 */
extern const struct option_doc run_option_docs[];
extern const struct option_doc run_metric_docs[];
/*
 * --save, --db and --rev under their heading (run, compare, stat, layout,
 * sweep): run_option_parse() applies them, run_options_check() finds the
 * revision and opens the store once (so a bad one fails before measuring),
 * run_history_save() records.
 */
extern const struct option_doc run_save_docs[];

/*
 * Applies option opt with argument arg to cfg. Returns 1 when opt was one
 * of the shared options, 0 when it is not, -1 after one error line for a
 * bad value. *seed_given is set when --seed was given.
 */
int run_option_parse(int opt, const char *arg, struct bench_config *cfg,
		     int *seed_given);

/*
 * The option loop of a measuring command: option_next() over a table (the
 * option_table of the command's docs, run_option_docs included) that
 * applies every shared option to cfg itself and returns the next one that
 * is the command's own (or getopt's ':' or '?', for option_error()); -1 after the last option, RUN_OPTION_INVALID after
 * the error line of a bad shared value. The caller resets optind/opterr.
 */
#define RUN_OPTION_INVALID (-2)
int run_options_next(int argc, char **argv, const char *shortopts,
		     const struct option *table, struct bench_config *cfg,
		     int *seed_given);

/* A measuring command's --help: its prose around the options of its table. */
struct command_help {
	const char *name;                 /* "run": for error lines */
	const char *head;                 /* usage lines and description */
	const struct option_doc *docs;    /* the option table --help prints */
	const char *tail;                 /* exit codes */
};

enum run_common_result {
	RUN_COMMON_GO_ON,         /* applied: parse on */
	RUN_COMMON_DONE,          /* --help or --version printed: exit 0 */
	RUN_COMMON_ERROR          /* one error line printed: exit 2 */
};

/*
 * The default case of every measuring command's option switch, the cases
 * they have alike: -o FILE and --json (output_option() into *output),
 * --version, --help printed from help, and for a command that gives
 * verdicts (margin_pct and e not NULL) --margin and --estimator; anything
 * else is one error line naming the option.
 */
enum run_common_result run_common_option(int opt, const char *arg, int argc, char **argv,
					 const char **output, const struct command_help *help,
					 double *margin_pct, enum estimator *e);

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
 * --max-runs lower the default --min-runs: 0 or -1 with a line. With
 * --save, also the revision (--rev, or git's) and the store: it is opened
 * (made, or migrated) now, so that a bad one costs no measuring. */
int run_options_check(struct bench_config *cfg);

/*
 * --save: records r (stamped first if it is not yet) in the history store
 * as cfg says, for `steady command` (its name, e.g. "run"); says on stderr
 * how many benchmarks were saved where. Nothing without --save.
 * 0, or -1 after one error line.
 */
struct results;
int run_history_save(struct results *r, const struct bench_config *cfg, const char *command);

/* A seed from the kernel's random source, for runs without --seed. */
uint64_t run_random_seed(void);

/*
 * Sets b's argv (and name, unless set) from the command words: with
 * --shell, the words joined are the script for /bin/sh -c; one word with
 * spaces that names no file is split like a shell would; otherwise the
 * words are the argv. 0, or -1 after one error line.
 */
int run_set_command(struct benchmark *b, int argc, char **argv);

#endif
