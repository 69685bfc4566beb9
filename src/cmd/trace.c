/*
 * trace: `steady trace` — what B does differently from A, in system
 * calls and library calls: `strace -c -f` and `ltrace -c`, diffed.
 *
 *   steady trace [options] A B [-- ARG...]
 *
 * Each side runs once, A then B, under ptrace_count.c (system calls per
 * name, errors apart, every process and thread followed) with the LD_AUDIT
 * library of libcalls.c loaded (calls per symbol@library). This file parses
 * options, prints the tables of what changed (trace_counts.c computes them)
 * and writes the JSON. It owns both sides and the temporary directory the
 * audit library writes into, removed before returning.
 */
#include "cmd/builtin.h"
#include "formats/export.h"
#include "trace/libcalls.h"
#include "trace/ptrace_count.h"
#include "formats/jsonfile.h"
#include "measure/spawn.h"
#include "trace/counts.h"
#include "lib/units.h"
#include "lib/atomic_file.h"
#include "lib/utf8.h"
#include "lib/util.h"
#include "lib/words.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <jansson.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static const char trace_usage_head[] =
"usage: steady trace [options] A B [-- ARG...]\n"
"\n"
"Runs A, then B, once each, and prints what B does differently: the system\n"
"calls (ptrace, like strace -c -f: every fork, vfork, clone and thread is\n"
"followed; errors counted apart) and the calls into shared libraries (an\n"
"LD_AUDIT library, like ltrace -c), each a table of the names whose counts\n"
"changed, largest change first. A and B are each a program (then ARGs go to\n"
"both) or a command string like 'prog -x 3', split into words without a\n"
"shell. Each runs with stdin from /dev/null and its output discarded.\n"
"\n"
"Counts start at the command's execve, so steady's own set-up is not in\n"
"them; the dynamic loader's and libc's start-up are, the same on both sides\n"
"(the audit library adds a few of its own, also on both). Static binaries\n"
"make no library calls that can be counted.\n"
"\n";

static const char trace_usage_tail[] =
"\n"
"Exit codes: 0 done, 1 a side failed (exit status or signal; what was\n"
"counted is still printed), 2 bad usage, 130 interrupted.\n";

enum { OPT_TOP = 256, OPT_NO_LIBCALLS, OPT_TIME, OPT_SHOW_OUTPUT, OPT_TRACE_MD, OPT_TRACE_CSV };

static const struct option_doc trace_options[] = {
	OPTDOC_TEXT("Options:"),
	OPTDOC("o", NULL, 'o', "FILE",
	       "save both sides' counts, commands and exit status\n"
	       "as JSON; -o - writes it to stdout"),
	OPTION_EXPORT_JSON,
	OPTDOC(NULL, "export-markdown", OPT_TRACE_MD, "FILE",
	       "every call of either side as a Markdown table: kind,\n"
	       "name, calls and errors of A and B, the change"),
	OPTDOC(NULL, "export-csv", OPT_TRACE_CSV, "FILE", "the same as CSV"),
	OPTION_JSON("the same as -o -: only the JSON on stdout, the\n"
		    "tables (and --show-output) on stderr"),
	OPTDOC(NULL, "top", OPT_TOP, "N", "at most N rows per table (default 30)"),
	OPTDOC(NULL, "no-libcalls", OPT_NO_LIBCALLS, NULL, "count system calls only (no LD_AUDIT library)"),
	OPTDOC(NULL, "time", OPT_TIME, NULL,
	       "also time each system call, entry to exit (the\n"
	       "tracing itself is in that time)"),
	OPTDOC(NULL, "show-output", OPT_SHOW_OUTPUT, NULL, "let the commands write to the terminal"),
	OPTION_HELP,
	OPTION_VERSION,
	OPTDOC_END
};

