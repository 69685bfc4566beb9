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
#include "formats/jsonfile.h"
#include "analyse/stats.h"
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
	results_init(r);
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
	F_INT,      /* int, JSON integer */
	F_BOOL,     /* int used as a flag, JSON true/false */
	F_COUNT,    /* unsigned long, non-negative JSON integer */
	F_SECONDS,  /* double, JSON number */
	F_STRING,   /* char *, JSON string; NULL is written as "unknown" */
	F_NSTRING,  /* char *, JSON string or null */
	F_OSTRING,  /* char *, JSON string or null, may be absent (added later) */
	F_OI64,     /* int64_t, JSON integer, may be absent (added later): -1 */
	F_SEED      /* uint64_t, decimal JSON string (see write_field) */
};

struct field {
	const char *key;
	size_t offset;
	enum field_kind kind;
};

#define FIELD(type, member, key, kind) { key, offsetof(type, member), kind }

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
	FIELD(struct run_sample, user_ns, "user_ns", F_I64),
	FIELD(struct run_sample, sys_ns, "sys_ns", F_I64),
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

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

/* ---- writing ---- */

/* Length of the valid UTF-8 sequence at s, 0 if there is none (RFC 3629). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if (s[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		if (s[0] == 0xed)
			hi = 0x9f;	/* surrogates */
		if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if (s[0] == 0xf0)
			lo = 0x90;	/* overlong */
		if (s[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
		if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

/*
 * JSON text is UTF-8 and jansson refuses anything else, but a command line
 * or a hostname may hold any bytes. Losing a finished measurement over one
 * of them would be worse than a mangled character, so each invalid byte is
 * written as U+FFFD. NULL (from jansson running out of memory) propagates.
 */
static json_t *jstring(const char *s)
{
	json_t *v = json_string(s);
	char *clean, *p;

	if (v)
		return v;
	clean = xmalloc(strlen(s) * 3 + 1);
	for (p = clean; *s; ) {
		size_t n = utf8_len((const unsigned char *)s);

		if (n) {
			memcpy(p, s, n);
			s += n;
			p += n;
		} else {
			memcpy(p, "\xef\xbf\xbd", 3);
			s++;
			p += 3;
		}
	}
	*p = '\0';
	v = json_string(clean);
	free(clean);
	return v;
}

/* JSON has no NaN or infinity; a value that is not there is null. */
static json_t *jnumber(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

/*
 * json_object_set_new() fails, and frees v, when obj or v is NULL, which is
 * how jansson reports running out of memory: one check per object is enough.
 */
static int set(json_t *obj, const char *key, json_t *v)
{
	return json_object_set_new(obj, key, v) ? -1 : 0;
}

static int append(json_t *array, json_t *v)
{
	return json_array_append_new(array, v) ? -1 : 0;
}

static int write_field(json_t *obj, const struct field *f, const void *base)
{
	const void *p = (const char *)base + f->offset;
	char buf[32];

	switch (f->kind) {
	case F_I64:
	case F_OI64:
		return set(obj, f->key, json_integer(*(const int64_t *)p));
	case F_INT:
		return set(obj, f->key, json_integer(*(const int *)p));
	case F_BOOL:
		return set(obj, f->key, json_boolean(*(const int *)p));
	case F_COUNT: {
		unsigned long v = *(const unsigned long *)p;

		/* beyond JSON_INTEGER max only as "no limit" anyway */
		if ((unsigned long long)v > (unsigned long long)LLONG_MAX)
			return set(obj, f->key, json_integer(LLONG_MAX));
		return set(obj, f->key, json_integer((json_int_t)v));
	}
	case F_SECONDS:
		return set(obj, f->key, jnumber(*(const double *)p));
	case F_STRING: {
		const char *s = *(char *const *)p;

		return set(obj, f->key, jstring(s ? s : "unknown"));
	}
	case F_NSTRING:
	case F_OSTRING: {
		const char *s = *(char *const *)p;

		return set(obj, f->key, s ? jstring(s) : json_null());
	}
	case F_SEED:
		/*
		 * Seeds use all 64 bits and json_int_t is signed, so a
		 * seed above 2^63-1 has no JSON integer in jansson (nor an
		 * exact double in most other readers). Always a string:
		 * one type, whatever the value.
		 */
		snprintf(buf, sizeof(buf), "%" PRIu64, *(const uint64_t *)p);
		return set(obj, f->key, json_string(buf));
	}
	return -1;
}

static json_t *fields_to_json(const struct field *fields, size_t nr,
			      const void *base)
{
	json_t *obj = json_object();
	int err = 0;

	for (size_t i = 0; i < nr; i++)
		err |= write_field(obj, &fields[i], base);
	if (err) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static json_t *strings_to_json(char *const *s, size_t n)
{
	json_t *array = json_array();
	int err = 0;

	for (size_t i = 0; i < n; i++)
		err |= append(array, jstring(s[i]));
	if (err) {
		json_decref(array);
		return NULL;
	}
	return array;
}

static json_t *ci_to_json(double lo, double hi)
{
	json_t *pair;

	if (!isfinite(lo) || !isfinite(hi))
		return json_null();
	pair = json_array();
	if (append(pair, json_real(lo)) || append(pair, json_real(hi))) {
		json_decref(pair);
		return NULL;
	}
	return pair;
}

/* Derived data for people and other tools; steady itself never reads it. */
static json_t *summary_to_json(const struct benchmark *b)
{
	json_t *obj = json_object();
	struct summary s;
	size_t n;
	double *v = benchmark_values(b, METRIC_WALL, &n);
	int err = 0;

	stats_summarize(v, n, &s);
	free(v);
	err |= set(obj, "metric", json_string("wall"));
	err |= set(obj, "unit", json_string("s"));
	err |= set(obj, "n", json_integer((json_int_t)s.n));
	err |= set(obj, "mean", jnumber(s.mean));
	err |= set(obj, "stddev", jnumber(s.stddev));
	err |= set(obj, "median", jnumber(s.median));
	err |= set(obj, "mad", jnumber(s.mad));
	err |= set(obj, "min", jnumber(s.min));
	err |= set(obj, "max", jnumber(s.max));
	err |= set(obj, "p5", jnumber(s.p5));
	err |= set(obj, "p25", jnumber(s.p25));
	err |= set(obj, "p75", jnumber(s.p75));
	err |= set(obj, "p95", jnumber(s.p95));
	err |= set(obj, "mean_ci95", ci_to_json(s.mean_ci_lo, s.mean_ci_hi));
	err |= set(obj, "median_ci95", ci_to_json(s.median_ci_lo, s.median_ci_hi));
	err |= set(obj, "outliers", json_integer((json_int_t)s.outliers));
	if (err) {
		json_decref(obj);
		return NULL;
	}
	return obj;
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

/* {"cycles": {"status": "not supported"}, "task-clock": {"value": ...}} */
static json_t *counts_to_json(const struct benchmark *b, size_t run)
{
	const struct run_count *c = benchmark_run_counts(b, run);
	json_t *obj = json_object();
	int err = 0;

	for (size_t k = 0; k < b->nr_counters; k++) {
		json_t *one = json_object();

		err |= set(one, "status", json_string(counter_status_name(c[k].status)));
		if (c[k].status == COUNTER_COUNTED) {
			err |= set(one, "value", jnumber(c[k].value));
			err |= set(one, "running_pct", jnumber(c[k].running_pct));
		}
		err |= set(obj, b->counters[k], one);
	}
	if (err) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static json_t *benchmark_to_json(const struct benchmark *b)
{
	json_t *obj = json_object(), *runs = json_array();
	int err = 0;

	if (b->name) {
		err |= set(obj, "name", jstring(b->name));
	} else {
		char *name = default_name(b);

		err |= set(obj, "name", jstring(name));
		free(name);
	}
	err |= set(obj, "command", strings_to_json(b->argv, b->argc));
	err |= set(obj, "shell", json_boolean(b->config.shell));
	err |= set(obj, "options", fields_to_json(option_fields,
			ARRAY_SIZE(option_fields), &b->config));
	err |= set(obj, "stop_reason", json_string(stop_reason_name(b->stop)));
	err |= set(obj, "harness_max_rss_kib", json_integer(b->harness_max_rss_kib));
	err |= set(obj, "warnings", strings_to_json(b->warnings, b->nr_warnings));
	if (b->nr_counters)
		err |= set(obj, "counters", strings_to_json(b->counters, b->nr_counters));
	for (size_t i = 0; i < b->nr_runs; i++) {
		json_t *run = fields_to_json(run_fields, ARRAY_SIZE(run_fields), &b->runs[i]);

		if (run && b->nr_counters)
			err |= set(run, "counts", counts_to_json(b, i));
		err |= append(runs, run);
	}
	err |= set(obj, "runs", runs);
	err |= set(obj, "summary", summary_to_json(b));
	if (err) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static json_t *results_to_json(const struct results *r)
{
	json_t *root = json_object(), *benchmarks = json_array();
	int err = 0;

	err |= set(root, "format", json_string(RESULTS_FORMAT_NAME));
	err |= set(root, "version", json_integer(RESULTS_FORMAT_VERSION));
	/* unstamped results were still written by this steady, now */
	err |= set(root, "steady_version",
		   jstring(r->steady_version ? r->steady_version : STEADY_VERSION));
	if (r->created) {
		err |= set(root, "created", jstring(r->created));
	} else {
		char *now = utc_now();

		err |= set(root, "created", json_string(now));
		free(now);
	}
	err |= set(root, "host", fields_to_json(host_fields,
			ARRAY_SIZE(host_fields), &r->host));
	if (r->system_checked)
		err |= set(root, "system", json_pack("{s:b,s:o}", "tuned", !r->nr_system_warnings,
				"warnings", strings_to_json(r->system_warnings, r->nr_system_warnings)));
	for (size_t i = 0; i < r->nr_benchmarks; i++)
		err |= append(benchmarks, benchmark_to_json(&r->benchmarks[i]));
	err |= set(root, "benchmarks", benchmarks);
	if (err) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* "dir/file" gives "dir", "file" gives ".", "/file" gives "/". */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	dir = xstrdup(path);
	dir[slash - path] = '\0';
	return dir;
}

/*
 * Writes root and a final newline to fd and closes fd whatever happens.
 * 0, or -1 with errno set. With sync, the data is on disk before the caller
 * renames the file into place, so a crash cannot leave an empty target.
 */
static int dump_and_close(const json_t *root, int fd, int sync)
{
	FILE *fp = fdopen(fd, "w");
	int saved;

	if (!fp) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	errno = 0;
	if (json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 ||
	    fputc('\n', fp) == EOF || fflush(fp) == EOF ||
	    (sync && fsync(fileno(fp)) < 0)) {
		saved = errno ? errno : EIO;
		fclose(fp);
		errno = saved;
		return -1;
	}
	return fclose(fp) == EOF ? -1 : 0;
}

static int write_atomic(const json_t *root, const char *path)
{
	char *tmp = atomic_temp_template(path);
	char *dir;
	mode_t mask;
	int fd;

	/* in the target's directory, so that rename() cannot cross devices */
	fd = mkstemp(tmp);
	if (fd < 0) {
		int ret = error("cannot write '%s': %s", path, strerror(errno));

		free(tmp);
		return ret;
	}
	/* umask() can only be read by setting it; steady has one thread */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0644 & ~mask) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		goto fail;
	}
	if (dump_and_close(root, fd, 1) < 0 || rename(tmp, path) < 0)
		goto fail;
	free(tmp);

	/*
	 * Make the rename itself durable. The new file is complete and in
	 * place whatever happens here, and some file systems refuse to
	 * fsync a directory, so this is best effort.
	 */
	dir = dir_of(path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
	return 0;

fail:
	error("cannot write '%s': %s", path, strerror(errno));
	unlink(tmp);
	free(tmp);
	return -1;
}

int results_write(const struct results *r, const char *path)
{
	json_t *root = results_to_json(r);
	struct stat st;
	int ret = 0;

	if (!root)
		return error("cannot write '%s': out of memory", path);
	if (!stat(path, &st) && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		/*
		 * "-o /dev/stdout" or a FIFO: renaming over it would replace
		 * the device node or pipe with a file (as root, /dev/null
		 * too). Such a target has no half-written state to avoid.
		 */
		int fd = open(path, O_WRONLY | O_CLOEXEC);

		if (fd < 0 || dump_and_close(root, fd, 0) < 0)
			ret = error("cannot write '%s': %s", path, strerror(errno));
	} else {
		ret = write_atomic(root, path);
	}
	json_decref(root);
	return ret;
}

int results_check_writable(const char *path)
{
	struct stat st;
	char *dir, *probe;
	int fd, ret = 0;

	if (!*path)
		return error("cannot write '': empty file name");
	if (!stat(path, &st)) {
		if (S_ISDIR(st.st_mode))
			return error("cannot write '%s': it is a directory", path);
		if (!S_ISREG(st.st_mode))
			return 0;	/* written in place, see results_write() */
		/* Renaming over a read-only file would replace it: refuse, as
		 * a shell redirection would. (Root may write anything.) */
		if (access(path, W_OK))
			return error("cannot write '%s': %s", path, strerror(errno));
	}

	dir = dir_of(path);
	if (stat(dir, &st) < 0) {
		if (errno == ENOENT)
			ret = error("cannot write '%s': directory '%s' does not exist",
				    path, dir);
		else
			ret = error("cannot write '%s': %s", path, strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		ret = error("cannot write '%s': '%s' is not a directory", path, dir);
	}
	free(dir);
	if (ret)
		return ret;

	/*
	 * Create what results_write() will create. access(W_OK) would say
	 * yes to root on a read-only mount and knows nothing of quotas or
	 * file name limits.
	 */
	probe = atomic_temp_template(path);
	fd = mkstemp(probe);
	if (fd < 0) {
		ret = error("cannot write '%s': %s", path, strerror(errno));
	} else {
		close(fd);
		unlink(probe);
	}
	free(probe);
	return ret;
}

/* ---- reading ---- */

struct reader {
	const char *file;
	char at[96];    /* JSON path of the object being read, "benchmarks[2].runs[7]" */
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
		if (!json_is_integer(v))
			return field_error(rd, f->key, "an integer", v);
		*(int64_t *)p = json_integer_value(v);
		return 0;
	case F_INT:
		if (!json_is_integer(v))
			return field_error(rd, f->key, "an integer", v);
		i = json_integer_value(v);
		if (i < INT_MIN || i > INT_MAX)
			return value_error(rd, f->key, "is out of range (%" JSON_INTEGER_FORMAT ")", i);
		*(int *)p = (int)i;
		return 0;
	case F_BOOL:
		if (!json_is_boolean(v))
			return field_error(rd, f->key, "true or false", v);
		*(int *)p = json_is_true(v);
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
static int check_run_ranges(struct reader *rd, const struct run_sample *s)
{
	const struct { const char *key; int64_t v; } fields[] = {
		{ "user_ns", s->user_ns }, { "sys_ns", s->sys_ns },
		{ "max_rss_kib", s->max_rss_kib }, { "minor_faults", s->minor_faults },
		{ "major_faults", s->major_faults },
		{ "voluntary_ctx_switches", s->vol_ctx_switches },
		{ "involuntary_ctx_switches", s->invol_ctx_switches },
	};

	if (s->wall_ns <= 0)
		return value_error(rd, "wall_ns", "must be positive (%" PRId64 ")", s->wall_ns);
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		if (fields[i].v < 0)
			return value_error(rd, fields[i].key, "must not be negative (%" PRId64 ")",
					   fields[i].v);
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
		if (check_run_ranges(rd, &s))
			goto out;
		snprintf(rd->at, sizeof(rd->at), "benchmarks[%zu]", bi);
		benchmark_add_run(b, &s, counts);
	}
	ret = 0;
out:
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
	return read_runs(rd, bi, obj, b);
}

/* Says what the file is when it is not ours, as far as that can be told. */
static int check_format(const struct reader *rd, const json_t *root)
{
	const json_t *format, *version;
	json_int_t v;

	if (!json_is_object(root))
		return error("cannot read '%s': not a steady results file (the top level is %s, not an object)",
			     rd->file, json_type_name(root));
	format = json_object_get(root, "format");
	if (!format) {
		if (json_is_array(json_object_get(root, "results")))
			return error("cannot read '%s': not a steady results file (it looks like hyperfine's JSON export)",
				     rd->file);
		return error("cannot read '%s': not a steady results file (it has no 'format' field)",
			     rd->file);
	}
	if (!json_is_string(format))
		return error("cannot read '%s': not a steady results file ('format' is %s)",
			     rd->file, json_type_name(format));
	if (strcmp(json_string_value(format), RESULTS_FORMAT_NAME))
		return error("cannot read '%s': not a steady results file (its format is '%s', not '%s')",
			     rd->file, json_string_value(format), RESULTS_FORMAT_NAME);

	version = json_object_get(root, "version");
	if (!json_is_integer(version))
		return field_error(rd, "version", "an integer", version);
	v = json_integer_value(version);
	if (v > RESULTS_FORMAT_VERSION)
		return error("cannot read '%s': results format version %" JSON_INTEGER_FORMAT
			     " is newer than this steady (%s) reads (up to %d); upgrade steady",
			     rd->file, v, STEADY_VERSION, RESULTS_FORMAT_VERSION);
	if (v < 1)
		return error("cannot read '%s': results format version %" JSON_INTEGER_FORMAT
			     " is not valid", rd->file, v);
	return 0;
}

static int read_results(struct reader *rd, const json_t *root,
			struct results *r)
{
	const json_t *host, *benchmarks, *v;

	v = json_object_get(root, "steady_version");
	if (!json_is_string(v))
		return field_error(rd, "steady_version", "a string", v);
	r->steady_version = xstrdup(json_string_value(v));
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
	return 0;
}

/*
 * r must be initialised; whatever it held is released first. On error r is
 * left released (empty), so the caller has nothing to clean up either way.
 */
int results_read(struct results *r, const char *path)
{
	struct reader rd = { .file = path };
	json_t *root;
	int ret;

	results_release(r);
	root = json_file_load(path);
	if (!root)
		return -1;
	ret = check_format(&rd, root);
	if (!ret)
		ret = read_results(&rd, root, r);
	json_decref(root);
	if (ret)
		results_release(r);
	return ret;
}
