/*
 * bench: see bench.h. The order of one measured iteration is
 *     [prepare] -> choose padding -> spawner_run (the timed window) -> record
 * and nothing between the clock reads but posix_spawn and the wait for the
 * exit (see spawn.h). Runs that
 * count events or instructions (counting_init) go through the blocked fork
 * path of spawn.c or under Cachegrind; their counts are recorded per run.
 */
#include "measure/bench.h"
#include "measure/counters.h"
#include "measure/spawn.h"
#include "lib/util.h"
#include "measure/valgrind_ir.h"
#include "lib/words.h"

#include <errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <unistd.h>

/* Runs allocated up front for -n (see bench_execute_rounds). */
#define RESERVE_MAX ((size_t)1 << 20)

extern char **environ;

/* A command ready to spawn: resolved path plus argv. */
struct command {
	char *path;
	char **argv;
	const char *what;  /* "--prepare" etc., for messages */
	const char *text;  /* the command as the user wrote it */
};

static void command_release(struct command *c)
{
	free(c->path);
	words_free(c->argv);
	c->path = NULL;
	c->argv = NULL;
}

static char **shell_argv(const char *script)
{
	char **argv = xcalloc(4, sizeof(*argv));

	argv[0] = xstrdup("/bin/sh");
	argv[1] = xstrdup("-c");
	argv[2] = xstrdup(script);
	return argv;
}

/* Turns an option's command string into a runnable command, or -1. */
static int command_from_string(struct command *c, const char *what,
			       const char *s, int shell)
{
	size_t argc;

	c->what = what;
	c->text = s;
	c->path = NULL;
	c->argv = NULL;
	if (shell)
		c->argv = shell_argv(s);
	else if (words_split(s, &c->argv, &argc))
		return -1;
	c->path = spawn_resolve(c->argv[0]);
	if (!c->path) {
		command_release(c);
		return -1;
	}
	return 0;
}

/*
 * The child's environment: ours plus one padding variable whose length
 * changes per run. The padding buffer is built once; a run only moves its
 * terminating NUL, so choosing a layout costs nothing measurable.
 */
struct padded_env {
	char **envp;
	char *pad;   /* "STEADY_PAD=xxxx...", ENV_PAD_MAX x's */
	size_t pad_prefix;
	int enabled;
	gsl_rng *rng;
};

static void padded_env_init(struct padded_env *e, int enabled, uint64_t seed)
{
	size_t n = 0, k = 0;

	for (char **p = environ; *p; p++)
		n++;
	e->envp = xcalloc(n + 2, sizeof(*e->envp));
	for (char **p = environ; *p; p++)
		if (strncmp(*p, ENV_PAD_VAR "=", sizeof(ENV_PAD_VAR)))
			e->envp[k++] = *p;
	e->pad_prefix = sizeof(ENV_PAD_VAR);
	e->pad = xmalloc(e->pad_prefix + ENV_PAD_MAX + 1);
	memcpy(e->pad, ENV_PAD_VAR "=", e->pad_prefix);
	memset(e->pad + e->pad_prefix, 'x', ENV_PAD_MAX);
	e->pad[e->pad_prefix + ENV_PAD_MAX] = '\0';
	e->enabled = enabled;
	if (enabled)
		e->envp[k++] = e->pad;
	e->envp[k] = NULL;
	e->rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(e->rng, (unsigned long)seed);
}

/* Picks this run's padding (0..ENV_PAD_MAX bytes); -1 when disabled. */
static int padded_env_next(struct padded_env *e, int previous)
{
	int len;

	if (!e->enabled)
		return -1;
	if (previous >= 0)
		e->pad[e->pad_prefix + previous] = 'x';
	len = (int)gsl_rng_uniform_int(e->rng, ENV_PAD_MAX + 1);
	e->pad[e->pad_prefix + len] = '\0';
	return len;
}

/* Sets a given padding (a layout variant's); -1 when padding is off. */
static int padded_env_fixed(struct padded_env *e, int previous, int len)
{
	if (!e->enabled)
		return -1;
	if (previous >= 0)
		e->pad[e->pad_prefix + previous] = 'x';
	if (len > ENV_PAD_MAX)
		len = ENV_PAD_MAX;
	e->pad[e->pad_prefix + len] = '\0';
	return len;
}

