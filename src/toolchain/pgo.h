/*
 * pgo: profile-guided optimisation of a program built in private copies,
 * for gcc and clang, as `sweep` runs it:
 *
 *   1. pgo_check()              before any build: the tools are there;
 *   2. pgo_generate_flags()     the instrumented build, in tree GEN;
 *   3. pgo_training_env()       the training run(s) of GEN's program,
 *                               with this entry added to their environment;
 *   4. pgo_finish_profile()     the profile made ready (clang merges it);
 *   5. pgo_use_flags()          the optimised build, in another tree USE:
 *                               a fresh copy of the same sources, built
 *                               with the same user flags as GEN.
 *
 * The caller runs builds and training itself; this module only says what
 * to add to them and finishes the profile. Profiles live in profile_dir, a
 * directory of the caller's (fresh and empty for each profile: gcc adds
 * new counts to old ones, and every .profraw there is merged).
 *
 * Paths (profile_dir, tree) are absolute, and tree is the physical path
 * tree_workspace_new() gives: gcc strips it from object paths by
 * comparing it with its working directory. They go into the flags
 * unquoted, where {cflags} and {ldflags} are split at blanks (and pasted
 * into a shell with --shell): a path outside [A-Za-z0-9/._+@~:-] is
 * refused. '%' is among those, which clang's LLVM_PROFILE_FILE expands.
 *
 * Ownership: pgo_flags_release() frees the strings of a struct pgo_flags,
 * which the flag functions fill (a zeroed or PGO_FLAGS_INIT one is empty;
 * on failure it is left so); pgo_training_env() returns a new string.
 */
#ifndef STEADY_PGO_H
#define STEADY_PGO_H

enum pgo_compiler { PGO_GCC, PGO_CLANG };

/* "gcc", "clang". */
const char *pgo_compiler_name(enum pgo_compiler c);

/*
 * Which family compiler cc (a program name or path, as {cc} holds it) is,
 * by the macros it predefines (`cc -dM -E`): __clang__ is clang (clang-
 * based compilers with their own --version banner too), else __GNUC__ is
 * gcc. Not by --version: a program that is no compiler may name the Free
 * Software Foundation there as gcc does. 0, or -1 after one error line
 * (cc cannot run, or is neither).
 */
int pgo_compiler_family(const char *cc, enum pgo_compiler *out);
/* The same without a message: -1 for a compiler that is neither (or cannot run). */
int pgo_compiler_family_quiet(const char *cc, enum pgo_compiler *out);

/*
 * Flags of each build: blank-separated strings the caller appends to
 * {cflags} and {ldflags} ("" when none). Pure functions of their
 * arguments; 0, or -1 after one error line naming a path that cannot go
 * into a flag.
 */
struct pgo_flags {
	char *cflags, *ldflags;
};

#define PGO_FLAGS_INIT { NULL, NULL }

int pgo_generate_flags(enum pgo_compiler c, const char *profile_dir, const char *tree,
		       struct pgo_flags *out);
int pgo_use_flags(enum pgo_compiler c, const char *profile_dir, const char *tree,
		  struct pgo_flags *out);
void pgo_flags_release(struct pgo_flags *f);

/*
 * The environment entry every training run needs, a new string: clang's
 * "LLVM_PROFILE_FILE=<profile_dir>/%p-%m.profraw"; NULL when none (gcc:
 * the directory is in the program). profile_dir as pgo_generate_flags()
 * accepted it.
 */
char *pgo_training_env(enum pgo_compiler c, const char *profile_dir);

/* The merged profile clang's use build reads, in profile_dir. */
#define PGO_CLANG_PROFILE "merged.profdata"

/*
 * Before any build: cc builds and links with the instrumenting flags
 * (gcc 11 or later; clang with its profile runtime), and clang's
 * llvm-profdata is found (see pgo_finish_profile). 0, or -1 after one
 * line saying what is missing and which Debian package has it.
 */
int pgo_check(enum pgo_compiler c, const char *cc);

/*
 * After the training runs. A training that left no profile in profile_dir
 * (no .gcda below it, no .profraw in it) is one error line: the training
 * command never ran the instrumented program, or it died before exiting.
 * clang: the .profraw files are merged into profile_dir/PGO_CLANG_PROFILE
 * by llvm-profdata — the one `cc -print-prog-name=llvm-profdata` names
 * when that is an absolute path (clang's own version), else llvm-profdata
 * on PATH, else llvm-profdata-N for clang's major version N; its failure
 * is one line quoting its first. 0, or -1 after one error line.
 */
int pgo_finish_profile(enum pgo_compiler c, const char *cc, const char *profile_dir);

#endif
