/*
 * Unit tests for lib/atomic_file.c, the one writer of every file steady
 * saves: a commit replaces the target whole and leaves no temporary file;
 * an abort, a write that fails half-way (RLIMIT_FSIZE) or a rename that
 * fails leaves the old target as it was, with one error line; a FIFO is
 * written in place and stays a FIFO, and the wait for its reader ends at
 * SIGTERM; a target in /proc is refused naming why; the fallback file of
 * results is made in $TMPDIR. Each test works in its own mkdtemp()
 * directory, removed by the teardown.
 */
#include "unit_fixture.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/atomic_file.h"
#include "lib/util.h"

static int setup(void **state)
{
	return fixture_setup(state, "out.txt");
}

static void assert_text(const char *path, const char *want)
{
	char *got = read_text(path);

	assert_string_equal(got, want);
	free(got);
}

/* Entries of dir besides "out.txt" and what the test named in keep. */
static int strangers_in(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, "out.txt") || (keep && !strcmp(e->d_name, keep)))
			continue;
		print_message("left behind: %s\n", e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static void test_commit_replaces_whole(void **state)
{
	struct fixture *f = *state;
	char *tmp;
	FILE *fp;
	struct stat st;
	mode_t mask = umask(022);

	write_text(f->path, "old content that is longer\n");
	fp = atomic_open(f->path, &tmp);
	assert_non_null(fp);
	assert_non_null(tmp);
	/* Until the commit, readers see the old file. */
	fputs("new\n", fp);
	fflush(fp);
	assert_text(f->path, "old content that is longer\n");
	assert_int_equal(atomic_commit(fp, tmp, f->path), 0);
	assert_text(f->path, "new\n");
	assert_int_equal(strangers_in(f->dir, NULL), 0);
	/* mkstemp's 0600 is widened to what the umask allows. */
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	umask(mask);
}

static void test_abort_keeps_old(void **state)
{
	struct fixture *f = *state;
	char *tmp;
	FILE *fp;

	write_text(f->path, "old\n");
	fp = atomic_open(f->path, &tmp);
	assert_non_null(fp);
	fputs("half a fi", fp);
	atomic_abort(fp, tmp);
	assert_text(f->path, "old\n");
	assert_int_equal(strangers_in(f->dir, NULL), 0);
}

/* A write that fails half-way (here: over the file size limit, as a full
 * disk would) is reported once at the commit; the old target stays. */
static void test_failed_write_keeps_old(void **state)
{
	struct fixture *f = *state;
	struct rlimit old_limit, small = { 4096, 4096 };
	void (*old_handler)(int);
	char *tmp, *msg, block[1024];
	FILE *fp;
	int ret;

	write_text(f->path, "old\n");
	memset(block, 'x', sizeof(block));
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
	small.rlim_max = old_limit.rlim_max;
	old_handler = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);

	fp = atomic_open(f->path, &tmp);
	assert_non_null(fp);
	for (int i = 0; i < 16; i++)
		fwrite(block, 1, sizeof(block), fp);
	CAPTURE(ret, msg, atomic_commit(fp, tmp, f->path));

	setrlimit(RLIMIT_FSIZE, &old_limit);
	signal(SIGXFSZ, old_handler);
	assert_int_equal(ret, -1);
	check_message(msg, "cannot write '");
	assert_text(f->path, "old\n");
	assert_int_equal(strangers_in(f->dir, NULL), 0);
}

/* The rename fails (the target is a directory): one line, no temp file. */
static void test_failed_rename_cleans_up(void **state)
{
	struct fixture *f = *state;
	char *tmp, *msg;
	FILE *fp;
	int ret;

	assert_int_equal(mkdir(f->path, 0755), 0);
	fp = atomic_open(f->path, &tmp);
	assert_non_null(fp);
	fputs("text\n", fp);
	CAPTURE(ret, msg, atomic_commit(fp, tmp, f->path));
	assert_int_equal(ret, -1);
	check_message(msg, "cannot write '");
	assert_int_equal(strangers_in(f->dir, NULL), 0);
}

static void test_missing_directory(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX + 16], *tmp = (char *)"unset", *msg;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/no/such/out.txt", f->dir);
	CAPTURE(fp, msg, atomic_open(path, &tmp));
	assert_null(fp);
	assert_null(tmp);
	check_message(msg, "No such file or directory");
	assert_int_equal(strangers_in(f->dir, NULL), 0);
}

