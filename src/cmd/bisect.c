/*
 * bisect: `steady bisect` — which hunks of a patch, or which commit of a
 * range, make the program slower, found under noise.
 *
 *   steady bisect [options] --src DIR --patch FILE --build CMD -- 'RUN'
 *   steady bisect [options] --src DIR --commits A..B --build CMD -- 'RUN'
 *
 * First the whole patch (or range) is measured against the base with
 * compare's rule: it must be SLOWER, and its ratio sets the bar a subset
 * must clear, --fraction of the whole slowdown. Then analyse/bisect_search
 * asks about subsets; each question builds the subset in a private copy
 * (toolchain/configs.c: builds kept by key, so a subset is built once)
 * and measures it against the base, interleaved, until the interval of
 * the ratio lies above the bar (SLOW), below it (NOT SLOW), or the step's
 * budget is spent (UNRESOLVED: the search stops, nothing is guessed).
 * Every step is written to the log as it ends; --resume LOG answers the
 * questions already answered from it. This file parses, asks, prints and
 * writes; the hunks are toolchain/diff.c's.
 */
#include "cmd/builtin.h"
#include "analyse/bisect_search.h"
#include "analyse/compare.h"
#include "analyse/layout_rule.h"
#include "analyse/sequential.h"
#include "formats/jsonfile.h"
#include "formats/results.h"
#include "lib/atomic_file.h"
#include "lib/digest.h"
#include "lib/units.h"
#include "lib/util.h"
#include "lib/words.h"
#include "measure/bench.h"
#include "measure/progress.h"
#include "measure/run_options.h"
#include "measure/spawn.h"
#include "toolchain/build.h"
#include "toolchain/configs.h"
#include "toolchain/diff.h"
#include "toolchain/perturb.h"
#include "toolchain/template.h"
#include "toolchain/tool.h"
#include "toolchain/tree.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char bisect_usage_head[] =
"usage: steady bisect [options] --src DIR --patch FILE --build CMD -- 'RUN'\n"
"       steady bisect [options] --src DIR --commits A..B --build CMD -- 'RUN'\n"
"\n"
"Finds which hunks of a patch, or which commit of a range, make RUN slower.\n"
"The whole change is measured against the base first (it must be SLOWER);\n"
"then subsets are built in private copies and each is measured against the\n"
"base, interleaved, until it is SLOW (reproduces --fraction of the whole\n"
"slowdown) or NOT SLOW. A step that stays undecided stops the search: no\n"
"guess. One culprit among N costs about log2(N)+2 builds; hunks slow only\n"
"together are found by delta debugging. The culprit and the rest are\n"
"measured alone at the end. Each step measures until it is decided or\n"
"--max-time (default 60 s a step) is spent. Every step goes to the log\n"
"(--log) as it ends.\n"
"\n";

enum {
	OPT_SRC = OPT_COMMAND_BASE, OPT_PATCH, OPT_COMMITS, OPT_BUILD, OPT_CC, OPT_BINARY,
	OPT_BUILDS, OPT_REBUILD, OPT_FRACTION, OPT_LOG, OPT_CULPRIT, OPT_RESUME,
	OPT_LAYOUT_VARIANTS
};

static const struct option_doc bisect_docs[] = {
	OPTDOC_TEXT("What to search:"),
	OPTDOC(NULL, "src", OPT_SRC, "DIR", "the tree (never written to)"),
	OPTDOC(NULL, "patch", OPT_PATCH, "FILE",
	       "a unified diff (git or diff -u) applying to DIR with\n"
	       "patch -p1: its hunks are searched"),
	OPTDOC(NULL, "commits", OPT_COMMITS, "A..B",
	       "the commits of a git range of DIR, along the first\n"
	       "parent: the first slow one is searched, A the base"),
	OPTDOC(NULL, "build", OPT_BUILD, "CMD",
	       "the build command, run in each copy (may be given\n"
	       "again). Placeholders: {dir} the copy, {cc}, {cflags},\n"
	       "{ldflags}; e.g. 'make -C {dir} -j2'"),
	OPTDOC(NULL, NULL, 0, "RUN", "the benchmark, with {dir}: '{dir}/prog args'"),
	OPTDOC(NULL, "fraction", OPT_FRACTION, "F",
	       "a subset is SLOW when its slowdown is above F of the\n"
	       "whole change's (default 0.5)"),
	OPTDOC(NULL, "layout-variants", OPT_LAYOUT_VARIANTS, "K",
	       "first check that the whole change's slowdown is not a\n"
	       "layout artefact: K align variants a side, judged as\n"
	       "steady layout does (needs {cflags} in --build)"),
	OPTDOC(NULL, "cc", OPT_CC, "CC", "{cc} (default $CC, else cc)"),
	OPTDOC("j", "jobs", 'j', "N", "builds at once (default: the CPUs)"),
	OPTDOC(NULL, "binary", OPT_BINARY, "PATH",
	       "the built program, relative to {dir}, that a build\n"
	       "must make (default: RUN's program, when in the tree)"),
	OPTDOC(NULL, "builds", OPT_BUILDS, "DIR",
	       "where builds are kept and found again, by subset\n"
	       "(default $XDG_CACHE_HOME/steady/sweep)"),
	OPTDOC(NULL, "rebuild", OPT_REBUILD, NULL, "build everything again, whatever is kept"),
	OPTDOC_TEXT(""),
	OPTDOC_TEXT("Verdict:"),
	RUN_VERDICT_OPTIONS("practical margin in percent for the whole change\n"
			    "(default 1)",
			    "what judges each step, as in compare: median\n"
			    "(default), hl, mean, min"),
	OPTDOC_TEXT(""),
	OPTDOC_INCLUDE(run_option_docs),
	OPTDOC_INCLUDE(run_metric_docs),
	OPTDOC_TEXT("Results:"),
	OPTDOC(NULL, "log", OPT_LOG, "FILE",
	       "every step with its figures, as JSON, written as each\n"
	       "step ends (default bisect.json)"),
	OPTDOC(NULL, "culprit", OPT_CULPRIT, "FILE",
	       "the culprit hunks as a patch (default culprit.patch)"),
	OPTDOC(NULL, "resume", OPT_RESUME, "LOG",
	       "answer the steps LOG already has from it, then go on"),
	OPTDOC_END
};

static const char bisect_usage_tail[] =
"\n"
"Exit codes: 0 done (a culprit found, or nothing to bisect), 1 a build or\n"
"run failed or a step stayed UNRESOLVED, 2 bad usage or input, 130\n"
"interrupted (the log keeps every finished step: --resume it).\n";

static const struct command_help bisect_help = {
	"bisect", bisect_usage_head, bisect_docs, bisect_usage_tail
};

#define BISECT_MAX_TIME 60.0
#define BISECT_LOG_FORMAT "steady-bisect"
#define BISECT_LOG_VERSION 1

struct bisect_args {
	struct bench_config cfg;
	struct compare_options copts;
	const char *src, *patch, *commits, *cc, *binary, *run;
	const char *log, *culprit, *resume;
	char **build;
	size_t nr_build, alloc_build;
	char *builds_dir;
	int rebuild;
	unsigned jobs;
	double fraction;
	size_t layout_variants;
};

/* The units searched: hunk groups of a patch, or commits of a range. */
struct units {
	size_t n;
	struct diff diff;          /* --patch */
	char **commits;            /* --commits: their hashes, oldest first */
	char **subjects;
	char *base;                /* the range's base commit */
	char key[33];              /* the patch's digest, or the range's */
};

