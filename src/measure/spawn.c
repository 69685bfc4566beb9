/*
 * spawn: see spawn.h. The measured window of a plain run is [clock before
 * posix_spawn, clock after the exit is seen]; everything that can be
 * prepared is done outside it. Forked children (counted or traced runs)
 * open their window at the go signal or leave timing to their tracer.
 */
#include "measure/spawn.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* What steady catches or ignores, back to the default in every child. */
static const int child_defaults[] = { SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP, SIGCHLD };

static volatile sig_atomic_t interrupted_by;
static volatile sig_atomic_t interrupt_count;
/*
 * The running children's pids, also their process groups; 0 marks a free
 * entry. A plain run uses the first, so publishing it costs one store.
 */
static volatile sig_atomic_t running_groups[SPAWN_MAX_RUNNING];
/*
 * Where no cgroup is made, the group guardian's view of running_groups
 * ("Containment" below): a shared page, mapped before the guardian was
 * forked, or NULL without that guardian. An entry is set after the spawn
 * and cleared before the child is reaped, so while it is set its pid is
 * held by steady's unreaped child and names the group steady started.
 */
static volatile sig_atomic_t *guarded_groups;

static void on_terminate(int sig)
{
	int saved = errno;

	interrupted_by = sig;
	interrupt_count++;
	for (size_t i = 0; i < SPAWN_MAX_RUNNING; i++) {
		pid_t child = running_groups[i];

		if (child > 0)
			kill(-child, SIGKILL);
	}
	errno = saved;
}

/* A free entry of running_groups, or -1 after one error line. */
static int free_running_slot(const struct child_process *cp)
{
	for (int i = 0; i < SPAWN_MAX_RUNNING; i++)
		if (!running_groups[i])
			return i;
	return error("cannot run '%s': already %d children running", cp->argv[0],
		     SPAWN_MAX_RUNNING);
}

/*
 * Called with the termination signals blocked. A traced child is reaped by
 * its tracer, not here, so the group guardian is not told of it (it has
 * PR_SET_PDEATHSIG, as every forked child does).
 */
static void publish_group(struct child_process *cp, int slot)
{
	running_groups[slot] = cp->pid;
	if (guarded_groups && cp->before_exec != CHILD_TRACED)
		guarded_groups[slot] = cp->pid;
	cp->running_slot = slot;
}

/* Before the child is reaped: its pid may be reused once it is. */
static void unguard_group(struct child_process *cp)
{
	if (guarded_groups && cp->running_slot >= 0)
		guarded_groups[cp->running_slot] = 0;
}

static void forget_group(struct child_process *cp)
{
	unguard_group(cp);
	if (cp->running_slot >= 0)
		running_groups[cp->running_slot] = 0;
	cp->running_slot = -1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/*
 * Containment: a process group does not hold a command that calls setsid,
 * and nothing of posix_spawn ties a child to steady's life. Where the
 * cgroup v2 hierarchy is writable (root, or a delegated subtree), steady
 * makes a cgroup of its own, <v2 mount>/steady-<pid>, with two leaves:
 *   run   steady itself lives here while it starts children, so every
 *         child, posix_spawn's included, is born inside it at no cost to
 *         the measured window;
 *   park  where steady steps for the moment it kills run whole with
 *         cgroup.kill (which would otherwise kill steady too).
 * After each child (when none other is running) whatever is left in run
 * besides steady — descendants that left the process group — is killed.
 * A guardian process, forked before steady moves in and left in steady's
 * first cgroup, holds the read end of a pipe: when steady dies in any way
 * (SIGKILL included) the pipe closes and the guardian kills run and
 * removes the cgroups. At exit steady does that itself and waits for the
 * guardian. A cgroup whose owner is gone without its guardian (both
 * killed) is cleaned by the next steady that starts.
 *
 * Where cgroups are not writable (any unprivileged user), that is skipped
 * quietly, and two things stand in for it:
 *   - steady is a child subreaper, so what a command leaves outside its
 *     process group (setsid) becomes steady's child when its parent
 *     exits. After each child, when none other runs, every living child
 *     of steady is such a leftover (but those it had before its first,
 *     inherited across an exec, which are left alone): it is killed with
 *     its group and reaped, and what it started comes to steady in turn,
 *     round after round (sweep_children). What still has a living
 *     parent of its own then is reached a round later, once that parent
 *     is killed. Only what becomes steady's child after the last run's
 *     sweep (a middle process that outlived it) outlives steady.
 *   - a group guardian, forked twice like the cgroup's, reads the pgids
 *     of the running commands from a shared page (guarded_groups: one
 *     store after each spawn, nothing in the measured window but that)
 *     and kills those groups when steady dies (kill_guarded_groups says
 *     why a recycled pgid is not killed). A steady killed by SIGKILL
 *     thus takes its running benchmark's whole group with it; what the
 *     benchmark had moved out of the group (setsid) survives that kill,
 *     as without a cgroup nothing else holds it.
 * At exit, steady closes the guardian's pipe and waits for it, so no
 * guardian outlives a steady that ends. Starting it (two forks at the
 * first child, and the wait at exit) costs steady about 1 ms once.
 *
 * Either way, forked children also get PR_SET_PDEATHSIG(SIGKILL).
 */
enum { CONTAIN_UNTRIED, CONTAIN_ACTIVE, CONTAIN_OFF };

static struct {
	int state;
	pid_t owner;                      /* steady's pid when contained */
	char base[PATH_MAX];              /* <v2>/steady-<pid> */
	char run[PATH_MAX], park[PATH_MAX];
	char run_kill[PATH_MAX], run_events[PATH_MAX];
	char home_procs[PATH_MAX];        /* cgroup.procs of steady's first cgroup */
	int run_procs_fd, park_procs_fd;  /* written to move steady */
	int guardian_fd;                  /* closes when steady ends: the guardian acts */
	int guardian_done_fd;             /* closes when the guardian has exited */
} box = { .run_procs_fd = -1, .park_procs_fd = -1, .guardian_fd = -1, .guardian_done_fd = -1 };

/* out = dir "/" name, or -1 when it does not fit in PATH_MAX. */
static int path_join(char out[PATH_MAX], const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);

	if (a + 1 + b >= PATH_MAX)
		return -1;
	memcpy(out, dir, a);
	out[a] = '/';
	memcpy(out + a + 1, name, b + 1);
	return 0;
}