struct side {
	char label;                 /* 'A' or 'B' */
	char **argv;                /* NULL-terminated, owned */
	size_t argc;
	char *path;                 /* argv[0] resolved */
	char *display;              /* argv joined, for people */
	int is_static;
	int is_setid;        /* set-user/group-ID: the loader may ignore LD_AUDIT */
	int ran;                    /* the trace finished */
	struct trace_result trace;
	int libcalls;               /* the audit library was loaded */
	struct call_table calls;    /* "symbol@library" */
	size_t silent_processes;    /* traced processes that left no counts */
};

struct trace_config {
	const char *output;
	const char *markdown, *csv;  /* --export-markdown, --export-csv */
	unsigned long top;
	int no_libcalls;
	struct trace_options topts;
	char *audit_lib;
	char *tmpdir;
};

static void side_release(struct side *s)
{
	words_free(s->argv);
	free(s->path);
	free(s->display);
	trace_result_release(&s->trace);
	call_table_release(&s->calls);
}

static int side_set_command(struct side *s, const char *spec, char **args, size_t nargs)
{
	char label[2] = { s->label, '\0' };
	struct command_words c = { (char *const *)&spec, 1, args, nargs, label, 0 };

	s->argv = words_command(&c, &s->argc);
	if (!s->argv)
		return -1;
	s->display = words_join(s->argv, s->argc);
	s->path = spawn_resolve(s->argv[0]);
	return s->path ? 0 : -1;
}

static int side_failed(const struct side *s)
{
	return s->ran && (s->trace.status.signal || s->trace.status.exit_code);
}

/* Runs one side traced; its library-call files are read and removed. */
static enum spawn_result side_run(struct side *s, const struct trace_config *cfg)
{
	enum spawn_result res;
	char **env = NULL, *prefix = NULL;
	char name[2] = { (char)(s->label - 'A' + 'a'), '\0' };

	if (s->libcalls) {
		prefix = xasprintf("%s/%s", cfg->tmpdir, name);
		env = libcalls_environment(environ, cfg->audit_lib, prefix);
	}
	res = ptrace_count_run(s->path, s->argv, env ? env : environ, &cfg->topts, &s->trace);
	libcalls_environment_free(env);
	free(prefix);
	s->ran = res == SPAWN_OK;
	if (s->libcalls) {
		pid_t *pids;
		size_t nr;

		if (libcalls_collect(cfg->tmpdir, name, &s->calls, &pids, &nr) && res == SPAWN_OK)
			res = SPAWN_ERROR;
		for (size_t i = 0; i < s->trace.nr_pids; i++) {
			size_t k = 0;

			while (k < nr && pids[k] != s->trace.pids[i])
				k++;
			s->silent_processes += k == nr;
		}
		free(pids);
	}
	return res;
}

/* ---- the tables ---- */

enum column_id { COL_NAME, COL_A, COL_B, COL_DELTA, COL_ERR_A, COL_ERR_B,
		 COL_TIME_A, COL_TIME_B, COL_NOTE };

#define NEEDS_ERRORS 1u
#define NEEDS_TIME 2u

/* The columns of both tables, as data; the name column is sized to fit. */
static const struct column {
	const char *header;
	int width;          /* 0: computed (name) or last (note) */
	int left;
	unsigned needs;
} columns[] = {
	[COL_NAME]   = { NULL,     0,  1, 0 },
	[COL_A]      = { "A",      10, 0, 0 },
	[COL_B]      = { "B",      10, 0, 0 },
	[COL_DELTA]  = { "delta",  10, 0, 0 },
	[COL_ERR_A]  = { "err A",  8,  0, NEEDS_ERRORS },
	[COL_ERR_B]  = { "err B",  8,  0, NEEDS_ERRORS },
	[COL_TIME_A] = { "time A", 11, 0, NEEDS_TIME },
	[COL_TIME_B] = { "time B", 11, 0, NEEDS_TIME },
	[COL_NOTE]   = { "",       0,  1, 0 },
};
#define NR_COLUMNS (sizeof(columns) / sizeof(columns[0]))

