/*
 * spawn: see spawn.h. The measured window is [clock before posix_spawn,
 * clock after wait4]; everything that can be prepared is done outside it.
 */
#include "measure/spawn.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* What steady catches or ignores, back to the default in every child. */
static const int child_defaults[] = { SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP, SIGCHLD };

static volatile sig_atomic_t interrupted_by;
static volatile sig_atomic_t interrupt_count;
static volatile sig_atomic_t running_child; /* pid, also its process group */

static void on_terminate(int sig)
{
	int saved = errno;
	pid_t child = running_child;

	interrupted_by = sig;
	interrupt_count++;
	if (child > 0)
		kill(-child, SIGKILL);
	errno = saved;
}

void spawn_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_terminate;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: wait4 and poll must return EINTR so the loop stops. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed terminal or Ctrl-\ must not leave the command running
	 * unsaved: handled like SIGTERM. */
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
}

int spawn_interrupted(void)
{
	return interrupted_by;
}

void spawn_track_group(pid_t pgid)
{
	running_child = pgid;
}

int spawner_init(struct spawner *s, int show_output, double timeout)
{
	sigset_t none, defaults;
	int err;

	memset(s, 0, sizeof(*s));
	s->timeout = timeout;
	s->show_output = show_output;
	s->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (s->devnull < 0)
		return error("cannot open '/dev/null': %s", strerror(errno));

	posix_spawn_file_actions_init(&s->actions);
	err = posix_spawn_file_actions_adddup2(&s->actions, s->devnull, 0);
	if (!err && !show_output)
		err = posix_spawn_file_actions_adddup2(&s->actions, s->devnull, 1);
	if (!err && !show_output)
		err = posix_spawn_file_actions_adddup2(&s->actions, s->devnull, 2);

	posix_spawnattr_init(&s->attr);
	sigemptyset(&none);
	sigemptyset(&defaults);
	for (size_t i = 0; i < sizeof(child_defaults) / sizeof(*child_defaults); i++)
		sigaddset(&defaults, child_defaults[i]);
	if (!err)
		err = posix_spawnattr_setpgroup(&s->attr, 0);
	if (!err)
		err = posix_spawnattr_setsigmask(&s->attr, &none);
	if (!err)
		err = posix_spawnattr_setsigdefault(&s->attr, &defaults);
	if (!err)
		err = posix_spawnattr_setflags(&s->attr, POSIX_SPAWN_SETPGROUP |
					       POSIX_SPAWN_SETSIGMASK |
					       POSIX_SPAWN_SETSIGDEF);
	if (err) {
		spawner_release(s);
		return error("cannot prepare process spawning: %s", strerror(err));
	}
	return 0;
}

void spawner_release(struct spawner *s)
{
	if (s->devnull > 0) {
		posix_spawn_file_actions_destroy(&s->actions);
		posix_spawnattr_destroy(&s->attr);
		close(s->devnull);
	}
	s->devnull = -1;
}

static int64_t timeval_to_ns(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000000 + (int64_t)tv->tv_usec * 1000;
}

static void fill_sample(struct run_sample *out, int status, const struct rusage *ru)
{
	out->user_ns = timeval_to_ns(&ru->ru_utime);
	out->sys_ns = timeval_to_ns(&ru->ru_stime);
	out->max_rss_kib = ru->ru_maxrss;
	out->minor_faults = ru->ru_minflt;
	out->major_faults = ru->ru_majflt;
	out->vol_ctx_switches = ru->ru_nvcsw;
	out->invol_ctx_switches = ru->ru_nivcsw;
	if (WIFSIGNALED(status)) {
		out->signal = WTERMSIG(status);
		out->exit_code = -1;
	} else {
		out->signal = 0;
		out->exit_code = WEXITSTATUS(status);
	}
}

/*
 * Without a pidfd (kernels before 5.3, or under valgrind), look at the
 * child every millisecond without reaping it. The first look that sees it
 * gone may come up to 1 ms late, which only this fallback pays.
 */
static int poll_with_deadline(pid_t pid, int64_t deadline_ns)
{
	for (;;) {
		siginfo_t info;
		int64_t left = deadline_ns - monotonic_ns();
		struct timespec nap = { 0, 1000000 };

		memset(&info, 0, sizeof(info));
		if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    info.si_pid == pid)
			return 0;
		if (left <= 0)
			return 1;
		if (left < nap.tv_nsec)
			nap.tv_nsec = (long)left;
		nanosleep(&nap, NULL);
	}
}

/*
 * Waits until the child exits or the deadline passes, without a timer
 * signal: a pidfd becomes readable when the process exits. Returns 1 when
 * the deadline passed, 0 when the child is ready to be reaped.
 */