/* Writes text to the file at path: 0, or -1. Async-signal-safe. */
static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* 1 when cgroup.events at path says "populated 1". Async-signal-safe. */
static int cgroup_populated(const char *events_path)
{
	char buf[256];
	int fd = open(events_path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, "populated 1") != NULL;
}

/*
 * Kills everything in the leaf cgroup dir and removes it, waiting up to
 * a second for the killed to leave. Only syscalls and fixed buffers: the
 * guardian runs it after fork. 0 when the directory is gone.
 */
static int kill_and_remove(const char *dir)
{
	char kill_path[PATH_MAX], events[PATH_MAX];
	struct timespec nap = { 0, 1000000 };

	if (path_join(kill_path, dir, "cgroup.kill") || path_join(events, dir, "cgroup.events"))
		return -1;
	write_file(kill_path, "1");
	for (int i = 0; i < 1000 && cgroup_populated(events); i++)
		nanosleep(&nap, NULL);
	return rmdir(dir) && errno != ENOENT ? -1 : 0;
}

/*
 * Closes every descriptor but a and b: the guardian holds nothing of
 * steady's (a pipe it kept open would keep a reader of steady's output
 * waiting). Three close_range calls, or one close a descriptor before
 * Linux 5.9.
 */
static void close_all_but(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;

	if ((lo == 0 || !close_range(0, (unsigned)lo - 1, 0)) &&
	    (hi == lo + 1 || !close_range((unsigned)lo + 1, (unsigned)hi - 1, 0)) &&
	    !close_range((unsigned)hi + 1, ~0U, 0))
		return;
	for (int fd = 0; fd < 1024; fd++)
		if (fd != a && fd != b)
			close(fd);
}

/*
 * The group guardian's work when steady is gone: kill the process group
 * of each command that was running. Every entry is first pinned with a
 * pidfd, at once: up to steady's death the pid was held by steady's
 * unreaped child, and from then on it is held for as long as that child
 * is alive, so a recycled pid would have needed the child to exit, be
 * reaped by its new parent and the kernel's pid counter to come round
 * the whole pid space before the pin. The group is killed only while the
 * pinned leader is alive and still leads it; then the leader itself,
 * through the pidfd, which cannot name anyone else. (A leader gone
 * already means steady died in the microseconds between seeing its exit
 * and killing its group: what it left in the group is left running.)
 * Without pidfds (before Linux 5.3) the check is getpgid's alone.
 */
static void kill_guarded_groups(void)
{
	int pinned[SPAWN_MAX_RUNNING];
	pid_t leader[SPAWN_MAX_RUNNING];
	size_t n = 0;

	for (size_t i = 0; i < SPAWN_MAX_RUNNING; i++) {
		pid_t pid = guarded_groups[i];

		if (pid <= 0)
			continue;
		pinned[n] = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pinned[n] < 0 && errno != ENOSYS)
			continue;
		leader[n++] = pid;
	}
	/*
	 * A leader that has exited already (a forked child's PR_SET_PDEATHSIG
	 * can beat the guardian) is still pinned, a zombie until its new
	 * parent reaps it: while getpgid says it leads its group, the group
	 * is the one steady started, and what is left in it is killed too.
	 */
	for (size_t i = 0; i < n; i++) {
		if (getpgid(leader[i]) == leader[i])
			kill(-leader[i], SIGKILL);
		if (pinned[i] >= 0) {
			syscall(SYS_pidfd_send_signal, pinned[i], SIGKILL, NULL, 0);
			close(pinned[i]);
		}
	}
}

/*
 * The guardian: waits for steady's end, then empties and removes its
 * cgroup, or without one kills the groups of the commands that were
 * running (guarded_groups). Not steady's child (forked twice), or the
 * tracer's wait for all its children would wait for it too. done_fd
 * closes as it exits.
 */
static void __attribute__((noreturn)) guard(int read_fd, int done_fd)
{
	char byte;
	struct sigaction ign;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	/* Ctrl-C reaches the guardian too: steady handles it and exits. */
	for (size_t i = 0; i < sizeof(child_defaults) / sizeof(*child_defaults); i++)
		sigaction(child_defaults[i], &ign, NULL);
	close_all_but(read_fd, done_fd);
	/* Out of steady's group: a supervisor's killpg of steady spares it. */
	setpgid(0, 0);
	while (read(read_fd, &byte, 1) < 0 && errno == EINTR)
		;
	if (guarded_groups) {
		kill_guarded_groups();
		_exit(0);
	}
	kill_and_remove(box.run);
	kill_and_remove(box.park);
	rmdir(box.base);
	_exit(0);
}

