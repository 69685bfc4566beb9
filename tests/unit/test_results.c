/*
 * Unit tests for results.c (and the hostinfo.c it stamps files with): a
 * write/read round trip that compares every field, the written text itself
 * (no NaN, order, seed as a string), atomic replacement, the writability
 * check, and one test per way a file can be unreadable, each checking the
 * one-line message. Every test works in its own mkdtemp() directory under
 * /tmp, removed by the teardown whatever the outcome.
 */
#include "unit_fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <grp.h>
#include <sys/wait.h>
#include <time.h>

#include "formats/results.h"
#include "analyse/stats.h"
#include "lib/atomic_file.h"
#include "lib/util.h"

/* Above 2^63: does not fit json_int_t, the reason seeds are strings. */
#define BIG_SEED UINT64_C(0xfedcba9876543210)
#define BIG_SEED_TEXT "18364758544493064720"

/* The results file of a test is dir/r.json. */
static int setup(void **state)
{
	return fixture_setup(state, "r.json");
}

/* Names in dir other than . and .., sorted and joined by spaces. */
static char *list_dir(const char *dir)
{
	struct dirent **names;
	char *out = xstrdup(""), *next;
	int n = scandir(dir, &names, NULL, alphasort);

	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
			next = xasprintf("%s%s%s", out, *out ? " " : "", names[i]->d_name);
			free(out);
			out = next;
		}
		free(names[i]);
	}
	free(names);
	return out;
}

static void assert_dir_holds(const char *dir, const char *expected)
{
	char *names = list_dir(dir);

	assert_string_equal(names, expected);
	free(names);
}

static void assert_empty_results(const struct results *r)
{
	assert_null(r->steady_version);
	assert_null(r->created);
	assert_null(r->host.hostname);
	assert_null(r->benchmarks);
	assert_int_equal(r->nr_benchmarks, 0);
}

/* results_read() must fail with one line containing want, leaving r empty. */
static void expect_read_error(const char *path, const char *want)
{
	struct results r;
	char *msg;
	int ret;

	results_init(&r);
	CAPTURE(ret, msg, results_read(&r, path));
	assert_int_equal(ret, -1);
	check_message(msg, want);
	assert_empty_results(&r);
	results_release(&r);
}

static struct run_sample make_run(int64_t wall_ms, int warmup)
{
	struct run_sample s;

	memset(&s, 0, sizeof(s));
	s.wall_ns = wall_ms * 1000000 + 123;
	s.user_ns = wall_ms * 900000 + 7;
	s.sys_ns = wall_ms * 50000 + 1;
	s.max_rss_kib = 3000 + wall_ms;
	s.minor_faults = 140 + wall_ms;
	s.major_faults = wall_ms % 3;
	s.vol_ctx_switches = 1 + wall_ms % 5;
	s.invol_ctx_switches = 2 + wall_ms % 7;
	s.env_pad = (int)(wall_ms * 37 % 4096);
	s.warmup = warmup;
	s.seq = wall_ms * 3 + warmup;
	return s;
}

/*
 * Two benchmarks exercising every field: the first with warm-ups, failed,
 * timed-out and signalled runs, all option strings set but one, warnings
 * with characters JSON must escape, and a seed above 2^63; the second a
 * shell script with default options, no name and no runs at all.
 */
static void fill_results(struct results *r)
{
	static char *const argv[] = { "./work", "200", "h\xc3\xa9llo w\xc3\xb6rld", NULL };
	static char *const script[] = { "sleep 0.1 && echo \"hi\" | tr h H" };
	static const int64_t walls[] = { 41, 43, 40, 42, 44, 39, 41, 45, 120 };
	struct benchmark *b;
	struct run_sample s;

	results_stamp(r);
	r->system_checked = 1;
	r->nr_system_warnings = 2;
	r->system_warnings = xcalloc(2, sizeof(char *));
	r->system_warnings[0] = xstrdup("hypervisor: KVM; steal 0.0% since boot");
	r->system_warnings[1] = xstrdup("swap: 12 MiB in use");
	b = results_add_benchmark(r);
	b->name = xstrdup("work 200");
	benchmark_set_argv(b, argv, 3);
	b->config.runs = 0;
	b->config.warmup = 2;
	b->config.min_runs = 5;
	b->config.max_runs = 100;
	b->config.max_time = 2.5;
	b->config.prepare = xstrdup("sync; echo 3 > /proc/sys/vm/drop_caches");
	b->config.setup = NULL;
	b->config.cleanup = xstrdup("rm -f 'out file'");
	b->config.timeout = 0.1 + 0.2;    /* not exact in binary: 17 digits needed */
	b->config.cpus = xstrdup("0,2-3");
	b->config.ignore_failure = 1;
	b->config.show_output = 0;
	b->config.randomize = 1;
	b->config.aslr = 0;
	b->config.seed = BIG_SEED;
	b->stop = STOP_FAILED;
	b->harness_max_rss_kib = 2732;
	benchmark_add_warning(b, "run %d exited with status %d", 11, 3);
	benchmark_add_warning(b, "a \"quoted\" \\ word\nand\ta tab");

	s = make_run(50, 1);
	benchmark_add_run(b, &s, NULL);
	s = make_run(48, 1);
	s.env_pad = -1;
	benchmark_add_run(b, &s, NULL);
	for (size_t i = 0; i < sizeof(walls) / sizeof(*walls); i++) {
		s = make_run(walls[i], 0);
		benchmark_add_run(b, &s, NULL);
	}
	s = make_run(300, 0);           /* timed out */
	s.timed_out = 1;
	s.signal = 9;
	s.max_rss_kib = INT64_MAX;
	benchmark_add_run(b, &s, NULL);
	s = make_run(12, 0);            /* segfault */
	s.signal = 11;
	s.env_pad = -1;
	benchmark_add_run(b, &s, NULL);
	s = make_run(46, 0);            /* failed */
	s.exit_code = 3;
	s.env_pad = 0;
	benchmark_add_run(b, &s, NULL);

	/* b is not used after this: adding may move the array */
	b = results_add_benchmark(r);
	benchmark_set_argv(b, script, 1);
	b->config.shell = 1;
	b->config.randomize = 0;
	b->config.seed = 0;
	b->stop = STOP_INTERRUPTED;

	/* A third with counts of every status. */
	b = results_add_benchmark(r);
	benchmark_set_argv(b, (char *[]){ "./prog" }, 1);
	b->config.events = xstrdup("task-clock,cycles:u");
	b->config.metric = xstrdup("valgrind-ir");
	{
		char *names[] = { "task-clock", "cycles:u", "valgrind-ir" };
		struct run_count counted[] = {
			{ COUNTER_COUNTED, 41490000.0, 100.0 },
			{ COUNTER_UNSUPPORTED, 0, 0 },
			{ COUNTER_COUNTED, 123456789.0, 100.0 },
		};
		struct run_count other[] = {
			{ COUNTER_COUNTED, 0.125, 73.25 },	/* multiplexed */
			{ COUNTER_DENIED, 0, 0 },
			{ COUNTER_NOT_COUNTED, 0, 0 },
		};

		benchmark_set_counters(b, names, 3);
		s = make_run(44, 0);
		benchmark_add_run(b, &s, counted);
		s = make_run(45, 0);
		benchmark_add_run(b, &s, other);
		s = make_run(46, 0);
		benchmark_add_run(b, &s, NULL);	/* all not counted */
	}
}