static void padded_env_release(struct padded_env *e)
{
	free(e->envp);
	free(e->pad);
	gsl_rng_free(e->rng);
}

/* Runs an unmeasured helper command (setup, prepare, cleanup). */
static enum spawn_result run_auxiliary(struct spawner *sp, const struct command *c)
{
	struct run_sample r;
	enum spawn_result res;

	double timeout = sp->timeout;

	if (spawn_interrupted())
		return SPAWN_INTERRUPTED;
	/* --timeout is per measured run; set-up steps take what they take. */
	sp->timeout = 0;
	res = spawner_run(sp, c->path, c->argv, environ, &r);
	sp->timeout = timeout;
	if (res != SPAWN_OK)
		return res;
	if (run_failed(&r)) {
		error("%s command '%s' %s", c->what, c->text, spawn_describe_status(&r));
		return SPAWN_ERROR;
	}
	return SPAWN_OK;
}

static int apply_process_settings(const struct bench_config *cfg)
{
	if (cfg->cpus) {
		cpu_set_t set;

		if (parse_cpu_list(cfg->cpus, &set))
			return error("invalid CPU list '%s' (expected e.g. 0, 0,2 or 0-3)", cfg->cpus);
		if (sched_setaffinity(0, sizeof(set), &set))
			return error("cannot pin to CPUs '%s': %s", cfg->cpus,
				     errno == EINVAL ? "no such CPU online" : strerror(errno));
		/* The kernel keeps the online part of a list silently: say which is not. */
		{
			cpu_set_t got;

			if (!sched_getaffinity(0, sizeof(got), &got) && !CPU_EQUAL(&got, &set))
				for (int c = 0; c < CPU_SETSIZE; c++)
					if (CPU_ISSET(c, &set) && !CPU_ISSET(c, &got))
						return error("cannot pin to CPUs '%s': CPU %d is not online (or not allowed)",
							     cfg->cpus, c);
		}
	}
	if (!cfg->aslr) {
		int current = personality(0xffffffff);

		if (current == -1 || personality((unsigned long)current | ADDR_NO_RANDOMIZE) == -1)
			return error("cannot disable ASLR: %s", strerror(errno));
	}
	return 0;
}

/*
 * What a measuring loop holds for its whole life: one spawner, one padding
 * stream, the auxiliary commands, and per benchmark its resolved program.
 */
struct loop_state {
	struct spawner spawner;
	struct padded_env env;
	struct command prepare, setup, cleanup;
	struct command *mains;   /* one per benchmark */
	size_t nr;
	int pad;
	gsl_rng *order;          /* the order of benchmarks within a round */
	/* What each run counts besides rusage (see counting_init). */
	struct event_list events;
	struct counter_reading *readings; /* one per event */
	int ir_on;               /* --metric valgrind-ir */
	struct ir_meter ir;
	struct run_count *counts; /* the counts of one run: events, then Ir */
	size_t nr_counts;
	int64_t seq;             /* runs spawned so far, over all benchmarks */
	size_t *perm;            /* the order of one round, n entries */
	int spawn_failed;        /* a main command could not be started at all */
};

static void loop_state_release(struct loop_state *s)
{
	spawner_release(&s->spawner);
	padded_env_release(&s->env);
	for (size_t i = 0; i < s->nr; i++)
		command_release(&s->mains[i]);
	free(s->mains);
	command_release(&s->prepare);
	command_release(&s->setup);
	command_release(&s->cleanup);
	if (s->order)
		gsl_rng_free(s->order);
	free(s->perm);
	event_list_release(&s->events);
	free(s->readings);
	free(s->counts);
	if (s->ir_on)
		ir_meter_release(&s->ir);
}

static int list_has_event(const struct event_list *l, const char *name)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->ev[i].name, name))
			return 1;
	return 0;
}

/*
 * Decides what every run counts besides its rusage: the perf events of
 * -e, the event named by --metric (added when -e lacks it), and for
 * --metric valgrind-ir the main commands wrapped in Cachegrind. Names the
 * counts of every benchmark. Call after spawner_init(): 0 or -1.
 */
