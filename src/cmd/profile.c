/*
 * profile: `steady profile` — where B spends its time differently from A.
 *
 *   steady profile [options] A B [-- ARGS]
 *   steady profile [options] A [-- ARGS]      (where A's time goes)
 *
 * A and B run -n times each, in rounds of random order, every run sampled
 * through perf_event_open (measure/sampler.c; cycles, or cpu-clock where
 * the machine has no PMU). Each run's samples are named per function
 * (profile/attribute.c, symbols from the ELF files the run mapped), so
 * every function has a count per run; analyse/profile_stats.c turns those
 * into shares, times and B/A ratios with intervals over the runs. With -g
 * the call chains are folded into stacks; --annotate FUNC shows where the
 * samples inside FUNC fell (profile/annotate.c, objdump's disassembly);
 * --with-cache adds Cachegrind's instruction counts per function.
 *
 * This file parses options (parse_options), runs the sides (run_rounds,
 * sample_run), prints (print_report and friends) and writes the JSON and
 * the folded stacks (save, write_folded). It owns both sides, their
 * per-run counts and the names table they share.
 */
#include "cmd/builtin.h"
#include "analyse/profile_stats.h"
#include "formats/cachegrind.h"
#include "formats/jsonfile.h"
#include "lib/atomic_file.h"
#include "lib/units.h"
#include "lib/util.h"
#include "lib/words.h"
#include "measure/counters.h"
#include "measure/run_options.h"
#include "measure/sampler.h"
#include "measure/spawn.h"
#include "measure/valgrind_ir.h"
#include "profile/annotate.h"
#include "profile/attribute.h"

#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_rng.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_RUNS 10
#define DEFAULT_FREQ 4000
#define MAX_FREQ 100000
#define DEFAULT_TOP 15
#define ALPHA 0.05
/* How often the rings are read while a run goes on: 64 pages hold ~1 s at 4 kHz. */
#define DRAIN_INTERVAL_NS 10000000
#define CALLPATHS_SHOWN 5
#define ANNOTATE_TOP 8
#define LABEL_WIDTH_MAX 64
#define STRIPPED_NOTE_SHARE 0.05
/* Cachegrind counts that differ by less than this are "same". */
#define IR_SAME 0.0005
#define LINE_SIZE_PATH "/sys/devices/system/cpu/cpu0/cache/index0/coherency_line_size"

static const char profile_usage_head[] =
"usage: steady profile [options] A B [-- ARGS...]\n"
"       steady profile [options] A [-- ARGS...]\n"
"\n"
"Samples A and B over several runs each, interleaved in rounds of random\n"
"order, and prints per function its share of the samples on each side, its\n"
"estimated time (share x the run's wall time) and the ratio of B's time to\n"
"A's with a 95% interval from the spread between runs, largest change\n"
"first. A function marked * changed with every listed function counted\n"
"(Bonferroni). Sampling uses perf_event_open: the cycles event, or\n"
"cpu-clock where the machine has no PMU (a VM), user space only. A and B\n"
"are programs (ARGS after -- go to both) or command strings ('prog a b',\n"
"split into words; no shell).\n"
"\n";

static const char profile_usage_tail[] =
"\n"
"Exit codes: 0 done, 1 a program failed, 2 bad usage or input (sampling not\n"
"permitted, objdump or valgrind missing), 130 interrupted.\n";

enum { OPT_FOLDED = 256, OPT_ANNOTATE, OPT_WITH_CACHE, OPT_PROFILE_TOP, OPT_PROFILE_SEED,
       OPT_PROFILE_TIMEOUT, OPT_PROFILE_SHOW };

static const struct option_doc profile_options[] = {
	OPTDOC("rn", "runs", 'n', "N", "sampled runs of each side (default 10, at least 2)"),
	OPTDOC("w", "warmup", 'w', "N", "unsampled runs of each side first (default 1)"),
	OPTDOC("e", "event", 'e', "EVENT",
	       "the sampling event (default cycles, or cpu-clock\n"
	       "where there is no PMU); 'steady list' shows them"),
	OPTDOC("F", "freq", 'F', "HZ", "samples per second (default 4000)"),
	OPTDOC("g", "callgraph", 'g', NULL,
	       "record call chains (frame pointers) and show the\n"
	       "hottest call paths"),
	OPTDOC(NULL, "folded", OPT_FOLDED, "PREFIX",
	       "write folded stacks, the input of flame graph\n"
	       "tools: PREFIX.a.folded and PREFIX.b.folded (a\n"
	       "stack and its count a line), PREFIX.diff.folded\n"
	       "(a stack, A's count, B's); implies -g"),
	OPTDOC(NULL, "annotate", OPT_ANNOTATE, "FUNC",
	       "where FUNC starts in its cache line in A and B, its\n"
	       "hottest instructions and their disassembly"),
	OPTDOC(NULL, "with-cache", OPT_WITH_CACHE, NULL,
	       "also run each side once under Cachegrind: its\n"
	       "instruction count (Ir) per function beside the times"),
	OPTDOC(NULL, "top", OPT_PROFILE_TOP, "N", "functions listed (default 15)"),
	OPTDOC(NULL, "seed", OPT_PROFILE_SEED, "N", "seed of the run order (default: random, recorded)"),
	OPTDOC(NULL, "timeout", OPT_PROFILE_TIMEOUT, "S", "kill a run after S seconds (a failed run)"),
	OPTDOC(NULL, "show-output", OPT_PROFILE_SHOW, NULL, "let the programs' output through"),
	OPTDOC("o", NULL, 'o', "FILE",
	       "save every run's samples per function, the\n"
	       "estimates and the stacks as JSON; -o - for stdout"),
	OPTION_EXPORT_JSON,
	OPTION_JSON("the same as -o -: only the JSON on stdout, the\n"
		    "report on stderr"),
	OPTION_VERSION,
	OPTION_HELP,
	OPTDOC_END
};

static const struct command_help profile_help = {
	"profile", profile_usage_head, profile_options, profile_usage_tail
};

struct profile_config {
	unsigned long runs, warmup, freq, top;
	const char *event;          /* NULL: cycles, else cpu-clock */
	int callgraph, with_cache, show_output;
	const char *folded;         /* PREFIX, or NULL */
	const char *annotate;       /* FUNC, or NULL */
	const char *output;
	uint64_t seed;
	double timeout;
	const char *pos[2];
	size_t nsides;
	char **args;
	size_t nargs;
};

