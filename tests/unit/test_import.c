/*
 * Unit tests for import.c: every real hyperfine and pyperf file under
 * tests/fixtures/ is read with the right format, names and times; a steady
 * file round-trips through results_write(); and each way a file can be
 * unusable fails with one error line, leaving the results empty.
 *
 * The fixture directory comes from $FIXTURES (the test runner sets it: the
 * tests run from any directory), else "tests/fixtures" from the top of the
 * repository. Files made up for a test go in a mkdtemp() directory under
 * /tmp, removed by the teardown whatever the outcome.
 */
#include "unit_fixture.h"
#include "stderr_capture.h"

#include "formats/import.h"

/* Files made up for a test are written to dir/r.json. */
static int setup(void **state)
{
	return fixture_setup(state, "r.json");
}

static void assert_empty_results(const struct results *r)
{
	assert_null(r->steady_version);
	assert_null(r->created);
	assert_null(r->host.hostname);
	assert_null(r->benchmarks);
	assert_int_equal(r->nr_benchmarks, 0);
}

/*
 * import_results() must fail with one line containing want, leave r empty
 * and *format as it was. r holds a benchmark beforehand, so a failure that
 * forgot to release it would show (and leak under valgrind).
 */
static void expect_import_error(const char *path, const char *want)
{
	enum import_format format = IMPORT_PYPERF;
	struct results r;
	char *msg;
	int ret;

	results_init(&r);
	results_add_benchmark(&r)->name = xstrdup("left over");
	capture_start();
	ret = import_results(&r, path, &format);
	msg = capture_end();
	assert_int_equal(ret, -1);
	check_message(msg, want);
	assert_empty_results(&r);
	assert_int_equal(format, IMPORT_PYPERF);
	results_release(&r);
}

/* Writes text to f->path and expects the import of it to fail with want. */
static void expect_text_error(const struct fixture *f, const char *text,
			      const char *want)
{
	write_text(f->path, text);
	expect_import_error(f->path, want);
}

/* Imports path, which must succeed with format want; r must be released. */
static void import_ok(struct results *r, const char *path, enum import_format want)
{
	enum import_format format;

	results_init(r);
	if (import_results(r, path, &format))
		fail_msg("cannot import %s", path);
	assert_int_equal(format, want);
}

/* Exact: jansson and Python both parse JSON numbers correctly rounded. */
static void assert_same_double(double got, double want)
{
	if (got != want)
		fail_msg("got %.17g, want %.17g", got, want);
}

static void assert_close(double got, double want)
{
	if (fabs(got - want) > 1e-12 * fabs(want))
		fail_msg("got %.17g, want %.17g", got, want);
}

/* ---- the real files ---- */

struct bench_expect {
	const char *name;
	const char *command;    /* argv[0] */
	size_t n;
	double first, last, sum;
};

struct file_expect {
	const char *file;
	enum import_format format;
	size_t nr;
	struct bench_expect bench[3];
};

/*
 * Counted from the files with python3's json module: for hyperfine each
 * result's "times"; for pyperf every run's "values" in order, runs without
 * "values" (calibration) and all "warmups" left out. sum is math.fsum() of
 * the values, first and last are repr() of the floats. The names of
 * mult_list_* come from each benchmark's metadata, those of telco and
 * command_work from the file's common metadata.
 */
