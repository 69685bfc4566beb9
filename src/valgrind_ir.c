/*
 * valgrind_ir: see valgrind_ir.h.
 */
#include "valgrind_ir.h"
#include "cachegrind.h"
#include "spawn.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	m->out = xasprintf("%s/cachegrind.out", m->dir);
	return 0;
}

void ir_meter_release(struct ir_meter *m)
{
	if (m->out)
		unlink(m->out);
	if (m->dir)
		rmdir(m->dir);
	free(m->valgrind);
	free(m->dir);
	free(m->out);
	memset(m, 0, sizeof(*m));
}

char **ir_meter_argv(const struct ir_meter *m, const char *path, char *const argv[])
{
	static const char *const options[] = {
		"--tool=cachegrind",
		"--cache-sim=no",	/* Ir needs no simulation: several times faster */
		"--branch-sim=no",
	};
	const size_t nopt = sizeof(options) / sizeof(*options);
	size_t argc = 0, k = 0;
	char **out;

	while (argv[argc])
		argc++;
	out = xcalloc(1 + nopt + 1 + argc + 1, sizeof(*out));
	out[k++] = xstrdup(m->valgrind);
	for (size_t i = 0; i < nopt; i++)
		out[k++] = xstrdup(options[i]);
	out[k++] = xasprintf("--cachegrind-out-file=%s", m->out);
	/* The resolved path, so valgrind runs what steady checked. */
	out[k++] = xstrdup(path);
	for (size_t i = 1; i < argc; i++)
		out[k++] = xstrdup(argv[i]);
	return out;
}

void ir_meter_read(const struct ir_meter *m, struct run_count *out)
{
	struct cg_profile p;
	int found = 0;
	uint64_t ir = 0;
	FILE *probe;

	memset(out, 0, sizeof(*out));
	out->status = COUNTER_NOT_COUNTED;
	/* No file: the run died before valgrind wrote one; nothing to say. */
	probe = fopen(m->out, "r");
	if (!probe)
		return;
	fclose(probe);
	cg_profile_init(&p);
	if (!cachegrind_parse(m->out, &p))
		ir = cg_total(&p, "Ir", &found);
	cg_profile_release(&p);
	unlink(m->out);
	if (!found)
		return;
	out->status = COUNTER_COUNTED;
	out->value = (double)ir;
	out->running_pct = 100.0;
}