struct side {
	char label;                 /* 'A' or 'B' */
	char **argv;
	char *text;                 /* as shown */
	char *program;              /* resolved argv[0] */
	struct attributor at;
	struct run_counts *runs;
	double *wall;               /* seconds, per sampled run */
	uint64_t *samples, *lost;   /* per sampled run */
	size_t nr_runs;
	uint64_t throttled;
	struct cg_profile cache;
	int has_cache;
	struct annotation ann;
	int has_ann;
};

/* The whole profile: both sides and what they share. */
struct profile {
	struct side sides[2];
	size_t nsides;
	struct profile_names names;
	char *event;                /* what was sampled, as the sampler says */
	struct profile_estimate est;
	unsigned line_size;
};

/* 0 when program is on PATH, else -1 after a line saying how to install it. */
static int need_tool(const char *program, const char *option, const char *package)
{
	char *path = spawn_find_program(program);

	free(path);
	if (path)
		return 0;
	return error("%s needs %s, which is not installed (Debian: apt-get install %s)",
		     option, program, package);
}

static int parse_count(const char *opt, const char *arg, unsigned long min, unsigned long max,
		       unsigned long *out)
{
	if (parse_uint(arg, max, out) || *out < min)
		return error("invalid value for %s: '%s' (expected a whole number from %lu to %lu)",
			     opt, arg, min, max);
	return 0;
}

/*
 * Fills cfg from the command line. 0; 1 after --help or --version; -1
 * after one error line.
 */
static int parse_options_in(int argc, char **argv, const struct option_table *t,
			    struct profile_config *cfg)
{
	int opt, seed_given = 0;
	unsigned long v;

	memset(cfg, 0, sizeof(*cfg));
	cfg->runs = DEFAULT_RUNS;
	cfg->warmup = 1;
	cfg->freq = DEFAULT_FREQ;
	cfg->top = DEFAULT_TOP;
	opterr = 0;
	optind = 1;
	for (;;) {
		opt = option_next(argc, argv, t->shortopts, t->longopts);
		if (opt == -1) {
			/* Options may follow A and B; ARGS follow "--". */
			if (optind < argc && strcmp(argv[optind - 1], "--") && cfg->nsides < 2) {
				cfg->pos[cfg->nsides++] = argv[optind++];
				continue;
			}
			break;
		}
		switch (opt) {
		case 'n':
		case 'r':
			if (parse_count("--runs", optarg, 2, 100000, &cfg->runs))
				return -1;
			break;
		case 'w':
			if (parse_count("--warmup", optarg, 0, 100000, &cfg->warmup))
				return -1;
			break;
		case 'e':
			if (!events_find(optarg))
				return error("unknown event '%s' ('steady list' shows the known events)",
					     optarg);
			cfg->event = optarg;
			break;
		case 'F':
			if (parse_count("--freq", optarg, 1, MAX_FREQ, &cfg->freq))
				return -1;
			break;
		case 'g':
			cfg->callgraph = 1;
			break;
		case OPT_FOLDED:
			if (!*optarg)
				return error("--folded needs a file name prefix");
			cfg->folded = optarg;
			cfg->callgraph = 1;
			break;
		case OPT_ANNOTATE:
			if (!*optarg)
				return error("--annotate needs a function name");
			cfg->annotate = optarg;
			break;
		case OPT_WITH_CACHE:
			cfg->with_cache = 1;
			break;
		case OPT_PROFILE_TOP:
			if (parse_count("--top", optarg, 1, 100000, &cfg->top))
				return -1;
			break;
		case OPT_PROFILE_SEED:
			if (parse_uint(optarg, ULONG_MAX, &v))
				return error("invalid value for --seed: '%s' (expected a whole number)",
					     optarg);
			cfg->seed = v;
			seed_given = 1;
			break;
		case OPT_PROFILE_TIMEOUT:
			if (parse_seconds(optarg, &cfg->timeout) || !(cfg->timeout > 0))
				return error("invalid value for --timeout: '%s' (expected seconds > 0, e.g. 10 or 1.5s)",
					     optarg);
			break;
		case OPT_PROFILE_SHOW:
			cfg->show_output = 1;
			break;
		default:
			/* -o, --json, --version, --help, and the error line of anything else */
			switch (run_common_option(opt, optarg, argc, argv, &cfg->output, &profile_help,
						  NULL, NULL)) {
			case RUN_COMMON_GO_ON:
				break;
			case RUN_COMMON_DONE:
				return 1;
			default:
				return -1;
			}
		}
	}
	if (optind < argc && strcmp(argv[optind - 1], "--"))
		return error("unexpected '%s': profile takes one or two programs; arguments for them go after --",
			     argv[optind]);
	if (!cfg->nsides)
		return error("profile needs a program, or two to compare: steady profile A [B] [-- ARGS]");
	/* The tools the last steps need, before any run rather than after them all. */
	if (cfg->annotate && need_tool("objdump", "--annotate", "binutils"))
		return -1;
	if (cfg->with_cache && need_tool("valgrind", "--with-cache", "valgrind"))
		return -1;
	cfg->args = argv + optind;
	cfg->nargs = (size_t)(argc - optind);
	if (!seed_given)
		cfg->seed = run_random_seed();
	if (atomic_prepare_outputs(&cfg->output, NULL, NULL))
		return -1;
	for (int k = 0; cfg->folded && k < (cfg->nsides == 2 ? 3 : 1); k++) {
		static const char *const which[] = { "a", "b", "diff" };
		char *path = xasprintf("%s.%s.folded", cfg->folded, which[k]);
		int bad = atomic_check_writable(path);

		free(path);
		if (bad)
			return -1;
	}
	return 0;
}

static int parse_options(int argc, char **argv, struct profile_config *cfg)
{
	struct option_table t;
	int ret;

	option_table_init(&t, "+:", profile_options);
	ret = parse_options_in(argc, argv, &t, cfg);
	option_table_release(&t);
	return ret;
}

