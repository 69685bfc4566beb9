/*
 * tool: see tool.h. Output goes to memfds rather than pipes: spawn waits
 * for the child before anything is read, and a pipe would fill and block
 * a tool that prints more than its buffer (git ls-files of a big tree).
 */
#include "toolchain/tool.h"
#include "measure/spawn.h"
#include "lib/util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Variables that would make git look at another repository than the path's. */
static const char *const dropped_vars[] = {
	"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
	"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_PREFIX",
	"GIT_NAMESPACE", "GIT_OPTIONAL_LOCKS", "LC_ALL", "POSIXLY_CORRECT",
};

static const char *const added_vars[] = { "LC_ALL=C", "GIT_OPTIONAL_LOCKS=0" };

static int is_dropped(const char *var)
{
	for (size_t i = 0; i < sizeof(dropped_vars) / sizeof(*dropped_vars); i++) {
		size_t len = strlen(dropped_vars[i]);

		if (!strncmp(var, dropped_vars[i], len) && var[len] == '=')
			return 1;
	}
	return 0;
}

/* steady's environment as tool.h describes it: a new array of borrowed strings. */
static char **tool_environment(void)
{
	size_t n = 0, nr = 0;
	char **env;

	while (environ[n])
		n++;
	env = xcalloc(n + sizeof(added_vars) / sizeof(*added_vars) + 1, sizeof(*env));
	for (size_t i = 0; i < n; i++)
		if (!is_dropped(environ[i]))
			env[nr++] = environ[i];
	for (size_t i = 0; i < sizeof(added_vars) / sizeof(*added_vars); i++)
		env[nr++] = (char *)added_vars[i];
	env[nr] = NULL;
	return env;
}

char *tool_find_quiet(const char *name)
{
	char *found = spawn_find_program(name);
	char *absolute;

	/* A PATH entry like "." gives a relative path, which a tool run in
	 * another directory (tool_run's dir) would not find. */
	if (!found || found[0] == '/')
		return found;
	absolute = realpath(found, NULL);
	free(found);
	return absolute;
}

char *tool_find(const char *name, const char *package)
{
	char *found = tool_find_quiet(name);

	if (!found)
		error("'%s' not found on PATH (Debian: apt-get install %s)", name, package);
	return found;
}

/* All of fd (a memfd written by the child) as a NUL-terminated string. */
static int slurp(int fd, const char *tool, char **text, size_t *len)
{
	size_t alloc = 4096, nr = 0;
	char *buf = xmalloc(alloc);

	if (lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	for (;;) {
		ssize_t n;

		if (alloc - nr < 2)
			buf = xrealloc(buf, alloc *= 2);
		n = read(fd, buf + nr, alloc - nr - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		nr += (size_t)n;
	}
	buf[nr] = '\0';
	*text = buf;
	if (len)
		*len = nr;
	return 0;
fail:
	free(buf);
	return error("cannot read the output of '%s': %s", tool, strerror(errno));
}

int tool_run(const char *path, char *const argv[], const char *dir,
	     int merge_stderr, struct tool_output *res)
{
	int out_fd, err_fd = -1, ret = -1;
	char **env;
	enum spawn_result sr;

	out_fd = memfd_create("steady-tool-output", MFD_CLOEXEC);
	if (out_fd < 0)
		return error("cannot keep the output of '%s': %s", argv[0], strerror(errno));
	if (!merge_stderr) {
		err_fd = memfd_create("steady-tool-errors", MFD_CLOEXEC);
		if (err_fd < 0) {
			close(out_fd);
			return error("cannot keep the output of '%s': %s", argv[0], strerror(errno));
		}
	}

	env = tool_environment();
	sr = spawn_run_captured(path, argv, env, dir, out_fd,
				merge_stderr ? out_fd : err_fd, &res->exit_code);
	free(env);
	if (sr == SPAWN_INTERRUPTED) {
		error("'%s' was interrupted", argv[0]);
		goto out;
	}
	if (sr != SPAWN_OK)
		goto out;

	res->out = res->err = NULL;
	if (slurp(out_fd, argv[0], &res->out, &res->out_len))
		goto out;
	if (merge_stderr)
		res->err = xstrdup("");
	else if (slurp(err_fd, argv[0], &res->err, NULL)) {
		free(res->out);
		res->out = NULL;
		goto out;
	}
	ret = 0;
out:
	close(out_fd);
	if (err_fd >= 0)
		close(err_fd);
	return ret;
}

void tool_output_release(struct tool_output *res)
{
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
	res->out_len = 0;
}

char *tool_first_line(const char *text)
{
	static const char *const labels[] = { "fatal: ", "error: " };

	for (const char *p = text; *p; ) {
		size_t len = strcspn(p, "\n");
		const char *end = p + len;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end) {
			for (size_t i = 0; i < sizeof(labels) / sizeof(*labels); i++) {
				size_t l = strlen(labels[i]);

				if ((size_t)(end - p) > l && !strncmp(p, labels[i], l)) {
					p += l;
					break;
				}
			}
			return xasprintf("%.*s", (int)(end - p), p);
		}
		p = *end ? end + 1 : end;
	}
	return xstrdup("(no message)");
}
