/*
 * build: running build commands (see build.h). One request is a small
 * state machine — its next command, the running child, the log — so that
 * build_run_all() can keep up to jobs of them going and move each on as
 * its child exits, whichever finishes first.
 */
#include "toolchain/build.h"
#include "toolchain/tree.h"
#include "toolchain/template.h"
#include "measure/spawn.h"
#include "lib/util.h"
#include "lib/words.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

/* How much of a failed build's log is shown. */
#define LOG_TAIL_LINES 15
#define LOG_TAIL_BYTES 8192

/* A request being built: what build_run_all() keeps per running job. */
struct job {
	struct build_request *req;
	size_t next;                 /* index of the command to start next */
	size_t current;              /* index of the command started last */
	int log_fd;
	int64_t start_ns;
	char **argv;                 /* the running command, expanded */
	char *path;                  /* its resolved absolute program */
	char **envp;                 /* environ with req->env_add, or NULL: environ */
	struct child_process cp;
};

/* The most placeholders a command may have: the five built in and a sweep's. */
#define BUILD_MAX_VALUES 64

/*
 * The placeholder values of req into v (at most BUILD_MAX_VALUES): its
 * extra values first, then the built-in ones they do not replace. In
 * shell mode no value is a list: the whole command is one string whose
 * placeholders are filled as text. Returns how many.
 */
static size_t fill_values(const struct build_request *req, char *seed, size_t seed_len,
			  struct template_value *v)
{
	const struct template_value builtin[] = {
		{ "cc", req->cc ? req->cc : "", 0 },
		{ "cflags", req->cflags ? req->cflags : "", !req->shell },
		{ "ldflags", req->ldflags ? req->ldflags : "", !req->shell },
		{ "seed", seed, 0 },
		{ "dir", req->dir ? req->dir : "", 0 },
	};
	size_t n = 0;

	snprintf(seed, seed_len, "%" PRIu64, req->seed);
	for (size_t i = 0; i < req->nr_values && n < BUILD_MAX_VALUES - 5; i++) {
		v[n] = req->values[i];
		/* cflags and ldflags stay lists whoever gives them */
		v[n].is_list = !req->shell && (!strcmp(v[n].name, "cflags") ||
					       !strcmp(v[n].name, "ldflags"));
		n++;
	}
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		int replaced = 0;

		for (size_t k = 0; k < req->nr_values; k++)
			replaced |= !strcmp(req->values[k].name, builtin[i].name);
		if (!replaced)
			v[n++] = builtin[i];
	}
	return n;
}

/*
 * The argv of one command of req: its words filled, or with --shell
 * /bin/sh -c and the filled string. NULL after one error line.
 */
static char **expand_command(const struct build_request *req, const char *command)
{
	struct template_value v[BUILD_MAX_VALUES];
	struct template t = { v, 0 };
	char seed[32], **filled;
	size_t nfilled;

	t.nr = fill_values(req, seed, sizeof(seed), v);
	filled = template_command(&t, command, req->shell, &nfilled);
	if (filled && !nfilled) {
		words_free(filled);
		error("build command '%s' is empty once its placeholders are filled", command);
		return NULL;
	}
	return filled;
}

int build_parse_jobs(const char *arg, unsigned *jobs)
{
	unsigned long n;

	if (parse_uint(arg, SPAWN_MAX_RUNNING, &n) || !n)
		return error("invalid value for --jobs: '%s' (expected 1 to %d)", arg,
			     SPAWN_MAX_RUNNING);
	*jobs = (unsigned)n;
	return 0;
}

unsigned build_default_jobs(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return cpus > 0 ? (unsigned)cpus : 1;
}

const char *build_default_cc(void)
{
	const char *cc = getenv("CC");

	return cc && *cc ? cc : "cc";
}