static const struct file_expect fixtures[] = {
	{ "hyperfine/two_commands.json", IMPORT_HYPERFINE, 2, {
		{ "./work-ref 20000000", "./work-ref 20000000", 10,
		  0.044049485, 0.043426349, 0.41739554900000003 },
		{ "./work-plus10 20000000", "./work-plus10 20000000", 10,
		  0.033837051, 0.035896423000000004, 0.34705932700000003 },
	} },
	/* the scanned value is in each command already: no suffix needed */
	{ "hyperfine/parameter_scan.json", IMPORT_HYPERFINE, 3, {
		{ "./work-ref 1000000", "./work-ref 1000000", 5,
		  0.002632534, 0.0029480540000000003, 0.013609682000000001 },
		{ "./work-ref 2000000", "./work-ref 2000000", 5,
		  0.004865775, 0.004691456, 0.023986266 },
		{ "./work-ref 3000000", "./work-ref 3000000", 5,
		  0.005484795000000001, 0.006271540000000001, 0.029330656000000004 },
	} },
	{ "hyperfine/shell_single.json", IMPORT_HYPERFINE, 1, {
		{ "sleep 0.01", "sleep 0.01", 5,
		  0.01154981654, 0.01133930354, 0.0563902927 },
	} },
	/* 5 runs: 1 calibration (warm-ups only), 4 with 2 values each */
	{ "pyperf/command_work.json", IMPORT_PYPERF, 1, {
		{ "command", "./work-ref 20000000", 8,
		  0.028695791250015645, 0.02916321399999333, 0.2488841039998988 },
	} },
	{ "pyperf/mult_list_py36.json", IMPORT_PYPERF, 3, {
		{ "[1]*1000", "[1]*1000", 60,
		  2.087224121094522e-06, 2.1301250607841382e-06, 0.0001276201341551264 },
		{ "[1,2]*1000", "[1,2]*1000", 60,
		  3.669329223576767e-06, 3.695577545315132e-06, 0.00022226240918143958 },
		{ "[1,2,3]*1000", "[1,2,3]*1000", 60,
		  4.54860086041009e-06, 5.22639044220341e-06, 0.0002767959556617683 },
	} },
	{ "pyperf/mult_list_py37.json", IMPORT_PYPERF, 3, {
		{ "[1]*1000", "[1]*1000", 60,
		  2.080216247701827e-06, 2.114736587621735e-06, 0.00012537961405900688 },
		{ "[1,2]*1000", "[1,2]*1000", 60,
		  5.495433288871254e-06, 5.233533690862657e-06, 0.0003166265973524318 },
		{ "[1,2,3]*1000", "[1,2,3]*1000", 60,
		  6.136977081183659e-06, 6.086706634711447e-06, 0.00036323770889534757 },
	} },
	/* 41 runs: 1 calibration, 40 with 3 values; no "unit": seconds */
	{ "pyperf/telco.json", IMPORT_PYPERF, 1, {
		{ "telco", "telco", 120,
		  0.022752201875846367, 0.02241712374961935, 2.7036894944922096 },
	} },
};

static void check_benchmark(const struct benchmark *b, const struct bench_expect *e)
{
	double sum = 0, *v;
	size_t n;

	assert_string_equal(b->name, e->name);
	assert_int_equal(b->argc, 1);
	assert_string_equal(b->argv[0], e->command);
	assert_null(b->argv[1]);
	assert_int_equal(b->config.shell, 0);
	assert_int_equal(b->nr_runs, 0);
	assert_int_equal(b->nr_warnings, 0);
	assert_int_equal(b->nr_imported, e->n);
	assert_same_double(b->imported[0], e->first);
	assert_same_double(b->imported[e->n - 1], e->last);
	for (size_t i = 0; i < b->nr_imported; i++)
		sum += b->imported[i];
	assert_close(sum, e->sum);

	/* what compare and report will see */
	v = benchmark_values(b, METRIC_WALL, &n);
	assert_int_equal(n, e->n);
	assert_memory_equal(v, b->imported, n * sizeof(*v));
	free(v);
}

static void test_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(*fixtures); i++) {
		const struct file_expect *e = &fixtures[i];
		char *path = fixture_path(e->file);
		struct results r;

		print_message("# %s\n", e->file);
		free(read_text(path));  /* says what is missing if it is */
		import_ok(&r, path, e->format);
		assert_int_equal(r.nr_benchmarks, e->nr);
		for (size_t k = 0; k < e->nr; k++)
			check_benchmark(&r.benchmarks[k], &e->bench[k]);
		/* nothing about the host or the date is known */
		assert_null(r.created);
		assert_null(r.host.hostname);
		results_release(&r);
		free(path);
	}
}

