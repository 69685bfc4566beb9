/*
 * strmap: strings to small consecutive ids — a function's label to its row
 * in a profile, a folded stack to its counter. Open addressing on FNV-1a
 * (lib/digest.h), grown at half full.
 *
 * Ownership: the map owns copies of its keys; strmap_key() hands out a
 * pointer valid until strmap_release(). Zero-initialised (STRMAP_INIT) is
 * empty.
 */
#ifndef STEADY_STRMAP_H
#define STEADY_STRMAP_H

#include <stddef.h>

struct strmap {
	char **keys;       /* by id */
	size_t nr, alloc;
	size_t *slots;     /* id + 1, 0 = empty */
	size_t nr_slots;   /* a power of two, or 0 */
};
#define STRMAP_INIT { NULL, 0, 0, NULL, 0 }

/* The id of key, added (as id nr) when new. */
size_t strmap_intern(struct strmap *m, const char *key);
/* The id of key, or (size_t)-1 when absent. */
size_t strmap_find(const struct strmap *m, const char *key);
const char *strmap_key(const struct strmap *m, size_t id);
void strmap_release(struct strmap *m);

#endif
