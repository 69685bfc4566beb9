/*
 * ptrace_count: runs one command under ptrace and counts its system calls
 * per name, with the calls that returned an error counted apart, following
 * every fork, vfork, clone and thread — `strace -f -c` for `steady trace`.
 *
 * The command is started by spawn.c (a CHILD_TRACED child_process), with
 * the policy of every run there (no shell, stdin from
 * /dev/null, output discarded unless asked, a process group of its own,
 * default signal dispositions); only its own system calls are counted,
 * from its execve on, not steady's set-up before it. Signals sent to the
 * command reach it as usual. Every traced process is killed if steady dies
 * (PTRACE_O_EXITKILL) or is interrupted, so tracing never leaves a stopped
 * process behind. x86_64 only: elsewhere ptrace_count_run() says so.
 *
 * Ownership: struct trace_result owns its table and pid list;
 * trace_result_release() frees them.
 */
#ifndef STEADY_PTRACE_COUNT_H
#define STEADY_PTRACE_COUNT_H

#include <sys/types.h>
#include "measure/benchmark.h"
#include "measure/spawn.h"
#include "trace/counts.h"

struct trace_options {
	int show_output;   /* the command's stdout and stderr stay steady's */
	int time;          /* measure the time from each entry to its exit */
};

struct trace_result {
	struct call_table syscalls;  /* by name ("write"; "syscall_999" when unknown) */
	struct run_sample status;    /* only exit_code and signal are set */
	unsigned long processes;     /* processes traced, the first one included */
	unsigned long threads;       /* threads besides each process's first */
	pid_t *pids;                 /* every process traced */
	size_t nr_pids, alloc_pids;
};

void trace_result_init(struct trace_result *r);
void trace_result_release(struct trace_result *r);

/*
 * Runs path (resolved, see spawn_resolve) with argv and envp, traced until
 * the last traced process has gone, and fills out. SPAWN_ERROR after one
 * error line (cannot trace, cannot run); SPAWN_INTERRUPTED when SIGINT,
 * SIGTERM, SIGHUP or SIGQUIT came (every traced process was killed; out
 * holds what was counted). The child is started by spawn.c (CHILD_TRACED),
 * whose handler catches those: call spawn_catch_signals() first.
 */
enum spawn_result ptrace_count_run(const char *path, char *const argv[], char *const envp[],
				   const struct trace_options *o, struct trace_result *out);


#endif
