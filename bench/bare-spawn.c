/*
 * bare-spawn: the reference harness bench/overhead compares steady against.
 *
 * Usage: bare-spawn N CMD [ARG...]
 *
 * Runs CMD N times with posix_spawn + waitpid and nothing else: stdin, stdout
 * and stderr on /dev/null, the caller's environment, no statistics, no
 * output per run. Whatever steady costs beyond this is harness overhead.
 * Prints "bare-spawn: N runs, total S s, per run US us" and exits 0, 1 if
 * CMD could not be spawned or any run failed, 2 for bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/*
 * Resolve CMD the way execvp would, once, before timing starts, so the loop
 * holds only posix_spawn and waitpid (steady resolves once as well).
 */
static const char *resolve(const char *cmd, char *buf, size_t size)
{
	const char *path = getenv("PATH");

	if (strchr(cmd, '/'))
		return cmd;
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");

		/* An empty PATH element means the current directory. */
		if (snprintf(buf, size, "%.*s%s%s", (int)len, len ? path : ".",
			     "/", cmd) < (int)size && !access(buf, X_OK))
			return buf;
		path += len;
		if (*path == ':')
			path++;
	}
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	posix_spawn_file_actions_t actions;
	char buf[PATH_MAX];
	const char *cmd;
	long n, failed = 0;
	double start, total;
	char *end;
	int err;

	if (argc < 3) {
		fprintf(stderr, "usage: bare-spawn N CMD [ARG...]\n");
		return 2;
	}
	errno = 0;
	n = strtol(argv[1], &end, 10);
	if (errno || *end || end == argv[1] || n < 1) {
		fprintf(stderr, "bare-spawn: bad run count '%s'\n", argv[1]);
		return 2;
	}
	cmd = resolve(argv[2], buf, sizeof(buf));
	if (!cmd) {
		fprintf(stderr, "bare-spawn: %s: command not found\n", argv[2]);
		return 1;
	}

	/* The same redirections steady uses by default, set up once. */
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);

	start = now();
	for (long i = 0; i < n; i++) {
		pid_t pid;
		int status;

		err = posix_spawn(&pid, cmd, &actions, NULL, argv + 2, environ);
		if (err) {
			fprintf(stderr, "bare-spawn: cannot run %s: %s\n", cmd, strerror(err));
			return 1;
		}
		if (waitpid(pid, &status, 0) < 0 || status)
			failed++;
	}
	total = now() - start;

	posix_spawn_file_actions_destroy(&actions);
	printf("bare-spawn: %ld runs, total %.3f s, per run %.1f us\n",
	       n, total, total / n * 1e6);
	if (failed) {
		fprintf(stderr, "bare-spawn: %ld of %ld runs failed\n", failed, n);
		return 1;
	}
	return 0;
}
