/*
 * variants: see variants.h. The workspace holds
 *     src-A, src-B       the sides' pristine sources (copy, patch or export)
 *     A-default, ...     one tree per measured build, copied from src-X, or
 *                        for link-order from X-compiled after its relink
 *     A-compiled, ...    link-order: the side compiled with -ffunction-sections
 *     logs/              one build log per build
 * Phase one compiles (the default builds, and per side the
 * -ffunction-sections tree of link-order or every align variant) up to
 * `jobs` at once. Phase two (link-order) relinks each compiled tree in
 * place, once per seed: its program removed, the build command run again
 * with the seed's {ldflags}, the tree then copied out as that variant's.
 * Relinking where the tree was compiled works whatever the build system
 * remembers of its own paths (make, CMake's absolute build directories,
 * plain cc, which simply compiles again).
 */
#include "toolchain/variants.h"
#include "toolchain/build.h"
#include "toolchain/elf_text.h"
#include "toolchain/patch.h"
#include "toolchain/template.h"
#include "toolchain/tree.h"
#include "lib/util.h"
#include "lib/words.h"
#include "measure/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* link-order: one compile per side, then a link per variant. */
static int relinks_only(enum perturbation p)
{
	return perturb_relinks(p) && !perturb_recompiles(p);
}

/* One tree to build: where, with which flags, and what came of it. */
struct planned {
	char side;              /* 'A' or 'B' */
	int is_default;
	int is_base;            /* link-order's compiled tree: built, not measured */
	int relink;             /* copied from the side's compiled tree */
	size_t index;           /* 1.. among the side's variants, 0 otherwise */
	struct perturb_flags flags;
	char *dir, *log, *name;
	struct build_request req;
};

static void planned_release(struct planned *p)
{
	free(p->dir);
	free(p->log);
	free(p->name);
}

static void plan_tree(struct planned *p, const char *ws, char side, const char *what,
		      size_t index)
{
	p->side = side;
	p->index = index;
	if (index) {
		p->dir = xasprintf("%s/%c-%02zu", ws, side, index);
		p->log = xasprintf("%s/logs/%c-%02zu.log", ws, side, index);
		p->name = xasprintf("%c %s %zu", side, what, index);
	} else {
		p->dir = xasprintf("%s/%c-%s", ws, side, what);
		p->log = xasprintf("%s/logs/%c-%s.log", ws, side, what);
		p->name = xasprintf("%c %s", side, what);
	}
}

static void fill_request(struct planned *p, const struct variants_request *req)
{
	memset(&p->req, 0, sizeof(p->req));
	p->req.name = p->name;
	p->req.commands = (const char *const *)req->build;
	p->req.ncommands = req->nr_build;
	p->req.shell = req->shell;
	p->req.dir = p->dir;
	p->req.cc = req->cc;
	p->req.cflags = p->flags.cflags;
	p->req.ldflags = p->flags.ldflags;
	p->req.seed = p->flags.link_seed;
	p->req.log_path = p->log;
}

int variants_side_sources(const char *src, const char *rev, const char *patch,
			  const char *dst)
{
	if (rev)
		return tree_export_rev(src, rev, dst);
	if (tree_copy_sources(src, dst))
		return -1;
	if (patch)
		return patch_apply(dst, patch) || tree_check_links(dst) ? -1 : 0;
	return 0;
}

/* The pristine sources of one side into dst: 0, or -1 after one line. */
static int side_sources(const struct variants_request *req, int side, const char *dst)
{
	return variants_side_sources(side ? req->src_b : req->src_a,
				     side ? req->rev_b : req->rev_a,
				     side ? req->patch : NULL, dst);
}

/* The program of a built tree (build_program_path), or NULL when the run command does not say. */
static char *program_of(const struct variants_request *req, const char *dir)
{
	return build_program_path(req->run, req->shell, req->binary, dir);
}

