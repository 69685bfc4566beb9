/*
 * cache: `steady cache` — A and B run under Cachegrind's cache (and
 * optionally branch) simulation; the totals side by side and the functions
 * whose instructions or I1, D1 and LL misses changed most.
 *
 *   steady cache [options] A B [-- ARGS]     A, B: programs or command strings
 *   steady cache --profiles A.out B.out      two existing cachegrind.out files
 *
 * Each side is one run of `valgrind --tool=cachegrind` spawned like any run
 * (spawn.c: no shell, stdin from /dev/null, output discarded), with the
 * cache geometry of this host (cache_geometry.c) unless --I1/--D1/--LL say
 * otherwise. The files are read by cachegrind.c and compared by
 * cache_diff.c; this file parses options (parse_options), runs both sides
 * (run_sides) or loads two files (load_profiles), prints (print_report) and
 * saves (save). It owns the two profiles and the temporary directory of the
 * output files.
 */
#include "cmd/builtin.h"
#include "formats/export.h"
#include "analyse/cache_diff.h"
#include "system/cache_geometry.h"
#include "formats/cachegrind.h"
#include "formats/jsonfile.h"
#include "formats/results.h"
#include "measure/spawn.h"
#include "measure/valgrind_ir.h"
#include "lib/units.h"
#include "lib/atomic_file.h"
#include "lib/util.h"
#include "lib/words.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

#define SYSFS_CACHE "/sys/devices/system/cpu/cpu0/cache"
#define AGREE_TOLERANCE 0.001   /* totals within 0.1%: no difference */

static const char cache_usage_head[] =
"usage: steady cache [options] A B [-- ARGS...]\n"
"       steady cache [options] --profiles A.out B.out\n"
"\n"
"Runs A and B once each under valgrind --tool=cachegrind with cache\n"
"simulation, then prints every total side by side (Ir, I1mr, ILmr, Dr, D1mr,\n"
"DLmr, Dw, D1mw, DLmw; Bc, Bcm, Bi, Bim with --branch-sim) and the functions\n"
"whose instructions, I1, D1 and LL misses changed most. A and B are programs\n"
"(ARGS after -- go to both) or command strings ('prog a b', split into words;\n"
"no shell). The simulated caches are this host's (sysfs) unless given.\n"
"Simulated caches cannot see the alignment effects of a real CPU's decoder\n"
"and µop cache: identical totals with different times point at code layout.\n"
"\n";

static const char cache_usage_tail[] =
"\n"
"Exit codes: 0 done, 1 a program failed under valgrind, 2 bad usage or input\n"
"(valgrind missing, unreadable profile), 130 interrupted.\n";

enum { OPT_BRANCH = 256, OPT_I1, OPT_D1, OPT_LL, OPT_TOP, OPT_PROFILES, OPT_SHOW, OPT_CACHE_MD,
       OPT_CACHE_CSV };

static const struct option_doc cache_options[] = {
	OPTDOC(NULL, "branch-sim", OPT_BRANCH, NULL, "simulate branch prediction too"),
	OPTDOC(NULL, "I1", OPT_I1, "S,A,L", "level-1 instruction cache: size, associativity, line"),
	OPTDOC(NULL, "D1", OPT_D1, "S,A,L", "level-1 data cache (bytes, ways, bytes)"),
	OPTDOC(NULL, "LL", OPT_LL, "S,A,L", "last-level cache"),
	OPTDOC(NULL, "top", OPT_TOP, "N", "functions listed per figure (default 10)"),
	OPTDOC(NULL, "profiles", OPT_PROFILES, NULL, "A and B are cachegrind.out files: compare, run nothing"),
	OPTDOC(NULL, "show-output", OPT_SHOW, NULL, "let the programs' output (not valgrind's) through"),
	OPTDOC("o", NULL, 'o', "FILE",
	       "save totals and every function's counts as JSON;\n"
	       "-o - writes it to stdout"),
	OPTION_EXPORT_JSON,
	OPTDOC(NULL, "export-markdown", OPT_CACHE_MD, "FILE",
	       "the totals as a Markdown table: event, A, B, B-A, change"),
	OPTDOC(NULL, "export-csv", OPT_CACHE_CSV, "FILE", "the same as CSV"),
	OPTION_JSON("the same as -o -: only the JSON on stdout, the\n"
		    "tables on stderr"),
	OPTION_VERSION,
	OPTION_HELP,
	OPTDOC_END
};

