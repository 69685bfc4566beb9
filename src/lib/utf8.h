/*
 * utf8: telling valid UTF-8 from other bytes, for everything steady writes
 * as JSON text (and shows beside it): a command line, a file name or a
 * function's symbol may hold any bytes, and one rule applies to them all —
 * each byte that does not begin a valid sequence becomes U+FFFD, so a
 * measurement is never lost over a name (docs/results-format.md).
 *
 * Ownership: utf8_valid_copy() returns a new string the caller frees.
 */
#ifndef STEADY_UTF8_H
#define STEADY_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s, 0 if there is none (RFC 3629). */
size_t utf8_seq_len(const unsigned char *s);
/* 1 when all of s is valid UTF-8. */
int utf8_valid(const char *s);
/* s with each byte that starts no valid sequence replaced by U+FFFD. */
char *utf8_valid_copy(const char *s);

#endif