/* A FIFO (like -o /dev/stdout into a pipe) is written, not replaced. */
static void test_fifo_written_in_place(void **state)
{
	struct fixture *f = *state;
	char *tmp, got[64] = "";
	struct stat st;
	FILE *fp;
	int reader;
	ssize_t n;

	assert_int_equal(mkfifo(f->path, 0644), 0);
	/* a reader first, or opening the FIFO to write would wait for one */
	reader = open(f->path, O_RDONLY | O_NONBLOCK);
	assert_true(reader >= 0);
	fp = atomic_open(f->path, &tmp);
	assert_non_null(fp);
	assert_null(tmp);
	fputs("through the pipe\n", fp);
	assert_int_equal(atomic_commit(fp, tmp, f->path), 0);
	n = read(reader, got, sizeof(got) - 1);
	close(reader);
	assert_int_equal(n, (ssize_t)strlen("through the pipe\n"));
	assert_string_equal(got, "through the pipe\n");
	assert_int_equal(lstat(f->path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(strangers_in(f->dir, NULL), 0);
}

/* /dev/null is a device: written in place, never replaced by a file. */
static void test_device_written_in_place(void **state)
{
	char *tmp;
	struct stat st;
	FILE *fp;

	(void)state;
	fp = atomic_open("/dev/null", &tmp);
	assert_non_null(fp);
	assert_null(tmp);
	fputs("gone\n", fp);
	assert_int_equal(atomic_commit(fp, tmp, "/dev/null"), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

/*
 * Runs with f->path as stdout (opened for appending after "printed\n"),
 * opens target with atomic_open(), writes "{}\n", commits, and restores
 * stdout. Returns whether it was written in place.
 */
static int write_with_stdout_in(const struct fixture *f, const char *target)
{
	int saved_stdout, fd, in_place;
	char *tmp;
	FILE *fp;

	write_text(f->path, "printed\n");
	fflush(stdout);
	saved_stdout = dup(STDOUT_FILENO);
	fd = open(f->path, O_WRONLY | O_APPEND);
	assert_true(saved_stdout >= 0 && fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	in_place = atomic_writes_in_place(target);
	fp = atomic_open(target, &tmp);
	assert_non_null(fp);
	assert_int_equal(tmp == NULL, in_place);
	fputs("{}\n", fp);
	assert_int_equal(atomic_commit(fp, tmp, target), 0);
	dup2(saved_stdout, STDOUT_FILENO);
	close(saved_stdout);
	return in_place;
}

/*
 * "-o /dev/stdout >r.json": the link is written through the descriptor,
 * after what was printed, never by reopening (which would write over it)
 * nor by rename (which would replace /dev/stdout itself).
 */
static void test_stdout_link_written_in_place(void **state)
{
	struct fixture *f = *state;

	write_text(f->path, "");
	assert_int_equal(atomic_writes_in_place(f->path), 0);
	assert_int_equal(write_with_stdout_in(f, "/dev/stdout"), 1);
	assert_text(f->path, "printed\n{}\n");
	assert_int_equal(write_with_stdout_in(f, "/proc/self/fd/1"), 1);
	assert_text(f->path, "printed\n{}\n");
}

/* "-o r.json >r.json": the file's own name gets a new file, the JSON alone. */
static void test_stdout_file_by_name_replaced(void **state)
{
	struct fixture *f = *state;
	struct stat before, after;

	write_text(f->path, "");
	assert_int_equal(stat(f->path, &before), 0);
	assert_int_equal(write_with_stdout_in(f, f->path), 0);
	assert_int_equal(stat(f->path, &after), 0);
	assert_int_not_equal(after.st_ino, before.st_ino);
	assert_text(f->path, "{}\n");
}

static void test_temp_template(void **state)
{
	char long_name[300], *t;

	(void)state;
	t = atomic_temp_template("dir/r.json");
	assert_string_equal(t, "dir/r.json.tmp.XXXXXX");
	free(t);
	/* A name near NAME_MAX would be too long with the suffix. */
	memset(long_name, 'n', 250);
	strcpy(long_name + 250, ".json");
	t = xasprintf("dir/%s", long_name);
	{
		char *tt = atomic_temp_template(t);

		assert_string_equal(tt, "dir/.steady.tmp.XXXXXX");
		free(tt);
	}
	free(t);
}

static volatile sig_atomic_t terminated;

static void on_term(int sig)
{
	terminated = sig;
}

/*
 * A FIFO nobody reads: the wait ends at SIGTERM (sent by a child 0.2 s
 * in), with a line saying it was interrupted, and no temporary file.
 */
static void test_fifo_wait_interrupted(void **state)
{
	struct fixture *f = *state;
	struct sigaction sa, old;
	char *tmp, *msg;
	FILE *fp;
	pid_t child;

	assert_int_equal(mkfifo(f->path, 0644), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;	/* no SA_RESTART, as spawn_catch_signals() */
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGTERM, &sa, &old), 0);
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		usleep(200 * 1000);
		kill(getppid(), SIGTERM);
		_exit(0);
	}
	CAPTURE(fp, msg, atomic_open(f->path, &tmp));
	waitpid(child, NULL, 0);
	sigaction(SIGTERM, &old, NULL);
	assert_null(fp);
	assert_int_equal(terminated, SIGTERM);
	/* two lines: the wait, then its end */
	assert_non_null(strstr(msg, "steady: waiting for a reader of the FIFO '"));
	assert_non_null(strstr(msg, "steady: error: cannot write '"));
	assert_non_null(strstr(msg, "': interrupted while waiting for a reader of the FIFO\n"));
	free(msg);
	assert_int_equal(strangers_in(f->dir, NULL), 0);
}

/* No file can be made in /proc: the line says so, not "No such file". */
static void test_proc_named(void **state)
{
	char *msg;
	int ret;

	(void)state;
	CAPTURE(ret, msg, atomic_check_writable("/proc/steady-no-such-file"));
	assert_int_equal(ret, -1);
	check_message(msg, "cannot write '/proc/steady-no-such-file': "
		      "no file can be created in '/proc', a proc file system");
	if (geteuid() == 0) {	/* others are refused the read-only file first */
		CAPTURE(ret, msg, atomic_check_writable("/proc/version"));
		assert_int_equal(ret, -1);
		check_message(msg, "cannot write '/proc/version': not a file steady can replace "
			      "(no file can be created in '/proc', a proc file system)");
	}
}

/* The fallback file: new, empty, in $TMPDIR, or /tmp for a relative one. */
static void test_create_in_tmpdir(void **state)
{
	struct fixture *f = *state;
	const char *saved = getenv("TMPDIR");
	char *keep = saved ? xstrdup(saved) : NULL, *a, *b, *prefix;
	struct stat st;

	setenv("TMPDIR", f->dir, 1);
	a = atomic_create_in_tmpdir("steady-results.", ".json");
	b = atomic_create_in_tmpdir("steady-results.", ".json");
	assert_non_null(a);
	assert_non_null(b);
	assert_string_not_equal(a, b);
	prefix = xasprintf("%s/steady-results.", f->dir);
	assert_memory_equal(a, prefix, strlen(prefix));
	assert_string_equal(a + strlen(a) - 5, ".json");
	assert_int_equal(strlen(a), strlen(prefix) + 6 + 5);
	assert_int_equal(stat(a, &st), 0);
	assert_true(S_ISREG(st.st_mode) && st.st_size == 0);
	unlink(a);
	unlink(b);
	free(a);
	free(b);
	free(prefix);

	setenv("TMPDIR", "relative", 1);
	a = atomic_create_in_tmpdir("steady-t-atomic.", ".json");
	assert_non_null(a);
	assert_memory_equal(a, "/tmp/steady-t-atomic.", 21);
	unlink(a);
	free(a);

	setenv("TMPDIR", "/steady-no-such-dir", 1);
	errno = 0;
	assert_null(atomic_create_in_tmpdir("steady-results.", ".json"));
	assert_int_equal(errno, ENOENT);

	if (keep)
		setenv("TMPDIR", keep, 1);
	else
		unsetenv("TMPDIR");
	free(keep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_replaces_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_keeps_old, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_keeps_old, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_rename_cleans_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_written_in_place, setup, teardown),
		cmocka_unit_test(test_device_written_in_place),
		cmocka_unit_test_setup_teardown(test_stdout_link_written_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdout_file_by_name_replaced, setup, teardown),
		cmocka_unit_test(test_temp_template),
		cmocka_unit_test_setup_teardown(test_fifo_wait_interrupted, setup, teardown),
		cmocka_unit_test(test_proc_named),
		cmocka_unit_test_setup_teardown(test_create_in_tmpdir, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