int build_check_template_with(const char *command, int shell, char *const *names, size_t n)
{
	struct build_request probe = { .shell = shell, .cc = "cc", .dir = "/" };
	struct template_value *extra;
	char **argv;

	if (n > BUILD_MAX_VALUES - 5)
		return error("too many parameters: %zu (at most %d)", n, BUILD_MAX_VALUES - 5);
	extra = xcalloc(n + 1, sizeof(*extra));
	for (size_t i = 0; i < n; i++)
		extra[i] = (struct template_value){ names[i], "x", 0 };
	probe.values = extra;
	probe.nr_values = n;
	argv = expand_command(&probe, command);
	free(extra);
	if (!argv)
		return -1;
	words_free(argv);
	return 0;
}

int build_check_template(const char *command, int shell)
{
	return build_check_template_with(command, shell, NULL, 0);
}

char *build_program_path(const char *run, int shell, const char *binary, const char *dir)
{
	const struct template_value values[] = { { "dir", dir, 0 } };
	struct template t = { values, 1 };
	char **words, **argv, *path = NULL;
	size_t n, argc;

	if (binary)
		return xasprintf("%s/%s", dir, binary);
	if (shell || !run || words_split(run, &words, &n) || !n)
		return NULL;
	/* the program alone: the arguments may name placeholders of their own */
	argv = template_expand(&t, words, 1, &argc);
	words_free(words);
	if (!argv)
		return NULL;
	if (argc && !strncmp(argv[0], dir, strlen(dir)) && argv[0][strlen(dir)] == '/')
		path = xstrdup(argv[0]);
	words_free(argv);
	return path;
}

/*
 * The absolute path of argv[0]: the child changes into {dir} before its
 * exec, so a relative one would be looked up from there. NULL with the
 * reason in req->status (a build failure, reported with the others).
 */
static char *resolve_program(struct build_request *req, const char *name)
{
	char *found, *abs;

	if (strchr(name, '/'))
		found = access(name, X_OK) ? NULL : xstrdup(name);
	else
		found = spawn_find_program(name);
	if (!found) {
		snprintf(req->status, sizeof(req->status), "cannot run '%s': %s", name,
			 strchr(name, '/') ? strerror(errno) : "command not found");
		return NULL;
	}
	if (found[0] == '/')
		return found;
	abs = realpath(found, NULL);
	if (!abs)
		snprintf(req->status, sizeof(req->status), "cannot run '%s': %s", name,
			 strerror(errno));
	free(found);
	return abs;
}

/* Appends text to the log; a log that cannot be written loses a header only. */
static void log_line(int fd, const char *text)
{
	(void)write_all(fd, text, strlen(text));
}

static size_t count_words(char *const *argv)
{
	size_t n = 0;

	while (argv[n])
		n++;
	return n;
}

static void job_clear_command(struct job *j)
{
	words_free(j->argv);
	free(j->path);
	j->argv = NULL;
	j->path = NULL;
}

/*
 * Starts the job's next command. 0 when it runs; -1 when it could not be
 * started (the reason in req->status, or printed by spawn).
 */
static int job_start_next(struct job *j, struct spawner *s)
{
	struct build_request *req = j->req;
	const char *command = req->commands[j->next];
	struct child_process fresh = CHILD_PROCESS_INIT;
	char *shown;

	j->current = j->next++;
	j->argv = expand_command(req, command);
	if (!j->argv) {
		snprintf(req->status, sizeof(req->status), "bad build command");
		return -1;
	}
	j->path = resolve_program(req, j->argv[0]);
	if (!j->path) {
		job_clear_command(j);
		return -1;
	}
	shown = words_join(j->argv, count_words(j->argv));
	log_line(j->log_fd, "$ ");
	log_line(j->log_fd, shown);
	log_line(j->log_fd, "\n");
	free(shown);

	j->cp = fresh;
	j->cp.spawner = s;
	j->cp.path = j->path;
	j->cp.argv = j->argv;
	j->cp.envp = j->envp ? j->envp : environ;
	j->cp.out_fd = j->log_fd;
	j->cp.dir = req->dir;
	if (start_command(&j->cp)) {
		/* After a signal nothing starts: the build was interrupted. */
		if (spawn_interrupted()) {
			req->interrupted = 1;
			snprintf(req->status, sizeof(req->status), "interrupted");
		} else {
			snprintf(req->status, sizeof(req->status), "cannot start '%s'", j->argv[0]);
		}
		job_clear_command(j);
		return -1;
	}
	return 0;
}

