/*
 * variants: every build `steady layout` measures, made in private copies —
 * per side the default build (the user's flags, no perturbation) and the
 * perturbed variants: for link-order one compile with -ffunction-sections
 * and a relink per seed, for align a compile per variant. Sides come from
 * two trees, one tree and a patch (applied to B's copy), or git
 * revisions. Builds run up to `jobs` at once; a failing variant is
 * reported with its log's last lines and left out, a failing default
 * build is fatal.
 *
 * Ownership: variants_build() creates the workspace (a private temporary
 * directory holding every copy and log) and fills layout->variants and
 * dirs; the caller frees dirs (words_free) and removes the workspace with
 * variants_cleanup() unless the user keeps it.
 */
#ifndef STEADY_VARIANTS_H
#define STEADY_VARIANTS_H

#include <stddef.h>
#include <stdint.h>

#include "formats/results.h"
#include "toolchain/perturb.h"

struct variants_request {
	const char *src_a, *src_b;  /* source trees of A and B */
	const char *rev_a, *rev_b;  /* or git revisions of the repository at src_a (= src_b) */
	const char *patch;          /* applied to B's copy, or NULL */
	char *const *build;         /* the --build templates, run in order */
	size_t nr_build;
	int shell;                  /* each template runs with /bin/sh -c */
	const char *cc;             /* {cc} */
	enum perturbation perturb;
	size_t variants;            /* per side */
	uint64_t seed;
	unsigned jobs;              /* builds at once */
	const char *binary;         /* what a relink removes, relative to {dir}; NULL: */
	const char *run;            /* the run command, whose program is then it */
};

/*
 * Builds everything req asks for. On success layout->variants holds, in
 * this order, the default build of A, that of B, the variants of A, then
 * those of B (their benchmark fields numbered so), layout->compiles,
 * relinks and build_seconds are set, *dirs has one tree per variant (the
 * {dir} of its run command) and *workspace the directory holding them.
 * *build_failed says some build failed (each reported with its log's
 * last lines). Returns 0, or the exit code after the error lines:
 * EXIT_USAGE for sources, a revision or a patch that will not do,
 * EXIT_FAILED for a failed default or base build (or too few variants),
 * EXIT_INTERRUPTED. On success the caller owns *workspace (and keeps it
 * when a build failed, for its log); on error a workspace where a build
 * failed is kept and said so, and otherwise nothing is left behind.
 */
int variants_build(const struct variants_request *req, struct results_layout *layout,
		   char ***dirs, char **workspace, int *build_failed);

/*
 * The pristine sources of one side into dst (which must not exist): git
 * revision rev of the repository at src exported, or else a copy of src's
 * sources with patch (when not NULL) applied. Every symbolic link must
 * stay inside dst. 0, or -1 after one line. sweep makes its sides so too.
 */
int variants_side_sources(const char *src, const char *rev, const char *patch,
			  const char *dst);

/* Removes the workspace of variants_build(). */
void variants_cleanup(const char *workspace);

#endif
