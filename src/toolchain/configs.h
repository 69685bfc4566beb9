/*
 * configs: the builds `steady sweep` measures — one per side, compiler
 * configuration and layout variant — each made in a tree of its own
 * inside a build directory that outlives the run, and reused by the next
 * sweep that asks for the same build: a rerun with one more value builds
 * only the new configurations.
 *
 * A build's key is a digest of everything that makes it: the side's
 * sources (tree_digest of the copy steady made), the build commands and
 * --shell, every placeholder value, the compiler (its resolved path, size
 * and time), the layout variant's flags, and for PGO the training
 * commands. The build lives in DIR/KEY/:
 *     tree/        the built tree, the {dir} of the run command
 *     build.log    everything the build (and training) printed
 *     gen/         PGO: the instrumented build, trained in place
 *     profile/     PGO: the profile the training wrote
 *     done         written last, only when the build succeeded
 * A directory without `done` is a build that failed or was cut short: it
 * is made again. Builds run up to `jobs` at once: first the plain builds
 * and PGO's instrumented ones, then the training runs (one after the
 * other, so each trains alone), then the PGO builds that use a profile.
 * A PGO layout variant uses the profile of its configuration's own build.
 *
 * Ownership: struct config_build's set fields are borrowed from the
 * caller; the filled strings are the build's own (config_build_release).
 */
#ifndef STEADY_CONFIGS_H
#define STEADY_CONFIGS_H

#include <stddef.h>
#include <stdint.h>

#include "toolchain/pgo.h"
#include "toolchain/template.h"

struct config_build {
	/* Set by the caller: */
	int side;                    /* 0 for A (or the one source), 1 for B */
	const char *label;           /* in messages: "A cc=gcc cflags=-O2" */
	const struct template_value *values;  /* the parameters other than cc, cflags, ldflags */
	size_t nr_values;
	const char *cc;              /* {cc} */
	const char *cflags, *ldflags;  /* the configuration's part of {cflags}, {ldflags} */
	const char *variant_cflags;  /* a layout variant's flags after them, or NULL */
	int pgo;                     /* profile-guided: instrument, train, use */
	enum pgo_compiler family;    /* with pgo: gcc or clang */
	size_t profile_of;           /* with pgo and variant_cflags: the build whose profile it uses */

	/* Filled by configs_build(): */
	char key[33];
	char *dir;                   /* the built tree (tree/) */
	char *log;
	char *program;               /* the program it made; NULL when the run command does not say */
	int ok;
	int cached;                  /* reused from an earlier sweep */
	double seconds;              /* every step of the build, training included */
	int64_t text_bytes;          /* .text of the program, -1 unknown */
	char *final_cflags, *final_ldflags;  /* {cflags} and {ldflags} as the last build got them */
};

struct configs_request {
	const char *src_a, *src_b;   /* the sides' trees (src_b NULL: one source) */
	const char *rev_a, *rev_b;   /* or git revisions of the repository at src_a */
	const char *patch;           /* applied to B's copy, or NULL */
	int two_sides;               /* B's sources too (src_b, rev_a/rev_b, or patch) */
	char *const *build;          /* the --build templates */
	size_t nr_build;
	int shell;
	char *const *train;          /* --pgo-train templates ({dir}: the instrumented tree) */
	size_t nr_train;
	const char *run;             /* the benchmark command (the default training) */
	const char *binary;          /* --binary, or NULL */
	const char *builds_dir;      /* where builds are kept (made if missing) */
	int rebuild;                 /* --rebuild: ignore what is kept */
	unsigned jobs;
};

/*
 * Makes (or finds made) every build of b[0..n). A build that fails is
 * reported (its log's last lines) and left !ok; the others go on.
 * Returns 0 when each build was tried, else the exit code after the
 * error lines: EXIT_USAGE for sources, a revision or a patch that will
 * not do, EXIT_FAILED when the build directory cannot be used,
 * EXIT_INTERRUPTED.
 */
int configs_build(const struct configs_request *req, struct config_build *b, size_t n);

void config_build_release(struct config_build *b);

/*
 * The build directory when none is given: $XDG_CACHE_HOME/steady/sweep
 * (an absolute XDG_CACHE_HOME), else ~/.cache/steady/sweep. A new string,
 * or NULL when neither variable is usable.
 */
char *configs_default_dir(void);

#endif
