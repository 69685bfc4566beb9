/*
 * atomic_file: the one way steady writes a file (results, exports, cache
 * and trace JSON, the system state), so that a reader never sees half of
 * one and an interrupted or failed write leaves the old file as it was.
 *
 * It lives in lib/ rather than formats/ because it knows nothing of any
 * format: formats/, system/ and the commands all sit above it.
 *
 *   char *tmp;
 *   FILE *f = atomic_open(path, &tmp);
 *   if (!f)
 *           return -1;
 *   ...write to f...
 *   return failed ? (atomic_abort(f, tmp), -1) : atomic_commit(f, tmp, path);
 *
 * atomic_open() creates the temporary file atomic_temp_template(path) in
 * PATH's own directory (so rename() cannot cross file systems).
 * atomic_commit() flushes and fsyncs it, renames it over PATH and fsyncs
 * the directory so the rename survives a power cut; atomic_abort() removes
 * it. Both always close f and free tmp: after either, neither is valid.
 *
 * A PATH that is a device, FIFO or socket ("-o /dev/stdout" on a terminal
 * or a pipe), or a link to the file steady's stdout or stderr is
 * redirected to ("-o /dev/stdout >r.json"), is written in place and *tmp
 * is NULL: renaming over it would replace the node or the link. The
 * latter is written through the descriptor, after what steady printed
 * there. A plain name of that file ("-o r.json >r.json") gets a new file
 * like any other, so it holds just the JSON.
 *
 * PATH "-" is the standard output atomic_claim_stdout() kept aside (or
 * descriptor 1 when none was), written in place.
 *
 * A FIFO without a reader is waited for, as a shell's '>' would, but
 * SIGINT, SIGTERM, SIGHUP or SIGQUIT (when not blocked) ends the wait:
 * atomic_open() then fails, saying it was interrupted, so that a command
 * can keep what it measured elsewhere rather than hang.
 *
 * Errors print one "steady: error: cannot write 'PATH': ..." line:
 * atomic_open() then returns NULL, atomic_commit() -1 (having removed the
 * temporary file). Nothing here exits.
 */
#ifndef STEADY_ATOMIC_FILE_H
#define STEADY_ATOMIC_FILE_H

#include <stdio.h>

FILE *atomic_open(const char *path, char **tmp);
int atomic_commit(FILE *f, char *tmp, const char *path);
void atomic_abort(FILE *f, char *tmp);

/*
 * Checks before anything is measured that path can be written: not a
 * directory, not a read-only file (renaming over it would replace it, as
 * no shell redirection would), and a file can be created in its
 * directory. 0, or -1 after one error line.
 */
int atomic_check_writable(const char *path);

/*
 * -o - and --json: the results file is steady's standard output, and it
 * gets nothing else. After the options, with *path the -o value: when it
 * is "-" or a link to steady's standard output ("/dev/stdout",
 * "/proc/self/fd/1"), *path becomes "-", the standard output is kept
 * aside for atomic_open("-") and descriptor 1 becomes a copy of stderr,
 * so the summary, the progress, a command's --show-output and anything
 * else printed go to stderr. Otherwise nothing changes. 0, or -1 after one
 * error line.
 */
int atomic_claim_stdout(const char **path);
/* 1 when path means standard output: "-" or a link to descriptor 1. */
int atomic_names_stdout(const char *path);

/*
 * A command's output files, all at once before anything is measured: the
 * results (-o, --json) and the exports, NULL where not given. Each must
 * be writable, at most one may be standard output, and that one is then
 * claimed (atomic_claim_stdout()), so nothing else is printed there. 0,
 * or -1 after one error line.
 */
int atomic_prepare_outputs(const char **results, const char **markdown, const char **csv);

/*
 * 1 when atomic_open() would write path in place (see above), for checks
 * made before anything is written.
 */
int atomic_writes_in_place(const char *path);

/*
 * A new empty file "$TMPDIR/STEMXXXXXX.SUFFIX" (/tmp when TMPDIR is unset,
 * empty or not absolute), created with O_EXCL so that it is nobody
 * else's, for the caller to fill with atomic_open() (renamed over, so it
 * is never seen half written) and to remove if that fails. The caller
 * frees the name. NULL with errno set, nothing printed: the caller says
 * what could not be kept.
 */
char *atomic_create_in_tmpdir(const char *stem, const char *suffix);

/*
 * What a command measured is never lost to its last step. After writing
 * path failed (its error line printed: a full disk, an I/O error, an
 * interrupted wait for a FIFO's reader, a closed standard output), the
 * same content goes to a new file atomic_create_in_tmpdir(stem, suffix),
 * written by write(that name, data) (which prints its own error line and
 * returns -1 on failure), and one line says where:
 *
 *   steady: WHAT not written to 'PATH' are kept in '/tmp/STEMXXXXXX.SUFFIX'
 *
 * or, when that fails too, "steady: error: WHAT are lost: ...". WHAT is a
 * plural noun phrase ("the results (3 runs)", "the trace counts"). Every
 * writer of a command's output (results, trace, cache, profile, folded
 * stacks) calls this one function, so each says the same thing.
 */
void atomic_keep_elsewhere(const char *path, const char *what, const char *stem,
			   const char *suffix, int (*write)(const char *path, const void *data),
			   const void *data);

/*
 * The mkstemp() template of PATH's temporary file: "PATH.tmp.XXXXXX", or
 * "DIR/.steady.tmp.XXXXXX" when that would be too long a name. The caller
 * frees the new string.
 */
char *atomic_temp_template(const char *path);

#endif
