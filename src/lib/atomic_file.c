/*
 * atomic_file: see atomic_file.h.
 */
#include "lib/atomic_file.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

char *atomic_temp_template(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;

	/* ".tmp.XXXXXX" adds 11 bytes: a name near NAME_MAX must not fail. */
	if (strlen(base) + 11 > 255)
		return xasprintf("%.*s.steady.tmp.XXXXXX", (int)(base - path), path);
	return xasprintf("%s.tmp.XXXXXX", path);
}

char *atomic_create_in_tmpdir(const char *stem, const char *suffix)
{
	const char *dir = getenv("TMPDIR");
	char *name;
	int fd, err;

	if (!dir || dir[0] != '/')
		dir = "/tmp";
	name = xasprintf("%s/%sXXXXXX%s", dir, stem, suffix);
	fd = mkostemps(name, (int)strlen(suffix), O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		free(name);
		errno = err;
		return NULL;
	}
	close(fd);
	return name;
}

void atomic_keep_elsewhere(const char *path, const char *what, const char *stem,
			   const char *suffix, int (*write)(const char *path, const void *data),
			   const void *data)
{
	char *target = strcmp(path, "-") ? xasprintf("'%s'", path) : xstrdup("the standard output");
	char *kept = atomic_create_in_tmpdir(stem, suffix);

	if (!kept) {
		error("%s are lost: no file could be created in $TMPDIR either: %s",
		      what, strerror(errno));
	} else if (write(kept, data)) {
		unlink(kept);
		error("%s are lost: '%s' could not be written either", what, kept);
	} else {
		note("%s not written to %s are kept in '%s'", what, target, kept);
	}
	free(target);
	free(kept);
}

static int same_file_as_fd(const struct stat *st, int fd)
{
	struct stat fd_st;

	return !fstat(fd, &fd_st) && fd_st.st_dev == st->st_dev && fd_st.st_ino == st->st_ino;
}

/*
 * STDOUT_FILENO or STDERR_FILENO when path is a link to that descriptor's
 * file ("/dev/stdout", "/dev/fd/2", "/proc/self/fd/1"), else -1. A plain
 * name of the same file ("-o r.json >r.json") is not one: it gets a new
 * file, as it always did.
 */
static int std_descriptor_named(const char *path, const struct stat *st)
{
	struct stat link;

	if (lstat(path, &link) || !S_ISLNK(link.st_mode))
		return -1;
	if (same_file_as_fd(st, STDOUT_FILENO))
		return STDOUT_FILENO;
	if (same_file_as_fd(st, STDERR_FILENO))
		return STDERR_FILENO;
	return -1;
}

/* The standard output kept for the results by atomic_claim_stdout(), or -1. */
static int claimed_stdout = -1;

int atomic_names_stdout(const char *path)
{
	struct stat st;

	if (!strcmp(path, "-"))
		return 1;
	return !stat(path, &st) && std_descriptor_named(path, &st) == STDOUT_FILENO;
}

