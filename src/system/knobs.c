/*
 * knobs: see knobs.h.
 *
 * Why a walk of O_NOFOLLOW opens rather than one openat2() with
 * RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH: on a real machine the governor
 * and minimum frequency are reached through cpuN/cpufreq, a symbolic link
 * the kernel makes to ../cpufreq/policyM, which RESOLVE_NO_SYMLINKS refuses
 * outright. The walk refuses every other link just as firmly (each step is
 * one name opened with O_NOFOLLOW from the directory before it), and it can
 * never climb out of the root: the list admits no "." or "..", and without
 * links there is no other way up. The kernel's link is not followed either:
 * its target is read, checked to be exactly ../cpufreq/policyN, and that
 * path is walked the same way from the cpu directory already open.
 */
#include "system/knobs.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

struct knob {
	const char *check;   /* the check of system/checks.c that tunes it */
	const char *path;    /* "#" is a CPU or IRQ number */
	int policy_link;     /* under cpuN/cpufreq, which may be the kernel's link */
};

/* Every file a tune function writes, and nothing else. */
static const struct knob knobs[] = {
	{ "cpu-governor", "/sys/devices/system/cpu/cpu#/cpufreq/scaling_governor", 1 },
	{ "min-frequency", "/sys/devices/system/cpu/cpu#/cpufreq/scaling_min_freq", 1 },
	{ "turbo", "/sys/devices/system/cpu/intel_pstate/no_turbo", 0 },
	{ "turbo", "/sys/devices/system/cpu/cpufreq/boost", 0 },
	{ "aslr", "/proc/sys/kernel/randomize_va_space", 0 },
	{ "perf-sample-rate", "/proc/sys/kernel/perf_event_max_sample_rate", 0 },
	{ "irq-affinity", "/proc/irq/default_smp_affinity", 0 },
	{ "irq-affinity", "/proc/irq/#/smp_affinity", 0 },
	{ "smt", "/sys/devices/system/cpu/cpu#/online", 0 },
	{ "thp", "/sys/kernel/mm/transparent_hugepage/enabled", 0 },
};

/* The deepest knob has 8 components; the root's descriptor comes first. */
#define MAX_DEPTH 10

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/*
 * Skips a number as the kernel names CPUs and IRQs ("0", "17"; not "017",
 * "+1" or a 10-digit one): the length taken, 0 when there is none.
 */
static size_t number_length(const char *s)
{
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (!n || n > 9 || (s[0] == '0' && n > 1))
		return 0;
	return n;
}

static int path_matches(const char *pattern, const char *path)
{
	while (*pattern) {
		if (*pattern == '#') {
			size_t n = number_length(path);

			if (!n)
				return 0;
			path += n;
			pattern++;
		} else if (*pattern++ != *path++) {
			return 0;
		}
	}
	return !*path;
}

static const struct knob *find_knob(const char *path)
{
	for (size_t i = 0; i < sizeof(knobs) / sizeof(*knobs); i++)
		if (path_matches(knobs[i].path, path))
			return &knobs[i];
	return NULL;
}

const char *knob_check(const char *path)
{
	const struct knob *k = find_knob(path);

	return k ? k->check : NULL;
}

/*
 * One directory below dir, never through a link: a descriptor, or -1 with
 * errno ELOOP for a symbolic link (O_NOFOLLOW | O_DIRECTORY says ENOTDIR
 * for one, as for a file).
 */
static int open_dir(int dir, const char *name)
{
	int fd = openat(dir, name, DIR_FLAGS);
	struct stat st;

	if (fd < 0 && (errno == ENOTDIR || errno == ELOOP)) {
		int saved = errno;

		errno = !fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) && S_ISLNK(st.st_mode) ?
			ELOOP : saved;
	}
	return fd;
}

/*
 * cpu_dir/cpuN/cpufreq is a link (the kernel's, on a real machine): opens
 * the policy directory it names, if the target is exactly
 * ../cpufreq/policyM, walking cpufreq and policyM from cpu_dir with
 * O_NOFOLLOW. A descriptor, or -1 with *refused or errno set.
 */
static int open_policy_link(int cpu_dir, int cpun_dir, char **refused)
{
	static const char prefix[] = "../cpufreq/policy";
	char target[64];
	ssize_t len = readlinkat(cpun_dir, "cpufreq", target, sizeof(target) - 1);
	int cpufreq, policy;

	if (len < 0)
		return -1;
	target[len] = '\0';
	/* The target is not shown: it could hold anything, escapes included. */
	if (strncmp(target, prefix, strlen(prefix)) || !number_length(target + strlen(prefix)) ||
	    number_length(target + strlen(prefix)) != strlen(target + strlen(prefix))) {
		*refused = xstrdup("'cpufreq' is a symbolic link, and not the kernel's to ../cpufreq/policyN");
		return -1;
	}
	cpufreq = open_dir(cpu_dir, "cpufreq");
	if (cpufreq < 0) {
		if (errno == ELOOP)
			*refused = xstrdup("'cpufreq' (the policies' directory) is a symbolic link");
		return -1;
	}
	policy = open_dir(cpufreq, target + strlen("../cpufreq/"));
	if (policy < 0 && errno == ELOOP)
		*refused = xasprintf("'%s' is a symbolic link", target + strlen("../cpufreq/"));
	close(cpufreq);
	return policy;
}

/*
 * The last component of path, opened for writing from dir: a regular
 * file with one name, or -1 with *refused or errno set.
 */
