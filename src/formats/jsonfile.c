/*
 * jsonfile: see jsonfile.h. Opening the file ourselves (rather than
 * json_load_file()) gives errno for the message and tells an empty file or
 * a directory from broken JSON. A gzip file (pyperf writes .json.gz) is
 * read through zlib behind a stdio stream (fopencookie), so the parsers
 * below see JSON either way.
 */
#include "formats/jsonfile.h"
#include "lib/atomic_file.h"
#include "formats/jsoncolumns.h"
#include "lib/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static ssize_t gz_read(void *cookie, char *buf, size_t size)
{
	int n = gzread(cookie, buf, size > INT_MAX ? INT_MAX : (unsigned)size);

	return n < 0 ? -1 : n;
}

static int gz_close(void *cookie)
{
	return gzclose(cookie) == Z_OK ? 0 : -1;
}

/* 1 when the regular file behind fp starts with gzip's magic; fp is rewound. */
static int is_gzip(FILE *fp)
{
	unsigned char magic[2];
	int yes = fread(magic, 1, 2, fp) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;

	rewind(fp);
	return yes;
}

/*
 * A stream of fp's file decompressed, or NULL after one line. fp stays
 * the caller's to close; the stream has a descriptor of its own.
 */
static FILE *gunzip_stream(FILE *fp, const char *path, gzFile *gz)
{
	static const cookie_io_functions_t io = { gz_read, NULL, NULL, gz_close };
	int fd = dup(fileno(fp));
	FILE *out;

	*gz = fd < 0 ? NULL : gzdopen(fd, "rb");
	if (!*gz) {
		if (fd >= 0)
			close(fd);
		error("cannot read '%s': %s", path, strerror(errno ? errno : ENOMEM));
		return NULL;
	}
	out = fopencookie(*gz, "r", io);
	if (!out) {
		gzclose(*gz);
		error("cannot read '%s': %s", path, strerror(errno));
	}
	return out;
}

/* Why a parse failed: the gzip layer's error when there is one, else JSON's. */
static void parse_error(const char *path, gzFile gz, const json_error_t *jerr)
{
	int zerr = Z_OK;
	const char *why = gz ? gzerror(gz, &zerr) : NULL;

	if (gz && zerr != Z_OK && zerr != Z_STREAM_END) {
		/* zlib names the stream "<fd:N>: ": the path says it better */
		const char *colon = why && !strncmp(why, "<fd:", 4) ? strstr(why, ": ") : NULL;

		error("cannot read '%s': broken gzip data (%s)", path, colon ? colon + 2 : why);
	}
	else
		error("cannot read '%s': not valid JSON%s (line %d, column %d: %s)",
		      path, gz ? " inside the gzip data" : "", jerr->line, jerr->column,
		      jerr->text);
}

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
	FILE *fp = fopen(path, "r"), *in = NULL;
	gzFile gz = NULL;

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
	} else if (S_ISREG(st.st_mode) && is_gzip(fp) && !(in = gunzip_stream(fp, path, &gz))) {
		/* said */
	} else if (keys) {
		struct packing_filter *filter = packing_filter_new(in ? in : fp, keys, columns);

		root = json_load_callback(packing_filter_read, filter,
					  JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
		if (!root && packing_filter_failed(filter) && !gz)
			error("cannot read '%s': %s", path, strerror(errno));
		else if (!root)
			parse_error(path, gz, &jerr);
		packing_filter_free(filter);
	} else if (!(root = json_loadf(in ? in : fp, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
				       &jerr))) {
		parse_error(path, gz, &jerr);
	}
	if (in)
		fclose(in);
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

json_t *json_file_new(const char *format, int version)
{
	json_t *root = json_object();

	json_object_set_new(root, "format", json_string(format));
	json_object_set_new(root, "version", json_integer(version));
	json_object_set_new(root, "steady_version", json_string(STEADY_VERSION));
	return root;
}

int json_file_write(const json_t *root, const char *path)
{
	char *tmp;
	FILE *f = atomic_open(path, &tmp);
	int saved;

	if (!f)
		return -1;
	errno = 0;
	if (json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 ||
	    fputc('\n', f) == EOF) {
		/* json_dumpf() fails without errno when it runs out of memory */
		saved = errno ? errno : ENOMEM;
		atomic_abort(f, tmp);
		return error("cannot write '%s': %s", path, strerror(saved));
	}
	return atomic_commit(f, tmp, path);
}

int json_file_check_kind(const json_t *root, const char *path, const char *format,
			 const char *what, int known_version)
{
	const json_t *v;
	json_int_t version;

	if (!json_is_object(root))
		return error("cannot read '%s': not a steady %s file (the top level is %s, not an object)",
			     path, what, json_type_name(root));
	v = json_object_get(root, "format");
	if (!v)
		return error("cannot read '%s': not a steady %s file (it has no 'format' field)",
			     path, what);
	if (!json_is_string(v))
		return error("cannot read '%s': not a steady %s file ('format' is %s)",
			     path, what, json_type_name(v));
	if (strcmp(json_string_value(v), format))
		return error("cannot read '%s': not a steady %s file (its format is '%s', not '%s')",
			     path, what, json_string_value(v), format);
	v = json_object_get(root, "version");
	if (!v)
		return error("cannot read '%s': 'version' is missing", path);
	if (!json_is_integer(v))
		return error("cannot read '%s': 'version' must be an integer, not %s",
			     path, json_type_name(v));
	version = json_integer_value(v);
	if (version > known_version)
		return error("cannot read '%s': %s format version %" JSON_INTEGER_FORMAT
			     " is newer than this steady (%s) reads (up to %d); upgrade steady",
			     path, what, version, STEADY_VERSION, known_version);
	if (version < 1)
		return error("cannot read '%s': %s format version %" JSON_INTEGER_FORMAT
			     " is not valid", path, what, version);
	return (int)version;
}
