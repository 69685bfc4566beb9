/*
 * results: writes and reads steady's JSON results file. The schema, and the
 * rules readers follow (unknown fields ignored, summary recomputed, higher
 * versions refused), are in docs/results-format.md; keep the two in step.
 *
 * Ownership: struct results owns everything it points to (see results.h).
 * The jansson trees built here never escape: results_write() frees its tree
 * before returning and results_read() copies every value it keeps, so
 * nothing in a struct results points into jansson's memory.
 */
#include "formats/results.h"
#include "lib/utf8.h"
#include "formats/jsonfile.h"
#include "formats/jsoncolumns.h"
#include "analyse/stats.h"
#include "lib/atomic_file.h"
#include "lib/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void results_init(struct results *r)
{
	memset(r, 0, sizeof(*r));
	hostinfo_init(&r->host);
}

void results_release(struct results *r)
{
	free(r->steady_version);
	free(r->created);
	hostinfo_release(&r->host);
	for (size_t i = 0; i < r->nr_system_warnings; i++)
		free(r->system_warnings[i]);
	free(r->system_warnings);
	for (size_t i = 0; i < r->nr_benchmarks; i++)
		benchmark_release(&r->benchmarks[i]);
	free(r->benchmarks);
	if (r->sweep)
		json_decref(r->sweep);
	r->sweep = NULL;
	if (r->layout) {
		results_layout_release(r->layout);
		free(r->layout);
	}
	results_init(r);
}

struct layout_variant *results_layout_add(struct results_layout *l)
{
	struct layout_variant *v;

	ALLOC_GROW(l->variants, l->nr_variants + 1, l->alloc_variants);
	v = &l->variants[l->nr_variants++];
	memset(v, 0, sizeof(*v));
	v->env_pad = -1;
	v->text_bytes = -1;
	v->build_seconds = NAN;
	return v;
}

size_t results_count_runs(const struct results *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nr_benchmarks; i++)
		for (size_t j = 0; j < r->benchmarks[i].nr_runs; j++)
			n += !r->benchmarks[i].runs[j].warmup;
	return n;
}

void results_layout_release(struct results_layout *l)
{
	free(l->perturbation);
	for (size_t i = 0; i < l->nr_variants; i++) {
		free(l->variants[i].cflags);
		free(l->variants[i].ldflags);
	}
	free(l->variants);
	free(l->verdict);
	free(l->default_verdict);
	memset(l, 0, sizeof(*l));
}

static char *utc_now(void)
{
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;

	if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return xstrdup("1970-01-01T00:00:00Z");
	return xstrdup(buf);
}

void results_stamp(struct results *r)
{
	free(r->created);
	r->created = utc_now();
	free(r->steady_version);
	r->steady_version = xstrdup(STEADY_VERSION);
	hostinfo_read(&r->host);
}

/* The pointer stays valid only until the next call: the array may move. */
struct benchmark *results_add_benchmark(struct results *r)
{
	struct benchmark *b;

	ALLOC_GROW(r->benchmarks, r->nr_benchmarks + 1, r->alloc_benchmarks);
	b = &r->benchmarks[r->nr_benchmarks++];
	benchmark_init(b);
	return b;
}

/*
 * Plain struct members are described once, in tables, and both the writer
 * and the reader walk the same tables: a field cannot be written under one
 * name and read under another, or written and then forgotten by the reader.
 */
enum field_kind {
	F_I64,      /* int64_t, JSON integer */
	F_INT,      /* a signed integer of the member's size, JSON integer */
	F_BOOL,     /* an int or unsigned char used as a flag, JSON true/false */
	F_COUNT,    /* unsigned long, non-negative JSON integer */
	F_SECONDS,  /* double, JSON number */
	F_REAL,     /* double, JSON number or null (NaN) */
	F_U64,      /* uint64_t, non-negative JSON integer */
	F_STRING,   /* char *, JSON string; NULL is written as "unknown" */
	F_NSTRING,  /* char *, JSON string or null */
	F_OSTRING,  /* char *, JSON string or null, may be absent (added later) */
	F_OI64,     /* int64_t, JSON integer, may be absent (added later): -1 */
	F_SEED,     /* uint64_t, decimal JSON string (see put_field) */
	F_CPU_NS    /* int64_t ns of rusage, which counts us: see put_run_column */
};

struct field {
	const char *key;
	size_t offset;
	enum field_kind kind;
	const char *us_key;	/* F_CPU_NS: the key of the column in us */
	size_t size;		/* of the member: runs keep narrow ones (benchmark.h) */
};

#define MEMBER_SIZE(type, member) sizeof(((type *)0)->member)
#define FIELD(type, member, key, kind) \
	{ key, offsetof(type, member), kind, NULL, MEMBER_SIZE(type, member) }

/* F_INT and F_BOOL members: 1 byte unsigned (flags, signals), else signed. */
static int64_t load_int(const void *p, size_t size)
{
	switch (size) {
	case 1:
		return *(const unsigned char *)p;
	case 2:
		return *(const int16_t *)p;
	case 4:
		return *(const int32_t *)p;
	default:
		return *(const int64_t *)p;
	}
}

/* 0, or -1 when x does not fit the member. */
static int store_int(void *p, size_t size, int64_t x)
{
	switch (size) {
	case 1:
		if (x < 0 || x > UCHAR_MAX)
			return -1;
		*(unsigned char *)p = (unsigned char)x;
		return 0;
	case 2:
		if (x < INT16_MIN || x > INT16_MAX)
			return -1;
		*(int16_t *)p = (int16_t)x;
		return 0;
	case 4:
		if (x < INT32_MIN || x > INT32_MAX)
			return -1;
		*(int32_t *)p = (int32_t)x;
		return 0;
	default:
		*(int64_t *)p = x;
		return 0;
	}
}

static const struct field host_fields[] = {
	FIELD(struct host_info, hostname, "hostname", F_STRING),
	FIELD(struct host_info, kernel, "kernel", F_STRING),
	FIELD(struct host_info, arch, "arch", F_STRING),
	FIELD(struct host_info, cpu_model, "cpu_model", F_STRING),
	FIELD(struct host_info, cpu_count, "cpu_count", F_INT),
};

/* "shell" is a config member too, but lives next to "command" it explains. */
static const struct field option_fields[] = {
	FIELD(struct bench_config, runs, "runs", F_COUNT),
	FIELD(struct bench_config, warmup, "warmup", F_COUNT),
	FIELD(struct bench_config, min_runs, "min_runs", F_COUNT),
	FIELD(struct bench_config, max_runs, "max_runs", F_COUNT),
	FIELD(struct bench_config, max_time, "max_time", F_SECONDS),
	FIELD(struct bench_config, prepare, "prepare", F_NSTRING),
	FIELD(struct bench_config, setup, "setup", F_NSTRING),
	FIELD(struct bench_config, cleanup, "cleanup", F_NSTRING),
	FIELD(struct bench_config, timeout, "timeout", F_SECONDS),
	FIELD(struct bench_config, cpus, "cpus", F_NSTRING),
	FIELD(struct bench_config, ignore_failure, "ignore_failure", F_BOOL),
	FIELD(struct bench_config, show_output, "show_output", F_BOOL),
	FIELD(struct bench_config, randomize, "randomize", F_BOOL),
	FIELD(struct bench_config, aslr, "aslr", F_BOOL),
	FIELD(struct bench_config, seed, "seed", F_SEED),
	FIELD(struct bench_config, events, "events", F_OSTRING),
	FIELD(struct bench_config, metric, "metric", F_OSTRING),
};

