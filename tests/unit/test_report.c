/*
 * test_report: the pure layout math of `steady report` (src/report/svg.h,
 * flame.h) and its escaping. Every expected value below was worked out by
 * hand from the definitions in the headers, not taken from the code's
 * output: the arithmetic is written next to each.
 */
#include "unit_fixture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report/charts.h"
#include "report/flame.h"
#include "report/svg.h"

static void test_scale(void **state)
{
	/* [0, 10] onto [100, 200]: 2.5 is a quarter of the way, 125 */
	struct scale s = { 0, 10, 100, 200 };
	/* y axes run downwards: [0, 4] onto [300, 100]; 1 -> 300 - 200/4 = 250 */
	struct scale y = { 0, 4, 300, 100 };

	(void)state;
	assert_true(scale_map(&s, 2.5) == 125);
	assert_true(scale_map(&s, 10) == 200);
	assert_true(scale_map(&y, 1) == 250);
	/* an empty domain maps to the middle of the range */
	assert_true(scale_map(&(struct scale){ 3, 3, 0, 10 }, 3) == 5);
}

static void test_nice_ticks(void **state)
{
	double t[16], step;
	size_t n;

	(void)state;
	/* 0..1 in about 5: raw step 0.2, normalised 2 -> step 0.2: 0, .2, .4, .6, .8, 1 */
	n = nice_ticks(0, 1, 5, t, 16, &step);
	assert_int_equal(n, 6);
	assert_true(fabs(step - 0.2) < 1e-12);
	assert_true(t[0] == 0 && fabs(t[5] - 1) < 1e-12);
	/* 0.93..1.17 in about 5: raw 0.048, mag 0.01, norm 4.8 -> step 0.05;
	 * first tick ceil(0.93/0.05) 0.05 = 0.95, then 1.00, 1.05, 1.10, 1.15 */
	n = nice_ticks(0.93, 1.17, 5, t, 16, &step);
	assert_int_equal(n, 5);
	assert_true(fabs(step - 0.05) < 1e-12);
	assert_true(fabs(t[0] - 0.95) < 1e-12 && fabs(t[4] - 1.15) < 1e-12);
	/* 0.0012..0.0047 s in about 6: raw 0.000583, mag 1e-4, norm 5.83 ->
	 * step 0.001: 0.002, 0.003, 0.004 */
	n = nice_ticks(0.0012, 0.0047, 6, t, 16, &step);
	assert_int_equal(n, 3);
	assert_true(fabs(t[0] - 0.002) < 1e-15 && fabs(t[2] - 0.004) < 1e-15);
	/* -3..7 in about 5: raw 2, norm 2 -> step 2: -2, 0, 2, 4, 6; 0 exactly */
	n = nice_ticks(-3, 7, 5, t, 16, NULL);
	assert_int_equal(n, 5);
	assert_true(t[1] == 0 && t[0] == -2 && t[4] == 6);
	/* nothing for a reversed or infinite range, one tick for a point */
	assert_int_equal(nice_ticks(2, 1, 5, t, 16, NULL), 0);
	assert_int_equal(nice_ticks(0, INFINITY, 5, t, 16, NULL), 0);
	assert_int_equal(nice_ticks(3, 3, 5, t, 16, NULL), 1);
	/* max caps the count */
	assert_int_equal(nice_ticks(0, 1, 5, t, 3, NULL), 3);
}

static void test_nice_range(void **state)
{
	double lo = 0.93, hi = 1.17;

	(void)state;
	/* step 0.05 (above): widened to 0.90 and 1.20 */
	nice_range(&lo, &hi, 5);
	assert_true(fabs(lo - 0.9) < 1e-12 && fabs(hi - 1.2) < 1e-12);
	/* a single value 5: first 4.5..5.5 (10%), step for 1/5 = 0.2 -> 4.4..5.6 */
	lo = hi = 5;
	nice_range(&lo, &hi, 5);
	assert_true(fabs(lo - 4.4) < 1e-12 && fabs(hi - 5.6) < 1e-12);
}