struct side {
	char label;          /* 'A' or 'B' */
	char **argv;         /* the program and its arguments */
	char *text;          /* as shown */
	char *out, *log;     /* valgrind's files */
	struct cg_profile p;
};

/* What the command line asked for. */
struct cache_config {
	const char *output;
	const char *markdown, *csv;    /* --export-markdown, --export-csv: the totals */
	unsigned long top;
	int branch_sim, profiles, show_output;
	struct cache_geometry given;   /* --I1/--D1/--LL, those set_* say were given */
	int set_i1, set_d1, set_ll;
	const char *pos[2];            /* A and B */
	char **args;                   /* after "--", for both programs */
	size_t nargs;
};

static int side_command(struct side *s, const char *spec, char **args, size_t nargs)
{
	char label[2] = { s->label, '\0' };
	struct command_words c = { (char *const *)&spec, 1, args, nargs, label, 0 };
	size_t argc;

	s->argv = words_command(&c, &argc);
	if (!s->argv)
		return -1;
	s->text = words_join(s->argv, argc);
	return 0;
}

static void side_release(struct side *s)
{
	words_free(s->argv);
	free(s->text);
	if (s->out)
		unlink(s->out);
	if (s->log)
		unlink(s->log);
	free(s->out);
	free(s->log);
	cg_profile_release(&s->p);
}

/*
 * Runs one side under Cachegrind, its files in dir, and reads its profile.
 * 0; -1 after an error line; -2 interrupted; -3 the program failed.
 */
static int run_side(struct side *s, const char *valgrind, const char *dir,
		    const struct cache_geometry *g, const struct cache_config *cfg)
{
	const struct cache_level *levels[] = { &g->i1, &g->d1, &g->ll };
	const char *names[] = { "I1", "D1", "LL" };
	char *options[6] = { NULL }, out_name[32], log_name[32];
	struct cachegrind_invocation inv = { valgrind, options, dir, out_name, log_name };
	size_t k = 0;
	int ret;

	snprintf(out_name, sizeof(out_name), "cachegrind.%c.out", s->label);
	snprintf(log_name, sizeof(log_name), "valgrind.%c.log", s->label);
	s->out = xasprintf("%s/%s", dir, out_name);
	s->log = xasprintf("%s/%s", dir, log_name);
	options[k++] = xstrdup("--cache-sim=yes");
	options[k++] = xstrdup(cfg->branch_sim ? "--branch-sim=yes" : "--branch-sim=no");
	for (int i = 0; i < 3; i++)
		if (levels[i]->size > 0)
			options[k++] = xasprintf("--%s=%ld,%ld,%ld", names[i], levels[i]->size,
						 levels[i]->assoc, levels[i]->line);
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "steady: running %c under Cachegrind: %s\n", s->label, s->text);
	ret = cachegrind_run(&inv, s->argv, s->label, cfg->show_output, &s->p);
	for (size_t i = 0; i < k; i++)
		free(options[i]);
	return ret;
}

static void print_change(double a, double b)
{
	char d[48];

	format_grouped(d + 1, sizeof(d) - 1, b - a);
	d[0] = b - a > 0 ? '+' : ' ';
	printf(" %15s", b - a == 0 ? "0" : b - a > 0 ? d : d + 1);
	if (a > 0 && b == 0)
		printf(" %10s", "gone");
	else if (a > 0)
		printf(" %+9.2f%%", 100.0 * (b - a) / a);
	else
		printf(" %10s", b > 0 ? "new" : "");
}

