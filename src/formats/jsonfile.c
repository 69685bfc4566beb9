/*
 * jsonfile: see jsonfile.h. Opening the file ourselves (rather than
 * json_load_file()) gives errno for the message and tells an empty file or
 * a directory from broken JSON.
 */
#include "formats/jsonfile.h"
#include "formats/jsoncolumns.h"
#include "lib/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/*
 * With keys, the numeric arrays under them are packed into columns (see
 * jsoncolumns.h); without, jansson reads the file directly.
 */
static json_t *load(const char *path, const char *const *keys,
		    struct packed_columns *columns)
{
	json_error_t jerr;
	struct stat st;
	json_t *root = NULL;
	FILE *fp = fopen(path, "r");

	if (!fp) {
		error("cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &st) < 0) {
		error("cannot read '%s': %s", path, strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		error("cannot read '%s': it is a directory", path);
	} else if (S_ISREG(st.st_mode) && !st.st_size) {
		error("cannot read '%s': the file is empty", path);
	} else if (keys) {
		struct packing_filter *filter = packing_filter_new(fp, keys, columns);

		root = json_load_callback(packing_filter_read, filter,
					  JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
		if (!root && packing_filter_failed(filter))
			error("cannot read '%s': %s", path, strerror(errno));
		else if (!root)
			error("cannot read '%s': not valid JSON (line %d, column %d: %s)",
			      path, jerr.line, jerr.column, jerr.text);
		packing_filter_free(filter);
	} else if (!(root = json_loadf(fp, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr))) {
		error("cannot read '%s': not valid JSON (line %d, column %d: %s)",
		      path, jerr.line, jerr.column, jerr.text);
	}
	fclose(fp);
	return root;
}

json_t *json_file_load(const char *path)
{
	return load(path, NULL, NULL);
}

json_t *json_file_load_packed(const char *path, const char *const *keys,
			      struct packed_columns *columns)
{
	return load(path, keys, columns);
}

const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "unknown";
}
