/*
 * jsonfile: loading a JSON file with messages a person can act on, shared
 * by every reader (results.c, import.c) so a bad file fails the same way
 * whichever command reads it. The caller owns the returned json_t and
 * drops it with json_decref().
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

/* "an object", "a string", ... for messages. */
const char *json_type_name(const json_t *v);

#endif