/*
 * Forks the guardian (twice, so that it is not steady's child) and keeps
 * the write end of its pipe in box.guardian_fd and the end that closes
 * when it exits in box.guardian_done_fd. 0, or -1 with nothing started.
 */
static int start_guardian(void)
{
	int pipefd[2], donefd[2];
	pid_t pid;
	int status;

	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	if (pipe2(donefd, O_CLOEXEC)) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		close(pipefd[1]);
		close(donefd[0]);
		if (fork() == 0)
			guard(pipefd[0], donefd[1]);
		_exit(0);
	}
	close(pipefd[0]);
	close(donefd[1]);
	if (pid < 0) {
		close(pipefd[1]);
		close(donefd[0]);
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	box.guardian_fd = pipefd[1];
	box.guardian_done_fd = donefd[0];
	return 0;
}

/* Tells the guardian that steady ends, and waits until it has exited. */
static void stop_guardian(void)
{
	char byte;

	if (box.guardian_fd < 0)
		return;
	close_fd(&box.guardian_fd);
	/* Gone when steady is: nothing of steady outlives it. */
	while (read(box.guardian_done_fd, &byte, 1) < 0 && errno == EINTR)
		;
	close_fd(&box.guardian_done_fd);
}

/* The cgroup2 mount point from /proc/self/mountinfo into out, or -1. */
static int find_cgroup2(char *out, size_t size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;
	int found = -1;

	if (!f)
		return -1;
	while (found < 0 && getline(&line, &cap, f) > 0) {
		char mnt[PATH_MAX], fstype[64];
		const char *dash = strstr(line, " - ");

		/* id parent major:minor root mount-point options ... - fstype */
		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(dash + 3, "%63s", fstype) != 1)
			continue;
		/* A mount point with a space is escaped (\040): not ours to use. */
		if (!strcmp(fstype, "cgroup2") && !strchr(mnt, '\\') &&
		    strlen(mnt) < size) {
			strcpy(out, mnt);
			found = 0;
		}
	}
	free(line);
	fclose(f);
	return found;
}

/* steady's own v2 cgroup ("/..." from the "0::" line), or -1. */
static int own_cgroup(char *out, size_t size)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char *line = NULL;
	size_t cap = 0;
	int found = -1;

	if (!f)
		return -1;
	while (found < 0 && getline(&line, &cap, f) > 0) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (strlen(line + 3) < size) {
			strcpy(out, line + 3);
			found = 0;
		}
	}
	free(line);
	fclose(f);
	return found;
}

/*
 * steady-<pid> cgroups under mount whose owner is gone (killed with its
 * guardian): their commands are killed and the cgroups removed. Another
 * pid namespace sharing the hierarchy could own one of these names; a
 * cgroup whose owner is alive here is always left alone.
 */
static void clean_stale(const char *mount)
{
	DIR *d = opendir(mount);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char *end, base[PATH_MAX], leaf[PATH_MAX];
		long pid;

		if (strncmp(e->d_name, "steady-", 7))
			continue;
		pid = strtol(e->d_name + 7, &end, 10);
		if (*end || pid <= 0 || pid == getpid() ||
		    !(kill((pid_t)pid, 0) < 0 && errno == ESRCH))
			continue;
		if (path_join(base, mount, e->d_name))
			continue;
		if (!path_join(leaf, base, "run"))
			kill_and_remove(leaf);
		if (!path_join(leaf, base, "park"))
			kill_and_remove(leaf);
		rmdir(base);
	}
	closedir(d);
}

static void uncontain(void);

/* Sets up the cgroup and the guardian; CONTAIN_OFF, quietly, where it cannot. */
static void contain(void)
{
	char mount[PATH_MAX], home[PATH_MAX], probe[PATH_MAX], name[32];

	box.state = CONTAIN_OFF;
	if (find_cgroup2(mount, sizeof(mount)) || own_cgroup(home, sizeof(home)))
		return;
	box.owner = getpid();
	clean_stale(mount);
	snprintf(name, sizeof(name), "steady-%ld", (long)box.owner);
	if (path_join(box.base, mount, name) || path_join(box.run, box.base, "run") ||
	    path_join(box.park, box.base, "park") ||
	    path_join(box.run_kill, box.run, "cgroup.kill") ||
	    path_join(box.run_events, box.run, "cgroup.events") ||
	    path_join(probe, mount, strcmp(home, "/") ? home + 1 : ".") ||
	    path_join(box.home_procs, probe, "cgroup.procs"))
		return;
	if (mkdir(box.base, 0755))
		return;
	if (mkdir(box.run, 0755) || mkdir(box.park, 0755))
		goto undo;
	/* cgroup.kill came with Linux 5.14: without it, no whole kill. */
	if (access(box.run_kill, W_OK))
		goto undo;
	if (!path_join(probe, box.run, "cgroup.procs"))
		box.run_procs_fd = open(probe, O_RDWR | O_CLOEXEC);
	if (!path_join(probe, box.park, "cgroup.procs"))
		box.park_procs_fd = open(probe, O_WRONLY | O_CLOEXEC);
	if (box.run_procs_fd < 0 || box.park_procs_fd < 0 || start_guardian())
		goto undo;
	/* Moved in only now: the guardian stays out, in steady's first cgroup. */
	if (write(box.run_procs_fd, "0", 1) != 1) {
		uncontain();
		box.state = CONTAIN_OFF;
		return;
	}
	box.state = CONTAIN_ACTIVE;
	atexit(uncontain);
	return;
undo:
	close_fd(&box.run_procs_fd);
	close_fd(&box.park_procs_fd);
	rmdir(box.run);
	rmdir(box.park);
	rmdir(box.base);
}

