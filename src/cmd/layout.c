/*
 * layout: `steady layout` — is the difference between A and B real, or
 * code layout?
 *
 *   steady layout [options] --src-a DIR --src-b DIR --build CMD -- 'RUN'
 *   steady layout [options] --src DIR --patch FILE --build CMD -- 'RUN'
 *   steady layout [options] --src DIR --rev-a REV [--rev-b REV] --build CMD -- 'RUN'
 *   steady layout [options] --perturb env -- 'CMD_A' 'CMD_B'
 *
 * The builds (toolchain/variants.c) give each side its default build and
 * K variants whose code lands elsewhere; all of them are measured together
 * in rounds of random order (measure/bench.c) until the rule of
 * analyse/layout_rule.h decides; the spreads, ratios and verdict come from
 * analyse/layout.c. This file parses, prints and saves: the benchmarks and
 * the layout record belong to one struct results, the build trees to the
 * workspace, removed at the end unless --keep.
 */
#include "cmd/builtin.h"
#include "analyse/layout_rule.h"
#include "formats/results.h"
#include "analyse/stats.h"
#include "formats/export.h"
#include "lib/atomic_file.h"
#include "lib/units.h"
#include "lib/util.h"
#include "lib/words.h"
#include "measure/bench.h"
#include "measure/run_options.h"
#include "measure/spawn.h"
#include "system/checks.h"
#include "toolchain/build.h"
#include "toolchain/template.h"
#include "toolchain/variants.h"

#include <gsl/gsl_rng.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char layout_usage_head[] =
"usage: steady layout [options] --src-a DIR --src-b DIR --build CMD -- 'RUN'\n"
"       steady layout [options] --src DIR --patch FILE --build CMD -- 'RUN'\n"
"       steady layout [options] --src DIR --rev-a REV [--rev-b REV] --build CMD -- 'RUN'\n"
"       steady layout [options] --perturb env -- 'CMD_A' 'CMD_B'\n"
"\n"
"Says whether B's difference from A is a REAL CHANGE (SLOWER or FASTER), a\n"
"LAYOUT ARTEFACT (where the code happened to land), SAME, or UNRESOLVED.\n"
"Each side is built with your flags (the default build, what compare would\n"
"measure) and as K variants that move the code; all are measured\n"
"interleaved until the verdict is clear or --max-time (default 60 s) is\n"
"spent. Builds happen in private copies under $TMPDIR, never in your tree.\n"
"\n";

enum {
	OPT_SRC = OPT_COMMAND_BASE, OPT_SRC_A, OPT_SRC_B, OPT_PATCH, OPT_REV_A, OPT_REV_B,
	OPT_BUILD, OPT_PERTURB, OPT_VARIANTS, OPT_CC, OPT_BINARY, OPT_KEEP, OPT_LAYOUT_MD,
	OPT_LAYOUT_CSV
};

