/*
 * sweep: `steady sweep` — compilers × flags × LTO × PGO, built, measured
 * together and ranked; or, with two sides, whether B against A survives
 * each configuration.
 *
 *   steady sweep [options] --src DIR --build CMD [-L NAME V1,V2] [--param 'NAME=V1;V2'] -- 'RUN'
 *   steady sweep [options] --src-a DIR --src-b DIR --build CMD ... -- 'RUN'
 *   steady sweep [options] --src DIR --patch FILE | --rev-a REV [--rev-b REV] ... -- 'RUN'
 *
 * The matrix is measure/scan's (its product, minus --exclude), each
 * configuration doubled by a profile-guided twin where --pgo asks; the
 * builds are toolchain/configs.c's (kept in the build directory and
 * reused); every build is measured in the same rounds of random order
 * (measure/bench.c) until analyse/sweep_rule.h decides. This file parses,
 * plans, prints and saves: the benchmarks belong to one struct results,
 * the configurations and their conclusions to struct sweep.
 */
#include "cmd/builtin.h"
#include "analyse/stats.h"
#include "analyse/sweep_rule.h"
#include "formats/export.h"
#include "formats/jsonfile.h"
#include "formats/results.h"
#include "lib/atomic_file.h"
#include "lib/units.h"
#include "lib/util.h"
#include "lib/words.h"
#include "measure/bench.h"
#include "measure/progress.h"
#include "measure/run_options.h"
#include "measure/scan.h"
#include "measure/spawn.h"
#include "system/checks.h"
#include "toolchain/build.h"
#include "toolchain/configs.h"
#include "toolchain/elf_text.h"
#include "toolchain/perturb.h"
#include "toolchain/pgo.h"
#include "toolchain/template.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char sweep_usage_head[] =
"usage: steady sweep [options] --src DIR --build CMD [-L NAME V1,V2] [--param 'NAME=V1;V2'] -- 'RUN'\n"
"       steady sweep [options] --src-a DIR --src-b DIR --build CMD ... -- 'RUN'\n"
"       steady sweep [options] --src DIR --patch FILE --build CMD ... -- 'RUN'\n"
"       steady sweep [options] --src DIR --rev-a REV [--rev-b REV] --build CMD ... -- 'RUN'\n"
"\n"
"Builds the program once per configuration (every combination of the\n"
"parameters' values, with a profile-guided twin where --pgo asks), measures\n"
"every build interleaved until each comparison is decided or --max-time\n"
"(default 120 s) is spent, and ranks them against the baseline. With two\n"
"sides (--src-a/--src-b, --patch, --rev-a/--rev-b), says per configuration\n"
"whether B is SLOWER, FASTER or the SAME as A. Builds happen in private\n"
"copies kept in the build directory, never in your tree, and are reused.\n"
"\n";

enum {
	OPT_SRC = OPT_COMMAND_BASE, OPT_SRC_A, OPT_SRC_B, OPT_PATCH, OPT_REV_A, OPT_REV_B,
	OPT_BUILD, OPT_PARAM, OPT_EXCLUDE, OPT_CC, OPT_PGO, OPT_PGO_TRAIN, OPT_BASELINE,
	OPT_LAYOUT_VARIANTS, OPT_BINARY, OPT_BUILDS, OPT_REBUILD, OPT_SWEEP_MD, OPT_SWEEP_CSV
};

static const struct option_doc sweep_docs[] = {
	OPTDOC_TEXT("Sources:"),
	OPTDOC(NULL, "src", OPT_SRC, "DIR",
	       "the tree to build; with --patch FILE or --rev-a/--rev-b\n"
	       "it gives both sides of an A/B sweep"),
	OPTDOC(NULL, "src-a", OPT_SRC_A, "DIR", NULL),
	OPTDOC(NULL, "src-b", OPT_SRC_B, "DIR", "an A/B sweep of two trees"),
	OPTDOC(NULL, "patch", OPT_PATCH, "FILE", "B is the --src tree plus this patch (patch -p1)"),
	OPTDOC(NULL, "rev-a", OPT_REV_A, "REV", NULL),
	OPTDOC(NULL, "rev-b", OPT_REV_B, "REV", "git revisions of the --src tree (a missing one\n"
	       "is the work tree)"),
	OPTDOC(NULL, "build", OPT_BUILD, "CMD",
	       "the build command, run in each copy (may be given\n"
	       "again: run in order). Placeholders: {dir} the copy,\n"
	       "{cc}, {cflags}, {ldflags} and every parameter's\n"
	       "{NAME}; e.g. 'make -C {dir} CC={cc} CFLAGS={cflags}'"),
	OPTDOC(NULL, NULL, 0, "RUN", "the benchmark, with {dir}: '{dir}/prog args'\n"
	       "(--shell runs --build and RUN with /bin/sh -c)"),
	OPTDOC_TEXT(""),
	OPTDOC_TEXT("Configurations:"),
	OPTDOC("L", "parameter-list", 'L', "NAME V1,V2",
	       "a parameter and its values, split at commas (also\n"
	       "-L NAME=V1,V2); cc, cflags and ldflags fill {cc},\n"
	       "{cflags}, {ldflags}"),
	OPTDOC(NULL, "param", OPT_PARAM, "NAME=V1;V2",
	       "the same, values split at ';' only, so they may hold\n"
	       "blanks and commas: --param 'cflags=-O2;-O2 -flto'"),
	OPTDOC(NULL, "exclude", OPT_EXCLUDE, "NAME=V;NAME=V",
	       "leave out the configurations with all of these\n"
	       "values (may be given again)"),
	OPTDOC(NULL, "cc", OPT_CC, "CC", "{cc} when no parameter is named cc (default $CC, else cc)"),
	OPTDOC(NULL, "pgo", OPT_PGO, "LIST",
	       "add a profile-guided twin of each configuration whose\n"
	       "compiler is in LIST (names or families: gcc,clang;\n"
	       "all): instrumented build, training, optimised build"),
	OPTDOC(NULL, "pgo-train", OPT_PGO_TRAIN, "CMD",
	       "the training run, with {dir} the instrumented tree\n"
	       "(may be given again; default: RUN once)"),
	OPTDOC(NULL, "baseline", OPT_BASELINE, "N|LABEL",
	       "the configuration the others are compared with: its\n"
	       "number in the matrix or its label (default: the first)"),
	OPTDOC(NULL, "layout-variants", OPT_LAYOUT_VARIANTS, "K",
	       "also build K align variants of each configuration\n"
	       "(steady layout's): a gap inside the layout spread is\n"
	       "marked 'within layout noise'; A/B: layout's verdict"),
	OPTDOC("j", "jobs", 'j', "N", "builds at once (default: the CPUs)"),
	OPTDOC(NULL, "binary", OPT_BINARY, "PATH",
	       "the built program, relative to {dir}, that a build\n"
	       "must make (default: RUN's program, when in the tree)"),
	OPTDOC(NULL, "builds", OPT_BUILDS, "DIR",
	       "where builds and their logs are kept and found again\n"
	       "(default $XDG_CACHE_HOME/steady/sweep)"),
	OPTDOC(NULL, "rebuild", OPT_REBUILD, NULL, "build everything again, whatever is kept"),
	OPTDOC_TEXT(""),
	OPTDOC_TEXT("Verdict:"),
	RUN_VERDICT_OPTIONS("practical margin in percent (default 1)",
			    "what judges each comparison, as in compare: median\n"
			    "(default), hl, mean, min"),
	OPTDOC_TEXT(""),
	OPTDOC_INCLUDE(run_option_docs),
	OPTDOC_INCLUDE(run_metric_docs),
	OPTDOC_TEXT("Results:"),
	OPTDOC("o", NULL, 'o', "FILE",
	       "every build's runs, flags and build record, and the\n"
	       "table's conclusions, as JSON; -o - writes it to stdout"),
	OPTION_EXPORT_JSON,
	OPTDOC(NULL, "export-markdown", OPT_SWEEP_MD, "FILE", "the table as Markdown"),
	OPTDOC(NULL, "export-csv", OPT_SWEEP_CSV, "FILE", "the table as CSV"),
	OPTION_JSON("the same as -o -: only the JSON on stdout, the\n"
		    "table on stderr"),
	OPTDOC_INCLUDE(run_save_docs),
	OPTDOC_END
};

static const char sweep_usage_tail[] =
"\n"
"Exit codes: 0 done (a configuration that failed to build is listed and\n"
"skipped), 1 no configuration built or a run failed, 2 bad usage or input,\n"
"130 interrupted (what was measured is judged and saved).\n";

static const struct command_help sweep_help = {
	"sweep", sweep_usage_head, sweep_docs, sweep_usage_tail
};

