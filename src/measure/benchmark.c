/*
 * benchmark: see benchmark.h for the ownership rules.
 */
#include "measure/benchmark.h"
#include "measure/counters.h"
#include "lib/units.h"
#include "lib/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The budget of bench/memory: under 100 bytes of memory a measured run. */
_Static_assert(sizeof(struct run_sample) <= 80, "a run must stay within 80 bytes");

int run_failed(const struct run_sample *r)
{
	return r->timed_out || r->signal || r->exit_code;
}

static const char *const stop_names[] = {
	[STOP_COMPLETED] = "completed",
	[STOP_INTERRUPTED] = "interrupted",
	[STOP_FAILED] = "failed",
};

const char *stop_reason_name(enum stop_reason r)
{
	return stop_names[r];
}

int stop_reason_parse(const char *s, enum stop_reason *out)
{
	for (size_t i = 0; i < sizeof(stop_names) / sizeof(*stop_names); i++) {
		if (!strcmp(s, stop_names[i])) {
			*out = (enum stop_reason)i;
			return 0;
		}
	}
	return -1;
}

int stop_reason_exit_code(enum stop_reason r)
{
	switch (r) {
	case STOP_COMPLETED:
		return EXIT_OK;
	case STOP_INTERRUPTED:
		return EXIT_INTERRUPTED;
	case STOP_FAILED:
		break;
	}
	/* A failed run, or a reason this switch does not know yet: not OK. */
	return EXIT_FAILED;
}

void bench_config_init(struct bench_config *c)
{
	memset(c, 0, sizeof(*c));
	c->min_runs = 10;
	c->max_time = 3.0;
	c->randomize = 1;
	c->aslr = 1;
	c->fixed_env_pad = -1;
}