static const struct option_doc layout_docs[] = {
	OPTDOC_TEXT("Sides:"),
	OPTDOC(NULL, "src-a", OPT_SRC_A, "DIR", NULL),
	OPTDOC(NULL, "src-b", OPT_SRC_B, "DIR", "two source trees"),
	OPTDOC(NULL, "src", OPT_SRC, "DIR",
	       "one tree: with --patch FILE, B is the tree plus the\n"
	       "patch (applied with patch -p1); with --rev-a/--rev-b,\n"
	       "git revisions of it (a missing one is the work tree)"),
	OPTDOC(NULL, "patch", OPT_PATCH, "FILE", "B's patch to the --src tree"),
	OPTDOC(NULL, "rev-a", OPT_REV_A, "REV", NULL),
	OPTDOC(NULL, "rev-b", OPT_REV_B, "REV", "A's and B's revisions of the --src tree"),
	OPTDOC(NULL, "build", OPT_BUILD, "CMD",
	       "the build command, run in each copy (may be given\n"
	       "again: run in order). Placeholders: {dir} the copy,\n"
	       "{cc}, {cflags}, {ldflags}, {seed}; e.g.\n"
	       "'make -C {dir} CC={cc} CFLAGS=\"-O2 {cflags}\" LDFLAGS={ldflags}'"),
	OPTDOC(NULL, NULL, 0, "RUN",
	       "the benchmark, with {dir}: '{dir}/prog args'\n"
	       "(--shell runs --build and RUN with /bin/sh -c)"),
	OPTDOC_TEXT(""),
	OPTDOC_TEXT("Perturbation:"),
	OPTDOC(NULL, "perturb", OPT_PERTURB, "P",
	       "link-order (default when ld.lld exists): compiled once\n"
	       "with -ffunction-sections, relinked by lld with\n"
	       "--shuffle-sections per seed; align: compiled per\n"
	       "variant with other -falign-functions/-falign-loops;\n"
	       "env: no builds, a fixed environment size per variant"),
	OPTDOC(NULL, "variants", OPT_VARIANTS, "K", "variants per side (default 8)"),
	OPTDOC(NULL, "cc", OPT_CC, "CC", "the compiler for {cc} (default $CC, else cc)"),
	OPTDOC("j", "jobs", 'j', "N", "builds at once (default: the CPUs)"),
	OPTDOC(NULL, "binary", OPT_BINARY, "PATH",
	       "the built program, relative to {dir}: what a relink\n"
	       "removes and a build must make (default: RUN's program,\n"
	       "when it is in the tree; link-order needs one)"),
	OPTDOC(NULL, "keep", OPT_KEEP, NULL, "keep the copies and build logs (the path is printed)"),
	OPTDOC_TEXT(""),
	OPTDOC_TEXT("Verdict:"),
	RUN_VERDICT_OPTIONS("practical margin in percent (default 1)",
			    "what judges the default builds, as in compare: median\n"
			    "(default), hl, mean, min"),
	OPTDOC_TEXT(""),
	OPTDOC_INCLUDE(run_option_docs),
	OPTDOC_INCLUDE(run_metric_docs),
	OPTDOC_TEXT("Results:"),
	OPTDOC("o", NULL, 'o', "FILE",
	       "every variant's runs, flags, seeds, build times and\n"
	       "text sizes as JSON (steady compare FILE compares its\n"
	       "default builds); -o - writes it to stdout"),
	OPTION_EXPORT_JSON,
	OPTDOC(NULL, "export-markdown", OPT_LAYOUT_MD, "FILE",
	       "a row per build: flags, .text size, runs, median"),
	OPTDOC(NULL, "export-csv", OPT_LAYOUT_CSV, "FILE",
	       "the same as CSV, with every field of the build"),
	OPTION_JSON("the same as -o -: only the JSON on stdout, the\n"
		    "verdict on stderr"),
	OPTDOC_INCLUDE(run_save_docs),
	OPTDOC_END
};

static const char layout_usage_tail[] =
"\n"
"Exit codes: 0 done, 1 a build or run failed, 2 bad usage or input,\n"
"130 interrupted (what was measured is judged and saved).\n";

static const struct command_help layout_help = {
	"layout", layout_usage_head, layout_docs, layout_usage_tail
};

#define LAYOUT_MAX_TIME 60.0
#define LAYOUT_VARIANTS 8
#define LAYOUT_MAX_VARIANTS 128

struct layout_args {
	struct bench_config cfg;
	struct compare_options copts;
	struct variants_request req;
	const char *src;
	char **build;            /* owned array of borrowed strings */
	size_t nr_build;
	int perturb_given;
	int keep;
	const char *output;
	const char *markdown, *csv;  /* --export-markdown, --export-csv: the builds */
	char **operands;         /* RUN, or CMD_A and CMD_B with env */
	int nr_operands;
};

static void layout_args_init(struct layout_args *args)
{
	memset(args, 0, sizeof(*args));
	bench_config_init(&args->cfg);
	args->cfg.max_time = LAYOUT_MAX_TIME;
	compare_options_init(&args->copts);
	args->req.variants = LAYOUT_VARIANTS;
}

static void layout_args_release(struct layout_args *args)
{
	bench_config_release(&args->cfg);
	free(args->build);
}

