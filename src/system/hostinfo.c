/*
 * hostinfo: reads the facts about this machine that are stored with every
 * result (see hostinfo.h). struct host_info owns its strings; every fact that
 * cannot be found becomes "unknown" (cpu_count 0) rather than an error,
 * because a missing hostname is no reason to throw a measurement away.
 */
#include "system/hostinfo.h"
#include "lib/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

void hostinfo_init(struct host_info *h)
{
	memset(h, 0, sizeof(*h));
}

void hostinfo_release(struct host_info *h)
{
	free(h->hostname);
	free(h->kernel);
	free(h->arch);
	free(h->cpu_model);
	hostinfo_init(h);
}

static char *read_hostname(void)
{
	char name[256];

	/* gethostname() may truncate without a terminating NUL */
	if (gethostname(name, sizeof(name) - 1) < 0)
		return xstrdup("unknown");
	name[sizeof(name) - 1] = '\0';
	return xstrdup(*name ? name : "unknown");
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/*
 * x86 says "model name"; many ARM kernels only say "Hardware" (the board) and
 * MIPS says "cpu model". The first is the most useful, so it wins wherever it
 * appears in the file; for each key the first (CPU 0's) line is kept.
 */
static const char *const cpu_keys[] = { "model name", "Hardware", "cpu model" };
#define NR_CPU_KEYS (sizeof(cpu_keys) / sizeof(*cpu_keys))

static char *read_cpu_model(void)
{
	char *found[NR_CPU_KEYS] = { NULL };
	char *line = NULL, *model = NULL;
	size_t len = 0;
	FILE *fp = fopen("/proc/cpuinfo", "r");

	if (!fp)
		return xstrdup("unknown");
	while (getline(&line, &len, fp) >= 0) {
		char *colon = strchr(line, ':');
		char *key, *value;

		if (!colon)
			continue;
		*colon = '\0';
		key = trim(line);
		value = trim(colon + 1);
		if (!*value)
			continue;
		for (size_t i = 0; i < NR_CPU_KEYS; i++)
			if (!found[i] && !strcmp(key, cpu_keys[i]))
				found[i] = xstrdup(value);
	}
	free(line);
	fclose(fp);

	for (size_t i = 0; i < NR_CPU_KEYS; i++) {
		if (!model)
			model = found[i];
		else
			free(found[i]);
	}
	return model ? model : xstrdup("unknown");
}

void hostinfo_read(struct host_info *h)
{
	struct utsname u;
	long cpus;

	hostinfo_release(h);
	h->hostname = read_hostname();
	if (uname(&u) < 0) {
		h->kernel = xstrdup("unknown");
		h->arch = xstrdup("unknown");
	} else {
		h->kernel = xasprintf("%s %s %s", u.sysname, u.release, u.version);
		h->arch = xstrdup(u.machine);
	}
	h->cpu_model = read_cpu_model();
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	h->cpu_count = cpus > 0 && cpus <= 1L << 30 ? (int)cpus : 0;
}
