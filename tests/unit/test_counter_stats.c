/*
 * test_counter_stats: the per-event statistics of `steady stat` and the
 * derived metrics, on counts set by hand, and the count formatting.
 * Expected values are worked out by hand in the comments.
 */
#include "unit_fixture.h"

#include "measure/benchmark.h"
#include "analyse/counter_stats.h"
#include "lib/units.h"

static void add(struct benchmark *b, int64_t wall_ns, int warmup, int timed_out,
		const struct run_count *c)
{
	struct run_sample r = { .wall_ns = wall_ns, .env_pad = -1,
				.warmup = warmup, .timed_out = timed_out };

	benchmark_add_run(b, &r, c);
}

static struct run_count counted(double v, double running)
{
	return (struct run_count){ COUNTER_COUNTED, v, running };
}

static struct run_count status(enum counter_status s)
{
	return (struct run_count){ s, 0, 0 };
}

static void test_event_stats(void **state)
{
	char *names[] = { "instructions", "cycles" };
	struct benchmark b;
	struct event_stats st;

	(void)state;
	benchmark_init(&b);
	benchmark_set_counters(&b, names, 2);
	add(&b, 1000, 1, 0, (struct run_count[]){ counted(1000, 100), counted(1, 100) });
	add(&b, 1000, 0, 0, (struct run_count[]){ counted(10, 100), counted(5, 100) });
	add(&b, 1000, 0, 0, (struct run_count[]){ counted(12, 50), status(COUNTER_NOT_COUNTED) });
	add(&b, 1000, 0, 0, (struct run_count[]){ counted(14, 75), counted(7, 100) });
	add(&b, 1000, 0, 1, (struct run_count[]){ counted(99, 100), counted(99, 100) });

	/*
	 * instructions over the measured runs 10, 12, 14 (the warm-up and the
	 * timed-out run are left out): mean 12, sample σ = sqrt((4+0+4)/2) = 2,
	 * SEM = 2/sqrt(3) = 1.154701, relative 9.622504%; t(0.975, 2) =
	 * 4.302653 (tables). Counts that are all positive get the log-scale
	 * interval of stats.h (Olsson's modified Cox), written out in python3
	 * (statistics.mean/variance of math.log(x), exp(m + v/2 -+ t sqrt(v/3
	 * + v^2/4))): [7.900006738862517, 18.40345883542456], which holds the
	 * bootstrap's (within [10, 14]); Student's t gave 12 ± 4.968278.
	 * Running share (100+50+75)/3 = 75.
	 */
	event_stats_compute(&b, 0, &st);
	assert_int_equal(st.status, COUNTER_COUNTED);
	assert_int_equal(st.n, 3);
	assert_float_equal(st.mean, 12.0, 1e-12);
	assert_float_equal(st.stddev, 2.0, 1e-12);
	assert_float_equal(st.rel_sem_pct, 9.622504, 1e-6);
	assert_float_equal(st.ci_lo, 7.900006738862517, 1e-9);
	assert_float_equal(st.ci_hi, 18.40345883542456, 1e-9);
	assert_float_equal(st.running_pct, 75.0, 1e-12);

	/* cycles: only 5 and 7 were counted among the measured runs. */
	event_stats_compute(&b, 1, &st);
	assert_int_equal(st.n, 2);
	assert_float_equal(st.mean, 6.0, 1e-12);
	benchmark_release(&b);
}

/*
 * steady stat -n 3 -- /bin/true printed context-switches 95% CI [-1.10,
 * 1.77] with Student's t: counts of 0 and a few have no business below 0.
 * hand: the bootstrap's ends are means of resampled counts, within [0, 3].
 */
static void test_event_stats_zero_counts(void **state)
{
	char *names[] = { "context-switches" };
	struct benchmark b;
	struct event_stats st;

	(void)state;
	benchmark_init(&b);
	benchmark_set_counters(&b, names, 1);
	add(&b, 1000, 0, 0, (struct run_count[]){ counted(0, 100) });
	add(&b, 1000, 0, 0, (struct run_count[]){ counted(3, 100) });
	add(&b, 1000, 0, 0, (struct run_count[]){ counted(0, 100) });
	event_stats_compute(&b, 0, &st);
	assert_int_equal(st.n, 3);
	assert_float_equal(st.mean, 1.0, 1e-12);
	assert_true(st.ci_lo >= 0);
	assert_true(st.ci_lo <= st.mean && st.mean <= st.ci_hi);
	assert_true(st.ci_hi <= 3);
	benchmark_release(&b);

	/* one run: no spread, no interval (printed n/a) */
	benchmark_init(&b);
	benchmark_set_counters(&b, names, 1);
	add(&b, 1000, 0, 0, (struct run_count[]){ counted(2, 100) });
	event_stats_compute(&b, 0, &st);
	assert_int_equal(st.n, 1);
	assert_float_equal(st.mean, 2.0, 0);
	assert_true(isnan(st.stddev));
	assert_true(isnan(st.rel_sem_pct));
	assert_true(isnan(st.ci_lo) && isnan(st.ci_hi));
	benchmark_release(&b);
}