/* The sides: which options go together. 0, or -1 after one line. */
static int check_sides(struct layout_args *args)
{
	struct variants_request *req = &args->req;
	int env = req->perturb == PERTURB_ENV;
	int trees = req->src_a || req->src_b;
	int one = args->src != NULL;

	if (env) {
		if (trees || one || req->patch || req->rev_a || req->rev_b || args->nr_build)
			return error("--perturb env measures two commands as they are: it takes no --src, --patch, --rev or --build");
		if (args->nr_operands != 2)
			return error("--perturb env needs two commands after --, not %d", args->nr_operands);
		return 0;
	}
	if (args->nr_operands != 1)
		return error("layout needs one run command after -- (with {dir} for the build's tree), not %d; two plain commands need --perturb env",
			     args->nr_operands);
	if (!args->nr_build)
		return error("layout needs --build CMD to build each variant (see 'steady layout --help')");
	if (trees && one)
		return error("--src cannot be combined with --src-a/--src-b");
	if (trees) {
		if (!req->src_a || !req->src_b)
			return error("--src-a and --src-b go together");
		if (req->patch || req->rev_a || req->rev_b)
			return error("--patch and --rev-a/--rev-b go with --src, not --src-a/--src-b");
		return 0;
	}
	if (!one)
		return error("layout needs the sources: --src-a DIR --src-b DIR, or --src DIR with --patch or --rev-a");
	if (!req->patch && !req->rev_a && !req->rev_b)
		return error("with --src, say what B changes: --patch FILE, or --rev-a/--rev-b");
	if (req->patch && req->rev_b)
		return error("--patch makes B from the work tree: it cannot be combined with --rev-b");
	req->src_a = req->src_b = args->src;
	return 0;
}

static char **run_argv(const struct layout_args *args, const char *dir, size_t *argc);

/*
 * The perturbation reaches the build only through its placeholders:
 * alignment flags through {cflags}, the link order through {ldflags} (or
 * {seed}, for a build that makes its own link flags of it). A build with
 * none would give K copies of one binary. 0, or -1 after one error line.
 */
static int check_build_hands_flags(const struct layout_args *args)
{
	int align = args->req.perturb == PERTURB_ALIGN;
	const char *needed = align ? "{cflags}" : "{ldflags}";

	if (!args->nr_build)
		return 0;  /* check_sides() refused that already */
	for (size_t i = 0; i < args->nr_build; i++)
		if (strstr(args->build[i], needed) || (!align && strstr(args->build[i], "{seed}")))
			return 0;
	return error("--perturb %s reaches the build through %s, and no --build command has it "
		     "(e.g. 'make -C {dir} CC={cc} CFLAGS=\"-O2 {cflags}\" LDFLAGS={ldflags}')",
		     perturb_name(args->req.perturb), needed);
}

