/*
 * import: reads a results file written by steady, by hyperfine
 * (--export-json) or by pyperf into struct results, so that `compare` and
 * `report` need not care which tool measured. The format is told from the
 * content, never from the file name: people rename files.
 *
 * Steady's own files go through results_read() unchanged. The other tools
 * only give times: each benchmark gets a name, an argv for display and its
 * times in benchmark.imported (seconds); host and date stay unknown.
 *
 * Ownership: every benchmark is added to r as soon as it is started, so on
 * an error results_release(r) frees whatever was built and r is left empty.
 * The jansson tree never escapes this file: every string kept is copied.
 */
#include "formats/import.h"
#include "formats/jsonfile.h"
#include "formats/jsoncolumns.h"
#include "lib/util.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pyperf's JSON layout since pyperf 1.0 (perf 1.0); older ones differ. */
#define PYPERF_FORMAT_VERSION "1.0"

const char *import_format_name(enum import_format f)
{
	switch (f) {
	case IMPORT_STEADY:
		return "steady";
	case IMPORT_HYPERFINE:
		return "hyperfine";
	case IMPORT_PYPERF:
		return "pyperf";
	}
	return "unknown";
}

/* Every message of this file has the shape "cannot read 'file': ...". */
static int bad(const char *file, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(const char *file, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	error("cannot read '%s': %s", file, msg);
	free(msg);
	return -1;
}

/* "'results[1].times' is missing" or "... must be an array, not null". */
static int field_error(const char *file, const char *at, const char *want,
		       const json_t *v)
{
	if (!v)
		return bad(file, "'%s' is missing", at);
	return bad(file, "'%s' must be %s, not %s", at, want, json_type_name(v));
}

/*
 * Appends the times in values (seconds) to b. A time of 0 is kept: it is
 * what the tool measured (hyperfine clamps at 0 after subtracting the
 * shell's start-up). Negative or non-finite times cannot be measurements.
 */
static int add_times(const char *file, const char *at, const json_t *values,
		     struct benchmark *b)
{
	for (size_t i = 0; i < json_array_size(values); i++) {
		const json_t *v = json_array_get(values, i);
		double x;

		if (!json_is_number(v))
			return bad(file, "'%s[%zu]' must be a number, not %s",
				   at, i, json_type_name(v));
		x = json_number_value(v);
		if (b->imported_metric == METRIC_MAXRSS) {
			/* bytes (pyperf --track-memory), kept in KiB like maxrss */
			if (!isfinite(x) || x < 0 || x > 1e15)
				return bad(file, "'%s[%zu]' is not a valid memory size in bytes (%g)",
					   at, i, x);
			benchmark_add_imported(b, x / 1024);
			continue;
		}
		/* Above 10^6 s (11 days) a "time" is a unit mix-up or garbage,
		 * and sums of such values overflow. */
		if (!isfinite(x) || x < 0 || x > 1e6)
			return bad(file, "'%s[%zu]' is not a valid time in seconds (%g)",
				   at, i, x);
		benchmark_add_imported(b, x);
	}
	return 0;
}

/* Display only: imported benchmarks are compared, never run again. */
static void set_command(struct benchmark *b, const char *command)
{
	char *argv[] = { (char *)command };

	benchmark_set_argv(b, argv, 1);
}

/* ---- hyperfine ---- */

/* "n=1, m=x" from a result's "parameters"; *out is NULL when it has none. */
static int parameters_text(const char *file, size_t i, json_t *result,
			   char **out)
{
	json_t *params = json_object_get(result, "parameters"), *v;
	const char *key;
	char at[64], *text = NULL, *value, *next;

	*out = NULL;
	if (!params || json_is_null(params))
		return 0;
	if (!json_is_object(params)) {
		snprintf(at, sizeof(at), "results[%zu].parameters", i);
		return field_error(file, at, "an object", params);
	}
	json_object_foreach(params, key, v) {
		/* hyperfine writes strings; numbers typed in by hand do too */
		if (json_is_string(v)) {
			value = xstrdup(json_string_value(v));
		} else if (json_is_integer(v)) {
			value = xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
		} else if (json_is_real(v)) {
			value = xasprintf("%g", json_real_value(v));
		} else {
			free(text);
			return bad(file, "'results[%zu].parameters.%s' must be a string, not %s",
				   i, key, json_type_name(v));
		}
		next = xasprintf("%s%s%s=%s", text ? text : "", text ? ", " : "",
				 key, value);
		free(value);
		free(text);
		text = next;
	}
	*out = text;
	return 0;
}

static int hyperfine_result(const char *file, size_t i, json_t *result,
			    struct benchmark *b)
{
	json_t *v, *times, *codes;
	size_t nonzero = 0, signalled = 0;
	char at[64];

	if (!json_is_object(result)) {
		snprintf(at, sizeof(at), "results[%zu]", i);
		return field_error(file, at, "an object", result);
	}
	v = json_object_get(result, "command");
	if (!json_is_string(v)) {
		snprintf(at, sizeof(at), "results[%zu].command", i);
		return field_error(file, at, "a string", v);
	}
	b->name = xstrdup(json_string_value(v));
	/*
	 * hyperfine runs commands through a shell unless given -N, and its
	 * JSON does not say which: argv is the command string as recorded,
	 * shell stays 0.
	 */
	set_command(b, json_string_value(v));

	times = json_object_get(result, "times");
	snprintf(at, sizeof(at), "results[%zu].times", i);
	if (!times)
		return bad(file, "'%s' is missing (the result has summary statistics but not the time of each run)",
			   at);
	if (!json_is_array(times))
		return field_error(file, at, "an array", times);
	if (add_times(file, at, times, b))
		return -1;
	if (!b->nr_imported)
		return bad(file, "benchmark '%s' has no values", b->name);

	/* null: the run had no exit code, a signal ended it */
	codes = json_object_get(result, "exit_codes");
	for (size_t k = 0; k < json_array_size(codes); k++) {
		v = json_array_get(codes, k);
		if (json_is_null(v))
			signalled++;
		else if (!json_is_integer(v) || json_integer_value(v))
			nonzero++;
	}
	if (nonzero)
		benchmark_add_warning(b, "%zu run%s exited non-zero", nonzero,
				      nonzero == 1 ? "" : "s");
	if (signalled)
		benchmark_add_warning(b, "%zu run%s ended without an exit code (killed by a signal)",
				      signalled, signalled == 1 ? "" : "s");
	return 0;
}

/*
 * Names must tell benchmarks apart, since compare pairs them by name. The
 * command is the name; hyperfine's parameter scans put the value into the
 * command ("./work {n}"), so they are distinct already. A scan whose
 * command does not use the parameter gives equal commands: those get
 * " (n=1)". Equal commands without parameters (the same command listed
 * twice) get their position, " (#2)".
 */
static int hyperfine_names(const char *file, json_t *results, struct results *r)
{
	for (size_t i = 0; i < r->nr_benchmarks; i++) {
		struct benchmark *b = &r->benchmarks[i];
		int same = 0;
		char *params;

		for (size_t j = 0; j < r->nr_benchmarks && !same; j++)
			same = j != i && !strcmp(b->argv[0], r->benchmarks[j].argv[0]);
		if (parameters_text(file, i, json_array_get(results, i), &params))
			return -1;
		if (same && params) {
			free(b->name);
			b->name = xasprintf("%s (%s)", b->argv[0], params);
		}
		free(params);
	}
	for (size_t i = 0; i < r->nr_benchmarks; i++) {
		struct benchmark *b = &r->benchmarks[i];

		for (size_t j = 0; j < i; j++) {
			if (!strcmp(b->name, r->benchmarks[j].name)) {
				char *name = xasprintf("%s (#%zu)", b->name, i + 1);

				free(b->name);
				b->name = name;
				break;
			}
		}
	}
	return 0;
}

static int import_hyperfine(const char *file, json_t *root, struct results *r)
{
	json_t *results = json_object_get(root, "results");

	if (!json_array_size(results))
		return bad(file, "the file holds no benchmarks");
	for (size_t i = 0; i < json_array_size(results); i++)
		if (hyperfine_result(file, i, json_array_get(results, i),
				     results_add_benchmark(r)))
			return -1;
	return hyperfine_names(file, results, r);
}

/* ---- pyperf ---- */

/*
 * pyperf keeps metadata common to every benchmark at the top level and the
 * rest in each benchmark's own; the benchmark's wins.
 */
static json_t *metadata_get(json_t *bench_meta, json_t *common,
			    const char *key)
{
	json_t *v = json_object_get(bench_meta, key);

	return v ? v : json_object_get(common, key);
}

/*
 * Every run's "values", in order; "warmups" ([loops, value] pairs) are left
 * out like steady's own warm-ups, and runs with no "values" are pyperf's
 * calibration runs. No scaling by "loops" or "inner_loops": pyperf stores a
 * value already divided by both, the time of one iteration. The fixtures
 * show it: telco.json's values are ~22.5 ms with loops 8, and a run
 * holding 3 values and 1 warm-up lasts ~0.72 s = 4 x 8 x 22.5 ms; warm-ups
 * of the same benchmark with loops 1, 2, 4 and 8 agree (~22.5 ms), which
 * they could not if they were raw totals; mult_list's ~2.1 us per
 * '[1]*1000' is one list product (x 64 loops x 1024 inner loops is the
 * ~0.14 s a value took).
 */
static int pyperf_values(const char *file, size_t i, json_t *bench,
			 struct benchmark *b)
{
	json_t *runs = json_object_get(bench, "runs");
	char at[96];

	snprintf(at, sizeof(at), "benchmarks[%zu].runs", i);
	if (!json_is_array(runs))
		return field_error(file, at, "an array", runs);
	for (size_t k = 0; k < json_array_size(runs); k++) {
		json_t *run = json_array_get(runs, k), *values;

		snprintf(at, sizeof(at), "benchmarks[%zu].runs[%zu]", i, k);
		if (!json_is_object(run))
			return field_error(file, at, "an object", run);
		values = json_object_get(run, "values");
		if (!values)
			continue;
		snprintf(at, sizeof(at), "benchmarks[%zu].runs[%zu].values", i, k);
		if (!json_is_array(values))
			return field_error(file, at, "an array", values);
		if (add_times(file, at, values, b))
			return -1;
	}
	if (!b->nr_imported)
		return bad(file, "benchmark '%s' has no values", b->name);
	return 0;
}

static int pyperf_benchmark(const char *file, size_t i, json_t *bench,
			    json_t *common, struct benchmark *b)
{
	json_t *meta, *name, *unit, *command;
	char at[64];

	snprintf(at, sizeof(at), "benchmarks[%zu]", i);
	if (!json_is_object(bench))
		return field_error(file, at, "an object", bench);
	meta = json_object_get(bench, "metadata");
	if (meta && !json_is_object(meta)) {
		snprintf(at, sizeof(at), "benchmarks[%zu].metadata", i);
		return field_error(file, at, "an object", meta);
	}

	name = metadata_get(meta, common, "name");
	if (!json_is_string(name))
		return bad(file, "'benchmarks[%zu]' has no name (no string 'name' in its metadata or the file's)",
			   i);
	b->name = xstrdup(json_string_value(name));
	/* `pyperf command` records the command line; timeit has only a name */
	command = metadata_get(meta, common, "command");
	set_command(b, json_is_string(command) ? json_string_value(command)
					       : b->name);

	/*
	 * "second" is pyperf's default; "byte" (--track-memory) is peak
	 * memory, compared as --metric maxrss; "integer" counts have no
	 * metric of steady's to be compared as.
	 */
	unit = metadata_get(meta, common, "unit");
	if (unit && !json_is_string(unit))
		return bad(file, "the 'unit' of benchmark '%s' must be a string, not %s",
			   b->name, json_type_name(unit));
	if (unit && !strcmp(json_string_value(unit), "byte")) {
		b->imported_metric = METRIC_MAXRSS;
		/* what its values are, for whoever summarises them */
		b->config.metric = xstrdup("maxrss");
	}
	else if (unit && strcmp(json_string_value(unit), "second"))
		return bad(file, "benchmark '%s' measures %s, not time or memory",
			   b->name, json_string_value(unit));

	return pyperf_values(file, i, bench, b);
}

static int import_pyperf(const char *file, json_t *root, struct results *r)
{
	json_t *version = json_object_get(root, "version");
	json_t *common = json_object_get(root, "metadata");
	json_t *benchmarks = json_object_get(root, "benchmarks");

	if (!json_is_string(version))
		return field_error(file, "version", "a string", version);
	if (strcmp(json_string_value(version), PYPERF_FORMAT_VERSION))
		return bad(file, "pyperf file format version '%s' is not supported (only '%s')",
			   json_string_value(version), PYPERF_FORMAT_VERSION);
	if (common && !json_is_object(common) && !json_is_null(common))
		return field_error(file, "metadata", "an object", common);

	if (!json_array_size(benchmarks))
		return bad(file, "the file holds no benchmarks");
	for (size_t i = 0; i < json_array_size(benchmarks); i++)
		if (pyperf_benchmark(file, i, json_array_get(benchmarks, i),
				     common, results_add_benchmark(r)))
			return -1;
	return 0;
}

/* ---- detection ---- */

/*
 * steady says what it is ("format"). hyperfine has a "results" array of
 * objects with a "command"; pyperf a "benchmarks" array next to a string
 * "version" or a "metadata" object (steady's "version" is an integer and
 * it has no "metadata", so a steady file that lost its "format" is not
 * taken for pyperf). Only the first hyperfine result is looked at: the
 * rest are checked while reading, with messages naming them.
 */
static int detect(const char *file, json_t *root, enum import_format *format)
{
	json_t *v, *first;

	if (!json_is_object(root))
		return bad(file, "not a steady, hyperfine or pyperf results file (the top level is %s, not an object)",
			   json_type_name(root));

	v = json_object_get(root, "format");
	if (v) {
		if (json_is_string(v) && !strcmp(json_string_value(v), RESULTS_FORMAT_NAME)) {
			*format = IMPORT_STEADY;
			return 0;
		}
		if (json_is_string(v))
			return bad(file, "not a steady, hyperfine or pyperf results file (its format is '%s')",
				   json_string_value(v));
		return bad(file, "not a steady, hyperfine or pyperf results file ('format' is %s)",
			   json_type_name(v));
	}

	v = json_object_get(root, "results");
	first = json_array_get(v, 0);
	if (json_is_array(v) &&
	    (!first || json_is_string(json_object_get(first, "command")))) {
		*format = IMPORT_HYPERFINE;
		return 0;
	}

	v = json_object_get(root, "benchmarks");
	if (json_is_array(v) &&
	    (json_is_string(json_object_get(root, "version")) ||
	     json_is_object(json_object_get(root, "metadata")))) {
		*format = IMPORT_PYPERF;
		return 0;
	}
	return bad(file, "not a steady, hyperfine or pyperf results file");
}

int import_from_json(struct results *r, const char *path, json_t *root,
		     struct packed_columns *columns, enum import_format *format)
{
	enum import_format f;
	int ret;

	results_release(r);
	ret = detect(path, root, &f);
	/* another tool's arrays under steady's column names: read plainly */
	if (!ret && f != IMPORT_STEADY && packed_columns_unpack(root, columns))
		ret = bad(path, "%s", strerror(ENOMEM));
	if (!ret) {
		switch (f) {
		case IMPORT_STEADY:
			ret = results_from_json(r, path, root, columns);
			if (!ret && !r->nr_benchmarks)
				ret = bad(path, "the file holds no benchmarks");
			break;
		case IMPORT_HYPERFINE:
			ret = import_hyperfine(path, root, r);
			break;
		case IMPORT_PYPERF:
			ret = import_pyperf(path, root, r);
			break;
		}
	}
	if (ret) {
		results_release(r);
		return -1;
	}
	if (format)
		*format = f;
	return 0;
}

int import_results(struct results *r, const char *path, enum import_format *format)
{
	struct packed_columns columns;
	json_t *root;
	int ret;

	packed_columns_init(&columns);
	root = results_load_json(r, path, &columns);
	ret = root ? import_from_json(r, path, root, &columns, format) : -1;
	json_decref(root);
	packed_columns_release(&columns);
	return ret;
}