static void assert_same_str(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_same_run(const struct run_sample *a, const struct run_sample *b)
{
	assert_true(a->wall_ns == b->wall_ns);
	assert_true(a->user_ns == b->user_ns);
	assert_true(a->sys_ns == b->sys_ns);
	assert_true(a->max_rss_kib == b->max_rss_kib);
	assert_true(a->minor_faults == b->minor_faults);
	assert_true(a->major_faults == b->major_faults);
	assert_true(a->vol_ctx_switches == b->vol_ctx_switches);
	assert_true(a->invol_ctx_switches == b->invol_ctx_switches);
	assert_int_equal(a->exit_code, b->exit_code);
	assert_int_equal(a->signal, b->signal);
	assert_int_equal(a->timed_out, b->timed_out);
	assert_int_equal(a->env_pad, b->env_pad);
	assert_int_equal(a->warmup, b->warmup);
	assert_true(a->seq == b->seq);
}

static void assert_same_config(const struct bench_config *a, const struct bench_config *b)
{
	assert_int_equal(a->runs, b->runs);
	assert_int_equal(a->warmup, b->warmup);
	assert_int_equal(a->min_runs, b->min_runs);
	assert_int_equal(a->max_runs, b->max_runs);
	assert_true(a->max_time == b->max_time);
	assert_same_str(a->prepare, b->prepare);
	assert_same_str(a->setup, b->setup);
	assert_same_str(a->cleanup, b->cleanup);
	assert_true(a->timeout == b->timeout);
	assert_same_str(a->cpus, b->cpus);
	assert_int_equal(a->ignore_failure, b->ignore_failure);
	assert_int_equal(a->shell, b->shell);
	assert_int_equal(a->show_output, b->show_output);
	assert_int_equal(a->randomize, b->randomize);
	assert_int_equal(a->aslr, b->aslr);
	assert_true(a->seed == b->seed);
	assert_same_str(a->events, b->events);
	assert_same_str(a->metric, b->metric);
}

/* A benchmark written without a name is read back with the default one. */
static void assert_same_benchmark(const struct benchmark *a, const struct benchmark *b,
				  const char *default_name)
{
	assert_same_str(a->name ? a->name : default_name, b->name);
	assert_int_equal(a->argc, b->argc);
	for (size_t i = 0; i < a->argc; i++)
		assert_string_equal(a->argv[i], b->argv[i]);
	assert_null(b->argv[b->argc]);
	assert_same_config(&a->config, &b->config);
	assert_int_equal(a->stop, b->stop);
	assert_int_equal(a->harness_max_rss_kib, b->harness_max_rss_kib);
	assert_int_equal(a->nr_warnings, b->nr_warnings);
	for (size_t i = 0; i < a->nr_warnings; i++)
		assert_string_equal(a->warnings[i], b->warnings[i]);
	assert_int_equal(a->nr_runs, b->nr_runs);
	for (size_t i = 0; i < a->nr_runs; i++)
		assert_same_run(&a->runs[i], &b->runs[i]);
	assert_int_equal(a->nr_counters, b->nr_counters);
	for (size_t k = 0; k < a->nr_counters; k++)
		assert_string_equal(a->counters[k], b->counters[k]);
	for (size_t i = 0; i < a->nr_runs && a->nr_counters; i++) {
		const struct run_count *x = benchmark_run_counts(a, i);
		const struct run_count *y = benchmark_run_counts(b, i);

		for (size_t k = 0; k < a->nr_counters; k++) {
			assert_int_equal(x[k].status, y[k].status);
			assert_true(x[k].value == y[k].value);
			assert_true(x[k].running_pct == y[k].running_pct);
		}
	}
}

static void assert_same_results(const struct results *a, const struct results *b)
{
	assert_same_str(a->steady_version, b->steady_version);
	assert_same_str(a->created, b->created);
	assert_same_str(a->host.hostname, b->host.hostname);
	assert_same_str(a->host.kernel, b->host.kernel);
	assert_same_str(a->host.arch, b->host.arch);
	assert_same_str(a->host.cpu_model, b->host.cpu_model);
	assert_int_equal(a->host.cpu_count, b->host.cpu_count);
	assert_int_equal(a->system_checked, b->system_checked);
	assert_int_equal(a->nr_system_warnings, b->nr_system_warnings);
	for (size_t i = 0; i < a->nr_system_warnings; i++)
		assert_string_equal(a->system_warnings[i], b->system_warnings[i]);
	assert_int_equal(a->nr_benchmarks, b->nr_benchmarks);
	for (size_t i = 0; i < a->nr_benchmarks; i++) {
		const struct benchmark *x = &a->benchmarks[i];

		assert_same_benchmark(x, &b->benchmarks[i],
				      x->argc ? x->argv[0] : NULL);
	}
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct results out, in;

	results_init(&out);
	results_init(&in);
	fill_results(&out);
	assert_int_equal(results_write(&out, f->path), 0);
	assert_int_equal(results_read(&in, f->path), 0);
	assert_same_results(&out, &in);
	assert_int_equal(in.benchmarks[0].config.seed, BIG_SEED);
	assert_string_equal(in.benchmarks[1].name, "sleep 0.1 && echo \"hi\" | tr h H");

	/* what was read writes the same file again */
	{
		char *first = read_text(f->path), *second;

		assert_int_equal(results_write(&in, f->path), 0);
		second = read_text(f->path);
		assert_string_equal(first, second);
		free(first);
		free(second);
	}
	results_release(&out);
	results_release(&in);
}

static void test_read_replaces_contents(void **state)
{
	struct fixture *f = *state;
	struct results r;

	results_init(&r);
	fill_results(&r);
	assert_int_equal(results_write(&r, f->path), 0);
	/* reading into filled results releases the old contents first */
	assert_int_equal(results_read(&r, f->path), 0);
	assert_int_equal(r.nr_benchmarks, 3);
	assert_int_equal(results_read(&r, f->path), 0);
	assert_int_equal(r.nr_benchmarks, 3);
	results_release(&r);
	assert_empty_results(&r);
}

static const json_t *path_get(const json_t *root, const char *bench_key,
			      size_t bench, const char *key)
{
	const json_t *b = json_array_get(json_object_get(root, "benchmarks"), bench);

	return json_object_get(json_object_get(b, bench_key), key);
}

static void test_written_text(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = { "NaN", "nan", "Infinity", "inf" };
	static const char prefix[] = "{\n  \"format\": \"steady-results\",\n"
		"  \"version\": 2,\n  \"steady_version\": \"";
	struct results r;
	struct summary s;
	json_error_t jerr;
	json_t *root;
	const json_t *v;
	double *values;
	size_t n;
	char *text;

	results_init(&r);
	fill_results(&r);
	assert_int_equal(results_write(&r, f->path), 0);
	text = read_text(f->path);

	/* indented by 2, keys in the documented order, newline at the end */
	assert_int_equal(strncmp(text, prefix, strlen(prefix)), 0);
	assert_string_equal(text + strlen(text) - 2, "}\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char token[32];

		snprintf(token, sizeof(token), ": %s", bad[i]);
		assert_null(strstr(text, token));
		snprintf(token, sizeof(token), ": -%s", bad[i]);
		assert_null(strstr(text, token));
	}
	assert_non_null(strstr(text, "\"seed\": \"" BIG_SEED_TEXT "\""));
	assert_non_null(strstr(text, "\"seed\": \"0\""));
	free(text);

	/* a strict parser (jansson rejects NaN) takes it */
	root = json_load_file(f->path, JSON_REJECT_DUPLICATES, &jerr);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "format")),
			    RESULTS_FORMAT_NAME);
	assert_int_equal(json_integer_value(json_object_get(root, "version")),
			 RESULTS_FORMAT_VERSION);
	assert_true(json_is_string(path_get(root, "options", 0, "seed")));
	assert_true(json_is_null(path_get(root, "options", 0, "setup")));
	assert_true(json_is_string(path_get(root, "options", 0, "prepare")));

	/* the summary is that of stats.c over the measured wall times */
	values = benchmark_values(&r.benchmarks[0], METRIC_WALL, &n);
	stats_summarize(values, n, &s);
	free(values);
	assert_int_equal(n, 11);   /* 9 + signalled + failed; warm-ups, timeout out */
	assert_string_equal(json_string_value(path_get(root, "summary", 0, "metric")), "wall");
	assert_string_equal(json_string_value(path_get(root, "summary", 0, "unit")), "s");
	assert_int_equal(json_integer_value(path_get(root, "summary", 0, "n")), 11);
	assert_true(json_real_value(path_get(root, "summary", 0, "median")) == s.median);
	assert_true(json_real_value(path_get(root, "summary", 0, "mean")) == s.mean);
	assert_true(json_real_value(path_get(root, "summary", 0, "p95")) == s.p95);
	assert_int_equal(json_integer_value(path_get(root, "summary", 0, "outliers")),
			 s.outliers);
	v = path_get(root, "summary", 0, "mean_ci95");
	assert_int_equal(json_array_size(v), 2);
	assert_true(json_real_value(json_array_get(v, 0)) == s.mean_ci_lo);
	assert_true(json_real_value(json_array_get(v, 1)) == s.mean_ci_hi);
	assert_int_equal(json_array_size(path_get(root, "summary", 0, "median_ci95")), 2);

	/* no runs: every statistic is null rather than NaN */
	assert_int_equal(json_integer_value(path_get(root, "summary", 1, "n")), 0);
	assert_true(json_is_null(path_get(root, "summary", 1, "mean")));
	assert_true(json_is_null(path_get(root, "summary", 1, "stddev")));
	assert_true(json_is_null(path_get(root, "summary", 1, "min")));
	assert_true(json_is_null(path_get(root, "summary", 1, "mean_ci95")));
	assert_true(json_is_null(path_get(root, "summary", 1, "median_ci95")));
	json_decref(root);
	results_release(&r);
}