/* 0 to go on, 1 after --help was printed, -1 after one error line. */
static int parse_layout_options(int argc, char **argv, struct layout_args *args)
{
	struct option_table t;
	struct variants_request *req = &args->req;
	double margin_pct = 1.0;
	unsigned long n;
	size_t alloc_build = 0;
	enum run_common_result common;
	int opt, seed_given = 0, ret = -1;

	opterr = 0;
	optind = 1;
	option_table_init(&t, "+:", layout_docs);
	while ((opt = run_options_next(argc, argv, t.shortopts, t.longopts,
				       &args->cfg, &seed_given)) != -1) {
		switch (opt) {
		case RUN_OPTION_INVALID:
			goto out;
		case OPT_SRC:
			args->src = optarg;
			break;
		case OPT_SRC_A:
			req->src_a = optarg;
			break;
		case OPT_SRC_B:
			req->src_b = optarg;
			break;
		case OPT_PATCH:
			req->patch = optarg;
			break;
		case OPT_REV_A:
			req->rev_a = optarg;
			break;
		case OPT_REV_B:
			req->rev_b = optarg;
			break;
		case OPT_BUILD:
			ALLOC_GROW(args->build, args->nr_build + 1, alloc_build);
			args->build[args->nr_build++] = optarg;
			break;
		case OPT_PERTURB:
			if (perturb_parse(optarg, &req->perturb))
				goto out;
			args->perturb_given = 1;
			break;
		case OPT_VARIANTS:
			if (parse_uint(optarg, LAYOUT_MAX_VARIANTS, &n) || n < 2) {
				error("invalid value for --variants: '%s' (expected 2 to %d)",
				      optarg, LAYOUT_MAX_VARIANTS);
				goto out;
			}
			req->variants = n;
			break;
		case OPT_CC:
			req->cc = optarg;
			break;
		case 'j':
			if (build_parse_jobs(optarg, &req->jobs))
				goto out;
			break;
		case OPT_BINARY:
			req->binary = optarg;
			break;
		case OPT_LAYOUT_MD:
			args->markdown = optarg;
			break;
		case OPT_LAYOUT_CSV:
			args->csv = optarg;
			break;
		case OPT_KEEP:
			args->keep = 1;
			break;
		default:
			common = run_common_option(opt, optarg, argc, argv, &args->output, &layout_help,
						   &margin_pct, &args->copts.estimator);
			if (common != RUN_COMMON_GO_ON) {
				ret = common == RUN_COMMON_DONE ? 1 : -1;
				goto out;
			}
			break;
		}
	}
	args->copts.margin = margin_pct / 100.0;
	if (optind > argc || strcmp(argv[optind - 1], "--")) {
		error("layout takes its run command after -- (see 'steady layout --help')");
		goto out;
	}
	args->operands = argv + optind;
	args->nr_operands = argc - optind;
	if (!req->cc)
		req->cc = build_default_cc();
	/* Two commands and nothing to build: all that can move is the stack. */
	if (!args->perturb_given && args->nr_operands == 2 && !args->nr_build &&
	    !args->src && !req->src_a && !req->src_b)
		req->perturb = PERTURB_ENV;
	else if (!args->perturb_given)
		req->perturb = PERTURB_LINK_ORDER;  /* settled after the checks */
	if (check_sides(args) || run_options_check(&args->cfg))
		goto out;
	if (req->perturb == PERTURB_ALIGN && req->variants > PERTURB_ALIGN_CHOICES) {
		error("align has %d distinct layouts: --variants %d at most",
		      PERTURB_ALIGN_CHOICES, PERTURB_ALIGN_CHOICES);
		goto out;
	}
	for (size_t i = 0; i < args->nr_build; i++)
		if (build_check_template(args->build[i], args->cfg.shell))
			goto out;
	if (req->perturb != PERTURB_ENV) {
		size_t argc_run;
		char **probe = run_argv(args, "{dir}", &argc_run);
		int in_tree = probe && !args->cfg.shell && !strncmp(probe[0], "{dir}/", 6);

		words_free(probe);
		if (!probe)
			goto out;
		/* a compiler probe, so only once the command line is known good */
		if (!args->perturb_given)
			req->perturb = perturb_default(req->cc);
		/* a Ctrl-C in the compiler probe leaves the choice unsettled */
		if (spawn_interrupted() || check_build_hands_flags(args))
			goto out;
		if (req->perturb == PERTURB_LINK_ORDER && !req->binary &&
		    (args->cfg.shell || !in_tree)) {
			error("link-order relinks the run command's program, and %s: name it with {dir} ('{dir}/prog') or give --binary PATH",
			      args->cfg.shell ? "with --shell steady cannot tell which it is" :
			      "it is not in the build's tree");
			goto out;
		}
	}
	req->run = args->operands[0];
	req->build = args->build;
	req->nr_build = args->nr_build;
	req->shell = args->cfg.shell;
	if (!req->jobs)
		req->jobs = build_default_jobs();
	if (seed_given)
		args->copts.seed = args->cfg.seed;
	else
		args->cfg.seed = run_random_seed();
	req->seed = args->cfg.seed;
	if (atomic_prepare_outputs(&args->output, &args->markdown, &args->csv))
		goto out;
	ret = 0;
out:
	option_table_release(&t);
	return ret;
}

/* ---- the benchmarks ---- */

/* "A default", "B link-order 3 (seed 1234)", "A env 2 (pad 1411)". */
static char *variant_name(const struct results_layout *l, const struct layout_variant *v,
			  size_t index)
{
	if (v->is_default)
		return xasprintf("%c default", v->side);
	if (v->env_pad >= 0)
		return xasprintf("%c %s %zu (pad %d)", v->side, l->perturbation, index, v->env_pad);
	if (v->seed)
		return xasprintf("%c %s %zu (seed %" PRIu64 ")", v->side, l->perturbation,
				 index, v->seed);
	return xasprintf("%c %s %zu", v->side, l->perturbation, index);
}

/* The run command with {dir} filled in (/bin/sh -c with --shell): a new argv, or NULL after one line. */
static char **run_argv(const struct layout_args *args, const char *dir, size_t *argc)
{
	const struct template_value values[] = {
		{ "dir", dir, 0 },
	};
	struct template t = { values, 1 };

	return template_command(&t, args->operands[0], args->cfg.shell, argc);
}

/*
 * One benchmark per variant, in the layout loop's order, each with the
 * run command of its tree (or, for env, its side's command and padding).
 * 0, or -1 after one error line.
 */
