/*
 * strmap: see strmap.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/digest.h"
#include "lib/strmap.h"
#include "lib/util.h"

static size_t hash_of(const char *key)
{
	struct digest d;

	digest_init(&d);
	digest_bytes(&d, key, strlen(key));
	return (size_t)d.h[0];
}

/* The slot that holds key, or the empty slot where it would go. */
static size_t slot_of(const struct strmap *m, const char *key)
{
	size_t mask = m->nr_slots - 1, i = hash_of(key) & mask;

	while (m->slots[i] && strcmp(m->keys[m->slots[i] - 1], key))
		i = (i + 1) & mask;
	return i;
}

static void rehash(struct strmap *m, size_t nr_slots)
{
	free(m->slots);
	m->slots = xcalloc(nr_slots, sizeof(*m->slots));
	m->nr_slots = nr_slots;
	for (size_t id = 0; id < m->nr; id++)
		m->slots[slot_of(m, m->keys[id])] = id + 1;
}

size_t strmap_intern(struct strmap *m, const char *key)
{
	size_t i;

	if (2 * (m->nr + 1) > m->nr_slots)
		rehash(m, m->nr_slots ? 2 * m->nr_slots : 64);
	i = slot_of(m, key);
	if (m->slots[i])
		return m->slots[i] - 1;
	ALLOC_GROW(m->keys, m->nr + 1, m->alloc);
	m->keys[m->nr] = xstrdup(key);
	m->slots[i] = ++m->nr;
	return m->nr - 1;
}

size_t strmap_find(const struct strmap *m, const char *key)
{
	size_t i;

	if (!m->nr_slots)
		return (size_t)-1;
	i = slot_of(m, key);
	return m->slots[i] ? m->slots[i] - 1 : (size_t)-1;
}

const char *strmap_key(const struct strmap *m, size_t id)
{
	return id < m->nr ? m->keys[id] : NULL;
}

void strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->nr; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
