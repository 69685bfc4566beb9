/*
 * tool: the programs the toolchain runs for itself — git, tar, patch —
 * found on PATH and run through spawn_run_captured() (spawn stays the one
 * way a process starts), with what they print kept in memory so that a
 * failure can quote them in one line. They run in an environment made for
 * parsing and for leaving the user's things alone:
 *   LC_ALL=C                 their messages in the English steady parses
 *                            ("Hunk #2 FAILED at 14.");
 *   GIT_DIR, GIT_WORK_TREE,  removed: git must look at the repository the
 *   GIT_INDEX_FILE, ...      path given to it is in, not one the caller's
 *                            environment (a hook, an alias) points at;
 *   GIT_OPTIONAL_LOCKS=0     git writes no optional lock or index refresh;
 *   POSIXLY_CORRECT          removed: it changes GNU patch's backups.
 *
 * Ownership: tool_find() returns a new string; a struct tool_output is
 * filled by tool_run() and its buffers freed by tool_output_release().
 */
#ifndef STEADY_TOOL_H
#define STEADY_TOOL_H

#include <stddef.h>

/*
 * The absolute path of the program name on PATH, a new string; or NULL
 * after one error line saying to install the Debian package that has it.
 */
char *tool_find(const char *name, const char *package);

/* The same without a message: for a tool that has a fallback. */
char *tool_find_quiet(const char *name);

struct tool_output {
	char *out;        /* stdout (and stderr when merged), NUL-terminated */
	size_t out_len;   /* git -z output holds NULs: its real length */
	char *err;        /* stderr, NUL-terminated; "" when merged */
	int exit_code;    /* 128 + N when killed by signal N */
};

#define TOOL_OUTPUT_INIT { NULL, 0, NULL, 0 }

/*
 * Runs path with argv (argv[0] names it in messages) in directory dir
 * (NULL: steady's own) and waits for it. merge_stderr sends both streams
 * into out, in the order they were written. 0 when it ran, whatever its
 * exit code (res->exit_code says); -1 after one error line when it could
 * not start, was interrupted or its output could not be kept. res is
 * filled (buffers allocated) only on 0.
 */
int tool_run(const char *path, char *const argv[], const char *dir,
	     int merge_stderr, struct tool_output *res);

void tool_output_release(struct tool_output *res);

/*
 * The first line of text that is not blank, without its newline and with
 * a leading "fatal: " or "error: " dropped (a message quoted in steady's
 * own line needs no second label): a new string, "(no message)" if none.
 */
char *tool_first_line(const char *text);

#endif
