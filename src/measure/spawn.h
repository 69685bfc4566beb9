/*
 * spawn: every process steady starts — benchmarked commands, --prepare and
 * friends, valgrind for `cache` and --metric valgrind-ir, the command the
 * ptrace tracer follows, git, tar and patch for the toolchain
 * (spawn_run_captured) — starts here, through one API modelled on git's
 * child_process: describe the child in a struct child_process, then
 * start_command() and finish_command(). Nothing else in steady forks or
 * execs.
 *
 * Every child gets the same policy: no shell, stdin from /dev/null, output
 * discarded unless shown, a process group of its own (so a timeout or an
 * interrupt kills everything the command started, and whatever it leaves
 * running when it exits is killed too), default signal dispositions and an
 * empty signal mask. Where cgroup v2 is writable, children are also born
 * in a cgroup of steady's, killed whole after each run (so what left the
 * group with setsid dies too) and by a guardian process when steady itself
 * is killed (spawn.c, "Containment"). Without a writable cgroup, steady
 * as their subreaper kills what they leave outside their groups after
 * each run, and a guardian kills the running children's groups when
 * steady is killed. Forked children die with steady (PR_SET_PDEATHSIG),
 * and a child that stops itself is killed and reported
 * (run_sample.stopped) rather than waited for. What the child does before
 * its exec is the one choice:
 *   CHILD_EXEC       nothing: posix_spawn, the path of every plain run;
 *   CHILD_AWAIT_GO   forked, blocks on a "go" pipe until the parent has
 *                    opened perf counters on it (command_go());
 *   CHILD_TRACED     forked, PTRACE_TRACEME and a SIGSTOP, so the tracer can
 *                    set its options before the exec.
 *
 * A struct spawner holds what is prepared once for many children: the
 * output policy, the timeout, posix_spawn's file actions and attributes and
 * the /dev/null descriptor, so the measured window of a plain run holds only
 * posix_spawn and the wait for its exit (waitid with WNOWAIT, which leaves
 * the zombie for wait4 to reap after the clock stops; with --timeout a
 * pidfd and poll). The caller owns the spawner (spawner_release()
 * frees it) and the child_process, which borrows the spawner, path, argv
 * and envp. spawn also owns steady's handling of SIGINT, SIGTERM, SIGHUP and
 * SIGQUIT: the handler kills the process group of every running child at
 * once (up to SPAWN_MAX_RUNNING children may run at the same time, as
 * parallel builds do) and records the interruption.
 *
 * Children that are not measured (builds) may send their stdout and stderr
 * to a file and run in another directory (out_fd, dir below): they get a
 * file-actions object of their own, so the spawner's prepared one, and the
 * cost of a plain run, stay as they were.
 */
#ifndef STEADY_SPAWN_H
#define STEADY_SPAWN_H

#include <spawn.h>
#include <signal.h>
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
	 * the CHILD_AWAIT_GO path (see spawner_run_counted); the list is the
	 * caller's and must outlive the spawner.
	 */
	const struct event_list *events;
	int counting_denied;  /* some event was refused with EACCES/EPERM */
	/*
	 * After a termination signal, start_command() starts nothing (no run
	 * begins after Ctrl-C, whichever command asks), unless this is set:
	 * for the --cleanup command, which is what leaves the machine tidy.
	 */
	int runs_after_interrupt;
};

/* 0, or -1 with one error line. */
int spawner_init(struct spawner *s, int show_output, double timeout);
void spawner_release(struct spawner *s);

enum spawn_result {
	SPAWN_OK = 0,           /* the run happened; see out for its status */
	SPAWN_ERROR = -1,       /* could not start (message printed) */
	SPAWN_INTERRUPTED = -2  /* a termination signal came; the child was killed, out is invalid */
};

enum child_before_exec {
	CHILD_EXEC = 0,
	CHILD_AWAIT_GO,
	CHILD_TRACED
};

struct child_process {
	/* Set by the caller before start_command(): */
	struct spawner *spawner;       /* output policy, timeout, prepared state */
	const char *path;              /* resolved executable (spawn_resolve) */
	char *const *argv;             /* argv[0] names it in messages */
	char *const *envp;
	enum child_before_exec before_exec;
	/*
	 * Optional. out_fd: where the child's stdout and stderr both go in
	 * place of the spawner's policy (a descriptor the caller owns and
	 * keeps open until start_command() returns; open it O_APPEND to share
	 * a log); -1 for the policy. dir: the directory the child runs in;
	 * NULL for steady's. The child changes directory before its exec, so
	 * a relative path is looked up from dir: give an absolute one.
	 */
	int out_fd;
	const char *dir;

	/* Filled by start_command(), read-only for the caller: */
	pid_t pid;                     /* also its process group */
	int64_t start_ns;              /* the measured window opens here */
	int go_fd;                     /* CHILD_AWAIT_GO: the parent's end, else -1 */
	int err_fd;                    /* forked children: errno before exec, else -1 */
	sig_atomic_t interrupts_before;
	int running_slot;              /* its entry among the groups the handler kills, or -1 */
};

#define CHILD_PROCESS_INIT { .before_exec = CHILD_EXEC, .out_fd = -1, .pid = -1, \
			     .go_fd = -1, .err_fd = -1, .running_slot = -1 }

