/*
 * Unit tests for strmap.c: ids are given in order of first appearance,
 * the same key always gets its id back, and growing keeps every id.
 */
#include "unit_fixture.h"

#include <stdio.h>

#include "lib/strmap.h"

static void test_ids_in_order(void **state)
{
	struct strmap m = STRMAP_INIT;

	(void)state;
	assert_true(strmap_find(&m, "a") == (size_t)-1);
	assert_int_equal(strmap_intern(&m, "main;hot_a"), 0);
	assert_int_equal(strmap_intern(&m, "hot_b"), 1);
	assert_int_equal(strmap_intern(&m, "main;hot_a"), 0);
	assert_int_equal(strmap_intern(&m, ""), 2);
	assert_int_equal(strmap_find(&m, "hot_b"), 1);
	assert_true(strmap_find(&m, "hot_c") == (size_t)-1);
	assert_string_equal(strmap_key(&m, 0), "main;hot_a");
	assert_null(strmap_key(&m, 3));
	strmap_release(&m);
	assert_int_equal(m.nr, 0);
}

static void test_growing_keeps_ids(void **state)
{
	struct strmap m = STRMAP_INIT;
	char key[32];

	(void)state;
	/* 5000 keys: the table doubles from 64 slots seven times. */
	for (size_t i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "fn%zu", i);
		assert_int_equal(strmap_intern(&m, key), i);
	}
	for (size_t i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "fn%zu", i);
		assert_int_equal(strmap_find(&m, key), i);
	}
	strmap_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_in_order),
		cmocka_unit_test(test_growing_keeps_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