#define SWEEP_MAX_TIME 120.0
#define SWEEP_MAX_LAYOUT_VARIANTS PERTURB_ALIGN_CHOICES
#define NO_BENCHMARK SIZE_MAX


/* One configuration of the matrix, and what became of it. */
struct sweep_config {
	char *label;                  /* "cc=gcc cflags=-O2 pgo" */
	struct template_value *params;  /* every parameter's value (borrowed from the scan) */
	struct template_value *extra;   /* those other than cc, cflags, ldflags */
	size_t nr_extra;
	const char *cc, *cflags, *ldflags;
	int pgo;
	enum pgo_compiler family;
	size_t first_build;           /* its builds: per side, its own then its variants */
	int measured;                 /* every side's own build built */
	size_t bench[2];              /* its own builds' benchmarks, per side */
	size_t *variants[2];          /* its variants' benchmarks, per side */
	size_t nr_variants[2];
	/* conclusions */
	int compared;
	struct comparison c;          /* against the baseline, or B against A */
	unsigned holm_step;
	int layout_judged;
	struct layout_assessment layout;
	size_t rank;                  /* 1 = fastest (ranking sweep); 0 none */
	double center, center_lo, center_hi;  /* the judged statistic of its own build (A's) */
	double center_b, center_b_lo, center_b_hi;  /* B's, in an A/B sweep */
};

struct sweep_args {
	struct bench_config cfg;
	struct compare_options copts;
	struct configs_request req;
	struct scan scan;
	const char *src;
	char **build, **train, **excludes;
	size_t alloc_build, alloc_train, nr_excludes, alloc_excludes;
	const char *cc;
	char **pgo;                   /* --pgo words */
	size_t nr_pgo;
	const char *baseline;
	size_t layout_variants;
	const char *output, *markdown, *csv;
	char *builds_dir;
	const char *run;
	int two_sides;
};

static void sweep_args_init(struct sweep_args *a)
{
	memset(a, 0, sizeof(*a));
	bench_config_init(&a->cfg);
	a->cfg.max_time = SWEEP_MAX_TIME;
	compare_options_init(&a->copts);
	scan_init(&a->scan);
}

static void sweep_args_release(struct sweep_args *a)
{
	bench_config_release(&a->cfg);
	scan_release(&a->scan);
	free(a->build);
	free(a->train);
	free(a->excludes);
	words_free(a->pgo);
	free(a->builds_dir);
}

/* The sides: which options go together. 0, or -1 after one line. */
static int check_sides(struct sweep_args *a)
{
	struct configs_request *r = &a->req;

	if (r->src_a || r->src_b) {
		if (a->src)
			return error("--src cannot be combined with --src-a/--src-b");
		if (!r->src_a || !r->src_b)
			return error("--src-a and --src-b go together");
		if (r->patch || r->rev_a || r->rev_b)
			return error("--patch and --rev-a/--rev-b go with --src, not --src-a/--src-b");
		a->two_sides = r->two_sides = 1;
		return 0;
	}
	if (!a->src)
		return error("sweep needs the sources: --src DIR (or --src-a DIR --src-b DIR)");
	if (r->patch && r->rev_b)
		return error("--patch makes B from the work tree: it cannot be combined with --rev-b");
	/* configs.h: a missing revision is the work tree, the patch goes to B */
	r->src_a = a->src;
	a->two_sides = r->patch || r->rev_a || r->rev_b;
	r->two_sides = a->two_sides;
	return 0;
}

/* -L NAME V1,V2 or -L NAME=V1,V2. 0, or -1 after one line. */
static int take_list(int argc, char **argv, struct scan *scan, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (eq) {
		char *name = xasprintf("%.*s", (int)(eq - arg), arg);
		int ret = scan_add_list(scan, name, eq + 1);

		free(name);
		return ret;
	}
	if (optind >= argc || !strcmp(argv[optind], "--"))
		return error("-L %s needs a list V1,V2 after its name", arg);
	return scan_add_list(scan, arg, argv[optind++]);
}

/* 0 to go on, 1 after --help was printed, -1 after one error line. */
static int parse_sweep_options(int argc, char **argv, struct sweep_args *a)
{
	struct option_table t;
	struct configs_request *r = &a->req;
	double margin_pct = 1.0;
	unsigned long n;
	enum run_common_result common;
	int opt, seed_given = 0, ret = -1;
	size_t nr_build = 0, nr_train = 0;

	opterr = 0;
	optind = 1;
	option_table_init(&t, "+:", sweep_docs);
	while ((opt = run_options_next(argc, argv, t.shortopts, t.longopts,
				       &a->cfg, &seed_given)) != -1) {
		switch (opt) {
		case RUN_OPTION_INVALID:
			goto out;
		case OPT_SRC:
			a->src = optarg;
			break;
		case OPT_SRC_A:
			r->src_a = optarg;
			break;
		case OPT_SRC_B:
			r->src_b = optarg;
			break;
		case OPT_PATCH:
			r->patch = optarg;
			break;
		case OPT_REV_A:
			r->rev_a = optarg;
			break;
		case OPT_REV_B:
			r->rev_b = optarg;
			break;
		case OPT_BUILD:
			ALLOC_GROW(a->build, nr_build + 2, a->alloc_build);
			a->build[nr_build++] = optarg;
			a->build[nr_build] = NULL;
			break;
		case OPT_PGO_TRAIN:
			ALLOC_GROW(a->train, nr_train + 2, a->alloc_train);
			a->train[nr_train++] = optarg;
			a->train[nr_train] = NULL;
			break;
		case 'L':
			if (take_list(argc, argv, &a->scan, optarg))
				goto out;
			break;
		case OPT_PARAM:
			if (scan_add_param(&a->scan, optarg))
				goto out;
			break;
		case OPT_EXCLUDE:
			ALLOC_GROW(a->excludes, a->nr_excludes + 1, a->alloc_excludes);
			a->excludes[a->nr_excludes++] = optarg;
			break;
		case OPT_CC:
			a->cc = optarg;
			break;
		case OPT_PGO: {
			size_t nw;

			words_free(a->pgo);
			a->pgo = NULL;
			if (!*optarg) {
				error("--pgo needs a list of compilers: gcc, clang, a {cc} value, or all");
				goto out;
			}
			/* a list split at commas, like -L's */
			{
				char *copy = xstrdup(optarg), *save = NULL;

				nw = 0;
				a->pgo = xcalloc(strlen(optarg) + 2, sizeof(*a->pgo));
				for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save))
					a->pgo[nw++] = xstrdup(w);
				free(copy);
			}
			a->nr_pgo = nw;
			if (!nw) {
				error("--pgo needs a list of compilers: gcc, clang, a {cc} value, or all");
				goto out;
			}
			break;
		}
		case OPT_BASELINE:
			a->baseline = optarg;
			break;
		case OPT_LAYOUT_VARIANTS:
			if (parse_uint(optarg, SWEEP_MAX_LAYOUT_VARIANTS, &n) || n == 1) {
				error("invalid value for --layout-variants: '%s' (expected 0, or 2 to %d)",
				      optarg, SWEEP_MAX_LAYOUT_VARIANTS);
				goto out;
			}
			a->layout_variants = n;
			break;
		case 'j':
			if (build_parse_jobs(optarg, &r->jobs))
				goto out;
			break;
		case OPT_BINARY:
			r->binary = optarg;
			break;
		case OPT_BUILDS:
			free(a->builds_dir);
			a->builds_dir = xstrdup(optarg);
			break;
		case OPT_REBUILD:
			r->rebuild = 1;
			break;
		case OPT_SWEEP_MD:
			a->markdown = optarg;
			break;
		case OPT_SWEEP_CSV:
			a->csv = optarg;
			break;
		default:
			common = run_common_option(opt, optarg, argc, argv, &a->output, &sweep_help,
						   &margin_pct, &a->copts.estimator);
			if (common != RUN_COMMON_GO_ON) {
				ret = common == RUN_COMMON_DONE ? 1 : -1;
				goto out;
			}
			break;
		}
	}
	a->copts.margin = margin_pct / 100.0;
	if (optind > argc || strcmp(argv[optind - 1], "--")) {
		error("sweep takes its run command after -- (see 'steady sweep --help')");
		goto out;
	}
	if (argc - optind != 1) {
		error("sweep needs one run command after -- (with {dir} for the build's tree), not %d",
		      argc - optind);
		goto out;
	}
	a->run = argv[optind];
	if (!nr_build) {
		error("sweep needs --build CMD to build each configuration (see 'steady sweep --help')");
		goto out;
	}
	if (check_sides(a) || run_options_check(&a->cfg))
		goto out;
	for (size_t i = 0; i < a->nr_excludes; i++)
		if (scan_add_exclude(&a->scan, a->excludes[i]))
			goto out;
	if (nr_train && !a->nr_pgo) {
		error("--pgo-train gives PGO's training run: it needs --pgo");
		goto out;
	}
	if (a->baseline && a->two_sides) {
		error("--baseline chooses the configuration others are ranked against: an A/B sweep compares B with A in each");
		goto out;
	}
	r->build = a->build;
	r->nr_build = nr_build;
	r->train = a->train;
	r->nr_train = nr_train;
	r->shell = a->cfg.shell;
	r->run = a->run;
	if (!r->jobs)
		r->jobs = build_default_jobs();
	if (!a->builds_dir)
		a->builds_dir = configs_default_dir();
	if (!a->builds_dir) {
		error("no place to keep builds: set HOME or XDG_CACHE_HOME, or give --builds DIR");
		goto out;
	}
	r->builds_dir = a->builds_dir;
	if (!a->cc)
		a->cc = build_default_cc();
	if (seed_given)
		a->copts.seed = a->cfg.seed;
	else
		a->cfg.seed = run_random_seed();
	if (atomic_prepare_outputs(&a->output, &a->markdown, &a->csv))
		goto out;
	ret = 0;
