/*
 * util: messages, checked allocation and number parsing shared by every module.
 *
 * Messages follow one shape: "steady: error: cannot open 'x.json'" (lowercase,
 * no full stop, the subject quoted). error() prints and returns -1 so library
 * code can hand failure back to its caller; only commands decide to exit.
 * The x*() allocators never return NULL: running out of memory ends the
 * process with exit code 2, the one place the library exits.
 */
#ifndef STEADY_UTIL_H
#define STEADY_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sched.h>
#include <time.h>

#define STEADY_VERSION "0.1.0"

/* Exit codes documented in README.md and `steady --help`. */
enum exit_code {
	EXIT_OK = 0,
	EXIT_FAILED = 1,       /* a benchmarked command failed, or a regression gate tripped */
	EXIT_USAGE = 2,        /* bad options or input */
	EXIT_INTERRUPTED = 130 /* SIGINT, SIGTERM, SIGHUP, SIGQUIT; what was measured is saved */
};

int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grow *array (of elem bytes each) so it holds at least need elements. */
void grow_array(void **array, size_t *alloc, size_t need, size_t elem);
#define ALLOC_GROW(arr, need, alloc) \
	grow_array((void **)&(arr), &(alloc), (need), sizeof(*(arr)))

/*
 * Strict parsers: the whole string must be a number in range, no sign
 * surprises, no trailing junk. Return 0 on success, -1 otherwise (nothing
 * printed: the caller names the option in its message).
 */
int parse_uint(const char *s, unsigned long max, unsigned long *out);
int parse_seconds(const char *s, double *out); /* accepts "2", "0.5", "1.5s", "300ms" */
int parse_number(const char *s, double *out);  /* a finite number >= 0 */

int64_t timespec_to_ns(const struct timespec *ts);
int64_t monotonic_ns(void);

/*
 * The option getopt_long just refused, as the user wrote it ("-x",
 * "--frobnicate"), after it returned '?' or ':'. Static buffer.
 */
const char *option_culprit(int argc, char **argv);
/*
 * After getopt_long returned ':' (opt) or anything unknown: one error line
 * naming the option and `steady COMMAND --help`; returns -1.
 */
int option_error(const char *command, int opt, int argc, char **argv);

/* 1 when colour may be used on this fd: a terminal and NO_COLOR unset. */
int use_color(int fd);

/* Parses a CPU list like "0", "0,2" or "0-3,6" into set; 0 or -1. */
int parse_cpu_list(const char *s, cpu_set_t *set);

#endif