static int add_benchmarks(const struct layout_args *args, struct results *res,
			  char *const *dirs)
{
	struct results_layout *l = res->layout;
	size_t per_side[2] = { 0, 0 };

	for (size_t i = 0; i < l->nr_variants; i++) {
		struct layout_variant *v = &l->variants[i];
		struct benchmark *b = results_add_benchmark(res);
		int side = v->side == 'B';

		bench_config_copy(&b->config, &args->cfg);
		v->benchmark = res->nr_benchmarks - 1;
		b->name = variant_name(l, v, v->is_default ? 0 : ++per_side[side]);
		if (v->env_pad >= 0) {
			b->config.fixed_env_pad = v->env_pad;
			b->config.randomize = 1;
		}
		if (dirs) {
			size_t argc;
			char **argv = run_argv(args, dirs[i], &argc);

			if (!argv)
				return -1;
			benchmark_set_argv(b, argv, argc);
			words_free(argv);
		} else if (run_set_command(b, 1, &args->operands[side])) {
			return -1;
		}
	}
	return 0;
}

/*
 * --perturb env: no builds. Both sides get the same K paddings, drawn
 * from the seed (1..ENV_PAD_MAX bytes, distinct), and the defaults none.
 */
static void plan_env_variants(const struct layout_args *args, struct results_layout *l)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t k = args->req.variants;
	int *pads = xcalloc(k, sizeof(*pads));

	gsl_rng_set(rng, (unsigned long)(args->cfg.seed ^ 0x5bd1e995u));
	for (size_t i = 0; i < k; i++) {
		int pad, again;

		do {
			pad = 1 + (int)gsl_rng_uniform_int(rng, ENV_PAD_MAX);
			again = 0;
			for (size_t j = 0; j < i; j++)
				again |= pads[j] == pad;
		} while (again);
		pads[i] = pad;
	}
	for (int side = 0; side < 2; side++) {
		struct layout_variant *v = results_layout_add(l);

		v->side = side ? 'B' : 'A';
		v->is_default = 1;
		v->env_pad = 0;
	}
	for (int side = 0; side < 2; side++)
		for (size_t i = 0; i < k; i++) {
			struct layout_variant *v = results_layout_add(l);

			v->side = side ? 'B' : 'A';
			v->env_pad = pads[i];
		}
	free(pads);
	gsl_rng_free(rng);
}

/* ---- printing ---- */

static const char *fmt_ratio(char *buf, size_t size, double r)
{
	if (!isfinite(r))
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%.3fx", r);
	return buf;
}

static const char *fmt_ci(char *buf, size_t size, double level, double lo, double hi)
{
	if (!isfinite(lo) || !isfinite(hi))
		snprintf(buf, size, "%.4g%% CI not yet known", 100 * level);
	else
		snprintf(buf, size, "%.4g%% CI [%.3f, %.3f]", 100 * level, lo, hi);
	return buf;
}

static const char *fmt_num(char *buf, size_t size, double x)
{
	snprintf(buf, size, "%.3f", x);
	return buf;
}

/* "+3.1%" / "-2.0%" for a ratio. */
static const char *fmt_change(char *buf, size_t size, double r)
{
	snprintf(buf, size, "%+.1f%%", 100 * (r - 1));
	return buf;
}

static void print_spread(const struct layout_assessment *a, const char *metric,
			 enum value_unit unit)
{
	char lo[32], hi[32];
	const struct layout_spread *sa = &a->spread_a, *sb = &a->spread_b;

	format_metric(lo, sizeof(lo), sa->min_rel * sa->center, unit);
	format_metric(hi, sizeof(hi), sa->max_rel * sa->center, unit);
	printf("layout spread    A: %zu variants, medians %s ... %s (%.2fx, sd %.1f%%)",
	       sa->k, lo, hi, sa->max_rel / sa->min_rel, 100 * sa->sd_rel);
	if (sb->k)
		printf("   B: %zu variants, %.2fx, sd %.1f%%", sb->k, sb->max_rel / sb->min_rel,
		       100 * sb->sd_rel);
	printf("%s%s\n", metric ? "   metric: " : "", metric ? metric : "");
}

/* How many variants would decide, within what --variants allows, or why none would. */
static void print_needed(const char *what_for, size_t needed, double margin)
{
	if (needed && needed <= LAYOUT_MAX_VARIANTS)
		printf("         %s at this spread: about %zu variants per side (--variants).\n",
		       what_for, needed);
	else if (needed)
		printf("         %s at this spread: about %zu variants per side, more than\n"
		       "         --variants allows (%d): the layout spread is too large for a %.3g%% margin.\n",
		       what_for, needed, LAYOUT_MAX_VARIANTS, 100 * margin);
	else
		printf("         %s: no number of variants would (a ratio on the margin's edge,\n"
		       "         or a spread that is not known).\n", what_for);
}

