/*
 * history: see history.h. The schema, its migrations and every query are
 * here, once for both backends (store/backend.h).
 */
#include "store/history.h"
#include "store/backend.h"
#include "analyse/stats.h"
#include "lib/units.h"
#include "lib/util.h"
#include "lib/words.h"
#include "measure/spawn.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define HISTORY_FORMAT "steady-history"
/* The level of each point's interval in a series. */
#define HISTORY_POINT_ALPHA 0.05

/* ---- rows ---- */

void history_rows_release(struct history_rows *r)
{
	for (size_t i = 0; i < r->nr * r->cols; i++)
		free(r->cell[i]);
	free(r->cell);
	memset(r, 0, sizeof(*r));
}

const char *history_cell(const struct history_rows *r, size_t i, size_t j)
{
	return i < r->nr && j < r->cols ? r->cell[i * r->cols + j] : NULL;
}

static long long cell_ll(const struct history_rows *r, size_t i, size_t j)
{
	const char *s = history_cell(r, i, j);

	return s ? strtoll(s, NULL, 10) : 0;
}

static double cell_double(const struct history_rows *r, size_t i, size_t j)
{
	const char *s = history_cell(r, i, j);

	return s ? strtod(s, NULL) : NAN;
}

static char *cell_dup(const struct history_rows *r, size_t i, size_t j)
{
	const char *s = history_cell(r, i, j);

	return xstrdup(s ? s : "");
}

static int run_sql(struct history *h, const char *sql, const char *const *params,
		   size_t nparams, struct history_rows *out)
{
	return h->be->exec(h->conn, sql, params, nparams, out);
}

/* ---- schema and migrations ---- */

/*
 * Migration k takes a database from schema k - 1 to k; @ID@ is the
 * backend's self-numbering id column. A new schema version is a new entry
 * at the end, never an edit of an old one: databases in the field hold
 * every earlier version. Steps run in the transaction that checked the
 * version, so a migration happens whole or not at all, and once.
 */
static const char *const migration_1[] = {
	"CREATE TABLE machines ("
	" id @ID@,"
	" host TEXT NOT NULL,"
	" cpu_model TEXT NOT NULL,"
	" cpu_count INTEGER NOT NULL,"
	" arch TEXT NOT NULL,"
	" kernel TEXT NOT NULL,"
	" tuned INTEGER NOT NULL,"
	" UNIQUE (host, cpu_model, cpu_count, arch, kernel, tuned))",
	"CREATE TABLE saves ("
	" id @ID@,"
	" benchmark TEXT NOT NULL,"
	" revision TEXT NOT NULL,"
	" dirty INTEGER NOT NULL,"
	" machine_id BIGINT NOT NULL REFERENCES machines (id),"
	" measured TEXT NOT NULL,"
	" saved TEXT NOT NULL,"
	" command TEXT NOT NULL,"
	" metric TEXT NOT NULL,"
	" steady_version TEXT NOT NULL,"
	" runs INTEGER NOT NULL,"
	" argv TEXT NOT NULL)",
	"CREATE INDEX saves_by_benchmark ON saves (benchmark, machine_id, measured)",
	"CREATE TABLE samples ("
	" save_id BIGINT NOT NULL REFERENCES saves (id) ON DELETE CASCADE,"
	" metric TEXT NOT NULL,"
	" n INTEGER NOT NULL,"
	" median DOUBLE PRECISION,"
	" lo DOUBLE PRECISION,"
	" hi DOUBLE PRECISION,"
	" vals TEXT NOT NULL,"
	" PRIMARY KEY (save_id, metric))",
	NULL
};

static const char *const *const migrations[HISTORY_SCHEMA_VERSION + 1] = {
	[1] = migration_1,
};

static int run_migration(struct history *h, const char *const *steps)
{
	for (size_t i = 0; steps[i]; i++) {
		const char *at = strstr(steps[i], "@ID@");
		char *sql;
		int ret;

		sql = at ? xasprintf("%.*s%s%s", (int)(at - steps[i]), steps[i],
				     h->be->id_column, at + 4)
			 : xstrdup(steps[i]);
		ret = run_sql(h, sql, NULL, 0, NULL);
		free(sql);
		if (ret)
			return -1;
	}
	return 0;
}

