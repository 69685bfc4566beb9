/*
 * counter_stats: see counter_stats.h.
 */
#include "analyse/counter_stats.h"
#include "measure/counters.h"
#include "analyse/stats.h"
#include "lib/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* perf stat's ratios, and CPUs utilised from task-clock. */
static const struct derived_metric derived[] = {
	{ "CPUs utilized", "task-clock", "wall", 1, "" },
	{ "CPUs utilized (cpu-clock)", "cpu-clock", "wall", 1, "" },
	{ "IPC (insn per cycle)", "instructions", "cycles", 1, "" },
	{ "branch-miss rate", "branch-misses", "branches", 100, "%" },
	{ "cache-miss rate", "cache-misses", "cache-references", 100, "%" },
	{ "L1-dcache load-miss rate", "L1-dcache-load-misses", "L1-dcache-loads", 100, "%" },
	{ "L1-icache load-miss rate", "L1-icache-load-misses", "L1-icache-loads", 100, "%" },
	{ "LLC load-miss rate", "LLC-load-misses", "LLC-loads", 100, "%" },
	{ "dTLB load-miss rate", "dTLB-load-misses", "dTLB-loads", 100, "%" },
	{ "iTLB load-miss rate", "iTLB-load-misses", "iTLB-loads", 100, "%" },
	{ "stalled cycles frontend", "stalled-cycles-frontend", "cycles", 100, "%" },
	{ "stalled cycles backend", "stalled-cycles-backend", "cycles", 100, "%" },
};

const struct derived_metric *derived_metrics(size_t *nr)
{
	*nr = sizeof(derived) / sizeof(*derived);
	return derived;
}

void event_stats_from_values(const double *v, size_t n, struct event_stats *out)
{
	struct summary s;

	memset(out, 0, sizeof(*out));
	stats_summarize(v, n, &s);
	out->n = n;
	out->status = n ? COUNTER_COUNTED : COUNTER_NOT_COUNTED;
	out->mean = s.mean;
	out->stddev = s.stddev;
	out->ci_lo = s.mean_ci_lo;
	out->ci_hi = s.mean_ci_hi;
	out->rel_sem_pct = n >= 2 && s.mean != 0 ?
		100.0 * s.stddev / sqrt((double)n) / fabs(s.mean) : NAN;
	out->running_pct = 100.0;
}

void event_stats_compute(const struct benchmark *b, size_t k, struct event_stats *out)
{
	double *v = xcalloc(b->nr_runs ? b->nr_runs : 1, sizeof(*v));
	double running = 0;
	size_t n = 0, statuses[COUNTER_DENIED + 1] = { 0 };
	enum counter_status why = COUNTER_NOT_COUNTED;

	for (size_t i = 0; i < b->nr_runs; i++) {
		const struct run_count *c = &benchmark_run_counts(b, i)[k];

		if (b->runs[i].warmup || b->runs[i].timed_out)
			continue;
		statuses[c->status]++;
		if (c->status != COUNTER_COUNTED)
			continue;
		v[n++] = c->value;
		running += c->running_pct;
	}
	event_stats_from_values(v, n, out);
	free(v);
	if (n) {
		out->running_pct = running / (double)n;
		return;
	}
	/* Nothing counted: say the most telling reason any run gave. */
	if (statuses[COUNTER_DENIED])
		why = COUNTER_DENIED;
	else if (statuses[COUNTER_UNSUPPORTED])
		why = COUNTER_UNSUPPORTED;
	out->status = why;
}

/* 1 when counter names event, whatever its modifiers and spelling. */
static int is_event(const char *counter, const char *event)
{
	char base[128];

	snprintf(base, sizeof(base), "%.*s", (int)strcspn(counter, ":"), counter);
	return event_names_same(base, event);
}

int counter_is_clock(const char *name)
{
	return is_event(name, "task-clock") || is_event(name, "cpu-clock");
}

/* The first count of b that is event (any spelling or modifiers), or -1. */
static int find_event(const struct benchmark *b, const char *event)
{
	for (size_t k = 0; k < b->nr_counters; k++)
		if (is_event(b->counters[k], event))
			return (int)k;
	return -1;
}

double *derived_values(const struct benchmark *b, const struct derived_metric *d, size_t *n)
{
	int num = find_event(b, d->num);
	int den = strcmp(d->den, "wall") ? find_event(b, d->den) : -2;
	double *v;
	size_t m = 0;

	*n = 0;
	if (num < 0 || den == -1)
		return NULL;
	v = xcalloc(b->nr_runs ? b->nr_runs : 1, sizeof(*v));
	for (size_t i = 0; i < b->nr_runs; i++) {
		const struct run_count *c = benchmark_run_counts(b, i);
		double top, bottom;

		if (b->runs[i].warmup || b->runs[i].timed_out ||
		    c[num].status != COUNTER_COUNTED)
			continue;
		if (den >= 0) {
			if (c[den].status != COUNTER_COUNTED)
				continue;
			bottom = c[den].value;
		} else {
			bottom = (double)b->runs[i].wall_ns;
		}
		if (bottom <= 0)
			continue;
		top = c[num].value;
		v[m++] = d->scale * top / bottom;
	}
	if (!m) {
		free(v);
		return NULL;
	}
	*n = m;
	return v;
}