static const struct field run_fields[] = {
	FIELD(struct run_sample, wall_ns, "wall_ns", F_I64),
	{ "user_ns", offsetof(struct run_sample, user_ns), F_CPU_NS, "user_us",
	  MEMBER_SIZE(struct run_sample, user_ns) },
	{ "sys_ns", offsetof(struct run_sample, sys_ns), F_CPU_NS, "sys_us",
	  MEMBER_SIZE(struct run_sample, sys_ns) },
	FIELD(struct run_sample, max_rss_kib, "max_rss_kib", F_I64),
	FIELD(struct run_sample, minor_faults, "minor_faults", F_I64),
	FIELD(struct run_sample, major_faults, "major_faults", F_I64),
	FIELD(struct run_sample, vol_ctx_switches, "voluntary_ctx_switches", F_I64),
	FIELD(struct run_sample, invol_ctx_switches, "involuntary_ctx_switches", F_I64),
	FIELD(struct run_sample, exit_code, "exit_code", F_INT),
	FIELD(struct run_sample, signal, "signal", F_INT),
	FIELD(struct run_sample, timed_out, "timed_out", F_BOOL),
	FIELD(struct run_sample, env_pad, "env_pad", F_INT),
	FIELD(struct run_sample, warmup, "warmup", F_BOOL),
	FIELD(struct run_sample, seq, "seq", F_OI64),
};

/* "benchmark" and "side" are checked by hand (an index, a letter). */
static const struct field variant_fields[] = {
	FIELD(struct layout_variant, is_default, "default", F_BOOL),
	FIELD(struct layout_variant, cflags, "cflags", F_NSTRING),
	FIELD(struct layout_variant, ldflags, "ldflags", F_NSTRING),
	FIELD(struct layout_variant, seed, "seed", F_SEED),
	FIELD(struct layout_variant, env_pad, "env_pad", F_INT),
	FIELD(struct layout_variant, relinked, "relinked", F_BOOL),
	FIELD(struct layout_variant, build_seconds, "build_seconds", F_REAL),
	FIELD(struct layout_variant, text_bytes, "text_bytes", F_I64),
};

/* The conclusion: written for readers of the file, read back as it is. */
static const struct field layout_fields[] = {
	FIELD(struct results_layout, verdict, "verdict", F_NSTRING),
	FIELD(struct results_layout, default_verdict, "default_verdict", F_NSTRING),
	FIELD(struct results_layout, default_ratio, "default_ratio", F_REAL),
	FIELD(struct results_layout, default_lo, "default_ci_lo", F_REAL),
	FIELD(struct results_layout, default_hi, "default_ci_hi", F_REAL),
	FIELD(struct results_layout, averaged_ratio, "averaged_ratio", F_REAL),
	FIELD(struct results_layout, averaged_lo, "averaged_ci_lo", F_REAL),
	FIELD(struct results_layout, averaged_hi, "averaged_ci_hi", F_REAL),
	FIELD(struct results_layout, level, "confidence", F_REAL),
	FIELD(struct results_layout, spread_a, "spread_a", F_REAL),
	FIELD(struct results_layout, spread_b, "spread_b", F_REAL),
	FIELD(struct results_layout, range_a, "range_a", F_REAL),
	FIELD(struct results_layout, range_b, "range_b", F_REAL),
	FIELD(struct results_layout, variants_needed, "variants_needed", F_U64),
	FIELD(struct results_layout, compiles, "compiles", F_U64),
	FIELD(struct results_layout, relinks, "relinks", F_U64),
	FIELD(struct results_layout, build_seconds, "build_seconds", F_REAL),
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

/* ---- writing ---- */

/*
 * The file is written as it is produced, straight to the stream
 * atomic_open() gives: no tree of it is built, so writing costs no memory
 * per run. Write errors stick to the stream and atomic_commit() reports
 * them (ferror), so the put_*() helpers need not check each call.
 */

/*
 * A JSON string. JSON text is UTF-8, but a command line or a hostname may
 * hold any bytes; losing a finished measurement over one of them would be
 * worse than a mangled character, so each invalid byte becomes U+FFFD.
 * Quotes, backslashes and control characters are escaped; the rest of
 * valid UTF-8 is written as it is.
 */
static void put_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putc('"', f);
	while (*p) {
		size_t n = utf8_seq_len(p);

		if (!n) {
			fputs("\xef\xbf\xbd", f);
			p++;
			continue;
		}
		if (n > 1) {
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				putc(*p, f);
		}
		p++;
	}
	putc('"', f);
}

static void put_nstring(FILE *f, const char *s)
{
	if (s)
		put_string(f, s);
	else
		fputs("null", f);
}

/*
 * The shortest of %.15g, %.16g and %.17g that reads back as the same
 * double (17 digits always do), so 0.0421 stays "0.0421". JSON has no NaN
 * or infinity: a number that does not exist is null.
 */
static void put_real(FILE *f, double x)
{
	char buf[32];

	if (!isfinite(x)) {
		fputs("null", f);
		return;
	}
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(buf, sizeof(buf), "%.*g", digits, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	fputs(buf, f);
}

static void put_int(FILE *f, int64_t v)
{
	fprintf(f, "%" PRId64, v);
}

static void put_bool(FILE *f, int v)
{
	fputs(v ? "true" : "false", f);
}

/*
 * Objects are written member by member: put_key() starts one (after a
 * comma unless it is the first), end_object() closes the object at its
 * indentation, two spaces a level as before.
 */
struct object {
	FILE *f;
	int depth;      /* of the members */
	int empty;
};

static struct object begin_object(FILE *f, int depth)
{
	struct object o = { f, depth + 1, 1 };

	putc('{', f);
	return o;
}

static void put_key(struct object *o, const char *key)
{
	fprintf(o->f, "%s%*s", o->empty ? "\n" : ",\n", o->depth * 2, "");
	o->empty = 0;
	put_string(o->f, key);
	fputs(": ", o->f);
}

static void end_object(struct object *o)
{
	if (!o->empty)
		fprintf(o->f, "\n%*s", (o->depth - 1) * 2, "");
	putc('}', o->f);
}

static void put_strings(FILE *f, char *const *s, size_t n)
{
	putc('[', f);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		put_string(f, s[i]);
	}
	putc(']', f);
}

static void put_field(struct object *o, const struct field *fld, const void *base)
{
	const void *p = (const char *)base + fld->offset;

	put_key(o, fld->key);
	switch (fld->kind) {
	case F_I64:
	case F_OI64:
	case F_CPU_NS:
		put_int(o->f, *(const int64_t *)p);
		break;
	case F_INT:
		put_int(o->f, load_int(p, fld->size));
		break;
	case F_BOOL:
		put_bool(o->f, load_int(p, fld->size) != 0);
		break;
	case F_COUNT: {
		unsigned long v = *(const unsigned long *)p;

		/* beyond INT64_MAX only as "no limit" anyway */
		put_int(o->f, (unsigned long long)v > (unsigned long long)INT64_MAX ?
			INT64_MAX : (int64_t)v);
		break;
	}
	case F_SECONDS:
	case F_REAL:
		put_real(o->f, *(const double *)p);
		break;
	case F_U64:
		fprintf(o->f, "%" PRIu64, *(const uint64_t *)p);
		break;
	case F_STRING: {
		const char *s = *(char *const *)p;

		put_string(o->f, s ? s : "unknown");
		break;
	}
	case F_NSTRING:
	case F_OSTRING:
		put_nstring(o->f, *(char *const *)p);
		break;
	case F_SEED:
		/*
		 * Seeds use all 64 bits, and many readers hold integers as
		 * signed 64-bit or as doubles: always a string, one type
		 * whatever the value.
		 */
		fprintf(o->f, "\"%" PRIu64 "\"", *(const uint64_t *)p);
		break;
	}
}

static void put_fields(struct object *o, const struct field *fields, size_t nr,
		       const void *base)
{
	for (size_t i = 0; i < nr; i++)
		put_field(o, &fields[i], base);
}

static void put_ci(FILE *f, double lo, double hi)
{
	if (!isfinite(lo) || !isfinite(hi)) {
		fputs("null", f);
		return;
	}
	putc('[', f);
	put_real(f, lo);
	fputs(", ", f);
	put_real(f, hi);
	putc(']', f);
}

