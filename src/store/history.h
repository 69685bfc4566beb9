/*
 * history: results over time (docs/history.md). `--save` records what a
 * measuring command measured, keyed by benchmark name, revision, machine
 * (host, CPU, kernel, tuned or not) and date; `steady history` and
 * `steady report --history` read it back as series, one per machine.
 *
 * One schema (history.c: its version and migrations) in one of two
 * stores, behind store/backend.h: an SQLite file (the default,
 * $XDG_DATA_HOME/steady/history.db) or a PostgreSQL database named by a
 * postgresql:// or postgres:// URL, for a fleet. Every write is one
 * transaction (BEGIN IMMEDIATE with a busy timeout in SQLite; BEGIN and an
 * advisory lock in PostgreSQL), so steady processes saving at once lose
 * nothing and a reader never sees half a save. A file or database that is
 * not steady's, or is damaged, is one error line and is never written to.
 *
 * Ownership: struct history owns its connection (history_close() ends
 * it). Everything history_series() and history_list() hand back is owned
 * by the struct they fill, strings and arrays included, until its
 * _release(); the results given to history_record() are only read. Every
 * function returns 0, or -1 after one error line.
 */
#ifndef STEADY_HISTORY_H
#define STEADY_HISTORY_H

#include <stddef.h>

#include "analyse/changepoint.h"
#include "formats/results.h"

/* What schema_version a database of this steady holds (docs/history.md). */
#define HISTORY_SCHEMA_VERSION 1

struct history_backend;

struct history {
	const struct history_backend *be;
	void *conn;
	char *where;   /* the file, or "PostgreSQL database 'name'": for messages */
};

/* The store $XDG_DATA_HOME/steady/history.db, else ~/.local/share/...: new string. */
char *history_default_path(void);

/*
 * Opens the store at where (a path, or a postgresql:// URL; NULL the
 * default file). create: a missing file or an empty database gets the
 * schema (the writers: --save); otherwise a missing store is an error
 * that says how to make one. An older schema is migrated in place, in
 * one transaction.
 */
int history_open(struct history *h, const char *where, int create);
void history_close(struct history *h);

/* The revision of the git work tree at dir (NULL: here): HEAD's commit
 * and whether tracked files differ from it. 0; 1 when dir is in no git
 * work tree (or git is missing); -1 after one line. *rev is new. */
int history_git_revision(const char *dir, char **rev, int *dirty);

/*
 * Records every benchmark of r that ran to completion (its every metric:
 * wall, user, sys, cpu, maxrss and each count) as one save of revision
 * rev on this machine (r->host, and tuned when the system checks found
 * nothing), measured at r->created. command is the steady command that
 * measured ("run"); metric is the --metric it analysed (NULL wall). One
 * transaction for all of them. *saved (may be NULL) gets how many.
 */
int history_record(struct history *h, const struct results *r, const char *rev,
		   int dirty, const char *command, const char *metric, size_t *saved);

/* A machine as saves are keyed by it. */
struct history_machine {
	long long id;
	char *host, *cpu_model, *arch, *kernel;
	int cpu_count;
	int tuned;     /* measured with no system warnings (steady system show) */
};

/* One revision on one machine: every run of the metric saved for it. */
struct history_point {
	char *revision;
	int dirty;               /* saved from a work tree with changes */
	char *date;              /* the first save's measuring date (ISO 8601 UTC) */
	size_t saves;            /* how many saves pooled */
	double *values;          /* n runs' values, in saving order */
	size_t n;
	double estimate;         /* median of the values */
	double lo, hi;           /* its 95% sign-test interval; NaN under 6 runs */
};

/* The series of one machine: revisions in the order first measured. */
struct history_machine_series {
	struct history_machine machine;
	struct history_point *points;
	size_t nr_points;
	struct changepoint_result steps;  /* points[steps.steps[i].at] began each */
};

struct history_series {
	char *name;
	char *metric;            /* as asked, or that of the latest save */
	int unit;                /* enum value_unit (lib/units.h) of the values */
	struct history_machine_series *machines;  /* never two machines mixed */
	size_t nr_machines;
	struct changepoint_options options;       /* what the steps were found with */
};

/*
 * The series of benchmark name's metric (NULL: the metric its latest save
 * analysed), one per machine, with the steps found in each under o (NULL:
 * changepoint_options_init()'s). An unknown name or metric is an error
 * line that names what there is.
 */
int history_series(struct history *h, const char *name, const char *metric,
		   struct history_series *out);
int history_series_with(struct history *h, const char *name, const char *metric,
			const struct changepoint_options *o, struct history_series *out);
void history_series_release(struct history_series *s);

/* The latest step of m when it is SLOWER: a regression; NULL otherwise. */
const struct changepoint *history_latest_regression(const struct history_machine_series *m);

/* A benchmark in the store, for `steady history list`. */
struct history_entry {
	char *name;
	size_t saves, revisions, machines;
	char *first, *last;      /* measuring dates */
};

struct history_list {
	struct history_entry *e;
	size_t nr, alloc;
};
int history_list(struct history *h, struct history_list *out);
void history_list_release(struct history_list *l);

/* One save, for `steady history show`. */
struct history_save {
	long long id;
	char *date, *revision, *command, *metric;
	int dirty;
	struct history_machine machine;
	size_t runs;
	double estimate, lo, hi;   /* of its metric: median and 95% interval */
};

struct history_saves {
	struct history_save *s;
	size_t nr, alloc;
};
/* Every save of name, oldest first; an unknown name is an error. */
int history_show(struct history *h, const char *name, struct history_saves *out);
void history_saves_release(struct history_saves *l);

#endif