/*
 * Builds the requests of plan[0..n) at once; a build that reports success
 * without its program failed too. Returns BUILD_INTERRUPTED, or the
 * number of builds that failed.
 */
static int build_all(const struct variants_request *req, struct planned *plan, size_t n,
		     char **programs)
{
	struct build_request *reqs = xcalloc(n, sizeof(*reqs));
	int failed = 0;
	enum build_result r;

	for (size_t i = 0; i < n; i++) {
		fill_request(&plan[i], req);
		reqs[i] = plan[i].req;
	}
	r = build_run_all(reqs, n, req->jobs);
	for (size_t i = 0; i < n; i++) {
		plan[i].req = reqs[i];
		if (plan[i].req.ok && programs[i] && access(programs[i], X_OK)) {
			error("build of %s did not make the program '%s' (log: %s)",
			      plan[i].name, programs[i], plan[i].log);
			plan[i].req.ok = 0;
		}
		failed += !plan[i].req.ok;
	}
	free(reqs);
	return r == BUILD_INTERRUPTED ? BUILD_INTERRUPTED : failed;
}

struct build_state {
	char *ws;
	struct planned *plan;   /* every tree built */
	size_t n;
	char **programs;        /* per planned tree, NULL when unknown */
	int keep_workspace;     /* its logs explain the error: keep them */
	int build_failed;       /* some build ran and failed: its log is worth keeping */
};

static void plan_programs(const struct variants_request *req, struct build_state *st,
			  size_t from)
{
	for (size_t i = from; i < st->n; i++)
		st->programs[i] = program_of(req, st->plan[i].dir);
}

/* Phase one: the sides' sources and every compile. 0 or an exit code. */
static int compile_phase(const struct variants_request *req, struct build_state *st)
{
	int relinks = relinks_only(req->perturb);
	size_t k = req->variants;
	int failed;

	for (int side = 0; side < 2; side++) {
		char *src = xasprintf("%s/src-%c", st->ws, 'A' + side);
		int ret = side_sources(req, side, src);

		free(src);
		/* a tree, revision or patch that will not do is bad input */
		if (ret)
			return spawn_exit_code(EXIT_USAGE);
	}
	/* defaults, then per side its base (link-order) or its variants (align) */
	for (int side = 0; side < 2; side++) {
		struct planned *p = &st->plan[st->n++];

		plan_tree(p, st->ws, 'A' + side, "default", 0);
		p->is_default = 1;
	}
	for (int side = 0; side < 2; side++) {
		if (relinks) {
			struct planned *p = &st->plan[st->n++];

			plan_tree(p, st->ws, 'A' + side, "compiled", 0);
			p->is_base = 1;
			perturb_base(req->perturb, &p->flags);
			continue;
		}
		for (size_t i = 0; i < k; i++) {
			struct planned *p = &st->plan[st->n++];

			plan_tree(p, st->ws, 'A' + side, perturb_name(req->perturb), i + 1);
			perturb_variant(req->perturb, req->seed, i, &p->flags);
		}
	}
	for (size_t i = 0; i < st->n; i++) {
		char *src = xasprintf("%s/src-%c", st->ws, st->plan[i].side);
		int ret = spawn_interrupted() ? -1 : tree_copy_all(src, st->plan[i].dir);

		free(src);
		if (ret)
			return spawn_exit_code(EXIT_FAILED);
	}
	plan_programs(req, st, 0);
	note_on_terminal("building A and B: %zu compiles, up to %u at once", st->n, req->jobs);
	failed = build_all(req, st->plan, st->n, st->programs);
	if (failed == BUILD_INTERRUPTED)
		return EXIT_INTERRUPTED;
	st->build_failed = failed > 0;
	for (size_t i = 0; i < st->n; i++)
		if ((st->plan[i].is_default || st->plan[i].is_base) && !st->plan[i].req.ok) {
			error("the %s build of %c failed: nothing to compare without it",
			      st->plan[i].is_default ? "default" : "-ffunction-sections",
			      st->plan[i].side);
			return EXIT_FAILED;
		}
	return 0;
}