static void print_verdict(const struct layout_assessment *a, double margin, int env)
{
	char c1[32], c2[32], lo[32], hi[32];
	const struct comparison *d = &a->defaults;
	double range = a->spread_a.max_rel / a->spread_a.min_rel;
	const char *what = env ? "paddings" : "layouts";

	printf("verdict: %s", layout_verdict_name(a->verdict));
	switch (a->verdict) {
	case LAYOUT_ARTEFACT: {
		char r[32], rlo[32], rhi[32];

		printf(": the default build's %s lies inside A's own layout range (%.2fx);\n"
		       "         averaged over %s B/A is %s [%s, %s]: not that, and %s\n"
		       "         A real change between %s and %s is not excluded.\n",
		       fmt_change(c1, sizeof(c1), d->ratio), range, what,
		       fmt_num(r, sizeof(r), a->averaged.ratio),
		       fmt_num(rlo, sizeof(rlo), a->averaged.lo),
		       fmt_num(rhi, sizeof(rhi), a->averaged.hi),
		       a->averaged.lo <= 1 && 1 <= a->averaged.hi ?
		       "not distinguishable from A." : "within the margin of A.",
		       fmt_change(lo, sizeof(lo), a->averaged.lo),
		       fmt_change(hi, sizeof(hi), a->averaged.hi));
		break;
	}
	case LAYOUT_SLOWER:
	case LAYOUT_FASTER:
		printf(": averaged over %s, B/A is %s, beyond the %.3g%% margin;\n"
		       "         the default build alone says %s (%s).\n",
		       what, fmt_change(c1, sizeof(c1), a->averaged.ratio), 100 * margin,
		       verdict_name(d->verdict), fmt_change(c2, sizeof(c2), d->ratio));
		break;
	case LAYOUT_SAME:
		printf(": averaged over %s, B is within %.3g%% of A.\n", what, 100 * margin);
		if (d->verdict == VERDICT_SLOWER || d->verdict == VERDICT_FASTER)
			printf("         The default build says %s (%s), more than A's own layout range:\n"
			       "         its difference is that build's, not the change's.\n",
			       verdict_name(d->verdict), fmt_change(c1, sizeof(c1), d->ratio));
		break;
	case LAYOUT_UNRESOLVED:
		if (d->verdict == VERDICT_SLOWER || d->verdict == VERDICT_FASTER)
			printf(": the default build says %s (%s), but averaged over %s\n"
			       "         the interval is too wide to tell a real change from layout.\n",
			       verdict_name(d->verdict), fmt_change(c1, sizeof(c1), d->ratio), what);
		else
			printf(": averaged over %s the interval is too wide to decide at %.3g%%.\n",
			       what, 100 * margin);
		break;
	}
	if (a->verdict == LAYOUT_ARTEFACT)
		print_needed("To narrow that to the margin", a->variants_needed, margin);
	if (a->verdict == LAYOUT_UNRESOLVED) {
		char what_for[64];

		snprintf(what_for, sizeof(what_for), "To resolve this difference (%s)",
			 fmt_change(c1, sizeof(c1), a->needed_for_ratio));
		print_needed(what_for, a->variants_needed, margin);
	}
}

/* Which look decided, as compare says it (docs/compare.md). */
static void print_look(const struct layout_args *args, unsigned look, int final_look,
		       double level)
{
	if (look)
		printf("         decided at look %u (rounds double between looks): a %.4g%% interval; all looks together keep %.4g%%\n",
		       look, 100 * level, 100 * (1 - args->copts.alpha));
	else if (final_look)
		printf("         final look after the budget ran out: a %.4g%% interval; all looks together keep %.4g%%\n",
		       100 * level, 100 * (1 - args->copts.alpha));
}