static void test_single_run_summary(void **state)
{
	struct fixture *f = *state;
	struct results r;
	struct run_sample s = make_run(40, 0);
	json_t *root;

	/* one run: no confidence interval, no spread (null, not 0) */
	results_init(&r);
	results_stamp(&r);
	benchmark_set_argv(results_add_benchmark(&r), (char *const[]){ "true" }, 1);
	benchmark_add_run(&r.benchmarks[0], &s, NULL);
	assert_int_equal(results_write(&r, f->path), 0);
	root = json_load_file(f->path, 0, NULL);
	assert_non_null(root);
	assert_true(json_is_null(path_get(root, "summary", 0, "mean_ci95")));
	assert_true(json_is_null(path_get(root, "summary", 0, "median_ci95")));
	assert_true(json_is_null(path_get(root, "summary", 0, "stddev")));
	assert_true(json_is_null(path_get(root, "summary", 0, "mad")));
	assert_true(json_real_value(path_get(root, "summary", 0, "min")) == 0.040000123);
	/* no name given: the command line is the name */
	assert_string_equal(json_string_value(json_object_get(json_array_get(
			    json_object_get(root, "benchmarks"), 0), "name")), "true");
	json_decref(root);
	results_release(&r);
}

static void test_atomic_replace(void **state)
{
	struct fixture *f = *state;
	struct results r, back;
	struct stat st;
	mode_t old_mask;
	char *text;

	results_init(&r);
	results_init(&back);
	fill_results(&r);

	/* a new file: the temporary one is gone, the mode is 0644 less umask */
	old_mask = umask(022);
	assert_int_equal(results_write(&r, f->path), 0);
	assert_dir_holds(f->dir, "r.json");
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);

	/* replacing a file with other contents and mode */
	write_text(f->path, "old contents");
	assert_int_equal(chmod(f->path, 0600), 0);
	umask(027);
	assert_int_equal(results_write(&r, f->path), 0);
	umask(old_mask);
	assert_dir_holds(f->dir, "r.json");
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	text = read_text(f->path);
	assert_null(strstr(text, "old contents"));
	free(text);
	assert_int_equal(results_read(&back, f->path), 0);
	assert_same_results(&r, &back);

	results_release(&r);
	results_release(&back);
}