out:
	option_table_release(&t);
	return ret;
}

/* ---- the configurations ---- */

struct sweep {
	struct sweep_config *configs;
	size_t nr, alloc;
	size_t base;                    /* ranking: the baseline's index */
	size_t sides;                   /* 1, or 2 for A/B */
	size_t per_side;                /* builds per side of a configuration: 1 + K */
	struct config_build *builds;
	size_t nr_builds;
	char **param_names;             /* the scan's, borrowed */
	size_t nr_params;
	unsigned looks;
	int final_look;
};

static void sweep_release(struct sweep *s)
{
	for (size_t i = 0; i < s->nr; i++) {
		free(s->configs[i].label);
		free(s->configs[i].params);
		free(s->configs[i].extra);
		free(s->configs[i].variants[0]);
		free(s->configs[i].variants[1]);
	}
	free(s->configs);
	for (size_t i = 0; i < s->nr_builds; i++) {
		config_build_release(&s->builds[i]);
		free((char *)s->builds[i].label);
		free((char *)s->builds[i].variant_cflags);
	}
	free(s->builds);
	free(s->param_names);
}

/* The value of parameter name in c, or NULL. */
static const char *param_value(const struct sweep_config *c, size_t nr, const char *name)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(c->params[i].name, name))
			return c->params[i].value;
	return NULL;
}

/* Whether --pgo's list names compiler cc itself (or all). */
static int pgo_named(const struct sweep_args *a, const char *cc)
{
	for (size_t i = 0; i < a->nr_pgo; i++)
		if (!strcmp(a->pgo[i], "all") || !strcmp(a->pgo[i], cc))
			return 1;
	return 0;
}

/* Whether --pgo's list takes compiler cc of family f. */
static int pgo_wanted(const struct sweep_args *a, const char *cc, enum pgo_compiler f)
{
	for (size_t i = 0; i < a->nr_pgo; i++)
		if (!strcmp(a->pgo[i], "all") || !strcmp(a->pgo[i], cc) ||
		    !strcmp(a->pgo[i], pgo_compiler_name(f)))
			return 1;
	return 0;
}

static struct sweep_config *add_config(struct sweep *s, const struct sweep_args *a, size_t k)
{
	struct sweep_config *c;
	size_t np = a->scan.nr;

	ALLOC_GROW(s->configs, s->nr + 1, s->alloc);
	c = &s->configs[s->nr++];
	memset(c, 0, sizeof(*c));
	c->params = xcalloc(np + 1, sizeof(*c->params));
	c->extra = xcalloc(np + 1, sizeof(*c->extra));
	scan_combination(&a->scan, k, c->params);
	for (size_t i = 0; i < np; i++) {
		const char *name = c->params[i].name;

		if (strcmp(name, "cc") && strcmp(name, "cflags") && strcmp(name, "ldflags"))
			c->extra[c->nr_extra++] = c->params[i];
	}
	c->cc = param_value(c, np, "cc");
	if (!c->cc)
		c->cc = a->cc;
	c->cflags = param_value(c, np, "cflags");
	c->ldflags = param_value(c, np, "ldflags");
	c->bench[0] = c->bench[1] = NO_BENCHMARK;
	return c;
}

static char *config_label(const struct sweep_config *c, size_t np)
{
	char *label = xstrdup(""), *next;

	for (size_t i = 0; i < np; i++) {
		next = xasprintf("%s%s%s=%s", label, i ? " " : "", c->params[i].name,
				 c->params[i].value);
		free(label);
		label = next;
	}
	if (c->pgo) {
		next = xasprintf("%s%spgo", label, *label ? " " : "");
		free(label);
		label = next;
	}
	if (!*label) {
		free(label);
		label = xstrdup("default");
	}
	return label;
}

/*
 * The configurations: the scan's product in order, excluded ones left
 * out, each followed by its PGO twin where --pgo takes its compiler.
 * 0, or -1 after one line.
 */
static int plan_configs(struct sweep *s, const struct sweep_args *a)
{
	size_t total = scan_count(&a->scan), np = a->scan.nr;
	int *pgo_used = xcalloc(a->nr_pgo + 1, sizeof(*pgo_used));
	int ret = -1;

	for (size_t k = 0; k < total; k++) {
		struct sweep_config *c, *twin;
		enum pgo_compiler f = PGO_GCC;

		if (scan_excluded(&a->scan, k))
			continue;
		c = add_config(s, a, k);
		c->label = config_label(c, np);
		if (!a->nr_pgo)
			continue;
		/* a compiler named in --pgo must be gcc or clang; others are asked quietly */
		if (pgo_named(a, c->cc) ? pgo_compiler_family(c->cc, &f) :
		    pgo_compiler_family_quiet(c->cc, &f)) {
			if (pgo_named(a, c->cc) || spawn_interrupted())
				goto out;
			continue;
		}
		c->family = f;
		if (!pgo_wanted(a, c->cc, f))
			continue;
		for (size_t i = 0; i < a->nr_pgo; i++)
			pgo_used[i] |= !strcmp(a->pgo[i], "all") || !strcmp(a->pgo[i], c->cc) ||
				       !strcmp(a->pgo[i], pgo_compiler_name(f));
		twin = add_config(s, a, k);
		twin->pgo = 1;
		twin->family = f;
		twin->label = config_label(twin, np);
	}
	if (!s->nr) {
		error("--exclude leaves no configuration to build");
		goto out;
	}
	for (size_t i = 0; i < a->nr_pgo; i++)
		if (!pgo_used[i]) {
			error("--pgo %s: no configuration compiles with it", a->pgo[i]);
			goto out;
		}
	ret = 0;
out:
	free(pgo_used);
	return ret;
}

/* Whether some build command hands {cflags} to the build. */
static int builds_take_cflags(const struct sweep_args *a)
{
	for (size_t i = 0; i < a->req.nr_build; i++)
		if (strstr(a->build[i], "{cflags}"))
			return 1;
	return 0;
}

/* 1 when flags hold -flto (or -flto=...). */
static int wants_lto(const char *flags)
{
	for (const char *p = flags; p && (p = strstr(p, "-flto")) != NULL; p += 5)
		if ((p == flags || p[-1] == ' ') && (p[5] == '\0' || p[5] == ' ' || p[5] == '='))
			return 1;
	return 0;
}

/*
 * LTO needs the compiler's linker plugin (gcc's own; clang's LLVMgold,
 * or lld): a compiler that cannot link a small program with a
 * configuration's LTO flags here is said so before an hour of builds,
 * with what to install. A note, not an error: the build may know better
 * (its own -fuse-ld). 0, or -1 when interrupted.
 */
static int check_lto(const struct sweep *s)
{
	for (size_t i = 0; i < s->nr; i++) {
		const struct sweep_config *c = &s->configs[i];
		int seen = 0, ok;

		if (c->pgo || (!wants_lto(c->cflags) && !wants_lto(c->ldflags)))
			continue;
		for (size_t j = 0; j < i; j++)
			seen |= !s->configs[j].pgo && !strcmp(s->configs[j].cc, c->cc) &&
				(wants_lto(s->configs[j].cflags) || wants_lto(s->configs[j].ldflags));
		if (seen)
			continue;
		ok = build_compiler_accepts(c->cc, "-O2 -flto", c->ldflags ? c->ldflags : "");
		if (ok < 0)
			return spawn_interrupted() ? -1 : 0;
		if (!ok)
			note("%s cannot link with -flto here: %s", c->cc,
			     strstr(c->cc, "clang") ?
			     "clang needs its linker plugin LLVMgold.so (Debian: llvm-14-linker-tools) or ld.lld with -fuse-ld=lld in {ldflags}" :
			     "gcc needs its LTO plugin (liblto_plugin.so, part of gcc) and binutils' ld");
	}
	return 0;
}

