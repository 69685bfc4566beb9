/*
 * test_fuzz_regressions: every input of fuzz/regressions/<target>/ (each a
 * crash or broken property that `make fuzz` once found, its bug since
 * fixed) and of the seed corpus fuzz/corpus/<target>/, run through its
 * fuzz target (fuzz/fuzz_*.c, linked in with its entry point renamed
 * <target>_one by the Makefile). A target aborts on a broken property,
 * and the sanitizer build (make sanitize) catches what ASan and UBSan see,
 * so a regression fails here without clang's libFuzzer.
 */
#include "unit_fixture.h"

#include <dirent.h>

#define TARGETS(X) X(fuzz_cachegrind) X(fuzz_diff) X(fuzz_import) X(fuzz_libcalls) \
	X(fuzz_options) X(fuzz_results) X(fuzz_sampler) X(fuzz_template) X(fuzz_words)

#define DECLARE(t) int t##_one(const uint8_t *data, size_t size);
TARGETS(DECLARE)

/* fuzz/ beside tests/fixtures (FIXTURES, or run from the top of the tree). */
static char *fuzz_dir(const char *sub, const char *target)
{
	char *fixtures = fixture_path(".");
	char *dir = xasprintf("%s/../../fuzz/%s/%s", fixtures, sub, target);

	free(fixtures);
	return dir;
}

/* Runs every file of dir through one; the number run (0 for no dir). */
static size_t replay(const char *dir, int (*one)(const uint8_t *, size_t))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char *path;
		FILE *f;
		uint8_t *buf;
		long len;

		if (e->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fseek(f, 0, SEEK_END), 0);
		len = ftell(f);
		rewind(f);
		buf = xmalloc(len ? (size_t)len : 1);
		assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		print_message("replaying %s\n", path);
		one(buf, (size_t)len);
		free(buf);
		free(path);
		n++;
	}
	closedir(d);
	return n;
}

static void run_target(const char *target, int (*one)(const uint8_t *, size_t))
{
	char *corpus = fuzz_dir("corpus", target), *regressions = fuzz_dir("regressions", target);

	/* every target has seeds: none found means the tree was not found */
	assert_true(replay(corpus, one) > 0);
	replay(regressions, one);
	free(corpus);
	free(regressions);
}

#define TEST(t) static void test_##t(void **state) { (void)state; run_target(#t, t##_one); }
TARGETS(TEST)

int main(void)
{
#define ENTRY(t) cmocka_unit_test(test_##t),
	const struct CMUnitTest tests[] = { TARGETS(ENTRY) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
