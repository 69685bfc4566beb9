/*
 * Unit tests for lib/digest.c and tree_digest(): the cache keys of sweep's
 * builds. The first lane is plain 64-bit FNV-1a, so it is checked against
 * the published FNV-1a test vectors; the rest are the properties a key
 * needs (fields kept apart, a tree's digest independent of where it lies).
 */
#include "unit_fixture.h"

#include "lib/digest.h"
#include "toolchain/tree.h"

#include <sys/stat.h>

static void test_fnv_lane(void **state)
{
	struct digest d;

	(void)state;
	/* FNV-1a 64 offset basis and vectors from the FNV reference page (isthe.com/chongo/tech/comp/fnv) */
	digest_init(&d);
	assert_true(d.h[0] == 0xcbf29ce484222325ULL);
	digest_bytes(&d, "a", 1);
	assert_true(d.h[0] == 0xaf63dc4c8601ec8cULL);
	digest_init(&d);
	digest_bytes(&d, "foobar", 6);
	assert_true(d.h[0] == 0x85944171f73967e8ULL);
}

static void test_fields_apart(void **state)
{
	struct digest x, y;
	char hx[33], hy[33];

	(void)state;
	digest_init(&x);
	digest_string(&x, "ab");
	digest_string(&x, "c");
	digest_init(&y);
	digest_string(&y, "a");
	digest_string(&y, "bc");
	digest_hex(&x, hx);
	digest_hex(&y, hy);
	assert_int_equal(strlen(hx), 32);
	assert_string_not_equal(hx, hy);
	/* NULL and "" are different values of a flag */
	digest_init(&x);
	digest_string(&x, NULL);
	digest_init(&y);
	digest_string(&y, "");
	digest_hex(&x, hx);
	digest_hex(&y, hy);
	assert_string_not_equal(hx, hy);
}

static int setup(void **state)
{
	return fixture_setup(state, NULL);
}

static void test_tree_digest(void **state)
{
	struct fixture *f = *state;
	char *a = xasprintf("%s/a", f->dir), *b = xasprintf("%s/b", f->dir);
	char *fa, *fb;
	uint64_t da[2], db[2];

	assert_int_equal(mkdir(a, 0755), 0);
	assert_int_equal(mkdir(b, 0755), 0);
	fa = xasprintf("%s/main.c", a);
	fb = xasprintf("%s/main.c", b);
	write_text(fa, "int main(void) { return 0; }\n");
	write_text(fb, "int main(void) { return 0; }\n");
	/* the same files in two places: the same digest */
	assert_int_equal(tree_digest(a, da), 0);
	assert_int_equal(tree_digest(b, db), 0);
	assert_true(da[0] == db[0] && da[1] == db[1]);
	/* one byte more, or an executable bit, makes another */
	write_text(fb, "int main(void) { return 1; }\n");
	assert_int_equal(tree_digest(b, db), 0);
	assert_false(da[0] == db[0] && da[1] == db[1]);
	write_text(fb, "int main(void) { return 0; }\n");
	assert_int_equal(chmod(fb, 0755), 0);
	assert_int_equal(tree_digest(b, db), 0);
	assert_false(da[0] == db[0] && da[1] == db[1]);
	free(fa);
	free(fb);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv_lane),
		cmocka_unit_test(test_fields_apart),
		cmocka_unit_test_setup_teardown(test_tree_digest, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