static void test_failed_write_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct results r;
	char *msg, *before, *after;
	int ret;

	results_init(&r);
	fill_results(&r);
	assert_int_equal(results_write(&r, f->path), 0);
	before = read_text(f->path);
	assert_int_equal(mkdir(in_dir(f, "sub"), 0755), 0);

	/* the temporary file cannot even be created */
	CAPTURE(ret, msg, results_write(&r, in_dir(f, "missing/r.json")));
	assert_int_equal(ret, -1);
	check_message(msg, "cannot write '");
	assert_dir_holds(f->dir, "r.json sub");

	/* the temporary file is written, the rename fails: it is removed */
	CAPTURE(ret, msg, results_write(&r, in_dir(f, "sub")));
	assert_int_equal(ret, -1);
	check_message(msg, "/sub': Is a directory");
	assert_dir_holds(f->dir, "r.json sub");
	assert_dir_holds(in_dir(f, "sub"), "");

	/* the earlier file is untouched */
	after = read_text(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	results_release(&r);
}

static void test_write_to_fifo(void **state)
{
	struct fixture *f = *state;
	const char *fifo = in_dir(f, "fifo");
	struct results r;
	struct stat st;
	json_t *root;
	char *buf = xcalloc(1 << 16, 1);
	size_t len = 0;
	ssize_t got;
	int fd;

	/* like -o /dev/stdout: written in place, not replaced by a file */
	results_init(&r);
	fill_results(&r);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	fd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	assert_int_equal(results_write(&r, fifo), 0);
	while ((got = read(fd, buf + len, (1 << 16) - 1 - len)) > 0)
		len += (size_t)got;
	close(fd);
	root = json_loads(buf, 0, NULL);
	assert_non_null(root);
	json_decref(root);
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_dir_holds(f->dir, "fifo");
	assert_int_equal(atomic_check_writable(fifo), 0);
	free(buf);
	results_release(&r);
}

static void test_check_writable(void **state)
{
	struct fixture *f = *state;
	char *msg, *want;
	int ret;

	assert_int_equal(atomic_check_writable(f->path), 0);
	assert_dir_holds(f->dir, "");   /* the probe file is gone */
	write_text(f->path, "{}");
	assert_int_equal(atomic_check_writable(f->path), 0);
	assert_dir_holds(f->dir, "r.json");

	CAPTURE(ret, msg, atomic_check_writable(in_dir(f, "missing/r.json")));
	assert_int_equal(ret, -1);
	want = xasprintf("cannot write '%s/missing/r.json': directory '%s/missing' does not exist",
			 f->dir, f->dir);
	check_message(msg, want);
	free(want);

	CAPTURE(ret, msg, atomic_check_writable(f->dir));
	assert_int_equal(ret, -1);
	want = xasprintf("cannot write '%s': it is a directory", f->dir);
	check_message(msg, want);
	free(want);

	CAPTURE(ret, msg, atomic_check_writable(in_dir(f, "r.json/x.json")));
	assert_int_equal(ret, -1);
	check_message(msg, "r.json' is not a directory");

	CAPTURE(ret, msg, atomic_check_writable(""));
	assert_int_equal(ret, -1);
	check_message(msg, "cannot write ''");
	assert_dir_holds(f->dir, "r.json");
}