/* --export-markdown, --export-csv: the totals table, a row per event of A. */
static int export_totals(const char *path, enum export_format format, const struct side *a,
			 const struct side *b)
{
	static const char *const headers[] = { "event", "a", "b", "delta", "change_pct" };
	size_t n = a->p.nr_events;
	char **cells = xcalloc(5 * (n ? n : 1), sizeof(*cells));
	int ret;

	for (size_t i = 0; i < n; i++) {
		int k = cg_event_index(&b->p, a->p.events[i]);
		uint64_t va = a->p.summary[i], vb = k < 0 ? 0 : b->p.summary[k];
		char **row = cells + 5 * i;

		row[0] = xstrdup(a->p.events[i]);
		row[1] = xasprintf("%" PRIu64, va);
		row[2] = k < 0 ? xstrdup("") : xasprintf("%" PRIu64, vb);
		row[3] = k < 0 ? xstrdup("") : xasprintf("%+" PRId64, (int64_t)vb - (int64_t)va);
		row[4] = k < 0 || !va ? xstrdup("") :
			 xasprintf("%+.4f", 100.0 * ((double)vb - (double)va) / (double)va);
	}
	ret = export_table(path, format, headers, 5, cells, n);
	for (size_t i = 0; i < 5 * n; i++)
		free(cells[i]);
	free(cells);
	return ret;
}

static void print_totals(const struct side *a, const struct side *b)
{
	char x[48], y[48];

	printf("%-8s %18s %18s %15s %10s\n", "event", "A", "B", "B-A", "change");
	for (size_t i = 0; i < a->p.nr_events; i++) {
		int k = cg_event_index(&b->p, a->p.events[i]);
		double va = (double)a->p.summary[i], vb = k < 0 ? NAN : (double)b->p.summary[k];

		printf("%-8s %18s %18s", a->p.events[i], format_grouped(x, sizeof(x), va),
		       k < 0 ? "-" : format_grouped(y, sizeof(y), vb));
		if (k >= 0)
			print_change(va, vb);
		putchar('\n');
	}
}

static void print_top(const struct side *a, const struct side *b, enum cg_measure m, size_t top)
{
	size_t n;
	struct fn_change *c;
	char x[48], y[48];

	if (!cg_measure_available(&a->p, m) || !cg_measure_available(&b->p, m))
		return;
	c = cache_changes(&a->p, &b->p, m, &n);
	printf("\nFunctions by change in %s:\n", cg_measure_name(m));
	if (!n || c[0].a == c[0].b) {
		printf("  (no function changed)\n");
		free(c);
		return;
	}
	printf("  %15s %15s %15s %10s  %s\n", "A", "B", "B-A", "change", "function (file)");
	for (size_t i = 0; i < n && i < top; i++) {
		if (c[i].a == c[i].b)
			break;
		printf("  %15s %15s", format_grouped(x, sizeof(x), c[i].a), format_grouped(y, sizeof(y), c[i].b));
		print_change(c[i].a, c[i].b);
		printf("  %s (%s)\n", c[i].name, c[i].file);
	}
	free(c);
}

static json_t *profile_to_json(const struct side *s)
{
	json_t *obj = json_object(), *totals = json_object(), *fns = json_array();

	json_object_set_new(obj, "command", json_text(s->text ? s->text : ""));
	if (s->p.cmd)
		json_object_set_new(obj, "cachegrind_cmd", json_text(s->p.cmd));
	for (size_t i = 0; i < s->p.nr_events; i++)
		json_object_set_new(totals, s->p.events[i], json_integer((json_int_t)s->p.summary[i]));
	json_object_set_new(obj, "totals", totals);
	for (size_t f = 0; f < s->p.nr_fns; f++) {
		json_t *fn = json_object(), *cost = json_object();

		json_object_set_new(fn, "function", json_text(s->p.fns[f].name));
		json_object_set_new(fn, "file", json_text(s->p.fns[f].file));
		for (size_t i = 0; i < s->p.nr_events; i++)
			if (s->p.fns[f].cost[i])
				json_object_set_new(cost, s->p.events[i],
						    json_integer((json_int_t)s->p.fns[f].cost[i]));
		json_object_set_new(fn, "cost", cost);
		json_array_append_new(fns, fn);
	}
	json_object_set_new(obj, "functions", fns);
	return obj;
}