static void test_nothing_counted_says_why(void **state)
{
	char *names[] = { "cycles", "instructions", "task-clock" };
	struct benchmark b;
	struct event_stats st;

	(void)state;
	benchmark_init(&b);
	benchmark_set_counters(&b, names, 3);
	add(&b, 1000, 0, 0, (struct run_count[]){ status(COUNTER_UNSUPPORTED),
		status(COUNTER_DENIED), status(COUNTER_NOT_COUNTED) });
	add(&b, 1000, 0, 0, (struct run_count[]){ status(COUNTER_UNSUPPORTED),
		status(COUNTER_UNSUPPORTED), status(COUNTER_NOT_COUNTED) });
	event_stats_compute(&b, 0, &st);
	assert_int_equal(st.status, COUNTER_UNSUPPORTED);
	assert_int_equal(st.n, 0);
	assert_true(isnan(st.mean));
	/* a refusal is what the user can act on: it wins */
	event_stats_compute(&b, 1, &st);
	assert_int_equal(st.status, COUNTER_DENIED);
	event_stats_compute(&b, 2, &st);
	assert_int_equal(st.status, COUNTER_NOT_COUNTED);
	benchmark_release(&b);
}

static const struct derived_metric *derived(const char *name)
{
	size_t n;
	const struct derived_metric *d = derived_metrics(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(d[i].name, name))
			return &d[i];
	fail_msg("no derived metric '%s'", name);
	return NULL;
}

static void test_derived_run_by_run(void **state)
{
	char *names[] = { "instructions", "cycles", "task-clock" };
	struct benchmark b;
	double *v;
	size_t n;

	(void)state;
	benchmark_init(&b);
	benchmark_set_counters(&b, names, 3);
	add(&b, 10000000, 0, 0, (struct run_count[]){ counted(200, 100), counted(100, 100),
		counted(5e6, 100) });
	add(&b, 10000000, 0, 0, (struct run_count[]){ counted(300, 100), counted(200, 100),
		counted(10e6, 100) });
	add(&b, 10000000, 0, 0, (struct run_count[]){ counted(300, 100), counted(0, 100),
		counted(2e6, 100) });
	add(&b, 10000000, 0, 0, (struct run_count[]){ counted(300, 100),
		status(COUNTER_NOT_COUNTED), status(COUNTER_NOT_COUNTED) });

	/* IPC per run: 200/100 = 2, 300/200 = 1.5; cycles 0 and not counted are skipped. */
	v = derived_values(&b, derived("IPC (insn per cycle)"), &n);
	assert_int_equal(n, 2);
	assert_float_equal(v[0], 2.0, 1e-12);
	assert_float_equal(v[1], 1.5, 1e-12);
	free(v);

	/* CPUs utilised: task-clock / wall = 5e6/1e7, 1e7/1e7, 2e6/1e7 */
	v = derived_values(&b, derived("CPUs utilized"), &n);
	assert_int_equal(n, 3);
	assert_float_equal(v[0], 0.5, 1e-12);
	assert_float_equal(v[1], 1.0, 1e-12);
	assert_float_equal(v[2], 0.2, 1e-12);
	free(v);

	/* an input that was never asked for: no values at all */
	assert_null(derived_values(&b, derived("branch-miss rate"), &n));
	assert_int_equal(n, 0);
	benchmark_release(&b);
}

static void test_count_values_skip_uncounted(void **state)
{
	char *names[] = { "page-faults" };
	struct benchmark b;
	double *v;
	size_t n;

	(void)state;
	benchmark_init(&b);
	benchmark_set_counters(&b, names, 1);
	add(&b, 1, 0, 0, (struct run_count[]){ counted(57, 100) });
	add(&b, 1, 0, 0, NULL);		/* no counts: not counted */
	add(&b, 1, 0, 0, (struct run_count[]){ counted(59, 100) });
	v = benchmark_metric_values(&b, "page-faults", &n);
	assert_int_equal(n, 2);
	assert_float_equal(v[0], 57, 0);
	assert_float_equal(v[1], 59, 0);
	free(v);
	benchmark_release(&b);
}

static void test_format_count(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(format_count(buf, sizeof(buf), 532), "532");
	assert_string_equal(format_count(buf, sizeof(buf), 12.5), "12.50");
	assert_string_equal(format_count(buf, sizeof(buf), 1234567), "1.235 M");
	assert_string_equal(format_count(buf, sizeof(buf), 141454), "141.5 K");
	assert_string_equal(format_count(buf, sizeof(buf), 2e9), "2.000 G");
	assert_string_equal(format_count(buf, sizeof(buf), NAN), "n/a");
	assert_string_equal(format_metric(buf, sizeof(buf), 0.0417, 1), "41.70 ms");
	assert_string_equal(format_metric(buf, sizeof(buf), 41700, 0), "41.70 K");
	assert_string_equal(format_metric(buf, sizeof(buf), 50072, VALUE_KIB), "48.9 MiB");
	assert_string_equal(format_grouped(buf, sizeof(buf), 1234567.4), "1,234,567");
	assert_string_equal(format_grouped(buf, sizeof(buf), -200038), "-200,038");
	assert_string_equal(format_grouped(buf, sizeof(buf), 999), "999");
	assert_string_equal(format_grouped(buf, sizeof(buf), 1000), "1,000");
	assert_string_equal(format_grouped(buf, sizeof(buf), 0), "0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_stats),
		cmocka_unit_test(test_event_stats_zero_counts),
		cmocka_unit_test(test_nothing_counted_says_why),
		cmocka_unit_test(test_derived_run_by_run),
		cmocka_unit_test(test_count_values_skip_uncounted),
		cmocka_unit_test(test_format_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
