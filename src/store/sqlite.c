/*
 * sqlite: the history store in one SQLite file (store/backend.h).
 *
 * Writers take the file's write lock up front (BEGIN IMMEDIATE) and wait
 * for it up to HISTORY_SQLITE_BUSY_MS: two steady processes saving at once
 * queue, neither fails nor loses its save. The rollback journal (SQLite's
 * default) is kept: a history.db is then one file between saves, which
 * can be copied or deleted whole (docs/history.md). SQLite itself refuses
 * a file that is not a database (SQLITE_NOTADB) before anything is
 * written, which is what keeps a foreign file intact.
 */
#include "store/backend.h"
#include "lib/util.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HISTORY_SQLITE_BUSY_MS 60000

struct sqlite_conn {
	sqlite3 *db;
	char *path;
};

static int db_error(struct sqlite_conn *c, const char *what)
{
	int code = sqlite3_errcode(c->db);

	if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
		return error("'%s' is not a steady history database, or is damaged (%s); it was left as it is",
			     c->path, sqlite3_errmsg(c->db));
	return error("cannot %s history database '%s': %s", what, c->path, sqlite3_errmsg(c->db));
}

/* mkdir -p of path's directory. */
static int make_parent(const char *path)
{
	char *dir = xstrdup(path), *p;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) && errno != EEXIST) {
			error("cannot create directory '%s': %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
		*p = '/';
	}
	free(dir);
	return 0;
}

static int sqlite_open(void **conn, const char *where, int create, char **label)
{
	struct sqlite_conn *c = xcalloc(1, sizeof(*c));
	struct stat st;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	c->path = xstrdup(where);
	if (stat(where, &st)) {
		if (!create) {
			error("no history database at '%s' (steady run --save makes one)", where);
			goto fail;
		}
		if (make_parent(where))
			goto fail;
		flags |= SQLITE_OPEN_CREATE;
	} else if (S_ISDIR(st.st_mode)) {
		error("history database '%s' is a directory", where);
		goto fail;
	}
	if (sqlite3_open_v2(where, &c->db, flags, NULL) != SQLITE_OK) {
		if (!c->db) {
			error("cannot open history database '%s': out of memory", where);
			goto fail;
		}
		db_error(c, "open");
		goto fail;
	}
	sqlite3_busy_timeout(c->db, HISTORY_SQLITE_BUSY_MS);
	sqlite3_extended_result_codes(c->db, 0);
	*conn = c;
	*label = xasprintf("'%s'", where);
	return 0;
fail:
	sqlite3_close(c->db);
	free(c->path);
	free(c);
	return -1;
}

static void sqlite_close(void *conn)
{
	struct sqlite_conn *c = conn;

	if (!c)
		return;
	sqlite3_close(c->db);
	free(c->path);
	free(c);
}

static int sqlite_exec(void *conn, const char *sql, const char *const *params, size_t nparams,
		       struct history_rows *out)
{
	struct sqlite_conn *c = conn;
	sqlite3_stmt *st = NULL;
	int rc, cols;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(c, "read");
	for (size_t i = 0; i < nparams; i++) {
		rc = params[i] ? sqlite3_bind_text(st, (int)i + 1, params[i], -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st, (int)i + 1);
		if (rc != SQLITE_OK) {
			sqlite3_finalize(st);
			return db_error(c, "read");
		}
	}
	cols = sqlite3_column_count(st);
	if (out)
		out->cols = (size_t)cols;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!out)
			continue;
		ALLOC_GROW(out->cell, (out->nr + 1) * out->cols, out->alloc);
		for (int j = 0; j < cols; j++) {
			const unsigned char *t = sqlite3_column_text(st, j);

			out->cell[out->nr * out->cols + (size_t)j] = t ? xstrdup((const char *)t) : NULL;
		}
		out->nr++;
	}
	if (rc != SQLITE_DONE) {
		/* The message is the statement's: finalize after reading it. */
		db_error(c, "write to");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int sqlite_begin_write(void *conn)
{
	struct sqlite_conn *c = conn;

	if (sqlite_exec(conn, "PRAGMA foreign_keys = ON", NULL, 0, NULL))
		return -1;
	if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(c, "lock");
	return 0;
}

const struct history_backend history_sqlite = {
	.name = "SQLite",
	.id_column = "INTEGER PRIMARY KEY",
	.sql_tables = "SELECT count(*), coalesce(sum(name = 'steady_meta'), 0)"
		      " FROM sqlite_master WHERE type = 'table'",
	.open = sqlite_open,
	.close = sqlite_close,
	.begin_write = sqlite_begin_write,
	.exec = sqlite_exec,
};