static int counting_init(struct benchmark **bs, size_t n, struct loop_state *s)
{
	const struct bench_config *cfg = &bs[0]->config;
	const char *metric = cfg->metric;
	enum metric builtin;
	char **names;

	if (cfg->events && events_parse(cfg->events, &s->events))
		return -1;
	if (metric && !metric_builtin(metric, &builtin) && strcmp(metric, METRIC_VALGRIND_IR)) {
		struct event_list one;
		struct event e;
		int ok, err;

		event_list_init(&one);
		if (events_parse(metric, &one))
			return -1;
		/* A metric that cannot be counted here would analyse nothing. */
		e = (struct event){ one.ev[0].name, NULL, one.ev[0].kind, one.ev[0].type,
				    one.ev[0].config };
		ok = events_probe(&e);
		err = errno;
		event_list_release(&one);
		if (!ok)
			return error("cannot use --metric %s: it cannot be counted on this machine: %s",
				     metric, counters_strerror(err));
		if (!list_has_event(&s->events, metric) && events_parse(metric, &s->events))
			return -1;
	}
	if (metric && !strcmp(metric, METRIC_VALGRIND_IR)) {
		if (ir_meter_init(&s->ir))
			return -1;
		s->ir_on = 1;
		for (size_t i = 0; i < n; i++) {
			s->mains[i].argv = ir_meter_argv(&s->ir, s->mains[i].path, bs[i]->argv);
			free(s->mains[i].path);
			s->mains[i].path = xstrdup(s->ir.valgrind);
		}
	}
	event_list_dedup(&s->events);
	if (s->events.nr) {
		s->spawner.events = &s->events;
		s->readings = xcalloc(s->events.nr, sizeof(*s->readings));
	}
	s->nr_counts = s->events.nr + (size_t)s->ir_on;
	if (!s->nr_counts)
		return 0;
	s->counts = xcalloc(s->nr_counts, sizeof(*s->counts));
	names = xcalloc(s->nr_counts, sizeof(*names));
	for (size_t k = 0; k < s->events.nr; k++)
		names[k] = s->events.ev[k].name;
	if (s->ir_on)
		names[s->events.nr] = (char *)METRIC_VALGRIND_IR;
	for (size_t i = 0; i < n; i++)
		benchmark_set_counters(bs[i], names, s->nr_counts);
	free(names);
	return 0;
}

/* The counts of the run that just ended, into s->counts. */
static void collect_counts(struct loop_state *s)
{
	for (size_t k = 0; k < s->events.nr; k++) {
		s->counts[k].status = s->readings[k].status;
		s->counts[k].value = s->readings[k].value;
		s->counts[k].running_pct = s->readings[k].running_pct;
	}
	if (s->ir_on)
		ir_meter_read(&s->ir, &s->counts[s->events.nr]);
}

static int resolve_commands(struct benchmark **bs, size_t n, struct loop_state *s)
{
	const struct bench_config *cfg = &bs[0]->config;

	s->mains = xcalloc(n, sizeof(*s->mains));
	s->nr = n;
	for (size_t i = 0; i < n; i++) {
		s->mains[i].what = "benchmarked";
		s->mains[i].text = bs[i]->name;
		s->mains[i].path = spawn_resolve(bs[i]->argv[0]);
		if (!s->mains[i].path)
			return -1;
	}
	if (cfg->prepare && command_from_string(&s->prepare, "--prepare", cfg->prepare, cfg->shell))
		return -1;
	if (cfg->setup && command_from_string(&s->setup, "--setup", cfg->setup, cfg->shell))
		return -1;
	if (cfg->cleanup && command_from_string(&s->cleanup, "--cleanup", cfg->cleanup, cfg->shell))
		return -1;
	return 0;
}

/* How many rounds the plan now foresees, for the progress line. */
static size_t planned_rounds(const struct bench_config *cfg, size_t done, double elapsed)
{
	double per_round, by_time;
	size_t total;

	if (cfg->runs)
		return cfg->runs;
	if (!done)
		return cfg->min_runs;
	per_round = elapsed / (double)done;
	by_time = per_round > 0 ? cfg->max_time / per_round : (double)cfg->min_runs;
	total = by_time > 1e9 ? (size_t)1e9 : (size_t)by_time;
	if (total < done)
		total = done;
	if (total < cfg->min_runs)
		total = cfg->min_runs;
	if (cfg->max_runs && total > cfg->max_runs)
		total = cfg->max_runs;
	return total;
}

