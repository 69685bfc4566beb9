/*
 * ptrace_count: see ptrace_count.h.
 *
 * The loop: one waitpid(-1, __WALL) for every stop of every task; a
 * syscall stop (SIGTRAP|0x80, PTRACE_O_TRACESYSGOOD) alternates entry and
 * exit per task, so each task remembers whether it is inside a call; event
 * stops (fork, clone, exec) are resumed with no signal; a new task's first
 * SIGSTOP is swallowed once; any other signal is handed back to the task
 * it was meant for. A group-stop (PTRACE_GETSIGINFO fails) is resumed too:
 * without PTRACE_SEIZE there is no way to keep a traced process stopped,
 * and a benchmark must not hang on a stopped child anyway.
 */
#include "trace/ptrace_count.h"
#include "trace/syscall_names.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

void trace_result_init(struct trace_result *r)
{
	memset(r, 0, sizeof(*r));
	call_table_init(&r->syscalls);
}

void trace_result_release(struct trace_result *r)
{
	call_table_release(&r->syscalls);
	free(r->pids);
	trace_result_init(r);
}

#if defined(__x86_64__)

struct task {
	pid_t tid;
	int in_syscall;   /* between its entry and exit stops */
	int counted;      /* the call in progress was counted at entry */
	int compat;       /* the call in progress is a 32-bit one (int 0x80) */
	long nr;
	int64_t entry_ns;
	int expect_stop;  /* a new task: its first SIGSTOP is ours, not the program's */
	int started;      /* the command has exec'd: its calls count */
};

struct per_nr {
	uint64_t calls, errors;
	int64_t time_ns;
};

struct tracer {
	const struct trace_options *o;
	struct trace_result *out;
	struct task *tasks;
	size_t nr_tasks, alloc_tasks;
	struct per_nr *by_nr;        /* indexed by x86_64 number */
	size_t nr_names;
	struct call_table other;     /* numbers outside the table, 32-bit calls */
	pid_t leader;
	int killed_all;
};

static struct task *find_task(struct tracer *t, pid_t tid)
{
	for (size_t i = 0; i < t->nr_tasks; i++)
		if (t->tasks[i].tid == tid)
			return &t->tasks[i];
	return NULL;
}

static void add_pid(struct trace_result *r, pid_t pid)
{
	ALLOC_GROW(r->pids, r->nr_pids + 1, r->alloc_pids);
	r->pids[r->nr_pids++] = pid;
}

/* The thread group of tid, from /proc; tid itself when it cannot be read. */
static pid_t tgid_of(pid_t tid)
{
	char path[64], buf[1024];
	pid_t tgid = tid;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tid;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		char *p;

		buf[n] = '\0';
		p = strstr(buf, "\nTgid:");
		if (p)
			tgid = (pid_t)strtol(p + 6, NULL, 10);
	}
	return tgid;
}

/* A task the kernel attached for us (fork, clone) or the first one. */
static struct task *add_task(struct tracer *t, pid_t tid, int is_process, int started)
{
	struct task *k;

	ALLOC_GROW(t->tasks, t->nr_tasks + 1, t->alloc_tasks);
	k = &t->tasks[t->nr_tasks++];
	memset(k, 0, sizeof(*k));
	k->tid = tid;
	k->expect_stop = 1;
	k->started = started;
	if (is_process) {
		t->out->processes++;
		add_pid(t->out, tid);
	} else {
		t->out->threads++;
	}
	return k;
}

static void remove_task(struct tracer *t, struct task *k)
{
	*k = t->tasks[--t->nr_tasks];
}

static void count_entry(struct tracer *t, struct task *k)
{
	if (!k->compat && k->nr >= 0 && (size_t)k->nr < t->nr_names)
		t->by_nr[k->nr].calls++;
	else {
		char name[64];

		snprintf(name, sizeof(name), "syscall_%ld%s", k->nr, k->compat ? "_i386" : "");
		call_table_add(&t->other, name, 1, 0, 0);
	}
}