static json_t *level_to_json(const struct cache_level *l)
{
	if (l->size <= 0)
		return json_null();
	return json_pack("{s:I,s:I,s:I,s:s}", "size", (json_int_t)l->size,
			 "assoc", (json_int_t)l->assoc, "line", (json_int_t)l->line,
			 "source", l->source ? l->source : "host");
}

static int save(const char *path, const struct side *a, const struct side *b,
		const struct cache_geometry *g, int branch_sim, int agree)
{
	json_t *root = json_file_new("steady-cache", 1);
	int ret;

	/* From --profiles, the caches the files simulated are not known. */
	json_object_set_new(root, "caches", !g ? json_null() :
			    json_pack("{s:o,s:o,s:o}", "I1", level_to_json(&g->i1),
				      "D1", level_to_json(&g->d1), "LL", level_to_json(&g->ll)));
	json_object_set_new(root, "branch_sim", json_boolean(branch_sim));
	json_object_set_new(root, "totals_agree", json_boolean(agree));
	json_object_set_new(root, "a", profile_to_json(a));
	json_object_set_new(root, "b", profile_to_json(b));
	ret = json_file_save(root, path, "steady-cache.", "the Cachegrind counts");
	json_decref(root);
	return ret;
}

/* Checks that a --I1/--D1/--LL value is one Cachegrind can simulate. */
static int set_level(struct cache_level *l, const char *opt, const char *arg)
{
	if (cache_level_parse(arg, l))
		return error("invalid value for %s: '%s' (expected SIZE,ASSOC,LINE in bytes, e.g. 32768,8,64)",
			     opt, arg);
	if (!cache_level_simulable(l))
		return error("%s %s cannot be simulated: size / (assoc * line) and line must be powers of two, line >= 16, line < size <= 1 GiB",
			     opt, arg);
	return 0;
}

/*
 * Fills cfg from the command line. 0; 1 after --help was printed; -1 after
 * one error line.
 */
static int parse_options_in(int argc, char **argv, const struct option_table *t,
			    struct cache_config *cfg)
{
	size_t npos = 0;
	int opt;