static const char *cell(char *buf, size_t size, enum column_id c, const struct call_diff_row *r)
{
	const struct call_count *x = c == COL_A || c == COL_ERR_A || c == COL_TIME_A ? r->a : r->b;

	switch (c) {
	case COL_NAME:
		return r->name;
	case COL_A:
	case COL_B:
		snprintf(buf, size, "%llu", (unsigned long long)(x ? x->calls : 0));
		return buf;
	case COL_DELTA:
		snprintf(buf, size, "%+lld", (long long)r->delta);
		return buf;
	case COL_ERR_A:
	case COL_ERR_B:
		snprintf(buf, size, "%llu", (unsigned long long)(x ? x->errors : 0));
		return buf;
	case COL_TIME_A:
	case COL_TIME_B:
		return x ? format_time(buf, size, (double)x->time_ns / 1e9) : "-";
	case COL_NOTE:
		return !r->a ? "only in B" : !r->b ? "only in A" : "";
	}
	return "";
}

/* Characters, not bytes: "µs" is one column wide but two bytes long. */
static int display_width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void print_row(const char *texts[NR_COLUMNS], unsigned have, int name_width)
{
	printf("  ");
	for (size_t c = 0; c < NR_COLUMNS; c++) {
		int pad;

		if ((columns[c].needs & have) != columns[c].needs)
			continue;
		pad = (c == COL_NAME ? name_width : columns[c].width) - display_width(texts[c]);
		if (pad < 0)
			pad = 0;
		if (c == COL_NAME)
			printf("%s%*s", texts[c], pad, "");
		else if (c == COL_NOTE)
			printf("%s%s", *texts[c] ? "   " : "", texts[c]);
		else
			printf(" %*s%s", pad, "", texts[c]);
	}
	putchar('\n');
}

/*
 * One table: a line that says how much changed, the rows (at most top),
 * then what was left out and unchanged.
 */
static void print_diff(const char *what, const char *name_header, const struct call_table *a,
		       const struct call_table *b, unsigned have, unsigned long top)
{
	struct call_table_totals ta, tb;
	struct call_diff_row *rows;
	size_t nr, same, names = a->nr;
	uint64_t same_calls = 0;
	int name_width = (int)strlen(name_header);
	const char *texts[NR_COLUMNS];
	char bufs[NR_COLUMNS][48];

	rows = call_table_diff(a, b, &nr, &same);
	for (size_t i = 0; i < b->nr; i++)
		names += !call_table_find(a, b->items[i].name);
	for (size_t i = 0; i < a->nr; i++) {
		const struct call_count *cb = call_table_find(b, a->items[i].name);

		if (cb && cb->calls == a->items[i].calls && cb->errors == a->items[i].errors)
			same_calls += cb->calls;
	}
	call_table_totals(a, &ta);
	call_table_totals(b, &tb);
	printf("%s: %zu of %zu changed (A %llu calls, B %llu calls, %+lld)\n", what, nr, names,
	       (unsigned long long)ta.calls, (unsigned long long)tb.calls,
	       (long long)tb.calls - (long long)ta.calls);
	if (!nr) {
		printf("  no difference\n");
		free(rows);
		return;
	}
	for (size_t i = 0; i < nr && i < top; i++)
		if ((int)strlen(rows[i].name) > name_width)
			name_width = (int)strlen(rows[i].name);
	if (name_width > 48)
		name_width = 48;	/* long C++ names overflow their cell, not the table */
	for (size_t c = 0; c < NR_COLUMNS; c++)
		texts[c] = c == COL_NAME ? name_header : columns[c].header;
	print_row(texts, have, name_width);
	for (size_t i = 0; i < nr && i < top; i++) {
		for (size_t c = 0; c < NR_COLUMNS; c++)
			texts[c] = cell(bufs[c], sizeof(bufs[c]), (enum column_id)c, &rows[i]);
		print_row(texts, have, name_width);
	}
	if (nr > top)
		printf("  ... %zu more changed (--top %zu shows them all)\n", nr - top, nr);
	if (same)
		printf("  %zu unchanged (%llu calls on each side)\n", same,
		       (unsigned long long)same_calls);
	free(rows);
}