/* At exit: steady back home, its cgroup emptied and removed, the guardian gone. */
static void uncontain(void)
{
	if (box.guardian_fd < 0)
		return;
	write_file(box.home_procs, "0");
	kill_and_remove(box.run);
	kill_and_remove(box.park);
	rmdir(box.base);
	close_fd(&box.run_procs_fd);
	close_fd(&box.park_procs_fd);
	stop_guardian();
	box.state = CONTAIN_OFF;
}

/*
 * Without a cgroup: the shared page of guarded_groups and a guardian that
 * kills those groups when steady dies. Quietly nothing where it cannot.
 */
static void guard_groups(void)
{
	void *page = mmap(NULL, SPAWN_MAX_RUNNING * sizeof(*guarded_groups),
			  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (page == MAP_FAILED)
		return;
	/* Set before the fork: the guardian's copy says which work is its. */
	guarded_groups = page;
	if (start_guardian()) {
		guarded_groups = NULL;
		munmap(page, SPAWN_MAX_RUNNING * sizeof(*guarded_groups));
		return;
	}
	atexit(stop_guardian);
}

/*
 * Children steady had before it started any (a shell's background job
 * that then exec'd steady, say): not steady's to kill, nor what they
 * start in their process groups (it comes to steady when they exit).
 * Noted before its first child; an entry goes when steady reaps it.
 * More than the array holds, and the sweep is off: nothing is killed
 * that might be someone else's.
 */
static pid_t inherited[256], inherited_groups[256];
static size_t nr_inherited, nr_inherited_groups;
static int sweep_off;

static size_t list_children(pid_t *out, size_t max);

static int is_inherited(pid_t pid)
{
	for (size_t i = 0; i < nr_inherited; i++)
		if (inherited[i] == pid)
			return 1;
	return 0;
}

static void forget_inherited(pid_t pid)
{
	for (size_t i = 0; i < nr_inherited; i++)
		if (inherited[i] == pid) {
			inherited[i] = inherited[--nr_inherited];
			return;
		}
}

/* Lists the inherited children, after one waitid says whether there are any. */
static void note_inherited(void)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT))
		return;
	nr_inherited = list_children(inherited, sizeof(inherited) / sizeof(*inherited));
	if (nr_inherited == sizeof(inherited) / sizeof(*inherited))
		sweep_off = 1;
	for (size_t i = 0; i < nr_inherited; i++) {
		pid_t group = getpgid(inherited[i]);

		if (group > 0)
			inherited_groups[nr_inherited_groups++] = group;
	}
}

static int in_inherited_group(pid_t pid)
{
	pid_t group = getpgid(pid);

	for (size_t i = 0; i < nr_inherited_groups; i++)
		if (inherited_groups[i] == group)
			return 1;
	return 0;
}

static void contain_once(void)
{
	if (box.state != CONTAIN_UNTRIED)
		return;
	note_inherited();
	contain();
	if (box.state == CONTAIN_OFF)
		guard_groups();
	/*
	 * Orphans of the commands become steady's to reap (and to kill).
	 * Only now: the guardian, forked twice, must not become steady's.
	 */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
}

/* 1 when cgroup run holds a process besides steady. */
static int run_has_strangers(void)
{
	char buf[4096];
	ssize_t n = pread(box.run_procs_fd, buf, sizeof(buf) - 1, 0);
	char *p = buf, *end;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (;;) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			return 0;
		if (pid != box.owner)
			return 1;
		p = end;
	}
}

/* The parent of process pid from /proc/<pid>/stat, or -1. */
static pid_t parent_of(long pid)
{
	char path[64], buf[512];
	const char *close_paren;
	long ppid;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold ')' itself. */
	close_paren = strrchr(buf, ')');
	if (!close_paren || sscanf(close_paren + 1, " %*c %ld", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

/*
 * Up to max of steady's children not inherited (living, or not reaped
 * yet) into out; their number. There is no list of a process's children
 * without CONFIG_PROC_CHILDREN: /proc is scanned for their parent's pid.
 */
static size_t list_children(pid_t *out, size_t max)
{
	pid_t self = getpid();
	size_t n = 0;
	DIR *proc = opendir("/proc");
	struct dirent *e;

	if (!proc)
		return 0;
	while (n < max && (e = readdir(proc))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end || pid <= 0 || parent_of(pid) != self || is_inherited((pid_t)pid) ||
		    in_inherited_group((pid_t)pid))
			continue;
		out[n++] = (pid_t)pid;
	}
	closedir(proc);
	return n;
}

enum { KILL_BATCH = 256 };

/*
 * Kills steady's living children (but the inherited), each with its
 * process group (the pid is held while the child is unreaped, so the
 * group is the one it leads), and reaps them. The number killed (at most
 * KILL_BATCH), 0 when none was found.
 */
static size_t kill_living_children(void)
{
	pid_t killed[KILL_BATCH];
	size_t n = sweep_off ? 0 : list_children(killed, KILL_BATCH);

	for (size_t i = 0; i < n; i++) {
		if (getpgid(killed[i]) == killed[i])
			kill(-killed[i], SIGKILL);
		kill(killed[i], SIGKILL);
	}
	for (size_t i = 0; i < n; i++)
		while (waitpid(killed[i], NULL, __WALL) < 0 && errno == EINTR)
			;
	return n;
}

/*
 * Reaps steady's exited children. With none of its commands running, a
 * child still alive is what a command left outside its process group
 * (it called setsid, or it is what such a process started): an orphan
 * that came to steady as the subreaper. Those are killed and reaped;
 * their own children come to steady in turn, so this goes on, a bounded
 * number of rounds, until steady has no child left but the inherited.
 * The common case, no child at all, costs the one waitid that says so;
 * a living inherited child costs a scan of /proc after every run.
 */
static void sweep_children(void)
{
	for (int round = 0; round < 64; round++) {
		siginfo_t info;

		for (;;) {
			memset(&info, 0, sizeof(info));
			if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG)) {
				if (errno == EINTR)
					continue;
				return; /* ECHILD: none left */
			}
			if (!info.si_pid)
				break; /* some are alive */
			forget_inherited(info.si_pid);
		}
		if (!kill_living_children())
			return;
	}
}