	memset(cfg, 0, sizeof(*cfg));
	cfg->top = 10;
	opterr = 0;
	optind = 1;
	for (;;) {
		opt = option_next(argc, argv, t->shortopts, t->longopts);
		if (opt == -1) {
			/* Options may follow A and B; ARGS follow "--". */
			if (optind < argc && strcmp(argv[optind - 1], "--") &&
			    npos < 2) {
				cfg->pos[npos++] = argv[optind++];
				continue;
			}
			break;
		}
		switch (opt) {
		case OPT_BRANCH:
			cfg->branch_sim = 1;
			break;
		case OPT_I1:
			if (set_level(&cfg->given.i1, "--I1", optarg))
				return -1;
			cfg->set_i1 = 1;
			break;
		case OPT_D1:
			if (set_level(&cfg->given.d1, "--D1", optarg))
				return -1;
			cfg->set_d1 = 1;
			break;
		case OPT_LL:
			if (set_level(&cfg->given.ll, "--LL", optarg))
				return -1;
			cfg->set_ll = 1;
			break;
		case OPT_TOP:
			if (parse_uint(optarg, 100000, &cfg->top) || !cfg->top)
				return error("invalid value for --top: '%s' (expected a whole number >= 1)",
					     optarg);
			break;
		case OPT_PROFILES:
			cfg->profiles = 1;
			break;
		case OPT_SHOW:
			cfg->show_output = 1;
			break;
		case OPT_CACHE_MD:
			cfg->markdown = optarg;
			break;
		case OPT_CACHE_CSV:
			cfg->csv = optarg;
			break;
		case 'o':
		case 'J':
			if (output_option(&cfg->output, opt, optarg))
				return -1;
			break;
		case 'V':
			print_version();
			return 1;
		case 'h':
			fputs(cache_usage_head, stdout);
			option_docs_print(stdout, cache_options);
			fputs(cache_usage_tail, stdout);
			return 1;
		default:
			option_error("cache", opt, argc, argv);
			return -1;
		}
	}
	/* getopt ended at "--" (ARGS follow), at the end, or at a third word. */
	if (optind < argc && strcmp(argv[optind - 1], "--"))
		return error("unexpected '%s': arguments for both programs go after --",
			     argv[optind]);
	if (npos < 2)
		return error("cache needs two programs (or with --profiles two files): steady cache A B [-- ARGS]");
	cfg->args = argv + optind;
	cfg->nargs = (size_t)(argc - optind);
	if (cfg->profiles && cfg->nargs)
		return error("--profiles compares files: there are no programs to pass arguments to");
	if (atomic_prepare_outputs(&cfg->output, &cfg->markdown, &cfg->csv))
		return -1;
	return 0;
}

static int parse_options(int argc, char **argv, struct cache_config *cfg)
{
	struct option_table t;
	int ret;

	option_table_init(&t, "+:", cache_options);
	ret = parse_options_in(argc, argv, &t, cfg);
	option_table_release(&t);
	return ret;
}

/* This host's caches, overridden by --I1/--D1/--LL, each one simulable. */
static void choose_geometry(const struct cache_config *cfg, struct cache_geometry *g)
{
	cache_geometry_from_sysfs(g, SYSFS_CACHE);
	if (cfg->set_i1)
		g->i1 = cfg->given.i1;
	if (cfg->set_d1)
		g->d1 = cfg->given.d1;
	if (cfg->set_ll)
		g->ll = cfg->given.ll;
	/* A host cache Cachegrind cannot simulate as is: let it choose. */
	if (!cache_level_simulable(&g->i1))
		memset(&g->i1, 0, sizeof(g->i1));
	if (!cache_level_simulable(&g->d1))
		memset(&g->d1, 0, sizeof(g->d1));
	if (!cache_level_simulable(&g->ll))
		memset(&g->ll, 0, sizeof(g->ll));
}

/* --profiles: A and B are cachegrind.out files. 0, or -1 after an error line. */
static int load_profiles(struct side sides[2], const struct cache_config *cfg)
{
	for (int i = 0; i < 2; i++) {
		sides[i].text = xstrdup(cfg->pos[i]);
		if (cachegrind_parse(cfg->pos[i], &sides[i].p))
			return -1;
		if (!sides[i].p.has_summary)
			warning("'%s' has no summary: line (cut short?): its totals are the sum of its cost lines",
				cfg->pos[i]);
	}
	return 0;
}

/*
 * Runs A, then B, under Cachegrind with their files in a new temporary
 * directory, *dir (the caller removes it once the sides are released).
 * EXIT_OK, or the exit code after an error line.
 */