void bench_config_release(struct bench_config *c)
{
	free(c->prepare);
	free(c->setup);
	free(c->cleanup);
	free(c->cpus);
	free(c->events);
	free(c->metric);
	free(c->save_db);
	free(c->save_rev);
	bench_config_init(c);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void bench_config_copy(struct bench_config *dst, const struct bench_config *src)
{
	bench_config_release(dst);
	*dst = *src;
	dst->prepare = dup_or_null(src->prepare);
	dst->setup = dup_or_null(src->setup);
	dst->cleanup = dup_or_null(src->cleanup);
	dst->cpus = dup_or_null(src->cpus);
	dst->events = dup_or_null(src->events);
	dst->metric = dup_or_null(src->metric);
	dst->save_db = dup_or_null(src->save_db);
	dst->save_rev = dup_or_null(src->save_rev);
}

void benchmark_init(struct benchmark *b)
{
	memset(b, 0, sizeof(*b));
	bench_config_init(&b->config);
	b->stop = STOP_COMPLETED;
}

void benchmark_release(struct benchmark *b)
{
	free(b->name);
	for (size_t i = 0; i < b->argc; i++)
		free(b->argv[i]);
	free(b->argv);
	free(b->runs);
	free(b->imported);
	for (size_t i = 0; i < b->nr_counters; i++)
		free(b->counters[i]);
	free(b->counters);
	free(b->counts);
	for (size_t i = 0; i < b->nr_warnings; i++)
		free(b->warnings[i]);
	free(b->warnings);
	bench_config_release(&b->config);
	benchmark_init(b);
}

void benchmark_set_argv(struct benchmark *b, char *const *argv, size_t argc)
{
	for (size_t i = 0; i < b->argc; i++)
		free(b->argv[i]);
	free(b->argv);
	b->argv = xcalloc(argc + 1, sizeof(*b->argv));
	for (size_t i = 0; i < argc; i++)
		b->argv[i] = xstrdup(argv[i]);
	b->argc = argc;
}

static const char *const counter_status_names[] = {
	[COUNTER_COUNTED] = "counted",
	[COUNTER_NOT_COUNTED] = "not counted",
	[COUNTER_UNSUPPORTED] = "not supported",
	[COUNTER_DENIED] = "denied",
};

const char *counter_status_name(enum counter_status s)
{
	return counter_status_names[s];
}

int counter_status_parse(const char *s, enum counter_status *out)
{
	for (size_t i = 0; i < sizeof(counter_status_names) / sizeof(*counter_status_names); i++) {
		if (!strcmp(s, counter_status_names[i])) {
			*out = (enum counter_status)i;
			return 0;
		}
	}
	return -1;
}

void benchmark_set_counters(struct benchmark *b, char *const *names, size_t nr)
{
	for (size_t i = 0; i < b->nr_counters; i++)
		free(b->counters[i]);
	free(b->counters);
	b->counters = nr ? xcalloc(nr, sizeof(*b->counters)) : NULL;
	for (size_t i = 0; i < nr; i++)
		b->counters[i] = xstrdup(names[i]);
	b->nr_counters = nr;
}

void benchmark_reserve_runs(struct benchmark *b, size_t n)
{
	if (n <= b->alloc_runs)
		return;
	b->runs = xrealloc(b->runs, n * sizeof(*b->runs));
	b->alloc_runs = n;
	if (b->nr_counters && n * b->nr_counters > b->alloc_counts) {
		b->counts = xrealloc(b->counts, n * b->nr_counters * sizeof(*b->counts));
		b->alloc_counts = n * b->nr_counters;
	}
}

void benchmark_add_run(struct benchmark *b, const struct run_sample *r,
		       const struct run_count *counts)
{
	ALLOC_GROW(b->runs, b->nr_runs + 1, b->alloc_runs);
	b->runs[b->nr_runs] = *r;
	if (b->nr_counters) {
		struct run_count *row;

		ALLOC_GROW(b->counts, (b->nr_runs + 1) * b->nr_counters, b->alloc_counts);
		row = &b->counts[b->nr_runs * b->nr_counters];
		for (size_t k = 0; k < b->nr_counters; k++) {
			if (counts) {
				row[k] = counts[k];
			} else {
				memset(&row[k], 0, sizeof(row[k]));
				row[k].status = COUNTER_NOT_COUNTED;
			}
		}
	}
	b->nr_runs++;
}

int benchmark_counter_index(const struct benchmark *b, const char *name)
{
	for (size_t k = 0; k < b->nr_counters; k++)
		if (!strcmp(b->counters[k], name))
			return (int)k;
	/* Another spelling of the same event: "faults", "TASK-CLOCK". */
	for (size_t k = 0; k < b->nr_counters; k++)
		if (event_names_same(b->counters[k], name))
			return (int)k;
	return -1;
}

const struct run_count *benchmark_run_counts(const struct benchmark *b, size_t run)
{
	return &b->counts[run * b->nr_counters];
}

void benchmark_names_apart(struct benchmark *a, struct benchmark *b)
{
	char *na, *nb;

	if (strcmp(a->name, b->name))
		return;
	na = xasprintf("A: %s", a->name);
	nb = xasprintf("B: %s", b->name);
	free(a->name);
	free(b->name);
	a->name = na;
	b->name = nb;
}

int benchmark_has_measured_run(const struct benchmark *b)
{
	for (size_t i = 0; i < b->nr_runs; i++)
		if (!b->runs[i].warmup && !b->runs[i].timed_out)
			return 1;
	return 0;
}

int benchmarks_one_unmeasured(struct benchmark *const *bs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!benchmark_has_measured_run(bs[i]))
			return 1;
	return 0;
}

int benchmark_check_measured(const struct benchmark *b)
{
	size_t timed_out = 0;

	if (b->stop != STOP_COMPLETED || !b->nr_runs || benchmark_has_measured_run(b))
		return 0;
	for (size_t i = 0; i < b->nr_runs; i++)
		timed_out += !b->runs[i].warmup;
	if (!timed_out)
		return 0;
	return error("no measured runs of '%s': %s%zu run%s timed out (--timeout %g s), nothing to analyse",
		     b->name, timed_out == 1 ? "its " : "all its ", timed_out,
		     timed_out == 1 ? "" : "s", b->config.timeout);
}

void benchmark_add_imported(struct benchmark *b, double seconds)
{
	ALLOC_GROW(b->imported, b->nr_imported + 1, b->alloc_imported);
	b->imported[b->nr_imported++] = seconds;
}

void benchmark_add_warning(struct benchmark *b, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	ALLOC_GROW(b->warnings, b->nr_warnings + 1, b->alloc_warnings);
	b->warnings[b->nr_warnings++] = msg;
}