/*
 * --track-memory: values are bytes, read as peak memory in KiB (maxrss),
 * never as seconds. Expected: the fixture's three values 7360512, 7364608
 * and 7380992 bytes divided by 1024 (hand: 7188, 7192, 7208).
 */
static void test_pyperf_memory_as_maxrss(void **state)
{
	char *path = fixture_path("pyperf/track_memory.json");
	struct results r;
	double *v;
	char *msg;
	size_t n;

	(void)state;
	results_init(&r);
	assert_int_equal(import_results(&r, path, NULL), 0);
	assert_int_equal(r.nr_benchmarks, 1);
	assert_int_equal(r.benchmarks[0].imported_metric, METRIC_MAXRSS);
	v = benchmark_metric_values(&r.benchmarks[0], "maxrss", &n);
	assert_non_null(v);
	assert_int_equal(n, 3);
	assert_double_equal(v[0], 7188, 1e-9);
	assert_double_equal(v[1], 7192, 1e-9);
	assert_double_equal(v[2], 7208, 1e-9);
	free(v);
	/* as time it is refused: one line, no values */
	capture_start();
	v = benchmark_metric_values(&r.benchmarks[0], NULL, &n);
	msg = capture_end();
	assert_null(v);
	assert_non_null(strstr(msg, "recorded peak memory only, not wall time (use --metric maxrss)"));
	free(msg);
	results_release(&r);
	free(path);
}

/* ---- steady's own files ---- */

static void test_steady_round_trip(void **state)
{
	struct fixture *f = *state;
	struct results out, in;
	struct run_sample s;
	struct benchmark *b;
	char *argv[] = { "./work", "200" };
	double *v;
	size_t n;

	results_init(&out);
	results_stamp(&out);
	b = results_add_benchmark(&out);
	b->name = xstrdup("work 200");
	benchmark_set_argv(b, argv, 2);
	benchmark_add_warning(b, "a warning kept with the results");
	for (int i = 0; i < 5; i++) {
		memset(&s, 0, sizeof(s));
		s.wall_ns = 40000000 + i * 1000000;
		s.warmup = i == 0;
		s.env_pad = -1;
		benchmark_add_run(b, &s, NULL);
	}
	b = results_add_benchmark(&out);
	benchmark_set_argv(b, argv, 1);
	memset(&s, 0, sizeof(s));
	s.wall_ns = 1500000000;
	benchmark_add_run(b, &s, NULL);
	assert_int_equal(results_write(&out, f->path), 0);

	import_ok(&in, f->path, IMPORT_STEADY);
	assert_string_equal(in.steady_version, out.steady_version);
	assert_string_equal(in.created, out.created);
	assert_string_equal(in.host.hostname, out.host.hostname);
	assert_int_equal(in.nr_benchmarks, 2);

	b = &in.benchmarks[0];
	assert_string_equal(b->name, "work 200");
	assert_int_equal(b->argc, 2);
	assert_string_equal(b->argv[0], "./work");
	assert_string_equal(b->argv[1], "200");
	assert_int_equal(b->nr_warnings, 1);
	assert_string_equal(b->warnings[0], "a warning kept with the results");
	/* steady's runs stay runs, nothing imported */
	assert_int_equal(b->nr_runs, 5);
	assert_int_equal(b->nr_imported, 0);
	v = benchmark_values(b, METRIC_WALL, &n);
	assert_int_equal(n, 4);         /* the warm-up is left out */
	assert_same_double(v[0], 0.041);
	assert_same_double(v[3], 0.044);
	free(v);

	b = &in.benchmarks[1];
	assert_string_equal(b->name, "./work");
	assert_int_equal(b->nr_runs, 1);
	assert_int_equal(b->runs[0].wall_ns, 1500000000);

	results_release(&in);
	results_release(&out);
}