/* 0 when atomic_check_writable(path) refuses with "Permission denied". */
static int check_denied(const char *path)
{
	char *msg;
	int ret, denied;

	CAPTURE(ret, msg, atomic_check_writable(path));
	denied = ret == -1 && strstr(msg, "Permission denied");
	free(msg);
	return denied ? 0 : 1;
}

static void test_check_unwritable_dir(void **state)
{
	struct fixture *f = *state;
	int status;
	pid_t pid;

	assert_int_equal(chmod(f->dir, 0555), 0);
	if (geteuid()) {
		assert_int_equal(check_denied(f->path), 0);
		return;
	}
	/*
	 * Root may write anywhere, which is exactly why access() is not
	 * used; the check must still refuse for an ordinary user.
	 */
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(2);
		_exit(check_denied(f->path));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 2) {
		print_message("cannot drop root privileges: unwritable directory not checked\n");
		skip();
	}
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_read_missing_file(void **state)
{
	struct fixture *f = *state;
	char *want = xasprintf("cannot read '%s': No such file or directory", f->path);

	expect_read_error(f->path, want);
	free(want);
	expect_read_error(f->dir, "it is a directory");
}

static void test_read_empty_file(void **state)
{
	struct fixture *f = *state;

	write_text(f->path, "");
	expect_read_error(f->path, "the file is empty");
}

static void test_read_not_json(void **state)
{
	struct fixture *f = *state;

	write_text(f->path, "runs: 30\nmean: 41 ms\n");
	expect_read_error(f->path, "not valid JSON (line 1, column ");
	write_text(f->path, "{\"format\": \"steady-results\", \"version\": 1, \"version\": 2}");
	expect_read_error(f->path, "not valid JSON (line 1");
}

static void test_read_truncated(void **state)
{
	struct fixture *f = *state;
	struct results r;
	char *text;

	results_init(&r);
	fill_results(&r);
	assert_int_equal(results_write(&r, f->path), 0);
	results_release(&r);
	text = read_text(f->path);
	text[strlen(text) / 2] = '\0';
	write_text(f->path, text);
	free(text);
	expect_read_error(f->path, "not valid JSON (line ");
}

static void test_read_other_format(void **state)
{
	struct fixture *f = *state;

	write_text(f->path, "{\"results\": []}\n");
	expect_read_error(f->path, "not a steady results file (it looks like hyperfine's JSON export)");
	write_text(f->path, "{\"benchmarks\": []}\n");
	expect_read_error(f->path, "not a steady results file (it has no 'format' field)");
	write_text(f->path, "{\"format\": \"other-tool\", \"version\": 1}\n");
	expect_read_error(f->path, "not a steady results file (its format is 'other-tool', not 'steady-results')");
	write_text(f->path, "{\"format\": 1}\n");
	expect_read_error(f->path, "not a steady results file ('format' is an integer)");
	write_text(f->path, "[1, 2, 3]\n");
	expect_read_error(f->path, "not a steady results file (the top level is an array, not an object)");
}

static void test_read_versions(void **state)
{
	struct fixture *f = *state;

	write_text(f->path, "{\"format\": \"steady-results\", \"version\": 99}\n");
	expect_read_error(f->path, "results format version 99 is newer than this steady");
	write_text(f->path, "{\"format\": \"steady-results\", \"version\": 0}\n");
	expect_read_error(f->path, "results format version 0 is not valid");
	write_text(f->path, "{\"format\": \"steady-results\", \"version\": \"1\"}\n");
	expect_read_error(f->path, "'version' must be an integer, not a string");
	write_text(f->path, "{\"format\": \"steady-results\"}\n");
	expect_read_error(f->path, "'version' is missing");
}

/* Writes the full example, lets edit change the tree, writes it back. */
static void write_edited(const struct fixture *f, void (*edit)(json_t *root))
{
	struct results r;
	json_t *root;

	results_init(&r);
	fill_results(&r);
	assert_int_equal(results_write(&r, f->path), 0);
	results_release(&r);
	root = json_load_file(f->path, 0, NULL);
	assert_non_null(root);
	edit(root);
	assert_int_equal(json_dump_file(root, f->path, JSON_INDENT(2)), 0);
	json_decref(root);
}

static json_t *bench0(json_t *root)
{
	return json_array_get(json_object_get(root, "benchmarks"), 0);
}

static json_t *runs_of(json_t *root, size_t bi)
{
	return json_object_get(json_array_get(json_object_get(root, "benchmarks"), bi), "runs");
}

/* Column key of benchmark 0, as an array. */
static json_t *column(json_t *root, const char *key)
{
	json_t *v = json_object_get(runs_of(root, 0), key);

	assert_true(json_is_array(v));
	return v;
}

/* The counts of the third benchmark: the one with counters. */
static json_t *counter_columns(json_t *root, const char *name)
{
	return json_object_get(json_object_get(runs_of(root, 2), "counts"), name);
}

/*
 * Rewrites a version 2 tree as version 1 (runs as objects), as an older
 * steady wrote it: every column expanded, microseconds back to ns.
 */