static double metric_value(const struct run_sample *r, enum metric m)
{
	switch (m) {
	case METRIC_WALL:
		return r->wall_ns / 1e9;
	case METRIC_USER:
		return r->user_ns / 1e9;
	case METRIC_SYS:
		return r->sys_ns / 1e9;
	case METRIC_CPU:
		return (r->user_ns + r->sys_ns) / 1e9;
	case METRIC_MAXRSS:
		return (double)r->max_rss_kib;
	}
	return NAN;
}

double *benchmark_values(const struct benchmark *b, enum metric m, size_t *n)
{
	double *v;
	size_t k = 0;

	if (!b->nr_runs && b->nr_imported) {
		v = xcalloc(b->nr_imported, sizeof(*v));
		if ((int)m == b->imported_metric) {
			memcpy(v, b->imported, b->nr_imported * sizeof(*v));
			k = b->nr_imported;
		}
		*n = k;
		return v;
	}
	v = xcalloc(b->nr_runs, sizeof(*v));

	for (size_t i = 0; i < b->nr_runs; i++) {
		const struct run_sample *r = &b->runs[i];

		if (r->warmup || r->timed_out)
			continue;
		v[k++] = metric_value(r, m);
	}
	*n = k;
	return v;
}

double *benchmark_count_values(const struct benchmark *b, size_t k, size_t *n)
{
	double *v = xcalloc(b->nr_runs ? b->nr_runs : 1, sizeof(*v));
	size_t m = 0;

	for (size_t i = 0; i < b->nr_runs && k < b->nr_counters; i++) {
		const struct run_sample *r = &b->runs[i];
		const struct run_count *c = &benchmark_run_counts(b, i)[k];

		if (r->warmup || r->timed_out || c->status != COUNTER_COUNTED)
			continue;
		v[m++] = c->value;
	}
	*n = m;
	return v;
}

static const struct {
	const char *name, *label;
	enum metric m;
} builtin_metrics[] = {
	{ "wall", "wall time", METRIC_WALL },
	{ "cpu", "cpu time", METRIC_CPU },
	{ "user", "user time", METRIC_USER },
	{ "sys", "sys time", METRIC_SYS },
	{ "maxrss", "max RSS", METRIC_MAXRSS },
};

int metric_builtin(const char *name, enum metric *out)
{
	if (!name) {
		*out = METRIC_WALL;
		return 1;
	}
	for (size_t i = 0; i < sizeof(builtin_metrics) / sizeof(*builtin_metrics); i++) {
		if (!strcmp(name, builtin_metrics[i].name)) {
			*out = builtin_metrics[i].m;
			return 1;
		}
	}
	return 0;
}

int metric_unit(const char *name)
{
	enum metric m;

	if (!metric_builtin(name, &m))
		return VALUE_COUNT;
	return m == METRIC_MAXRSS ? VALUE_KIB : VALUE_SECONDS;
}

const char *metric_label(const char *name)
{
	if (!name)
		return builtin_metrics[0].label;
	for (size_t i = 0; i < sizeof(builtin_metrics) / sizeof(*builtin_metrics); i++)
		if (!strcmp(name, builtin_metrics[i].name))
			return builtin_metrics[i].label;
	return name;
}

double *benchmark_metric_values(const struct benchmark *b, const char *name, size_t *n)
{
	enum metric m;
	int k;

	if (metric_builtin(name, &m)) {
		/* Another tool's file has one figure per run: times, or memory. */
		if ((int)m != b->imported_metric && !b->nr_runs && b->nr_imported) {
			*n = 0;
			if (b->imported_metric == METRIC_MAXRSS)
				error("'%s' was imported from another tool, which recorded peak memory only, not %s (use --metric maxrss)",
				      b->name, metric_label(name));
			else
				error("'%s' was imported from another tool, which recorded wall times only, not %s",
				      b->name, metric_label(name));
			return NULL;
		}
		return benchmark_values(b, m, n);
	}
	k = benchmark_counter_index(b, name);
	if (k < 0) {
		*n = 0;
		if (!strcmp(name, METRIC_VALGRIND_IR))
			error("'%s' has no counts of valgrind-ir (measure it with --metric valgrind-ir)",
			      b->name);
		else
			error("'%s' has no counts of '%s' (measure it with --metric %s or steady stat -e %s)",
			      b->name, name, name, name);
		return NULL;
	}
	return benchmark_count_values(b, (size_t)k, n);
}