/*
 * PGO's flags hold paths inside the build directory, and a flag list
 * splits at blanks: a directory whose path PGO cannot use is said before
 * anything is built (the path as configs.c will make it: absolute). 0 or -1.
 */
static int check_pgo_paths(const struct sweep_args *a)
{
	char cwd[PATH_MAX], *dir, *gen, *profile;
	struct pgo_flags f = PGO_FLAGS_INIT;
	int ret;

	if (a->builds_dir[0] == '/')
		dir = xstrdup(a->builds_dir);
	else if (getcwd(cwd, sizeof(cwd)))
		dir = xasprintf("%s/%s", cwd, a->builds_dir);
	else
		return error("cannot tell the current directory: %s", strerror(errno));
	gen = xasprintf("%s/0123456789abcdef/gen", dir);
	profile = xasprintf("%s/0123456789abcdef/profile", dir);
	ret = pgo_generate_flags(PGO_GCC, profile, gen, &f);
	pgo_flags_release(&f);
	free(gen);
	free(profile);
	free(dir);
	return ret;
}

/*
 * What must hold before anything is built: the commands name only known
 * placeholders; PGO and layout variants have {cflags} to add their flags
 * to; every compiler PGO or the variants need can do it. 0, or -1.
 */
static int check_plan(const struct sweep *s, const struct sweep_args *a)
{
	char **names = xcalloc(a->scan.nr + 1, sizeof(*names));
	int ret = -1;

	for (size_t i = 0; i < a->scan.nr; i++) {
		names[i] = a->scan.params[i].name;
		if (!strcmp(names[i], "dir") || !strcmp(names[i], "seed")) {
			error("parameter '%s' is steady's own placeholder: choose another name", names[i]);
			goto out;
		}
	}
	for (size_t i = 0; i < a->req.nr_build; i++)
		if (build_check_template_with(a->build[i], a->cfg.shell, names, a->scan.nr))
			goto out;
	for (size_t i = 0; i < a->req.nr_train; i++)
		if (build_check_template_with(a->train[i], a->cfg.shell, names, a->scan.nr))
			goto out;
	/* the run command, as run_argv() will fill it ({seed} is the builds' alone) */
	if (strstr(a->run, "{seed}")) {
		error("the run command names {seed}, which only build commands have");
		goto out;
	}
	if (build_check_template_with(a->run, a->cfg.shell, names, a->scan.nr))
		goto out;
	if (!a->two_sides && s->nr < 2) {
		error("a ranking sweep needs two configurations or more (give -L or --param two values), or two sides (--patch, --src-a/--src-b, --rev-a)");
		goto out;
	}
	if (s->nr * (a->two_sides ? 2 : 1) * (1 + a->layout_variants) > BENCH_MAX_TOGETHER) {
		error("%zu builds to measure together: at most %d (fewer values or --layout-variants)",
		      s->nr * (a->two_sides ? 2 : 1) * (1 + a->layout_variants), BENCH_MAX_TOGETHER);
		goto out;
	}
	if ((a->nr_pgo || a->layout_variants) && !builds_take_cflags(a)) {
		error("%s adds compiler flags through {cflags}, and no --build command has it (e.g. 'make -C {dir} CFLAGS={cflags}')",
		      a->nr_pgo ? "--pgo" : "--layout-variants");
		goto out;
	}
	for (size_t i = 0; i < s->nr; i++) {
		const struct sweep_config *c = &s->configs[i];
		int seen = 0;

		/* each compiler checked once */
		for (size_t j = 0; j < i; j++)
			seen |= !strcmp(s->configs[j].cc, c->cc) && s->configs[j].pgo == c->pgo;
		if (seen)
			continue;
		if (c->pgo && pgo_check(c->family, c->cc))
			goto out;
		if (a->layout_variants && !c->pgo && perturb_check(PERTURB_ALIGN, c->cc))
			goto out;
	}
	if (a->nr_pgo && check_pgo_paths(a))
		goto out;
	if (check_lto(s))
		goto out;
	ret = 0;
out:
	free(names);
	return ret;
}

/* Every build of every configuration, in sweep's order (configs.h). */
static void plan_builds(struct sweep *s, const struct sweep_args *a)
{
	s->sides = a->two_sides ? 2 : 1;
	s->per_side = 1 + a->layout_variants;
	s->nr_builds = s->nr * s->sides * s->per_side;
	s->builds = xcalloc(s->nr_builds + 1, sizeof(*s->builds));
	for (size_t i = 0; i < s->nr; i++) {
		struct sweep_config *c = &s->configs[i];

		c->first_build = i * s->sides * s->per_side;
		for (size_t side = 0; side < s->sides; side++)
			for (size_t v = 0; v < s->per_side; v++) {
				size_t at = c->first_build + side * s->per_side + v;
				struct config_build *b = &s->builds[at];
				char side_name[4] = "";

				if (s->sides == 2)
					snprintf(side_name, sizeof(side_name), "%c ", (int)('A' + side));
				b->side = (int)side;
				b->values = c->extra;
				b->nr_values = c->nr_extra;
				b->cc = c->cc;
				b->cflags = c->cflags;
				b->ldflags = c->ldflags;
				b->pgo = c->pgo;
				b->family = c->family;
				if (v) {
					struct perturb_flags f;

					/* the same K layouts every sweep, so kept builds serve again */
					perturb_variant(PERTURB_ALIGN, PERTURB_KEPT_SEED, v - 1, &f);
					b->variant_cflags = xstrdup(f.cflags);
					b->profile_of = c->first_build + side * s->per_side;
					b->label = xasprintf("%s%s, align %zu", side_name, c->label, v);
				} else {
					b->label = xasprintf("%s%s", side_name, c->label);
				}
			}
	}
}

/* ---- the benchmarks ---- */

/* The run template with {dir} and the parameters filled in: a new argv, or NULL after one line. */
static char **run_argv(const struct sweep_args *a, const struct sweep_config *c,
		       const char *dir, size_t *argc)
{
	struct template_value *v = xcalloc(a->scan.nr + 5, sizeof(*v));
	struct template t = { v, 0 };
	char **argv;

	/* the parameters, then what they leave of {cc}, {cflags}, {ldflags}, and {dir} */
	for (size_t i = 0; i < a->scan.nr; i++)
		v[t.nr++] = c->params[i];
	if (!param_value(c, a->scan.nr, "cc"))
		v[t.nr++] = (struct template_value){ "cc", c->cc, 0 };
	if (!param_value(c, a->scan.nr, "cflags"))
		v[t.nr++] = (struct template_value){ "cflags", "", 0 };
	if (!param_value(c, a->scan.nr, "ldflags"))
		v[t.nr++] = (struct template_value){ "ldflags", "", 0 };
	v[t.nr++] = (struct template_value){ "dir", dir, 0 };
	argv = template_command(&t, a->run, a->cfg.shell, argc);
	free(v);
	return argv;
}

/* A benchmark for build b of configuration c: its index, or NO_BENCHMARK after one line. */
static size_t add_benchmark(struct results *res, const struct sweep_args *a,
			    const struct sweep_config *c, const struct config_build *b)
{
	struct benchmark *bm;
	size_t argc;
	char **argv = run_argv(a, c, b->dir, &argc);

	if (!argv)
		return NO_BENCHMARK;
	bm = results_add_benchmark(res);
	bench_config_copy(&bm->config, &a->cfg);
	bm->name = xstrdup(b->label);
	benchmark_set_argv(bm, argv, argc);
	words_free(argv);
	return res->nr_benchmarks - 1;
}

/*
 * The benchmarks of every configuration whose own builds all built, its
 * variants that built beside them. 0, or -1 after one line.
 */
static int add_benchmarks(struct sweep *s, const struct sweep_args *a, struct results *res)
{
	for (size_t i = 0; i < s->nr; i++) {
		struct sweep_config *c = &s->configs[i];

		c->measured = 1;
		for (size_t side = 0; side < s->sides; side++)
			c->measured &= s->builds[c->first_build + side * s->per_side].ok;
		if (!c->measured)
			continue;
		for (size_t side = 0; side < s->sides; side++) {
			size_t first = c->first_build + side * s->per_side;

			c->bench[side] = add_benchmark(res, a, c, &s->builds[first]);
			if (c->bench[side] == NO_BENCHMARK)
				return -1;
			c->variants[side] = xcalloc(s->per_side, sizeof(size_t));
			for (size_t v = 1; v < s->per_side; v++) {
				size_t k;

				if (!s->builds[first + v].ok)
					continue;
				k = add_benchmark(res, a, c, &s->builds[first + v]);
				if (k == NO_BENCHMARK)
					return -1;
				c->variants[side][c->nr_variants[side]++] = k;
			}
		}
	}
	return 0;
}