static void print_side(const struct side *s)
{
	const struct trace_result *t = &s->trace;

	printf("%c: %s\n   %s; %lu process%s", s->label, s->display,
	       s->ran ? spawn_describe_status(&t->status) : "did not finish",
	       t->processes, t->processes == 1 ? "" : "es");
	if (t->threads)
		printf(", %lu more thread%s", t->threads, t->threads == 1 ? "" : "s");
	putchar('\n');
}

static void print_libcall_notes(const struct side *s, const struct trace_config *cfg)
{
	if (cfg->no_libcalls)
		return;
	if (s->is_static)
		printf("  %c: static binary: library calls cannot be counted\n", s->label);
	else if (s->is_setid && s->silent_processes)
		printf("  %c: set-user-ID or set-group-ID program: the loader ignores LD_AUDIT "
		       "when it runs with other privileges, so its library calls went uncounted\n",
		       s->label);
	else if (s->silent_processes)
		printf("  %c: %zu of %lu processes left no library-call counts (they ended in "
		       "_exit() or by a signal, or ran a static binary)\n", s->label,
		       s->silent_processes, s->trace.processes);
}

static void print_report(const struct side *sides, const struct trace_config *cfg)
{
	unsigned have = NEEDS_ERRORS | (cfg->topts.time ? NEEDS_TIME : 0);

	print_side(&sides[0]);
	print_side(&sides[1]);
	putchar('\n');
	print_diff("System calls", "syscall", &sides[0].trace.syscalls, &sides[1].trace.syscalls,
		   have, cfg->top);
	if (cfg->no_libcalls)
		return;
	putchar('\n');
	if (sides[0].is_static && sides[1].is_static) {
		printf("Library calls: static binaries: library calls cannot be counted\n");
		return;
	}
	print_diff("Library calls", "call", &sides[0].calls, &sides[1].calls,
		   0, cfg->top);
	print_libcall_notes(&sides[0], cfg);
	print_libcall_notes(&sides[1], cfg);
}

/* ---- JSON ---- */

/*
 * Library functions by name. A symbol may hold any bytes: the key is made
 * valid UTF-8 as json_text() does (jansson drops a key that is not), and
 * names that then read the same share one key with their calls added.
 */
static json_t *libcalls_json(const struct call_table *calls)
{
	json_t *lib = json_object();

	for (size_t i = 0; i < calls->nr; i++) {
		const char *name = calls->items[i].name;
		char *valid = utf8_valid(name) ? NULL : utf8_valid_copy(name);
		const char *key = valid ? valid : name;
		json_int_t n = (json_int_t)calls->items[i].calls +
			       json_integer_value(json_object_get(lib, key));

		json_object_set_new(lib, key, json_integer(n));
		free(valid);
	}
	return lib;
}