/*
 * After a child is reaped and none other runs: kills whatever the
 * commands left behind outside their process groups (the cgroup, then
 * the orphans that came to steady as their subreaper) and reaps it.
 */
static void sweep_leftovers(void)
{
	for (size_t i = 0; i < SPAWN_MAX_RUNNING; i++)
		if (running_groups[i])
			return;
	if (box.state == CONTAIN_ACTIVE && run_has_strangers()) {
		/* Out of run for the kill, and back for the next child. */
		if (write(box.park_procs_fd, "0", 1) == 1) {
			write_file(box.run_kill, "1");
			if (write(box.run_procs_fd, "0", 1) != 1)
				box.state = CONTAIN_OFF;
		}
	}
	sweep_children();
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

int spawn_exit_code(int code)
{
	return spawn_interrupted() ? EXIT_INTERRUPTED : code;
}

int spawn_interrupted(void)
{
	return interrupted_by;
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
	if (s->devnull >= 0) {
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
static int no_pidfd; /* ENOSYS once is ENOSYS for good */

static int wait_with_deadline(pid_t pid, int64_t deadline_ns)
{
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
		/* Whole milliseconds, and within an int: --timeout allows a year. */
		n = poll(&pfd, 1, left / 1000000 >= INT_MAX ? INT_MAX :
				  (int)((left + 999999) / 1000000));
		/* EINTR from Ctrl-C needs nothing: the handler killed the
		 * child, so the pidfd turns readable at the next poll. */
		if (n > 0)
			break;
	}
	close(pidfd);
	return ret;
}

/* The signal that stopped pid (not reaped), or 0 when it is not stopped. */
static int stopped_by(pid_t pid)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	if (waitid(P_PID, (id_t)pid, &info, WSTOPPED | WNOHANG | WNOWAIT) ||
	    info.si_pid != pid || info.si_code != CLD_STOPPED)
		return 0;
	return info.si_status;
}

int wait_command_until(struct child_process *cp, int64_t deadline_ns)
{
	return wait_with_deadline(cp->pid, deadline_ns);
}

/*
 * Waits for cp's child (with the timeout), kills what it left in its
 * group, reaps it and fills out. The window closes when the exit is seen.
 */
static enum spawn_result reap(struct child_process *cp, struct run_sample *out)
{
	struct spawner *s = cp->spawner;
	pid_t pid = cp->pid;
	struct rusage ru;
	int64_t end;
	pid_t got;
	int status = 0, timed_out = 0, stop_signal = 0;

	if (s->timeout > 0) {
		int64_t deadline = cp->start_ns + (int64_t)(s->timeout * 1e9);
		if (wait_with_deadline(pid, deadline)) {
			/* A child that stopped itself is that, not slow. */
			stop_signal = stopped_by(pid);
			timed_out = !stop_signal;
			kill(-pid, SIGKILL);
		}
	}
	/*
	 * Wait for the exit without reaping: while the child is a zombie its
	 * pid (the group's id) cannot be reused, so whatever it left running
	 * in its process group can be killed without hitting a stranger.
	 * Leftovers would otherwise run on into the next runs. A child that
	 * stops itself (SIGSTOP, or SIGTSTP/SIGTTIN/SIGTTOU under a job
	 * control it does not have here) would never exit: it is killed and
	 * reported as a failed run.
	 */
	for (;;) {
		siginfo_t info;
		int flags = WEXITED | WNOWAIT | (stop_signal ? 0 : WSTOPPED);

		memset(&info, 0, sizeof(info));
		if (!waitid(P_PID, (id_t)pid, &info, flags)) {
			if (info.si_code != CLD_STOPPED)
				break;
			stop_signal = info.si_status;
			kill(-pid, SIGKILL);
			continue;
		}
		if (errno != EINTR) {
			forget_group(cp);
			error("cannot wait for '%s': %s", cp->argv[0], strerror(errno));
			return SPAWN_ERROR;
		}
		/* EINTR: the handler already killed the group; reap it. */
	}
	end = monotonic_ns();
	kill(-pid, SIGKILL);
	/* Before the reap: once reaped, the pid (and group id) may be reused. */
	forget_group(cp);
	do
		got = wait4(pid, &status, 0, &ru);
	while (got < 0 && errno == EINTR);
	sweep_leftovers();
	if (got != pid) {
		error("cannot wait for '%s': %s", cp->argv[0], strerror(errno));
		return SPAWN_ERROR;
	}

	if (interrupt_count != cp->interrupts_before)
		return SPAWN_INTERRUPTED;

	memset(out, 0, sizeof(*out));
	out->wall_ns = end - cp->start_ns;
	fill_sample(out, status, &ru);
	out->timed_out = timed_out;
	if (stop_signal) {
		out->stopped = 1;
		out->signal = (unsigned char)stop_signal;
		out->exit_code = -1;
	}
	out->env_pad = -1;
	out->seq = -1;
	return SPAWN_OK;
}

/*
 * Blocks the termination signals until the child's pid is published, so
 * the handler can never miss a child it should kill.
 */
static void block_termination(sigset_t *saved)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, saved);
}