static void count_exit(struct tracer *t, struct task *k, long ret, int64_t ns)
{
	/* rt_sigreturn "returns" the interrupted code's rax, not a result. */
	int failed = ret >= -4095 && ret <= -1 && !(!k->compat && k->nr == 15);

	if (!k->compat && k->nr >= 0 && (size_t)k->nr < t->nr_names) {
		t->by_nr[k->nr].errors += failed;
		t->by_nr[k->nr].time_ns += ns;
	} else {
		char name[64];

		snprintf(name, sizeof(name), "syscall_%ld%s", k->nr, k->compat ? "_i386" : "");
		call_table_add(&t->other, name, 0, failed, ns);
	}
}

static void on_syscall_stop(struct tracer *t, struct task *k)
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, k->tid, NULL, &regs) < 0)
		return;	/* killed meanwhile: its exit will be reaped */
	if (!k->in_syscall) {
		k->in_syscall = 1;
		k->nr = (long)regs.orig_rax;
		k->compat = regs.cs == 0x23;
		k->counted = k->started;
		if (k->counted)
			count_entry(t, k);
		if (t->o->time)
			k->entry_ns = monotonic_ns();
		return;
	}
	k->in_syscall = 0;
	if (k->counted)
		count_exit(t, k, (long)regs.rax,
			   t->o->time ? monotonic_ns() - k->entry_ns : 0);
}

static void on_event(struct tracer *t, struct task *k, int event)
{
	unsigned long msg = 0;

	if (ptrace(PTRACE_GETEVENTMSG, k->tid, NULL, &msg) < 0)
		return;
	switch (event) {
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE: {
		pid_t child = (pid_t)msg;

		/* Its SIGSTOP may have been reported first: then it is known. */
		if (!find_task(t, child)) {
			int process = event != PTRACE_EVENT_CLONE || tgid_of(child) == child;

			add_task(t, child, process, 1);
		}
		break;
	}
	case PTRACE_EVENT_EXEC: {
		pid_t former = (pid_t)msg, me = k->tid;
		struct task *f;

		/* A thread exec'd: it now has the leader's tid; take its state. */
		if (former != me && (f = find_task(t, former)) != NULL) {
			k->in_syscall = f->in_syscall;
			k->nr = f->nr;
			k->compat = f->compat;
			k->entry_ns = f->entry_ns;
			k->counted = f->counted;
			k->started = f->started;
			remove_task(t, f);
			k = find_task(t, me);	/* the removal may have moved it */
		}
		if (!k->started) {
			/* The command's own execve: counting starts with it. */
			k->started = 1;
			if (k->in_syscall) {
				k->counted = 1;
				count_entry(t, k);
			}
		}
		break;
	}
	default:
		break;
	}
}

/* Every task gets SIGKILL once: those that left the process group too. */
static void kill_all(struct tracer *t)
{
	if (t->killed_all)
		return;
	t->killed_all = 1;
	if (t->leader > 0)
		kill(-t->leader, SIGKILL);
	for (size_t i = 0; i < t->nr_tasks; i++)
		kill(t->tasks[i].tid, SIGKILL);
}

static void record_status(struct trace_result *r, int status)
{
	if (WIFSIGNALED(status)) {
		r->status.signal = WTERMSIG(status);
		r->status.exit_code = -1;
	} else {
		r->status.signal = 0;
		r->status.exit_code = WEXITSTATUS(status);
	}
}

static int trace_loop(struct tracer *t)
{
	for (;;) {
		struct task *k;
		int status, sig, event, deliver = 0;
		pid_t tid;

		if (spawn_interrupted())
			kill_all(t);
		tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				return 0;
			kill_all(t);
			return error("cannot wait for the traced command: %s", strerror(errno));
		}
		k = find_task(t, tid);
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (tid == t->leader)
				record_status(t->out, status);
			if (k)
				remove_task(t, k);
			/*
			 * Every traced task gone: done, not at ECHILD, which a
			 * child steady inherited (a shell's job that exec'd it)
			 * would put off for as long as it runs.
			 */
			if (k && !t->nr_tasks)
				return 0;
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (!k) {
			/* A new task whose SIGSTOP came before its parent's event. */
			k = add_task(t, tid, tgid_of(tid) == tid, 1);
		}
		sig = WSTOPSIG(status);
		event = (unsigned)status >> 16;
		if (sig == (SIGTRAP | 0x80)) {
			on_syscall_stop(t, k);
		} else if (event) {
			on_event(t, k, event);
			k = find_task(t, tid);
		} else if (sig == SIGSTOP && k->expect_stop) {
			k->expect_stop = 0;
		} else {
			siginfo_t si;

			/* No siginfo: a group-stop, resumed (see the top). */
			if (ptrace(PTRACE_GETSIGINFO, tid, NULL, &si) == 0)
				deliver = sig;
		}
		/* ESRCH: killed meanwhile; its exit comes through waitpid. */
		ptrace(PTRACE_SYSCALL, tid, NULL, (void *)(long)deliver);
	}
}

