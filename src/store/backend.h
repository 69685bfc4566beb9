/*
 * backend: what history.c needs of a database, and the two that provide
 * it (sqlite.c, postgres.c). history.c writes its SQL once, with ?
 * placeholders; a backend runs it with text parameters and hands every
 * cell back as text, so the schema and queries are shared and only
 * connecting, locking and a few catalogue queries differ.
 *
 * Ownership: a backend's connection (void *) is created by open() and
 * freed by close(); rows filled by exec() belong to the caller until
 * history_rows_release(). Every function prints one error line (naming
 * the store) before it returns -1.
 */
#ifndef STEADY_STORE_BACKEND_H
#define STEADY_STORE_BACKEND_H

#include <stddef.h>

struct history_rows {
	size_t nr, cols;
	char **cell;     /* nr * cols strings, NULL for SQL NULL */
	size_t alloc;
};
#define HISTORY_ROWS_INIT { 0, 0, NULL, 0 }
void history_rows_release(struct history_rows *r);
/* Row i's column j: a string, or NULL. */
const char *history_cell(const struct history_rows *r, size_t i, size_t j);

struct history_backend {
	const char *name;          /* "SQLite", "PostgreSQL" */
	const char *id_column;     /* the type of an id that numbers itself */
	/*
	 * SQL giving one row: how many tables the store holds, and how many
	 * of them are steady_meta. One statement, so both come from one
	 * snapshot: a store another process is creating at that moment is
	 * seen either empty or complete, never as someone else's tables.
	 */
	const char *sql_tables;
	/*
	 * Connects to where. create: a missing store may be made (the SQLite
	 * file and its directory); else a missing one is an error. *label is
	 * a new string naming the store in messages.
	 */
	int (*open)(void **conn, const char *where, int create, char **label);
	void (*close)(void *conn);
	/* A transaction that writes: no other writer until commit or rollback. */
	int (*begin_write)(void *conn);
	/* One statement; rows into out (may be NULL, then none kept). */
	int (*exec)(void *conn, const char *sql, const char *const *params, size_t nparams,
		    struct history_rows *out);
};

extern const struct history_backend history_sqlite;
extern const struct history_backend history_postgres;

#endif