/*
 * Phase two (link-order): each side's compiled tree relinked in place per
 * seed (its program removed first, so the build links it again), then
 * copied out as the variant's tree. 0 or an exit code.
 */
static int relink_phase(const struct variants_request *req, struct build_state *st)
{
	size_t k = req->variants;

	note_on_terminal("relinking %zu variants", 2 * k);
	for (int side = 0; side < 2; side++) {
		size_t b = 2 + (size_t)side;

		for (size_t i = 0; i < k; i++) {
			struct planned *p = &st->plan[st->n];
			char *program;

			plan_tree(p, st->ws, 'A' + side, perturb_name(req->perturb), i + 1);
			st->programs[st->n++] = NULL;
			p->relink = 1;
			perturb_variant(req->perturb, req->seed, i, &p->flags);
			/* the compile's flags stay: only the link's change */
			snprintf(p->flags.cflags, sizeof(p->flags.cflags), "%s",
				 st->plan[b].flags.cflags);
			if (!st->programs[b]) {
				error("cannot relink %s: the run command names no program in the tree (give --binary PATH)",
				      p->name);
				return EXIT_USAGE;
			}
			/* after a failed relink there may be nothing left to remove */
			if (!access(st->programs[b], F_OK) &&
			    build_forget_binary(st->plan[b].dir, st->programs[b]))
				return spawn_exit_code(EXIT_FAILED);
			fill_request(p, req);
			p->req.dir = st->plan[b].dir;
			if (build_run(&p->req) == BUILD_INTERRUPTED)
				return EXIT_INTERRUPTED;
			if (p->req.ok && access(st->programs[b], X_OK)) {
				error("relink of %s did not make the program '%s' (log: %s)",
				      p->name, st->programs[b], p->log);
				p->req.ok = 0;
			}
			if (!p->req.ok) {
				st->build_failed = 1;
				continue;
			}
			if (tree_copy_all(st->plan[b].dir, p->dir))
				return spawn_exit_code(EXIT_FAILED);
			program = program_of(req, p->dir);
			st->programs[st->n - 1] = program;
		}
	}
	return 0;
}

/*
 * 1 after one error line when every variant of side built the same code,
 * byte for byte: the .text of every program and shared library in its
 * tree (tree_code_digest(); a launcher whose code is in a library the
 * tree builds differs there). The perturbation never reached the compiler
 * or linker (a build that ignores CFLAGS or LDFLAGS), or there is nothing
 * in the program to move. Measuring them would sell run-to-run noise as a
 * layout spread. 0 when they differ, or when a tree holds no linked ELF
 * file steady can read (a script: nothing can be said).
 */
static int all_variants_alike(const struct variants_request *req, struct build_state *st,
			      char side)
{
	uint64_t first[2], d[2];
	size_t n = 0, log_of = 0, linked;

	for (size_t i = 0; i < st->n; i++) {
		struct planned *p = &st->plan[i];

		if (p->side != side || p->is_base || p->is_default || !p->req.ok)
			continue;
		if (tree_code_digest(p->dir, n ? d : first, &linked) || !linked)
			return 0;
		if (n++ && (d[0] != first[0] || d[1] != first[1]))
			return 0;
		log_of = i;
	}
	if (n < 2)
		return 0;
	error("the %zu %s variants of %c are the same code, byte for byte: the %s never reached the %s "
	      "(does --build hand %s to it? see '%s'), or the program has nothing to move",
	      n, perturb_name(req->perturb), side,
	      relinks_only(req->perturb) ? "link order" : "alignment flags",
	      relinks_only(req->perturb) ? "linker" : "compiler",
	      relinks_only(req->perturb) ? "{ldflags}" : "{cflags}", st->plan[log_of].log);
	return 1;
}