/* Derived data for people and other tools; steady itself never reads it. */
static void put_summary(struct object *parent, const struct benchmark *b)
{
	struct object o;
	struct summary s;
	size_t n;
	double *v = benchmark_values(b, METRIC_WALL, &n);
	stats_summarize_sorting(v, n, &s);
	free(v);
	put_key(parent, "summary");
	o = begin_object(parent->f, parent->depth);
	put_key(&o, "metric");
	put_string(o.f, "wall");
	put_key(&o, "unit");
	put_string(o.f, "s");
	put_key(&o, "n");
	put_int(o.f, (int64_t)s.n);
	put_key(&o, "mean");
	put_real(o.f, s.mean);
	put_key(&o, "stddev");
	put_real(o.f, s.stddev);
	put_key(&o, "median");
	put_real(o.f, s.median);
	put_key(&o, "mad");
	put_real(o.f, s.mad);
	put_key(&o, "min");
	put_real(o.f, s.min);
	put_key(&o, "max");
	put_real(o.f, s.max);
	put_key(&o, "p5");
	put_real(o.f, s.p5);
	put_key(&o, "p25");
	put_real(o.f, s.p25);
	put_key(&o, "p75");
	put_real(o.f, s.p75);
	put_key(&o, "p95");
	put_real(o.f, s.p95);
	put_key(&o, "mean_ci95");
	put_ci(o.f, s.mean_ci_lo, s.mean_ci_hi);
	put_key(&o, "median_ci95");
	put_ci(o.f, s.median_ci_lo, s.median_ci_hi);
	put_key(&o, "outliers");
	put_int(o.f, (int64_t)s.outliers);
	end_object(&o);
}

/* The name benchmark.h promises when none was given. */
static char *default_name(const struct benchmark *b)
{
	size_t len = 1;
	char *name;

	for (size_t i = 0; i < b->argc; i++)
		len += strlen(b->argv[i]) + 1;
	name = xcalloc(len, 1);
	for (size_t i = 0; i < b->argc; i++) {
		if (i)
			strcat(name, " ");
		strcat(name, b->argv[i]);
	}
	return name;
}

static int64_t sample_value(const struct field *fld, const struct run_sample *s)
{
	const void *p = (const char *)s + fld->offset;

	return load_int(p, fld->size);
}

/*
 * One run field of every run, as a column (docs/results-format.md): one
 * value when every run has the same, {"first", "step"} when the values step
 * evenly (seq, mostly), else an array. Steps are taken modulo 2^64 here and
 * in the reader, so any int64 values come back exactly.
 */
static void put_run_column(struct object *o, const struct benchmark *b,
			   const struct field *fld)
{
	size_t n = b->nr_runs;
	int64_t unit = 1, first, step;
	int constant = n > 0, stepped = n > 2 && fld->kind != F_BOOL;

	if (fld->kind == F_CPU_NS) {
		/* rusage counts microseconds: no need to write "000" each time */
		unit = 1000;
		for (size_t i = 0; i < n && unit > 1; i++)
			if (sample_value(fld, &b->runs[i]) % 1000)
				unit = 1;
	}
	first = n ? sample_value(fld, &b->runs[0]) / unit : 0;
	step = n > 1 ? (int64_t)((uint64_t)(sample_value(fld, &b->runs[1]) / unit) - (uint64_t)first) : 0;
	for (size_t i = 1; i < n && (constant || stepped); i++) {
		int64_t v = sample_value(fld, &b->runs[i]) / unit;

		if (v != first)
			constant = 0;
		if ((uint64_t)v != (uint64_t)first + (uint64_t)i * (uint64_t)step)
			stepped = 0;
	}
	put_key(o, unit > 1 ? fld->us_key : fld->key);
	if (constant) {
		if (fld->kind == F_BOOL)
			put_bool(o->f, (int)first);
		else
			put_int(o->f, first);
		return;
	}
	if (stepped) {
		fprintf(o->f, "{\"first\": %" PRId64 ", \"step\": %" PRId64 "}", first, step);
		return;
	}
	/* no blank after the commas: a file of 10^5 runs is ten per run shorter */
	putc('[', o->f);
	for (size_t i = 0; i < n; i++) {
		int64_t v = sample_value(fld, &b->runs[i]) / unit;

		if (i)
			putc(',', o->f);
		if (fld->kind == F_BOOL)
			put_bool(o->f, (int)v);
		else
			put_int(o->f, v);
	}
	putc(']', o->f);
}

enum count_part { COUNT_STATUS, COUNT_VALUE, COUNT_RUNNING_PCT };

static void put_count_value(FILE *f, const struct run_count *c, enum count_part part)
{
	if (part == COUNT_STATUS)
		put_string(f, counter_status_name(c->status));
	else
		put_real(f, part == COUNT_VALUE ? c->value : c->running_pct);
}

static int count_parts_equal(const struct run_count *a, const struct run_count *b,
			     enum count_part part)
{
	if (part == COUNT_STATUS)
		return a->status == b->status;
	if (part == COUNT_VALUE)
		return a->value == b->value;
	return a->running_pct == b->running_pct;
}

/* Counter k's status, value or running_pct of every run: one, or an array. */
static void put_count_column(struct object *o, const struct benchmark *b, size_t k,
			     const char *key, enum count_part part)
{
	size_t n = b->nr_runs;
	int constant = n > 0;

	for (size_t i = 1; i < n && constant; i++)
		constant = count_parts_equal(&benchmark_run_counts(b, 0)[k],
					     &benchmark_run_counts(b, i)[k], part);
	put_key(o, key);
	if (constant) {
		put_count_value(o->f, &benchmark_run_counts(b, 0)[k], part);
		return;
	}
	putc('[', o->f);
	for (size_t i = 0; i < n; i++) {
		if (i)
			putc(',', o->f);
		put_count_value(o->f, &benchmark_run_counts(b, i)[k], part);
	}
	putc(']', o->f);
}

static void put_runs(struct object *parent, const struct benchmark *b)
{
	struct object o, counts, one;

	put_key(parent, "runs");
	o = begin_object(parent->f, parent->depth);
	put_key(&o, "count");
	put_int(o.f, (int64_t)b->nr_runs);
	for (size_t i = 0; i < ARRAY_SIZE(run_fields); i++)
		put_run_column(&o, b, &run_fields[i]);
	if (b->nr_counters) {
		put_key(&o, "counts");
		counts = begin_object(o.f, o.depth);
		for (size_t k = 0; k < b->nr_counters; k++) {
			put_key(&counts, b->counters[k]);
			one = begin_object(o.f, counts.depth);
			put_count_column(&one, b, k, "status", COUNT_STATUS);
			put_count_column(&one, b, k, "value", COUNT_VALUE);
			put_count_column(&one, b, k, "running_pct", COUNT_RUNNING_PCT);
			end_object(&one);
		}
		end_object(&counts);
	}
	end_object(&o);
}

static void put_benchmark(FILE *f, int depth, const struct benchmark *b)
{
	struct object o = begin_object(f, depth), options;
	char *name = b->name ? NULL : default_name(b);

	put_key(&o, "name");
	put_string(f, b->name ? b->name : name);
	free(name);
	put_key(&o, "command");
	put_strings(f, b->argv, b->argc);
	put_key(&o, "shell");
	put_bool(f, b->config.shell);
	put_key(&o, "options");
	options = begin_object(f, o.depth);
	put_fields(&options, option_fields, ARRAY_SIZE(option_fields), &b->config);
	end_object(&options);
	put_key(&o, "stop_reason");
	put_string(f, stop_reason_name(b->stop));
	put_key(&o, "harness_max_rss_kib");
	put_int(f, b->harness_max_rss_kib);
	put_key(&o, "warnings");
	put_strings(f, b->warnings, b->nr_warnings);
	if (b->nr_counters) {
		put_key(&o, "counters");
		put_strings(f, b->counters, b->nr_counters);
	}
	put_runs(&o, b);
	put_summary(&o, b);
	end_object(&o);
}