static int wait_with_deadline(pid_t pid, int64_t deadline_ns)
{
	static int no_pidfd; /* ENOSYS once is ENOSYS for good */
	int pidfd = no_pidfd ? -1 : (int)syscall(SYS_pidfd_open, pid, 0);
	int ret = 0;

	if (pidfd < 0) {
		no_pidfd = no_pidfd || errno == ENOSYS;
		return poll_with_deadline(pid, deadline_ns);
	}
	for (;;) {
		struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
		int64_t left = deadline_ns - monotonic_ns();
		int n;

		if (left <= 0) {
			ret = 1;
			break;
		}
		n = poll(&pfd, 1, (int)((left + 999999) / 1000000));
		/* EINTR from Ctrl-C needs nothing: the handler killed the
		 * child, so the pidfd turns readable at the next poll. */
		if (n > 0)
			break;
	}
	close(pidfd);
	return ret;
}

/*
 * The second half of every run: the child pid is published and started at
 * start; waits (with the timeout), reaps and fills out.
 */
static enum spawn_result reap_child(struct spawner *s, pid_t pid, int64_t start,
				    const char *name, sig_atomic_t interrupts_before,
				    struct run_sample *out)
{
	struct rusage ru;
	int64_t end;
	pid_t got;
	int status = 0, timed_out = 0;

	if (s->timeout > 0) {
		int64_t deadline = start + (int64_t)(s->timeout * 1e9);
		if (wait_with_deadline(pid, deadline)) {
			timed_out = 1;
			kill(-pid, SIGKILL);
		}
	}
	/*
	 * Wait for the exit without reaping: while the child is a zombie its
	 * pid (the group's id) cannot be reused, so whatever it left running
	 * in its process group can be killed without hitting a stranger.
	 * Leftovers would otherwise run on into the next runs.
	 */
	for (;;) {
		siginfo_t info;

		memset(&info, 0, sizeof(info));
		if (!waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT))
			break;
		if (errno != EINTR) {
			running_child = 0;
			error("cannot wait for '%s': %s", name, strerror(errno));
			return SPAWN_ERROR;
		}
		/* EINTR: the handler already killed the group; reap it. */
	}
	end = monotonic_ns();
	kill(-pid, SIGKILL);
	do
		got = wait4(pid, &status, 0, &ru);
	while (got < 0 && errno == EINTR);
	running_child = 0;
	if (got != pid) {
		error("cannot wait for '%s': %s", name, strerror(errno));
		return SPAWN_ERROR;
	}

	if (interrupt_count != interrupts_before)
		return SPAWN_INTERRUPTED;

	memset(out, 0, sizeof(*out));
	out->wall_ns = end - start;
	fill_sample(out, status, &ru);
	out->timed_out = timed_out;
	out->env_pad = -1;
	out->seq = -1;
	return SPAWN_OK;
}