static int side_prepare(struct side *s, struct profile_names *names, const char *spec,
			const struct profile_config *cfg)
{
	char label[2] = { s->label, '\0' };
	struct command_words c = { (char *const *)&spec, 1, cfg->args, cfg->nargs, label, 0 };
	size_t argc;

	s->argv = words_command(&c, &argc);
	if (!s->argv)
		return -1;
	s->text = words_join(s->argv, argc);
	s->program = spawn_resolve(s->argv[0]);
	if (!s->program)
		return -1;
	attributor_init(&s->at, names, s->program, cfg->annotate);
	s->runs = xcalloc(cfg->runs, sizeof(*s->runs));
	s->wall = xcalloc(cfg->runs, sizeof(*s->wall));
	s->samples = xcalloc(cfg->runs, sizeof(*s->samples));
	s->lost = xcalloc(cfg->runs, sizeof(*s->lost));
	cg_profile_init(&s->cache);
	return 0;
}

static void side_release(struct side *s)
{
	words_free(s->argv);
	free(s->text);
	free(s->program);
	attributor_release(&s->at);
	for (size_t i = 0; i < s->nr_runs; i++)
		run_counts_release(&s->runs[i]);
	free(s->runs);
	free(s->wall);
	free(s->samples);
	free(s->lost);
	cg_profile_release(&s->cache);
	if (s->has_ann)
		annotation_release(&s->ann);
}

/*
 * One sampled run of s: the child starts stopped before its exec, the
 * sampler opens on it, and the rings are drained while it runs and once
 * it is gone. 0; -1 after an error line; -2 interrupted; -3 the run failed.
 */
static int sample_run(struct profile *pr, struct side *s, struct spawner *sp,
		      const struct sampler_options *o)
{
	struct child_process cp = CHILD_PROCESS_INIT;
	struct sampler_result res = SAMPLER_RESULT_INIT;
	struct sampler smp;
	struct run_sample r;
	enum spawn_result sr;
	int64_t deadline;

	/* A signal between two runs: no run starts after it. */
	if (spawn_interrupted())
		return -2;
	cp.spawner = sp;
	cp.path = s->program;
	cp.argv = s->argv;
	cp.envp = environ;
	cp.before_exec = CHILD_AWAIT_GO;
	if (start_command(&cp))
		return spawn_interrupted() ? -2 : -1;
	if (sampler_open(&smp, cp.pid, o)) {
		int gone = errno == ESRCH, err = abort_command(&cp, 0);

		/* Ctrl-C between the start and the open killed the child first. */
		if (spawn_interrupted())
			return -2;
		if (err)
			return error("cannot run '%s': %s", s->argv[0], strerror(err));
		if (!gone)
			return -1;
		/* Killed from outside: a failed run, as a signal during it is. */
		error("'%s' was killed before its run started", s->argv[0]);
		return -3;
	}
	command_go(&cp);
	deadline = sp->timeout > 0 ? cp.start_ns + (int64_t)(sp->timeout * 1e9) : 0;
	/*
	 * Drain every DRAIN_INTERVAL_NS until the child exits, which wakes
	 * the wait at once: the run's wall time ends at its exit.
	 */
	while (!spawn_interrupted()) {
		int64_t until = monotonic_ns() + DRAIN_INTERVAL_NS;

		if (deadline && until > deadline)
			until = deadline;
		if (!wait_command_until(&cp, until))
			break;
		sampler_drain(&smp, &res);
		if (deadline && monotonic_ns() >= deadline)
			break;
	}
	sr = finish_command(&cp, &r);
	sampler_drain(&smp, &res);
	sampler_close(&smp);
	if (sr != SPAWN_OK) {
		sampler_result_release(&res);
		return sr == SPAWN_INTERRUPTED ? -2 : -1;
	}
	if (run_failed(&r)) {
		error("%c %s: %s", s->label, spawn_describe_status(&r), s->text);
		sampler_result_release(&res);
		return -3;
	}
	if (!pr->event && res.event)
		pr->event = xstrdup(res.event);
	attribute_run(&s->at, &res, &s->runs[s->nr_runs]);
	s->wall[s->nr_runs] = (double)r.wall_ns / 1e9;
	s->samples[s->nr_runs] = res.nr;
	s->lost[s->nr_runs] = res.lost;
	s->throttled += res.throttled;
	s->nr_runs++;
	sampler_result_release(&res);
	return 0;
}

/* An unsampled run, to warm caches; the same exit codes as sample_run(). */
static int warm_run(struct side *s, struct spawner *sp)
{
	struct run_sample r;
	enum spawn_result sr;

	if (spawn_interrupted())
		return -2;
	sr = spawner_run(sp, s->program, s->argv, environ, &r);
	if (sr != SPAWN_OK)
		return sr == SPAWN_INTERRUPTED ? -2 : -1;
	if (run_failed(&r)) {
		error("%c %s: %s", s->label, spawn_describe_status(&r), s->text);
		return -3;
	}
	return 0;
}

static int exit_code_of(int r)
{
	return r == -2 ? EXIT_INTERRUPTED : r == -3 ? EXIT_FAILED : EXIT_USAGE;
}

/*
 * The warm-up, then cfg->runs rounds, each side once a round in an order
 * drawn from the seed. EXIT_OK, or the exit code after an error line.
 */
static int run_rounds(struct profile *pr, const struct profile_config *cfg)
{
	/* Call chains make records longer: twice the ring (perf's own size). */
	struct sampler_options o = { cfg->event, (unsigned)cfg->freq, cfg->callgraph,
				     cfg->callgraph ? 128 : 64 };
	struct spawner sp;
	gsl_rng *rng;
	int ret = EXIT_OK, tty = isatty(STDERR_FILENO);

	if (spawner_init(&sp, cfg->show_output, cfg->timeout))
		return EXIT_USAGE;
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	/* mt19937 takes 32 bits: fold the high half in. */
	gsl_rng_set(rng, (unsigned long)(uint32_t)(cfg->seed ^ (cfg->seed >> 32)));
	for (unsigned long w = 0; w < cfg->warmup && ret == EXIT_OK; w++)
		for (size_t i = 0; i < pr->nsides && ret == EXIT_OK; i++) {
			int r = warm_run(&pr->sides[i], &sp);

			if (r)
				ret = exit_code_of(r);
		}
	for (unsigned long round = 0; round < cfg->runs && ret == EXIT_OK; round++) {
		size_t first = pr->nsides == 2 ? gsl_rng_uniform_int(rng, 2) : 0;

		if (tty)
			fprintf(stderr, "\rsteady: profile: round %lu of %lu", round + 1, cfg->runs);
		for (size_t k = 0; k < pr->nsides && ret == EXIT_OK; k++) {
			int r = sample_run(pr, &pr->sides[(first + k) % pr->nsides], &sp, &o);

			if (r)
				ret = exit_code_of(r);
		}
	}
	if (tty)
		fprintf(stderr, "\r\033[K");
	gsl_rng_free(rng);
	spawner_release(&sp);
	return ret;
}