static void test_steady_errors(void **state)
{
	struct fixture *f = *state;
	struct results r;

	/* results_read()'s own messages come through */
	expect_text_error(f, "{\"format\": \"steady-results\", \"version\": 99}\n",
			  "results format version 99 is newer than this steady");
	expect_text_error(f, "{\"format\": \"steady-results\", \"version\": 1}\n",
			  "'created' is missing");

	results_init(&r);
	results_stamp(&r);
	assert_int_equal(results_write(&r, f->path), 0);
	results_release(&r);
	expect_import_error(f->path, "the file holds no benchmarks");
}

/* ---- hyperfine details ---- */

static void test_hyperfine_names(void **state)
{
	struct fixture *f = *state;
	struct results r;

	/* a scan whose command does not use the parameter */
	write_text(f->path,
		   "{\"results\": ["
		   "{\"command\": \"make -j\", \"times\": [1.5], \"parameters\": {\"jobs\": \"2\", \"cc\": \"gcc\"}},"
		   "{\"command\": \"make -j\", \"times\": [1.25], \"parameters\": {\"jobs\": 4, \"cc\": \"gcc\"}},"
		   "{\"command\": \"make -j 8\", \"times\": [1], \"parameters\": {\"jobs\": \"8\"}}"
		   "]}\n");
	import_ok(&r, f->path, IMPORT_HYPERFINE);
	assert_int_equal(r.nr_benchmarks, 3);
	assert_string_equal(r.benchmarks[0].name, "make -j (jobs=2, cc=gcc)");
	assert_string_equal(r.benchmarks[1].name, "make -j (jobs=4, cc=gcc)");
	/* a distinct command keeps its plain name */
	assert_string_equal(r.benchmarks[2].name, "make -j 8");
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(r.benchmarks[i].argc, 1);
		assert_int_equal(r.benchmarks[i].config.shell, 0);
	}
	assert_string_equal(r.benchmarks[1].argv[0], "make -j");
	assert_same_double(r.benchmarks[1].imported[0], 1.25);
	assert_same_double(r.benchmarks[2].imported[0], 1.0);
	results_release(&r);

	/* the same command listed twice: told apart by position */
	write_text(f->path,
		   "{\"results\": ["
		   "{\"command\": \"true\", \"times\": [0.001]},"
		   "{\"command\": \"false\", \"times\": [0.001]},"
		   "{\"command\": \"true\", \"times\": [0.002], \"parameters\": {}}"
		   "]}\n");
	import_ok(&r, f->path, IMPORT_HYPERFINE);
	assert_string_equal(r.benchmarks[0].name, "true");
	assert_string_equal(r.benchmarks[1].name, "false");
	assert_string_equal(r.benchmarks[2].name, "true (#3)");
	results_release(&r);
}

static void test_hyperfine_exit_codes(void **state)
{
	struct fixture *f = *state;
	struct results r;

	/* the run where hyperfine did not stop at a failure (-i) */
	write_text(f->path,
		   "{\"results\": ["
		   "{\"command\": \"a\", \"times\": [0.1, 0.2, 0.3, 0.4], \"exit_codes\": [0, 1, 2, null]},"
		   "{\"command\": \"b\", \"times\": [0.1, 0.2], \"exit_codes\": [0, 0]},"
		   "{\"command\": \"c\", \"times\": [0.1, 0.2], \"exit_codes\": [0, 3]},"
		   "{\"command\": \"d\", \"times\": [0.1]}"
		   "]}\n");
	import_ok(&r, f->path, IMPORT_HYPERFINE);
	assert_int_equal(r.nr_benchmarks, 4);
	assert_int_equal(r.benchmarks[0].nr_warnings, 2);
	assert_string_equal(r.benchmarks[0].warnings[0], "2 runs exited non-zero");
	assert_string_equal(r.benchmarks[0].warnings[1],
			    "1 run ended without an exit code (killed by a signal)");
	/* failed runs are still measurements, as with --ignore-failure */
	assert_int_equal(r.benchmarks[0].nr_imported, 4);
	assert_int_equal(r.benchmarks[1].nr_warnings, 0);
	assert_int_equal(r.benchmarks[2].nr_warnings, 1);
	assert_string_equal(r.benchmarks[2].warnings[0], "1 run exited non-zero");
	assert_int_equal(r.benchmarks[3].nr_warnings, 0);
	results_release(&r);
}

