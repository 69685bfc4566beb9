/*
 * spawn: starts one process and measures it — the only place steady creates
 * processes, so every command gets the same policy: posix_spawn, no shell,
 * stdin from /dev/null, output discarded unless asked, a process group of its
 * own (so a timeout or Ctrl-C kills everything the command started, and
 * whatever it leaves running when it exits is killed too), default
 * signal dispositions and an empty signal mask in the child. Runs that count
 * events with perf_event_open take a fork path with the same policy, where the
 * child waits on a pipe until its counters are open.
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
#include "measure/benchmark.h"
#include "measure/counters.h"

struct spawner {
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	int devnull;
	double timeout;   /* seconds, 0 = none */
	int show_output;
	/*
	 * Events to count in every measured run, or NULL. When set, runs take
	 * the blocked fork path (see spawner_run_counted); the list is the
	 * caller's and must outlive the spawner.
	 */
	const struct event_list *events;
	int counting_denied;  /* some event was refused with EACCES/EPERM */
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
 * spawner_run() with s->events counted: the child is forked, blocks on a
 * "go" pipe until every counter is open on it, then execs; counters are
 * enabled on exec, so neither the harness nor the child's set-up is counted.
 * counts gets one reading per event of s->events. The wall time starts at
 * the go signal. Without s->events this is spawner_run().
 */
enum spawn_result spawner_run_counted(struct spawner *s, const char *path,
				      char *const argv[], char *const envp[],
				      struct run_sample *out,
				      struct counter_reading *counts);
/*
 * Finds the executable a command name refers to, as execvp would (PATH
 * search when it has no '/'). Returns a new string the caller frees, or NULL
 * after printing one line: not found, a directory, or not executable.
 */
char *spawn_resolve(const char *name);

/*
 * An executable named name on PATH, as a new string, or NULL — quietly,
 * for tools steady runs itself (valgrind), whose absence the caller
 * explains with how to install them.
 */
char *spawn_find_program(const char *name);
/* SIGINT/SIGTERM (and SIGHUP, SIGQUIT) handling for the whole benchmark. */
void spawn_catch_signals(void);
int spawn_interrupted(void);  /* the signal number received, 0 if none */
/*
 * For processes started outside spawner_run() (the ptrace tracer): pgid
 * is the group the handler kills, 0 for none. Publish it with the
 * termination signals blocked (spawn_block_termination) so the handler
 * cannot miss it; *saved gets the mask to restore with sigprocmask().
 */
void spawn_track_group(pid_t pgid);
/*
 * In a forked child before exec (async-signal-safe): the policy of every
 * run — a process group of its own, default signal dispositions, an empty
 * mask, stdin from devnull and stdout/stderr too unless show_output.
 * 0, or -1 with errno set.
 */
int spawn_child_policy(int devnull, int show_output);
/* In such a child: errno into err_fd (a close-on-exec pipe), then _exit(127). */
void spawn_child_fail(int err_fd) __attribute__((noreturn));
void spawn_block_termination(sigset_t *saved);

/* "exited with code 3", "killed by signal 11 (Segmentation fault)", "timed out": static buffer. */
const char *spawn_describe_status(const struct run_sample *r);

#endif
