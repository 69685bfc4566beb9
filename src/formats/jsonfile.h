/*
 * jsonfile: the JSON files steady writes and reads, handled one way.
 *
 * Loading gives messages a person can act on, shared by every reader
 * (results.c, import.c, system/state.c) so a bad file fails the same way
 * whichever command reads it. The caller owns the returned json_t and
 * drops it with json_decref().
 *
 * Every kind of file steady writes (results, cache, trace, system state)
 * opens with the same three keys (docs/results-format.md, "Every JSON file
 * steady writes"): json_file_new() makes that object, json_file_write()
 * saves a tree through the atomic writer (lib/atomic_file.h) and
 * json_file_check_kind() is the matching test for readers.
 */
#ifndef STEADY_JSONFILE_H
#define STEADY_JSONFILE_H

#include <jansson.h>

/*
 * Parses path (duplicate keys rejected; any JSON value accepted at the top,
 * so "42" is JSON of an unknown format rather than a syntax error). NULL
 * after one line: missing, a directory, empty, or not valid JSON with line
 * and column.
 */
json_t *json_file_load(const char *path);

/*
 * The same, with the arrays of numbers under the keys given (a NULL-
 * terminated list) packed into columns instead of the tree: see
 * jsoncolumns.h. columns must be initialised; the caller releases it.
 */
struct packed_columns;
json_t *json_file_load_packed(const char *path, const char *const *keys,
			      struct packed_columns *columns);

/*
 * A new object holding "format": format, "version": version and
 * "steady_version": STEADY_VERSION, in that order, for the caller to add
 * its own keys to. The caller owns it.
 */
json_t *json_file_new(const char *format, int version);

/*
 * Writes root to path atomically, indented by 2, keys in insertion order,
 * with a final newline. root stays the caller's. 0, or -1 after one line.
 */
int json_file_write(const json_t *root, const char *path);

/*
 * A command's -o: json_file_write(), and when path cannot be written, the
 * same tree kept in a new file $TMPDIR/STEMXXXXXX.json named on stderr
 * (atomic_keep_elsewhere(); what, "the trace counts", says what was
 * kept). 0, or -1 when path was not written (kept or not): the caller
 * exits 2, or 130 when a signal came.
 */
int json_file_save(const json_t *root, const char *path, const char *stem, const char *what);

/*
 * Checks that root, read from path, is an object with "format": format and
 * an integer "version" from 1 to known_version. Returns that version, or -1
 * after one line "cannot read 'PATH': not a steady WHAT file (...)" or
 * naming a version newer than this steady reads.
 */
int json_file_check_kind(const json_t *root, const char *path, const char *format,
			 const char *what, int known_version);

/*
 * A JSON string of text from outside steady (a command word, a path, a
 * function's symbol, compiler flags): each byte that is not valid UTF-8
 * becomes U+FFFD (lib/utf8.h), as results files have it, where
 * json_string() would return NULL and the value be dropped. NULL gives
 * JSON null. The caller owns the result.
 */
json_t *json_text(const char *s);

/* "an object", "a string", ... for messages. */
const char *json_type_name(const json_t *v);

#endif