static void test_hyperfine_errors(void **state)
{
	struct fixture *f = *state;

	expect_text_error(f, "{\"results\": []}\n", "the file holds no benchmarks");
	expect_text_error(f, "{\"results\": [{\"command\": \"a\", \"times\": []}]}\n",
			  "benchmark 'a' has no values");
	/* old hyperfine: summary statistics only; the message names the result */
	expect_text_error(f,
			  "{\"results\": [{\"command\": \"a\", \"times\": [0.1]},"
			  " {\"command\": \"b\", \"mean\": 0.1, \"stddev\": 0.01}]}\n",
			  "'results[1].times' is missing");
	expect_text_error(f, "{\"results\": [{\"command\": \"a\", \"times\": 0.1}]}\n",
			  "'results[0].times' must be an array, not a real number");
	expect_text_error(f,
			  "{\"results\": [{\"command\": \"a\", \"times\": [0.1]}, {\"times\": [0.1]}]}\n",
			  "'results[1].command' is missing");
	expect_text_error(f, "{\"results\": [{\"command\": \"a\", \"times\": [0.1]}, 7]}\n",
			  "'results[1]' must be an object, not an integer");
	expect_text_error(f, "{\"results\": [{\"command\": \"a\", \"times\": [0.1, \"0.2\"]}]}\n",
			  "'results[0].times[1]' must be a number, not a string");
	expect_text_error(f, "{\"results\": [{\"command\": \"a\", \"times\": [null]}]}\n",
			  "'results[0].times[0]' must be a number, not null");
	expect_text_error(f, "{\"results\": [{\"command\": \"a\", \"times\": [0.1, 0.2, -0.5]}]}\n",
			  "'results[0].times[2]' is not a valid time in seconds (-0.5)");
	/* finite, but no run takes 10^308 s: a unit mix-up, and sums overflow */
	expect_text_error(f, "{\"results\": [{\"command\": \"a\", \"times\": [1e308, 1e308]}]}\n",
			  "'results[0].times[0]' is not a valid time in seconds (1e+308)");
	/* JSON has no NaN: jansson stops at the token */
	expect_text_error(f, "{\"results\": [{\"command\": \"a\", \"times\": [NaN]}]}\n",
			  "not valid JSON (line 1, column ");
	expect_text_error(f,
			  "{\"results\": [{\"command\": \"a\", \"times\": [1], \"parameters\": [1]}]}\n",
			  "'results[0].parameters' must be an object, not an array");
	expect_text_error(f,
			  "{\"results\": [{\"command\": \"a\", \"times\": [1], \"parameters\": {\"n\": null}}]}\n",
			  "'results[0].parameters.n' must be a string, not null");
}

/* ---- pyperf details ---- */