static void make_v1(json_t *root)
{
	json_t *benchmarks = json_object_get(root, "benchmarks");

	json_object_set_new(root, "version", json_integer(1));
	for (size_t bi = 0; bi < json_array_size(benchmarks); bi++) {
		json_t *b = json_array_get(benchmarks, bi);
		json_t *runs = json_object_get(b, "runs"), *array = json_array();
		size_t n = (size_t)json_integer_value(json_object_get(runs, "count"));

		for (size_t i = 0; i < n; i++) {
			json_t *run = json_object(), *v, *counts;
			const char *key;

			json_object_foreach(runs, key, v) {
				json_t *x = v;
				int us = !strcmp(key, "user_us") || !strcmp(key, "sys_us");

				if (!strcmp(key, "count") || !strcmp(key, "counts"))
					continue;
				if (json_is_array(v))
					x = json_array_get(v, i);
				if (json_is_object(v))
					x = json_integer(json_integer_value(json_object_get(v, "first")) +
							 (json_int_t)i * json_integer_value(json_object_get(v, "step")));
				else
					json_incref(x);
				if (us) {
					char ns[16];

					snprintf(ns, sizeof(ns), "%.4s_ns", key);
					json_object_set_new(run, ns, json_integer(json_integer_value(x) * 1000));
					json_decref(x);
				} else {
					json_object_set_new(run, key, x);
				}
			}
			counts = json_object_get(runs, "counts");
			if (counts) {
				json_t *out = json_object(), *one;

				json_object_foreach(counts, key, one) {
					json_t *status = json_object_get(one, "status"), *c = json_object();

					if (json_is_array(status))
						status = json_array_get(status, i);
					json_object_set(c, "status", status);
					if (!strcmp(json_string_value(status), "counted")) {
						for (int k = 0; k < 2; k++) {
							const char *part = k ? "running_pct" : "value";
							json_t *col = json_object_get(one, part);

							json_object_set(c, part, json_is_array(col) ?
									json_array_get(col, i) : col);
						}
					}
					json_object_set_new(out, key, c);
				}
				json_object_set_new(run, "counts", out);
			}
			json_array_append_new(array, run);
		}
		json_object_set_new(b, "runs", array);
	}
}

static json_t *run_of(json_t *root, size_t bi, size_t i)
{
	return json_array_get(runs_of(root, bi), i);
}

static void v1_drop_wall_ns(json_t *root)
{
	make_v1(root);
	assert_int_equal(json_object_del(run_of(root, 0, 1), "wall_ns"), 0);
}

static void v1_negative_sys_ns(json_t *root)
{
	make_v1(root);
	json_object_set_new(run_of(root, 0, 3), "sys_ns", json_integer(-5));
}

static void v1_bad_count_status(json_t *root)
{
	make_v1(root);
	json_object_set_new(json_object_get(json_object_get(run_of(root, 2, 0), "counts"), "task-clock"),
			    "status", json_string("maybe"));
}

/* Every field of every run survives a version 1 file, as it did. */
static void test_read_v1(void **state)
{
	struct fixture *f = *state;
	struct results expected, r;

	results_init(&expected);
	results_init(&r);
	write_edited(f, make_v1);
	assert_int_equal(results_read(&r, f->path), 0);
	fill_results(&expected);
	free(expected.created);
	expected.created = xstrdup(r.created);
	assert_same_results(&expected, &r);
	results_release(&expected);
	results_release(&r);

	write_edited(f, v1_drop_wall_ns);
	expect_read_error(f->path, "'benchmarks[0].runs[1].wall_ns' is missing");
	write_edited(f, v1_negative_sys_ns);
	expect_read_error(f->path, "'benchmarks[0].runs[3].sys_ns' must not be negative (-5)");
	write_edited(f, v1_bad_count_status);
	expect_read_error(f->path, "'benchmarks[2].runs[0].counts' has no valid status for 'task-clock'");
}

static void env_pad_short(json_t *root)
{
	json_array_remove(column(root, "env_pad"), 0);
}

static void wall_ns_string(json_t *root)
{
	json_object_set_new(runs_of(root, 0), "wall_ns", json_string("41"));
}

static void wall_ns_element_string(json_t *root)
{
	json_array_set_new(column(root, "wall_ns"), 1, json_string("x"));
}

static void timed_out_numbers(json_t *root)
{
	json_t *v = json_object_get(runs_of(root, 0), "timed_out");

	for (size_t i = 0; i < json_array_size(v); i++)
		json_array_set_new(v, i, json_integer(json_is_true(json_array_get(v, i))));
}

static void drop_count(json_t *root)
{
	json_object_del(runs_of(root, 0), "count");
}

static void both_sys_keys(json_t *root)
{
	json_object_set_new(runs_of(root, 0), "sys_us", json_integer(5));
}

static void drop_a_count(json_t *root)
{
	assert_int_equal(json_object_del(json_object_get(runs_of(root, 2), "counts"),
					 "cycles:u"), 0);
}

static void bad_count_status(json_t *root)
{
	json_object_set_new(counter_columns(root, "task-clock"), "status", json_string("maybe"));
}

static void count_without_value(json_t *root)
{
	assert_int_equal(json_object_del(counter_columns(root, "valgrind-ir"), "value"), 0);
}

static void duplicate_counter(json_t *root)
{
	json_t *b2 = json_array_get(json_object_get(root, "benchmarks"), 2);

	json_array_set_new(json_object_get(b2, "counters"), 2, json_string("task-clock"));
}

static void drop_wall_ns(json_t *root)
{
	assert_int_equal(json_object_del(runs_of(root, 0), "wall_ns"), 0);
}

static void wall_ns_zero(json_t *root)
{
	json_array_set_new(column(root, "wall_ns"), 2, json_integer(0));
}

static void negative_sys_ns(json_t *root)
{
	json_array_set_new(column(root, "sys_ns"), 3, json_integer(-5));
}