static int open_file(int dir, const char *name, char **refused)
{
	struct stat st;
	int fd, saved;

	/* A device or FIFO is not even opened: opening one can do things. */
	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW))
		return -1;
	if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
		*refused = xasprintf("'%s' is not a regular file", name);
		return -1;
	}
	/* O_NONBLOCK: should a FIFO appear since, it must not hang reset. */
	fd = openat(dir, name, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP)
			*refused = xasprintf("'%s' is a symbolic link", name);
		else if (errno == ENXIO)
			*refused = xasprintf("'%s' is not a regular file", name);
		return -1;
	}
	if (fstat(fd, &st) || fcntl(fd, F_SETFL, 0)) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	if (!S_ISREG(st.st_mode))
		*refused = xasprintf("'%s' is not a regular file", name);
	else if (st.st_nlink != 1)
		*refused = xasprintf("'%s' has %ju names (a hard link)", name, (uintmax_t)st.st_nlink);
	if (*refused) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The walk itself: the directories of path (absolute, plain names between
 * single slashes) up to its last slash, from the root's descriptor, each
 * opened from the one before with O_NOFOLLOW. policy_link admits the
 * kernel's cpuN/cpufreq link; create makes a missing directory (0755)
 * before opening it. The last directory's descriptor, or -1 with
 * *refused or errno set; *last gets the name after the last slash.
 */
static int walk_dirs(const struct sysroot *r, const char *path, int policy_link, int create,
		     char **refused, char **last)
{
	int fds[MAX_DEPTH], fd = -1, saved;
	size_t depth = 0;
	char *copy, *name, *slash;

	*last = NULL;
	fds[depth] = open(r->dir && *r->dir ? r->dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fds[depth] < 0)
		return -1;
	depth++;
	copy = xstrdup(path + 1);
	for (name = copy; (slash = strchr(name, '/')); name = slash + 1) {
		int dir;

		*slash = '\0';
		dir = open_dir(fds[depth - 1], name);
		if (dir < 0 && errno == ENOENT && create &&
		    (!mkdirat(fds[depth - 1], name, 0755) || errno == EEXIST)) {
			dir = open_dir(fds[depth - 1], name);
			/* 0755 whatever the umask: reset reads it as root, anyone may look */
			if (dir >= 0 && fchmod(dir, 0755)) {
				close(dir);
				dir = -1;
			}
		}
		if (dir < 0 && errno == ELOOP && policy_link && !strcmp(name, "cpufreq"))
			dir = open_policy_link(fds[depth - 2], fds[depth - 1], refused);
		else if (dir < 0 && errno == ELOOP)
			*refused = xasprintf("'%s' is a symbolic link", name);
		if (dir < 0)
			goto out;
		if (depth == MAX_DEPTH) {   /* deeper than any path this walk is for */
			close(dir);
			errno = ENAMETOOLONG;
			goto out;
		}
		fds[depth++] = dir;
	}
	fd = fds[--depth];
	*last = xstrdup(name);
out:
	saved = errno;
	while (depth)
		close(fds[--depth]);
	free(copy);
	errno = saved;
	return fd;
}

int knob_open(const struct sysroot *r, const char *path, char **refused)
{
	const struct knob *k = find_knob(path);
	int dir, fd, saved;
	char *name;

	*refused = NULL;
	if (!k) {
		*refused = xstrdup("not a file steady system tune writes");
		return -1;
	}
	/* Every knob is absolute with plain names between single slashes. */
	dir = walk_dirs(r, path, k->policy_link, 0, refused, &name);
	if (dir < 0)
		return -1;
	fd = open_file(dir, name, refused);
	saved = errno;
	close(dir);
	free(name);
	errno = saved;
	return fd;
}

int knob_open_dir(const struct sysroot *r, const char *path, int create, char **refused)
{
	size_t len = strlen(path);
	int fd;
	char *with_slash, *last;

	*refused = NULL;
	/* The caller's own constant: absolute, plain names, no "." or "..". */
	if (path[0] != '/' || strstr(path, "//") || strstr(path, "/./") || strstr(path, "/../") ||
	    (len >= 2 && !strcmp(path + len - 2, "/.")) || (len >= 3 && !strcmp(path + len - 3, "/.."))) {
		*refused = xasprintf("'%s' is not a plain absolute path", path);
		return -1;
	}
	with_slash = xasprintf("%s%s", path, path[len - 1] == '/' ? "" : "/");
	fd = walk_dirs(r, with_slash, 0, create, refused, &last);
	free(with_slash);
	free(last);
	return fd;
}

int knob_write_fd(int fd, const char *value)
{
	char *line = xasprintf("%s\n", value);
	size_t len = strlen(line);
	/*
	 * One write() from offset 0 of a fresh descriptor: pwrite() would do,
	 * but /proc/irq files are seq_files, which refuse it.
	 */
	ssize_t n = write(fd, line, len);
	struct statfs fs;
	int err = 0;

	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO;
	/* Never O_TRUNC: only an ordinary file is cut, once the value is in. */
	else if (!fstatfs(fd, &fs) && fs.f_type != SYSFS_MAGIC &&
		 fs.f_type != PROC_SUPER_MAGIC && ftruncate(fd, (off_t)len))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	free(line);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int knob_write(const struct sysroot *r, const char *path, const char *value,
	       char **refused)
{
	int fd = knob_open(r, path, refused);

	return fd < 0 ? -1 : knob_write_fd(fd, value);
}