static void print_assessment(const struct layout_args *args, const struct results *res,
			     const struct layout_assessment *a, double level,
			     unsigned look, int final_look, size_t runs, double seconds)
{
	const struct results_layout *l = res->layout;
	const char *metric = args->cfg.metric;
	enum value_unit unit = metric ? (enum value_unit)metric_unit(metric) : VALUE_SECONDS;
	char r[32], ci[64], t[32];
	const struct comparison *d = &a->defaults;

	print_spread(a, metric, unit);
	printf("default build    B/A %s  %s", fmt_ratio(r, sizeof(r), d->ratio),
	       fmt_ci(ci, sizeof(ci), level, d->ci_lo, d->ci_hi));
	if (d->verdict == VERDICT_SLOWER || d->verdict == VERDICT_FASTER)
		printf("   -> %s if layout were fixed\n", verdict_name(d->verdict));
	else
		printf("   -> %s\n", verdict_name(d->verdict));
	printf("layout-averaged  B/A %s  %s   (hierarchical bootstrap: variants, then runs)\n",
	       fmt_ratio(r, sizeof(r), a->averaged.ratio),
	       fmt_ci(ci, sizeof(ci), level, a->averaged.lo, a->averaged.hi));
	print_verdict(a, args->copts.margin, l->perturbation && !strcmp(l->perturbation, "env"));
	print_look(args, look, final_look, level);
	if (l->compiles || l->relinks)
		printf("builds: %" PRIu64 " compiles + %" PRIu64 " relinks, %s      ",
		       l->compiles, l->relinks, format_time(t, sizeof(t), l->build_seconds));
	printf("runs: %zu, %s", runs, format_time(t, sizeof(t), seconds));
	if (args->output)
		printf("      saved: %s", strcmp(args->output, "-") ? args->output : "stdout");
	putchar('\n');
}

/* What the file records of the conclusion. */
static void record_assessment(struct results_layout *l, const struct layout_assessment *a,
			      double level)
{
	free(l->verdict);
	free(l->default_verdict);
	l->verdict = xstrdup(layout_verdict_name(a->verdict));
	l->default_verdict = xstrdup(verdict_name(a->defaults.verdict));
	l->default_ratio = a->defaults.ratio;
	l->default_lo = a->defaults.ci_lo;
	l->default_hi = a->defaults.ci_hi;
	l->averaged_ratio = a->averaged.ratio;
	l->averaged_lo = a->averaged.lo;
	l->averaged_hi = a->averaged.hi;
	l->level = level;
	l->spread_a = a->spread_a.sd_rel;
	l->spread_b = a->spread_b.sd_rel;
	l->range_a = a->spread_a.max_rel / a->spread_a.min_rel;
	l->range_b = a->spread_b.max_rel / a->spread_b.min_rel;
	l->variants_needed = a->variants_needed;
}

/* ---- the command ---- */

/*
 * --export-markdown, --export-csv: one row per build — how it was made and
 * the median of its runs (seconds, or the metric's unit).
 */
static int export_builds(const char *path, enum export_format format,
			 const struct results *res, const char *metric)
{
	const struct results_layout *l = res->layout;
	char *tmp;
	FILE *f = atomic_open(path, &tmp);

	if (!f)
		return -1;
	if (format == EXPORT_CSV)
		fprintf(f, "build,side,default,cflags,ldflags,seed,env_pad,relinked,build_seconds,text_bytes,runs,median\n");
	else
		fprintf(f, "| Build | Side | Flags | .text | Runs | Median |\n|:---|:---|:---|---:|---:|---:|\n");
	for (size_t i = 0; i < l->nr_variants; i++) {
		const struct layout_variant *v = &l->variants[i];
		const struct benchmark *b = &res->benchmarks[v->benchmark];
		size_t n;
		double *x = benchmark_metric_values(b, metric, &n), median = NAN;
		struct summary s;

		if (x && n) {
			stats_summarize_sorting(x, n, &s);
			median = s.median;
		}
		free(x);
		if (format == EXPORT_CSV) {
			put_csv_field(f, b->name);
			fprintf(f, ",%c,%s,", v->side, v->is_default ? "yes" : "no");
			put_csv_field(f, v->cflags ? v->cflags : "");
			fputc(',', f);
			put_csv_field(f, v->ldflags ? v->ldflags : "");
			fprintf(f, ",%" PRIu64 ",%d,%s,", v->seed, v->env_pad, v->relinked ? "yes" : "no");
			if (isfinite(v->build_seconds))
				fprintf(f, "%.6g", v->build_seconds);
			fprintf(f, ",%" PRId64 ",%zu,", v->text_bytes, n);
			if (isfinite(median))
				fprintf(f, "%.9g", median);
			fputc('\n', f);
		} else {
			char *flags = xasprintf("%s%s%s", v->cflags ? v->cflags : "",
						v->cflags && v->ldflags ? " " : "",
						v->ldflags ? v->ldflags : "");
			char m[32];

			fputs("| ", f);
			put_markdown_cell(f, b->name);
			fprintf(f, " | %c | ", v->side);
			put_markdown_cell(f, *flags ? flags : (v->env_pad >= 0 ? "(env padding)" : "(the user's)"));
			fprintf(f, " | %" PRId64 " | %zu | %s |\n", v->text_bytes, n,
				isfinite(median) ? format_metric(m, sizeof(m), median,
								 metric ? (enum value_unit)metric_unit(metric) : VALUE_SECONDS) : "n/a");
			free(flags);
		}
	}
	return atomic_commit(f, tmp, path);
}