static void wall_ns_as_real(json_t *root)
{
	json_array_set_new(column(root, "wall_ns"), 4, json_real(0.041));
}

static void shell_as_string(json_t *root)
{
	json_object_set_new(bench0(root), "shell", json_string("yes"));
}

static void bad_seed(json_t *root)
{
	json_object_set_new(json_object_get(bench0(root), "options"), "seed",
			    json_string("12x"));
}

static void bad_stop_reason(json_t *root)
{
	json_object_set_new(bench0(root), "stop_reason", json_string("exploded"));
}

static void drop_host_arch(json_t *root)
{
	json_object_del(json_object_get(root, "host"), "arch");
}

static void command_not_strings(json_t *root)
{
	json_array_set_new(json_object_get(bench0(root), "command"), 1, json_integer(200));
}

static void benchmark_not_object(json_t *root)
{
	json_array_append_new(json_object_get(root, "benchmarks"), json_string("x"));
}

static void exit_code_too_big(json_t *root)
{
	json_array_set_new(column(root, "exit_code"), 0, json_integer(1LL << 40));
}

static void negative_runs(json_t *root)
{
	json_object_set_new(json_object_get(bench0(root), "options"), "runs",
			    json_integer(-1));
}

static void empty_command(json_t *root)
{
	json_array_clear(json_object_get(bench0(root), "command"));
}

static void shell_two_strings(json_t *root)
{
	json_t *b = json_array_get(json_object_get(root, "benchmarks"), 1);

	json_array_append_new(json_object_get(b, "command"), json_string("x"));
}

/* user times in microseconds, as steady writes them, one negative */
static void negative_user_us(json_t *root)
{
	json_t *runs = runs_of(root, 0), *us = json_array();
	size_t n = json_array_size(column(root, "user_ns"));

	for (size_t i = 0; i < n; i++)
		json_array_append_new(us, json_integer(i ? 900 : -5));
	json_object_del(runs, "user_ns");
	json_object_set_new(runs, "user_us", us);
}

/* A string spelled like the reader's own stand-in for a packed array. */
static void forged_placeholder(json_t *root)
{
	json_object_set_new(runs_of(root, 0), "user_ns",
			    json_string("\x01steady-column 0000000000000000 0"));
}

static void huge_count(json_t *root)
{
	json_object_set_new(runs_of(root, 0), "count", json_integer(1000000000000LL));
}

/* Every column one value, and a count no file of arrays could back. */
static void arrayless_count(json_t *root)
{
	json_t *runs = runs_of(root, 0), *v;
	const char *key;

	json_object_foreach(runs, key, v)
		if (json_is_array(v))
			json_object_set(runs, key, json_array_get(v, 0));
	json_object_set_new(runs, "count", json_integer(2000000));
}

static void test_read_bad_fields(void **state)
{
	struct fixture *f = *state;

	write_edited(f, drop_wall_ns);
	expect_read_error(f->path, "'benchmarks[0].runs.wall_ns' is missing");
	write_edited(f, wall_ns_zero);
	expect_read_error(f->path, "'benchmarks[0].runs.wall_ns[2]' must be positive (0)");
	write_edited(f, negative_sys_ns);
	expect_read_error(f->path, "'benchmarks[0].runs.sys_ns[3]' must not be negative (-5)");
	write_edited(f, wall_ns_as_real);
	expect_read_error(f->path, "'benchmarks[0].runs.wall_ns[4]' must be an integer, not a real number");
	write_edited(f, env_pad_short);
	expect_read_error(f->path, "'benchmarks[0].runs.env_pad' has 13 values, not 14 (the runs' 'count')");
	write_edited(f, wall_ns_string);
	expect_read_error(f->path, "'benchmarks[0].runs.wall_ns' must be an array of integer values, one such value for every run");
	write_edited(f, wall_ns_element_string);
	expect_read_error(f->path, "'benchmarks[0].runs.wall_ns[1]' must be an integer, not a string");
	write_edited(f, timed_out_numbers);
	expect_read_error(f->path, "'benchmarks[0].runs.timed_out[0]' must be true or false, not a number");
	write_edited(f, drop_count);
	expect_read_error(f->path, "'benchmarks[0].runs.count' is missing");
	write_edited(f, negative_user_us);
	expect_read_error(f->path, "'benchmarks[0].runs.user_us[0]' must not be negative (-5)");
	write_edited(f, forged_placeholder);
	expect_read_error(f->path, "'benchmarks[0].runs.user_ns' must be an array of integer values");
	write_edited(f, huge_count);
	expect_read_error(f->path, "'benchmarks[0].runs.count' is above 200000000 runs, more than steady measures");
	write_edited(f, arrayless_count);
	expect_read_error(f->path, "'benchmarks[0].runs.count' is 2000000, but no column of the runs is an array");
	write_edited(f, both_sys_keys);
	expect_read_error(f->path, "'benchmarks[0].runs.sys_us' and 'sys_ns' cannot both be given");
	write_edited(f, shell_as_string);
	expect_read_error(f->path, "'benchmarks[0].shell' must be true or false, not a string");
	write_edited(f, bad_seed);
	expect_read_error(f->path, "'benchmarks[0].options.seed' is not an unsigned 64-bit decimal number ('12x')");
	write_edited(f, bad_stop_reason);
	expect_read_error(f->path, "'benchmarks[0].stop_reason' is 'exploded'");
	write_edited(f, drop_host_arch);
	expect_read_error(f->path, "'host.arch' is missing");
	write_edited(f, command_not_strings);
	expect_read_error(f->path, "'benchmarks[0].command[1]' must be a string, not an integer");
	write_edited(f, empty_command);
	expect_read_error(f->path, "'benchmarks[0].command' is empty");
	write_edited(f, shell_two_strings);
	expect_read_error(f->path, "'benchmarks[1].command' must hold exactly one string (the script) when 'shell' is true, not 2");
	write_edited(f, benchmark_not_object);
	expect_read_error(f->path, "'benchmarks[3]' must be an object, not a string");
	write_edited(f, exit_code_too_big);
	expect_read_error(f->path, "'benchmarks[0].runs.exit_code[0]' is out of range");
	write_edited(f, negative_runs);
	expect_read_error(f->path, "'benchmarks[0].options.runs' must not be negative");
	write_edited(f, drop_a_count);
	expect_read_error(f->path, "'benchmarks[2].runs.counts' has no object for counter 'cycles:u'");
	write_edited(f, bad_count_status);
	expect_read_error(f->path, "'benchmarks[2].runs.counts' has no valid status for 'task-clock'");
	write_edited(f, count_without_value);
	expect_read_error(f->path, "'benchmarks[2].runs.counts' has no valid 'value' and 'running_pct' for 'valgrind-ir'");
	write_edited(f, duplicate_counter);
	expect_read_error(f->path, "'benchmarks[2].counters' names 'task-clock' twice");
}

