/*
 * sysroot: see sysroot.h.
 */
#include "system/sysroot.h"
#include "lib/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_MAX (1 << 20)

char *sys_path(const struct sysroot *r, const char *path)
{
	return xasprintf("%s%s", r->dir ? r->dir : "", path);
}

char *sys_read_all(const struct sysroot *r, const char *path)
{
	char *full = sys_path(r, path), *buf;
	FILE *f = fopen(full, "r");
	size_t n;
	int saved;

	free(full);
	if (!f)
		return NULL;
	buf = xmalloc(READ_MAX + 1);
	n = fread(buf, 1, READ_MAX, f);
	saved = ferror(f) ? errno : 0;
	fclose(f);
	if (saved) {
		free(buf);
		errno = saved;
		return NULL;
	}
	buf[n] = '\0';
	return xrealloc(buf, n + 1);
}

char *sys_read(const struct sysroot *r, const char *path)
{
	char *s = sys_read_all(r, path);
	size_t len;

	if (!s)
		return NULL;
	s[strcspn(s, "\n")] = '\0';
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

int sys_exists(const struct sysroot *r, const char *path)
{
	char *full = sys_path(r, path);
	int ok = !access(full, F_OK);

	free(full);
	return ok;
}

size_t cpu_list_parse(const char *s, int **cpus)
{
	/* The kernel's lists end at a newline; anything after a blank is not the list's. */
	size_t len = strcspn(s ? s : "", " \t\n\v\f\r"), n = 0;
	char *list = xmalloc(len + 1);
	cpu_set_t set;

	*cpus = NULL;
	memcpy(list, s ? s : "", len);
	list[len] = '\0';
	/* The parser of --cpu: CPUs below CPU_SETSIZE, each set once however often named. */
	if (!parse_cpu_list(list, &set) && CPU_COUNT(&set)) {
		*cpus = xcalloc((size_t)CPU_COUNT(&set), sizeof(**cpus));
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &set))
				(*cpus)[n++] = c;
	}
	free(list);
	return n;
}

size_t sys_online_cpus(const struct sysroot *r, int **cpus)
{
	char *s = sys_read(r, "/sys/devices/system/cpu/online");
	size_t n;

	if (!s) {
		*cpus = NULL;
		return 0;
	}
	n = cpu_list_parse(s, cpus);
	free(s);
	return n;
}