/* The state of a search: everything a question needs, and what was asked. */
struct bisect {
	struct bisect_args *a;
	struct units *u;
	char *ws;                  /* steady's workspace: subset patches */
	double threshold;          /* a ratio above it is SLOW */
	double full_ratio, full_lo, full_hi;
	double step_alpha;
	json_t *log;               /* the log being written */
	json_t *memo;              /* --resume: answers by key */
	json_t *asked;             /* this search's answers by key (ddmin asks again) */
	char settings_key[33];     /* what judged the answers: a log of others is not reused */
	size_t steps, builds, kept, runs;
	int base_counted;          /* the base is in builds or kept, once */
	int64_t start_ns;
	int failed;                /* a base build or a run failed: exit 1 */
	int apply_failed;          /* the last step's sources would not do (a patch that does not apply) */
	const char *why;           /* why the last step was FAILED */
	char *failed_log;          /* its build log, when it did not build */
	const char *full_patch;    /* the whole patch's file: a failed run of it is an error */
	char *snapshot;            /* --patch: the tree, copied once; every step builds from it */
	struct comparison commit_alone;  /* a range's culprit against its parent */
	enum bisect_answer commit_answer;
};

static void bisect_args_init(struct bisect_args *a)
{
	memset(a, 0, sizeof(*a));
	bench_config_init(&a->cfg);
	a->cfg.max_time = BISECT_MAX_TIME;
	compare_options_init(&a->copts);
	a->fraction = 0.5;
	a->log = "bisect.json";
	a->culprit = "culprit.patch";
}

static void bisect_args_release(struct bisect_args *a)
{
	bench_config_release(&a->cfg);
	free(a->build);
	free(a->builds_dir);
}

static void units_release(struct units *u)
{
	diff_release(&u->diff);
	words_free(u->commits);
	words_free(u->subjects);
	free(u->base);
}

/* 0 to go on, 1 after --help, -1 after one error line. */
static int parse_bisect_options(int argc, char **argv, struct bisect_args *a)
{
	struct option_table t;
	double margin_pct = 1.0;
	unsigned long n;
	enum run_common_result common;
	const char *output = NULL;
	int opt, seed_given = 0, ret = -1;

	opterr = 0;
	optind = 1;
	option_table_init(&t, "+:", bisect_docs);
	while ((opt = run_options_next(argc, argv, t.shortopts, t.longopts,
				       &a->cfg, &seed_given)) != -1) {
		switch (opt) {
		case RUN_OPTION_INVALID:
			goto out;
		case OPT_SRC:
			a->src = optarg;
			break;
		case OPT_PATCH:
			a->patch = optarg;
			break;
		case OPT_COMMITS:
			a->commits = optarg;
			break;
		case OPT_BUILD:
			ALLOC_GROW(a->build, a->nr_build + 2, a->alloc_build);
			a->build[a->nr_build++] = optarg;
			a->build[a->nr_build] = NULL;
			break;
		case OPT_CC:
			a->cc = optarg;
			break;
		case 'j':
			if (build_parse_jobs(optarg, &a->jobs))
				goto out;
			break;
		case OPT_BINARY:
			a->binary = optarg;
			break;
		case OPT_BUILDS:
			free(a->builds_dir);
			a->builds_dir = xstrdup(optarg);
			break;
		case OPT_REBUILD:
			a->rebuild = 1;
			break;
		case OPT_FRACTION: {
			char *end;

			errno = 0;
			a->fraction = strtod(optarg, &end);
			if (*end || errno || !(a->fraction > 0) || !(a->fraction < 1)) {
				error("invalid value for --fraction: '%s' (expected a number above 0 and below 1)",
				      optarg);
				goto out;
			}
			break;
		}
		case OPT_LOG:
			a->log = optarg;
			break;
		case OPT_CULPRIT:
			a->culprit = optarg;
			break;
		case OPT_RESUME:
			a->resume = optarg;
			break;
		case OPT_LAYOUT_VARIANTS:
			if (parse_uint(optarg, PERTURB_ALIGN_CHOICES, &n) || n == 1) {
				error("invalid value for --layout-variants: '%s' (expected 0, or 2 to %d)",
				      optarg, PERTURB_ALIGN_CHOICES);
				goto out;
			}
			a->layout_variants = n;
			break;
		default:
			common = run_common_option(opt, optarg, argc, argv, &output, &bisect_help,
						   &margin_pct, &a->copts.estimator);
			if (common != RUN_COMMON_GO_ON) {
				ret = common == RUN_COMMON_DONE ? 1 : -1;
				goto out;
			}
			if (output) {
				error("bisect writes its log with --log FILE, not -o");
				goto out;
			}
			break;
		}
	}
	a->copts.margin = margin_pct / 100.0;
	if (optind > argc || strcmp(argv[optind - 1], "--") || argc - optind != 1) {
		error("bisect takes one run command after -- (with {dir} for the build's tree)");
		goto out;
	}
	a->run = argv[optind];
	if (!a->src) {
		error("bisect needs the tree: --src DIR");
		goto out;
	}
	if (!a->patch == !a->commits) {
		error("bisect searches --patch FILE or --commits A..B: %s",
		      a->patch ? "not both" : "give one");
		goto out;
	}
	if (!a->nr_build) {
		error("bisect needs --build CMD to build each step (see 'steady bisect --help')");
		goto out;
	}
	if (run_options_check(&a->cfg))
		goto out;
	for (size_t i = 0; i < a->nr_build; i++)
		if (build_check_template(a->build[i], a->cfg.shell))
			goto out;
	if (build_check_template(a->run, a->cfg.shell))
		goto out;
	if (a->layout_variants) {
		int takes = 0;

		for (size_t i = 0; i < a->nr_build; i++)
			takes |= strstr(a->build[i], "{cflags}") != NULL;
		if (!takes) {
			error("--layout-variants adds alignment flags through {cflags}, and no --build command has it (e.g. 'make -C {dir} CFLAGS=\"-O2 {cflags}\"')");
			goto out;
		}
	}
	if (!a->cc)
		a->cc = build_default_cc();
	if (!a->jobs)
		a->jobs = build_default_jobs();
	if (!a->builds_dir)
		a->builds_dir = configs_default_dir();
	if (!a->builds_dir) {
		error("no place to keep builds: set HOME or XDG_CACHE_HOME, or give --builds DIR");
		goto out;
	}
	if (seed_given)
		a->copts.seed = a->cfg.seed;
	else
		a->cfg.seed = run_random_seed();
	ret = 0;
out:
	option_table_release(&t);
	return ret;
}

/* ---- the units ---- */

/* The digest of a file's bytes, as 32 hex digits. 0, or -1 after one line. */
static int digest_file(const char *path, char hex[33])
{
	char buf[65536];
	struct digest d;
	FILE *f = fopen(path, "re");
	size_t got;

	if (!f)
		return error("cannot read '%s': %s", path, strerror(errno));
	digest_init(&d);
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		digest_bytes(&d, buf, got);
	if (ferror(f)) {
		fclose(f);
		return error("cannot read '%s': %s", path, strerror(errno));
	}
	fclose(f);
	digest_hex(&d, hex);
	return 0;
}