static void test_hist(void **state)
{
	/* bins of width 1 over [0, 4]: 0 and 0.5 in bin 0, 1 in bin 1,
	 * 3.99 in bin 3, 4 (== hi) in the last bin, -1, 5 and NaN nowhere */
	double x[] = { 0, 0.5, 1, 3.99, 4, -1, 5, NAN };
	size_t c[4];

	(void)state;
	hist_bins(x, 8, 0, 4, 4, c);
	assert_int_equal(c[0], 2);
	assert_int_equal(c[1], 1);
	assert_int_equal(c[2], 0);
	assert_int_equal(c[3], 2);
	/* Sturges: ceil(log2 n) + 1, within 5..40 */
	assert_int_equal(hist_bin_count(1), 5);
	assert_int_equal(hist_bin_count(16), 5);     /* 4 + 1 */
	assert_int_equal(hist_bin_count(17), 6);     /* ceil(4.09) = 5, + 1 */
	assert_int_equal(hist_bin_count(1000), 11);  /* ceil(9.97) = 10, + 1 */
	assert_int_equal(hist_bin_count((size_t)1 << 50), 40);
	/* an empty range: values equal to lo go to bin 0 */
	hist_bins((double[]){ 2, 2, 3 }, 3, 2, 2, 4, c);
	assert_int_equal(c[0], 2);
	assert_int_equal(c[1] + c[2] + c[3], 0);
}

static void test_flame_layout(void **state)
{
	struct flame_node root;
	struct flame_rect r[8];
	unsigned depth;
	size_t n;

	(void)state;
	flame_init(&root);
	/* A: 8 samples: main;g 1, main;f 3, other 4 (given out of order) */
	flame_add(&root, "main;g", 0, 1);
	flame_add(&root, "other", 0, 4);
	flame_add(&root, "main;f", 0, 3);
	/* B: main;f 2, main;f;leaf 2 */
	flame_add(&root, "main;f", 1, 2);
	flame_add(&root, "main;f;leaf", 1, 2);
	flame_sort(&root);
	assert_int_equal(flame_count(&root), 5);  /* main, f, g, leaf, other */

	/* A, alphabetical: main [0, 4/8) with f [0, 3/8) and g [3/8, 4/8)
	 * above it, then other [4/8, 1) */
	n = flame_layout(&root, 0, 0, r, 8, &depth);
	assert_int_equal(n, 4);
	assert_int_equal(depth, 2);
	assert_string_equal(r[0].node->name, "main");
	assert_true(r[0].x0 == 0 && r[0].x1 == 0.5 && r[0].depth == 0);
	assert_string_equal(r[1].node->name, "f");
	assert_true(r[1].x0 == 0 && r[1].x1 == 0.375 && r[1].depth == 1);
	assert_string_equal(r[2].node->name, "g");
	assert_true(r[2].x0 == 0.375 && r[2].x1 == 0.5 && r[2].depth == 1);
	assert_string_equal(r[3].node->name, "other");
	assert_true(r[3].x0 == 0.5 && r[3].x1 == 1 && r[3].depth == 0);

	/* B: 4 samples, main and f the whole width, leaf half of it on top;
	 * g and other have none in B and are left out */
	n = flame_layout(&root, 1, 0, r, 8, &depth);
	assert_int_equal(n, 3);
	assert_int_equal(depth, 3);
	assert_string_equal(r[2].node->name, "leaf");
	assert_true(r[2].x0 == 0 && r[2].x1 == 0.5 && r[2].depth == 2);

	/* min_width 0.2 leaves out g (1/8 = 0.125) but not f (0.375) */
	n = flame_layout(&root, 0, 0.2, r, 8, NULL);
	assert_int_equal(n, 3);
	assert_string_equal(r[2].node->name, "other");
	/* max caps the rectangles */
	assert_int_equal(flame_layout(&root, 0, 0, r, 2, NULL), 2);
	flame_release(&root);
	assert_null(root.children);
	/* nothing for a side without samples */
	assert_int_equal(flame_layout(&root, 1, 0, r, 8, &depth), 0);
	assert_int_equal(depth, 0);
}

static void test_escape(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	xml_escape(f, "<script>alert('x') & \"y\"</script>");
	fclose(f);
	assert_string_equal(buf, "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
	free(buf);
}

/*
 * The axis unit multiplies a value into what the axis prints: 1.33 M
 * instructions is 1.33e6 x 1e-6 "M"; 0.0417 s is 0.0417 x 1000 "ms";
 * KiB are printed as they are. By hand.
 */
static void test_axis_units(void **state)
{
	struct axis_unit u;

	(void)state;
	u = axis_unit_for(VALUE_COUNT, 1.33e6);
	assert_true(fabs(u.mul * 1.33e6 - 1.33) < 1e-12);
	assert_string_equal(u.unit, "M");
	u = axis_unit_for(VALUE_SECONDS, 0.0417);
	assert_true(fabs(u.mul * 0.0417 - 41.7) < 1e-9);
	assert_string_equal(u.unit, "ms");
	u = axis_unit_for(VALUE_KIB, 2048);
	assert_true(u.mul == 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_axis_units),
		cmocka_unit_test(test_nice_ticks),
		cmocka_unit_test(test_nice_range),
		cmocka_unit_test(test_hist),
		cmocka_unit_test(test_flame_layout),
		cmocka_unit_test(test_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
