/*
 * spawn: starts one process and measures it — the only place steady creates
 * processes, so every command gets the same policy: posix_spawn, no shell,
 * stdin from /dev/null, output discarded unless asked, a process group of its
 * own (so a timeout or Ctrl-C kills everything the command started), default
 * signal dispositions and an empty signal mask in the child.
 *
 * A struct spawner holds what can be prepared once (file actions, spawn
 * attributes, the /dev/null descriptor) so the measured window of a run holds
 * only posix_spawn and wait4. The caller owns the spawner; spawner_release()
 * frees it. spawn also owns steady's SIGINT/SIGTERM handling: the handler kills
 * the running child's process group at once and records the interruption.
 */
#ifndef STEADY_SPAWN_H
#define STEADY_SPAWN_H

#include <spawn.h>
#include "benchmark.h"

struct spawner {
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	int devnull;
	double timeout;   /* seconds, 0 = none */
};

/* 0, or -1 with one error line. */
int spawner_init(struct spawner *s, int show_output, double timeout);
void spawner_release(struct spawner *s);

enum spawn_result {
	SPAWN_OK = 0,           /* the run happened; see out for its status */
	SPAWN_ERROR = -1,       /* could not start (message printed) */
	SPAWN_INTERRUPTED = -2  /* SIGINT/SIGTERM arrived; the child was killed, out is invalid */
};

/*
 * Runs path with argv and envp once and fills out (env_pad and warmup are
 * left for the caller). path must be a resolved executable (spawn_resolve).
 */
enum spawn_result spawner_run(struct spawner *s, const char *path,
			      char *const argv[], char *const envp[],
			      struct run_sample *out);

/*
 * Finds the executable a command name refers to, as execvp would (PATH
 * search when it has no '/'). Returns a new string the caller frees, or NULL
 * after printing one line: not found, a directory, or not executable.
 */
char *spawn_resolve(const char *name);

/* SIGINT/SIGTERM handling for the whole benchmark. */
void spawn_catch_signals(void);
int spawn_interrupted(void);  /* the signal number received, 0 if none */

/* "exited with code 3", "killed by signal 11 (Segmentation fault)", "timed out": static buffer. */
const char *spawn_describe_status(const struct run_sample *r);

#endif
