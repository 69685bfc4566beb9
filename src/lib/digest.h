/*
 * digest: a 128-bit digest of byte strings, for the keys of steady's
 * build cache (a tree's files, the commands and flags of a build). Two
 * FNV-1a lanes, the second also folding its state: fast and dependency
 * free, good at telling apart the inputs one user gives; not
 * cryptographic, so never a defence against inputs made to collide.
 *
 * Ownership: struct digest is a value the caller keeps; nothing to free.
 */
#ifndef STEADY_DIGEST_H
#define STEADY_DIGEST_H

#include <stddef.h>
#include <stdint.h>

struct digest {
	uint64_t h[2];
};

void digest_init(struct digest *d);
/* Bytes as they come (a file's contents, read in pieces). */
void digest_bytes(struct digest *d, const void *data, size_t len);
/* One field: its length, then its bytes, so "ab" + "c" and "a" + "bc" differ. */
void digest_field(struct digest *d, const void *data, size_t len);
/* A NUL-terminated string as a field; NULL differs from "". */
void digest_string(struct digest *d, const char *s);
/* The digest as 32 lowercase hex digits and a NUL into hex. */
void digest_hex(const struct digest *d, char hex[33]);

#endif