/* The commits of A..B along the first parent, oldest first. 0, or -1 after one line. */
static int load_commits(const struct bisect_args *a, struct units *u)
{
	char *range = xstrdup(a->commits), *dots = strstr(range, "..");
	char *git = tool_find("git", "git");
	struct tool_output res = TOOL_OUTPUT_INIT;
	int ret = -1;
	size_t alloc = 0, alloc_s = 0;

	if (!dots || dots == range || !dots[2] || dots[2] == '.') {
		error("--commits takes a range A..B, not '%s'", a->commits);
		goto out;
	}
	if (!git)
		goto out;
	*dots = '\0';
	{
		char *argv[] = { "git", "rev-parse", "--verify", "--end-of-options", range, NULL };
		char *with_commit = xasprintf("%s^{commit}", range);

		argv[4] = with_commit;
		if (tool_run(git, argv, a->src, 0, &res)) {
			free(with_commit);
			goto out;
		}
		free(with_commit);
		if (res.exit_code) {
			char *why = tool_first_line(res.err);

			error("--commits: '%s' is not a commit of '%s': %s", range, a->src, why);
			free(why);
			goto out;
		}
		u->base = xstrdup(strtok(res.out, "\n"));
		tool_output_release(&res);
	}
	{
		char *argv[] = { "git", "merge-base", "--is-ancestor", u->base, dots + 2, NULL };

		if (tool_run(git, argv, a->src, 0, &res))
			goto out;
		if (res.exit_code) {
			error("--commits %s: %s is not an ancestor of %s: not a range to bisect",
			      a->commits, range, dots + 2);
			goto out;
		}
		tool_output_release(&res);
	}
	{
		char *spec = xasprintf("%s..%s", range, dots + 2);
		char *argv[] = { "git", "log", "--first-parent", "--reverse", "--format=%H %s",
				 "--end-of-options", spec, NULL };
		char *save = NULL;

		if (tool_run(git, argv, a->src, 0, &res)) {
			free(spec);
			goto out;
		}
		if (res.exit_code) {
			char *why = tool_first_line(res.err);

			error("--commits: git cannot list '%s': %s", spec, why);
			free(why);
			free(spec);
			goto out;
		}
		free(spec);
		for (char *line = strtok_r(res.out, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *space = strchr(line, ' ');

			ALLOC_GROW(u->commits, u->n + 2, alloc);
			ALLOC_GROW(u->subjects, u->n + 2, alloc_s);
			if (space)
				*space = '\0';
			u->commits[u->n] = xstrdup(line);
			u->subjects[u->n] = xstrdup(space ? space + 1 : "");
			u->n++;
			u->commits[u->n] = NULL;
			u->subjects[u->n] = NULL;
		}
	}
	if (!u->n) {
		error("--commits %s holds no commit", a->commits);
		goto out;
	}
	{
		struct digest d;

		digest_init(&d);
		digest_string(&d, u->base);
		for (size_t i = 0; i < u->n; i++)
			digest_string(&d, u->commits[i]);
		digest_hex(&d, u->key);
	}
	ret = 0;
out:
	tool_output_release(&res);
	free(git);
	free(range);
	return ret;
}

static int load_units(const struct bisect_args *a, struct units *u)
{
	if (a->commits)
		return load_commits(a, u);
	if (diff_read_file(a->patch, &u->diff))
		return -1;
	u->n = u->diff.nr_groups;
	if (!u->n)
		return error("'%s' holds no change to bisect", a->patch);
	return digest_file(a->patch, u->key);
}

/* "x.c @@ -210,6 +210,14 @@" for a group, or "abc1234 subject" for a commit: a new string. */
static char *unit_label(const struct units *u, size_t i)
{
	if (u->commits)
		return xasprintf("%.12s %s", u->commits[i], u->subjects[i]);
	return diff_group_label(&u->diff, i);
}

/* "groups 1-4" style list of a subset: a new string ("1, 3, 5-8"). */
static char *subset_text(const unsigned char *subset, size_t n)
{
	char *out = xstrdup(""), *next;

	for (size_t i = 0; i < n;) {
		size_t j = i;

		if (!subset[i]) {
			i++;
			continue;
		}
		while (j + 1 < n && subset[j + 1])
			j++;
		if (j == i)
			next = xasprintf("%s%s%zu", out, *out ? ", " : "", i + 1);
		else
			next = xasprintf("%s%s%zu-%zu", out, *out ? ", " : "", i + 1, j + 1);
		free(out);
		out = next;
		i = j + 1;
	}
	return out;
}

/* The memo key of a question. */
static char *subset_key(const struct units *u, const unsigned char *subset)
{
	char *list = subset_text(subset, u->n), *key;

	key = xasprintf("%s:%s", u->commits ? "commits" : "groups", list);
	free(list);
	return key;
}

/* ---- one step: build, measure, judge ---- */

/* The rule of a step: compare's looks, each judging the ratio against the bar. */
struct step_rule {
	struct sequential_plan plan;
	struct compare_options copts;
	const char *metric;
	double threshold;      /* NaN: judge with the margin, as compare (the full check) */
	unsigned looks;
	int failed;
	enum sequential_decision decision;
	struct comparison last;
};

/* A step's verdict: against the bar (bisect_judge), or compare's for the whole change. */
static enum verdict judge(const struct step_rule *r, const struct comparison *c)
{
	static const enum verdict as_verdict[] = {
		[BISECT_SLOW] = VERDICT_SLOWER, [BISECT_NOT_SLOW] = VERDICT_SAME,
		[BISECT_UNRESOLVED] = VERDICT_UNRESOLVED,
	};

	if (isnan(r->threshold))
		return c->verdict;
	return as_verdict[bisect_judge(c->ci_lo, c->ci_hi, r->threshold)];
}

static int step_look(void *ctx, struct benchmark **bs, double alpha)
{
	struct step_rule *r = ctx;
	struct compare_options o = r->copts;

	o.alpha = alpha;
	if (compare_benchmarks(bs[0], bs[1], r->metric, &o, &r->last))
		return -1;
	return judge(r, &r->last) != VERDICT_UNRESOLVED;
}

static int step_enough(void *ctx, struct benchmark **bs, size_t n, size_t rounds,
		       double elapsed)
{
	struct step_rule *r = ctx;

	(void)n;
	return sequential_plan_step(&r->plan, rounds, elapsed, bs, step_look, r, &r->looks,
				    &r->failed, &r->decision);
}

/* The run command filled for a tree: a new argv, or NULL after one line. */
static char **run_argv(const struct bisect_args *a, const char *dir, size_t *argc)
{
	const struct template_value v[] = {
		{ "dir", dir, 0 }, { "cc", a->cc, 0 }, { "cflags", "", 0 }, { "ldflags", "", 0 },
	};
	struct template t = { v, 4 };

	return template_command(&t, a->run, a->cfg.shell, argc);
}

/* The builds of base (rev_a, or the tree) and candidate (rev_b, or the tree and patch_file). */
static void fill_request(const struct bisect_args *a, const char *snapshot,
			 struct configs_request *req, const char *patch_file, const char *rev_a,
			 const char *rev_b)
{
	memset(req, 0, sizeof(*req));
	req->src_a = snapshot ? snapshot : a->src;
	req->rev_a = rev_a;
	req->rev_b = rev_b;
	req->patch = patch_file;
	req->two_sides = 1;
	req->build = a->build;
	req->nr_build = a->nr_build;
	req->shell = a->cfg.shell;
	req->run = a->run;
	req->binary = a->binary;
	req->builds_dir = a->builds_dir;
	req->rebuild = a->rebuild;
	req->jobs = a->jobs;
}

/* Whether b has a run that failed (exit code, signal, timeout). */
static int has_failed_run(const struct benchmark *bm)
{
	for (size_t i = 0; i < bm->nr_runs; i++)
		if (run_failed(&bm->runs[i]))
			return 1;
	return 0;
}

/*
 * Builds base and candidate (rev_b or the patch file) and measures them
 * until the rule decides. Fills *c; returns the answer. ABORT after an
 * interrupt or a base that does not build (b->failed).
 */
static enum bisect_answer measure_step(struct bisect *b, const char *label,
				       const char *patch_file,
				       const char *rev_a, const char *rev_b, double alpha,
				       double threshold, struct comparison *c, size_t *runs,
				       double *seconds, int *kept)
{
	struct bisect_args *a = b->a;
	struct configs_request req = { 0 };
	struct config_build builds[2];
	struct results res;
	struct step_rule rule;
	struct progress progress;
	struct benchmark *bs[2];
	enum bisect_answer answer = BISECT_ABORT;
	int64_t start = monotonic_ns();
	int ret;

	memset(builds, 0, sizeof(builds));
	results_init(&res);
	fill_request(a, b->snapshot, &req, patch_file, rev_a, rev_b);
	for (int side = 0; side < 2; side++) {
		builds[side].side = side;
		builds[side].label = side ? label : "the base";
		builds[side].cc = a->cc;
	}
	ret = configs_build(&req, builds, 2);
	if (ret == EXIT_INTERRUPTED)
		goto out;
	b->apply_failed = ret == EXIT_USAGE;
	b->why = ret == EXIT_USAGE ? "it does not apply" : NULL;
	/* the last step's log, printed and logged by now */
	free(b->failed_log);
	b->failed_log = NULL;
	if (ret == EXIT_USAGE && patch_file) {
		/* the subset does not apply on its own: a question's answer, not an error */
		answer = BISECT_FAILED;
		goto out;
	}
	if (ret || !builds[0].ok) {
		if (!ret)
			error("the base does not build: nothing to measure against (log: %s)",
			      builds[0].log ? builds[0].log : "none");
		b->failed = 1;
		goto out;
	}
	if (!builds[1].ok) {
		answer = BISECT_FAILED;
		b->why = "it does not build";
		free(b->failed_log);
		b->failed_log = builds[1].log ? xstrdup(builds[1].log) : NULL;
		goto out;
	}
	*kept = builds[1].cached;
	b->builds += !builds[1].cached;
	b->kept += builds[1].cached;
	/* the base, once: built or found kept the first time it is used */
	if (!b->base_counted) {
		b->base_counted = 1;
		b->builds += !builds[0].cached;
		b->kept += builds[0].cached;
	} else {
		b->builds += !builds[0].cached;  /* built again: --rebuild */
	}
	for (int side = 0; side < 2; side++) {
		size_t argc;
		char **argv = run_argv(a, builds[side].dir, &argc);
		struct benchmark *bm;

		if (!argv) {
			b->failed = 1;
			goto out;
		}
		bm = results_add_benchmark(&res);
		bench_config_copy(&bm->config, &a->cfg);
		bm->name = xstrdup(side ? "step" : "base");
		benchmark_set_argv(bm, argv, argc);
		words_free(argv);
	}
	bs[0] = &res.benchmarks[0];
	bs[1] = &res.benchmarks[1];
	memset(&rule, 0, sizeof(rule));
	sequential_plan_init(&rule.plan, &a->cfg, alpha);
	rule.copts = a->copts;
	rule.copts.paired = 1;
	rule.copts.alpha = alpha;
	rule.metric = a->cfg.metric;
	rule.threshold = threshold;
	rule.decision = SEQUENTIAL_GO_ON;
	progress_init(&progress);
	if (bench_execute_rounds(bs, 2, &progress, step_enough, &rule)) {
		b->failed = 1;
		goto out;
	}
	progress_clear(&progress);
	*runs = results_count_runs(&res);
	b->runs += *runs;
	if (bs[0]->stop == STOP_FAILED && !rule.failed && patch_file != b->full_patch &&
	    !has_failed_run(bs[0]) && has_failed_run(bs[1])) {
		/* the subset's program fails, the base's does not: a question's answer */
		answer = BISECT_FAILED;
		b->why = "its program failed";
		goto out;
	}
	if (bs[0]->stop != STOP_COMPLETED || rule.failed) {
		if (bs[0]->stop == STOP_FAILED || rule.failed)
			b->failed = 1;
		goto out;
	}
	/* the interim look that decided stands; else a last look at the final alpha */
	if (rule.decision != SEQUENTIAL_DECIDED) {
		struct compare_options o = rule.copts;

		o.alpha = sequential_plan_final_alpha(&rule.plan);
		if (compare_benchmarks(bs[0], bs[1], rule.metric, &o, &rule.last)) {
			b->failed = 1;
			goto out;
		}
	}
	*c = rule.last;
	switch (judge(&rule, c)) {
	case VERDICT_SLOWER:
		answer = BISECT_SLOW;
		break;
	case VERDICT_UNRESOLVED:
		answer = BISECT_UNRESOLVED;
		break;
	default:
		answer = BISECT_NOT_SLOW;
		break;
	}
out:
	*seconds = (monotonic_ns() - start) / 1e9;
	for (int side = 0; side < 2; side++)
		config_build_release(&builds[side]);
	results_release(&res);
	return answer;
}

/* ---- the log ---- */

static double number_or_nan(const json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static json_t *real_or_null(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static int save_log(struct bisect *b)
{
	return json_file_write(b->log, b->a->log);
}

/*
 * --layout-variants: the whole change against the base over K align
 * variants a side, as steady layout judges it. 0 when it is a REAL CHANGE
 * (SLOWER) and the search may go on; 2 when layout says it is not
 * (nothing to bisect); 1 when it cannot tell; -1 after an error or an
 * interrupt.
 */
static int check_layout(struct bisect *b, const char *patch_file)
{
	struct bisect_args *a = b->a;
	size_t k = a->layout_variants, n = 2 + 2 * k;
	struct configs_request req = { 0 };
	struct config_build *builds = xcalloc(n, sizeof(*builds));
	struct perturb_flags *flags = xcalloc(k + 1, sizeof(*flags));
	struct benchmark **bs = xcalloc(n, sizeof(*bs));
	struct layout_rule rule;
	struct layout_assessment l;
	struct progress progress;
	struct results res;
	unsigned look;
	int final_look, ret = -1;

	results_init(&res);
	fill_request(a, b->snapshot, &req, patch_file, b->u->commits ? b->u->base : NULL,
		     b->u->commits ? b->u->commits[b->u->n - 1] : NULL);
	for (size_t v = 0; v < k; v++)
		perturb_variant(PERTURB_ALIGN, PERTURB_KEPT_SEED, v, &flags[v]);
	/* layout_rule's order: the two own builds, A's variants, B's */
	for (size_t i = 0; i < n; i++) {
		struct config_build *x = &builds[i];

		x->side = i < 2 ? (int)i : i < 2 + k ? 0 : 1;
		x->cc = a->cc;
		x->label = i < 2 ? (i ? "the whole change" : "the base") :
			   x->side ? "a variant of the whole change" : "a variant of the base";
		if (i >= 2)
			x->variant_cflags = flags[(i - 2) % k].cflags;
	}
	ret = configs_build(&req, builds, n);
	if (ret) {
		/* a patch that does not apply is bad input */
		ret = ret == EXIT_USAGE ? 3 : -1;
		goto out;
	}
	ret = -1;
	for (size_t i = 0; i < n; i++) {
		size_t argc;
		char **argv;
		struct benchmark *bm;

		if (!builds[i].ok) {
			error("a layout variant did not build (log: %s)", builds[i].log ? builds[i].log : "none");
			b->failed = 1;
			goto out;
		}
		argv = run_argv(a, builds[i].dir, &argc);
		if (!argv)
			goto out;
		bm = results_add_benchmark(&res);
		bench_config_copy(&bm->config, &a->cfg);
		bm->name = xstrdup(builds[i].label);
		benchmark_set_argv(bm, argv, argc);
		words_free(argv);
	}
	for (size_t i = 0; i < n; i++)
		bs[i] = &res.benchmarks[i];
	layout_rule_init(&rule, &a->cfg, &a->copts, a->cfg.metric, k, k);
	progress_init(&progress);
	if (bench_execute_rounds(bs, n, &progress, layout_rule_enough, &rule))
		goto out;
	progress_clear(&progress);
	b->runs += results_count_runs(&res);
	if (bs[0]->stop != STOP_COMPLETED || layout_rule_finish(&rule, bs, &l, &look, &final_look)) {
		b->failed = bs[0]->stop == STOP_FAILED;
		goto out;
	}
	printf("whole change over %zu layouts a side: %.3fx [%.3f, %.3f] %s (the default builds: %.3fx %s)\n",
	       k, l.averaged.ratio, l.averaged.lo, l.averaged.hi, layout_verdict_name(l.verdict),
	       l.defaults.ratio, verdict_name(l.defaults.verdict));
	{
		json_t *o = json_object();

		json_object_set_new(o, "verdict", json_string(layout_verdict_name(l.verdict)));
		json_object_set_new(o, "variants", json_integer((json_int_t)k));
		json_object_set_new(o, "averaged_ratio", real_or_null(l.averaged.ratio));
		json_object_set_new(o, "averaged_ci_lo", real_or_null(l.averaged.lo));
		json_object_set_new(o, "averaged_ci_hi", real_or_null(l.averaged.hi));
		json_object_set_new(o, "default_ratio", real_or_null(l.defaults.ratio));
		json_object_set_new(o, "variants_needed", json_integer((json_int_t)l.variants_needed));
		json_object_set_new(b->log, "layout", o);
	}
	if (l.verdict == LAYOUT_SLOWER) {
		ret = 0;
	} else if (l.verdict == LAYOUT_UNRESOLVED) {
		printf("layout cannot tell whether the whole change is slower%s: nothing is bisected\n",
		       l.variants_needed ? " with these variants (see the log's variants_needed)" : "");
		ret = 1;
	} else {
		printf("the whole change is not slower once layout is averaged out (%s): nothing to bisect\n",
		       layout_verdict_name(l.verdict));
		ret = 2;
	}
	save_log(b);
out:
	for (size_t i = 0; i < n; i++)
		config_build_release(&builds[i]);
	free(builds);
	free(flags);
	free(bs);
	results_release(&res);
	return ret;
}

/* The whole patch (or range) against the base, with compare's rule. */
static int check_full(struct bisect *b)
{
	unsigned char *all = xcalloc(b->u->n + 1, 1);
	char *patch_file = NULL;
	struct comparison c;
	size_t runs = 0;
	double seconds = 0;
	int kept = 0, ret = -1;
	json_t *memo = b->memo ? json_object_get(b->memo, "full") : NULL, *full;
	enum bisect_answer answer;

	memset(all, 1, b->u->n);
	memset(&c, 0, sizeof(c));
	if (memo && json_is_number(json_object_get(memo, "ratio")) &&
	    json_is_string(json_object_get(memo, "verdict")) &&
	    !strcmp(json_string_value(json_object_get(memo, "verdict")), "SLOWER")) {
		b->full_ratio = json_number_value(json_object_get(memo, "ratio"));
		b->full_lo = json_number_value(json_object_get(memo, "ci_lo"));
		b->full_hi = json_number_value(json_object_get(memo, "ci_hi"));
		printf("whole change (from the log): %.3fx [%.3f, %.3f] SLOWER\n", b->full_ratio,
		       b->full_lo, b->full_hi);
		json_object_set(b->log, "full", memo);
		ret = 0;
		goto threshold;
	}
	if (!b->u->commits) {
		FILE *f;

		patch_file = xasprintf("%s/all.patch", b->ws);
		f = fopen(patch_file, "we");
		if (!f || diff_write_subset(&b->u->diff, all, f) || fclose(f)) {
			error("cannot write '%s': %s", patch_file, strerror(errno));
			goto out;
		}
	}
	b->full_patch = patch_file;
	if (b->a->layout_variants) {
		ret = check_layout(b, patch_file);
		if (ret)
			goto out;
		ret = -1;
	}
	answer = measure_step(b, "the whole change", patch_file, b->u->commits ? b->u->base : NULL,
			      b->u->commits ? b->u->commits[b->u->n - 1] : NULL, b->a->copts.alpha,
			      NAN, &c, &runs, &seconds, &kept);
	if (answer == BISECT_FAILED) {
		error("the whole %s does not %s: nothing to bisect",
		      b->u->commits ? "range's last commit" : "patch",
		      b->apply_failed ? "apply" : "build");
		if (b->apply_failed)
			ret = 3;
		else
			b->failed = 1;
		goto out;
	}
	if (answer == BISECT_ABORT)
		goto out;
	full = json_object();
	json_object_set_new(full, "ratio", real_or_null(c.ratio));
	json_object_set_new(full, "ci_lo", real_or_null(c.ci_lo));
	json_object_set_new(full, "ci_hi", real_or_null(c.ci_hi));
	json_object_set_new(full, "confidence", real_or_null(1 - c.alpha));
	json_object_set_new(full, "verdict", json_string(verdict_name(c.verdict)));
	json_object_set_new(full, "runs", json_integer((json_int_t)runs));
	json_object_set_new(full, "seconds", json_real(seconds));
	printf("whole change against the base: %.3fx [%.3f, %.3f] %s   (runs %zu, %.1f s)\n",
	       c.ratio, c.ci_lo, c.ci_hi, verdict_name(c.verdict), runs, seconds);
	if (c.verdict != VERDICT_SLOWER) {
		json_object_set_new(full, "note", json_string(c.verdict == VERDICT_UNRESOLVED ?
			"not known to be slower: nothing bisected" : "not slower: nothing to bisect"));
		json_object_set_new(b->log, "full", full);
		save_log(b);
		printf("the whole change is %s than the base: nothing to bisect\n",
		       c.verdict == VERDICT_SAME ? "not slower" : c.verdict == VERDICT_FASTER ?
		       "faster" : "not yet known to be slower (UNRESOLVED)");
		ret = c.verdict == VERDICT_UNRESOLVED ? 1 : 2;
		goto out;
	}
	json_object_set_new(b->log, "full", full);
	b->full_ratio = c.ratio;
	b->full_lo = c.ci_lo;
	b->full_hi = c.ci_hi;
	ret = 0;
threshold:
	b->threshold = bisect_bar(b->a->fraction, b->full_lo, b->full_ratio);
	json_object_set_new(b->log, "threshold", json_real(b->threshold));
	save_log(b);
out:
	free(patch_file);
	free(all);
	return ret;
}

/* One question as the log and the terminal see it. */
struct step_request {
	const char *key;            /* what the log knows it by */
	const char *purpose;
	const char *what;           /* "groups 1-4 (4 of 8)", "commit 3 against its parent" */
	const unsigned char *subset;  /* the units, or NULL */
	const char *patch_file;     /* the subset's patch, or NULL */
	const char *rev_a, *rev_b;  /* the revisions measured, or NULL */
};

/* Asks one question (or finds its answer in the log) and logs it. */
static enum bisect_answer logged_step(struct bisect *b, const struct step_request *q,
				      struct comparison *c)
{
	json_t *asked = json_object_get(b->asked, q->key);
	json_t *memo = asked ? asked : b->memo ? json_object_get(b->memo, q->key) : NULL, *step;
	enum bisect_answer answer;
	size_t runs = 0;
	double seconds = 0;
	int kept = 0;

	memset(c, 0, sizeof(*c));
	c->ratio = c->ci_lo = c->ci_hi = NAN;
	b->steps++;
	if (memo) {
		const char *name = json_string_value(json_object_get(memo, "answer"));

		answer = BISECT_UNRESOLVED;
		for (int k = BISECT_SLOW; k <= BISECT_FAILED; k++)
			if (name && !strcmp(name, bisect_answer_name((enum bisect_answer)k)))
				answer = (enum bisect_answer)k;
		/* an UNRESOLVED step is asked again: the budget may be larger now */
		if (answer != BISECT_UNRESOLVED) {
			step = json_deep_copy(memo);
			json_object_set_new(step, "step", json_integer((json_int_t)b->steps));
			json_object_set_new(step, "from_log", json_true());
			json_array_append_new(json_object_get(b->log, "steps"), step);
			c->ratio = number_or_nan(json_object_get(memo, "ratio"));
			c->ci_lo = number_or_nan(json_object_get(memo, "ci_lo"));
			c->ci_hi = number_or_nan(json_object_get(memo, "ci_hi"));
			save_log(b);
			printf("step %-3zu %-13s %s: %s (%s)\n", b->steps, q->purpose, q->what,
			       bisect_answer_name(answer), asked ? "asked before in this search" :
			       "from the log");
			return answer;
		}
	}
	answer = measure_step(b, q->what, q->patch_file, q->rev_a, q->rev_b, b->step_alpha, b->threshold,
			      c, &runs, &seconds, &kept);
	if (answer == BISECT_ABORT)
		return answer;
	step = json_object();
	json_object_set_new(step, "step", json_integer((json_int_t)b->steps));
	json_object_set_new(step, "key", json_string(q->key));
	json_object_set_new(step, "purpose", json_string(q->purpose));
	if (q->subset) {
		json_t *units = json_array();

		for (size_t i = 0; i < b->u->n; i++)
			if (q->subset[i])
				json_array_append_new(units, json_integer((json_int_t)i));
		json_object_set_new(step, "units", units);
	}
	if (q->rev_a)
		json_object_set_new(step, "base", json_text(q->rev_a));
	if (q->rev_b)
		json_object_set_new(step, "commit", json_text(q->rev_b));
	json_object_set_new(step, "answer", json_string(bisect_answer_name(answer)));
	if (answer == BISECT_FAILED) {
		json_object_set_new(step, "why", json_text(b->why ? b->why : "it does not build"));
		if (b->failed_log)
			json_object_set_new(step, "build_log", json_text(b->failed_log));
	}
	json_object_set_new(step, "ratio", real_or_null(c->ratio));
	json_object_set_new(step, "ci_lo", real_or_null(c->ci_lo));
	json_object_set_new(step, "ci_hi", real_or_null(c->ci_hi));
	json_object_set_new(step, "confidence", answer == BISECT_FAILED ? json_null() :
			    real_or_null(1 - c->alpha));
	json_object_set_new(step, "threshold", json_real(b->threshold));
	json_object_set_new(step, "runs", json_integer((json_int_t)runs));
	json_object_set_new(step, "seconds", json_real(seconds));
	json_object_set_new(step, "build_kept", json_boolean(kept));
	json_array_append_new(json_object_get(b->log, "steps"), step);
	/* asked again later in this search (ddmin does), it is answered from here */
	if (answer != BISECT_UNRESOLVED)
		json_object_set(b->asked, q->key, step);
	if (save_log(b)) {
		b->failed = 1;
		return BISECT_ABORT;
	}
	if (answer == BISECT_FAILED)
		printf("step %-3zu %-13s %s: BUILD FAILED: %s%s%s%s\n", b->steps, q->purpose, q->what,
		       b->why ? b->why : "it does not build", b->failed_log ? " (log: " : "",
		       b->failed_log ? b->failed_log : "", b->failed_log ? ")" : "");
	else
		printf("step %-3zu %-13s %s: %.3fx [%.3f, %.3f] %s   (runs %zu, %.1f s%s)\n",
		       b->steps, q->purpose, q->what, c->ratio, c->ci_lo, c->ci_hi,
		       bisect_answer_name(answer), runs, seconds, kept ? ", build kept" : "");
	fflush(stdout);
	return answer;
}

/* The oracle of bisect_search: a subset against the base, one logged step. */
static enum bisect_answer ask(void *ctx, const unsigned char *subset, size_t n,
			      enum bisect_purpose purpose)
{
	struct bisect *b = ctx;
	struct units *u = b->u;
	char *key = subset_key(u, subset), *list = subset_text(subset, n), *patch_file = NULL;
	struct step_request q = { key, bisect_purpose_name(purpose), NULL, subset, NULL, NULL, NULL };
	struct comparison c;
	enum bisect_answer answer = BISECT_ABORT;
	size_t size = 0, last = 0;
	char *what;

	for (size_t i = 0; i < n; i++)
		if (subset[i]) {
			size++;
			last = i;
		}
	if (u->commits)
		/* a prefix of the range: named by its last commit too */
		what = xasprintf("commit%s %s (%zu of %zu, to %.12s)", size == 1 ? "" : "s", list,
				 size, n, u->commits[last]);
	else
		what = xasprintf("group%s %s (%zu of %zu)", size == 1 ? "" : "s", list, size, n);
	q.what = what;
	if (u->commits) {
		/* a prefix of the range: the tree at its last commit, against the base */
		q.rev_a = u->base;
		q.rev_b = u->commits[last];
	} else {
		FILE *f;

		patch_file = xasprintf("%s/step-%zu.patch", b->ws, b->steps + 1);
		f = fopen(patch_file, "we");
		if (!f || diff_write_subset(&u->diff, subset, f) || fclose(f)) {
			error("cannot write '%s': %s", patch_file, strerror(errno));
			b->failed = 1;
			goto out;
		}
		q.patch_file = patch_file;
	}
	answer = logged_step(b, &q, &c);
out:
	free(what);
	free(patch_file);
	free(list);
	free(key);
	return answer;
}

/*
 * A range's culprit confirmed: the commit against its own parent, so its
 * slowdown is its own and not the commits' before it.
 */
static enum bisect_answer confirm_commit(struct bisect *b, size_t k, struct comparison *c)
{
	struct units *u = b->u;
	/* its first parent, whatever the range's base (a merge's second parent is not in it) */
	char *parent = xasprintf("%s^", u->commits[k]);
	char *key = xasprintf("commit:%s^..%s", u->commits[k], u->commits[k]);
	char *what = xasprintf("commit %zu against its parent", k + 1);
	struct step_request q = { key, "culprit alone", what, NULL, NULL, parent, u->commits[k] };
	enum bisect_answer answer = logged_step(b, &q, c);

	free(parent);
	free(what);
	free(key);
	return answer;
}

/* Figures of the step asked with this subset, from the log: 0, or -1 when none. */
static int step_figures(const struct bisect *b, const unsigned char *subset, double *ratio,
			double *lo, double *hi, const char **answer)
{
	char *key = subset_key(b->u, subset);
	json_t *steps = json_object_get(b->log, "steps"), *s;
	size_t i;
	int ret = -1;

	json_array_foreach(steps, i, s) {
		const char *k = json_string_value(json_object_get(s, "key"));

		if (k && !strcmp(k, key)) {
			*ratio = number_or_nan(json_object_get(s, "ratio"));
			*lo = number_or_nan(json_object_get(s, "ci_lo"));
			*hi = number_or_nan(json_object_get(s, "ci_hi"));
			*answer = json_string_value(json_object_get(s, "answer"));
			ret = 0;
		}
	}
	free(key);
	return ret;
}

/*
 * A digest of what judges the answers — the tree, the commands, the bar,
 * the metric and estimator — so --resume reuses only answers that the
 * same questions would get now.
 */
static void settings_key(const struct bisect_args *a, const uint64_t tree[2], char hex[33])
{
	char *src = realpath(a->src, NULL);
	struct digest d;

	digest_init(&d);
	digest_string(&d, src ? src : a->src);
	/* the tree's contents too: an edited tree gives other answers */
	digest_bytes(&d, tree, 2 * sizeof(uint64_t));
	digest_string(&d, a->run);
	for (size_t i = 0; i < a->nr_build; i++)
		digest_string(&d, a->build[i]);
	digest_bytes(&d, &a->cfg.shell, sizeof(a->cfg.shell));
	digest_bytes(&d, &a->fraction, sizeof(a->fraction));
	digest_bytes(&d, &a->copts.margin, sizeof(a->copts.margin));
	digest_bytes(&d, &a->copts.estimator, sizeof(a->copts.estimator));
	digest_string(&d, a->cfg.metric);
	digest_string(&d, a->cc);
	digest_string(&d, a->binary);
	digest_bytes(&d, &a->layout_variants, sizeof(a->layout_variants));
	digest_hex(&d, hex);
	free(src);
}

/* A step answered from the log keeps its key under "key" too. */
static json_t *load_memo(const struct bisect_args *a, const struct units *u,
			 const char *settings)
{
	json_t *root = json_file_load(a->resume), *memo, *steps, *s;
	const char *key;
	size_t i;

	if (!root)
		return NULL;
	if (json_file_check_kind(root, a->resume, BISECT_LOG_FORMAT, "bisect log",
				 BISECT_LOG_VERSION) < 0) {
		json_decref(root);
		return NULL;
	}
	key = json_string_value(json_object_get(root, "change_key"));
	if (!key || strcmp(key, u->key)) {
		error("--resume %s: the log is of another %s; start afresh without --resume",
		      a->resume, a->commits ? "range" : "patch");
		json_decref(root);
		return NULL;
	}
	key = json_string_value(json_object_get(root, "settings_key"));
	if (!key || strcmp(key, settings)) {
		error("--resume %s: the log was made with other settings (the tree, the build or run command, --fraction, --metric, --estimator, --margin, --cc or --binary); start afresh without --resume",
		      a->resume);
		json_decref(root);
		return NULL;
	}
	memo = json_object();
	if (json_is_object(json_object_get(root, "full")))
		json_object_set(memo, "full", json_object_get(root, "full"));
	steps = json_object_get(root, "steps");
	json_array_foreach(steps, i, s) {
		const char *k = json_string_value(json_object_get(s, "key"));

		if (k)
			json_object_set(memo, k, s);
	}
	json_decref(root);
	return memo;
}

/* ---- the conclusion ---- */

static int write_culprit(const struct bisect *b, const unsigned char *culprit)
{
	char *tmp;
	FILE *f;

	if (b->u->commits)
		return 0;
	f = atomic_open(b->a->culprit, &tmp);
	if (!f)
		return -1;
	if (diff_write_subset(&b->u->diff, culprit, f)) {
		atomic_abort(f, tmp);
		return -1;
	}
	return atomic_commit(f, tmp, b->a->culprit);
}

static void print_conclusion(struct bisect *b, const struct bisect_result *r)
{
	struct units *u = b->u;
	json_t *result = json_object(), *culprit = json_array();
	double ratio = NAN, lo = NAN, hi = NAN;
	const char *answer = NULL;
	char t[32];

	for (size_t i = 0; i < u->n; i++)
		if (r->culprit[i])
			json_array_append_new(culprit, json_integer((json_int_t)i));
	json_object_set_new(result, "outcome", json_string(
		r->outcome == BISECT_FOUND ? "found" : r->outcome == BISECT_STOPPED ? "unresolved" :
		r->outcome == BISECT_ABORTED ? (spawn_interrupted() ? "interrupted" : "failed") :
		"none smaller"));
	json_object_set_new(result, "culprit", culprit);
	json_object_set_new(result, "interacting", json_boolean(r->interacting));
	json_object_set_new(result, "questions", json_integer(r->questions));
	json_object_set_new(result, "builds", json_integer((json_int_t)b->builds));
	json_object_set_new(result, "builds_kept", json_integer((json_int_t)b->kept));
	json_object_set_new(result, "runs", json_integer((json_int_t)b->runs));
	json_object_set_new(result, "seconds", json_real((monotonic_ns() - b->start_ns) / 1e9));
	if (r->outcome == BISECT_FOUND) {
		char *labels = xstrdup(""), *next;
		size_t shown = 0;

		for (size_t i = 0; i < u->n; i++) {
			char *l;

			if (!r->culprit[i])
				continue;
			l = unit_label(u, i);
			next = xasprintf("%s%s%s", labels, shown++ ? "; " : "", l);
			free(labels);
			free(l);
			labels = next;
		}
		if (u->commits) {
			double share = (b->commit_alone.ratio - 1) / (b->full_ratio - 1);

			printf("culprit: commit %s of %zu; against its parent %.3fx, CI [%.3f, %.3f]: %s, %.0f%% of the slowdown\n",
			       labels, u->n, b->commit_alone.ratio, b->commit_alone.ci_lo,
			       b->commit_alone.ci_hi, bisect_answer_name(b->commit_answer), 100 * share);
			json_object_set_new(result, "culprit_ratio", real_or_null(b->commit_alone.ratio));
			json_object_set_new(result, "culprit_ci_lo", real_or_null(b->commit_alone.ci_lo));
			json_object_set_new(result, "culprit_ci_hi", real_or_null(b->commit_alone.ci_hi));
			json_object_set_new(result, "culprit_answer",
					    json_string(bisect_answer_name(b->commit_answer)));
			json_object_set_new(result, "share", real_or_null(share));
			if (b->commit_answer != BISECT_SLOW) {
				printf("not confirmed: against its own parent this commit is %s: the slowdown needs commits before it too, or the bar is too close to call\n",
				       bisect_answer_name(b->commit_answer));
				json_object_set_new(result, "outcome", json_string("not confirmed"));
				b->failed = 1;
			}
		} else if (!step_figures(b, r->culprit, &ratio, &lo, &hi, &answer)) {
			double share = (ratio - 1) / (b->full_ratio - 1);

			printf("culprit: %zu %s of %zu (%s)%s reproduces %.0f%% of the slowdown (%.3fx, CI [%.3f, %.3f])\n",
			       r->culprit_size, u->commits ? "commit" : r->culprit_size == 1 ?
			       "group" : "groups", u->n, labels,
			       r->interacting ? ", slow only together," : "", 100 * share, ratio, lo, hi);
			json_object_set_new(result, "culprit_ratio", real_or_null(ratio));
			json_object_set_new(result, "culprit_ci_lo", real_or_null(lo));
			json_object_set_new(result, "culprit_ci_hi", real_or_null(hi));
			json_object_set_new(result, "share", real_or_null(share));
		} else {
			printf("culprit: %zu %s of %zu (%s)\n", r->culprit_size,
			       u->commits ? "commit" : "groups", u->n, labels);
		}
		free(labels);
		if (r->rest != BISECT_UNRESOLVED || u->n > 1) {
			unsigned char *rest = xcalloc(u->n + 1, 1);

			for (size_t i = 0; i < u->n; i++)
				rest[i] = !r->culprit[i];
			if (!u->commits && !step_figures(b, rest, &ratio, &lo, &hi, &answer)) {
				json_object_set_new(result, "rest_answer", json_string(answer ? answer : ""));
				if (!isfinite(ratio)) {
					printf("the other %zu together: %s\n", u->n - r->culprit_size,
					       answer ? answer : "?");
				} else {
					enum verdict v = verdict_from_ci(lo, hi, b->a->copts.margin);

					printf("the other %zu together: %s (%.3fx, CI [%.3f, %.3f]; the bar %.4fx)\n",
					       u->n - r->culprit_size, answer ? answer : "?", ratio, lo, hi,
					       b->threshold);
					json_object_set_new(result, "rest_verdict", json_string(verdict_name(v)));
					json_object_set_new(result, "rest_ratio", real_or_null(ratio));
				}
				if (r->rest == BISECT_SLOW) {
					printf("more of the slowdown lies in the other %zu: a second culprit (bisect them with the culprit applied)\n",
					       u->n - r->culprit_size);
					json_object_set_new(result, "outcome", json_string("partial"));
				}
			}
			free(rest);
		}
		if (write_culprit(b, r->culprit))
			b->failed = 1;
	} else if (r->outcome == BISECT_STOPPED) {
		char *left = subset_text(r->culprit, u->n);

		if (r->unbuildable)
			printf("stopped: the commits between do not build; the culprit is among commits %s\n",
			       left);
		else
			printf("stopped: a step stayed undecided%s; the culprit is among %s %s (%s, and --resume %s)\n",
			       b->a->cfg.runs ? " after its -n runs" : " within --max-time",
			       u->commits ? "commits" : "groups", left,
			       b->a->cfg.runs ? "give more runs" : "give a larger --max-time", b->a->log);
		free(left);
	} else if (r->outcome == BISECT_NONE) {
		printf("no part of the change is slow without the rest: only the whole is (%zu %s)\n",
		       u->n, u->commits ? "commits" : "groups");
	}
	json_object_set_new(b->log, "result", result);
	save_log(b);
	printf("written: %s%s%s      builds: %zu (+%zu kept), runs: %zu, %s\n",
	       r->outcome == BISECT_FOUND && !u->commits ? b->a->culprit : "",
	       r->outcome == BISECT_FOUND && !u->commits ? ", " : "", b->a->log, b->builds, b->kept,
	       b->runs, format_time(t, sizeof(t), (monotonic_ns() - b->start_ns) / 1e9));
}

/* The units as the log lists them. */
static json_t *units_json(const struct units *u)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < u->n; i++) {
		json_t *o = json_object();
		char *label = unit_label(u, i);

		json_object_set_new(o, "unit", json_integer((json_int_t)i));
		json_object_set_new(o, "label", json_text(label));
		if (u->commits)
			json_object_set_new(o, "commit", json_text(u->commits[i]));
		free(label);
		json_array_append_new(arr, o);
	}
	return arr;
}

/* The groups that hunks fall into, when some hold more than one hunk. */
static void print_grouping(const struct units *u)
{
	if (u->commits || u->diff.nr_groups == u->diff.nr_hunks)
		return;
	printf("%zu hunks in %zu groups (hunks of one group only apply together):\n",
	       u->diff.nr_hunks, u->diff.nr_groups);
	for (size_t g = 0; g < u->n; g++) {
		char *l = unit_label(u, g);

		printf("  group %zu: %s\n", g + 1, l);
		free(l);
	}
}

/*
 * A log of the same change with steps in it is a search that could be
 * resumed: a new search does not overwrite it unasked. 0, or -1 after one
 * line.
 */
static int refuse_to_overwrite(const struct bisect_args *a, const struct units *u)
{
	json_t *old;
	const char *key;
	int ret = 0;

	if (a->resume || access(a->log, F_OK))
		return 0;
	old = json_load_file(a->log, 0, NULL);
	key = old ? json_string_value(json_object_get(old, "change_key")) : NULL;
	if (key && !strcmp(key, u->key) && json_array_size(json_object_get(old, "steps")))
		ret = error("'%s' holds a search of this change already: go on with --resume %s, or remove it",
			    a->log, a->log);
	if (old)
		json_decref(old);
	return ret;
}

/* The last line of an interrupted search, whenever the signal came. */
static void say_interrupted(const struct bisect_args *a)
{
	printf("interrupted: every finished step is in %s; go on with --resume %s\n",
	       a->log, a->log);
}

int cmd_bisect(int argc, char **argv)
{
	struct bisect_args args;
	struct units u;
	struct bisect b;
	struct bisect_result r;
	size_t planned;
	int parsed, checked, ret = EXIT_USAGE;

	memset(&u, 0, sizeof(u));
	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	bisect_args_init(&args);
	spawn_catch_signals();
	parsed = parse_bisect_options(argc, argv, &args);
	if (parsed) {
		ret = parsed > 0 ? EXIT_OK : spawn_exit_code(EXIT_USAGE);
		goto out;
	}
	if (load_units(&args, &u)) {
		ret = spawn_exit_code(EXIT_USAGE);
		goto out;
	}
	b.a = &args;
	b.u = &u;
	b.start_ns = monotonic_ns();
	b.asked = json_object();
	b.ws = tree_workspace_new("bisect");
	if (!b.ws) {
		ret = EXIT_FAILED;
		goto out;
	}
	{
		uint64_t tree[2] = { 0, 0 };

		/* a patch's steps build from one copy: the tree may change under a long search */
		if (!args.commits) {
			char *src = realpath(args.src, NULL), *builds = realpath(args.builds_dir, NULL);
			size_t len = src ? strlen(src) : 0;
			int inside = src && builds && !strncmp(builds, src, len) &&
				     (builds[len] == '/' || !builds[len]);

			free(src);
			free(builds);
			if (inside) {
				error("the build directory '%s' lies inside the tree '%s': the copy would take it along (give --builds DIR elsewhere)",
				      args.builds_dir, args.src);
				goto out;
			}
			b.snapshot = xasprintf("%s/base", b.ws);
			if (tree_copy_sources(args.src, b.snapshot) || tree_digest(b.snapshot, tree)) {
				ret = spawn_exit_code(EXIT_USAGE);
				goto out;
			}
		}
		settings_key(&args, tree, b.settings_key);
	}
	if (refuse_to_overwrite(&args, &u))
		goto out;
	if (args.resume) {
		b.memo = load_memo(&args, &u, b.settings_key);
		if (!b.memo)
			goto out;
	}
	/* each step's share of alpha: Bonferroni over the questions one culprit takes */
	planned = 2;
	while (((size_t)1 << (planned - 2)) < u.n)
		planned++;
	b.step_alpha = args.copts.alpha / (double)planned;
	b.log = json_file_new(BISECT_LOG_FORMAT, BISECT_LOG_VERSION);
	json_object_set_new(b.log, "src", json_text(args.src));
	if (args.patch)
		json_object_set_new(b.log, "patch", json_text(args.patch));
	else
		json_object_set_new(b.log, "commits", json_text(args.commits));
	json_object_set_new(b.log, "change_key", json_string(u.key));
	json_object_set_new(b.log, "settings_key", json_string(b.settings_key));
	json_object_set_new(b.log, "run", json_text(args.run));
	{
		json_t *build = json_array();

		for (size_t i = 0; i < args.nr_build; i++)
			json_array_append_new(build, json_text(args.build[i]));
		json_object_set_new(b.log, "build", build);
	}
	json_object_set_new(b.log, "estimator", json_string(estimator_name(args.copts.estimator)));
	json_object_set_new(b.log, "margin", json_real(args.copts.margin));
	{
		char seed[32];

		snprintf(seed, sizeof(seed), "%llu", (unsigned long long)args.cfg.seed);
		json_object_set_new(b.log, "seed", json_string(seed));
	}
	json_object_set_new(b.log, "metric", json_text(args.cfg.metric));
	json_object_set_new(b.log, "fraction", json_real(args.fraction));
	json_object_set_new(b.log, "step_confidence", json_real(1 - b.step_alpha));
	json_object_set_new(b.log, "units", units_json(&u));
	json_object_set_new(b.log, "steps", json_array());
	if (save_log(&b))
		goto out;
	printf("%zu %s to search%s\n", u.n, args.commits ? (u.n == 1 ? "commit" : "commits") :
	       u.n == 1 ? "group of hunks" : "groups of hunks",
	       args.resume ? " (answers already in the log are reused)" : "");
	print_grouping(&u);
	/* -1 an error or interrupt, 1 undecided, 2 not slower, 3 bad input */
	checked = check_full(&b);
	if (checked) {
		ret = spawn_interrupted() ? EXIT_INTERRUPTED : checked == 3 ? EXIT_USAGE :
		      b.failed || checked != 2 ? EXIT_FAILED : EXIT_OK;
		if (ret == EXIT_INTERRUPTED)
			say_interrupted(&args);
		goto out;
	}
	printf("a step is SLOW above %.4fx (%.0f%% of the whole slowdown), each judged at %.4g%%\n",
	       b.threshold, 100 * args.fraction, 100 * (1 - b.step_alpha));
	fflush(stdout);
	if (u.commits)
		bisect_commits(u.n, ask, &b, &r);
	else
		bisect_units(u.n, ask, &b, &r);
	if (r.outcome == BISECT_FOUND && u.commits) {
		size_t k = 0;
		struct comparison c;
		enum bisect_answer alone;

		while (!r.culprit[k])
			k++;
		alone = confirm_commit(&b, k, &c);
		r.questions++;
		if (alone == BISECT_ABORT) {
			r.outcome = BISECT_ABORTED;
		} else {
			b.commit_alone = c;
			b.commit_answer = alone;
		}
	}
	print_conclusion(&b, &r);
	if (spawn_interrupted()) {
		ret = EXIT_INTERRUPTED;
		say_interrupted(&args);
	}
	else if (b.failed || r.outcome == BISECT_STOPPED || r.outcome == BISECT_ABORTED)
		ret = EXIT_FAILED;
	else
		ret = EXIT_OK;
out:
	bisect_result_release(&r);
	if (b.log)
		json_decref(b.log);
	if (b.memo)
		json_decref(b.memo);
	if (b.asked)
		json_decref(b.asked);
	free(b.snapshot);
	free(b.failed_log);
	if (b.ws) {
		tree_remove(b.ws);
		free(b.ws);
	}
	units_release(&u);
	bisect_args_release(&args);
	return ret;
}