static json_t *side_json(const struct side *s, const struct trace_config *cfg)
{
	json_t *o = json_object(), *cmd = json_array(), *sys = json_object();
	const struct run_sample *st = &s->trace.status;

	for (size_t i = 0; i < s->argc; i++)
		json_array_append_new(cmd, json_text(s->argv[i]));
	json_object_set_new(o, "command", cmd);
	json_object_set_new(o, "exit_code", st->signal ? json_null() : json_integer(st->exit_code));
	json_object_set_new(o, "signal", st->signal ? json_integer(st->signal) : json_null());
	json_object_set_new(o, "processes", json_integer((json_int_t)s->trace.processes));
	json_object_set_new(o, "threads", json_integer((json_int_t)s->trace.threads));
	for (size_t i = 0; i < s->trace.syscalls.nr; i++) {
		const struct call_count *c = &s->trace.syscalls.items[i];
		json_t *e = json_object();

		json_object_set_new(e, "calls", json_integer((json_int_t)c->calls));
		json_object_set_new(e, "errors", json_integer((json_int_t)c->errors));
		json_object_set_new(e, "time_ns", cfg->topts.time ? json_integer(c->time_ns) : json_null());
		json_object_set_new(sys, c->name, e);
	}
	json_object_set_new(o, "syscalls", sys);
	if (s->libcalls) {
		json_object_set_new(o, "libcalls", libcalls_json(&s->calls));
		json_object_set_new(o, "processes_without_libcalls",
				    json_integer((json_int_t)s->silent_processes));
	} else {
		json_object_set_new(o, "libcalls", json_null());
		json_object_set_new(o, "libcalls_note", json_string(
			s->is_static ? "static binary: library calls cannot be counted" :
				       "not counted (--no-libcalls)"));
	}
	return o;
}

/* The cells of one call's row: kind, name, calls and errors of A and B, B - A. */
#define CALL_COLUMNS 7

static void add_call_row(char ***cells, size_t *nrows, size_t *alloc, const char *kind,
			 const char *name, const struct call_count *a, const struct call_count *b)
{
	char **row;
	uint64_t ca = a ? a->calls : 0, cb = b ? b->calls : 0;

	ALLOC_GROW(*cells, (*nrows + 1) * CALL_COLUMNS, *alloc);
	row = *cells + *nrows * CALL_COLUMNS;
	row[0] = xstrdup(kind);
	row[1] = xstrdup(name);
	row[2] = xasprintf("%" PRIu64, ca);
	row[3] = xasprintf("%" PRIu64, cb);
	row[4] = xasprintf("%+" PRId64, (int64_t)cb - (int64_t)ca);
	row[5] = xasprintf("%" PRIu64, a ? a->errors : 0);
	row[6] = xasprintf("%" PRIu64, b ? b->errors : 0);
	(*nrows)++;
}

static void add_table_rows(char ***cells, size_t *nrows, size_t *alloc, const char *kind,
			   const struct call_table *a, const struct call_table *b)
{
	for (size_t i = 0; i < a->nr; i++)
		add_call_row(cells, nrows, alloc, kind, a->items[i].name, &a->items[i],
			     call_table_find(b, a->items[i].name));
	for (size_t i = 0; i < b->nr; i++)
		if (!call_table_find(a, b->items[i].name))
			add_call_row(cells, nrows, alloc, kind, b->items[i].name, NULL, &b->items[i]);
}

/* --export-markdown, --export-csv: every system and library call of either side. */
static int export_calls(const char *path, enum export_format format, const struct side *sides)
{
	static const char *const headers[CALL_COLUMNS] = {
		"kind", "name", "calls_a", "calls_b", "delta", "errors_a", "errors_b"
	};
	char **cells = NULL;
	size_t nrows = 0, alloc = 0;
	int ret;

	add_table_rows(&cells, &nrows, &alloc, "syscall", &sides[0].trace.syscalls,
		       &sides[1].trace.syscalls);
	add_table_rows(&cells, &nrows, &alloc, "libcall", &sides[0].calls, &sides[1].calls);
	ret = export_table(path, format, headers, CALL_COLUMNS, cells, nrows);
	for (size_t i = 0; i < nrows * CALL_COLUMNS; i++)
		free(cells[i]);
	free(cells);
	return ret;
}

static int write_json(const struct side *sides, const struct trace_config *cfg)
{
	json_t *root = json_file_new("steady-trace", 1);
	int ret;

	json_object_set_new(root, "time_measured", json_boolean(cfg->topts.time));
	json_object_set_new(root, "a", side_json(&sides[0], cfg));
	json_object_set_new(root, "b", side_json(&sides[1], cfg));
	ret = json_file_save(root, cfg->output, "steady-trace.", "the trace counts");
	json_decref(root);
	return ret;
}