enum schema_state { SCHEMA_EMPTY, SCHEMA_CURRENT, SCHEMA_OLDER };

/*
 * What the store holds: nothing (no tables at all), steady's schema at
 * this version, or an older one (into *version); -1 after one line for
 * anything else: tables that are not steady's, another format, a newer
 * schema.
 */
static int schema_check(struct history *h, long long *version)
{
	struct history_rows r = HISTORY_ROWS_INIT;
	const char *format = NULL;
	int ret = -1;

	if (run_sql(h, h->be->sql_tables, NULL, 0, &r))
		return -1;
	if (!cell_ll(&r, 0, 1)) {
		if (cell_ll(&r, 0, 0)) {
			error("%s is not a steady history database (it holds other tables); it was left as it is",
			      h->where);
			goto out;
		}
		ret = SCHEMA_EMPTY;
		goto out;
	}
	history_rows_release(&r);
	if (run_sql(h, "SELECT key, value FROM steady_meta", NULL, 0, &r))
		return -1;
	*version = -1;
	for (size_t i = 0; i < r.nr; i++) {
		const char *k = history_cell(&r, i, 0), *v = history_cell(&r, i, 1);

		if (k && v && !strcmp(k, "format"))
			format = v;
		else if (k && v && !strcmp(k, "schema_version"))
			*version = strtoll(v, NULL, 10);
	}
	if (!format || strcmp(format, HISTORY_FORMAT) || *version < 1) {
		error("%s is not a steady history database (its steady_meta says otherwise); it was left as it is",
		      h->where);
		goto out;
	}
	if (*version > HISTORY_SCHEMA_VERSION) {
		error("%s holds history schema %lld, newer than this steady knows (%d): use a newer steady",
		      h->where, *version, HISTORY_SCHEMA_VERSION);
		goto out;
	}
	ret = *version == HISTORY_SCHEMA_VERSION ? SCHEMA_CURRENT : SCHEMA_OLDER;
out:
	history_rows_release(&r);
	return ret;
}

/* Creates or migrates the schema, in one write transaction. */
static int schema_update(struct history *h)
{
	long long version = 0;
	int state;
	char *v;

	if (h->be->begin_write(h->conn))
		return -1;
	/* Looked at again under the lock: another process may have done it. */
	state = schema_check(h, &version);
	if (state < 0)
		goto fail;
	if (state == SCHEMA_EMPTY) {
		version = 0;
		if (run_sql(h, "CREATE TABLE steady_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
			    NULL, 0, NULL) ||
		    run_sql(h, "INSERT INTO steady_meta (key, value) VALUES ('format', '"
			    HISTORY_FORMAT "'), ('schema_version', '0')", NULL, 0, NULL))
			goto fail;
	}
	for (long long k = version + 1; k <= HISTORY_SCHEMA_VERSION; k++)
		if (run_migration(h, migrations[k]))
			goto fail;
	v = xasprintf("%d", HISTORY_SCHEMA_VERSION);
	if (run_sql(h, "UPDATE steady_meta SET value = ? WHERE key = 'schema_version'",
		    (const char *[]){ v }, 1, NULL)) {
		free(v);
		goto fail;
	}
	free(v);
	return run_sql(h, "COMMIT", NULL, 0, NULL);
fail:
	run_sql(h, "ROLLBACK", NULL, 0, NULL);
	return -1;
}

/* ---- opening ---- */

char *history_default_path(void)
{
	const char *data = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	/* The XDG rule: a relative XDG_DATA_HOME is to be ignored. */
	if (data && data[0] == '/')
		return xasprintf("%s/steady/history.db", data);
	return xasprintf("%s/.local/share/steady/history.db", home && *home ? home : ".");
}

static int is_postgres_url(const char *where)
{
	return !strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11);
}