/*
 * A PGO build whose code is byte for byte its plain twin's: the profile
 * changed nothing, or was never found. Said, not hidden: a "PGO" row
 * that is not one would mislead. The twin is the configuration before it.
 */
static void check_pgo_effect(const struct sweep *s)
{
	for (size_t i = 1; i < s->nr; i++) {
		const struct sweep_config *c = &s->configs[i], *plain = &s->configs[i - 1];
		const struct config_build *x = &s->builds[c->first_build];
		const struct config_build *y = &s->builds[plain->first_build];
		uint64_t dx[2], dy[2];

		if (!c->pgo || plain->pgo || !x->ok || !y->ok || !x->program || !y->program)
			continue;
		if (elf_section_digest(x->program, ".text", dx) ||
		    elf_section_digest(y->program, ".text", dy))
			continue;
		if (dx[0] == dy[0] && dx[1] == dy[1])
			note("%s: its code is the same as without PGO, byte for byte: the profile changed nothing, or was not found (log: %s)",
			     c->label, x->log);
	}
}

/*
 * The baseline of a ranking sweep, before anything is built: --baseline's
 * number or label, else the first configuration. 0, or -1 after one line.
 */
static int resolve_baseline(struct sweep *s, const struct sweep_args *a)
{
	unsigned long n;
	size_t i;

	s->base = 0;
	if (!a->baseline)
		return 0;
	if (!parse_uint(a->baseline, s->nr, &n) && n >= 1) {
		s->base = n - 1;
		return 0;
	}
	for (i = 0; i < s->nr && strcmp(s->configs[i].label, a->baseline); i++)
		;
	if (i == s->nr)
		return error("--baseline '%s': no configuration is numbered or labelled so (1 to %zu, or e.g. '%s')",
			     a->baseline, s->nr, s->configs[0].label);
	s->base = i;
	return 0;
}

/* After the builds: the baseline must have built; without --baseline, the first that did. */
static int check_baseline(struct sweep *s, const struct sweep_args *a)
{
	if (s->configs[s->base].measured)
		return 0;
	if (a->baseline)
		return error("the baseline '%s' did not build: nothing to compare with",
			     s->configs[s->base].label);
	while (!s->configs[s->base].measured)
		s->base++;
	return 0;
}

/* ---- the conclusions ---- */

/* The judged statistic of benchmark b with its interval, into c->center*. */
static void describe_center(struct sweep_config *c, const struct benchmark *b,
			    const char *metric, enum estimator e)
{
	size_t n;
	double *x = benchmark_metric_values(b, metric, &n);
	struct summary sm;

	c->center = c->center_lo = c->center_hi = NAN;
	if (!x || !n) {
		free(x);
		return;
	}
	stats_summarize_sorting(x, n, &sm);
	free(x);
	if (e == ESTIMATOR_MEAN) {
		c->center = sm.mean;
		c->center_lo = sm.mean_ci_lo;
		c->center_hi = sm.mean_ci_hi;
	} else if (e == ESTIMATOR_MIN) {
		c->center = sm.min;
	} else {
		c->center = sm.median;
		c->center_lo = sm.median_ci_lo;
		c->center_hi = sm.median_ci_hi;
	}
}

/* A ranking sweep's layout question: c against the fastest, both with their variants. */
static void judge_gap(struct sweep *s, struct sweep_config *c, const struct sweep_config *best,
		      struct benchmark **bs, const char *metric, const struct compare_options *o)
{
	struct sweep_layout_set set;
	size_t len = 2 + best->nr_variants[0] + c->nr_variants[0], k = 0;

	(void)s;
	if (best->nr_variants[0] < 2 || c->nr_variants[0] < 2)
		return;
	set.index = xcalloc(len, sizeof(size_t));
	set.ka = best->nr_variants[0];
	set.kb = c->nr_variants[0];
	set.index[k++] = best->bench[0];
	set.index[k++] = c->bench[0];
	for (size_t i = 0; i < set.ka; i++)
		set.index[k++] = best->variants[0][i];
	for (size_t i = 0; i < set.kb; i++)
		set.index[k++] = c->variants[0][i];
	c->layout_judged = !sweep_layout_judge(bs, &set, metric, o, &c->layout);
	free(set.index);
}

/* Ranks the measured configurations by their statistic: 1 the fastest. Returns the fastest. */
static size_t rank_configs(struct sweep *s)
{
	size_t best = NO_BENCHMARK;

	for (size_t i = 0; i < s->nr; i++) {
		struct sweep_config *c = &s->configs[i];

		if (!c->measured || !isfinite(c->center))
			continue;
		c->rank = 1;
		for (size_t j = 0; j < s->nr; j++) {
			const struct sweep_config *d = &s->configs[j];

			if (d->measured && isfinite(d->center) &&
			    (d->center < c->center || (d->center == c->center && j < i)))
				c->rank++;
		}
		if (c->rank == 1)
			best = i;
	}
	return best;
}

/* ---- printing ---- */

static const char *shown_value(const char *v)
{
	return *v ? v : "(none)";
}

static enum value_unit metric_unit_of(const char *metric)
{
	return metric ? (enum value_unit)metric_unit(metric) : VALUE_SECONDS;
}

/* "12.3 ms [12.2, 12.5]" */
static char *format_center(const struct sweep_config *c, const char *metric)
{
	char v[32], lo[32], hi[32];
	enum value_unit u = metric_unit_of(metric);

	if (!isfinite(c->center))
		return xstrdup("n/a");
	format_metric(v, sizeof(v), c->center, u);
	if (!isfinite(c->center_lo) || !isfinite(c->center_hi))
		return xstrdup(v);
	format_metric(lo, sizeof(lo), c->center_lo, u);
	format_metric(hi, sizeof(hi), c->center_hi, u);
	return xasprintf("%s [%s, %s]", v, lo, hi);
}

/* "1.031x [1.020, 1.042]" */
static char *format_ratio_ci(const struct comparison *c)
{
	if (!isfinite(c->ratio))
		return xstrdup("n/a");
	if (!isfinite(c->ci_lo) || !isfinite(c->ci_hi))
		return xasprintf("%.3fx", c->ratio);
	return xasprintf("%.3fx [%.3f, %.3f]", c->ratio, c->ci_lo, c->ci_hi);
}

/* The layout column of a configuration. */
static const char *layout_note(const struct sweep *s, const struct sweep_config *c)
{
	if (!c->layout_judged)
		return "";
	if (s->sides == 2)
		return layout_verdict_name(c->layout.verdict);
	/* ranking: is the gap to the fastest more than layout alone makes? */
	if (c->rank == 1)
		return "";
	switch (c->layout.verdict) {
	case LAYOUT_ARTEFACT:
	case LAYOUT_SAME:
		return "within layout noise";
	case LAYOUT_SLOWER:
		return "slower beyond layout";
	case LAYOUT_FASTER:
		return "faster beyond layout";
	case LAYOUT_UNRESOLVED:
		break;
	}
	return "layout unresolved";
}

/* The table as rows of cells (both modes), for printing and exporting. */
struct table {
	char **cells;
	size_t ncols, nrows;
	const char **headers;
	size_t *order;      /* the rows in the order shown: by rank in a ranking sweep */
	size_t span_col;    /* a failed build's note starts here and runs on */
};

static void table_release(struct table *t)
{
	for (size_t i = 0; i < t->ncols * t->nrows; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->headers);
	free(t->order);
}

