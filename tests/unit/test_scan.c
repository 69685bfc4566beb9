/*
 * Unit tests for measure/scan.c: the values of -P and -L, their product
 * and the order of combinations. Expected values are by hand (each
 * comment says how).
 */
#include "unit_fixture.h"
#include "stderr_capture.h"

#include "measure/scan.h"

#include <string.h>

static void test_range(void **state)
{
	struct scan s;
	char *msg;

	(void)state;
	scan_init(&s);
	/* hand: 1, 2, 3 */
	assert_int_equal(scan_add_range(&s, "n", "1", "3", NULL), 0);
	assert_int_equal(s.params[0].nr, 3);
	assert_string_equal(s.params[0].values[2], "3");
	scan_release(&s);
	/* hand: 0.5 + k * 0.1 up to 0.8, printed as the shortest decimals */
	assert_int_equal(scan_add_range(&s, "t", "0.5", "0.8", "0.1"), 0);
	assert_int_equal(s.params[0].nr, 4);
	assert_string_equal(s.params[0].values[0], "0.5");
	assert_string_equal(s.params[0].values[1], "0.6");
	assert_string_equal(s.params[0].values[3], "0.8");
	scan_release(&s);
	/* hand: 0 + 3 x 0.1 is 0.30000000000000004 in doubles; written 0.3 */
	assert_int_equal(scan_add_range(&s, "x", "0", "0.3", "0.1"), 0);
	assert_int_equal(s.params[0].nr, 4);
	assert_string_equal(s.params[0].values[0], "0");
	assert_string_equal(s.params[0].values[3], "0.3");
	scan_release(&s);
	/* hand: 0.5, 0.75, 1 (no trailing zeros) */
	assert_int_equal(scan_add_range(&s, "t", "0.5", "1", "0.25"), 0);
	assert_string_equal(s.params[0].values[0], "0.5");
	assert_string_equal(s.params[0].values[2], "1");
	scan_release(&s);
	/* hand: 0, 5, 10 (15 is past the end) */
	assert_int_equal(scan_add_range(&s, "k", "0", "12", "5"), 0);
	assert_int_equal(s.params[0].nr, 3);
	assert_string_equal(s.params[0].values[2], "10");
	scan_release(&s);
	capture_start();
	assert_int_equal(scan_add_range(&s, "t", "0.5", "1", NULL), -1);
	assert_int_equal(scan_add_range(&s, "t", "3", "1", NULL), -1);
	assert_int_equal(scan_add_range(&s, "t", "1", "x", NULL), -1);
	assert_int_equal(scan_add_range(&s, "t", "1", "3", "0"), -1);
	assert_int_equal(scan_add_range(&s, "1t", "1", "3", NULL), -1);
	assert_int_equal(scan_add_range(&s, "t", "0", "20000", NULL), -1);
	msg = capture_end();
	assert_non_null(strstr(msg, "-D STEP"));
	free(msg);
	scan_release(&s);
}

static void test_list_and_product(void **state)
{
	struct scan s;
	struct template_value v[2];
	char *label, *msg;

	(void)state;
	scan_init(&s);
	assert_int_equal(scan_count(&s), 1);
	assert_int_equal(scan_add_list(&s, "cc", "gcc,clang"), 0);
	assert_int_equal(scan_add_range(&s, "n", "1", "3", NULL), 0);
	/* hand: 2 x 3 */
	assert_int_equal(scan_count(&s), 6);
	/* hand: the last changes fastest: k = 4 is (clang, 2) */
	scan_combination(&s, 4, v);
	assert_string_equal(v[0].name, "cc");
	assert_string_equal(v[0].value, "clang");
	assert_string_equal(v[1].value, "2");
	label = scan_label(&s, 2);
	assert_string_equal(label, "cc=gcc n=3");
	free(label);
	capture_start();
	assert_int_equal(scan_add_list(&s, "cc", "x"), -1);  /* twice */
	assert_int_equal(scan_add_list(&s, "m", "a,,b"), -1);
	assert_int_equal(scan_add_list(&s, "m", ""), -1);
	assert_int_equal(scan_add_list(&s, "m", "a,"), -1);
	msg = capture_end();
	assert_non_null(strstr(msg, "given twice"));
	free(msg);
	assert_int_equal(scan_count(&s), 6);
	scan_release(&s);
}

/* sweep's --param: values split at ';' only, blanks, commas and empty values kept. */
static void test_param_values(void **state)
{
	struct scan s;
	struct template_value v[1];
	char *msg;

	(void)state;
	scan_init(&s);
	assert_int_equal(scan_add_param(&s, "cflags=-O2;-O2 -DX=1,2;"), 0);
	/* hand: three values, the last empty */
	assert_int_equal(scan_count(&s), 3);
	scan_combination(&s, 1, v);
	assert_string_equal(v[0].name, "cflags");
	assert_string_equal(v[0].value, "-O2 -DX=1,2");
	scan_combination(&s, 2, v);
	assert_string_equal(v[0].value, "");
	capture_start();
	assert_int_equal(scan_add_param(&s, "noequals"), -1);
	assert_int_equal(scan_add_param(&s, "1x=a"), -1);
	assert_int_equal(scan_add_param(&s, "opt=a;a"), -1);
	msg = capture_end();
	assert_non_null(strstr(msg, "expected NAME=VALUE;VALUE"));
	assert_non_null(strstr(msg, "invalid parameter name '1x'"));
	assert_non_null(strstr(msg, "has 'a' twice"));
	free(msg);
	scan_release(&s);
}

/* sweep's --exclude: a combination holding every value named is left out. */
static void test_exclude(void **state)
{
	struct scan s;
	char *msg;
	size_t kept = 0;

	(void)state;
	scan_init(&s);
	assert_int_equal(scan_add_list(&s, "cc", "gcc,clang"), 0);
	assert_int_equal(scan_add_param(&s, "cflags=-O0;-O2 -flto"), 0);
	assert_int_equal(scan_add_exclude(&s, "cc=clang;cflags=-O2 -flto"), 0);
	/* hand: k = 3 is (clang, -O2 -flto), the only one left out */
	for (size_t k = 0; k < scan_count(&s); k++) {
		assert_int_equal(scan_excluded(&s, k), k == 3);
		kept += !scan_excluded(&s, k);
	}
	assert_int_equal(kept, 3);
	/* one name alone leaves out both of its combinations */
	assert_int_equal(scan_add_exclude(&s, "cflags=-O0"), 0);
	assert_true(scan_excluded(&s, 0));
	assert_true(scan_excluded(&s, 2));
	assert_false(scan_excluded(&s, 1));
	capture_start();
	assert_int_equal(scan_add_exclude(&s, "opt=-O2"), -1);
	assert_int_equal(scan_add_exclude(&s, "cc=icc"), -1);
	assert_int_equal(scan_add_exclude(&s, "cc=gcc;cc=clang"), -1);
	assert_int_equal(scan_add_exclude(&s, "cc"), -1);
	msg = capture_end();
	assert_non_null(strstr(msg, "no parameter is named 'opt'"));
	assert_non_null(strstr(msg, "'cc' has no value 'icc'"));
	assert_non_null(strstr(msg, "names 'cc' twice"));
	assert_non_null(strstr(msg, "expected NAME=VALUE;NAME=VALUE"));
	free(msg);
	scan_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_list_and_product),
		cmocka_unit_test(test_param_values),
		cmocka_unit_test(test_exclude),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