static void test_pyperf_metadata(void **state)
{
	struct fixture *f = *state;
	struct results r;

	/*
	 * A benchmark's own metadata wins over the file's; a run without
	 * "values" (calibration) adds nothing; warm-ups are left out.
	 */
	write_text(f->path,
		   "{\"version\": \"1.0\","
		   " \"metadata\": {\"name\": \"common\", \"unit\": \"second\", \"loops\": 16},"
		   " \"benchmarks\": ["
		   "  {\"metadata\": {\"name\": \"own\", \"command\": \"python3 -c pass\"},"
		   "   \"runs\": [{\"warmups\": [[1, 0.5]]},"
		   "              {\"values\": [0.25, 0.5], \"warmups\": [[16, 9.0]]},"
		   "              {\"values\": []},"
		   "              {\"values\": [0.75]}]},"
		   "  {\"runs\": [{\"values\": [1e-3]}]}"
		   " ]}\n");
	import_ok(&r, f->path, IMPORT_PYPERF);
	assert_int_equal(r.nr_benchmarks, 2);
	assert_string_equal(r.benchmarks[0].name, "own");
	assert_string_equal(r.benchmarks[0].argv[0], "python3 -c pass");
	assert_int_equal(r.benchmarks[0].nr_imported, 3);
	/* no scaling by loops: the values are per loop already */
	assert_same_double(r.benchmarks[0].imported[0], 0.25);
	assert_same_double(r.benchmarks[0].imported[1], 0.5);
	assert_same_double(r.benchmarks[0].imported[2], 0.75);
	assert_string_equal(r.benchmarks[1].name, "common");
	assert_string_equal(r.benchmarks[1].argv[0], "common");
	assert_same_double(r.benchmarks[1].imported[0], 1e-3);
	results_release(&r);

	/* detected by "metadata" alone; then the version is asked for */
	expect_text_error(f, "{\"metadata\": {}, \"benchmarks\": [{\"runs\": []}]}\n",
			  "'version' is missing");
}

static void test_pyperf_errors(void **state)
{
	struct fixture *f = *state;

	expect_text_error(f, "{\"version\": \"1.0\", \"metadata\": {}, \"benchmarks\": []}\n",
			  "the file holds no benchmarks");
	/* only the calibration run: nothing measured */
	expect_text_error(f,
			  "{\"version\": \"1.0\", \"metadata\": {\"name\": \"x\"},"
			  " \"benchmarks\": [{\"runs\": [{\"warmups\": [[1, 0.1]]}]}]}\n",
			  "benchmark 'x' has no values");
	expect_text_error(f,
			  "{\"version\": \"1.0\", \"metadata\": {\"name\": \"x\"},"
			  " \"benchmarks\": [{\"metadata\": {\"unit\": \"integer\"}, \"runs\": [{\"values\": [3]}]}]}\n",
			  "benchmark 'x' measures integer, not time");
	expect_text_error(f,
			  "{\"version\": \"1.0\", \"metadata\": {},"
			  " \"benchmarks\": [{\"runs\": [{\"values\": [0.1]}]}]}\n",
			  "'benchmarks[0]' has no name");
	expect_text_error(f,
			  "{\"version\": \"1.0\", \"metadata\": {\"name\": \"x\"},"
			  " \"benchmarks\": [{\"runs\": [{\"values\": [0.1]}, {\"values\": [0.1, true]}]}]}\n",
			  "'benchmarks[0].runs[1].values[1]' must be a number, not a boolean");
	expect_text_error(f,
			  "{\"version\": \"1.0\", \"metadata\": {\"name\": \"x\"},"
			  " \"benchmarks\": [{\"runs\": [{\"values\": [-1e-6]}]}]}\n",
			  "'benchmarks[0].runs[0].values[0]' is not a valid time in seconds (-1e-06)");
	expect_text_error(f,
			  "{\"version\": \"1.0\", \"metadata\": {\"name\": \"x\"},"
			  " \"benchmarks\": [{\"runs\": [{\"values\": 0.1}]}]}\n",
			  "'benchmarks[0].runs[0].values' must be an array, not a real number");
	expect_text_error(f,
			  "{\"version\": \"1.0\", \"metadata\": {\"name\": \"x\"},"
			  " \"benchmarks\": [{\"runs\": [0.1]}]}\n",
			  "'benchmarks[0].runs[0]' must be an object, not a real number");
	expect_text_error(f,
			  "{\"version\": \"1.0\", \"metadata\": {\"name\": \"x\"}, \"benchmarks\": [{}]}\n",
			  "'benchmarks[0].runs' is missing");
	/* perf 0.x wrote other layouts under other versions */
	expect_text_error(f, "{\"version\": \"0.9.6\", \"benchmarks\": [{\"runs\": []}]}\n",
			  "pyperf file format version '0.9.6' is not supported (only '1.0')");
}