/* ---- the command ---- */

/*
 * The audit directory's name carries its owner's pid,
 * steady-trace-<pid>.XXXXXX, so that one left by a steady killed with
 * SIGKILL (which cannot clean up) is removed by the next trace: a
 * directory of that name, ours (same owner, not a symlink), whose pid no
 * longer runs. The files the audit library wrote are removed without
 * following links.
 */
static void remove_tmpdir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;

	/* Normally empty: libcalls_collect removed what it read. */
	if (d) {
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				unlinkat(fd, de->d_name, 0);
		closedir(d);
	} else if (fd >= 0) {
		close(fd);
	}
	rmdir(dir);
}

static void remove_stale_tmpdirs(const char *base)
{
	DIR *d = opendir(base);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char *end, *path;
		struct stat sb;
		long pid;

		if (strncmp(de->d_name, "steady-trace-", 13))
			continue;
		pid = strtol(de->d_name + 13, &end, 10);
		if (*end != '.' || pid <= 0 || pid == getpid() ||
		    !(kill((pid_t)pid, 0) < 0 && errno == ESRCH))
			continue;
		path = xasprintf("%s/%s", base, de->d_name);
		if (!lstat(path, &sb) && S_ISDIR(sb.st_mode) && sb.st_uid == geteuid())
			remove_tmpdir(path);
		free(path);
	}
	closedir(d);
}

static int prepare_libcalls(struct side *sides, struct trace_config *cfg)
{
	const char *base = getenv("TMPDIR");
	char *dir;

	for (int i = 0; i < 2; i++) {
		int st = libcalls_is_static(sides[i].path);

		if (st < 0)
			return -1;
		sides[i].is_static = st;
		sides[i].libcalls = !st;
		{
			struct stat sb;

			/* In secure mode the loader ignores LD_AUDIT. */
			sides[i].is_setid = !stat(sides[i].path, &sb) &&
					    (sb.st_mode & (S_ISUID | S_ISGID));
		}
	}
	if (!sides[0].libcalls && !sides[1].libcalls)
		return 0;
	cfg->audit_lib = libcalls_find_audit_lib();
	if (!cfg->audit_lib)
		return error("cannot count library calls: " LIBCALLS_AUDIT_LIB " is neither beside "
			     "steady nor in ../lib/steady/ (build it with 'make', or pass --no-libcalls)");
	if (!base || !*base)
		base = "/tmp";
	remove_stale_tmpdirs(base);
	dir = xasprintf("%s/steady-trace-%ld.XXXXXX", base, (long)getpid());
	if (!mkdtemp(dir)) {
		error("cannot create a directory in '%s': %s", base, strerror(errno));
		free(dir);
		return -1;
	}
	cfg->tmpdir = dir;
	return 0;
}

static int parse_options_in(int argc, char **argv, const struct option_table *t,
			    struct trace_config *cfg)
{
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = option_next(argc, argv, t->shortopts, t->longopts)) != -1) {
		switch (opt) {
		case 'o':
		case 'J':
			if (output_option(&cfg->output, opt, optarg))
				return -1;
			break;
		case 'V':
			print_version();
			return 1;
		case OPT_TRACE_MD:
			cfg->markdown = optarg;
			break;
		case OPT_TRACE_CSV:
			cfg->csv = optarg;
			break;
		case OPT_TOP:
			if (parse_uint(optarg, 1000000000, &cfg->top) || !cfg->top)
				return error("invalid value for --top: '%s' (expected a count of rows, "
					     "at least 1)", optarg);
			break;
		case OPT_NO_LIBCALLS:
			cfg->no_libcalls = 1;
			break;
		case OPT_TIME:
			cfg->topts.time = 1;
			break;
		case OPT_SHOW_OUTPUT:
			cfg->topts.show_output = 1;
			break;
		case 'h':
			fputs(trace_usage_head, stdout);
			option_docs_print(stdout, trace_options);
			fputs(trace_usage_tail, stdout);
			return 1;
		default:
			return option_error("trace", opt, argc, argv);
		}
	}
	return 0;
}