/* Cachegrind once per side (--with-cache). EXIT_OK or an exit code after a line. */
static int run_cache(struct profile *pr, const struct profile_config *cfg)
{
	const char *tmpdir = getenv("TMPDIR");
	char *valgrind = spawn_find_program("valgrind"), *dir;
	int ret = EXIT_OK;

	if (!valgrind) {
		error("--with-cache needs valgrind, which is not installed (Debian: apt-get install valgrind)");
		return EXIT_USAGE;
	}
	dir = xasprintf("%s/steady-profile.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		error("cannot create a directory for Cachegrind's files: %s", strerror(errno));
		free(dir);
		free(valgrind);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < pr->nsides && ret == EXIT_OK; i++) {
		struct side *s = &pr->sides[i];
		char out_name[32], log_name[32], *files[2];
		/*
		 * Instructions only, named as the samples are (mangled): no cache
		 * or branch simulation to wait for, no demangling.
		 */
		char *const options[] = { "--cache-sim=no", "--branch-sim=no", "--demangle=no", NULL };
		struct cachegrind_invocation inv = { valgrind, options, dir, out_name, log_name };
		int r;

		snprintf(out_name, sizeof(out_name), "cachegrind.%c.out", s->label);
		snprintf(log_name, sizeof(log_name), "valgrind.%c.log", s->label);
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "steady: running %c under Cachegrind: %s\n", s->label, s->text);
		r = cachegrind_run(&inv, s->argv, s->label, cfg->show_output, &s->cache);
		files[0] = xasprintf("%s/%s", dir, out_name);
		files[1] = xasprintf("%s/%s", dir, log_name);
		for (int f = 0; f < 2; f++) {
			unlink(files[f]);
			free(files[f]);
		}
		if (r)
			ret = exit_code_of(r);
		else
			s->has_cache = 1;
	}
	rmdir(dir);
	free(dir);
	free(valgrind);
	return ret;
}

/* The function name of a label: "memcpy (libc.so.6)" is memcpy. */
static char *bare_name(const char *label)
{
	const char *paren = strstr(label, " (");

	return paren ? xasprintf("%.*s", (int)(paren - label), label) : xstrdup(label);
}

/* Cachegrind's instruction count of every function of p named name (any file). */
static double cache_ir(const struct cg_profile *p, const char *label)
{
	int ir = cg_event_index(p, "Ir");
	char *name = bare_name(label);
	double sum = 0;

	for (size_t f = 0; ir >= 0 && f < p->nr_fns; f++)
		if (!strcmp(p->fns[f].name, name))
			sum += (double)p->fns[f].cost[ir];
	free(name);
	return sum;
}

/* The counts of every run of s as the dense matrix profile_stats reads. */
static uint64_t *counts_matrix(const struct side *s, size_t nr_fns)
{
	uint64_t *m = xcalloc(s->nr_runs * nr_fns + 1, sizeof(*m));

	for (size_t r = 0; r < s->nr_runs; r++)
		for (size_t f = 0; f < nr_fns; f++)
			m[r * nr_fns + f] = run_counts_fn(&s->runs[r], f);
	return m;
}

static int estimate(struct profile *pr)
{
	size_t nr_fns = pr->names.functions.nr;
	struct profile_side_data data[2] = { { 0 }, { 0 } };
	uint64_t *m[2] = { NULL, NULL };
	int ret;

	for (size_t i = 0; i < pr->nsides; i++) {
		m[i] = counts_matrix(&pr->sides[i], nr_fns);
		data[i] = (struct profile_side_data){ pr->sides[i].nr_runs, pr->sides[i].wall,
						      pr->sides[i].samples, m[i] };
	}
	ret = profile_estimate(data, nr_fns, ALPHA, &pr->est);
	free(m[0]);
	free(m[1]);
	return ret;
}

static uint64_t sum_of(const uint64_t *x, size_t n)
{
	uint64_t s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s;
}

/* " 1.023x [1.010, 1.036]" into buf; judged 0: no interval, few samples. */
static const char *ratio_text(char *buf, size_t len, double ratio, double lo, double hi,
			      int judged)
{
	if (isnan(ratio))
		snprintf(buf, len, "-");
	else if (judged)
		snprintf(buf, len, "%.3fx [%.3f, %.3f]", ratio, lo, hi);
	else
		snprintf(buf, len, "%.3fx (few samples)", ratio);
	return buf;
}

static void print_header(const struct profile *pr, const struct profile_config *cfg)
{
	char g[48], t[2][32];

	for (size_t i = 0; i < pr->nsides; i++)
		printf("%c: %s\n", pr->sides[i].label, pr->sides[i].text);
	printf("samples:");
	for (size_t i = 0; i < pr->nsides; i++) {
		const struct side *s = &pr->sides[i];

		printf("%s %c %s in %zu runs", i ? "," : "", s->label,
		       format_grouped(g, sizeof(g), (double)sum_of(s->samples, s->nr_runs)),
		       s->nr_runs);
	}
	printf("; event %s, %lu Hz; lost", pr->event ? pr->event : "?", cfg->freq);
	for (size_t i = 0; i < pr->nsides; i++)
		printf("%s %c %" PRIu64, i ? "," : "", pr->sides[i].label,
		       sum_of(pr->sides[i].lost, pr->sides[i].nr_runs));
	putchar('\n');
	printf("wall time: A %s", format_time(t[0], sizeof(t[0]), pr->est.wall[0]));
	if (pr->nsides == 2) {
		char r[64];

		printf(", B %s, B/A %s", format_time(t[1], sizeof(t[1]), pr->est.wall[1]),
		       ratio_text(r, sizeof(r), pr->est.wall_ratio, pr->est.wall_lo,
				  pr->est.wall_hi, !isnan(pr->est.wall_lo)));
	}
	printf("\n\n");
}

