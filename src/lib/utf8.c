/*
 * utf8: see utf8.h.
 */
#include <string.h>

#include "lib/utf8.h"
#include "lib/util.h"

size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if (s[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		if (s[0] == 0xed)
			hi = 0x9f;	/* surrogates */
		if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if (s[0] == 0xf0)
			lo = 0x90;	/* overlong */
		if (s[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
		if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

int utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_seq_len(p);

		if (!n)
			return 0;
		p += n;
	}
	return 1;
}

char *utf8_valid_copy(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	/* At most three bytes (U+FFFD) for each one. */
	char *out = xmalloc(3 * strlen(s) + 1), *q = out;

	while (*p) {
		size_t n = utf8_seq_len(p);

		if (!n) {
			memcpy(q, "\xef\xbf\xbd", 3);
			q += 3;
			p++;
			continue;
		}
		memcpy(q, p, n);
		q += n;
		p += n;
	}
	*q = '\0';
	return out;
}