static void put_layout(struct object *parent, const struct results_layout *l)
{
	struct object o = begin_object(parent->f, parent->depth);

	put_key(&o, "perturbation");
	put_nstring(o.f, l->perturbation);
	put_fields(&o, layout_fields, ARRAY_SIZE(layout_fields), l);
	put_key(&o, "variants");
	putc('[', o.f);
	for (size_t i = 0; i < l->nr_variants; i++) {
		const struct layout_variant *v = &l->variants[i];
		struct object one;
		char side[2] = { v->side, '\0' };

		fprintf(o.f, "%s\n%*s", i ? "," : "", o.depth * 2 + 2, "");
		one = begin_object(o.f, o.depth + 1);
		put_key(&one, "benchmark");
		put_int(o.f, (int64_t)v->benchmark);
		put_key(&one, "side");
		put_string(o.f, side);
		put_fields(&one, variant_fields, ARRAY_SIZE(variant_fields), v);
		end_object(&one);
	}
	if (l->nr_variants)
		fprintf(o.f, "\n%*s", o.depth * 2, "");
	putc(']', o.f);
	end_object(&o);
}

/*
 * A JSON value steady built whole (sweep's record), written with the
 * file's own rules: two-space indents, reals as put_real writes them.
 * depth is that of the object or array the value sits in.
 */
static void put_json_value(FILE *f, int depth, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		struct object o = begin_object(f, depth);
		const char *key;
		json_t *item;

		json_object_foreach((json_t *)v, key, item) {
			put_key(&o, key);
			put_json_value(f, o.depth, item);
		}
		end_object(&o);
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *item;

		putc('[', f);
		json_array_foreach(v, i, item) {
			fprintf(f, "%s\n%*s", i ? "," : "", depth * 2 + 2, "");
			put_json_value(f, depth + 1, item);
		}
		if (json_array_size(v))
			fprintf(f, "\n%*s", depth * 2, "");
		putc(']', f);
		break;
	}
	case JSON_STRING:
		put_string(f, json_string_value(v));
		break;
	case JSON_INTEGER:
		put_int(f, json_integer_value(v));
		break;
	case JSON_REAL:
		put_real(f, json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		put_bool(f, json_is_true(v));
		break;
	case JSON_NULL:
		fputs("null", f);
		break;
	}
}

static void put_results(FILE *f, const struct results *r)
{
	struct object o = begin_object(f, 0), host, sys;
	char *now = r->created ? NULL : utc_now();

	put_key(&o, "format");
	put_string(f, RESULTS_FORMAT_NAME);
	put_key(&o, "version");
	put_int(f, RESULTS_FORMAT_VERSION);
	/* unstamped results were still written by this steady, now */
	put_key(&o, "steady_version");
	put_string(f, r->steady_version ? r->steady_version : STEADY_VERSION);
	put_key(&o, "created");
	put_string(f, r->created ? r->created : now);
	free(now);
	put_key(&o, "host");
	host = begin_object(f, o.depth);
	put_fields(&host, host_fields, ARRAY_SIZE(host_fields), &r->host);
	end_object(&host);
	if (r->system_checked) {
		put_key(&o, "system");
		sys = begin_object(f, o.depth);
		put_key(&sys, "tuned");
		put_bool(f, !r->nr_system_warnings);
		put_key(&sys, "warnings");
		put_strings(f, r->system_warnings, r->nr_system_warnings);
		end_object(&sys);
	}
	put_key(&o, "benchmarks");
	putc('[', f);
	for (size_t i = 0; i < r->nr_benchmarks; i++) {
		fprintf(f, "%s\n%*s", i ? "," : "", o.depth * 2 + 2, "");
		put_benchmark(f, o.depth + 1, &r->benchmarks[i]);
	}
	if (r->nr_benchmarks)
		fprintf(f, "\n%*s", o.depth * 2, "");
	putc(']', f);
	if (r->layout) {
		put_key(&o, "layout");
		put_layout(&o, r->layout);
	}
	if (r->sweep) {
		put_key(&o, "sweep");
		/* built whole by sweep (small: a row per build); NaN is null there */
		put_json_value(f, o.depth, r->sweep);
	}
	end_object(&o);
	putc('\n', f);
}

int results_write(const struct results *r, const char *path)
{
	char *tmp;
	FILE *f = atomic_open(path, &tmp);

	if (!f)
		return -1;
	put_results(f, r);
	return atomic_commit(f, tmp, path);
}

static int write_results(const char *path, const void *r)
{
	return results_write(r, path);
}

int results_save(struct results *r, const char *path)
{
	char *what;

	if (!path)
		return 0;
	results_stamp(r);
	if (!results_write(r, path))
		return 0;
	/* an hour of measuring must not be lost to its last step */
	what = xasprintf("the results (%zu runs)", results_count_runs(r));
	atomic_keep_elsewhere(path, what, "steady-results.", ".json", write_results, r);
	free(what);
	return -1;
}

/* ---- reading ---- */

struct reader {
	const char *file;
	char at[96];    /* JSON path of the object being read, "benchmarks[2].runs[7]" */
	int version;
	const struct packed_columns *columns;   /* the file's packed arrays */
};

/* "'benchmarks[0].runs[3].wall_ns' is missing" and the like. */
static int field_error(const struct reader *rd, const char *key,
		       const char *want, const json_t *v)
{
	const char *dot = *rd->at ? "." : "";

	if (!v)
		return error("cannot read '%s': '%s%s%s' is missing",
			     rd->file, rd->at, dot, key);
	return error("cannot read '%s': '%s%s%s' must be %s, not %s",
		     rd->file, rd->at, dot, key, want, json_type_name(v));
}