static void print_functions(const struct profile *pr, const struct profile_config *cfg)
{
	int two = pr->nsides == 2, cache = pr->sides[0].has_cache, width = 8;
	size_t shown = pr->est.nr < cfg->top ? pr->est.nr : cfg->top, marked = 0;
	char t[2][32], r[64];

	for (size_t i = 0; i < shown; i++) {
		size_t len = strlen(strmap_key(&pr->names.functions, pr->est.fns[i].fn));

		if ((int)len > width)
			width = len > LABEL_WIDTH_MAX ? LABEL_WIDTH_MAX : (int)len;
	}
	printf("%-*s %8s", width, "function", "A share");
	if (two)
		printf(" %8s", "B share");
	printf(" %10s", "A time");
	if (two)
		printf(" %10s  %-*s", "B time", cache ? 26 : 0, "B/A time [95% interval]");
	if (cache)
		printf("  %s", two ? "Ir B/A (Cachegrind)" : "Ir (Cachegrind)");
	putchar('\n');
	for (size_t i = 0; i < shown; i++) {
		const struct fn_estimate *e = &pr->est.fns[i];
		const char *label = strmap_key(&pr->names.functions, e->fn);
		char line[512];
		size_t n;

		n = (size_t)snprintf(line, sizeof(line), "%-*.*s %7.1f%%", width, LABEL_WIDTH_MAX,
				     label, 100 * e->share[0]);
		if (two)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %7.1f%%", 100 * e->share[1]);
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %10s",
				      e->samples[0] ? format_time(t[0], sizeof(t[0]), e->time[0]) : "-");
		if (two) {
			const char *ratio = ratio_text(r, sizeof(r), e->ratio, e->lo, e->hi, e->judged);

			/* One side has none: a few samples on the other are no finding. */
			if (!e->samples[0] || !e->samples[1]) {
				int few = e->samples[0] + e->samples[1] < PROFILE_MIN_JUDGED_SAMPLES;

				ratio = !e->samples[0] ? (few ? "new (few samples)" : "new")
						       : (few ? "gone (few samples)" : "gone");
			}

			n += (size_t)snprintf(line + n, sizeof(line) - n, " %10s  %-26s",
					      e->samples[1] ? format_time(t[1], sizeof(t[1]), e->time[1]) : "-",
					      ratio);
		}
		if (cache) {
			double a = cache_ir(&pr->sides[0].cache, label);
			double b = two ? cache_ir(&pr->sides[1].cache, label) : 0;
			char g[48];

			if (!two)
				snprintf(r, sizeof(r), "%s", a > 0 ? format_grouped(g, sizeof(g), a) : "-");
			else if (a <= 0 || b <= 0)
				snprintf(r, sizeof(r), "%s", a <= 0 && b <= 0 ? "-" : a <= 0 ? "new" : "gone");
			else if (fabs(b - a) / a < IR_SAME)
				snprintf(r, sizeof(r), "same (%+.2f%%)", 100 * (b - a) / a);
			else
				snprintf(r, sizeof(r), "%+.2f%%", 100 * (b - a) / a);
			n += (size_t)snprintf(line + n, sizeof(line) - n, "  %-19s", r);
		}
		if (e->change) {
			n += (size_t)snprintf(line + n, sizeof(line) - n, "  *");
			marked++;
		}
		/* No trailing blanks: the padded last column may be empty. */
		n = n < sizeof(line) ? n : sizeof(line) - 1;
		while (n && line[n - 1] == ' ')
			line[--n] = '\0';
		puts(line);
	}
	if (pr->est.nr > shown)
		printf("(%zu more functions; --top N shows more)\n", pr->est.nr - shown);
	if (two)
		printf("\n*: changed at 95%%, over the %zu function%s with %d or more samples a side\n"
		       "   (Bonferroni)%s\n"
		       "A function's time is its share of a run's samples x the run's wall time,\n"
		       "averaged over the runs.\n",
		       pr->est.family, pr->est.family == 1 ? "" : "s", PROFILE_MIN_JUDGED_SAMPLES,
		       marked ? "." : ": no function's time is shown to have changed.");
}

/* The stacks of the profile with their counts per side, summed over runs. */
static uint64_t stack_total(const struct side *s, size_t id)
{
	uint64_t sum = 0;

	for (size_t r = 0; r < s->nr_runs; r++)
		sum += run_counts_stack(&s->runs[r], id);
	return sum;
}

struct path_row {
	size_t id;
	double share[2];
};

