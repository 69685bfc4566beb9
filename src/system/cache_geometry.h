/*
 * cache_geometry: the caches `steady cache` asks Cachegrind to simulate —
 * read from this host's sysfs (cpu0's cache/index*), or given as
 * --I1/--D1/--LL SIZE,ASSOC,LINE — and checked against what Cachegrind can
 * simulate (a whole, power-of-two number of sets and line size).
 * Plain data; nothing to free.
 */
#ifndef STEADY_CACHE_GEOMETRY_H
#define STEADY_CACHE_GEOMETRY_H

struct cache_level {
	long size;   /* bytes; 0 = unknown (Cachegrind picks) */
	long assoc;  /* ways */
	long line;   /* bytes */
	const char *source;  /* "host", "option", or NULL when unknown */
};

struct cache_geometry {
	struct cache_level i1, d1, ll;
};

/*
 * Reads dir (normally /sys/devices/system/cpu/cpu0/cache): I1 and D1 from
 * the level-1 instruction and data caches, LL from the highest unified
 * level. Levels not found stay unknown. Never fails.
 */
void cache_geometry_from_sysfs(struct cache_geometry *g, const char *dir);

/* "32768,8,64" into l; 0, or -1 (nothing printed). */
int cache_level_parse(const char *s, struct cache_level *l);

/* 1 when Cachegrind can simulate l: sets and line a power of two, line
 * >= 16 B, size > line and <= 1 GiB. */
int cache_level_simulable(const struct cache_level *l);

/* "32 KiB, 8-way, 64 B lines" (or "unknown"), into buf. */
char *cache_level_describe(char *buf, unsigned long size, const struct cache_level *l);

#endif