static int run_sides(struct side sides[2], const struct cache_config *cfg,
		     const struct cache_geometry *g, char **dir)
{
	const char *tmpdir = getenv("TMPDIR");
	char *valgrind = spawn_find_program("valgrind");
	int ret = EXIT_USAGE;

	if (!valgrind) {
		error("steady cache needs valgrind, which is not installed (Debian: apt-get install valgrind)");
		return EXIT_USAGE;
	}
	for (int i = 0; i < 2; i++)
		if (side_command(&sides[i], cfg->pos[i], cfg->args, cfg->nargs))
			goto out;
	*dir = xasprintf("%s/steady-cache.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(*dir)) {
		error("cannot create a directory for Cachegrind's files: %s", strerror(errno));
		free(*dir);
		*dir = NULL;
		goto out;
	}
	spawn_catch_signals();
	for (int i = 0; i < 2; i++) {
		/* A signal between A and B: B is not started. */
		int r = spawn_interrupted() ? -2 : run_side(&sides[i], valgrind, *dir, g, cfg);

		if (r) {
			ret = r == -2 ? EXIT_INTERRUPTED : r == -3 ? EXIT_FAILED : EXIT_USAGE;
			goto out;
		}
	}
	ret = EXIT_OK;
out:
	free(valgrind);
	return ret;
}

static void print_report(const struct side sides[2], const struct cache_config *cfg,
			 const struct cache_geometry *g, int agree)
{
	printf("A: %s\nB: %s\n", sides[0].text, sides[1].text);
	if (!cfg->profiles) {
		char i1[64], d1[64], ll[64];

		printf("Simulated caches: I1 %s; D1 %s; LL %s%s\n",
		       cache_level_describe(i1, sizeof(i1), &g->i1),
		       cache_level_describe(d1, sizeof(d1), &g->d1),
		       cache_level_describe(ll, sizeof(ll), &g->ll),
		       cfg->set_i1 || cfg->set_d1 || cfg->set_ll ? "" : " (this host's, from sysfs)");
	}
	putchar('\n');
	print_totals(&sides[0], &sides[1]);
	if (agree) {
		printf("\nNo difference in simulated cache behaviour: every total agrees within 0.1%%.\n"
		       "Cachegrind simulates instructions and caches, not a real CPU's decoder,\n"
		       "µop cache or code alignment: if A and B differ in time, suspect code layout\n"
		       "(where the hot code landed in memory), not the work done.\n");
	} else {
		for (int m = 0; m < CG_NR_MEASURES; m++)
			print_top(&sides[0], &sides[1], (enum cg_measure)m, cfg->top);
	}
}

int cmd_cache(int argc, char **argv)
{
	struct side sides[2] = { { .label = 'A' }, { .label = 'B' } };
	struct cache_config cfg;
	struct cache_geometry g;
	char *dir = NULL;
	int ret = EXIT_USAGE, agree;

	for (int i = 0; i < 2; i++)
		cg_profile_init(&sides[i].p);
	switch (parse_options(argc, argv, &cfg)) {
	case 1:
		ret = EXIT_OK;
		goto out;
	case 0:
		break;
	default:
		goto out;
	}
	choose_geometry(&cfg, &g);
	if (cfg.profiles) {
		if (load_profiles(sides, &cfg))
			goto out;
	} else {
		ret = run_sides(sides, &cfg, &g, &dir);
		if (ret != EXIT_OK)
			goto out;
		ret = EXIT_USAGE;
	}
	agree = cache_totals_agree(&sides[0].p, &sides[1].p, AGREE_TOLERANCE);
	ret = EXIT_OK;
	/* An -o that fails keeps the counts elsewhere; the report is printed all the same. */
	if (cfg.output && save(cfg.output, &sides[0], &sides[1], cfg.profiles ? NULL : &g,
			       cfg.branch_sim, agree))
		ret = spawn_exit_code(EXIT_USAGE);
	if ((cfg.markdown && export_totals(cfg.markdown, EXPORT_MARKDOWN, &sides[0], &sides[1])) ||
	    (cfg.csv && export_totals(cfg.csv, EXPORT_CSV, &sides[0], &sides[1])))
		ret = spawn_exit_code(EXIT_USAGE);
	print_report(sides, &cfg, &g, agree);
out:
	for (int i = 0; i < 2; i++)
		side_release(&sides[i]);
	if (dir)
		rmdir(dir);
	free(dir);
	return ret;
}
