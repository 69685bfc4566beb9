/*
 * build: runs a user's build commands for one variant of a program, or for
 * many at once (-j), the way `layout` (and `sweep`, `bisect`) build them.
 *
 * A build command is a template as the user typed it (--build, which may be
 * given more than once: the commands run in order and the first failure
 * stops them). Without --shell it is split into words without a shell
 * (lib/words) and its placeholders are filled into those words
 * (toolchain/template): {cc}, {cflags} and {ldflags} (lists: a word that is
 * just one of them becomes one word per flag), {seed}, {dir}. A value never
 * becomes a command. With --shell, and only then, the filled string is run
 * by /bin/sh -c and the values are pasted in as text: the user asked for a
 * shell and quotes around the placeholders as in any shell command.
 *
 * Every command runs in {dir} through the one process API (measure/spawn),
 * stdin from /dev/null and its stdout and stderr appended to the request's
 * log file: nothing is shown unless the build fails, and then one error
 * line ("build of A seed 3 failed: exited with code 2 (log: PATH)") and the
 * log's last lines, indented, on stderr.
 *
 * Ownership: a request borrows every string it points to (the caller keeps
 * them alive until build_run*() returns); its results are filled in place.
 */
#ifndef STEADY_BUILD_H
#define STEADY_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "toolchain/template.h"

struct build_request {
	/* Set by the caller: */
	const char *name;               /* the variant in messages: "A seed 3" */
	const char *const *commands;    /* the templates, run in order */
	size_t ncommands;
	int shell;                      /* --shell: each filled string runs in /bin/sh -c */
	const char *dir;                /* {dir}, also where the commands run */
	const char *cc;                 /* {cc}: one word */
	const char *cflags, *ldflags;   /* {cflags}, {ldflags}: blank-separated flags, or NULL */
	uint64_t seed;                  /* {seed} */
	const char *log_path;           /* created if needed, appended to */
	int quiet;                      /* a failure is not reported (probes) */
	/*
	 * More placeholders ({NAME} of a sweep's parameters), filled like
	 * {cc}; one named cc, cflags, ldflags, seed or dir replaces the
	 * field above. Borrowed; NULL when none.
	 */
	const struct template_value *values;
	size_t nr_values;
	char *const *env_add;           /* "NAME=VALUE" entries added to steady's environment, NULL-terminated; NULL none */

	/* Filled by build_run() and build_run_all(): */
	int ok;                         /* every command exited with code 0 */
	int interrupted;                /* stopped, or never started, by a signal */
	double seconds;                 /* wall time of all its commands */
	char status[128];               /* how it failed: "exited with code 2"; "" when ok */
};

enum build_result {
	BUILD_OK = 0,            /* every request built */
	BUILD_FAILED = -1,       /* some request failed (each reported), the others ran */
	BUILD_INTERRUPTED = -2   /* a termination signal: every running build was killed */
};

/* Builds one request. */
enum build_result build_run(struct build_request *req);

/*
 * Builds n requests, up to jobs at a time (0 or 1: one after the other;
 * at most SPAWN_MAX_RUNNING), in the order given. A failing build never
 * stops the others; an interrupt kills every running build's process
 * group and returns at once, the requests not finished marked interrupted.
 */
enum build_result build_run_all(struct build_request *reqs, size_t n, unsigned jobs);

/* Called as each request of build_run_all_progress() ends, ok or not. */
typedef void (*build_done_fn)(void *ctx, const struct build_request *req);

/* build_run_all(), calling done (when not NULL) as each build ends. */
enum build_result build_run_all_progress(struct build_request *reqs, size_t n, unsigned jobs,
					 build_done_fn done, void *ctx);

/* --jobs N, 1 to SPAWN_MAX_RUNNING, into *jobs: 0, or -1 after one error line. */
int build_parse_jobs(const char *arg, unsigned *jobs);

/* The builds at once without --jobs: the online CPUs, at least 1. */
unsigned build_default_jobs(void);

/* {cc} without --cc or a cc parameter: $CC when set and not empty, else "cc". */
const char *build_default_cc(void);

/*
 * Checks a build command template before anything is built: it splits
 * (unless shell) and names only known placeholders. 0, or -1 after one
 * error line.
 */
int build_check_template(const char *command, int shell);

/* The same, knowing the extra placeholders names[0..n) too. */
int build_check_template_with(const char *command, int shell, char *const *names, size_t n);

/*
 * The program a build of tree dir makes: binary (relative to dir) when
 * given, else the run command's program with {dir} filled in when it lies
 * in dir. A new string, or NULL when neither says (a shell script, a
 * program elsewhere).
 */
char *build_program_path(const char *run, int shell, const char *binary, const char *dir);

/*
 * Removes a built program so that the next build of its tree links it
 * again (a link-order variant relinks a copy of the compiled tree).
 * binary is the program's path, relative to tree or absolute inside it;
 * anything outside tree is refused. 0, or -1 after one error line.
 */
int build_forget_binary(const char *tree, const char *binary);

/*
 * Whether compiler cc compiles and links a small C program with cflags and
 * ldflags, warnings taken as errors (a compiler that ignores a flag with a
 * warning does not honour it): 1 yes, 0 no, -1 when the test itself could
 * not be made (one error line).
 */
int build_compiler_accepts(const char *cc, const char *cflags, const char *ldflags);

#endif