/* ---- files that are no results at all ---- */

static void test_missing_file(void **state)
{
	struct fixture *f = *state;
	char *want = xasprintf("cannot read '%s': No such file or directory", f->path);

	expect_import_error(f->path, want);
	free(want);
	expect_import_error(f->dir, "it is a directory");
}

static void test_empty_file(void **state)
{
	struct fixture *f = *state;

	expect_text_error(f, "", "the file is empty");
}

static void test_not_json(void **state)
{
	struct fixture *f = *state;

	expect_text_error(f, "Benchmark 1: sleep 0.01\n  Time (mean ± σ): 11.3 ms\n",
			  "not valid JSON (line 1, column ");
	expect_text_error(f, "{\"results\": [],\n \"results\": []}\n",
			  "not valid JSON (line 2");
}

static void test_truncated(void **state)
{
	struct fixture *f = *state;
	const char *files[] = { "hyperfine/two_commands.json", "pyperf/telco.json" };

	for (size_t i = 0; i < 2; i++) {
		char *path = fixture_path(files[i]);
		char *text = read_text(path);

		text[strlen(text) / 2] = '\0';
		expect_text_error(f, text, "not valid JSON (line ");
		free(text);
		free(path);
	}
}

static void test_unknown_format(void **state)
{
	struct fixture *f = *state;
	const char *what = "not a steady, hyperfine or pyperf results file";

	expect_text_error(f, "{\"name\": \"x\", \"values\": [1, 2]}\n", what);
	expect_text_error(f, "{}\n", what);
	/* a "results" array of something else, a steady file lacking "format" */
	expect_text_error(f, "{\"results\": [{\"name\": \"x\", \"times\": [1]}]}\n", what);
	expect_text_error(f, "{\"version\": 1, \"benchmarks\": []}\n", what);
	expect_text_error(f, "[1, 2, 3]\n",
			  "not a steady, hyperfine or pyperf results file (the top level is an array, not an object)");
	expect_text_error(f, "42\n",
			  "not a steady, hyperfine or pyperf results file (the top level is an integer, not an object)");
	expect_text_error(f, "{\"format\": \"other-tool\", \"results\": []}\n",
			  "not a steady, hyperfine or pyperf results file (its format is 'other-tool')");
	expect_text_error(f, "{\"format\": 1}\n",
			  "not a steady, hyperfine or pyperf results file ('format' is an integer)");
}

/* Importing replaces what r held, like results_read(). */
static void test_replaces_contents(void **state)
{
	char *path = fixture_path("hyperfine/shell_single.json");
	struct results r;

	(void)state;
	results_init(&r);
	results_add_benchmark(&r)->name = xstrdup("old");
	results_stamp(&r);
	assert_int_equal(import_results(&r, path, NULL), 0);
	assert_int_equal(r.nr_benchmarks, 1);
	assert_string_equal(r.benchmarks[0].name, "sleep 0.01");
	assert_null(r.created);
	results_release(&r);
	free(path);
}

static void test_format_names(void **state)
{
	(void)state;
	assert_string_equal(import_format_name(IMPORT_STEADY), "steady");
	assert_string_equal(import_format_name(IMPORT_HYPERFINE), "hyperfine");
	assert_string_equal(import_format_name(IMPORT_PYPERF), "pyperf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_pyperf_memory_as_maxrss),
		cmocka_unit_test_setup_teardown(test_steady_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_steady_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hyperfine_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hyperfine_exit_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hyperfine_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pyperf_metadata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pyperf_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_format, setup, teardown),
		cmocka_unit_test(test_replaces_contents),
		cmocka_unit_test(test_format_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