/*
 * In a forked child before exec (async-signal-safe): what posix_spawn's
 * attributes and file actions give a CHILD_EXEC child. 0, or -1 with errno.
 */
static int child_policy(const struct child_process *cp)
{
	int devnull = cp->spawner->devnull, show_output = cp->spawner->show_output;

	struct sigaction dfl;
	sigset_t none;

	setpgid(0, 0);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (size_t i = 0; i < sizeof(child_defaults) / sizeof(*child_defaults); i++)
		sigaction(child_defaults[i], &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(devnull, 0) < 0)
		return -1;
	if (cp->out_fd >= 0) {
		if (dup2(cp->out_fd, 1) < 0 || dup2(cp->out_fd, 2) < 0)
			return -1;
	} else if (!show_output && (dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0)) {
		return -1;
	}
	if (cp->dir && chdir(cp->dir) < 0)
		return -1;
	return 0;
}

/* In such a child: errno into err_fd (close-on-exec), then _exit(127). */
static void __attribute__((noreturn)) child_fail(int err_fd)
{
	int err = errno;

	while (write(err_fd, &err, sizeof(err)) < 0 && errno == EINTR)
		;
	_exit(127);
}

/*
 * A forked child up to its exec: only async-signal-safe calls. A closed
 * go pipe means the parent gave up; a failure before the exec is reported
 * through err_fd, which a successful exec closes.
 */
static void __attribute__((noreturn))
forked_child(const struct child_process *cp, pid_t parent, int go_fd, int err_fd)
{
	char go;
	ssize_t n;

	/*
	 * Dies with steady, even by SIGKILL; a parent gone before the prctl
	 * took effect is seen as a new parent.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(127);
	if (child_policy(cp))
		child_fail(err_fd);
	switch (cp->before_exec) {
	case CHILD_AWAIT_GO:
		do
			n = read(go_fd, &go, 1);
		while (n < 0 && errno == EINTR);
		if (n != 1)
			_exit(127);
		break;
	case CHILD_TRACED:
		/* Stopped, so the tracer can set its options before the exec. */
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			child_fail(err_fd);
		raise(SIGSTOP);
		break;
	case CHILD_EXEC:
		break;
	}
	execve(cp->path, cp->argv, cp->envp);
	child_fail(err_fd);
}

static int start_forked(struct child_process *cp)
{
	int go[2] = { -1, -1 }, errp[2];
	sigset_t saved;
	pid_t pid, parent = getpid();
	int slot = free_running_slot(cp);

	if (slot < 0)
		return -1;
	if (cp->before_exec == CHILD_AWAIT_GO && pipe2(go, O_CLOEXEC))
		return error("cannot create a pipe: %s", strerror(errno));
	if (pipe2(errp, O_CLOEXEC)) {
		close_fd(&go[0]);
		close_fd(&go[1]);
		return error("cannot create a pipe: %s", strerror(errno));
	}
	block_termination(&saved);
	pid = fork();
	if (pid == 0) {
		close(errp[0]);
		close_fd(&go[1]);
		forked_child(cp, parent, go[0], errp[1]);
	}
	close_fd(&go[0]);
	close(errp[1]);
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &saved, NULL);
		close_fd(&go[1]);
		close(errp[0]);
		return error("cannot run '%s': %s", cp->argv[0], strerror(errno));
	}
	/* Also here: the group must exist before the handler may kill it. */
	setpgid(pid, pid);
	cp->pid = pid;
	cp->go_fd = go[1];
	cp->err_fd = errp[0];
	cp->start_ns = monotonic_ns();
	publish_group(cp, slot);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	return 0;
}

/*
 * posix_spawn's file actions for a child with its own output or directory:
 * the spawner's stdin, then out_fd or the spawner's output policy, then the
 * change of directory. 0, or an errno value.
 */
static int own_file_actions(const struct child_process *cp, posix_spawn_file_actions_t *fa)
{
	const struct spawner *s = cp->spawner;
	int out = cp->out_fd >= 0 ? cp->out_fd : s->show_output ? -1 : s->devnull;
	int err;

	posix_spawn_file_actions_init(fa);
	err = posix_spawn_file_actions_adddup2(fa, s->devnull, 0);
	if (!err && out >= 0)
		err = posix_spawn_file_actions_adddup2(fa, out, 1);
	if (!err && out >= 0)
		err = posix_spawn_file_actions_adddup2(fa, out, 2);
	if (!err && cp->dir)
		err = posix_spawn_file_actions_addchdir_np(fa, cp->dir);
	if (err)
		posix_spawn_file_actions_destroy(fa);
	return err;
}

