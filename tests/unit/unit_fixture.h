/*
 * unit_fixture: what the unit tests share. Every tests/unit/test_*.c
 * includes it first, in place of cmocka.h and the headers cmocka needs
 * before it; it brings lib/util.h (xasprintf, xcalloc) and
 * stderr_capture.h (CAPTURE, check_message) along.
 *
 *  - ARRAY_SIZE; assert_double_equal where cmocka lacks it; assert_nan.
 *  - A scratch directory per test: a test file defines its setup as
 *    fixture_setup(state, "name") and registers it with teardown:
 *        cmocka_unit_test_setup_teardown(test_x, setup, teardown)
 *    *state is then a struct fixture: dir, a fresh directory under /tmp
 *    named after the test binary, and path, dir/name (empty for NULL).
 *    teardown removes dir and everything in it, whatever the test left
 *    (unreadable or unwritable directories included), and frees the fixture.
 *  - fixture_path(): a file of the shared tests/fixtures tree.
 *  - write_text(), write_file(), read_text(): whole files, or the test fails.
 *
 * Everything here is static inline: a test uses what it needs, and the
 * compiler says nothing of the rest.
 */
#ifndef STEADY_TEST_UNIT_FIXTURE_H
#define STEADY_TEST_UNIT_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/util.h"
#include "stderr_capture.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifndef assert_double_equal
/* cmocka < 1.1.6 only has assert_float_equal, which rounds to float. */
static inline void check_double_equal(double a, double b, double eps,
				      const char *file, int line)
{
	if (!(fabs(a - b) <= eps)) {
		print_error("%.17g != %.17g (epsilon %g)\n", a, b, eps);
		_fail(file, line);
	}
}
#define assert_double_equal(a, b, eps) \
	check_double_equal((a), (b), (eps), __FILE__, __LINE__)
#endif

#define assert_nan(x) assert_true(isnan(x))

/* ---- the scratch directory ---- */

struct fixture {
	char dir[256];          /* /tmp/steady-test_NAME-XXXXXX */
	char path[PATH_MAX];    /* dir/<the name given to fixture_setup> */
};

/* Makes the directory; file (may be NULL) names f->path inside it. */
static inline int fixture_setup(void **state, const char *file)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/steady-%s-XXXXXX",
		 program_invocation_short_name);
	if (!mkdtemp(f->dir)) {
		print_error("cannot make %s: %s\n", f->dir, strerror(errno));
		free(f);
		return -1;
	}
	if (file)
		snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, file);
	*state = f;
	return 0;
}

/* A test may have taken the permissions away: give them back first. */
static inline int fixture_unlock(const char *path, const struct stat *st,
				 int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DNR)
		chmod(path, 0700);
	return 0;
}

static inline int fixture_remove(const char *path, const struct stat *st,
				 int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path)) {
		print_error("cannot remove %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static inline int teardown(void **state)
{
	struct fixture *f = *state;
	int ret;

	/* Pre-order: a directory is unlocked before its entries are read. */
	nftw(f->dir, fixture_unlock, 16, FTW_PHYS);
	ret = nftw(f->dir, fixture_remove, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return ret;
}

/* A path inside the fixture directory; valid until the next call. */
static inline const char *in_dir(const struct fixture *f, const char *name)
{
	static char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/%s", f->dir, name);
	return buf;
}

/*
 * A file of the shared fixture tree: under $FIXTURES (the test runner sets
 * it, so the tests run from any directory), else under "tests/fixtures"
 * from the top of the repository. The caller frees the path.
 */
static inline char *fixture_path(const char *name)
{
	const char *dir = getenv("FIXTURES");

	if (!dir || !*dir)
		dir = "tests/fixtures";
	return xasprintf("%s/%s", dir, name);
}

/* ---- whole files ---- */

static inline void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static inline void write_text(const char *path, const char *text)
{
	write_file(path, text, strlen(text));
}

/* The whole of path, NUL-terminated; the caller frees it. */
static inline char *read_text(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long len;

	if (!fp)
		print_error("cannot open %s: %s (is FIXTURES set?)\n", path,
			    strerror(errno));
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	assert_true(len >= 0);
	rewind(fp);
	buf = xcalloc((size_t)len + 1, 1);
	assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	return buf;
}

#endif