/* Builds (or plans, for env) every variant into res->layout: 0 or an exit code. */
static int prepare_variants(struct layout_args *args, struct results *res,
			    char ***dirs, char **workspace, int *build_failed)
{
	res->layout = xcalloc(1, sizeof(*res->layout));
	res->layout->perturbation = xstrdup(perturb_name(args->req.perturb));
	if (args->req.perturb == PERTURB_ENV) {
		res->layout->build_seconds = NAN;
		plan_env_variants(args, res->layout);
		return 0;
	}
	if (perturb_check(args->req.perturb, args->req.cc))
		return spawn_exit_code(EXIT_USAGE);
	return variants_build(&args->req, res->layout, dirs, workspace, build_failed);
}

int cmd_layout(int argc, char **argv)
{
	struct layout_args args;
	struct results res;
	struct layout_rule rule;
	struct layout_assessment assessment;
	struct progress progress;
	struct benchmark **bs = NULL;
	char **dirs = NULL, *workspace = NULL;
	size_t ka, kb, n;
	unsigned look;
	int final_look, parsed, built, build_failed = 0, ret = EXIT_USAGE, save_failed = 0;
	int64_t start;

	results_init(&res);
	layout_args_init(&args);
	/* before the compiler probe of the option checks */
	spawn_catch_signals();
	parsed = parse_layout_options(argc, argv, &args);
	if (parsed) {
		ret = parsed > 0 ? EXIT_OK : spawn_exit_code(EXIT_USAGE);
		goto out;
	}
	built = prepare_variants(&args, &res, &dirs, &workspace, &build_failed);
	if (built) {
		ret = built;
		goto out;
	}
	if (add_benchmarks(&args, &res, dirs))
		goto out;
	n = res.nr_benchmarks;
	bs = xcalloc(n, sizeof(*bs));
	ka = kb = 0;
	for (size_t i = 0; i < n; i++) {
		const struct layout_variant *v = &res.layout->variants[i];

		bs[i] = &res.benchmarks[v->benchmark];
		if (!v->is_default)
			*(v->side == 'A' ? &ka : &kb) += 1;
	}
	layout_rule_init(&rule, &args.cfg, &args.copts, args.cfg.metric, ka, kb);
	system_record(&res);
	progress_init(&progress);
	start = monotonic_ns();
	if (bench_execute_rounds(bs, n, &progress, layout_rule_enough, &rule))
		goto out;
	if (layout_rule_finish(&rule, bs, &assessment, &look, &final_look)) {
		/* an interrupt before every build ran: nothing to judge, the runs still saved */
		ret = bs[0]->stop == STOP_COMPLETED ? EXIT_FAILED : stop_reason_exit_code(bs[0]->stop);
		if (results_save(&res, args.output))
			ret = spawn_exit_code(EXIT_USAGE);
		goto out;
	}
	record_assessment(res.layout, &assessment, 1 - assessment.defaults.alpha);
	if (results_save(&res, args.output)) {
		ret = spawn_exit_code(EXIT_USAGE);
		goto out;
	}
	/* A store that fails does not hide the verdict measured: said after it. */
	save_failed = run_history_save(&res, &args.cfg, "layout");
	if ((args.markdown && export_builds(args.markdown, EXPORT_MARKDOWN, &res, args.cfg.metric)) ||
	    (args.csv && export_builds(args.csv, EXPORT_CSV, &res, args.cfg.metric)))
		ret = EXIT_USAGE;
	print_assessment(&args, &res, &assessment, 1 - assessment.defaults.alpha,
			 look, final_look, results_count_runs(&res), (monotonic_ns() - start) / 1e9);
	ret = save_failed ? EXIT_USAGE : stop_reason_exit_code(bs[0]->stop);
out:
	/* kept when asked, or when a failed build's log is in it */
	if (workspace && (args.keep || build_failed))
		printf("kept: %s%s\n", workspace,
		       args.keep ? "" : " (a build failed: its log is there)");
	else if (workspace)
		variants_cleanup(workspace);
	free(workspace);
	words_free(dirs);
	free(bs);
	layout_args_release(&args);
	results_release(&res);
	return ret;
}