static int value_error(const struct reader *rd, const char *key,
		       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int value_error(const struct reader *rd, const char *key,
		       const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	error("cannot read '%s': '%s%s%s' %s", rd->file, rd->at,
	      *rd->at ? "." : "", key, msg);
	free(msg);
	return -1;
}

/* Strict: digits only, no sign, no blanks, no overflow. */
static int parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int read_field(const struct reader *rd, const json_t *obj,
		      const struct field *f, void *base)
{
	void *p = (char *)base + f->offset;
	const json_t *v = json_object_get(obj, f->key);
	json_int_t i;

	switch (f->kind) {
	case F_OI64:
		if (!v) {
			*(int64_t *)p = -1;
			return 0;
		}
		/* fall through */
	case F_I64:
	case F_CPU_NS:
		if (!json_is_integer(v))
			return field_error(rd, f->key, "an integer", v);
		*(int64_t *)p = json_integer_value(v);
		return 0;
	case F_INT:
		if (!json_is_integer(v))
			return field_error(rd, f->key, "an integer", v);
		i = json_integer_value(v);
		if (store_int(p, f->size, i))
			return value_error(rd, f->key, "is out of range (%" JSON_INTEGER_FORMAT ")", i);
		return 0;
	case F_BOOL:
		if (!json_is_boolean(v))
			return field_error(rd, f->key, "true or false", v);
		store_int(p, f->size, json_is_true(v));
		return 0;
	case F_COUNT:
		if (!json_is_integer(v))
			return field_error(rd, f->key, "an integer", v);
		i = json_integer_value(v);
		if (i < 0)
			return value_error(rd, f->key, "must not be negative (%" JSON_INTEGER_FORMAT ")", i);
#if LONG_MAX < LLONG_MAX
		if (i > (json_int_t)ULONG_MAX)
			return value_error(rd, f->key, "is out of range (%" JSON_INTEGER_FORMAT ")", i);
#endif
		*(unsigned long *)p = (unsigned long)i;
		return 0;
	case F_SECONDS:
		if (!json_is_number(v))
			return field_error(rd, f->key, "a number", v);
		*(double *)p = json_number_value(v);
		return 0;
	case F_REAL:
		if (!json_is_number(v) && !json_is_null(v))
			return field_error(rd, f->key, "a number or null", v);
		*(double *)p = json_is_null(v) ? NAN : json_number_value(v);
		return 0;
	case F_U64:
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return field_error(rd, f->key, "a non-negative integer", v);
		*(uint64_t *)p = (uint64_t)json_integer_value(v);
		return 0;
	case F_STRING:
		if (!json_is_string(v))
			return field_error(rd, f->key, "a string", v);
		free(*(char **)p);
		*(char **)p = xstrdup(json_string_value(v));
		return 0;
	case F_OSTRING:
		if (!v)
			return 0;
		/* fall through */
	case F_NSTRING:
		if (!json_is_string(v) && !json_is_null(v))
			return field_error(rd, f->key, "a string or null", v);
		free(*(char **)p);
		*(char **)p = json_is_null(v) ? NULL : xstrdup(json_string_value(v));
		return 0;
	case F_SEED:
		/* written as a string; an integer typed in by hand is fine too */
		if (json_is_integer(v) && json_integer_value(v) >= 0) {
			*(uint64_t *)p = (uint64_t)json_integer_value(v);
			return 0;
		}
		if (!json_is_string(v))
			return field_error(rd, f->key, "a string of decimal digits", v);
		if (parse_u64(json_string_value(v), (uint64_t *)p))
			return value_error(rd, f->key, "is not an unsigned 64-bit decimal number ('%s')",
					   json_string_value(v));
		return 0;
	}
	return -1;
}

static int read_fields(const struct reader *rd, const json_t *obj,
		       const struct field *fields, size_t nr, void *base)
{
	for (size_t i = 0; i < nr; i++)
		if (read_field(rd, obj, &fields[i], base))
			return -1;
	return 0;
}

static int get_object(const struct reader *rd, const json_t *obj,
		      const char *key, const json_t **out)
{
	*out = json_object_get(obj, key);
	return json_is_object(*out) ? 0 : field_error(rd, key, "an object", *out);
}

static int get_array(const struct reader *rd, const json_t *obj,
		     const char *key, const json_t **out)
{
	*out = json_object_get(obj, key);
	return json_is_array(*out) ? 0 : field_error(rd, key, "an array", *out);
}

/* Every element a string; *out borrows them from the tree. */
static int get_strings(const struct reader *rd, const json_t *obj,
		       const char *key, const char ***out, size_t *n)
{
	const json_t *array;
	char elem[64];

	if (get_array(rd, obj, key, &array))
		return -1;
	*n = json_array_size(array);
	*out = xcalloc(*n + 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		const json_t *v = json_array_get(array, i);

		if (!json_is_string(v)) {
			snprintf(elem, sizeof(elem), "%s[%zu]", key, i);
			free(*out);
			return field_error(rd, elem, "a string", v);
		}
		(*out)[i] = json_string_value(v);
	}
	return 0;
}

/* Times and counts below zero are no measurement, and a run takes time. */
static int check_run_ranges(struct reader *rd, const struct run_sample *s,
			    const char *index)
{
	char key[64];

	const struct { const char *key; int64_t v; } fields[] = {
		{ "user_ns", s->user_ns }, { "sys_ns", s->sys_ns },
		{ "max_rss_kib", s->max_rss_kib }, { "minor_faults", s->minor_faults },
		{ "major_faults", s->major_faults },
		{ "voluntary_ctx_switches", s->vol_ctx_switches },
		{ "involuntary_ctx_switches", s->invol_ctx_switches },
	};

	if (s->wall_ns <= 0) {
		snprintf(key, sizeof(key), "wall_ns%s", index);
		return value_error(rd, key, "must be positive (%" PRId64 ")", s->wall_ns);
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		if (fields[i].v < 0) {
			/* a version 2 file calls them user_us and sys_us */
			snprintf(key, sizeof(key), "%s%s", fields[i].key, index);
			return value_error(rd, key, "must not be negative (%" PRId64 ")",
					   fields[i].v);
		}
	}
	return 0;
}

/*
 * A counted run's count, within what perf can report: the raw reading is a
 * 64-bit count and the multiplexing scale (time_enabled / time_running) a
 * ratio of 64-bit nanosecond times, so running_pct is at least 1 ns in
 * 2^64 and the raw count the value implies (value x running_pct / 100)
 * fits 64 bits. Anything else (1e308, a negative share) is no measurement
 * and would reach the statistics as infinities. index is "" (version 1,
 * rd->at names the run) or "[i]" (a column's element).
 */
static int check_count(const struct reader *rd, const char *name, const char *index,
		       const struct run_count *c)
{
	const double two_64 = 18446744073709551616.0;
	char key[160];

	if (c->status != COUNTER_COUNTED)
		return 0;
	if (!isfinite(c->running_pct) || c->running_pct > 100 ||
	    c->running_pct < 100 / two_64) {
		snprintf(key, sizeof(key), "counts.%s.running_pct%s", name, index);
		return value_error(rd, key, "must be a share of the run above 0 and at most 100 (%g)",
				   c->running_pct);
	}
	snprintf(key, sizeof(key), "counts.%s.value%s", name, index);
	if (!isfinite(c->value) || c->value < 0)
		return value_error(rd, key, "must not be negative (%g)", c->value);
	if (c->value * (c->running_pct / 100) > two_64)
		return value_error(rd, key, "is more than a 64-bit counter counts (%g, counted %g%% of the run)",
				   c->value, c->running_pct);
	return 0;
}

/* run.counts[name] for every counter of b, into out. */
static int read_counts(struct reader *rd, const json_t *run, const struct benchmark *b,
		       struct run_count *out)
{
	const json_t *counts, *one, *v;

	if (get_object(rd, run, "counts", &counts))
		return -1;
	for (size_t k = 0; k < b->nr_counters; k++) {
		const char *name = b->counters[k];

		memset(&out[k], 0, sizeof(out[k]));
		one = json_object_get(counts, name);
		if (!json_is_object(one))
			return value_error(rd, "counts", "has no object for counter '%s'", name);
		v = json_object_get(one, "status");
		if (!json_is_string(v) || counter_status_parse(json_string_value(v), &out[k].status))
			return value_error(rd, "counts", "has no valid status for '%s' "
					   "('counted', 'not counted', 'not supported' or 'denied')", name);
		if (out[k].status != COUNTER_COUNTED)
			continue;
		v = json_object_get(one, "value");
		if (!json_is_number(v))
			return value_error(rd, "counts", "has no number 'value' for '%s'", name);
		out[k].value = json_number_value(v);
		v = json_object_get(one, "running_pct");
		if (!json_is_number(v))
			return value_error(rd, "counts", "has no number 'running_pct' for '%s'", name);
		out[k].running_pct = json_number_value(v);
		if (check_count(rd, name, "", &out[k]))
			return -1;
	}
	return 0;
}

static int read_runs(struct reader *rd, size_t bi, const json_t *obj,
		     struct benchmark *b)
{
	const json_t *runs;
	struct run_count *counts = NULL;
	char elem[64];
	int ret = -1;

	if (get_array(rd, obj, "runs", &runs))
		return -1;
	if (b->nr_counters)
		counts = xcalloc(b->nr_counters, sizeof(*counts));
	for (size_t i = 0; i < json_array_size(runs); i++) {
		const json_t *v = json_array_get(runs, i);
		struct run_sample s;

		if (!json_is_object(v)) {
			snprintf(elem, sizeof(elem), "runs[%zu]", i);
			field_error(rd, elem, "an object", v);
			goto out;
		}
		memset(&s, 0, sizeof(s));
		snprintf(rd->at, sizeof(rd->at), "benchmarks[%zu].runs[%zu]", bi, i);
		if (read_fields(rd, v, run_fields, ARRAY_SIZE(run_fields), &s) ||
		    (counts && read_counts(rd, v, b, counts)))
			goto out;
		if (check_run_ranges(rd, &s, ""))
			goto out;
		snprintf(rd->at, sizeof(rd->at), "benchmarks[%zu]", bi);
		benchmark_add_run(b, &s, counts);
	}
	ret = 0;
out:
	free(counts);
	return ret;
}

/*
 * ---- reading version 2: runs as columns ----
 *
 * A column is one value (every run has it), {"first", "step"} (integers
 * stepping evenly) or an array of "count" values, which the packing
 * loader (jsoncolumns.h) usually keeps out of jansson's tree.
 */
enum column_type { COLUMN_INTEGER, COLUMN_BOOLEAN, COLUMN_NUMBER };

struct column {
	enum column_type type;
	const json_t *one;                      /* every run's value */
	int stepped;
	int64_t first, step;
	const json_t *array;                    /* an array jansson kept */
	const struct packed_column *packed;     /* or one packed out of it */
};

static const char *column_type_name(enum column_type t)
{
	return t == COLUMN_INTEGER ? "an integer" : t == COLUMN_BOOLEAN ? "true or false" : "a number";
}

static int is_column_type(const json_t *v, enum column_type t)
{
	return t == COLUMN_INTEGER ? json_is_integer(v) :
	       t == COLUMN_BOOLEAN ? json_is_boolean(v) : json_is_number(v);
}

/* "'benchmarks[0].runs.wall_ns[3]' must be an integer, not a real number" */
static int element_error(const struct reader *rd, const char *key, size_t i,
			 enum column_type t, const char *got)
{
	return error("cannot read '%s': '%s.%s[%zu]' must be %s, not %s",
		     rd->file, rd->at, key, i, column_type_name(t), got);
}

static int packed_type_error(const struct reader *rd, const char *key,
			     const struct packed_column *p, enum column_type t)
{
	if (!p->n)
		return 0;	/* an empty array is a column of any type */
	if (p->kind == PACKED_REALS && t != COLUMN_NUMBER)
		return element_error(rd, key, p->first_real, t, "a real number");
	if (p->kind == PACKED_BOOLEANS && t != COLUMN_BOOLEAN)
		return element_error(rd, key, 0, t, "a boolean");
	if (p->kind != PACKED_BOOLEANS && t == COLUMN_BOOLEAN)
		return element_error(rd, key, 0, t, "a number");
	return 0;
}

/* 1 when obj has key, else 0; a column of n values in *col, or -1. */
static int get_column(const struct reader *rd, const json_t *obj, const char *key,
		      enum column_type t, size_t n, struct column *col)
{
	const json_t *v = json_object_get(obj, key);
	size_t len;

	memset(col, 0, sizeof(*col));
	col->type = t;
	if (!v)
		return 0;
	if (is_column_type(v, t)) {
		col->one = v;
		return 1;
	}
	col->packed = packed_column_of(rd->columns, v);
	if (col->packed) {
		if (packed_type_error(rd, key, col->packed, t))
			return -1;
		len = col->packed->n;
	} else if (json_is_array(v)) {
		col->array = v;
		len = json_array_size(v);
		for (size_t i = 0; i < len; i++)
			if (!is_column_type(json_array_get(v, i), t))
				return element_error(rd, key, i, t,
						     json_type_name(json_array_get(v, i)));
	} else if (t == COLUMN_INTEGER && json_is_object(v) &&
		   json_is_integer(json_object_get(v, "first")) &&
		   json_is_integer(json_object_get(v, "step"))) {
		col->stepped = 1;
		col->first = json_integer_value(json_object_get(v, "first"));
		col->step = json_integer_value(json_object_get(v, "step"));
		return 1;
	} else {
		return value_error(rd, key, "must be an array of %s values, one such value "
				   "for every run%s, not %s", t == COLUMN_INTEGER ? "integer" :
				   t == COLUMN_BOOLEAN ? "boolean" : "number",
				   t == COLUMN_INTEGER ? " or {\"first\": integer, \"step\": integer}" : "",
				   json_type_name(v));
	}
	if (len != n)
		return value_error(rd, key, "has %zu values, not %zu (the runs' 'count')", len, n);
	return 1;
}

static int64_t column_integer(const struct column *c, size_t i)
{
	if (c->one)
		return json_is_boolean(c->one) ? json_is_true(c->one) : json_integer_value(c->one);
	if (c->stepped)
		return (int64_t)((uint64_t)c->first + (uint64_t)i * (uint64_t)c->step);
	if (c->packed)
		return packed_integer(c->packed, i);
	const json_t *v = json_array_get(c->array, i);
	return json_is_boolean(v) ? json_is_true(v) : json_integer_value(v);
}

static double column_number(const struct column *c, size_t i)
{
	if (c->one)
		return json_number_value(c->one);
	if (c->packed)
		return packed_number(c->packed, i);
	return json_number_value(json_array_get(c->array, i));
}

/* The columns of one counter: {"status": ..., "value": ..., "running_pct": ...} */
struct counter_columns {
	const json_t *status;           /* a string, or an array of them */
	struct column value, running_pct;
};

static int get_counter_columns(const struct reader *rd, const json_t *counts,
			       const char *name, size_t n, struct counter_columns *cc)
{
	const json_t *one = json_object_get(counts, name);
	enum counter_status st;

	if (!json_is_object(one))
		return value_error(rd, "counts", "has no object for counter '%s'", name);
	cc->status = json_object_get(one, "status");
	if (json_is_array(cc->status)) {
		if (json_array_size(cc->status) != n)
			return value_error(rd, "counts", "has %zu statuses for '%s', not %zu (the runs' 'count')",
					   json_array_size(cc->status), name, n);
		for (size_t i = 0; i < n; i++) {
			const json_t *s = json_array_get(cc->status, i);

			if (!json_is_string(s) || counter_status_parse(json_string_value(s), &st))
				return value_error(rd, "counts", "has no valid status for '%s' in run %zu "
						   "('counted', 'not counted', 'not supported' or 'denied')", name, i);
		}
	} else if (!json_is_string(cc->status) ||
		   counter_status_parse(json_string_value(cc->status), &st)) {
		return value_error(rd, "counts", "has no valid status for '%s' "
				   "('counted', 'not counted', 'not supported' or 'denied')", name);
	}
	if (get_column(rd, one, "value", COLUMN_NUMBER, n, &cc->value) != 1 ||
	    get_column(rd, one, "running_pct", COLUMN_NUMBER, n, &cc->running_pct) != 1)
		return value_error(rd, "counts", "has no valid 'value' and 'running_pct' for '%s'", name);
	return 0;
}

static struct run_count counter_run(const struct counter_columns *cc, size_t i)
{
	struct run_count c = { COUNTER_NOT_COUNTED, 0, 0 };
	const json_t *s = json_is_array(cc->status) ? json_array_get(cc->status, i) : cc->status;

	counter_status_parse(json_string_value(s), &c.status);
	if (c.status == COUNTER_COUNTED) {
		c.value = column_number(&cc->value, i);
		c.running_pct = column_number(&cc->running_pct, i);
	}
	return c;
}

static int read_columns(struct reader *rd, size_t bi, const json_t *obj,
			struct benchmark *b)
{
	struct column cols[ARRAY_SIZE(run_fields)];
	int64_t unit[ARRAY_SIZE(run_fields)];
	struct counter_columns *cc = NULL;
	struct run_count *counts = NULL;
	const json_t *runs, *v, *counts_obj;
	char key[64];
	size_t n, arrays = 0;
	int ret = -1;

	if (get_object(rd, obj, "runs", &runs))
		return -1;
	snprintf(rd->at, sizeof(rd->at), "benchmarks[%zu].runs", bi);
	v = json_object_get(runs, "count");
	if (!json_is_integer(v))
		return field_error(rd, "count", "an integer", v);
	if (json_integer_value(v) < 0)
		return value_error(rd, "count", "must not be negative");
	if (json_integer_value(v) > RESULTS_MAX_RUNS)
		return value_error(rd, "count", "is above %lu runs, more than steady measures",
				   (unsigned long)RESULTS_MAX_RUNS);
	n = (size_t)json_integer_value(v);

	for (size_t f = 0; f < ARRAY_SIZE(run_fields); f++) {
		const struct field *fld = &run_fields[f];
		enum column_type t = fld->kind == F_BOOL ? COLUMN_BOOLEAN : COLUMN_INTEGER;
		int got = 0;

		unit[f] = 1;
		if (fld->us_key) {
			got = get_column(rd, runs, fld->us_key, t, n, &cols[f]);
			if (got < 0)
				return -1;
			if (got && json_object_get(runs, fld->key))
				return value_error(rd, fld->us_key, "and '%s' cannot both be given", fld->key);
			if (got)
				unit[f] = 1000;
		}
		if (!got)
			got = get_column(rd, runs, fld->key, t, n, &cols[f]);
		if (got < 0)
			return -1;
		if (!got && fld->kind == F_OI64) {
			cols[f].one = NULL;
			cols[f].stepped = 1;     /* -1 for every run */
			cols[f].first = -1;
			cols[f].step = 0;
		} else if (!got) {
			return field_error(rd, fld->key, "a column", NULL);
		}
		arrays += cols[f].packed || cols[f].array;
	}
	/*
	 * Arrays make a file as long as its runs; a count with nothing but
	 * single values and steps is only a number, and a small file could
	 * otherwise ask for gigabytes of runs.
	 */
	if (!arrays && n > RESULTS_MAX_RUNS_WITHOUT_ARRAYS)
		return value_error(rd, "count", "is %zu, but no column of the runs is an array "
				   "(at most %lu runs without one)", n,
				   (unsigned long)RESULTS_MAX_RUNS_WITHOUT_ARRAYS);
	benchmark_reserve_runs(b, b->nr_runs + n);

	if (b->nr_counters) {
		if (get_object(rd, runs, "counts", &counts_obj))
			return -1;
		cc = xcalloc(b->nr_counters, sizeof(*cc));
		counts = xcalloc(b->nr_counters, sizeof(*counts));
		for (size_t k = 0; k < b->nr_counters; k++)
			if (get_counter_columns(rd, counts_obj, b->counters[k], n, &cc[k]))
				goto out;
	}

	for (size_t i = 0; i < n; i++) {
		struct run_sample s;

		memset(&s, 0, sizeof(s));
		for (size_t f = 0; f < ARRAY_SIZE(run_fields); f++) {
			const struct field *fld = &run_fields[f];
			void *p = (char *)&s + fld->offset;
			int64_t x = column_integer(&cols[f], i);

			/* Named as the file has it: user_us is checked in us. */
			if ((fld->kind == F_I64 || fld->kind == F_CPU_NS) && x < 0) {
				snprintf(key, sizeof(key), "%s[%zu]",
					 unit[f] > 1 ? fld->us_key : fld->key, i);
				value_error(rd, key, "must not be negative (%" PRId64 ")", x);
				goto out;
			}
			if (x > INT64_MAX / unit[f] || x < INT64_MIN / unit[f]) {
				snprintf(key, sizeof(key), "%s[%zu]", fld->us_key, i);
				value_error(rd, key, "is out of range (%" PRId64 ")", x);
				goto out;
			}
			x *= unit[f];
			if (fld->kind == F_BOOL)
				x = x != 0;
			if (store_int(p, fld->size, x)) {
				snprintf(key, sizeof(key), "%s[%zu]", fld->key, i);
				value_error(rd, key, "is out of range (%" PRId64 ")", x);
				goto out;
			}
		}
		snprintf(key, sizeof(key), "[%zu]", i);
		if (check_run_ranges(rd, &s, key))
			goto out;
		for (size_t k = 0; k < b->nr_counters; k++) {
			counts[k] = counter_run(&cc[k], i);
			if (check_count(rd, b->counters[k], key, &counts[k]))
				goto out;
		}
		benchmark_add_run(b, &s, counts);
	}
	snprintf(rd->at, sizeof(rd->at), "benchmarks[%zu]", bi);
	ret = 0;
out:
	free(cc);
	free(counts);
	return ret;
}

/* Fields are read in the order they are written, so is the first error. */
static int read_benchmark(struct reader *rd, size_t bi, const json_t *obj,
			  struct benchmark *b)
{
	const json_t *options, *v;
	const char **strings;
	size_t n;

	snprintf(rd->at, sizeof(rd->at), "benchmarks[%zu]", bi);
	v = json_object_get(obj, "name");
	if (!json_is_string(v))
		return field_error(rd, "name", "a string", v);
	b->name = xstrdup(json_string_value(v));

	if (get_strings(rd, obj, "command", &strings, &n))
		return -1;
	benchmark_set_argv(b, (char *const *)strings, n);
	free(strings);
	if (!n)
		return value_error(rd, "command", "is empty");

	v = json_object_get(obj, "shell");
	if (!json_is_boolean(v))
		return field_error(rd, "shell", "true or false", v);
	b->config.shell = json_is_true(v);
	if (b->config.shell && n != 1)
		return value_error(rd, "command", "must hold exactly one string (the script) when 'shell' is true, not %zu", n);

	if (get_object(rd, obj, "options", &options))
		return -1;
	snprintf(rd->at, sizeof(rd->at), "benchmarks[%zu].options", bi);
	if (read_fields(rd, options, option_fields, ARRAY_SIZE(option_fields),
			&b->config))
		return -1;
	snprintf(rd->at, sizeof(rd->at), "benchmarks[%zu]", bi);

	v = json_object_get(obj, "stop_reason");
	if (!json_is_string(v))
		return field_error(rd, "stop_reason", "a string", v);
	if (stop_reason_parse(json_string_value(v), &b->stop))
		return value_error(rd, "stop_reason",
				   "is '%s', not 'completed', 'interrupted' or 'failed'",
				   json_string_value(v));

	/* Optional: files of the first steady builds do not have it. */
	v = json_object_get(obj, "harness_max_rss_kib");
	if (v && !json_is_integer(v))
		return field_error(rd, "harness_max_rss_kib", "an integer", v);
	b->harness_max_rss_kib = v ? json_integer_value(v) : 0;

	if (get_strings(rd, obj, "warnings", &strings, &n))
		return -1;
	for (size_t i = 0; i < n; i++)
		benchmark_add_warning(b, "%s", strings[i]);
	free(strings);

	/* Optional: only runs that counted events or instructions have them. */
	if (json_object_get(obj, "counters")) {
		if (get_strings(rd, obj, "counters", &strings, &n))
			return -1;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (!strcmp(strings[i], strings[j])) {
					value_error(rd, "counters", "names '%s' twice", strings[i]);
					free(strings);
					return -1;
				}
		benchmark_set_counters(b, (char *const *)strings, n);
		free(strings);
	}

	/* "summary" is derived from the runs: whoever needs it recomputes it */
	if (rd->version == 1)
		return read_runs(rd, bi, obj, b);
	return read_columns(rd, bi, obj, b);
}

/* Says what the file is when it is not ours, as far as that can be told. */
static int check_format(struct reader *rd, const json_t *root)
{
	int v;

	/* The one mix-up worth a hint of its own. */
	if (json_is_object(root) && !json_object_get(root, "format") &&
	    json_is_array(json_object_get(root, "results")))
		return error("cannot read '%s': not a steady results file (it looks like hyperfine's JSON export)",
			     rd->file);
	v = json_file_check_kind(root, rd->file, RESULTS_FORMAT_NAME, "results",
				 RESULTS_FORMAT_VERSION);
	if (v < 0)
		return -1;
	rd->version = v;
	return 0;
}

/* The "layout" object of a file `steady layout` wrote (optional). */
static int read_layout(struct reader *rd, const json_t *root, struct results *r)
{
	const json_t *obj, *variants, *v;
	struct results_layout *l;

	if (get_object(rd, root, "layout", &obj))
		return -1;
	r->layout = l = xcalloc(1, sizeof(*l));
	snprintf(rd->at, sizeof(rd->at), "layout");
	v = json_object_get(obj, "perturbation");
	if (!json_is_string(v) && !json_is_null(v))
		return field_error(rd, "perturbation", "a string or null", v);
	l->perturbation = json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
	if (read_fields(rd, obj, layout_fields, ARRAY_SIZE(layout_fields), l) ||
	    get_array(rd, obj, "variants", &variants))
		return -1;
	for (size_t i = 0; i < json_array_size(variants); i++) {
		const json_t *one = json_array_get(variants, i), *side;
		struct layout_variant *lv = results_layout_add(l);
		json_int_t bi;

		if (!json_is_object(one)) {
			char elem[64];

			snprintf(elem, sizeof(elem), "variants[%zu]", i);
			return field_error(rd, elem, "an object", one);
		}
		snprintf(rd->at, sizeof(rd->at), "layout.variants[%zu]", i);
		v = json_object_get(one, "benchmark");
		if (!json_is_integer(v))
			return field_error(rd, "benchmark", "an integer", v);
		bi = json_integer_value(v);
		if (bi < 0 || (uint64_t)bi >= r->nr_benchmarks)
			return value_error(rd, "benchmark", "is not the index of a benchmark (%" JSON_INTEGER_FORMAT ")", bi);
		lv->benchmark = (size_t)bi;
		side = json_object_get(one, "side");
		if (!json_is_string(side) || (strcmp(json_string_value(side), "A") &&
					      strcmp(json_string_value(side), "B")))
			return field_error(rd, "side", "\"A\" or \"B\"", side);
		lv->side = json_string_value(side)[0];
		if (read_fields(rd, one, variant_fields, ARRAY_SIZE(variant_fields), lv))
			return -1;
	}
	*rd->at = '\0';
	return 0;
}

static int read_results(struct reader *rd, const json_t *root,
			struct results *r)
{
	const json_t *host, *benchmarks, *v;

	/* Only says which steady wrote the file: readers do not need it. */
	v = json_object_get(root, "steady_version");
	if (v && !json_is_string(v))
		return field_error(rd, "steady_version", "a string", v);
	r->steady_version = v ? xstrdup(json_string_value(v)) : NULL;
	v = json_object_get(root, "created");
	if (!json_is_string(v))
		return field_error(rd, "created", "a string", v);
	r->created = xstrdup(json_string_value(v));

	if (get_object(rd, root, "host", &host))
		return -1;
	snprintf(rd->at, sizeof(rd->at), "host");
	if (read_fields(rd, host, host_fields, ARRAY_SIZE(host_fields), &r->host))
		return -1;
	*rd->at = '\0';

	/* Optional: added without a version change. */
	if (json_object_get(root, "system")) {
		const json_t *sys;
		const char **strings;
		size_t n;

		if (get_object(rd, root, "system", &sys))
			return -1;
		snprintf(rd->at, sizeof(rd->at), "system");
		if (get_strings(rd, sys, "warnings", &strings, &n))
			return -1;
		*rd->at = '\0';
		r->system_checked = 1;
		r->system_warnings = xcalloc(n + 1, sizeof(*r->system_warnings));
		for (size_t i = 0; i < n; i++)
			r->system_warnings[i] = xstrdup(strings[i]);
		r->nr_system_warnings = n;
		free(strings);
	}

	if (get_array(rd, root, "benchmarks", &benchmarks))
		return -1;
	for (size_t i = 0; i < json_array_size(benchmarks); i++) {
		const json_t *b = json_array_get(benchmarks, i);
		char elem[64];

		if (!json_is_object(b)) {
			snprintf(elem, sizeof(elem), "benchmarks[%zu]", i);
			return field_error(rd, elem, "an object", b);
		}
		/* owned by r at once, so an error below leaks nothing */
		if (read_benchmark(rd, i, b, results_add_benchmark(r)))
			return -1;
		*rd->at = '\0';
	}
	/* a sweep's record is kept as written: nothing in it is measured data */
	if (json_is_object(json_object_get(root, "sweep")))
		r->sweep = json_incref(json_object_get((json_t *)root, "sweep"));
	if (json_object_get(root, "layout"))
		return read_layout(rd, root, r);
	return 0;
}

/*
 * The keys whose arrays of numbers the loader packs: every run column of
 * version 2 and the counters' value columns. Version 1 has the same keys
 * with single numbers, which are never packed.
 */
static const char *const *column_keys(void)
{
	static const char *keys[2 * ARRAY_SIZE(run_fields) + 3];

	if (!keys[0]) {
		size_t n = 0;

		for (size_t i = 0; i < ARRAY_SIZE(run_fields); i++) {
			keys[n++] = run_fields[i].key;
			if (run_fields[i].us_key)
				keys[n++] = run_fields[i].us_key;
		}
		keys[n++] = "value";
		keys[n++] = "running_pct";
	}
	return keys;
}

json_t *results_load_json(struct results *r, const char *path,
			  struct packed_columns *columns)
{
	results_release(r);
	return json_file_load_packed(path, column_keys(), columns);
}

int results_from_json(struct results *r, const char *path, const json_t *root,
		      const struct packed_columns *columns)
{
	struct reader rd = { .file = path, .columns = columns };
	int ret;

	results_release(r);
	ret = check_format(&rd, root);
	if (!ret)
		ret = read_results(&rd, root, r);
	if (ret)
		results_release(r);
	return ret;
}

int results_read(struct results *r, const char *path)
{
	struct packed_columns columns;
	json_t *root;
	int ret;

	packed_columns_init(&columns);
	root = results_load_json(r, path, &columns);
	ret = root ? results_from_json(r, path, root, &columns) : -1;
	json_decref(root);
	packed_columns_release(&columns);
	return ret;
}

int results_match_benchmarks(struct results *ra, struct results *rb, const char *fa,
			     const char *fb, struct benchmark_pair **out, size_t *n_out)
{
	struct benchmark_pair *pairs;
	size_t n = 0;

	if (ra->nr_benchmarks == 1 && rb->nr_benchmarks == 1) {
		pairs = xcalloc(1, sizeof(*pairs));
		pairs[0] = (struct benchmark_pair){ &ra->benchmarks[0], &rb->benchmarks[0],
						    rb->benchmarks[0].name };
		*out = pairs;
		*n_out = 1;
		return 0;
	}
	/* Matching by name needs each name once in each file. */
	for (int side = 0; side < 2; side++) {
		const struct results *r = side ? rb : ra;

		for (size_t i = 0; i < r->nr_benchmarks; i++)
			for (size_t j = 0; j < i; j++)
				if (!strcmp(r->benchmarks[i].name, r->benchmarks[j].name))
					return error("'%s' has two benchmarks named '%s': they cannot be matched by name",
						     side ? fb : fa, r->benchmarks[i].name);
	}
	pairs = xcalloc(ra->nr_benchmarks ? ra->nr_benchmarks : 1, sizeof(*pairs));
	for (size_t i = 0; i < ra->nr_benchmarks; i++)
		for (size_t j = 0; j < rb->nr_benchmarks; j++)
			if (!strcmp(ra->benchmarks[i].name, rb->benchmarks[j].name)) {
				pairs[n++] = (struct benchmark_pair){ &ra->benchmarks[i],
								      &rb->benchmarks[j],
								      ra->benchmarks[i].name };
				break;
			}
	if (!n) {
		char *la = NULL, *lb = NULL;
		size_t len;
		FILE *sa = open_memstream(&la, &len), *sb = open_memstream(&lb, &len);

		for (size_t i = 0; i < ra->nr_benchmarks && i < 5; i++)
			fprintf(sa, "%s'%s'", i ? ", " : "", ra->benchmarks[i].name);
		for (size_t j = 0; j < rb->nr_benchmarks && j < 5; j++)
			fprintf(sb, "%s'%s'", j ? ", " : "", rb->benchmarks[j].name);
		fclose(sa);
		fclose(sb);
		error("no benchmark name is in both '%s' (%s%s) and '%s' (%s%s)", fa, la,
		      ra->nr_benchmarks > 5 ? ", ..." : "", fb, lb,
		      rb->nr_benchmarks > 5 ? ", ..." : "");
		free(la);
		free(lb);
		free(pairs);
		return -1;
	}
	if (n < ra->nr_benchmarks || n < rb->nr_benchmarks)
		warning("%zu benchmark%s matched by name; %zu in '%s' and %zu in '%s' have no match and are left out",
			n, n == 1 ? "" : "s", ra->nr_benchmarks - n, fa, rb->nr_benchmarks - n, fb);
	*out = pairs;
	*n_out = n;
	return 0;
}