static void make_table(const struct sweep *s, const struct sweep_args *a, struct table *t)
{
	size_t np = a->scan.nr, col;
	int pgo = a->nr_pgo > 0, lay = a->layout_variants > 0;
	const char *metric = a->cfg.metric;
	const char *stat = a->copts.estimator == ESTIMATOR_MEAN ? "mean" :
			   a->copts.estimator == ESTIMATOR_MIN ? "min" : "median";

	t->ncols = (s->sides == 2 ? 1 : 2) + np + (size_t)pgo + (s->sides == 2 ? 4 : 3) +
		   (size_t)lay + 2;
	t->headers = xcalloc(t->ncols, sizeof(*t->headers));
	t->nrows = s->nr;
	t->cells = xcalloc(t->ncols * t->nrows + 1, sizeof(*t->cells));
	col = 0;
	if (s->sides == 1)
		t->headers[col++] = "rank";
	t->headers[col++] = "#";
	for (size_t i = 0; i < np; i++)
		t->headers[col++] = a->scan.params[i].name;
	if (pgo)
		t->headers[col++] = "pgo";
	t->span_col = col;
	if (s->sides == 2) {
		t->headers[col++] = "A";
		t->headers[col++] = "B";
		t->headers[col++] = "B/A";
		t->headers[col++] = "verdict";
	} else {
		t->headers[col++] = stat;
		t->headers[col++] = "vs baseline";
		t->headers[col++] = "verdict";
	}
	if (lay)
		t->headers[col++] = "layout";
	t->headers[col++] = "build";
	t->headers[col++] = ".text";
	t->order = xcalloc(s->nr + 1, sizeof(*t->order));
	for (size_t r = 0; r < s->nr; r++) {
		size_t at = 0;

		/* by rank, the unranked after in matrix order; A/B in matrix order */
		for (size_t q = 0; q < s->nr && s->sides == 1; q++) {
			const struct sweep_config *x = &s->configs[q], *y = &s->configs[r];
			size_t rx = x->rank ? x->rank : SIZE_MAX, ry = y->rank ? y->rank : SIZE_MAX;

			at += rx < ry || (rx == ry && q < r);
		}
		t->order[s->sides == 1 ? at : r] = r;
	}
	for (size_t r = 0; r < s->nr; r++) {
		const struct sweep_config *c = &s->configs[r];
		char **row = t->cells + r * t->ncols, buf[64];
		const struct config_build *own = &s->builds[c->first_build];
		double seconds = 0;

		size_t kept = 0;

		col = 0;
		/* a gap to the fastest inside the layout noise is not ranked as real: a tie */
		if (s->sides == 1 && c->rank && !strcmp(layout_note(s, c), "within layout noise"))
			row[col++] = xstrdup("=1");
		else if (s->sides == 1)
			row[col++] = c->rank ? xasprintf("%zu", c->rank) : xstrdup("-");
		/* the number --baseline takes */
		row[col++] = xasprintf("%zu", r + 1);
		for (size_t i = 0; i < np; i++)
			row[col++] = xstrdup(shown_value(c->params[i].value));
		if (pgo)
			row[col++] = xstrdup(c->pgo ? "pgo" : "-");
		if (!c->measured) {
			const struct config_build *bad = own;

			for (size_t k = 0; k < s->sides; k++)
				if (!s->builds[c->first_build + k * s->per_side].ok)
					bad = &s->builds[c->first_build + k * s->per_side];
			row[col++] = xasprintf("%sbuild failed (log: %s)",
					       s->sides == 2 ? (bad->side ? "B: " : "A: ") : "",
					       bad->log ? bad->log : "none");
			while (col < t->ncols)
				row[col++] = xstrdup("");
			continue;
		}
		if (s->sides == 2) {
			struct sweep_config side = *c;

			row[col++] = format_center(c, metric);
			side.center = c->center_b;
			side.center_lo = c->center_b_lo;
			side.center_hi = c->center_b_hi;
			row[col++] = format_center(&side, metric);
			row[col++] = c->compared ? format_ratio_ci(&c->c) : xstrdup("n/a");
			row[col++] = xstrdup(c->compared ? verdict_name(c->c.verdict) : "n/a");
		} else {
			row[col++] = format_center(c, metric);
			if ((size_t)(c - s->configs) == s->base) {
				row[col++] = xstrdup("baseline");
				row[col++] = xstrdup("");
			} else {
				row[col++] = c->compared ? format_ratio_ci(&c->c) : xstrdup("n/a");
				row[col++] = xstrdup(c->compared ? verdict_name(c->c.verdict) : "n/a");
			}
		}
		if (lay)
			row[col++] = xstrdup(layout_note(s, c));
		for (size_t k = 0; k < s->sides; k++) {
			seconds += s->builds[c->first_build + k * s->per_side].seconds;
			kept += s->builds[c->first_build + k * s->per_side].cached;
		}
		/* kept: every side's own build came from an earlier sweep */
		snprintf(buf, sizeof(buf), "%s%s", format_time((char[32]){ 0 }, 32, seconds),
			 kept == s->sides ? " (kept)" : kept ? " (A kept)" : "");
		row[col++] = xstrdup(buf);
		if (own->text_bytes >= 0)
			row[col++] = xasprintf("%.1f KiB", (double)own->text_bytes / 1024);
		else
			row[col++] = xstrdup("?");
	}
}

/* 1 when row r is a failed build's: its note spans the columns after span_col. */
static int row_spans(const struct table *t, size_t r)
{
	return t->span_col + 1 < t->ncols && !*t->cells[r * t->ncols + t->span_col + 1] &&
	       strstr(t->cells[r * t->ncols + t->span_col], "build failed (log: ");
}