/* How many started children may be running (not yet finished) at once. */
#define SPAWN_MAX_RUNNING 64

/*
 * Starts cp's child with the spawner's policy and publishes its process
 * group to the signal handler. 0, or -1 after one error line (nothing is
 * left running; more than SPAWN_MAX_RUNNING children at once is an error).
 * Once a termination signal has come (spawn_interrupted()), -1 with no
 * line and nothing started, unless the spawner runs_after_interrupt: the
 * caller stops for the interrupt, which it reports itself.
 */
int start_command(struct child_process *cp);

/*
 * For callers that run several CHILD_EXEC children at once: waits until
 * one of cps[0..n-1] (started, not yet finished) has exited and returns its
 * index; finish_command() then reaps it without blocking. Returns -1 when
 * a termination signal came (every running group has been killed: finish
 * each child, which says SPAWN_INTERRUPTED) or after one error line.
 */
int wait_any_command(struct child_process *const *cps, size_t n);

/*
 * CHILD_AWAIT_GO: lets the child exec (its counters are open) and opens
 * the measured window. A child already gone is finish_command()'s to
 * explain.
 */
void command_go(struct child_process *cp);

/*
 * Waits until cp's child has exited (0: finish_command() reaps it at
 * once) or until deadline_ns on the monotonic clock (1), whichever comes
 * first, without reaping it and without a timer signal (a pidfd, else a
 * look every millisecond). For a caller with work to do while the child
 * runs, such as draining a sampler's rings: the exit wakes it at once, so
 * the measured window still ends at the exit.
 */
int wait_command_until(struct child_process *cp, int64_t deadline_ns);

/*
 * Waits for the child (killing its group at the spawner's timeout), kills
 * what it left in its group, reaps it and fills out: the wall time from
 * start_ns to its exit, rusage and status (env_pad and warmup are left for
 * the caller). A forked child that failed before its exec is SPAWN_ERROR
 * with "cannot run" printed. A CHILD_TRACED child is reaped by its tracer,
 * which waits for every traced task itself: then finish_command() only
 * collects the exec error and forgets the group, and out may be NULL.
 */
enum spawn_result finish_command(struct child_process *cp, struct run_sample *out);

/*
 * Gives up on a started child that has not run (its counters or tracer
 * could not be set up): kills its group and reaps it, unless the caller's
 * own wait has reaped it already (reaped). Returns the errno with which the
 * child failed before its exec, or 0. Prints nothing.
 */
int abort_command(struct child_process *cp, int reaped);

/*
 * A plain run: path with argv and envp once, out filled as by
 * finish_command(). The bench loop's measured run.
 */
enum spawn_result spawner_run(struct spawner *s, const char *path,
			      char *const argv[], char *const envp[],
			      struct run_sample *out);

/*
 * spawner_run() with s->events counted: a CHILD_AWAIT_GO child whose
 * counters are enabled on exec, so neither the harness nor the child's
 * set-up is counted. counts gets one reading per event of s->events. The
 * wall time starts at the go signal. Without s->events this is spawner_run().
 */
enum spawn_result spawner_run_counted(struct spawner *s, const char *path,
				      char *const argv[], char *const envp[],
				      struct run_sample *out,
				      struct counter_reading *counts);
/*
 * A tool steady runs for itself (git, tar, patch), not a measured command:
 * path with argv and envp (NULL: steady's own environment), started in the
 * directory dir (NULL: steady's), its stdout written to out_fd and its
 * stderr to err_fd (-1: /dev/null; the two may be one descriptor), stdin
 * from /dev/null, with the policy of every child (own process group,
 * default signals) and no timeout. The descriptors stay the caller's.
 * SPAWN_OK with *exit_code its exit code (128 + N when killed by signal
 * N); SPAWN_ERROR after one error line (it could not start: no such
 * directory, not executable); SPAWN_INTERRUPTED as for spawner_run().
 * A relative path is looked up after the change of directory: pass an
 * absolute one with dir.
 */
enum spawn_result spawn_run_captured(const char *path, char *const argv[],
				     char *const envp[], const char *dir,
				     int out_fd, int err_fd, int *exit_code);

/*
 * Finds the executable a command name refers to, as execvp would (PATH
 * search when it has no '/'). Returns a new string the caller frees, or NULL
 * after printing one line: not found, a directory, or not executable.
 */
char *spawn_resolve(const char *name);

/*
 * An executable named name on PATH, as a new string, or NULL — quietly,
 * for tools steady runs itself (valgrind), whose absence the caller
 * explains with how to install them. The same search as spawn_resolve().
 */
char *spawn_find_program(const char *name);

/* Catches SIGINT, SIGTERM, SIGHUP and SIGQUIT for the whole benchmark. */
void spawn_catch_signals(void);
int spawn_interrupted(void);  /* the signal number received, 0 if none */
/* EXIT_INTERRUPTED when a signal came, else code: the exit code of a step a signal may have cut short. */
int spawn_exit_code(int code);

/* "exited with code 3", "killed by signal 11 (Segmentation fault)", "timed out": static buffer. */
const char *spawn_describe_status(const struct run_sample *r);

#endif