static void collect(struct tracer *t)
{
	for (size_t nr = 0; nr < t->nr_names; nr++) {
		const struct per_nr *c = &t->by_nr[nr];
		const char *name = syscall_name((long)nr);
		char unknown[32];

		if (!c->calls)
			continue;
		if (!name) {
			snprintf(unknown, sizeof(unknown), "syscall_%zu", nr);
			name = unknown;
		}
		call_table_add(&t->out->syscalls, name, c->calls, c->errors, c->time_ns);
	}
	call_table_merge(&t->out->syscalls, &t->other);
	call_table_sort(&t->out->syscalls);
}

enum spawn_result ptrace_count_run(const char *path, char *const argv[], char *const envp[],
				   const struct trace_options *o, struct trace_result *out)
{
	struct child_process cp = CHILD_PROCESS_INIT;
	struct spawner policy;
	struct tracer t;
	enum spawn_result res;
	int status, child_err, ret;
	pid_t pid;

	memset(&t, 0, sizeof(t));
	t.o = o;
	t.out = out;
	t.nr_names = syscall_table_size();
	if (spawner_init(&policy, o->show_output, 0))
		return SPAWN_ERROR;
	cp.spawner = &policy;
	cp.path = path;
	cp.argv = argv;
	cp.envp = envp;
	cp.before_exec = CHILD_TRACED;
	if (start_command(&cp)) {
		spawner_release(&policy);
		return spawn_interrupted() ? SPAWN_INTERRUPTED : SPAWN_ERROR;
	}
	pid = cp.pid;

	/* The child's own SIGSTOP, or its exit when PTRACE_TRACEME failed. */
	while (waitpid(pid, &status, __WALL) < 0)
		if (errno != EINTR) {
			status = 0;
			break;
		}
	if (!WIFSTOPPED(status) || spawn_interrupted()) {
		child_err = abort_command(&cp, !WIFSTOPPED(status));
		spawner_release(&policy);
		if (spawn_interrupted())
			return SPAWN_INTERRUPTED;
		if (child_err)
			error("cannot trace '%s': %s%s", argv[0], strerror(child_err),
			      child_err == EPERM ? " (ptrace is not permitted here: a container"
			      " may need the SYS_PTRACE capability)" : "");
		else
			error("cannot trace '%s': it did not start", argv[0]);
		return SPAWN_ERROR;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL,
		   (void *)(long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |
				  PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
				  PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL)) < 0) {
		error("cannot trace '%s': %s", argv[0], strerror(errno));
		abort_command(&cp, 0);
		spawner_release(&policy);
		return SPAWN_ERROR;
	}
	call_table_init(&t.other);
	t.leader = pid;
	t.by_nr = xcalloc(t.nr_names, sizeof(*t.by_nr));
	add_task(&t, pid, 1, 0)->expect_stop = 0;
	ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
	ret = trace_loop(&t);
	/* The loop reaped every task: this collects the exec error only. */
	res = finish_command(&cp, NULL);
	spawner_release(&policy);

	collect(&t);
	free(t.by_nr);
	free(t.tasks);
	call_table_release(&t.other);
	if (res == SPAWN_OK && ret)
		res = SPAWN_ERROR;
	return res;
}

#else

enum spawn_result ptrace_count_run(const char *path, char *const argv[], char *const envp[],
				   const struct trace_options *o, struct trace_result *out)
{
	(void)path;
	(void)envp;
	(void)o;
	(void)out;
	error("cannot trace '%s': system call tracing is only implemented for x86_64", argv[0]);
	return SPAWN_ERROR;
}

#endif