void spawn_block_termination(sigset_t *saved)
{
	sigset_t block;

	/*
	 * Block SIGINT/SIGTERM until the child's pid is published, so the
	 * handler can never miss a child it should kill.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, saved);
}

enum spawn_result spawner_run(struct spawner *s, const char *path,
			      char *const argv[], char *const envp[],
			      struct run_sample *out)
{
	sigset_t saved;
	int64_t start;
	pid_t pid;
	int err;
	sig_atomic_t interrupts_before = interrupt_count;

	spawn_block_termination(&saved);
	start = monotonic_ns();
	err = posix_spawn(&pid, path, &s->actions, &s->attr, argv, envp);
	if (err) {
		sigprocmask(SIG_SETMASK, &saved, NULL);
		error("cannot run '%s': %s", argv[0], strerror(err));
		return SPAWN_ERROR;
	}
	running_child = pid;
	sigprocmask(SIG_SETMASK, &saved, NULL);
	return reap_child(s, pid, start, argv[0], interrupts_before, out);
}

int spawn_child_policy(int devnull, int show_output)
{
	struct sigaction dfl;
	sigset_t none;

	setpgid(0, 0);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (size_t i = 0; i < sizeof(child_defaults) / sizeof(*child_defaults); i++)
		sigaction(child_defaults[i], &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(devnull, 0) < 0 ||
	    (!show_output && (dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0)))
		return -1;
	return 0;
}

void spawn_child_fail(int err_fd)
{
	int err = errno;

	while (write(err_fd, &err, sizeof(err)) < 0 && errno == EINTR)
		;
	_exit(127);
}

/*
 * The forked child of the counted path, up to exec: only async-signal-safe
 * calls. It gets what posix_spawn's attributes give the other path, then
 * waits for the go byte; a closed pipe means the parent gave up. An exec
 * failure is reported through err_fd (closed on a successful exec).
 */
static void __attribute__((noreturn))
counted_child(struct spawner *s, int go_fd, int err_fd, const char *path,
	      char *const argv[], char *const envp[])
{
	char go;
	ssize_t n;

	if (spawn_child_policy(s->devnull, s->show_output))
		spawn_child_fail(err_fd);
	do
		n = read(go_fd, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(127);
	execve(path, argv, envp);
	spawn_child_fail(err_fd);
}

enum spawn_result spawner_run_counted(struct spawner *s, const char *path,
				      char *const argv[], char *const envp[],
				      struct run_sample *out,
				      struct counter_reading *counts)
{
	struct counters ctr;
	enum spawn_result res;
	sigset_t saved;
	int go[2], errp[2], child_err = 0;
	int64_t start;
	pid_t pid;
	ssize_t n;
	sig_atomic_t interrupts_before = interrupt_count;

	if (!s->events)
		return spawner_run(s, path, argv, envp, out);
	if (pipe2(go, O_CLOEXEC)) {
		error("cannot create a pipe: %s", strerror(errno));
		return SPAWN_ERROR;
	}
	if (pipe2(errp, O_CLOEXEC)) {
		error("cannot create a pipe: %s", strerror(errno));
		close(go[0]);
		close(go[1]);
		return SPAWN_ERROR;
	}
	spawn_block_termination(&saved);
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		close(errp[0]);
		counted_child(s, go[0], errp[1], path, argv, envp);
	}
	close(go[0]);
	close(errp[1]);
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &saved, NULL);
		close(go[1]);
		close(errp[0]);
		error("cannot run '%s': %s", argv[0], strerror(errno));
		return SPAWN_ERROR;
	}
	/* Also here: the group must exist before the handler may kill it. */
	setpgid(pid, pid);
	running_child = pid;
	sigprocmask(SIG_SETMASK, &saved, NULL);

	if (counters_open(&ctr, s->events, pid)) {
		close(go[1]);	/* the child reads EOF and exits */
		close(errp[0]);
		reap_child(s, pid, monotonic_ns(), argv[0], interrupts_before, out);
		return SPAWN_ERROR;
	}
	if (ctr.denied)
		s->counting_denied = 1;

	start = monotonic_ns();
	n = write(go[1], "g", 1);
	close(go[1]);
	/*
	 * Wait for the exit, not for the exec: a parent woken by the pipe
	 * closing at exec would preempt the counted child (a context switch
	 * that is not the command's). An exec error is in the pipe after.
	 */
	res = reap_child(s, pid, start, argv[0], interrupts_before, out);
	if (n == 1) {
		do
			n = read(errp[0], &child_err, sizeof(child_err));
		while (n < 0 && errno == EINTR);
	}
	close(errp[0]);
	if (res == SPAWN_OK && n == (ssize_t)sizeof(child_err)) {
		error("cannot run '%s': %s", argv[0], strerror(child_err));
		res = SPAWN_ERROR;
	}
	if (res == SPAWN_OK && counters_read(&ctr, counts))
		res = SPAWN_ERROR;
	counters_release(&ctr);
	return res;
}

char *spawn_find_program(const char *name)
{
	const char *path = getenv("PATH");
	char *copy = xstrdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	char *found = NULL, *save = NULL;
	struct stat st;

	for (char *dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *candidate = xasprintf("%s/%s", dir, name);

		if (!stat(candidate, &st) && S_ISREG(st.st_mode) && !access(candidate, X_OK))
			found = candidate;
		else
			free(candidate);
	}
	free(copy);
	return found;
}

char *spawn_resolve(const char *name)
{
	struct stat st;
	const char *path_env;
	char *found = NULL;

	if (!*name) {
		error("empty command");
		return NULL;
	}
	if (strchr(name, '/')) {
		found = xstrdup(name);
	} else {
		path_env = getenv("PATH");
		if (!path_env || !*path_env)
			path_env = "/usr/local/bin:/usr/bin:/bin";
		for (const char *p = path_env; ; ) {
			const char *colon = strchr(p, ':');
			size_t len = colon ? (size_t)(colon - p) : strlen(p);
			char *candidate = len ? xasprintf("%.*s/%s", (int)len, p, name)
					      : xasprintf("./%s", name);

			if (!stat(candidate, &st) && S_ISREG(st.st_mode) &&
			    !access(candidate, X_OK)) {
				found = candidate;
				break;
			}
			free(candidate);
			if (!colon)
				break;
			p = colon + 1;
		}
		if (!found) {
			error("command not found: '%s'", name);
			return NULL;
		}
		return found;
	}

	if (stat(found, &st)) {
		error("cannot run '%s': %s", name, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		error("cannot run '%s': is a directory", name);
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || access(found, X_OK) ||
	    !(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))) {
		error("cannot run '%s': not executable", name);
		goto fail;
	}
	return found;
fail:
	free(found);
	return NULL;
}

const char *spawn_describe_status(const struct run_sample *r)
{
	static char buf[128];

	if (r->timed_out)
		snprintf(buf, sizeof(buf), "timed out");
	else if (r->signal)
		snprintf(buf, sizeof(buf), "was killed by signal %d (%s)",
			 r->signal, strsignal(r->signal));
	else
		snprintf(buf, sizeof(buf), "exited with code %d", r->exit_code);
	return buf;
}
