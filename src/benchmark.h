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
	int exit_code;          /* meaningful when signal == 0 and !timed_out */
	int signal;             /* terminating signal, 0 if it exited */
	int timed_out;          /* killed by --timeout (signal is then SIGKILL) */
	int env_pad;            /* bytes of environment padding, -1 when off */
	int warmup;             /* warm-up runs are kept but not analysed */
};

/* 1 when the run counts as failed (non-zero exit, signal or timeout). */
int run_failed(const struct run_sample *r);

/* How a benchmark was asked to run; strings are owned by the config. */
struct bench_config {
	unsigned long runs;      /* exact run count, 0 = adaptive */
	unsigned long warmup;
	unsigned long min_runs;
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
	int aslr;                /* 0 with --no-aslr */
	uint64_t seed;           /* seed of the randomisation */
};

enum stop_reason {
	STOP_COMPLETED,   /* ran all the runs asked for */
	STOP_INTERRUPTED, /* SIGINT or SIGTERM */
	STOP_FAILED       /* a run failed and failures were not ignored */
};
const char *stop_reason_name(enum stop_reason r);
int stop_reason_parse(const char *s, enum stop_reason *out);

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
	char **warnings;         /* human-readable, stored with the results */
	size_t nr_warnings, alloc_warnings;
};

void bench_config_init(struct bench_config *c);
void bench_config_release(struct bench_config *c);

void benchmark_init(struct benchmark *b);
void benchmark_release(struct benchmark *b);
void benchmark_set_argv(struct benchmark *b, char *const *argv, size_t argc);
void benchmark_add_run(struct benchmark *b, const struct run_sample *r);
void benchmark_add_imported(struct benchmark *b, double seconds);
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

#endif
