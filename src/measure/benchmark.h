/*
 * benchmark: the data model of one benchmark — what was asked (config), what
 * was measured (one run_sample per run, warm-ups included) and how it ended.
 *
 * Ownership: a struct benchmark owns every string and array it points to;
 * benchmark_release() frees them all and leaves the struct re-initialised.
 * Readers (results.c) and the measuring loop (bench.c) fill the same struct,
 * so a benchmark read back from JSON is indistinguishable from a live one.
 */
#ifndef STEADY_BENCHMARK_H
#define STEADY_BENCHMARK_H

#include <stddef.h>
#include <stdint.h>

/* Everything measured about one run of the command, from its own wait4(). */
struct run_sample {
	int64_t wall_ns;        /* CLOCK_MONOTONIC around spawn..wait */
	int64_t user_ns;
	int64_t sys_ns;
	int64_t max_rss_kib;
	int64_t minor_faults;
	int64_t major_faults;
	int64_t vol_ctx_switches;
	int64_t invol_ctx_switches;
	int64_t seq;            /* place in the measuring loop's order, over every
				 * benchmark measured with it (0, 1, ...); -1 unknown */
	/*
	 * The rest narrow, so that a run costs 80 bytes (bench/memory): a
	 * million runs are 80 MB. results.c reads and writes members by size.
	 */
	int16_t exit_code;      /* 0-255, -1 after a signal; see signal, timed_out */
	int16_t env_pad;        /* bytes of environment padding, -1 when off */
	unsigned char signal;   /* terminating signal, 0 if it exited */
	unsigned char timed_out; /* killed by --timeout (signal is then SIGKILL) */
	unsigned char warmup;   /* warm-up runs are kept but not analysed */
	/*
	 * It stopped itself (SIGSTOP, SIGTSTP, ...) and steady killed it
	 * rather than wait forever; signal then holds the stop signal. Not
	 * saved: a file read back says "killed by signal 19".
	 */
	unsigned char stopped;
};

/*
 * Per-run counts beside the rusage figures: perf_event_open counters
 * (counters.c) or the instruction count under Cachegrind ("valgrind-ir").
 */
enum counter_status {
	COUNTER_COUNTED,	/* value is valid */
	COUNTER_NOT_COUNTED,	/* opened but never ran: perf's <not counted> */
	COUNTER_UNSUPPORTED,	/* cannot be opened here: <not supported> */
	COUNTER_DENIED		/* EACCES/EPERM (perf_event_paranoid) */
};

struct run_count {
	enum counter_status status;
	double value;		/* scaled for multiplexing; 0 unless COUNTED */
	double running_pct;	/* share of the run the counter was on the PMU */
};

/* "counted", "not counted", "not supported", "denied", and back (0 or -1). */
const char *counter_status_name(enum counter_status s);
int counter_status_parse(const char *s, enum counter_status *out);

/* 1 when the run counts as failed (non-zero exit, signal or timeout). */
int run_failed(const struct run_sample *r);

/* How a benchmark was asked to run; strings are owned by the config. */
struct bench_config {
	unsigned long runs;      /* exact run count, 0 = adaptive */
	unsigned long warmup;
	unsigned long min_runs;
	int min_runs_given;      /* --min-runs was on the command line (not saved) */
	unsigned long max_runs;  /* 0 = no limit */
	double max_time;         /* seconds of measuring for adaptive mode */
	char *prepare;           /* command strings, NULL when not given */
	char *setup;
	char *cleanup;
	double timeout;          /* seconds per run, 0 = none */
	char *cpus;              /* --cpu LIST as given, NULL when not pinned */
	int ignore_failure;
	int shell;               /* command run through /bin/sh -c */
	int show_output;
	int randomize;           /* environment padding per run */
	/*
	 * -1, or the padding every run of this benchmark gets (bytes, needs
	 * randomize on in the loop's first benchmark): the variants of
	 * `steady layout --perturb env`. Not saved; the runs' env_pad is.
	 */
	int fixed_env_pad;
	int aslr;                /* 0 with --no-aslr */
	uint64_t seed;           /* seed of the randomisation */
	char *events;            /* perf events counted per run (-e), NULL = none */
	char *metric;            /* --metric: what is analysed, NULL = wall time */
	/*
	 * --save, --db, --rev (measure/run_options.h; not saved in results):
	 * record the results in the history store (store/history.h) at db
	 * (NULL the default) as revision save_rev, save_dirty when the git
	 * work tree had changes. run_options_check() finds the revision.
	 */
	int save;
	char *save_db;
	char *save_rev;
	int save_dirty;
};

enum stop_reason {
	STOP_COMPLETED,   /* ran all the runs asked for */
	STOP_INTERRUPTED, /* SIGINT, SIGTERM, SIGHUP or SIGQUIT */
	STOP_FAILED       /* a run failed and failures were not ignored */
};
const char *stop_reason_name(enum stop_reason r);
int stop_reason_parse(const char *s, enum stop_reason *out);
/*
 * The exit code of a command whose measuring ended so (README, "Exit
 * codes"): EXIT_OK, EXIT_INTERRUPTED (130) or EXIT_FAILED. The one place
 * run, compare and stat turn a stop reason into a code.
 */
int stop_reason_exit_code(enum stop_reason r);