int bench_enough_runs(void *ctx, struct benchmark **bs, size_t n,
		      size_t rounds, double elapsed)
{
	const struct bench_config *cfg = &bs[0]->config;

	(void)ctx;
	if (cfg->runs)
		return rounds >= cfg->runs;
	if (rounds < cfg->min_runs)
		return 0;
	/* nothing measured of a command: the caller says so */
	if (benchmarks_one_unmeasured(bs, n))
		return 1;
	if (cfg->max_runs && rounds >= cfg->max_runs)
		return 1;
	return elapsed >= cfg->max_time;
}

/*
 * One run of benchmark i: prepare, then the measured run. Returns SPAWN_OK
 * with the sample recorded, or why the loop must stop (b->stop set).
 */
static enum spawn_result iterate(struct benchmark *b, struct loop_state *s,
				 size_t i, int warmup, size_t index)
{
	struct run_sample r;
	enum spawn_result res;

	if (s->prepare.path) {
		res = run_auxiliary(&s->spawner, &s->prepare);
		if (res != SPAWN_OK)
			goto stopped;
	}
	if (spawn_interrupted()) {
		res = SPAWN_INTERRUPTED;
		goto stopped;
	}
	s->pad = b->config.fixed_env_pad >= 0 ?
		padded_env_fixed(&s->env, s->pad, b->config.fixed_env_pad) :
		padded_env_next(&s->env, s->pad);
	res = spawner_run_counted(&s->spawner, s->mains[i].path,
				  s->mains[i].argv ? s->mains[i].argv : b->argv,
				  s->env.envp, &r, s->readings);
	if (res == SPAWN_ERROR)
		s->spawn_failed = 1;
	if (res != SPAWN_OK)
		goto stopped;
	r.env_pad = s->pad;
	r.warmup = warmup;
	r.seq = s->seq++;
	if (s->nr_counts)
		collect_counts(s);
	benchmark_add_run(b, &r, s->nr_counts ? s->counts : NULL);
	if (run_failed(&r) && !b->config.ignore_failure) {
		/* With several commands, say which one failed. */
		char *who = s->nr > 1 ? xasprintf("'%s'", b->name) : xstrdup("command");
		const char *kind = warmup ? "warm-up" : "measured";

		if (r.timed_out)
			error("%s timed out after %g s in %s run %zu (use -i/--ignore-failure to keep going)",
			      who, b->config.timeout, kind, index + 1);
		else
			error("%s %s in %s run %zu (use -i/--ignore-failure to measure anyway)",
			      who, spawn_describe_status(&r), kind, index + 1);
		free(who);
		b->stop = STOP_FAILED;
		return SPAWN_ERROR;
	}
	return SPAWN_OK;
stopped:
	b->stop = res == SPAWN_INTERRUPTED ? STOP_INTERRUPTED : STOP_FAILED;
	return res;
}

static int64_t own_max_rss_kib(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? 0 : ru.ru_maxrss;
}

/*
 * One round: every benchmark once, in a random order (Fisher–Yates on a
 * seeded stream), so that whatever drifts hits all sides alike. Returns
 * 0, or -1 when the loop must stop (the stop reason is copied to all).
 */
static int run_round(struct benchmark **bs, size_t n, struct loop_state *s,
		     int warmup, size_t index)
{
	size_t *perm = s->perm;

	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	for (size_t i = n; i > 1; i--) {
		size_t j = gsl_rng_uniform_int(s->order, i), t = perm[i - 1];

		perm[i - 1] = perm[j];
		perm[j] = t;
	}
	for (size_t k = 0; k < n; k++) {
		struct benchmark *b = bs[perm[k]];

		if (iterate(b, s, perm[k], warmup, index) != SPAWN_OK) {
			for (size_t i = 0; i < n; i++)
				bs[i]->stop = b->stop;
			return -1;
		}
	}
	return 0;
}

static double mean_of_last(struct benchmark **bs, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += bs[i]->runs[bs[i]->nr_runs - 1].wall_ns / 1e9;
	return sum / (double)n;
}

