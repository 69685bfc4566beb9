/*
 * digest: see digest.h.
 */
#include "lib/digest.h"

#include <stdio.h>
#include <string.h>

#define FNV_PRIME 0x100000001b3ULL

void digest_init(struct digest *d)
{
	/* FNV-1a's offset basis, and the same with its halves swapped */
	d->h[0] = 0xcbf29ce484222325ULL;
	d->h[1] = 0x84222325cbf29ce4ULL;
}

void digest_bytes(struct digest *d, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		d->h[0] = (d->h[0] ^ p[i]) * FNV_PRIME;
		d->h[1] = (d->h[1] ^ p[i]) * FNV_PRIME;
		/* folding the high bits down makes the lanes' collisions differ */
		d->h[1] ^= d->h[1] >> 29;
	}
}

void digest_field(struct digest *d, const void *data, size_t len)
{
	uint64_t n = len;

	digest_bytes(d, &n, sizeof(n));
	digest_bytes(d, data, len);
}

void digest_string(struct digest *d, const char *s)
{
	unsigned char present = s != NULL;

	digest_bytes(d, &present, 1);
	if (s)
		digest_field(d, s, strlen(s));
}

void digest_hex(const struct digest *d, char hex[33])
{
	snprintf(hex, 33, "%016llx%016llx", (unsigned long long)d->h[0],
		 (unsigned long long)d->h[1]);
}