/* The measured trees into layout and *dirs, in variants.h's order. */
static int record(const struct variants_request *req, struct build_state *st,
		  struct results_layout *layout, char ***dirs)
{
	size_t nd = 0, per_side[2] = { 0, 0 };
	char **out = xcalloc(st->n + 1, sizeof(*out));

	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < st->n; i++) {
			struct planned *p = &st->plan[i];
			struct layout_variant *v;
			int side = p->side == 'B';

			if (p->is_base || !p->req.ok)
				continue;
			/* pass 0: defaults; 1: A's variants; 2: B's */
			if (pass == 0 ? !p->is_default : p->is_default || side != pass - 1)
				continue;
			v = results_layout_add(layout);
			v->benchmark = layout->nr_variants - 1;
			v->side = p->side;
			v->is_default = p->is_default;
			v->cflags = p->flags.cflags[0] ? xstrdup(p->flags.cflags) : NULL;
			v->ldflags = p->flags.ldflags[0] ? xstrdup(p->flags.ldflags) : NULL;
			v->seed = p->flags.link_seed;
			v->relinked = p->relink;
			v->build_seconds = p->req.seconds;
			v->text_bytes = elf_program_text_bytes(st->programs[i]);
			out[nd++] = xstrdup(p->dir);
			per_side[side] += !p->is_default;
		}
	*dirs = out;
	for (int side = 0; side < 2; side++)
		if (per_side[side] < 2) {
			error("only %zu of %zu variants of %c built: too few to tell layout from change",
			      per_side[side], req->variants, 'A' + side);
			return EXIT_FAILED;
		}
	for (int side = 0; side < 2; side++)
		if (all_variants_alike(req, st, 'A' + side)) {
			st->keep_workspace = 1;
			return EXIT_USAGE;
		}
	return 0;
}

int variants_build(const struct variants_request *req, struct results_layout *layout,
		   char ***dirs, char **workspace, int *build_failed)
{
	struct build_state st = { 0 };
	size_t most = 4 + 2 * req->variants;
	int64_t start = monotonic_ns();
	int ret = EXIT_FAILED;
	char *logs;

	*dirs = NULL;
	*workspace = NULL;
	*build_failed = 0;
	st.ws = tree_workspace_new("layout");
	if (!st.ws)
		return EXIT_FAILED;
	st.plan = xcalloc(most, sizeof(*st.plan));
	st.programs = xcalloc(most, sizeof(*st.programs));
	logs = xasprintf("%s/logs", st.ws);
	if (mkdir(logs, 0700)) {
		error("cannot create '%s': %s", logs, strerror(errno));
		goto out;
	}
	ret = compile_phase(req, &st);
	if (!ret && relinks_only(req->perturb))
		ret = relink_phase(req, &st);
	if (ret)
		goto out;
	for (size_t i = 0; i < st.n; i++) {
		if (st.plan[i].relink)
			layout->relinks++;
		else
			layout->compiles++;
	}
	layout->build_seconds = (monotonic_ns() - start) / 1e9;
	ret = record(req, &st, layout, dirs);
out:
	for (size_t i = 0; i < st.n; i++) {
		planned_release(&st.plan[i]);
		free(st.programs[i]);
	}
	free(st.plan);
	free(st.programs);
	free(logs);
	if (ret) {
		words_free(*dirs);
		*dirs = NULL;
	}
	*build_failed = st.build_failed;
	if (!ret) {
		*workspace = st.ws;
	} else if ((st.build_failed || st.keep_workspace) && ret != EXIT_INTERRUPTED) {
		/* the log of a build that failed is worth keeping */
		note("the trees and build logs are kept in '%s'", st.ws);
		free(st.ws);
	} else {
		variants_cleanup(st.ws);
		free(st.ws);
	}
	return ret;
}

void variants_cleanup(const char *workspace)
{
	if (workspace)
		tree_remove(workspace);
}