int start_command(struct child_process *cp)
{
	struct spawner *s = cp->spawner;
	posix_spawn_file_actions_t own, *actions = &s->actions;
	int own_actions = cp->out_fd >= 0 || cp->dir;
	sigset_t saved;
	int err, slot;

	cp->interrupts_before = interrupt_count;
	cp->go_fd = cp->err_fd = -1;
	/* No run starts after a signal, whichever command asks. */
	if (interrupted_by && !s->runs_after_interrupt) {
		cp->pid = -1;
		return -1;
	}
	contain_once();
	if (cp->before_exec != CHILD_EXEC)
		return start_forked(cp);
	slot = free_running_slot(cp);
	if (slot < 0)
		return -1;
	if (own_actions) {
		err = own_file_actions(cp, &own);
		if (err)
			return error("cannot prepare to run '%s': %s", cp->argv[0], strerror(err));
		actions = &own;
	}

	/* The measured window holds this posix_spawn and reap()'s wait. */
	block_termination(&saved);
	cp->start_ns = monotonic_ns();
	err = posix_spawn(&cp->pid, cp->path, actions, &s->attr, cp->argv, cp->envp);
	if (err) {
		sigprocmask(SIG_SETMASK, &saved, NULL);
		cp->pid = -1;
		if (own_actions)
			posix_spawn_file_actions_destroy(&own);
		return error("cannot run '%s': %s", cp->argv[0], strerror(err));
	}
	publish_group(cp, slot);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (own_actions)
		posix_spawn_file_actions_destroy(&own);
	return 0;
}

void command_go(struct child_process *cp)
{
	cp->start_ns = monotonic_ns();
	if (write(cp->go_fd, "g", 1) != 1) {
		/* Gone already: finish_command() says why (err_fd, status). */
	}
	close_fd(&cp->go_fd);
}

/* The errno a forked child sent before its exec, 0 if it exec'd (or none). */
static int child_error(struct child_process *cp)
{
	int err = 0;
	ssize_t n;

	if (cp->err_fd < 0)
		return 0;
	/* The child is gone: the pipe holds its errno or nothing. */
	do
		n = read(cp->err_fd, &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close_fd(&cp->err_fd);
	return n == (ssize_t)sizeof(err) ? err : 0;
}

enum spawn_result finish_command(struct child_process *cp, struct run_sample *out)
{
	enum spawn_result res = SPAWN_OK;
	int err;

	if (cp->before_exec == CHILD_EXEC)
		return reap(cp, out);
	/* Never told to go: the child reads EOF and exits. */
	close_fd(&cp->go_fd);
	/*
	 * Wait for the exit, not for the exec: a parent woken by the error
	 * pipe closing at exec would preempt a counted child (a context
	 * switch that is not the command's). The exec error is read after.
	 */
	if (cp->before_exec != CHILD_TRACED)
		res = reap(cp, out);
	forget_group(cp);
	sweep_leftovers();
	err = child_error(cp);
	if (res != SPAWN_OK)
		return res;
	if (interrupt_count != cp->interrupts_before)
		return SPAWN_INTERRUPTED;
	if (err) {
		error("cannot run '%s': %s", cp->argv[0], strerror(err));
		return SPAWN_ERROR;
	}
	return SPAWN_OK;
}

/* 1 when the child has exited (not reaped: it stays for finish_command). */
static int has_exited(const struct child_process *cp)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	return !waitid(P_PID, (id_t)cp->pid, &info, WEXITED | WNOHANG | WNOWAIT) &&
	       info.si_pid == cp->pid;
}

/*
 * Sleeps until one of the children may have exited: their pidfds polled
 * together, or without pidfds a 10 ms nap (what is waited for here are
 * builds, which take seconds). A signal cuts either short.
 */
static void await_some_exit(struct child_process *const *cps, size_t n)
{
	struct pollfd pfds[SPAWN_MAX_RUNNING];
	size_t open_fds = 0;
	struct timespec nap = { 0, 10000000 };

	for (size_t i = 0; i < n && !no_pidfd; i++) {
		int fd = (int)syscall(SYS_pidfd_open, cps[i]->pid, 0);

		if (fd < 0) {
			no_pidfd = errno == ENOSYS;
			break;
		}
		pfds[open_fds].fd = fd;
		pfds[open_fds++].events = POLLIN;
	}
	if (open_fds == n)
		poll(pfds, open_fds, -1);
	else
		nanosleep(&nap, NULL);
	for (size_t i = 0; i < open_fds; i++)
		close(pfds[i].fd);
}

int wait_any_command(struct child_process *const *cps, size_t n)
{
	if (!n || n > SPAWN_MAX_RUNNING)
		return error("cannot wait for %zu children at once", n);
	for (;;) {
		for (size_t i = 0; i < n; i++)
			if (interrupt_count != cps[i]->interrupts_before)
				return -1;
		for (size_t i = 0; i < n; i++)
			if (has_exited(cps[i]))
				return (int)i;
		await_some_exit(cps, n);
	}
}

int abort_command(struct child_process *cp, int reaped)
{
	int status;

	close_fd(&cp->go_fd);
	if (!reaped) {
		kill(-cp->pid, SIGKILL);
		unguard_group(cp);
		while (waitpid(cp->pid, &status, __WALL) < 0 && errno == EINTR)
			;
	}
	forget_group(cp);
	sweep_leftovers();
	return child_error(cp);
}

/* A child_process of s for path, argv and envp, started as before_exec says. */
static void child_of(struct child_process *cp, struct spawner *s, const char *path,
		     char *const argv[], char *const envp[], enum child_before_exec before_exec)
{
	cp->spawner = s;
	cp->path = path;
	cp->argv = argv;
	cp->envp = envp;
	cp->before_exec = before_exec;
}