int bench_execute_rounds(struct benchmark **bs, size_t n, struct progress *progress,
			 bench_enough_fn enough, void *ctx)
{
	struct bench_config *cfg = &bs[0]->config;
	struct loop_state s;
	double sum = 0, elapsed = 0;
	size_t rounds = 0;
	int64_t start;

	if (!n || n > BENCH_MAX_TOGETHER)
		return error("can measure 1 to %d commands together, not %zu",
			     BENCH_MAX_TOGETHER, n);
	memset(&s, 0, sizeof(s));
	s.perm = xcalloc(n, sizeof(*s.perm));
	s.spawner.devnull = -1;
	s.pad = -1;
	for (size_t i = 0; i < n; i++)
		bs[i]->stop = STOP_COMPLETED;
	padded_env_init(&s.env, cfg->randomize, cfg->seed);
	s.order = gsl_rng_alloc(gsl_rng_mt19937);
	/* A stream of its own, so the order never shifts the padding. */
	gsl_rng_set(s.order, (unsigned long)(cfg->seed ^ 0x9e3779b97f4a7c15ULL));
	event_list_init(&s.events);
	if (resolve_commands(bs, n, &s) || apply_process_settings(cfg) ||
	    spawner_init(&s.spawner, cfg->show_output, cfg->timeout) ||
	    counting_init(bs, n, &s)) {
		loop_state_release(&s);
		return -1;
	}

	/*
	 * With -n the count is known: one allocation of exactly that many
	 * runs, where doubling would leave up to half of it unused. Past a
	 * million, doubling takes over, so a huge -n cannot fail before its
	 * first run.
	 */
	if (cfg->runs)
		for (size_t i = 0; i < n; i++)
			benchmark_reserve_runs(bs[i], bs[i]->nr_runs +
					       (cfg->warmup + cfg->runs < RESERVE_MAX ?
						cfg->warmup + cfg->runs : RESERVE_MAX));

	if (s.setup.path && run_auxiliary(&s.spawner, &s.setup) != SPAWN_OK) {
		for (size_t i = 0; i < n; i++)
			bs[i]->stop = spawn_interrupted() ? STOP_INTERRUPTED : STOP_FAILED;
		goto cleanup;
	}

	for (size_t w = 0; w < cfg->warmup; w++) {
		progress_update(progress, "Warm-up", w, cfg->warmup, NAN, NAN);
		if (run_round(bs, n, &s, 1, w))
			goto cleanup;
	}

	for (size_t i = 0; i < n; i++)
		/* The floor holds for posix_spawn (the child execs from our
		 * memory); a forked, counted child starts from a copy whose
		 * size we do not know. */
		bs[i]->harness_max_rss_kib = s.spawner.events ? 0 : own_max_rss_kib();
	start = monotonic_ns();
	while (!enough(ctx, bs, n, rounds, elapsed)) {
		size_t total = planned_rounds(cfg, rounds, elapsed);
		double mean = rounds ? sum / (double)rounds : NAN;
		double eta = rounds && total > rounds ?
			(double)(total - rounds) * elapsed / (double)rounds : NAN;

		progress_update(progress, "Measuring", rounds, total, mean, eta);
		if (run_round(bs, n, &s, 0, rounds))
			break;
		sum += mean_of_last(bs, n);
		rounds++;
		elapsed = (monotonic_ns() - start) / 1e9;
	}

cleanup:
	progress_clear(progress);
	if (s.spawner.counting_denied) {
		char *hint = counters_paranoid_hint();

		warning("some events were refused: %s", hint);
		free(hint);
	}
	if (s.cleanup.path) {
		struct run_sample r;
		enum spawn_result res;

		/* After an interrupt too: cleanup is what leaves the machine tidy. */
		s.spawner.timeout = 0;
		s.spawner.runs_after_interrupt = 1;
		res = spawner_run(&s.spawner, s.cleanup.path, s.cleanup.argv, environ, &r);
		if (res == SPAWN_OK && run_failed(&r))
			warning("--cleanup command '%s' %s", s.cleanup.text,
				spawn_describe_status(&r));
		if (res == SPAWN_INTERRUPTED) {
			warning("--cleanup command '%s' was interrupted", s.cleanup.text);
			for (size_t i = 0; i < n; i++)
				bs[i]->stop = STOP_INTERRUPTED;
		}
	}
	loop_state_release(&s);
	/*
	 * A command that cannot even start (an executable without a valid
	 * format or interpreter) is bad input when nothing was measured.
	 */
	if (s.spawn_failed) {
		size_t runs = 0;

		for (size_t i = 0; i < n; i++)
			runs += bs[i]->nr_runs;
		if (!runs)
			return -1;
	}
	return 0;
}

int bench_execute(struct benchmark *b, struct progress *progress)
{
	return bench_execute_rounds(&b, 1, progress, bench_enough_runs, NULL);
}