/*
 * The last lines of a failed build's log on stderr, indented under its
 * error line: what a person needs to see why, without the whole log.
 */
static void show_log_tail(const char *path)
{
	char buf[LOG_TAIL_BYTES + 1];
	const char *start, *lines[LOG_TAIL_LINES];
	size_t nlines = 0, first = 0;
	struct stat st;
	ssize_t got;
	off_t from;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fstat(fd, &st)) {
		close(fd);
		return;
	}
	from = st.st_size > LOG_TAIL_BYTES ? st.st_size - LOG_TAIL_BYTES : 0;
	do
		got = pread(fd, buf, LOG_TAIL_BYTES, from);
	while (got < 0 && errno == EINTR);
	close(fd);
	if (got <= 0)
		return;
	buf[got] = '\0';
	start = buf;
	/* A tail that begins inside a line starts at the next whole one. */
	if (from > 0 && (start = strchr(buf, '\n')) != NULL)
		start++;
	else if (from > 0)
		return;
	/* A ring of the last lines: their starts, in order from first. */
	for (char *p = (char *)start; *p; ) {
		char *nl = strchr(p, '\n');

		if (nlines < LOG_TAIL_LINES)
			lines[nlines++] = p;
		else {
			lines[first] = p;
			first = (first + 1) % LOG_TAIL_LINES;
		}
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	for (size_t i = 0; i < nlines; i++)
		fprintf(stderr, "    %s\n", lines[(first + i) % nlines]);
}

/* Opens req's log and checks its directory. 0, or -1 (req->status says why). */
/*
 * steady's environment with the entries of add ("NAME=VALUE") put in,
 * each replacing a variable of the same name: a new array (the strings
 * borrowed), freed with free().
 */
static char **environment_with(char *const *add)
{
	size_t n = 0, nadd = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	while (add[nadd])
		nadd++;
	env = xcalloc(n + nadd + 1, sizeof(*env));
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t len = eq ? (size_t)(eq - environ[i]) + 1 : strlen(environ[i]);
		int replaced = 0;

		for (size_t a = 0; a < nadd; a++)
			replaced |= !strncmp(add[a], environ[i], len);
		if (!replaced)
			env[k++] = environ[i];
	}
	for (size_t a = 0; a < nadd; a++)
		env[k++] = add[a];
	return env;
}

