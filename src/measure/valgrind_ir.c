/*
 * valgrind_ir: see valgrind_ir.h.
 */
#include "measure/valgrind_ir.h"
#include "formats/cachegrind.h"
#include "measure/spawn.h"
#include "lib/util.h"
#include "lib/words.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>

/* s with every % doubled: valgrind expands %p and %q{VAR} in file names. */
static char *percent_escape(const char *s)
{
	char *out = xmalloc(2 * strlen(s) + 1), *p = out;

	for (; *s; s++) {
		if (*s == '%')
			*p++ = '%';
		*p++ = *s;
	}
	*p = '\0';
	return out;
}

int ir_meter_init(struct ir_meter *m)
{
	const char *tmp = getenv("TMPDIR");
	char *found;

	memset(m, 0, sizeof(*m));
	found = spawn_find_program("valgrind");
	if (!found)
		return error("--metric valgrind-ir needs valgrind, which is not installed "
			     "(Debian: apt-get install valgrind)");
	m->valgrind = found;
	m->dir = xasprintf("%s/steady-ir.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(m->dir)) {
		error("cannot create a directory in '%s': %s", tmp && *tmp ? tmp : "/tmp",
		      strerror(errno));
		ir_meter_release(m);
		return -1;
	}
	return 0;
}

/* Calls fn on each output file in m->dir (one per process valgrind ran). */
static void each_output(const struct ir_meter *m, void (*fn)(const char *path, void *ctx),
			void *ctx)
{
	DIR *d = opendir(m->dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char *path;

		if (strncmp(e->d_name, "cachegrind.out.", 15))
			continue;
		path = xasprintf("%s/%s", m->dir, e->d_name);
		fn(path, ctx);
		free(path);
	}
	if (d)
		closedir(d);
}

static void remove_file(const char *path, void *ctx)
{
	(void)ctx;
	unlink(path);
}

void ir_meter_release(struct ir_meter *m)
{
	if (m->dir) {
		each_output(m, remove_file, NULL);
		rmdir(m->dir);
	}
	free(m->valgrind);
	free(m->dir);
	memset(m, 0, sizeof(*m));
}

char **cachegrind_argv(const struct cachegrind_invocation *inv, const char *path,
		       char *const argv[])
{
	char *dir = percent_escape(inv->dir);
	size_t nopt = 0, argc = 0, k = 0;
	char **out;

	while (inv->options[nopt])
		nopt++;
	while (argv[argc])
		argc++;
	out = xcalloc(3 + nopt + 2 + 1 + argc, sizeof(*out));
	out[k++] = xstrdup(inv->valgrind);
	out[k++] = xstrdup("--tool=cachegrind");
	out[k++] = xstrdup("--vgdb=no");	/* no vgdb FIFOs left in TMPDIR by a killed run */
	for (size_t i = 0; i < nopt; i++)
		out[k++] = xstrdup(inv->options[i]);
	out[k++] = xasprintf("--cachegrind-out-file=%s/%s", dir, inv->out_name);
	if (inv->log_name)
		out[k++] = xasprintf("--log-file=%s/%s", dir, inv->log_name);
	/* The resolved path, so valgrind runs what steady checked. */
	out[k++] = xstrdup(path);
	for (size_t i = 1; i < argc; i++)
		out[k++] = xstrdup(argv[i]);
	free(dir);
	return out;
}

char **ir_meter_argv(const struct ir_meter *m, const char *path, char *const argv[])
{
	static char *const options[] = {
		"--cache-sim=no",	/* Ir needs no simulation: several times faster */
		"--branch-sim=no",
		/* The command's children too (a --shell script, a driver
		 * program): one output file each, summed. */
		"--trace-children=yes",
		NULL
	};
	struct cachegrind_invocation inv = {
		m->valgrind, options, m->dir, "cachegrind.out.%p", NULL
	};

	return cachegrind_argv(&inv, path, argv);
}

struct ir_sum {
	uint64_t ir;
	int found;
};

static void add_output(const char *path, void *ctx)
{
	struct ir_sum *sum = ctx;
	struct cg_profile p;
	int found = 0;

	cg_profile_init(&p);
	if (!cachegrind_parse(path, &p)) {
		uint64_t ir = cg_total(&p, "Ir", &found);

		if (found) {
			sum->ir += ir;
			sum->found = 1;
		}
	}
	cg_profile_release(&p);
	unlink(path);
}

void ir_meter_read(const struct ir_meter *m, struct run_count *out)
{
	struct ir_sum sum = { 0, 0 };

	memset(out, 0, sizeof(*out));
	out->status = COUNTER_NOT_COUNTED;
	/* No file: the run died before valgrind wrote one; nothing to say. */
	each_output(m, add_output, &sum);
	if (!sum.found)
		return;
	out->status = COUNTER_COUNTED;
	out->value = (double)sum.ir;
	out->running_pct = 100.0;
}

/* The last line valgrind logged that says what went wrong, for messages. */
static char *last_log_line(const char *log)
{
	FILE *f = fopen(log, "r");
	char line[512], *last = NULL;

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;

		line[strcspn(line, "\n")] = '\0';
		/* "==123== text": drop the pid prefix */
		if (p[0] == '=' && p[1] == '=' && (p = strstr(p + 2, "== ")))
			p += 3;
		else
			p = line;
		if (*p && strstr(p, "rror")) {
			free(last);
			last = xstrdup(p);
		}
	}
	fclose(f);
	return last;
}

int cachegrind_run(const struct cachegrind_invocation *inv, char *const argv[], char label,
		   int show_output, struct cg_profile *p)
{
	char *program = spawn_resolve(argv[0]), **vg_argv, *out, *log = NULL;
	struct spawner sp;
	struct run_sample r;
	enum spawn_result res;
	int ret;

	if (!program)
		return -1;
	vg_argv = cachegrind_argv(inv, program, argv);
	free(program);
	if (spawner_init(&sp, show_output, 0)) {
		words_free(vg_argv);
		return -1;
	}
	res = spawner_run(&sp, vg_argv[0], vg_argv, environ, &r);
	spawner_release(&sp);
	words_free(vg_argv);
	if (res == SPAWN_INTERRUPTED)
		return -2;
	if (res != SPAWN_OK)
		return -1;
	if (inv->log_name)
		log = xasprintf("%s/%s", inv->dir, inv->log_name);
	if (run_failed(&r)) {
		char *why = log ? last_log_line(log) : NULL;

		error("%c %s under valgrind%s%s", label, spawn_describe_status(&r),
		      why ? ": " : "", why ? why : "");
		free(why);
		free(log);
		return -3;
	}
	free(log);
	out = xasprintf("%s/%s", inv->dir, inv->out_name);
	ret = cachegrind_parse(out, p);
	free(out);
	return ret ? -1 : 0;
}