int atomic_claim_stdout(const char **path)
{
	int fd;

	if (!*path || !atomic_names_stdout(*path))
		return 0;
	*path = "-";
	if (claimed_stdout >= 0)
		return 0;
	fflush(stdout);
	fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		error("cannot write the results to the standard output: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	claimed_stdout = fd;
	return 0;
}

int atomic_writes_in_place(const char *path)
{
	struct stat st;

	if (!strcmp(path, "-"))
		return 1;
	if (stat(path, &st))
		return 0;
	if (S_ISDIR(st.st_mode))
		return 0;	/* the rename fails and says so */
	if (!S_ISREG(st.st_mode))
		return 1;
	return std_descriptor_named(path, &st) >= 0;
}

/*
 * Opens a FIFO for writing. A plain open() would wait for a reader with
 * no way out but a signal, and a signal that came just before it would be
 * missed: the results, measured already, would then hang on a FIFO
 * nobody reads. So the open is tried without blocking, and between tries
 * steady sleeps with only the termination signals let through (ppoll()
 * unblocks them atomically): one of them ends the wait with EINTR, which
 * the caller turns into keeping the results elsewhere. -1 with errno set.
 */
static int open_fifo_for_writing(const char *path)
{
	static const int terminating[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	const struct timespec pause = { 0, 50 * 1000 * 1000 };
	sigset_t all, old, waiting;
	int fd, err, told = 0;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	/* While waiting: what was blocked stays blocked, and so does every
	 * other signal, so that only a request to stop ends the wait. */
	sigfillset(&waiting);
	for (size_t i = 0; i < sizeof(terminating) / sizeof(*terminating); i++)
		if (!sigismember(&old, terminating[i]))
			sigdelset(&waiting, terminating[i]);
	for (;;) {
		fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0 || errno != ENXIO)
			break;
		if (!told++)
			note("waiting for a reader of the FIFO '%s' to write to it", path);
		if (ppoll(NULL, 0, &pause, &waiting) < 0 && errno == EINTR)
			break;
	}
	err = errno;
	/* The results are written blocking: a slow reader is waited for. */
	if (fd >= 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		err = errno;
		close(fd);
		fd = -1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return fd;
}

/* A device or a FIFO named by path, opened as a shell's '>' would. */
static FILE *open_node(const char *path)
{
	struct stat st;
	FILE *f = NULL;
	int fd;

	if (stat(path, &st) || !S_ISFIFO(st.st_mode)) {
		f = fopen(path, "we");
		if (!f)
			error("cannot write '%s': %s", path, strerror(errno));
		return f;
	}
	fd = open_fifo_for_writing(path);
	if (fd >= 0 && !(f = fdopen(fd, "w")))
		close(fd);
	if (f)
		return f;
	if (errno == EINTR)
		error("cannot write '%s': interrupted while waiting for a reader of the FIFO", path);
	else
		error("cannot write '%s': %s", path, strerror(errno));
	return NULL;
}

/*
 * The in-place case. Through the descriptor itself, not by opening the
 * path again: reopening "/dev/stdout" would truncate what steady has
 * already printed there and write over it from offset 0.
 */
static FILE *open_in_place(const char *path)
{
	struct stat st;
	int std, fd;
	FILE *f;

	if (!strcmp(path, "-"))
		std = claimed_stdout >= 0 ? claimed_stdout : STDOUT_FILENO;
	else
		std = stat(path, &st) ? -1 : std_descriptor_named(path, &st);
	if (std < 0)
		return open_node(path);
	/* What steady printed there so far comes first. */
	fflush(std == STDERR_FILENO ? stderr : stdout);
	fd = fcntl(std, F_DUPFD_CLOEXEC, 3);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		error("cannot write '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

/* "dir/file" gives "dir", "file" gives ".", "/file" gives "/". */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

/*
 * The kind of file system dir is on when it is one where no file can be
 * created whatever the permissions (proc, sysfs, ...), else NULL.
 */
static const char *pseudo_file_system(const char *dir)
{
	struct statfs fs;

	if (statfs(dir, &fs))
		return NULL;
	switch (fs.f_type) {
	case PROC_SUPER_MAGIC:
		return "proc";
	case SYSFS_MAGIC:
		return "sysfs";
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
		return "cgroup";
	case DEBUGFS_MAGIC:
		return "debugfs";
	case TRACEFS_MAGIC:
		return "tracefs";
	case SECURITYFS_MAGIC:
		return "securityfs";
	}
	return NULL;
}

/*
 * The error line when no temporary file can be made beside path (errno
 * err). mkstemp() alone would mislead: in /proc it fails with "No such
 * file or directory" although both the directory and "-o /proc/version"
 * exist, so the line says what stands in the way.
 */
static int cannot_create_beside(const char *path, int err)
{
	struct stat st;
	char *dir = dir_of(path), *why;
	const char *fs = pseudo_file_system(dir);
	int ret;

	if (fs)
		why = xasprintf("no file can be created in '%s', a %s file system", dir, fs);
	else
		why = xasprintf("cannot create a file in '%s': %s", dir, strerror(err));
	if (stat(path, &st))
		ret = error("cannot write '%s': %s", path, why);
	else
		ret = error("cannot write '%s': not a file steady can replace (%s)", path, why);
	free(why);
	free(dir);
	return ret;
}

FILE *atomic_open(const char *path, char **tmp)
{
	mode_t mask;
	int fd;
	FILE *f;

	*tmp = NULL;
	if (atomic_writes_in_place(path))
		return open_in_place(path);
	*tmp = atomic_temp_template(path);
	/* O_CLOEXEC: the commands that run programs must not hand this on. */
	fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0) {
		cannot_create_beside(path, errno);
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	/*
	 * mkstemp makes 0600; what steady writes is for others to read too.
	 * umask() can only be read by setting it; steady has one thread.
	 */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) || !(f = fdopen(fd, "w"))) {
		error("cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	return f;
}

int atomic_check_writable(const char *path)
{
	struct stat st;
	char *dir, *probe;
	int fd, ret = 0;

	if (!*path)
		return error("cannot write '': empty file name");
	if (!strcmp(path, "-"))
		return 0;
	if (!stat(path, &st)) {
		if (S_ISDIR(st.st_mode))
			return error("cannot write '%s': it is a directory", path);
		if (atomic_writes_in_place(path))
			return 0;
		/* Renaming over a read-only file would replace it: refuse, as
		 * a shell redirection would. (Root may write anything.) */
		if (access(path, W_OK))
			return error("cannot write '%s': %s", path, strerror(errno));
	}

	dir = dir_of(path);
	if (stat(dir, &st) < 0) {
		if (errno == ENOENT)
			ret = error("cannot write '%s': directory '%s' does not exist",
				    path, dir);
		else
			ret = error("cannot write '%s': %s", path, strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		ret = error("cannot write '%s': '%s' is not a directory", path, dir);
	}
	free(dir);
	if (ret)
		return ret;

	/*
	 * Create what atomic_open() will create. access(W_OK) would say
	 * yes to root on a read-only mount and knows nothing of quotas or
	 * file name limits.
	 */
	probe = atomic_temp_template(path);
	fd = mkstemp(probe);
	if (fd < 0) {
		ret = cannot_create_beside(path, errno);
	} else {
		close(fd);
		unlink(probe);
	}
	free(probe);
	return ret;
}

/*
 * Makes the rename itself durable. The new file is complete and in place
 * whatever happens here, and some file systems refuse to fsync a
 * directory, so this is best effort.
 */
static void sync_directory_of(const char *path)
{
	char *dir = dir_of(path);
	int fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int atomic_commit(FILE *f, char *tmp, const char *path)
{
	int failed, saved;

	/* ferror() catches a write that failed earlier and was not checked. */
	failed = fflush(f) || ferror(f) || (tmp && fsync(fileno(f)));
	saved = failed && !errno ? EIO : errno;
	if (fclose(f) && !failed)
		failed = 1, saved = errno;
	if (!tmp)	/* written in place */
		return failed ? error("cannot write '%s': %s", path, strerror(saved)) : 0;

	if (!failed && rename(tmp, path))
		failed = 1, saved = errno;
	if (failed) {
		unlink(tmp);
		free(tmp);
		return error("cannot write '%s': %s", path, strerror(saved));
	}
	free(tmp);
	sync_directory_of(path);
	return 0;
}

void atomic_abort(FILE *f, char *tmp)
{
	fclose(f);
	if (tmp)
		unlink(tmp);
	free(tmp);
}

int atomic_prepare_outputs(const char **results, const char **markdown, const char **csv)
{
	const char **paths[] = { results, markdown, csv };
	int to_stdout = 0;

	for (size_t i = 0; i < 3; i++) {
		if (!paths[i] || !*paths[i])
			continue;
		if (atomic_check_writable(*paths[i]))
			return -1;
		to_stdout += atomic_names_stdout(*paths[i]);
	}
	if (to_stdout > 1)
		return error("only one of -o/--json, --export-markdown and --export-csv can write to stdout");
	for (size_t i = 0; i < 3; i++)
		if (paths[i] && *paths[i] && atomic_claim_stdout(paths[i]))
			return -1;
	return 0;
}