struct benchmark {
	char *name;              /* defaults to the command line joined by spaces */
	char **argv;             /* NULL-terminated; with shell, argv[0] is the script */
	size_t argc;
	struct bench_config config;
	struct run_sample *runs;
	size_t nr_runs, alloc_runs;
	enum stop_reason stop;
	/*
	 * steady's own peak RSS when it spawned the runs. Linux starts a
	 * child's max RSS from the memory of the process that called exec, so
	 * no run can report less: the floor of max_rss_kib. 0 when unknown.
	 */
	int64_t harness_max_rss_kib;
	/*
	 * Times (seconds) imported from another tool's file, which has no
	 * run_sample detail; NULL for steady's own measurements.
	 */
	double *imported;
	size_t nr_imported, alloc_imported;
	/*
	 * What imported holds: METRIC_WALL, times in seconds (0, the
	 * default), or METRIC_MAXRSS, peak memory in KiB (pyperf
	 * --track-memory).
	 */
	int imported_metric;
	/*
	 * Names of the per-run counts (events as given, "valgrind-ir"), and
	 * nr_runs rows of nr_counters counts: counts[run * nr_counters + k].
	 */
	char **counters;
	size_t nr_counters;
	struct run_count *counts;
	size_t alloc_counts;
	char **warnings;         /* human-readable, stored with the results */
	size_t nr_warnings, alloc_warnings;
};

void bench_config_init(struct bench_config *c);
void bench_config_release(struct bench_config *c);
/* dst (released first) becomes a deep copy of src. */
void bench_config_copy(struct bench_config *dst, const struct bench_config *src);

void benchmark_init(struct benchmark *b);
void benchmark_release(struct benchmark *b);
void benchmark_set_argv(struct benchmark *b, char *const *argv, size_t argc);
/* Two benchmarks of one command (an A/A run) are named "A: ..." and "B: ...". */
void benchmark_names_apart(struct benchmark *a, struct benchmark *b);
/* Sets the names of the per-run counts; only before the first run. */
void benchmark_set_counters(struct benchmark *b, char *const *names, size_t nr);
/* Room for n runs in all (and their counts), allocated at once. */
void benchmark_reserve_runs(struct benchmark *b, size_t n);
/* counts: nr_counters entries for this run, or NULL (none, or all NOT_COUNTED). */
void benchmark_add_run(struct benchmark *b, const struct run_sample *r,
		       const struct run_count *counts);
/* Index of a count by name, or -1. */
int benchmark_counter_index(const struct benchmark *b, const char *name);
/* The counts of one run (nr_counters of them). */
const struct run_count *benchmark_run_counts(const struct benchmark *b, size_t run);
void benchmark_add_imported(struct benchmark *b, double seconds);
/*
 * 1 when b has a measured run: one neither warm-up nor timed out, which
 * gives a value to analyse (imported times are not runs: 0 for them).
 */
int benchmark_has_measured_run(const struct benchmark *b);
/*
 * 1 when one of bs[0..n-1] has no measured run yet: the stopping rules
 * (bench_enough_runs(), sequential.c) end an adaptive loop there once
 * --min-runs rounds are done, since more would only time out again.
 */
int benchmarks_one_unmeasured(struct benchmark *const *bs, size_t n);
/*
 * run and stat, after measuring: -1 after one error line naming b when
 * its measuring completed (under -i) with no measured run, every one
 * having timed out, else 0. "no measured runs" alone would read as a
 * result; the caller exits 1, as for a failed run. An interrupt or a
 * failed run has said its own line, and gives 0 here.
 */
int benchmark_check_measured(const struct benchmark *b);
void benchmark_add_warning(struct benchmark *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The measured (non-warm-up) runs' values of one metric, in seconds for
 * times, as a newly allocated array the caller frees; *n gets the count.
 * Timed-out runs are left out: their time is censored at the timeout.
 * A benchmark imported from another tool gives its imported times for
 * METRIC_WALL (and no values for the other metrics).
 */
enum metric { METRIC_WALL, METRIC_USER, METRIC_SYS, METRIC_CPU, METRIC_MAXRSS };
double *benchmark_values(const struct benchmark *b, enum metric m, size_t *n);
/* The same for count k: only runs where it was counted. */
double *benchmark_count_values(const struct benchmark *b, size_t k, size_t *n);

/*
 * --metric NAME: "wall" (the default, also for NULL), "cpu", "user", "sys",
 * "maxrss", "valgrind-ir", or a perf event name. metric_builtin() maps the
 * rusage names to their enum (1) or says the name is a count (0).
 */
#define METRIC_VALGRIND_IR "valgrind-ir"
int metric_builtin(const char *name, enum metric *out);
/* What the metric's values are: VALUE_SECONDS (wall, cpu, user, sys),
 * VALUE_KIB (maxrss) or VALUE_COUNT (events, valgrind-ir); see units.h. */
int metric_unit(const char *name);
/* "wall time", "cpu time", "max RSS", or the count's name. */
const char *metric_label(const char *name);
/*
 * The measured values of b's metric name; NULL after one error line when
 * b has no such values (a count that was not recorded: the message says
 * how to record it).
 */
double *benchmark_metric_values(const struct benchmark *b, const char *name, size_t *n);

#endif
