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
#include "lib/optdoc.h"

#define STEADY_VERSION "0.1.0"

/* Exit codes documented in README.md and `steady --help`. */
enum exit_code {
	EXIT_OK = 0,
	EXIT_FAILED = 1,       /* a benchmarked command failed, or a regression gate tripped */
	EXIT_USAGE = 2,        /* bad options or input */
	EXIT_NOT_TUNED = 3,    /* `steady system show --check`: the machine has warnings */
	EXIT_INTERRUPTED = 130 /* SIGINT, SIGTERM, SIGHUP, SIGQUIT; what was measured is saved */
};

int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A note of progress ("build 3 of 8 ..."): on a terminal only, nothing in logs and pipes. */
void note_on_terminal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

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

/* All of buf to fd, again after EINTR and short writes: 0, or -1 with errno set. */
int write_all(int fd, const void *buf, size_t len);

int64_t timespec_to_ns(const struct timespec *ts);
int64_t monotonic_ns(void);

/*
 * The one option loop of every command: getopt_long(), except that a long
 * option must be typed in full. getopt_long takes any unique prefix
 * ("--out" for "--output", "--seed" for "--seeds"); a name another tool
 * spells differently would then do something else silently, so a prefix
 * is refused: '?' is returned and option_error() names the word typed and
 * the option it would have been. optind, optarg and optopt are getopt's.
 */
int option_next(int argc, char **argv, const char *shortopts,
		const struct option *longopts);

/*
 * The option getopt_long just refused, as the user wrote it ("-x",
 * "--frobnicate"), after it returned '?' or ':'. Static buffer.
 */
const char *option_culprit(int argc, char **argv);
/*
 * After option_next() returned ':' (opt) or anything unknown: one error
 * line naming the option and `steady COMMAND --help`; returns -1. A
 * refused prefix is named with the option it abbreviates; hyperfine's
 * --output (given to a command with -o FILE) with steady's -o, --json
 * and --show-output.
 */
int option_error(const char *command, int opt, int argc, char **argv);

/*
 * --version of every command (as `steady --version`): "steady 0.1.0" on
 * stdout. The option table entry (lib/optdoc.h) is OPTION_VERSION, its
 * value 'V'.
 */
#define OPTION_VERSION OPTDOC(NULL, "version", 'V', NULL, "print steady's version")
/* -h, --help of every command, its value 'h'. */
#define OPTION_HELP OPTDOC("h", "help", 'h', NULL, "this text")
void print_version(void);

/*
 * -o FILE and --json (OPTION_JSON(help), value 'J'), the same as -o -: where a
 * command's results go. Called with 'o' and its argument or 'J'; sets
 * *output ("-" for --json). A file and stdout both asked for is an error:
 * -1 after one line; else 0 (of two files, the last wins).
 */
#define OPTION_JSON(help) OPTDOC(NULL, "json", 'J', NULL, help)
/* hyperfine's spelling of -o FILE, the same option */
#define OPTION_EXPORT_JSON \
	OPTDOC(NULL, "export-json", 'o', "FILE", "the same as -o FILE (hyperfine's name for it)")
int output_option(const char **output, int opt, const char *arg);

/*
 * --color=auto|always|never (OPTION_COLOR, value OPT_COLOR): 0, or -1
 * after one error line. auto, the default, colours a terminal unless
 * NO_COLOR is set (and not empty); always and never override NO_COLOR.
 */
#define OPT_COLOR 4096
#define OPTION_COLOR \
	OPTDOC(NULL, "color", OPT_COLOR, "WHEN", \
	       "auto (default: on a terminal, unless NO_COLOR is set),\nalways or never")
int color_option(const char *arg);
/* 1 when colour may be used on this fd, by --color and NO_COLOR. */
int use_color(int fd);

/*
 * Parses a CPU list like "0", "0,2" or "0-3,6" into set; 0 or -1. Every
 * CPU must be below CPU_SETSIZE (1024, CPU_LIST_LIMIT_TEXT): a cpu_set_t
 * holds no more, so steady can pin to no other.
 */
#define CPU_LIST_LIMIT_TEXT "1024"
int parse_cpu_list(const char *s, cpu_set_t *set);

#endif