static int by_share(const void *x, const void *y)
{
	const struct path_row *a = x, *b = y;
	double da = fmax(a->share[0], a->share[1]), db = fmax(b->share[0], b->share[1]);

	if (da != db)
		return da > db ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* -g: the hottest call paths, by their larger share of A's or B's samples. */
static void print_callpaths(const struct profile *pr)
{
	size_t n = pr->names.stacks.nr;
	struct path_row *rows;
	uint64_t all[2] = { 0, 0 }, chains[2] = { 0, 0 }, callers[2] = { 0, 0 };

	for (size_t i = 0; i < pr->nsides; i++) {
		const struct side *s = &pr->sides[i];

		all[i] = sum_of(s->samples, s->nr_runs);
		for (size_t r = 0; r < s->nr_runs; r++) {
			chains[i] += s->runs[r].chains;
			callers[i] += s->runs[r].chains_with_caller;
		}
	}
	rows = xcalloc(n ? n : 1, sizeof(*rows));
	for (size_t id = 0; id < n; id++) {
		rows[id].id = id;
		for (size_t i = 0; i < pr->nsides; i++)
			rows[id].share[i] = all[i] ? (double)stack_total(&pr->sides[i], id) / (double)all[i] : 0;
	}
	qsort(rows, n, sizeof(*rows), by_share);
	printf("\nHottest call paths (%s of the samples):\n", pr->nsides == 2 ? "A's and B's shares" : "share");
	for (size_t k = 0; k < n && k < CALLPATHS_SHOWN; k++) {
		printf("  %6.1f%%", 100 * rows[k].share[0]);
		if (pr->nsides == 2)
			printf(" %6.1f%%", 100 * rows[k].share[1]);
		printf("  %s\n", strmap_key(&pr->names.stacks, rows[k].id));
	}
	free(rows);
	for (size_t i = 0; i < pr->nsides; i++)
		if (chains[i] && callers[i] * 2 < chains[i])
			printf("note: %c's call chains mostly end at the sampled function (%.0f%% reach a caller):\n"
			       "      it was built without frame pointers; rebuild with -fno-omit-frame-pointer\n"
			       "      (and with clang -mno-omit-leaf-frame-pointer) for whole call paths.\n",
			       pr->sides[i].label, 100.0 * (double)callers[i] / (double)chains[i]);
}

/* The larger share of the label on either side, 0 when it has no samples. */
static double label_share(const struct profile *pr, const char *label)
{
	size_t id = strmap_find(&pr->names.functions, label);

	for (size_t i = 0; id != (size_t)-1 && i < pr->est.nr; i++)
		if (pr->est.fns[i].fn == id)
			return fmax(pr->est.fns[i].share[0], pr->est.fns[i].share[1]);
	return 0;
}

/*
 * A stripped file is worth a note when it is a side's program or its
 * unnamed samples are a visible share; the system's own libraries are
 * stripped as a rule and usually hold a sliver.
 */
static void note_stripped(const struct profile *pr)
{
	struct strmap said = STRMAP_INIT;

	for (size_t i = 0; i < pr->nsides; i++) {
		const struct side *s = &pr->sides[i];

		for (size_t k = 0; k < s->at.stripped.nr; k++) {
			const char *path = strmap_key(&s->at.stripped, k), *slash = strrchr(path, '/');
			int program = !strcmp(path, s->at.program);
			char *label = program ? xstrdup("[stripped]") :
					xasprintf("[stripped] (%s)", slash ? slash + 1 : path);
			double share = label_share(pr, label);

			if ((program || share >= STRIPPED_NOTE_SHARE) &&
			    strmap_find(&said, path) == (size_t)-1) {
				strmap_intern(&said, path);
				printf("note: %s is stripped (no symbol table): %.1f%% of the samples are in\n"
				       "      functions it does not name, counted as %s.\n",
				       path, 100 * share, label);
			}
			free(label);
		}
	}
	strmap_release(&said);
}

static void print_notes(const struct profile *pr, const struct profile_config *cfg)
{
	for (size_t i = 0; i < pr->nsides; i++)
		if (!sum_of(pr->sides[i].samples, pr->sides[i].nr_runs))
			printf("note: %c gave no samples: it ran for less than a sampling period (%lu Hz)\n"
			       "      or only in the kernel, which is not sampled; a higher -F or longer runs help.\n",
			       pr->sides[i].label, cfg->freq);
	note_stripped(pr);
	for (size_t i = 0; i < pr->nsides; i++) {
		const struct side *s = &pr->sides[i];
		uint64_t lost = sum_of(s->lost, s->nr_runs);

		if (lost)
			printf("note: %c lost %" PRIu64 " samples the kernel could not write in time (of %" PRIu64 ");\n"
			       "      shares are of what was recorded. A lower -F loses fewer.\n",
			       s->label, lost, lost + sum_of(s->samples, s->nr_runs));
		if (s->throttled)
			printf("note: the kernel throttled %c's sampling %" PRIu64 " times (perf_event_max_sample_rate):\n"
			       "      fewer samples than %lu Hz asked for.\n", s->label, s->throttled, cfg->freq);
	}
	if (pr->event && cfg->event == NULL && strcmp(pr->event, "cycles"))
		printf("note: sampled %s: this machine has no cycles event (no PMU, as in most VMs).\n",
		       pr->event);
}

/*
 * The function other than name shown to change (marked *) whose time moved
 * the most, when it moved more than name's; NULL otherwise. Then name's
 * own change may be that one's spill-over, not where name's code sits.
 */
static const struct fn_estimate *larger_change_elsewhere(const struct profile *pr,
							 const char *name)
{
	const struct fn_estimate *self = NULL, *most = NULL;

	for (size_t i = 0; i < pr->est.nr; i++) {
		const struct fn_estimate *e = &pr->est.fns[i];

		if (!strcmp(strmap_key(&pr->names.functions, e->fn), name))
			self = e;
		else if (e->change && (!most || fabs(e->time[1] - e->time[0]) >
					       fabs(most->time[1] - most->time[0])))
			most = e;
	}
	if (!self || !most ||
	    fabs(most->time[1] - most->time[0]) <= fabs(self->time[1] - self->time[0]))
		return NULL;
	return most;
}

/*
 * --annotate: where the samples of cfg->annotate fell in each side. 0; -1
 * after an error line; -2 interrupted (while objdump ran).
 */
static int annotate_sides(struct profile *pr, const struct profile_config *cfg)
{
	struct disasm d[2] = { { NULL, 0 }, { NULL, 0 } };
	int ret = 0;

	putchar('\n');
	for (size_t i = 0; i < pr->nsides && !ret; i++) {
		struct side *s = &pr->sides[i];
		struct focus_hits *h = &s->at.hits;
		char label[2] = { s->label, '\0' };

		if (!h->path) {
			printf("%c: %s had no samples (not run, inlined, or not the name of a function)\n",
			       s->label, cfg->annotate);
			continue;
		}
		if (annotate_disassemble(h->path, h->fn.start, h->fn.size, &d[i])) {
			if (spawn_interrupted()) {
				ret = -2;
				break;
			}
			/* The samples still say where in the function they fell. */
			printf("%c: no disassembly of %s (the line above says why): addresses only\n",
			       s->label, cfg->annotate);
		}
		if (annotation_compute(&h->fn, pr->line_size, h->at, h->nr, d[i].nr ? &d[i] : NULL,
				       ANNOTATE_TOP, &s->ann)) {
			ret = -1;
			break;
		}
		s->has_ann = 1;
		annotate_print(stdout, label, cfg->annotate, &s->ann);
		if (h->elsewhere)
			printf("   (%" PRIu64 " more samples in functions of that name in other files)\n",
			       h->elsewhere);
	}
	if (!ret && pr->nsides == 2 && pr->sides[0].has_ann && pr->sides[1].has_ann) {
		const struct annotation *a = &pr->sides[0].ann, *b = &pr->sides[1].ann;
		int same = disasm_same_sequence(&d[0], &d[1]);

		const struct fn_estimate *other = same ? larger_change_elsewhere(pr, cfg->annotate) : NULL;

		printf("\n%s: A at offset %u, B at offset %u of a %u-byte line (%+" PRId64 " bytes);\n"
		       "%s",
		       cfg->annotate, a->offset, b->offset, a->line_size,
		       (int64_t)(b->start - a->start),
		       !same ? "its instructions differ between A and B (not only where they are).\n" :
		       !other ? "the same instructions in both: a difference in its time is where they\n"
				"landed (alignment, fetch windows, cache lines), not what they do.\n" :
				"the same instructions in both; but ");
		if (other) {
			double moved = other->time[1] - other->time[0];
			char delta[32];

			format_time(delta, sizeof(delta), fabs(moved));
			printf("%s's time changed more\n"
			       "(%c%s a run, %.3fx): time moves between functions that call each other,\n"
			       "and samples land a few instructions late, so a change in %s's time\n"
			       "need not be its layout; 'steady layout' measures that.\n",
			       strmap_key(&pr->names.functions, other->fn), moved < 0 ? '-' : '+',
			       delta, other->ratio, cfg->annotate);
		}
	}
	disasm_release(&d[0]);
	disasm_release(&d[1]);
	return ret;
}

static unsigned cache_line_size(void)
{
	FILE *f = fopen(LINE_SIZE_PATH, "r");
	unsigned v = 0;

	if (f) {
		if (fscanf(f, "%u", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v >= 16 && v <= 512 && !(v & (v - 1)) ? v : 64;
}

/* One folded file: k 0 is A's stacks, 1 B's, 2 both counts of each. */
struct folded_file {
	const struct profile *pr;
	size_t k;
};

static int write_folded_file(const char *path, const void *data)
{
	const struct folded_file *ff = data;
	const struct profile *pr = ff->pr;
	size_t k = ff->k, n = pr->names.stacks.nr;
	char *tmp;
	FILE *f = atomic_open(path, &tmp);

	if (!f)
		return -1;
	for (size_t id = 0; id < n; id++) {
		uint64_t a = stack_total(&pr->sides[0], id);
		uint64_t b = pr->nsides == 2 ? stack_total(&pr->sides[1], id) : 0;
		const char *stack = strmap_key(&pr->names.stacks, id);

		if (k == 2)
			fprintf(f, "%s %" PRIu64 " %" PRIu64 "\n", stack, a, b);
		else if (k == 0 ? a : b)
			fprintf(f, "%s %" PRIu64 "\n", stack, k == 0 ? a : b);
	}
	return atomic_commit(f, tmp, path);
}

/*
 * --folded: PREFIX.a.folded, PREFIX.b.folded, PREFIX.diff.folded. One
 * that cannot be written is kept in $TMPDIR, as -o is; -1 when any was not
 * written where asked.
 */
static int write_folded(const struct profile *pr, const char *prefix)
{
	static const char *const names[] = { "a", "b", "diff" };
	static const char *const what[] = { "the folded stacks of A", "the folded stacks of B",
					    "the folded stacks of A and B" };
	int ret = 0;

	for (size_t k = 0; k < (pr->nsides == 2 ? 3u : 1u); k++) {
		char *path = xasprintf("%s.%s.folded", prefix, names[k]);
		struct folded_file ff = { pr, k };

		if (write_folded_file(path, &ff)) {
			char *stem = xasprintf("steady-folded.%s.", names[k]);

			atomic_keep_elsewhere(path, what[k], stem, ".folded", write_folded_file, &ff);
			free(stem);
			ret = -1;
		}
		free(path);
	}
	return ret;
}

static json_t *side_to_json(const struct profile *pr, const struct side *s)
{
	json_t *obj = json_object(), *runs = json_array(), *folded = json_object();

	json_object_set_new(obj, "command", json_text(s->text));
	for (size_t r = 0; r < s->nr_runs; r++) {
		json_t *run = json_object(), *fns = json_object();
		const struct run_counts *c = &s->runs[r];

		json_object_set_new(run, "wall_ns", json_integer((json_int_t)llround(s->wall[r] * 1e9)));
		json_object_set_new(run, "samples", json_integer((json_int_t)s->samples[r]));
		json_object_set_new(run, "lost", json_integer((json_int_t)s->lost[r]));
		for (size_t f = 0; f < c->nr_fn; f++)
			if (c->fn[f])
				json_object_set_new(fns, strmap_key(&pr->names.functions, f),
						    json_integer((json_int_t)c->fn[f]));
		json_object_set_new(run, "functions", fns);
		json_array_append_new(runs, run);
	}
	json_object_set_new(obj, "runs", runs);
	for (size_t id = 0; id < pr->names.stacks.nr; id++) {
		uint64_t n = stack_total(s, id);

		if (n)
			json_object_set_new(folded, strmap_key(&pr->names.stacks, id),
					    json_integer((json_int_t)n));
	}
	json_object_set_new(obj, "folded", folded);
	if (s->has_ann)
		json_object_set_new(obj, "annotate", annotation_to_json(&s->ann));
	return obj;
}

static json_t *number_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static int save(const struct profile *pr, const struct profile_config *cfg)
{
	json_t *root = json_file_new("steady-profile", 1), *fns = json_array();
	char *what;
	int ret;

	json_object_set_new(root, "event", json_string(pr->event ? pr->event : ""));
	json_object_set_new(root, "freq_hz", json_integer((json_int_t)cfg->freq));
	{
		/* A string, as options.seed of a results file: the seed uses all 64 bits. */
		char seed[24];

		snprintf(seed, sizeof(seed), "%" PRIu64, cfg->seed);
		json_object_set_new(root, "seed", json_string(seed));
	}
	json_object_set_new(root, "callgraph", json_boolean(cfg->callgraph));
	json_object_set_new(root, "a", side_to_json(pr, &pr->sides[0]));
	json_object_set_new(root, "b", pr->nsides == 2 ? side_to_json(pr, &pr->sides[1]) : json_null());
	json_object_set_new(root, "wall_ratio", json_pack("{s:o,s:o,s:o}",
			    "ratio", number_or_null(pr->est.wall_ratio),
			    "lo", number_or_null(pr->est.wall_lo), "hi", number_or_null(pr->est.wall_hi)));
	json_object_set_new(root, "family", json_integer((json_int_t)pr->est.family));
	for (size_t i = 0; i < pr->est.nr; i++) {
		const struct fn_estimate *e = &pr->est.fns[i];
		const char *label = strmap_key(&pr->names.functions, e->fn);
		json_t *fn = json_object();

		json_object_set_new(fn, "function", json_text(label));
		json_object_set_new(fn, "samples_a", json_integer((json_int_t)e->samples[0]));
		json_object_set_new(fn, "share_a", json_real(e->share[0]));
		json_object_set_new(fn, "time_a_s", json_real(e->time[0]));
		if (pr->nsides == 2) {
			json_object_set_new(fn, "samples_b", json_integer((json_int_t)e->samples[1]));
			json_object_set_new(fn, "share_b", json_real(e->share[1]));
			json_object_set_new(fn, "time_b_s", json_real(e->time[1]));
			json_object_set_new(fn, "ratio", number_or_null(e->ratio));
			json_object_set_new(fn, "lo", number_or_null(e->lo));
			json_object_set_new(fn, "hi", number_or_null(e->hi));
			json_object_set_new(fn, "judged", json_boolean(e->judged));
			json_object_set_new(fn, "change", json_integer(e->change));
		}
		if (pr->sides[0].has_cache) {
			json_object_set_new(fn, "ir_a",
					    json_integer((json_int_t)cache_ir(&pr->sides[0].cache, label)));
			if (pr->nsides == 2)
				json_object_set_new(fn, "ir_b",
						    json_integer((json_int_t)cache_ir(&pr->sides[1].cache, label)));
		}
		json_array_append_new(fns, fn);
	}
	json_object_set_new(root, "functions", fns);
	what = xasprintf("the samples of %zu runs", pr->sides[0].nr_runs + pr->sides[1].nr_runs);
	ret = json_file_save(root, cfg->output, "steady-profile.", what);
	free(what);
	json_decref(root);
	return ret;
}

/* Two runs a side at least: what an interval needs. */
static int enough_runs(const struct profile *pr)
{
	for (size_t i = 0; i < pr->nsides; i++)
		if (pr->sides[i].nr_runs < 2)
			return 0;
	return 1;
}

/*
 * Interrupted before two runs a side: too few for any estimate, so no
 * report, but the runs done are still saved (-o, --folded), with the
 * estimates left empty (docs/results-format.md, "steady-profile").
 * EXIT_INTERRUPTED.
 */
static int save_too_few(struct profile *pr, const struct profile_config *cfg)
{
	char done[64];

	if (pr->nsides == 2)
		snprintf(done, sizeof(done), "%zu runs of A and %zu of B", pr->sides[0].nr_runs,
			 pr->sides[1].nr_runs);
	else
		snprintf(done, sizeof(done), "%zu runs", pr->sides[0].nr_runs);
	memset(&pr->est, 0, sizeof(pr->est));
	pr->est.wall_ratio = pr->est.wall_lo = pr->est.wall_hi = NAN;
	fprintf(stderr, "steady: interrupted with %s done: too few for estimates (2 runs a side)%s\n",
		done, cfg->output || cfg->folded ? "; the runs are saved without them" : "");
	if (cfg->output)
		save(pr, cfg);
	if (cfg->folded)
		write_folded(pr, cfg->folded);
	return EXIT_INTERRUPTED;
}

int cmd_profile(int argc, char **argv)
{
	struct profile_config cfg;
	struct profile pr;
	int ret = EXIT_USAGE, interrupted = 0;

	memset(&pr, 0, sizeof(pr));
	pr.sides[0].label = 'A';
	pr.sides[1].label = 'B';
	switch (parse_options(argc, argv, &cfg)) {
	case 1:
		return EXIT_OK;
	case 0:
		break;
	default:
		return EXIT_USAGE;
	}
	pr.nsides = cfg.nsides;
	pr.line_size = cache_line_size();
	for (size_t i = 0; i < pr.nsides; i++)
		if (side_prepare(&pr.sides[i], &pr.names, cfg.pos[i], &cfg))
			goto out;
	spawn_catch_signals();
	ret = run_rounds(&pr, &cfg);
	if (ret == EXIT_INTERRUPTED && !enough_runs(&pr)) {
		ret = save_too_few(&pr, &cfg);
		goto out;
	}
	/* Interrupted: what was sampled is still reported and saved. */
	if (ret == EXIT_INTERRUPTED) {
		interrupted = 1;
		if (pr.nsides == 2)
			fprintf(stderr, "steady: interrupted: reporting the runs done, %zu of A and %zu of B\n",
				pr.sides[0].nr_runs, pr.sides[1].nr_runs);
		else
			fprintf(stderr, "steady: interrupted: reporting the %zu runs done\n",
				pr.sides[0].nr_runs);
	} else if (ret != EXIT_OK) {
		goto out;
	}
	if (!interrupted && cfg.with_cache) {
		ret = run_cache(&pr, &cfg);
		if (ret == EXIT_INTERRUPTED) {
			/* The sampled runs are kept; Cachegrind's counts are not all there. */
			interrupted = 1;
			pr.sides[0].has_cache = pr.sides[1].has_cache = 0;
			fprintf(stderr, "steady: interrupted: reporting the sampled runs without Cachegrind's counts\n");
		} else if (ret != EXIT_OK) {
			goto out;
		}
	}
	ret = EXIT_USAGE;
	if (estimate(&pr))
		goto out;
	print_header(&pr, &cfg);
	if (pr.est.nr)
		print_functions(&pr, &cfg);
	if (cfg.callgraph)
		print_callpaths(&pr);
	if (cfg.annotate && !interrupted) {
		int r = annotate_sides(&pr, &cfg);

		if (r == -2)
			interrupted = 1;
		else if (r)
			goto out;
	}
	print_notes(&pr, &cfg);
	ret = interrupted ? EXIT_INTERRUPTED : EXIT_OK;
	/* Each file not written is kept in $TMPDIR: the others are still written. */
	if (cfg.output && save(&pr, &cfg))
		ret = spawn_exit_code(EXIT_USAGE);
	if (cfg.folded && write_folded(&pr, cfg.folded))
		ret = spawn_exit_code(EXIT_USAGE);
out:
	for (size_t i = 0; i < 2; i++)
		if (pr.sides[i].argv || pr.sides[i].text)
			side_release(&pr.sides[i]);
	profile_names_release(&pr.names);
	free(pr.event);
	free(pr.est.fns);
	return ret;
}