/* What a later 1.x steady might add, and a summary nobody should trust. */
static void add_unknown_fields(json_t *root)
{
	json_t *options = json_object_get(bench0(root), "options");

	json_object_set_new(root, "comment", json_string("from the future"));
	json_object_set_new(json_object_get(root, "host"), "numa_nodes", json_integer(2));
	json_object_set_new(bench0(root), "perf", json_pack("{s:[i,i]}", "cycles", 1, 2));
	json_object_set_new(runs_of(root, 0), "energy_uj", json_real(1.5));
	json_object_set_new(options, "nice", json_null());
	json_object_set_new(bench0(root), "summary", json_string("not even an object"));
	/* integer seeds are accepted from files written by hand */
	json_object_set_new(options, "seed", json_integer(42));
	json_object_del(json_array_get(json_object_get(root, "benchmarks"), 1), "summary");
}

static void drop_steady_version(json_t *root)
{
	json_object_del(root, "steady_version");
}

/* docs/results-format.md: readers do not require steady_version */
static void test_read_without_steady_version(void **state)
{
	struct fixture *f = *state;
	struct results r;

	results_init(&r);
	write_edited(f, drop_steady_version);
	assert_int_equal(results_read(&r, f->path), 0);
	assert_null(r.steady_version);
	assert_int_equal(r.nr_benchmarks, 3);
	results_release(&r);
}

static void test_read_ignores_unknown(void **state)
{
	struct fixture *f = *state;
	struct results expected, r;

	results_init(&expected);
	results_init(&r);
	write_edited(f, add_unknown_fields);
	assert_int_equal(results_read(&r, f->path), 0);

	/* same as written but for the seed, and with stamp of the file */
	fill_results(&expected);
	expected.benchmarks[0].config.seed = 42;
	free(expected.created);
	expected.created = xstrdup(r.created);
	assert_same_results(&expected, &r);
	results_release(&expected);
	results_release(&r);
}

static void test_invalid_utf8_and_unstamped(void **state)
{
	struct fixture *f = *state;
	static char *const argv[] = { "./prog", "caf\xe9", "\xed\xa0\x80", "\xf0\x9f\x98\x80", NULL };
	struct results r, back;

	/* nothing stamped: the writer still produces a complete file */
	results_init(&r);
	results_init(&back);
	benchmark_set_argv(results_add_benchmark(&r), argv, 4);
	assert_int_equal(results_write(&r, f->path), 0);
	assert_int_equal(results_read(&back, f->path), 0);

	assert_string_equal(back.steady_version, STEADY_VERSION);
	assert_int_equal(strlen(back.created), 20);
	assert_string_equal(back.host.hostname, "unknown");
	assert_int_equal(back.host.cpu_count, 0);
	assert_string_equal(back.benchmarks[0].argv[1], "caf\xef\xbf\xbd");
	assert_string_equal(back.benchmarks[0].argv[2], "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(back.benchmarks[0].argv[3], "\xf0\x9f\x98\x80");
	assert_string_equal(back.benchmarks[0].name,
			    "./prog caf\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xf0\x9f\x98\x80");
	results_release(&r);
	results_release(&back);
}

static void test_stamp(void **state)
{
	struct results r;
	struct tm tm;
	time_t now = time(NULL), then;
	const char *end;

	(void)state;
	results_init(&r);
	results_stamp(&r);
	results_stamp(&r);      /* stamping again replaces, leaks nothing */

	assert_string_equal(r.steady_version, STEADY_VERSION);
	assert_int_equal(strlen(r.created), 20);
	memset(&tm, 0, sizeof(tm));
	end = strptime(r.created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	assert_non_null(end);
	assert_int_equal(*end, '\0');
	then = timegm(&tm);
	assert_true(then >= now - 5 && then <= now + 5);

	assert_non_null(r.host.hostname);
	assert_true(strlen(r.host.hostname) > 0);
	assert_non_null(r.host.kernel);
	assert_int_equal(strncmp(r.host.kernel, "Linux ", 6), 0);
	assert_non_null(r.host.arch);
	assert_non_null(r.host.cpu_model);
	assert_true(strlen(r.host.cpu_model) > 0);
	assert_true(r.host.cpu_count >= 1);
	results_release(&r);
	assert_empty_results(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_replaces_contents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_written_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_run_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_to_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_unwritable_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_not_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_other_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_bad_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_ignores_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_without_steady_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8_and_unstamped, setup, teardown),
		cmocka_unit_test(test_stamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
