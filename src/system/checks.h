/*
 * checks: the sources of noise `steady system` looks at, one entry
 * each in a table: a show function that reads the machine and says OK,
 * WARNING or N/A with the value found and what to do, and — where steady
 * can change it — a tune function that writes the better value through
 * tune_write(), which remembers the old one for `reset` (system/state.h).
 * Formatting is the caller's: a check only fills a struct check_result.
 *
 * Every read and write goes through a struct sysroot, so tests run the
 * checks on a fake tree. Strings in a check_result are owned by it.
 */
#ifndef STEADY_SYSTEM_CHECKS_H
#define STEADY_SYSTEM_CHECKS_H

#include <stddef.h>
#include "system/sysroot.h"
#include "system/state.h"

enum check_state { CHECK_OK, CHECK_WARNING, CHECK_NA };

/* "OK", "WARNING", "N/A". */
const char *check_state_name(enum check_state s);

struct check_result {
	enum check_state state;
	char *value;    /* what was found: "powersave (cpu0-1)" */
	char *advice;   /* what to do about a WARNING (or why N/A); may be NULL */
	int fixable;    /* a WARNING that `steady system tune` can fix here */
};

void check_result_release(struct check_result *r);

/* Reported for every write tune makes or fails to make; failure is NULL
 * when it was made, else why not (a refusal of system/knobs.h or errno's text). */
typedef void (*tune_report_fn)(void *ctx, const char *path, const char *old_value,
			       const char *new_value, const char *failure);

struct tune_ctx {
	const struct sysroot *root;
	const char *check;            /* name of the check tuning */
	struct system_state *state;   /* where old values are remembered */
	tune_report_fn report;
	void *report_ctx;
	size_t writes, failed;
};

/*
 * Sets path to value, remembering the old value first; a path already at
 * value is left alone. Writes go through system/knobs.h: only the knobs
 * listed there, never through a symbolic link. Reports the outcome; 0, or
 * -1 when the write failed or was refused.
 */
int tune_write(struct tune_ctx *t, const char *path, const char *value);
/* The same, saving previous (what reset must write) instead of the file's text. */
int tune_write_saving(struct tune_ctx *t, const char *path, const char *value,
		      const char *previous);

struct system_check {
	const char *name;    /* "cpu-governor": stable, used in JSON and state */
	const char *title;   /* "CPU frequency governor" */
	void (*show)(const struct sysroot *r, struct check_result *out);
	/* NULL when steady cannot change it (the advice says how to). */
	void (*tune)(struct tune_ctx *t);
};

const struct system_check *system_checks(size_t *nr);

/*
 * The WARNINGs of every check on root, as "name: value" strings (new
 * array of new strings, *nr of them), for the metadata of results.
 */
char **system_warnings(const struct sysroot *r, size_t *nr);

/*
 * Runs the checks on this machine for a results file about to be measured:
 * stores the warnings in r (its "system" record) and, when there are any,
 * adds one compact warning to each of r's benchmarks naming them.
 */
struct results;
void system_record(struct results *r);

#endif
