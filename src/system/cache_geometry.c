/*
 * cache_geometry: see cache_geometry.h.
 */
#include "system/cache_geometry.h"
#include "lib/util.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first line of dir/name, without the newline; 0 or -1. */
static int read_line(const char *dir, const char *name, char *buf, size_t size)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	int ok;

	free(path);
	if (!f)
		return -1;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* "32K", "1024K", "32M", "65536" into bytes; -1 when not a size. */
static long parse_size(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || v <= 0)
		return -1;
	if (*end == 'K')
		v *= 1024, end++;
	else if (*end == 'M')
		v *= 1024 * 1024, end++;
	return *end ? -1 : v;
}

static long read_number(const char *dir, const char *name)
{
	char buf[64];

	return read_line(dir, name, buf, sizeof(buf)) ? -1 : parse_size(buf);
}

void cache_geometry_from_sysfs(struct cache_geometry *g, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long ll_level = 0;

	memset(g, 0, sizeof(*g));
	if (!d)
		return;
	while ((e = readdir(d))) {
		char *sub, type[32];
		struct cache_level l = { 0, 0, 0, "host" };
		long level;

		if (strncmp(e->d_name, "index", 5) || !isdigit((unsigned char)e->d_name[5]))
			continue;
		sub = xasprintf("%s/%s", dir, e->d_name);
		level = read_number(sub, "level");
		l.size = read_number(sub, "size");
		l.assoc = read_number(sub, "ways_of_associativity");
		l.line = read_number(sub, "coherency_line_size");
		if (read_line(sub, "type", type, sizeof(type)))
			type[0] = '\0';
		free(sub);
		if (level < 1 || l.size <= 0 || l.assoc <= 0 || l.line <= 0)
			continue;
		if (level == 1 && !strcmp(type, "Instruction"))
			g->i1 = l;
		else if (level == 1 && !strcmp(type, "Data"))
			g->d1 = l;
		else if (!strcmp(type, "Unified") && level > ll_level) {
			g->ll = l;
			ll_level = level;
		}
	}
	closedir(d);
}

int cache_level_parse(const char *s, struct cache_level *l)
{
	long v[3];
	const char *p = s;

	for (int i = 0; i < 3; i++) {
		char *end;

		if (!isdigit((unsigned char)*p))
			return -1;
		v[i] = strtol(p, &end, 10);
		if (v[i] <= 0 || (i < 2 ? *end != ',' : *end != '\0'))
			return -1;
		p = end + 1;
	}
	l->size = v[0];
	l->assoc = v[1];
	l->line = v[2];
	l->source = "option";
	return 0;
}

static int power_of_two(long v)
{
	return v > 0 && !(v & (v - 1));
}

int cache_level_simulable(const struct cache_level *l)
{
	long sets;

	/*
	 * Cachegrind's own limits: lines of at least 16 bytes, a cache larger
	 * than a line, sizes that fit its 32-bit arithmetic.
	 */
	if (l->size <= 0 || l->assoc <= 0 || l->line < 16 || !power_of_two(l->line) ||
	    l->size <= l->line || l->size > (1L << 30))
		return 0;
	if (l->size % (l->assoc * l->line))
		return 0;
	sets = l->size / (l->assoc * l->line);
	return power_of_two(sets);
}

char *cache_level_describe(char *buf, unsigned long size, const struct cache_level *l)
{
	if (l->size <= 0) {
		snprintf(buf, size, "Cachegrind's default");
		return buf;
	}
	if (l->size % (1024 * 1024) == 0)
		snprintf(buf, size, "%ld MiB, %ld-way, %ld B lines", l->size / (1024 * 1024),
			 l->assoc, l->line);
	else if (l->size % 1024 == 0)
		snprintf(buf, size, "%ld KiB, %ld-way, %ld B lines", l->size / 1024, l->assoc, l->line);
	else
		snprintf(buf, size, "%ld B, %ld-way, %ld B lines", l->size, l->assoc, l->line);
	return buf;
}
