/*
 * benchmark: see benchmark.h for the ownership rules.
 */
#include "benchmark.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void bench_config_init(struct bench_config *c)
{
	memset(c, 0, sizeof(*c));
	c->min_runs = 10;
	c->max_time = 3.0;
	c->randomize = 1;
	c->aslr = 1;
}

void bench_config_release(struct bench_config *c)
{
	free(c->prepare);
	free(c->setup);
	free(c->cleanup);
	free(c->cpus);
	bench_config_init(c);
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

void benchmark_add_run(struct benchmark *b, const struct run_sample *r)
{
	ALLOC_GROW(b->runs, b->nr_runs + 1, b->alloc_runs);
	b->runs[b->nr_runs++] = *r;
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
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup("(warning lost: out of memory)");
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
		if (m == METRIC_WALL) {
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
