/*
 * util: see util.h. Messages go to stderr, prefixed "steady: ".
 */
#include "lib/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <getopt.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A message is printed whole, however long (a path of thousands of bytes
 * must not cut off the reason at its end): the stack buffer serves the
 * usual line, a longer one is formatted again into the heap. Only when
 * that memory cannot be had is the short form printed, marked as cut.
 */
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char msg[4096], *whole = NULL;
	va_list again;
	int len;

	va_copy(again, ap);
	len = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (len >= (int)sizeof(msg)) {
		whole = malloc((size_t)len + 1);
		if (whole)
			vsnprintf(whole, (size_t)len + 1, fmt, again);
	}
	va_end(again);
	if (len < 0)
		fprintf(stderr, "steady: %s(a message that cannot be formatted: %s)\n", prefix, fmt);
	else
		fprintf(stderr, "steady: %s%s%s\n", prefix, whole ? whole : msg,
			len >= (int)sizeof(msg) && !whole ? " [cut: out of memory]" : "");
	free(whole);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void note_on_terminal(const char *fmt, ...)
{
	va_list ap;

	if (!isatty(STDERR_FILENO))
		return;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

static void *check_alloc(void *p)
{
	if (!p) {
		fputs("steady: error: out of memory\n", stderr);
		exit(EXIT_USAGE);
	}
	return p;
}

void *xmalloc(size_t size)
{
	return check_alloc(malloc(size ? size : 1));
}

void *xcalloc(size_t nmemb, size_t size)
{
	return check_alloc(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

void *xrealloc(void *ptr, size_t size)
{
	return check_alloc(realloc(ptr, size ? size : 1));
}

char *xstrdup(const char *s)
{
	return check_alloc(strdup(s));
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		return check_alloc(NULL);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void grow_array(void **array, size_t *alloc, size_t need, size_t elem)
{
	size_t n = *alloc;

	if (need <= n)
		return;
	n = n ? n : 16;
	while (n < need)
		n *= 2;
	*array = xrealloc(*array, n * elem);
	*alloc = n;
}

int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* A finite number >= 0 followed by *end (the caller checks the suffix). */
static int parse_number_prefix(const char *s, double *out, char **end)
{
	double v;

	/* Plain decimal only: no blanks, signs, hex ("0x10") or "-0". */
	if (!s || !(isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))))
		return -1;
	errno = 0;
	v = strtod(s, end);
	if (errno || *end == s || !isfinite(v) || v < 0 || !strncasecmp(s, "0x", 2))
		return -1;
	*out = v;
	return 0;
}

int parse_number(const char *s, double *out)
{
	char *end;
	double v;

	if (parse_number_prefix(s, &v, &end) || *end)
		return -1;
	*out = v;
	return 0;
}

int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (parse_number_prefix(s, &v, &end))
		return -1;
	if (!strcmp(end, "ms"))
		v *= 1e-3;
	else if (*end && strcmp(end, "s"))
		return -1;
	/* A year is plenty; beyond, nanosecond arithmetic would overflow. */
	if (v > 3.2e7)
		return -1;
	*out = v;
	return 0;
}

int64_t timespec_to_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return timespec_to_ns(&ts);
}

static enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color_mode;

int color_option(const char *arg)
{
	if (!strcmp(arg, "auto"))
		color_mode = COLOR_AUTO;
	else if (!strcmp(arg, "always"))
		color_mode = COLOR_ALWAYS;
	else if (!strcmp(arg, "never"))
		color_mode = COLOR_NEVER;
	else
		return error("invalid value for --color: '%s' (expected auto, always or never)", arg);
	return 0;
}

int use_color(int fd)
{
	const char *no_color = getenv("NO_COLOR");

	if (color_mode != COLOR_AUTO)
		return color_mode == COLOR_ALWAYS;
	if (no_color && *no_color)
		return 0;
	return isatty(fd);
}

int output_option(const char **output, int opt, const char *arg)
{
	const char *now = opt == 'J' ? "-" : arg;

	if (*output && (!strcmp(*output, "-") != !strcmp(now, "-")))
		return error("--json (or -o -) writes the results to stdout, -o '%s' to a file: give one",
			     strcmp(now, "-") ? now : *output);
	*output = now;
	return 0;
}

void print_version(void)
{
	printf("steady %s\n", STEADY_VERSION);
}

_Static_assert(CPU_SETSIZE == 1024, "CPU_LIST_LIMIT_TEXT names CPU_SETSIZE");

