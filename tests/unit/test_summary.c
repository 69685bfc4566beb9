/*
 * test_summary: the rules behind the warnings of a summary, on synthetic
 * runs whose statistics are known by construction (so no timing is
 * involved), and the units the summary prints.
 */
#include "unit_fixture.h"

#include "measure/benchmark.h"
#include "analyse/stats.h"
#include "analyse/summary.h"
#include "lib/units.h"

/* A benchmark of n runs with the given wall times in milliseconds. */
static void make_benchmark(struct benchmark *b, const double *ms, size_t n)
{
	benchmark_init(b);
	b->name = strdup("synthetic");
	for (size_t i = 0; i < n; i++) {
		struct run_sample r = { .wall_ns = (int64_t)(ms[i] * 1e6), .env_pad = -1 };

		benchmark_add_run(b, &r, NULL);
	}
}

static void summarize(struct benchmark *b, struct summary *s)
{
	size_t n;
	double *v = benchmark_values(b, METRIC_WALL, &n);

	stats_summarize(v, n, s);
	free(v);
	summary_warnings(b, s);
}

static int has_warning(const struct benchmark *b, const char *needle)
{
	for (size_t i = 0; i < b->nr_warnings; i++)
		if (strstr(b->warnings[i], needle))
			return 1;
	return 0;
}

static void test_quiet_when_all_is_well(void **state)
{
	/* 12 runs of 40..41.1 ms: σ/mean about 1%, no outliers */
	double ms[12];
	struct benchmark b;
	struct summary s;

	(void)state;
	for (int i = 0; i < 12; i++)
		ms[i] = 40.0 + 0.1 * i;
	make_benchmark(&b, ms, 12);
	summarize(&b, &s);
	assert_int_equal(b.nr_warnings, 0);
	benchmark_release(&b);
}

static void test_few_short_noisy(void **state)
{
	/* 3 runs of 1, 2, 3 ms: mean 2 ms < 5 ms, σ = 1 ms = 50% of the mean */
	double ms[] = { 1, 2, 3 };
	struct benchmark b;
	struct summary s;

	(void)state;
	make_benchmark(&b, ms, 3);
	summarize(&b, &s);
	assert_true(has_warning(&b, "only 3 runs"));
	assert_true(has_warning(&b, "runs take 2.00 ms on average"));
	assert_true(has_warning(&b, "high spread: σ is 50% of the mean"));
	benchmark_release(&b);
}

static void test_outliers_and_slow_first_run(void **state)
{
	/*
	 * First run 80 ms, then 40,40.1,...: median 40.5, MAD 0.3 (by hand),
	 * modified z of 80 = 0.6745 * 39.5 / 0.3 = 88.8 > 3.5: one outlier,
	 * and it is the first run.
	 */
	double ms[11] = { 80 };
	struct benchmark b;
	struct summary s;

	(void)state;
	for (int i = 1; i < 11; i++)
		ms[i] = 40.0 + 0.1 * (i - 1);
	make_benchmark(&b, ms, 11);
	summarize(&b, &s);
	assert_int_equal(s.outliers, 1);
	assert_true(has_warning(&b, "1 outlier (modified z-score > 3.5) is flagged"));
	assert_true(has_warning(&b, "first run was much slower"));
	benchmark_release(&b);
}

static void test_failed_timed_out_interrupted(void **state)
{
	double ms[12];
	struct benchmark b;
	struct summary s;

	(void)state;
	for (int i = 0; i < 12; i++)
		ms[i] = 40.0 + 0.1 * i;
	make_benchmark(&b, ms, 12);
	b.runs[0].exit_code = 3;
	b.runs[1].timed_out = 1;
	b.runs[1].signal = 9;
	b.runs[2].warmup = 1;
	b.stop = STOP_INTERRUPTED;
	b.config.ignore_failure = 1;
	summarize(&b, &s);
	/* 12 runs - 1 warm-up = 11 measured; the timed-out one is not analysed */
	assert_int_equal(s.n, 10);
	assert_true(has_warning(&b, "interrupted after 11 measured runs"));
	assert_true(has_warning(&b, "1 of 11 runs failed and were measured anyway"));
	assert_true(has_warning(&b, "1 run timed out and is left out"));
	benchmark_release(&b);

	/* without -i a failed run is the one that stopped the measuring */
	make_benchmark(&b, ms, 3);
	b.runs[2].exit_code = 1;
	b.stop = STOP_FAILED;
	summarize(&b, &s);
	assert_true(has_warning(&b, "measuring stopped at a failed run"));
	assert_false(has_warning(&b, "measured anyway"));
	assert_true(has_warning(&b, "only 3 runs"));
	benchmark_release(&b);
}

static void test_pair_warnings(void **state)
{
	struct benchmark a, b;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	benchmark_init(&a);
	benchmark_init(&b);
	benchmark_add_warning(&a, "machine not tuned");
	benchmark_add_warning(&a, "only A");
	benchmark_add_warning(&b, "only B");
	benchmark_add_warning(&b, "machine not tuned");
	f = open_memstream(&text, &len);
	summary_print_pair_warnings(f, &a, &b);
	fclose(f);
	assert_string_equal(text, "  Warning: machine not tuned\n"
				  "  Warning (A): only A\n"
				  "  Warning (B): only B\n");
	free(text);
	benchmark_release(&a);
	benchmark_release(&b);
}

static void test_units(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(format_time(buf, sizeof(buf), 0.0417), "41.70 ms");
	assert_string_equal(format_time(buf, sizeof(buf), 1.5), "1.500 s");
	assert_string_equal(format_time(buf, sizeof(buf), 0.000250), "250.0 µs");
	assert_string_equal(format_time(buf, sizeof(buf), 5e-8), "50.00 ns");
	assert_string_equal(format_kib(buf, sizeof(buf), 2732), "2.7 MiB");
	assert_string_equal(format_kib(buf, sizeof(buf), 512), "512 KiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiet_when_all_is_well),
		cmocka_unit_test(test_few_short_noisy),
		cmocka_unit_test(test_outliers_and_slow_first_run),
		cmocka_unit_test(test_failed_timed_out_interrupted),
		cmocka_unit_test(test_pair_warnings),
		cmocka_unit_test(test_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