static int parse_options(int argc, char **argv, struct trace_config *cfg)
{
	struct option_table t;
	int ret;

	option_table_init(&t, "+:", trace_options);
	ret = parse_options_in(argc, argv, &t, cfg);
	option_table_release(&t);
	return ret;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_config cfg;
	struct side sides[2];
	char **args = NULL;
	size_t nargs = 0;
	int ret = EXIT_USAGE, parsed, failed = 0;

	memset(&cfg, 0, sizeof(cfg));
	memset(sides, 0, sizeof(sides));
	cfg.top = 30;
	for (int i = 0; i < 2; i++) {
		sides[i].label = (char)('A' + i);
		trace_result_init(&sides[i].trace);
		call_table_init(&sides[i].calls);
	}
	parsed = parse_options(argc, argv, &cfg);
	if (parsed)
		return parsed > 0 ? EXIT_OK : EXIT_USAGE;
	if (argc - optind < 2) {
		error("expected two commands: steady trace [options] A B [-- ARG...]");
		goto out;
	}
	if (argc - optind > 2) {
		if (strcmp(argv[optind + 2], "--")) {
			error("unexpected argument '%s' (arguments for both commands go after --)",
			      argv[optind + 2]);
			goto out;
		}
		args = argv + optind + 3;
		nargs = (size_t)(argc - optind - 3);
	}
	for (int i = 0; i < 2; i++)
		if (side_set_command(&sides[i], argv[optind + i], args, nargs))
			goto out;
	if (atomic_prepare_outputs(&cfg.output, &cfg.markdown, &cfg.csv))
		goto out;
	if (!cfg.no_libcalls && prepare_libcalls(sides, &cfg))
		goto out;

	spawn_catch_signals();
	for (int i = 0; i < 2; i++) {
		/* A signal between A and B: B is not started. */
		enum spawn_result res = spawn_interrupted() ? SPAWN_INTERRUPTED
							    : side_run(&sides[i], &cfg);

		if (res == SPAWN_INTERRUPTED) {
			note("interrupted while tracing %c: nothing saved", sides[i].label);
			ret = EXIT_INTERRUPTED;
			goto out;
		}
		/* Could not start or trace it: bad input, not a failed run. */
		if (res == SPAWN_ERROR)
			goto out;
	}
	print_report(sides, &cfg);
	ret = EXIT_OK;
	if (cfg.output && write_json(sides, &cfg))
		ret = spawn_exit_code(EXIT_USAGE);
	if ((cfg.markdown && export_calls(cfg.markdown, EXPORT_MARKDOWN, sides)) ||
	    (cfg.csv && export_calls(cfg.csv, EXPORT_CSV, sides)))
		ret = spawn_exit_code(EXIT_USAGE);
	/* One line, whether one side failed or both. */
	if (side_failed(&sides[0]) && side_failed(&sides[1])) {
		char *a = xstrdup(spawn_describe_status(&sides[0].trace.status));

		error("A %s; B %s", a, spawn_describe_status(&sides[1].trace.status));
		free(a);
		failed = 1;
	} else {
		for (int i = 0; i < 2; i++)
			if (side_failed(&sides[i])) {
				error("%c %s", sides[i].label,
				      spawn_describe_status(&sides[i].trace.status));
				failed = 1;
			}
	}
	if (failed && ret == EXIT_OK)
		ret = EXIT_FAILED;
out:
	if (cfg.tmpdir)
		remove_tmpdir(cfg.tmpdir);
	free(cfg.tmpdir);
	free(cfg.audit_lib);
	for (int i = 0; i < 2; i++)
		side_release(&sides[i]);
	return ret;
}
