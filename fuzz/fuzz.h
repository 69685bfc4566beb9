/*
 * fuzz: what the libFuzzer targets of this folder share. Each fuzz_*.c is
 * one target: an LLVMFuzzerTestOneInput() that feeds its input to one of
 * steady's parsers through the library's public functions, and checks the
 * properties that must hold of whatever the parser accepted.
 *
 * The same files are built two ways (Makefile):
 *  - `make fuzz`: with clang -fsanitize=fuzzer,address,undefined into
 *    build/fuzz/bin/, run on fuzz/corpus/<target>/ for a bounded time;
 *  - every build: with -DLLVMFuzzerTestOneInput=<target>_one into
 *    tests/unit/test_fuzz_regressions, which replays fuzz/regressions/
 *    and fuzz/corpus/ through each target in `make check` (and so under
 *    ASan in `make sanitize`), so a crash once found stays fixed.
 *
 * A broken property calls fuzz_fail(), which aborts: libFuzzer saves the
 * input as a crash, and the replay test fails.
 *
 * Ownership: the helpers return new memory the target frees.
 */
#ifndef STEADY_FUZZ_H
#define STEADY_FUZZ_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs beyond this are cut: the parsers' cost is in their structure, not length. */
#define FUZZ_MAX_INPUT (256 * 1024)

__attribute__((noreturn, format(printf, 1, 2)))
static inline void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fuzz: property broken: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

/* data as a NUL-terminated string (an embedded NUL ends it early). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * data cut at its first n - 1 NUL bytes into n strings, parts[i] pointing
 * into one new buffer (returned; free it). Missing parts are "".
 */
static inline char *fuzz_split(const uint8_t *data, size_t size, char **parts, size_t n)
{
	char *buf = fuzz_string(data, size), *p = buf, *end = buf + size;

	for (size_t i = 0; i < n; i++) {
		parts[i] = p < end ? p : buf + size;
		if (p < end)
			p += strlen(p) + 1;
	}
	return buf;
}

/*
 * data in an anonymous memory file, for the parsers that take a path:
 * its "/proc/self/fd/N" name goes in path. The descriptor, or -1.
 */
static inline int fuzz_memfd(const uint8_t *data, size_t size, char path[64])
{
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