enum spawn_result spawner_run(struct spawner *s, const char *path,
			      char *const argv[], char *const envp[],
			      struct run_sample *out)
{
	struct child_process cp = CHILD_PROCESS_INIT;

	child_of(&cp, s, path, argv, envp, CHILD_EXEC);
	if (start_command(&cp))
		return spawn_interrupted() ? SPAWN_INTERRUPTED : SPAWN_ERROR;
	return finish_command(&cp, out);
}

enum spawn_result spawner_run_counted(struct spawner *s, const char *path,
				      char *const argv[], char *const envp[],
				      struct run_sample *out,
				      struct counter_reading *counts)
{
	struct child_process cp = CHILD_PROCESS_INIT;
	struct counters ctr;
	enum spawn_result res;

	if (!s->events)
		return spawner_run(s, path, argv, envp, out);
	child_of(&cp, s, path, argv, envp, CHILD_AWAIT_GO);
	if (start_command(&cp))
		return spawn_interrupted() ? SPAWN_INTERRUPTED : SPAWN_ERROR;
	if (counters_open(&ctr, s->events, cp.pid)) {
		int gone = errno == ESRCH, err = abort_command(&cp, 0);

		/* Ctrl-C between the start and the open killed the child first. */
		if (spawn_interrupted())
			return SPAWN_INTERRUPTED;
		if (err)
			error("cannot run '%s': %s", argv[0], strerror(err));
		else if (gone)
			error("'%s' was killed before its run started", argv[0]);
		return SPAWN_ERROR;
	}
	if (ctr.denied)
		s->counting_denied = 1;
	command_go(&cp);
	res = finish_command(&cp, out);
	if (res == SPAWN_OK && counters_read(&ctr, counts))
		res = SPAWN_ERROR;
	counters_release(&ctr);
	return res;
}

enum spawn_result spawn_run_captured(const char *path, char *const argv[],
				     char *const envp[], const char *dir,
				     int out_fd, int err_fd, int *exit_code)
{
	struct spawner s;
	struct run_sample sample;
	enum spawn_result res;
	int err;

	/* posix_spawn would blame the program for a directory it cannot enter. */
	if (dir && access(dir, X_OK)) {
		error("cannot run '%s' in '%s': %s", argv[0], dir, strerror(errno));
		return SPAWN_ERROR;
	}
	/*
	 * A spawner of its own, whose show_output leaves stdout and stderr
	 * out of the prepared file actions: the redirections below are then
	 * the only ones, and no measured run's spawner is touched.
	 */
	if (spawner_init(&s, 1, 0))
		return SPAWN_ERROR;
	err = posix_spawn_file_actions_adddup2(&s.actions, out_fd >= 0 ? out_fd : s.devnull, 1);
	if (!err)
		err = posix_spawn_file_actions_adddup2(&s.actions, err_fd >= 0 ? err_fd : s.devnull, 2);
	if (!err && dir)
		err = posix_spawn_file_actions_addchdir_np(&s.actions, dir);
	if (err) {
		spawner_release(&s);
		error("cannot prepare to run '%s': %s", argv[0], strerror(err));
		return SPAWN_ERROR;
	}
	res = spawner_run(&s, path, argv, envp ? envp : environ, &sample);
	spawner_release(&s);
	if (res == SPAWN_OK)
		*exit_code = sample.signal ? 128 + sample.signal : sample.exit_code;
	return res;
}

/*
 * name looked up in each entry of PATH as execvp does: an empty entry (a
 * leading or trailing ':', or '::') is the current directory. An unset or
 * empty PATH is the usual default. A new string, or NULL.
 */
static char *search_path(const char *name)
{
	const char *path_env = getenv("PATH");
	struct stat st;

	if (!path_env || !*path_env)
		path_env = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path_env; ; ) {
		const char *colon = strchr(p, ':');
		size_t len = colon ? (size_t)(colon - p) : strlen(p);
		char *candidate = len ? xasprintf("%.*s/%s", (int)len, p, name)
				      : xasprintf("./%s", name);

		if (!stat(candidate, &st) && S_ISREG(st.st_mode) && !access(candidate, X_OK))
			return candidate;
		free(candidate);
		if (!colon)
			return NULL;
		p = colon + 1;
	}
}

char *spawn_find_program(const char *name)
{
	return search_path(name);
}

char *spawn_resolve(const char *name)
{
	struct stat st;
	char *found;

	if (!*name) {
		error("empty command");
		return NULL;
	}
	if (!strchr(name, '/')) {
		found = search_path(name);
		if (!found)
			error("command not found: '%s'", name);
		return found;
	}

	if (stat(name, &st)) {
		error("cannot run '%s': %s", name, strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		error("cannot run '%s': is a directory", name);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || access(name, X_OK) ||
	    !(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))) {
		error("cannot run '%s': not executable", name);
		return NULL;
	}
	return xstrdup(name);
}

const char *spawn_describe_status(const struct run_sample *r)
{
	static char buf[128];

	if (r->timed_out)
		snprintf(buf, sizeof(buf), "timed out");
	else if (r->stopped)
		snprintf(buf, sizeof(buf), "stopped itself (SIG%s): killed",
			 sigabbrev_np(r->signal) ? sigabbrev_np(r->signal) : "?");
	else if (r->signal)
		snprintf(buf, sizeof(buf), "was killed by signal %d (%s)",
			 r->signal, strsignal(r->signal));
	else
		snprintf(buf, sizeof(buf), "exited with code %d", r->exit_code);
	return buf;
}