int history_open(struct history *h, const char *where, int create)
{
	char *path = where ? NULL : history_default_path();
	long long version = 0;
	int state, ret;

	memset(h, 0, sizeof(*h));
	if (!where)
		where = path;
	if (!*where) {
		free(path);
		return error("--db wants a file or a postgresql:// URL, not an empty string");
	}
	h->be = is_postgres_url(where) ? &history_postgres : &history_sqlite;
	ret = h->be->open(&h->conn, where, create, &h->where);
	free(path);
	if (ret) {
		h->be = NULL;
		return -1;
	}
	state = schema_check(h, &version);
	if (state == SCHEMA_CURRENT)
		return 0;
	if (state == SCHEMA_EMPTY && !create) {
		error("%s holds no steady history yet (steady run --save makes it)", h->where);
		state = -1;
	}
	if (state >= 0 && !schema_update(h))
		return 0;
	history_close(h);
	return -1;
}

void history_close(struct history *h)
{
	if (h->be)
		h->be->close(h->conn);
	free(h->where);
	memset(h, 0, sizeof(*h));
}

/* ---- the revision ---- */

/* git args... in dir: its exit code, stdout into *out (new); -1 after a line. */
static int git_output(const char *git, const char *dir, char *const *argv, char **out)
{
	int fd = memfd_create("steady-git", MFD_CLOEXEC), code = 0;
	enum spawn_result sr;
	off_t len;

	*out = NULL;
	if (fd < 0)
		return error("cannot capture git's output: %s", strerror(errno));
	sr = spawn_run_captured(git, argv, NULL, dir, fd, -1, &code);
	if (sr != SPAWN_OK) {
		close(fd);
		return -1;
	}
	len = lseek(fd, 0, SEEK_END);
	*out = xmalloc((size_t)(len > 0 ? len : 0) + 1);
	if (len > 0 && pread(fd, *out, (size_t)len, 0) != len) {
		error("cannot read git's output: %s", strerror(errno));
		close(fd);
		free(*out);
		*out = NULL;
		return -1;
	}
	(*out)[len > 0 ? len : 0] = '\0';
	close(fd);
	return code;
}

int history_git_revision(const char *dir, char **rev, int *dirty)
{
	char *git = spawn_find_program("git"), *out = NULL;
	int code;

	*rev = NULL;
	*dirty = 0;
	if (!git)
		return 1;
	code = git_output(git, dir, (char *[]){ "git", "rev-parse", "--verify", "-q", "HEAD", NULL },
			  &out);
	if (code) {
		free(git);
		free(out);
		return code < 0 ? -1 : 1;
	}
	out[strcspn(out, "\n")] = '\0';
	*rev = out;
	/* Untracked files are not the revision's: a build tree beside it is common. */
	code = git_output(git, dir, (char *[]){ "git", "status", "--porcelain",
						"--untracked-files=no", NULL }, &out);
	free(git);
	if (code) {
		free(out);
		free(*rev);
		*rev = NULL;
		return code < 0 ? -1 : error("'git status' failed (exit code %d)", code);
	}
	*dirty = out[0] != '\0';
	free(out);
	return 0;
}

/* ---- saving ---- */

