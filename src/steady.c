/*
 * steady: the entry point and the command table. Each command lives in
 * src/cmd/<name>.c (see cmd/builtin.h); everything they share is a library
 * module in one of src/measure, trace, analyse, formats, store, system and lib.
 * After a command, stdout is flushed and a write error (a full disk, a
 * closed pipe) becomes a failure instead of silently lost output.
 */
#include "cmd/builtin.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

struct command_entry {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command_entry commands[] = {
	{ "run", cmd_run, "benchmark commands (several: interleaved, each against the fastest)" },
	{ "compare", cmd_compare, "is B slower, faster or the same as A? (two commands or result files)" },
	{ "stat", cmd_stat, "perf events over repeated runs, like perf stat -r; --vs compares two" },
	{ "history", cmd_history, "results saved with --save, over revisions per machine: where it stepped" },
	{ "show", cmd_show, "what saved results hold: summaries, every run, histograms, metadata" },
	{ "list", cmd_list, "the events stat and --metric accept, and which this machine counts" },
	{ "layout", cmd_layout, "is the difference real, or code layout? builds variants, says which" },
	{ "bisect", cmd_bisect, "which hunks of a patch, or which commit, make it slower: found under noise" },
	{ "sweep", cmd_sweep, "compilers x flags x LTO x PGO: builds each, ranks them, or B vs A in each" },
	{ "profile", cmd_profile, "sampled profiles of A and B: which functions take longer, down to the hot loop" },
	{ "cache", cmd_cache, "Cachegrind A and B: totals side by side, functions that changed" },
	{ "trace", cmd_trace, "syscall and library-call counts of A and B, diffed" },
	{ "report", cmd_report, "one HTML page of charts and tables from saved files, readable offline" },
	{ "system", cmd_system, "noise sources on this machine: show, tune, reset" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: steady <command> [options] [args]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'steady <command> --help' shows a command's options;\n"
		"'steady -V' (or --version, also after any command) its version.\n"
		"Exit codes: 0 success, 1 the benchmarked command failed,\n"
		"2 usage or input error, 3 not tuned (system show --check),\n"
		"130 interrupted (partial results saved).\n");
}

/* 1 when fd is a pipe whose every reader has gone (`steady show f | head`). */
static int reader_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

static int finish(int ret)
{
	int flushed;

	errno = 0;
	flushed = !fflush(stdout);
	if (flushed && !ferror(stdout))
		return ret;
	/*
	 * The reader stopped reading, as `| head` does: what it wanted it
	 * has, and -o files are written already. Not an error. errno was
	 * cleared above: an EPIPE left by a write to a child's pipe must not
	 * pass for this one.
	 */
	if ((!flushed && errno == EPIPE) || reader_gone(STDOUT_FILENO))
		return ret;
	if (!flushed && errno)
		error("cannot write the output: %s", strerror(errno));
	else
		error("cannot write the output: a write failed before the end");
	return EXIT_USAGE;
}

/*
 * A closed stdin, stdout or stderr would be reused by the next descriptor
 * steady opens (/dev/null for the children, a go pipe, a results file),
 * which then gets read from, written to or replaced by accident: fill
 * the gaps with /dev/null first.
 */
static void open_std_descriptors(void)
{
	int fd;

	do {
		fd = open("/dev/null", O_RDWR);
	} while (fd >= 0 && fd <= 2);
	if (fd > 2)
		close(fd);
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;

	open_std_descriptors();

	/*
	 * A closed stdout is reported by finish() as an error; dying from
	 * SIGPIPE would skip the cleanup of a half-done benchmark. Children
	 * get the default disposition back (spawn.c).
	 */
	signal(SIGPIPE, SIG_IGN);

	if (!name) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		usage(stdout);
		return finish(EXIT_OK);
	}
	if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
		print_version();
		return finish(EXIT_OK);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(name, commands[i].name))
			return finish(commands[i].fn(argc - 1, argv + 1));
	error("unknown command '%s' (see 'steady --help')", name);
	return EXIT_USAGE;
}