static void print_table(FILE *out, const struct table *t)
{
	size_t *width = xcalloc(t->ncols, sizeof(*width));

	for (size_t c = 0; c < t->ncols; c++) {
		width[c] = strlen(t->headers[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t w = strlen(t->cells[r * t->ncols + c]);

			if (w > width[c] && !(c >= t->span_col && row_spans(t, r)))
				width[c] = w;
		}
	}
	for (size_t c = 0; c < t->ncols; c++)
		fprintf(out, "%-*s%s", c + 1 < t->ncols ? (int)width[c] : 0, t->headers[c],
			c + 1 < t->ncols ? "  " : "\n");
	for (size_t k = 0; k < t->nrows; k++) {
		size_t r = t->order[k];

		for (size_t c = 0; c < t->ncols; c++) {
			const char *cell = t->cells[r * t->ncols + c];

			if (c == t->span_col && row_spans(t, r)) {
				fprintf(out, "%s\n", cell);
				break;
			}
			fprintf(out, "%-*s%s", c + 1 < t->ncols ? (int)width[c] : 0, cell,
				c + 1 < t->ncols ? "  " : "\n");
		}
	}
	free(width);
}

/*
 * "SLOWER     with cc=gcc cflags=-O2; ..." — an A/B sweep in one line per
 * verdict. With layout variants the lines group by layout's verdict: the
 * default build's alone may be where its code happened to land.
 */
static void print_ab_summary(FILE *out, const struct sweep *s, int by_layout)
{
	static const enum verdict order[] = {
		VERDICT_SLOWER, VERDICT_FASTER, VERDICT_SAME, VERDICT_UNRESOLVED
	};
	static const enum layout_verdict layout_order[] = {
		LAYOUT_SLOWER, LAYOUT_FASTER, LAYOUT_ARTEFACT, LAYOUT_SAME, LAYOUT_UNRESOLVED
	};
	size_t groups = by_layout ? sizeof(layout_order) / sizeof(layout_order[0]) :
			sizeof(order) / sizeof(order[0]);

	if (by_layout)
		fputs("averaged over layouts (the verdict column is the default build's alone):\n", out);
	for (size_t k = 0; k < groups; k++) {
		const char *name = by_layout ? layout_verdict_name(layout_order[k]) :
				   verdict_name(order[k]);
		int any = 0;

		for (size_t i = 0; i < s->nr; i++) {
			const struct sweep_config *c = &s->configs[i];
			int in = by_layout ? c->layout_judged && c->layout.verdict == layout_order[k] :
				 c->compared && c->c.verdict == order[k];

			if (!in)
				continue;
			if (any)
				fputs("; ", out);
			else
				fprintf(out, "%-*s with ", by_layout ? 20 : 10, name);
			fputs(c->label, out);
			any = 1;
		}
		if (any)
			fputc('\n', out);
	}
}

/* ---- the results file ---- */

static json_t *json_real_or_null(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static json_t *comparison_json(const struct comparison *c, unsigned step)
{
	json_t *o = json_object();

	json_object_set_new(o, "ratio", json_real_or_null(c->ratio));
	json_object_set_new(o, "ci_lo", json_real_or_null(c->ci_lo));
	json_object_set_new(o, "ci_hi", json_real_or_null(c->ci_hi));
	json_object_set_new(o, "confidence", json_real_or_null(1 - c->alpha));
	json_object_set_new(o, "verdict", json_string(verdict_name(c->verdict)));
	json_object_set_new(o, "holm_step", json_integer(step));
	json_object_set_new(o, "estimator", json_string(estimator_name(c->estimator)));
	return o;
}

static json_t *layout_json(const struct sweep *s, const struct sweep_config *c)
{
	json_t *o = json_object();
	const struct layout_assessment *l = &c->layout;

	json_object_set_new(o, "verdict", json_string(layout_verdict_name(l->verdict)));
	json_object_set_new(o, "note", json_string(layout_note(s, c)));
	json_object_set_new(o, "averaged_ratio", json_real_or_null(l->averaged.ratio));
	json_object_set_new(o, "averaged_ci_lo", json_real_or_null(l->averaged.lo));
	json_object_set_new(o, "averaged_ci_hi", json_real_or_null(l->averaged.hi));
	json_object_set_new(o, "confidence", json_real_or_null(1 - l->defaults.alpha));
	json_object_set_new(o, "spread_a", json_real_or_null(l->spread_a.sd_rel));
	json_object_set_new(o, "spread_b", json_real_or_null(l->spread_b.sd_rel));
	json_object_set_new(o, "range_a", json_real_or_null(l->spread_a.max_rel / l->spread_a.min_rel));
	json_object_set_new(o, "range_b", json_real_or_null(l->spread_b.max_rel / l->spread_b.min_rel));
	json_object_set_new(o, "variants_needed", json_integer((json_int_t)l->variants_needed));
	return o;
}

static json_t *build_json(const struct config_build *b, size_t variant, size_t bench)
{
	json_t *o = json_object();
	char side[2] = { (char)('A' + b->side), '\0' };

	json_object_set_new(o, "side", json_string(side));
	json_object_set_new(o, "variant", json_integer((json_int_t)variant));
	json_object_set_new(o, "benchmark", bench == NO_BENCHMARK ? json_null() :
			    json_integer((json_int_t)bench));
	json_object_set_new(o, "ok", json_boolean(b->ok));
	json_object_set_new(o, "kept", json_boolean(b->cached));
	json_object_set_new(o, "key", json_string(b->key));
	json_object_set_new(o, "dir", json_text(b->dir));
	json_object_set_new(o, "log", json_text(b->log));
	json_object_set_new(o, "cflags", json_text(b->final_cflags));
	json_object_set_new(o, "ldflags", json_text(b->final_ldflags));
	json_object_set_new(o, "build_seconds", json_real_or_null(b->seconds));
	json_object_set_new(o, "text_bytes", b->text_bytes >= 0 ?
			    json_integer(b->text_bytes) : json_null());
	return o;
}

/* The benchmark of build v of a side, or NO_BENCHMARK. */
static size_t bench_of_build(const struct sweep *s, const struct sweep_config *c, size_t side,
			     size_t v)
{
	size_t first = c->first_build + side * s->per_side, k = 0;

	if (!c->measured)
		return NO_BENCHMARK;
	if (!v)
		return c->bench[side];
	if (!s->builds[first + v].ok)
		return NO_BENCHMARK;
	for (size_t u = 1; u < v; u++)
		k += s->builds[first + u].ok;
	return c->variants[side][k];
}

static json_t *sweep_json(const struct sweep *s, const struct sweep_args *a)
{
	json_t *o = json_object(), *params = json_array(), *configs = json_array();

	json_object_set_new(o, "mode", json_string(s->sides == 2 ? "ab" : "rank"));
	for (size_t i = 0; i < a->scan.nr; i++)
		json_array_append_new(params, json_text(a->scan.params[i].name));
	json_object_set_new(o, "parameters", params);
	json_object_set_new(o, "baseline", s->sides == 2 ? json_null() :
			    json_integer((json_int_t)s->base));
	json_object_set_new(o, "layout_variants", json_integer((json_int_t)a->layout_variants));
	json_object_set_new(o, "builds_dir", json_text(a->builds_dir));
	json_object_set_new(o, "metric", json_text(a->cfg.metric));
	json_object_set_new(o, "margin", json_real(a->copts.margin));
	json_object_set_new(o, "looks", json_integer(s->looks));
	json_object_set_new(o, "final_look", json_boolean(s->final_look));
	for (size_t i = 0; i < s->nr; i++) {
		const struct sweep_config *c = &s->configs[i];
		json_t *one = json_object(), *values = json_object(), *builds = json_array();

		json_object_set_new(one, "label", json_text(c->label));
		for (size_t k = 0; k < a->scan.nr; k++)
			json_object_set_new(values, c->params[k].name, json_text(c->params[k].value));
		json_object_set_new(one, "values", values);
		json_object_set_new(one, "cc", json_text(c->cc));
		json_object_set_new(one, "pgo", json_boolean(c->pgo));
		if (c->pgo)
			json_object_set_new(one, "compiler_family", json_string(pgo_compiler_name(c->family)));
		json_object_set_new(one, "status", json_string(c->measured ? "measured" : "build failed"));
		json_object_set_new(one, "rank", c->rank ? json_integer((json_int_t)c->rank) : json_null());
		json_object_set_new(one, "center", json_real_or_null(c->center));
		json_object_set_new(one, "center_ci_lo", json_real_or_null(c->center_lo));
		json_object_set_new(one, "center_ci_hi", json_real_or_null(c->center_hi));
		if (s->sides == 2) {
			json_object_set_new(one, "center_b", json_real_or_null(c->center_b));
			json_object_set_new(one, "center_b_ci_lo", json_real_or_null(c->center_b_lo));
			json_object_set_new(one, "center_b_ci_hi", json_real_or_null(c->center_b_hi));
		}
		json_object_set_new(one, "comparison", c->compared ?
				    comparison_json(&c->c, c->holm_step) : json_null());
		json_object_set_new(one, "layout", c->layout_judged ? layout_json(s, c) : json_null());
		for (size_t side = 0; side < s->sides; side++)
			for (size_t v = 0; v < s->per_side; v++)
				json_array_append_new(builds, build_json(
					&s->builds[c->first_build + side * s->per_side + v], v,
					bench_of_build(s, c, side, v)));
		json_object_set_new(one, "builds", builds);
		json_array_append_new(configs, one);
	}
	json_object_set_new(o, "configurations", configs);
	return o;
}

/* ---- the command ---- */

/* The comparisons the rule decides, and (A/B with variants) their layout sets. */
static size_t plan_pairs(const struct sweep *s, size_t (**pairs)[2], size_t **which,
			 struct sweep_layout_set **sets)
{
	size_t m = 0;

	*pairs = xcalloc(s->nr + 1, sizeof(**pairs));
	*which = xcalloc(s->nr + 1, sizeof(**which));
	*sets = NULL;
	for (size_t i = 0; i < s->nr; i++) {
		const struct sweep_config *c = &s->configs[i];

		if (!c->measured || (s->sides == 1 && i == s->base))
			continue;
		(*which)[m] = i;
		if (s->sides == 2) {
			(*pairs)[m][0] = c->bench[0];
			(*pairs)[m][1] = c->bench[1];
		} else {
			(*pairs)[m][0] = s->configs[s->base].bench[0];
			(*pairs)[m][1] = c->bench[0];
		}
		m++;
	}
	if (s->sides != 2 || s->per_side < 2)
		return m;
	*sets = xcalloc(m + 1, sizeof(**sets));
	for (size_t k = 0; k < m; k++) {
		const struct sweep_config *c = &s->configs[(*which)[k]];
		struct sweep_layout_set *set = &(*sets)[k];
		size_t at = 0;

		if (c->nr_variants[0] < 2 || c->nr_variants[1] < 2) {
			/* too few variants built somewhere: no layout verdicts at all */
			for (size_t j = 0; j < k; j++)
				free((*sets)[j].index);
			free(*sets);
			*sets = NULL;
			note("layout verdicts left out: %s has fewer than 2 variants built on a side",
			     c->label);
			return m;
		}
		set->ka = c->nr_variants[0];
		set->kb = c->nr_variants[1];
		set->index = xcalloc(2 + set->ka + set->kb, sizeof(size_t));
		set->index[at++] = c->bench[0];
		set->index[at++] = c->bench[1];
		for (size_t v = 0; v < set->ka; v++)
			set->index[at++] = c->variants[0][v];
		for (size_t v = 0; v < set->kb; v++)
			set->index[at++] = c->variants[1][v];
	}
	return m;
}

/* How the sweep decided, what it built and ran, where it saved. */
static void print_footer(FILE *out, const struct sweep *s, const struct sweep_args *a,
			 const struct results *res, enum stop_reason stop, size_t m,
			 double seconds)
{
	char t[32], when[96];
	size_t kept = 0, measured = 0;

	if (stop == STOP_INTERRUPTED)
		snprintf(when, sizeof(when), "interrupted: a final look over what was measured");
	else if (s->final_look)
		snprintf(when, sizeof(when), "final look after the budget ran out");
	else if (s->looks)
		snprintf(when, sizeof(when), "decided at look %u (rounds double between looks)",
			 s->looks);
	else
		snprintf(when, sizeof(when), "one look after the -n runs");
	double lo_level = 1, hi_level = 0;

	for (size_t i = 0; i < s->nr; i++)
		if (s->configs[i].compared) {
			double level = 1 - s->configs[i].c.alpha;

			lo_level = level < lo_level ? level : lo_level;
			hi_level = level > hi_level ? level : hi_level;
		}
	fprintf(out, "\n%s; Holm over %zu comparison%s keeps %.4g%% for all of them together",
		when, m, m == 1 ? "" : "s", 100 * (1 - a->copts.alpha));
	if (a->layout_variants && s->sides == 2)
		fputs(", layout's verdicts included (half the alpha each)", out);
	fputc('\n', out);
	if (hi_level > 0 && lo_level < hi_level)
		fprintf(out, "each row's interval at its Holm step's level: %.4g%% to %.4g%%\n",
			100 * lo_level, 100 * hi_level);
	else if (hi_level > 0)
		fprintf(out, "each row's interval at %.4g%%\n", 100 * hi_level);
	if (a->layout_variants && s->sides == 1)
		fprintf(out, "the gaps to the fastest judged against layout after the runs, at %.4g%% each\n",
			100 * (1 - a->copts.alpha / (double)(m ? m : 1)));
	for (size_t i = 0; i < s->nr; i++) {
		const struct sweep_config *c = &s->configs[i];
		size_t need = c->layout.variants_needed;

		/* what more variants would buy: runs cannot narrow the spread between them */
		if (!c->layout_judged || c->layout.verdict != LAYOUT_UNRESOLVED)
			continue;
		if (need > a->layout_variants)
			fprintf(out, "%s: layout would decide with about %zu variants a side (--layout-variants)\n",
				c->label, need);
		else if (!need)
			fprintf(out, "%s: no number of variants would decide layout (a ratio on the margin's edge)\n",
				c->label);
	}
	for (size_t i = 0; i < s->nr_builds; i++)
		kept += s->builds[i].cached;
	for (size_t i = 0; i < s->nr; i++)
		measured += s->configs[i].measured;
	fprintf(out, "configurations: %zu, %zu measured   builds: %zu, %zu kept, in %s\n",
		s->nr, measured, s->nr_builds, kept, a->builds_dir);
	fprintf(out, "runs: %zu, %s", results_count_runs(res), format_time(t, sizeof(t), seconds));
	if (a->output)
		fprintf(out, "   saved: %s", strcmp(a->output, "-") ? a->output : "stdout");
	fputc('\n', out);
}

/* --export-markdown and --export-csv: the rows in the order printed. */
static int write_exports(const struct sweep_args *a, const struct table *t)
{
	char **cells = xcalloc(t->ncols * t->nrows + 1, sizeof(*cells));
	int ret = 0;

	for (size_t k = 0; k < t->nrows; k++)
		memcpy(cells + k * t->ncols, t->cells + t->order[k] * t->ncols,
		       t->ncols * sizeof(*cells));
	if (a->markdown && export_table(a->markdown, EXPORT_MARKDOWN, t->headers, t->ncols,
					cells, t->nrows))
		ret = -1;
	if (!ret && a->csv && export_table(a->csv, EXPORT_CSV, t->headers, t->ncols, cells,
					   t->nrows))
		ret = -1;
	free(cells);
	return ret;
}

int cmd_sweep(int argc, char **argv)
{
	struct sweep_args args;
	struct sweep s;
	struct results res;
	struct sweep_rule rule;
	struct progress progress;
	struct benchmark **bs = NULL;
	struct sweep_layout_set *sets = NULL;
	size_t (*pairs)[2] = NULL, *which = NULL, m = 0, measured = 0, failed = 0;
	struct table table = { 0 };
	int parsed, built, rule_ready = 0, ret = EXIT_USAGE;
	int64_t start;
	FILE *out;

	memset(&s, 0, sizeof(s));
	results_init(&res);
	sweep_args_init(&args);
	/* before the compiler probes of the checks */
	spawn_catch_signals();
	parsed = parse_sweep_options(argc, argv, &args);
	if (parsed) {
		ret = parsed > 0 ? EXIT_OK : spawn_exit_code(EXIT_USAGE);
		goto out;
	}
	if (plan_configs(&s, &args) || check_plan(&s, &args) ||
	    (!args.two_sides && resolve_baseline(&s, &args))) {
		ret = spawn_exit_code(EXIT_USAGE);
		goto out;
	}
	plan_builds(&s, &args);
	built = configs_build(&args.req, s.builds, s.nr_builds);
	if (built) {
		ret = built;
		goto out;
	}
	check_pgo_effect(&s);
	if (add_benchmarks(&s, &args, &res))
		goto out;
	for (size_t i = 0; i < s.nr; i++) {
		measured += s.configs[i].measured;
		failed += !s.configs[i].measured;
	}
	if (failed)
		note("%zu of %zu configurations did not build: listed, and left out", failed, s.nr);
	if (!measured || (s.sides == 1 && measured < 2)) {
		error("%s: nothing to compare", measured ? "only one configuration built" :
		      "no configuration built");
		ret = EXIT_FAILED;
		goto out;
	}
	if (s.sides == 1 && check_baseline(&s, &args)) {
		ret = EXIT_FAILED;
		goto out;
	}
	bs = xcalloc(res.nr_benchmarks, sizeof(*bs));
	for (size_t i = 0; i < res.nr_benchmarks; i++)
		bs[i] = &res.benchmarks[i];
	m = plan_pairs(&s, &pairs, &which, &sets);
	sweep_rule_init(&rule, &args.cfg, &args.copts, args.cfg.metric,
			(const size_t (*)[2])pairs, m, sets);
	rule_ready = 1;
	system_record(&res);
	progress_init(&progress);
	start = monotonic_ns();
	if (bench_execute_rounds(bs, res.nr_benchmarks, &progress, sweep_rule_enough, &rule))
		goto out;
	progress_clear(&progress);
	if (sweep_rule_finish(&rule, bs)) {
		ret = bs[0]->stop == STOP_COMPLETED ? EXIT_FAILED : stop_reason_exit_code(bs[0]->stop);
		if (results_save(&res, args.output))
			ret = spawn_exit_code(EXIT_USAGE);
		goto out;
	}
	s.looks = rule.family.looks;
	s.final_look = rule.family.final_look;
	for (size_t k = 0; k < m; k++) {
		struct sweep_config *c = &s.configs[which[k]];

		c->compared = 1;
		c->c = rule.family.c[k];
		c->holm_step = rule.family.step[k];
		if (sets && rule.assessed[k]) {
			c->layout_judged = 1;
			c->layout = rule.assessment[k];
		}
	}
	for (size_t i = 0; i < s.nr; i++)
		if (s.configs[i].measured) {
			struct sweep_config *c = &s.configs[i], b_side;

			describe_center(c, bs[c->bench[0]], args.cfg.metric, args.copts.estimator);
			c->center_b = c->center_b_lo = c->center_b_hi = NAN;
			if (s.sides == 2) {
				describe_center(&b_side, bs[c->bench[1]], args.cfg.metric,
						args.copts.estimator);
				c->center_b = b_side.center;
				c->center_b_lo = b_side.center_lo;
				c->center_b_hi = b_side.center_hi;
			}
		}
	/* a failed run stopped every benchmark mid-way: nothing to rank by */
	if (s.sides == 1 && bs[0]->stop != STOP_FAILED) {
		size_t best = rank_configs(&s);

		if (best != NO_BENCHMARK && args.layout_variants) {
			struct compare_options o = args.copts;

			/* one judgement per configuration: Bonferroni over them */
			o.paired = 1;
			o.alpha = args.copts.alpha / (double)(measured > 1 ? measured - 1 : 1);
			for (size_t i = 0; i < s.nr; i++)
				if (i != best && s.configs[i].measured)
					judge_gap(&s, &s.configs[i], &s.configs[best], bs,
						  args.cfg.metric, &o);
		}
	}
	res.sweep = sweep_json(&s, &args);
	if (results_save(&res, args.output)) {
		ret = spawn_exit_code(EXIT_USAGE);
		goto out;
	}
	make_table(&s, &args, &table);
	ret = write_exports(&args, &table) ? EXIT_USAGE : EXIT_OK;
	/* A store that fails does not hide the table measured: said before it, exit 2. */
	if (run_history_save(&res, &args.cfg, "sweep"))
		ret = EXIT_USAGE;
	out = args.output && !strcmp(args.output, "-") ? stderr : stdout;
	print_table(out, &table);
	if (s.sides == 2) {
		fputc('\n', out);
		print_ab_summary(out, &s, sets != NULL);
	}
	print_footer(out, &s, &args, &res, bs[0]->stop, m, (monotonic_ns() - start) / 1e9);
	if (ret == EXIT_USAGE)
		goto out;
	ret = stop_reason_exit_code(bs[0]->stop);
out:
	if (rule_ready)
		sweep_rule_release(&rule);
	if (sets)
		for (size_t k = 0; k < m; k++)
			free(sets[k].index);
	free(sets);
	free(pairs);
	free(which);
	free(bs);
	table_release(&table);
	sweep_release(&s);
	sweep_args_release(&args);
	results_release(&res);
	return ret;
}