int parse_cpu_list(const char *s, cpu_set_t *set)
{
	const char *p = s;

	CPU_ZERO(set);
	if (!s || !*s)
		return -1;
	for (;;) {
		char *end;
		unsigned long lo, hi;

		if (*p < '0' || *p > '9')
			return -1;
		lo = strtoul(p, &end, 10);
		hi = lo;
		p = end;
		if (*p == '-') {
			p++;
			if (*p < '0' || *p > '9')
				return -1;
			hi = strtoul(p, &end, 10);
			p = end;
		}
		if (hi < lo || hi >= CPU_SETSIZE)
			return -1;
		for (unsigned long c = lo; c <= hi; c++)
			CPU_SET(c, set);
		if (!*p)
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

/*
 * What the last option_next() refused as a prefix ("--out") and the option
 * it named, and the table it parsed, for option_error()'s message.
 */
static char abbreviated[128];
static const char *abbreviated_of;
static const struct option *last_options;
static const char *last_shortopts;

int option_next(int argc, char **argv, const char *shortopts,
		const struct option *longopts)
{
	int index = -1, opt;
	const char *word, *name;
	size_t len;

	abbreviated[0] = '\0';
	abbreviated_of = NULL;
	last_options = longopts;
	last_shortopts = shortopts;
	opt = getopt_long(argc, argv, shortopts, longopts, &index);
	if (opt == -1 || index < 0 || optind < 2)
		return opt;
	/*
	 * The word that held the option: the one before its value when the
	 * value was a word of its own ("--seed 3"), else the last one
	 * ("--seed=3", "--shell").
	 */
	word = argv[optind - 1];
	if (longopts[index].has_arg != no_argument && optarg == argv[optind - 1])
		word = argv[optind - 2];
	if (strncmp(word, "--", 2))
		return opt;
	name = longopts[index].name;
	len = strcspn(word + 2, "=");
	if (len == strlen(name) && !strncmp(word + 2, name, len))
		return opt;
	snprintf(abbreviated, sizeof(abbreviated), "%.*s", (int)(len + 2), word);
	abbreviated_of = name;
	optopt = 0;
	return '?';
}

static int last_options_have(const char *name)
{
	for (const struct option *o = last_options; o && o->name; o++)
		if (!strcmp(o->name, name))
			return 1;
	return 0;
}

const char *option_culprit(int argc, char **argv)
{
	static char buf[128];
	const char *prev = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	int is_short = optopt > 0 && optopt < 256;

	if (*abbreviated)
		return abbreviated;
	/*
	 * A short option inside a cluster ("-qz") leaves optind on the
	 * cluster, so argv[optind - 1] is the word before it: name the
	 * letter. A long option is the word itself, without "=value".
	 */
	if (is_short && (strncmp(prev, "--", 2) ||
			 (optind < argc && argv[optind][0] == '-' && argv[optind][1] != '-' &&
			  strchr(argv[optind] + 1, optopt)))) {
		snprintf(buf, sizeof(buf), "-%c", optopt);
		return buf;
	}
	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(prev, "="), prev);
	return buf;
}

int option_error(const char *command, int opt, int argc, char **argv)
{
	const char *culprit = option_culprit(argc, argv);

	if (opt == ':')
		return error("option '%s' needs a value (see 'steady %s --help')",
			     culprit, command);
	if (opt == '?' && abbreviated_of)
		return error("unknown option '%s': long options are not abbreviated, did you mean '--%s'? (see 'steady %s --help')",
			     culprit, abbreviated_of, command);
	/* hyperfine's --output=pipe|null|inherit|FILE is not where results go. */
	if (!strcmp(culprit, "--output") && last_shortopts && strstr(last_shortopts, "o:"))
		return error("steady has no --output: %s-o FILE saves the results, --json prints them (see 'steady %s --help')",
			     last_options_have("show-output") ?
			     "--show-output lets the command's output through, " : "",
			     command);
	/* hyperfine's --shell=none (-N) and --shell=bash: steady's --shell takes none */
	if (!strcmp(culprit, "--shell") && last_options_have("shell"))
		return error("steady's --shell takes no value: without it no shell runs (hyperfine's -N, --shell=none); with it, /bin/sh -c runs the command (see 'steady %s --help')",
			     command);
	return error("unknown option '%s' (see 'steady %s --help')", culprit, command);
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
