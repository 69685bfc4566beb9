/*
 * libcalls: the library-call side of `steady trace` — finding the LD_AUDIT
 * library (src/trace/audit/steady-audit.c, built as libsteady-audit.so), the
 * environment that loads it into a command, telling static binaries apart
 * (they load no library, so nothing can be counted), and reading back the
 * files the library wrote: one per process, "PREFIX.PID", one line per
 * called symbol, "count<TAB>symbol<TAB>library".
 *
 * Ownership: returned strings and arrays are new and the caller's; the
 * environment from libcalls_environment() is freed with
 * libcalls_environment_free().
 */
#ifndef STEADY_LIBCALLS_H
#define STEADY_LIBCALLS_H

#include <stddef.h>
#include <sys/types.h>
#include "trace/counts.h"

#define LIBCALLS_AUDIT_LIB "libsteady-audit.so"
#define LIBCALLS_OUT_ENV "STEADY_AUDIT_OUT"

/*
 * The audit library beside the steady binary (a build directory), else in
 * ../lib/steady/ from it (an installation). NULL when neither exists; no
 * message (the caller knows what to advise).
 */
char *libcalls_find_audit_lib(void);

/*
 * 1 when path is an ELF executable without a PT_INTERP program header (a
 * static binary, static-pie included), 0 when it is dynamic or not ELF at
 * all (a script: its interpreter is what runs), -1 after one error line.
 */
int libcalls_is_static(const char *path);

/*
 * envp plus LD_AUDIT=lib (after any LD_AUDIT already there) and
 * STEADY_AUDIT_OUT=out_prefix (replacing one already there).
 */
char **libcalls_environment(char *const *envp, const char *lib, const char *out_prefix);
void libcalls_environment_free(char **env);

/*
 * Adds the lines of one file's text to t, named "symbol@library". what
 * names the file in messages. 0, or -1 after one line naming the bad line.
 */
int libcalls_parse(const char *text, const char *what, struct call_table *t);

/*
 * Reads every "dir/name.PID" file into t, removing each one read; the
 * PIDs that had a file go in *pids (*nr of them, the caller frees). 0, or
 * -1 after one error line.
 */
int libcalls_collect(const char *dir, const char *name, struct call_table *t,
		     pid_t **pids, size_t *nr);

#endif