static int job_open(struct job *j, struct build_request *req)
{
	struct stat st;

	memset(j, 0, sizeof(*j));
	j->req = req;
	j->log_fd = -1;
	req->ok = req->interrupted = 0;
	req->seconds = 0;
	req->status[0] = '\0';
	j->start_ns = monotonic_ns();
	if (!req->ncommands) {
		snprintf(req->status, sizeof(req->status), "no build command");
		return -1;
	}
	if (!req->dir) {
		snprintf(req->status, sizeof(req->status), "no directory to build in");
		return -1;
	}
	if (stat(req->dir, &st)) {
		snprintf(req->status, sizeof(req->status), "cannot build in '%s': %s", req->dir,
			 strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(req->status, sizeof(req->status), "cannot build in '%s': not a directory",
			 req->dir);
		return -1;
	}
	if (req->env_add)
		j->envp = environment_with(req->env_add);
	j->log_fd = open(req->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (j->log_fd < 0) {
		snprintf(req->status, sizeof(req->status), "cannot open its log '%s': %s",
			 req->log_path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Ends the job: its results, the report of a failure, its resources. */
static void job_close(struct job *j, int ok)
{
	struct build_request *req = j->req;

	req->ok = ok;
	req->seconds = (double)(monotonic_ns() - j->start_ns) / 1e9;
	if (j->log_fd >= 0)
		close(j->log_fd);
	j->log_fd = -1;
	job_clear_command(j);
	free(j->envp);
	j->envp = NULL;
	if (ok || req->interrupted || req->quiet)
		return;
	if (req->ncommands > 1 && j->next > 0)
		error("build of %s failed: command %zu of %zu %s (log: %s)", req->name,
		      j->current + 1, req->ncommands, req->status, req->log_path);
	else
		error("build of %s failed: %s (log: %s)", req->name, req->status,
		      req->log_path);
	show_log_tail(req->log_path);
}

/*
 * Starts the request's next command, or ends the request when none is left
 * or one cannot start. 1 when a command runs, 0 when the request ended.
 */
static int job_advance(struct job *j, struct spawner *s)
{
	if (j->next == j->req->ncommands) {
		job_close(j, 1);
		return 0;
	}
	if (job_start_next(j, s)) {
		job_close(j, 0);
		return 0;
	}
	return 1;
}

/*
 * The running job's command has exited: reaps it, then moves the job on.
 * 1 when it runs its next command, 0 when it ended.
 */
static int job_reap(struct job *j, struct spawner *s)
{
	struct run_sample r;
	enum spawn_result res = finish_command(&j->cp, &r);

	if (res == SPAWN_INTERRUPTED) {
		j->req->interrupted = 1;
		snprintf(j->req->status, sizeof(j->req->status), "interrupted");
		job_close(j, 0);
		return 0;
	}
	if (res != SPAWN_OK) {
		snprintf(j->req->status, sizeof(j->req->status), "could not be waited for");
		job_close(j, 0);
		return 0;
	}
	if (r.exit_code != 0 || r.signal) {
		snprintf(j->req->status, sizeof(j->req->status), "%s", spawn_describe_status(&r));
		job_close(j, 0);
		return 0;
	}
	job_clear_command(j);
	return job_advance(j, s);
}

static void mark_interrupted(struct build_request *req)
{
	req->ok = 0;
	req->interrupted = 1;
	snprintf(req->status, sizeof(req->status), "interrupted");
}

/*
 * After an interrupt: the handler has killed the job's group; reap its
 * child and end the job, whatever the child's status (one that exited
 * just before the signal does not go on to its next command).
 */
static void job_abandon(struct job *j)
{
	struct run_sample r;

	finish_command(&j->cp, &r);
	mark_interrupted(j->req);
	job_close(j, 0);
}

enum build_result build_run_all_progress(struct build_request *reqs, size_t n, unsigned jobs,
					 build_done_fn done, void *ctx)
{
	struct job *slots;
	struct job *running[SPAWN_MAX_RUNNING];
	struct child_process *children[SPAWN_MAX_RUNNING];
	struct spawner s;
	size_t next = 0, nrunning = 0;
	int failed = 0, interrupted = 0;

	if (jobs < 1)
		jobs = 1;
	if (jobs > SPAWN_MAX_RUNNING)
		jobs = SPAWN_MAX_RUNNING;
	if (spawner_init(&s, 0, 0)) {
		for (size_t i = 0; i < n; i++)
			snprintf(reqs[i].status, sizeof(reqs[i].status), "not started");
		return BUILD_FAILED;
	}
	slots = xcalloc(jobs, sizeof(*slots));
	for (;;) {
		int ready;

		/* Fill the free slots; a request that ends at once frees its slot. */
		while (next < n && nrunning < jobs && !spawn_interrupted()) {
			struct build_request *req;
			struct job *j = NULL;

			for (size_t k = 0; k < jobs && !j; k++)
				if (!slots[k].req)
					j = &slots[k];
			if (!j)
				break;  /* cannot be: fewer than jobs are running */
			req = &reqs[next++];
			if (job_open(j, req))
				job_close(j, 0);
			else if (job_advance(j, &s)) {
				running[nrunning++] = j;
				continue;
			}
			failed |= !req->ok;
			if (done)
				done(ctx, req);
			j->req = NULL;
		}
		if (spawn_interrupted())
			interrupted = 1;
		if (!nrunning)
			break;
		for (size_t k = 0; k < nrunning; k++)
			children[k] = &running[k]->cp;
		ready = interrupted ? -1 : wait_any_command(children, nrunning);
		if (ready < 0) {
			/* Every group was killed by the handler: reap them all. */
			interrupted = 1;
			for (size_t k = 0; k < nrunning; k++) {
				job_abandon(running[k]);
				running[k]->req = NULL;
			}
			nrunning = 0;
			break;
		}
		if (!job_reap(running[ready], &s)) {
			failed |= !running[ready]->req->ok;
			if (done)
				done(ctx, running[ready]->req);
			running[ready]->req = NULL;
			running[ready] = running[--nrunning];
		}
	}
	if (interrupted)
		while (next < n)
			mark_interrupted(&reqs[next++]);
	free(slots);
	spawner_release(&s);
	if (interrupted)
		return BUILD_INTERRUPTED;
	return failed ? BUILD_FAILED : BUILD_OK;
}

enum build_result build_run_all(struct build_request *reqs, size_t n, unsigned jobs)
{
	return build_run_all_progress(reqs, n, jobs, NULL, NULL);
}

enum build_result build_run(struct build_request *req)
{
	return build_run_all(req, 1, 1);
}

/* 1 when path has a ".." component (it could climb out of the tree). */
static int climbs(const char *path)
{
	for (const char *p = path; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return 1;
	return 0;
}

int build_forget_binary(const char *tree, const char *binary)
{
	char *real_tree, *full, *slash, *real_parent;
	size_t tlen;
	int ret = 0;

	real_tree = realpath(tree, NULL);
	if (!real_tree)
		return error("cannot use build tree '%s': %s", tree, strerror(errno));
	if (binary[0] == '/')
		full = xstrdup(binary);
	else
		full = xasprintf("%s/%s", tree, binary);
	/* The directory holding the program, symbolic links resolved, must be the tree or inside it. */
	slash = strrchr(full, '/');
	*slash = '\0';
	real_parent = realpath(*full ? full : "/", NULL);
	*slash = '/';
	tlen = strlen(real_tree);
	if (climbs(binary) || !real_parent || strncmp(real_parent, real_tree, tlen) ||
	    (real_parent[tlen] != '\0' && real_parent[tlen] != '/') || !slash[1]) {
		ret = error("will not remove '%s' to relink it: not a file inside the build tree '%s'",
			    binary, tree);
	} else if (unlink(full)) {
		ret = error("cannot remove '%s' to relink it: %s", full, strerror(errno));
	}
	free(real_parent);
	free(full);
	free(real_tree);
	return ret;
}

/* A program with a loop and calls, so alignment and link flags have work. */
static const char probe_source[] =
	"static int twice(int x) { return 2 * x; }\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"\tint sum = 0;\n"
	"\t(void)argv;\n"
	"\tfor (int i = 0; i < argc * 100; i++)\n"
	"\t\tsum += twice(i);\n"
	"\treturn sum == -1;\n"
	"}\n";

int build_compiler_accepts(const char *cc, const char *cflags, const char *ldflags)
{
	static const char *const command[] = {
		"{cc} -Werror {cflags} -o {dir}/probe {dir}/probe.c {ldflags}"
	};
	char *dir, *source, *log;
	struct build_request req = {
		.name = "the compiler probe", .commands = command, .ncommands = 1,
		.cc = cc, .cflags = cflags, .ldflags = ldflags, .quiet = 1,
	};
	FILE *fp;
	int ret = -1;

	dir = tree_workspace_new("probe");
	if (!dir)
		return -1;
	source = xasprintf("%s/probe.c", dir);
	log = xasprintf("%s/probe.log", dir);
	fp = fopen(source, "w");
	if (fp) {
		int written = fputs(probe_source, fp) != EOF;

		/* fclose always, and a failure of either is a failure */
		if (fclose(fp) || !written)
			fp = NULL;
	}
	if (!fp) {
		error("cannot write '%s': %s", source, strerror(errno));
	} else {
		req.dir = dir;
		req.log_path = log;
		ret = build_run(&req) == BUILD_INTERRUPTED ? -1 : req.ok;
		/* A compiler that is not there refuses nothing: say so. */
		if (!ret && !strncmp(req.status, "cannot run", 10))
			ret = error("cannot test the compiler: %s", req.status);
	}
	tree_remove(dir);
	free(log);
	free(source);
	free(dir);
	return ret;
}