static char *utc_now_text(void)
{
	char buf[32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

static char *num_text(double v)
{
	return isfinite(v) ? xasprintf("%.17g", v) : NULL;
}

/* The values as text: "%.17g" each, one space apart. */
static char *values_text(const double *v, size_t n)
{
	size_t alloc = n * 26 + 1, len = 0;
	char *s = xmalloc(alloc);

	s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, alloc - len, "%s%.17g", i ? " " : "", v[i]);
	return s;
}

static double *values_parse(const char *s, size_t *n)
{
	size_t alloc = 0;
	double *v = NULL;
	char *end;

	*n = 0;
	while (s && *s) {
		double x = strtod(s, &end);

		if (end == s)
			break;
		ALLOC_GROW(v, *n + 1, alloc);
		v[(*n)++] = x;
		s = end;
	}
	return v;
}

/* Median and its interval at HISTORY_POINT_ALPHA (NaN where none). */
static void median_interval(const double *v, size_t n, double *est, double *lo, double *hi)
{
	double *s;

	*est = *lo = *hi = NAN;
	if (!n)
		return;
	s = stats_sorted_copy(v, n);
	*est = stats_median_sorted(s, n);
	stats_median_ci_sorted(s, n, HISTORY_POINT_ALPHA, lo, hi);
	free(s);
}

static int machine_id(struct history *h, const struct host_info *host, int tuned, char **id)
{
	struct history_rows r = HISTORY_ROWS_INIT;
	char cpus[32], tuned_s[2] = { tuned ? '1' : '0', '\0' };
	const char *p[6];

	snprintf(cpus, sizeof(cpus), "%d", host->cpu_count);
	p[0] = host->hostname ? host->hostname : "unknown";
	p[1] = host->cpu_model ? host->cpu_model : "unknown";
	p[2] = cpus;
	p[3] = host->arch ? host->arch : "unknown";
	p[4] = host->kernel ? host->kernel : "unknown";
	p[5] = tuned_s;
	if (run_sql(h, "INSERT INTO machines (host, cpu_model, cpu_count, arch, kernel, tuned)"
		    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", p, 6, NULL) ||
	    run_sql(h, "SELECT id FROM machines WHERE host = ? AND cpu_model = ? AND cpu_count = ?"
		    " AND arch = ? AND kernel = ? AND tuned = ?", p, 6, &r))
		return -1;
	if (!r.nr) {
		history_rows_release(&r);
		return error("%s lost the machine it just recorded", h->where);
	}
	*id = cell_dup(&r, 0, 0);
	history_rows_release(&r);
	return 0;
}

static int insert_sample(struct history *h, const char *save_id, const char *metric,
			 const double *v, size_t n)
{
	double est, lo, hi;
	char *nn, *e, *l, *u, *vals;
	int ret;

	median_interval(v, n, &est, &lo, &hi);
	nn = xasprintf("%zu", n);
	e = num_text(est);
	l = num_text(lo);
	u = num_text(hi);
	vals = values_text(v, n);
	ret = run_sql(h, "INSERT INTO samples (save_id, metric, n, median, lo, hi, vals)"
		      " VALUES (?, ?, ?, ?, ?, ?, ?)",
		      (const char *[]){ save_id, metric, nn, e, l, u, vals }, 7, NULL);
	free(nn);
	free(e);
	free(l);
	free(u);
	free(vals);
	return ret;
}

static const char *const builtin_metric_names[] = { "wall", "user", "sys", "cpu", "maxrss" };

/* Every metric of b with values, one samples row each. */
static int insert_samples(struct history *h, const char *save_id, const struct benchmark *b)
{
	for (size_t i = 0; i < sizeof(builtin_metric_names) / sizeof(*builtin_metric_names); i++) {
		enum metric m;
		size_t n;
		double *v;
		int ret = 0;

		metric_builtin(builtin_metric_names[i], &m);
		v = benchmark_values(b, m, &n);
		if (n)
			ret = insert_sample(h, save_id, builtin_metric_names[i], v, n);
		free(v);
		if (ret)
			return -1;
	}
	for (size_t k = 0; k < b->nr_counters; k++) {
		size_t n;
		double *v = benchmark_count_values(b, k, &n);
		int ret = 0;

		if (n)
			ret = insert_sample(h, save_id, b->counters[k], v, n);
		free(v);
		if (ret)
			return -1;
	}
	return 0;
}

static int insert_save(struct history *h, const struct results *r, const struct benchmark *b,
		       const char *rev, int dirty, const char *machine, const char *saved,
		       const char *command, const char *metric)
{
	struct history_rows ids = HISTORY_ROWS_INIT;
	size_t n;
	double *wall = benchmark_values(b, METRIC_WALL, &n);
	char *runs = xasprintf("%zu", n), *argv = words_join(b->argv, b->argc);
	const char *p[11] = {
		b->name ? b->name : argv, rev, dirty ? "1" : "0", machine,
		r->created ? r->created : saved, saved, command, metric ? metric : "wall",
		r->steady_version ? r->steady_version : STEADY_VERSION, runs, argv
	};
	int ret;

	free(wall);
	ret = run_sql(h, "INSERT INTO saves (benchmark, revision, dirty, machine_id, measured, saved,"
		      " command, metric, steady_version, runs, argv)"
		      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", p, 11, &ids);
	if (!ret)
		ret = insert_samples(h, history_cell(&ids, 0, 0), b);
	history_rows_release(&ids);
	free(runs);
	free(argv);
	return ret;
}

int history_record(struct history *h, const struct results *r, const char *rev,
		   int dirty, const char *command, const char *metric, size_t *saved)
{
	char *machine = NULL, *now = utc_now_text();
	size_t count = 0;

	if (h->be->begin_write(h->conn))
		goto fail_free;
	if (machine_id(h, &r->host, r->system_checked && !r->nr_system_warnings, &machine))
		goto fail;
	for (size_t i = 0; i < r->nr_benchmarks; i++) {
		const struct benchmark *b = &r->benchmarks[i];

		if (b->stop != STOP_COMPLETED)
			continue;
		if (insert_save(h, r, b, rev, dirty, machine, now, command, metric))
			goto fail;
		count++;
	}
	if (run_sql(h, "COMMIT", NULL, 0, NULL))
		goto fail;
	free(machine);
	free(now);
	if (saved)
		*saved = count;
	return 0;
fail:
	run_sql(h, "ROLLBACK", NULL, 0, NULL);
fail_free:
	free(machine);
	free(now);
	return -1;
}

/* ---- reading ---- */

static void machine_from_row(struct history_machine *m, const struct history_rows *r,
			     size_t i, size_t col)
{
	m->id = cell_ll(r, i, col);
	m->host = cell_dup(r, i, col + 1);
	m->cpu_model = cell_dup(r, i, col + 2);
	m->cpu_count = (int)cell_ll(r, i, col + 3);
	m->arch = cell_dup(r, i, col + 4);
	m->kernel = cell_dup(r, i, col + 5);
	m->tuned = (int)cell_ll(r, i, col + 6);
}

static void machine_release(struct history_machine *m)
{
	free(m->host);
	free(m->cpu_model);
	free(m->arch);
	free(m->kernel);
	memset(m, 0, sizeof(*m));
}

#define MACHINE_COLUMNS "m.id, m.host, m.cpu_model, m.cpu_count, m.arch, m.kernel, m.tuned"

/* The names there are, for an error line: "a, b, c" (new string). */
static char *known_names(struct history *h, const char *sql, const char *const *p, size_t np)
{
	struct history_rows r = HISTORY_ROWS_INIT;
	char *list = NULL;

	if (run_sql(h, sql, p, np, &r))
		return xstrdup("?");
	for (size_t i = 0; i < r.nr && i < 8; i++) {
		char *next = xasprintf("%s%s'%s'", list ? list : "", list ? ", " : "",
				       history_cell(&r, i, 0) ? history_cell(&r, i, 0) : "");

		free(list);
		list = next;
	}
	if (r.nr > 8) {
		char *next = xasprintf("%s, ...", list);

		free(list);
		list = next;
	}
	history_rows_release(&r);
	return list ? list : xstrdup("none");
}

static int unknown_benchmark(struct history *h, const char *name)
{
	char *names = known_names(h, "SELECT DISTINCT benchmark FROM saves ORDER BY benchmark",
				  NULL, 0);

	error("no saved results named '%s' in %s (there are: %s)", name, h->where, names);
	free(names);
	return -1;
}

int history_series(struct history *h, const char *name, const char *metric,
		   struct history_series *out)
{
	return history_series_with(h, name, metric, NULL, out);
}

static struct history_point *point_of(struct history_machine_series *m, const char *rev,
				      int dirty, size_t *alloc)
{
	for (size_t i = 0; i < m->nr_points; i++)
		if (m->points[i].dirty == dirty && !strcmp(m->points[i].revision, rev))
			return &m->points[i];
	ALLOC_GROW(m->points, m->nr_points + 1, *alloc);
	memset(&m->points[m->nr_points], 0, sizeof(*m->points));
	return &m->points[m->nr_points++];
}

int history_series_with(struct history *h, const char *name, const char *metric,
			const struct changepoint_options *o, struct history_series *out)
{
	struct history_rows r = HISTORY_ROWS_INIT;
	size_t alloc_machines = 0, *alloc_points = NULL;

	memset(out, 0, sizeof(*out));
	if (o)
		out->options = *o;
	else
		changepoint_options_init(&out->options);
	out->name = xstrdup(name);
	if (!metric) {
		if (run_sql(h, "SELECT metric FROM saves WHERE benchmark = ? ORDER BY measured DESC, id DESC",
			    (const char *[]){ name }, 1, &r))
			goto fail;
		if (!r.nr) {
			unknown_benchmark(h, name);
			goto fail;
		}
		out->metric = cell_dup(&r, 0, 0);
		history_rows_release(&r);
	} else {
		out->metric = xstrdup(metric);
	}
	out->unit = metric_unit(!strcmp(out->metric, "wall") ? NULL : out->metric);
	if (run_sql(h, "SELECT " MACHINE_COLUMNS ", s.revision, s.dirty, s.measured, sm.vals"
		    " FROM saves s JOIN machines m ON m.id = s.machine_id"
		    " JOIN samples sm ON sm.save_id = s.id"
		    " WHERE s.benchmark = ? AND sm.metric = ? AND sm.n > 0"
		    " ORDER BY m.id, s.measured, s.id",
		    (const char *[]){ name, out->metric }, 2, &r))
		goto fail;
	if (!r.nr) {
		struct history_rows any = HISTORY_ROWS_INIT;
		char *metrics;

		if (run_sql(h, "SELECT count(*) FROM saves WHERE benchmark = ?",
			    (const char *[]){ name }, 1, &any))
			goto fail;
		if (!cell_ll(&any, 0, 0)) {
			history_rows_release(&any);
			unknown_benchmark(h, name);
			goto fail;
		}
		history_rows_release(&any);
		metrics = known_names(h, "SELECT DISTINCT sm.metric FROM samples sm"
				      " JOIN saves s ON s.id = sm.save_id WHERE s.benchmark = ?"
				      " ORDER BY sm.metric", (const char *[]){ name }, 1);
		error("'%s' has no saved values of metric '%s' (it has: %s)", name, out->metric, metrics);
		free(metrics);
		goto fail;
	}
	for (size_t i = 0; i < r.nr; i++) {
		struct history_machine_series *m = out->nr_machines ?
			&out->machines[out->nr_machines - 1] : NULL;
		struct history_point *p;
		size_t n;
		double *v;

		if (!m || m->machine.id != cell_ll(&r, i, 0)) {
			ALLOC_GROW(out->machines, out->nr_machines + 1, alloc_machines);
			alloc_points = xrealloc(alloc_points, alloc_machines * sizeof(*alloc_points));
			m = &out->machines[out->nr_machines];
			memset(m, 0, sizeof(*m));
			alloc_points[out->nr_machines++] = 0;
			machine_from_row(&m->machine, &r, i, 0);
			changepoint_result_init(&m->steps);
		}
		p = point_of(m, history_cell(&r, i, 7), (int)cell_ll(&r, i, 8),
			     &alloc_points[out->nr_machines - 1]);
		if (!p->revision) {
			p->revision = cell_dup(&r, i, 7);
			p->dirty = (int)cell_ll(&r, i, 8);
			p->date = cell_dup(&r, i, 9);
		}
		v = values_parse(history_cell(&r, i, 10), &n);
		p->values = xrealloc(p->values, (p->n + n + 1) * sizeof(*p->values));
		memcpy(p->values + p->n, v, n * sizeof(*v));
		p->n += n;
		p->saves++;
		free(v);
	}
	history_rows_release(&r);
	free(alloc_points);
	for (size_t k = 0; k < out->nr_machines; k++) {
		struct history_machine_series *m = &out->machines[k];
		struct changepoint_point *cp = xcalloc(m->nr_points, sizeof(*cp));

		for (size_t i = 0; i < m->nr_points; i++) {
			struct history_point *p = &m->points[i];

			median_interval(p->values, p->n, &p->estimate, &p->lo, &p->hi);
			cp[i].values = p->values;
			cp[i].n = p->n;
		}
		changepoint_find(cp, m->nr_points, &out->options, &m->steps);
		free(cp);
	}
	return 0;
fail:
	history_rows_release(&r);
	free(alloc_points);
	history_series_release(out);
	return -1;
}

void history_series_release(struct history_series *s)
{
	for (size_t k = 0; k < s->nr_machines; k++) {
		struct history_machine_series *m = &s->machines[k];

		for (size_t i = 0; i < m->nr_points; i++) {
			free(m->points[i].revision);
			free(m->points[i].date);
			free(m->points[i].values);
		}
		free(m->points);
		machine_release(&m->machine);
		changepoint_result_release(&m->steps);
	}
	free(s->machines);
	free(s->name);
	free(s->metric);
	memset(s, 0, sizeof(*s));
}

const struct changepoint *history_latest_regression(const struct history_machine_series *m)
{
	const struct changepoint *last;

	if (!m->steps.nr)
		return NULL;
	last = &m->steps.steps[m->steps.nr - 1];
	return last->c.verdict == VERDICT_SLOWER ? last : NULL;
}

int history_list(struct history *h, struct history_list *out)
{
	struct history_rows r = HISTORY_ROWS_INIT;

	memset(out, 0, sizeof(*out));
	if (run_sql(h, "SELECT benchmark, count(*), count(DISTINCT revision),"
		    " count(DISTINCT machine_id), min(measured), max(measured)"
		    " FROM saves GROUP BY benchmark ORDER BY benchmark", NULL, 0, &r))
		return -1;
	ALLOC_GROW(out->e, r.nr, out->alloc);
	for (size_t i = 0; i < r.nr; i++) {
		struct history_entry *e = &out->e[out->nr++];

		e->name = cell_dup(&r, i, 0);
		e->saves = (size_t)cell_ll(&r, i, 1);
		e->revisions = (size_t)cell_ll(&r, i, 2);
		e->machines = (size_t)cell_ll(&r, i, 3);
		e->first = cell_dup(&r, i, 4);
		e->last = cell_dup(&r, i, 5);
	}
	history_rows_release(&r);
	return 0;
}

void history_list_release(struct history_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		free(l->e[i].name);
		free(l->e[i].first);
		free(l->e[i].last);
	}
	free(l->e);
	memset(l, 0, sizeof(*l));
}

int history_show(struct history *h, const char *name, struct history_saves *out)
{
	struct history_rows r = HISTORY_ROWS_INIT;

	memset(out, 0, sizeof(*out));
	if (run_sql(h, "SELECT " MACHINE_COLUMNS ", s.id, s.measured, s.revision, s.dirty,"
		    " s.command, s.metric, s.runs, sm.median, sm.lo, sm.hi"
		    " FROM saves s JOIN machines m ON m.id = s.machine_id"
		    " LEFT JOIN samples sm ON sm.save_id = s.id AND sm.metric = s.metric"
		    " WHERE s.benchmark = ? ORDER BY s.measured, s.id",
		    (const char *[]){ name }, 1, &r))
		return -1;
	if (!r.nr) {
		history_rows_release(&r);
		return unknown_benchmark(h, name);
	}
	ALLOC_GROW(out->s, r.nr, out->alloc);
	for (size_t i = 0; i < r.nr; i++) {
		struct history_save *s = &out->s[out->nr++];

		machine_from_row(&s->machine, &r, i, 0);
		s->id = cell_ll(&r, i, 7);
		s->date = cell_dup(&r, i, 8);
		s->revision = cell_dup(&r, i, 9);
		s->dirty = (int)cell_ll(&r, i, 10);
		s->command = cell_dup(&r, i, 11);
		s->metric = cell_dup(&r, i, 12);
		s->runs = (size_t)cell_ll(&r, i, 13);
		s->estimate = cell_double(&r, i, 14);
		s->lo = cell_double(&r, i, 15);
		s->hi = cell_double(&r, i, 16);
	}
	history_rows_release(&r);
	return 0;
}

void history_saves_release(struct history_saves *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		struct history_save *s = &l->s[i];

		free(s->date);
		free(s->revision);
		free(s->command);
		free(s->metric);
		machine_release(&s->machine);
	}
	free(l->s);
	memset(l, 0, sizeof(*l));
}
