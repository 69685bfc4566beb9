/*
 * jsonfile: see jsonfile.h. Opening the file ourselves (rather than
 * json_load_file()) gives errno for the message and tells an empty file or
 * a directory from broken JSON.
 *
 * Every input is read once, front to back, and never sized with stat():
 * `<(cat results.json)`, a FIFO or a /proc file that reports size 0 reads
 * like a regular file. Emptiness is what the first read finds. A gzip file
 * (pyperf writes .json.gz) is told by its first byte, 0x1f, which no JSON
 * text starts with, and inflated here through zlib's stream interface
 * behind a stdio stream (fopencookie), so the parsers below see JSON either
 * way and nothing needs to seek back.
 */
#include "formats/jsonfile.h"
#include "lib/atomic_file.h"
#include "formats/jsoncolumns.h"
#include "lib/utf8.h"
#include "lib/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define GZIP_FIRST_BYTE 0x1f

/* The gzip data of one input being inflated; see gunzip_read(). */
struct gunzip {
	FILE *raw;             /* the compressed input; the caller's */
	z_stream z;
	int member_ended;      /* the last gzip member ended at a byte boundary */
	const char *broken;    /* why the data cannot be inflated; NULL none */
	int read_errno;        /* reading raw failed; 0 none */
	unsigned char in[1 << 16];
};

/*
 * fopencookie's read: fills buf with inflated bytes. Members that follow
 * one another are read as one stream, as gzip -d does; input ending inside
 * a member is broken data, not a short file.
 */
static ssize_t gunzip_read(void *cookie, char *buf, size_t size)
{
	struct gunzip *g = cookie;
	uInt room = size > UINT_MAX ? UINT_MAX : (uInt)size;

	g->z.next_out = (Bytef *)buf;
	g->z.avail_out = room;
	while (g->z.avail_out == room) {
		int rc;

		if (!g->z.avail_in) {
			size_t n = fread(g->in, 1, sizeof(g->in), g->raw);

			if (!n && ferror(g->raw)) {
				g->read_errno = errno ? errno : EIO;
				return -1;
			}
			if (!n) {
				if (g->member_ended)
					return 0;
				g->broken = "unexpected end of file";
				return -1;
			}
			g->z.next_in = g->in;
			g->z.avail_in = (uInt)n;
		}
		if (g->member_ended) {
			inflateReset(&g->z);
			g->member_ended = 0;
		}
		rc = inflate(&g->z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			g->member_ended = 1;
		} else if (rc == Z_MEM_ERROR) {
			g->broken = "out of memory";
			return -1;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			g->broken = g->z.msg ? g->z.msg : "not gzip data";
			return -1;
		}
	}
	return (ssize_t)(room - g->z.avail_out);
}

static int gunzip_close(void *cookie)
{
	struct gunzip *g = cookie;

	inflateEnd(&g->z);
	free(g);
	return 0;
}

/*
 * A stream of raw's gzip data inflated, or NULL after one line; *g is the
 * stream's state, for the reason of a failure (freed by fclose()). raw
 * stays the caller's to close, after the stream.
 */
static FILE *gunzip_stream(FILE *raw, const char *path, struct gunzip **g)
{
	static const cookie_io_functions_t io = { gunzip_read, NULL, NULL, gunzip_close };
	FILE *out;

	*g = xcalloc(1, sizeof(**g));
	(*g)->raw = raw;
	/* 16 + MAX_WBITS: the gzip wrapper, not zlib's */
	if (inflateInit2(&(*g)->z, 16 + MAX_WBITS) != Z_OK) {
		free(*g);
		*g = NULL;
		error("cannot read '%s': %s", path, strerror(ENOMEM));
		return NULL;
	}
	out = fopencookie(*g, "r", io);
	if (!out) {
		gunzip_close(*g);
		*g = NULL;
		error("cannot read '%s': %s", path, strerror(errno));
	}
	return out;
}

/*
 * Why a parse failed: reading the file, then the gzip layer, then JSON.
 * read_failed says the plain stream (or the packing filter over it) failed
 * with errno.
 */
static void parse_error(const char *path, const struct gunzip *g, int read_failed,
			int read_errno, const json_error_t *jerr)
{
	if (g && g->read_errno)
		error("cannot read '%s': %s", path, strerror(g->read_errno));
	else if (g && g->broken)
		error("cannot read '%s': broken gzip data (%s)", path, g->broken);
	else if (read_failed && !g)
		error("cannot read '%s': %s", path, strerror(read_errno ? read_errno : EIO));
	else
		error("cannot read '%s': not valid JSON%s (line %d, column %d: %s)",
		      path, g ? " inside the gzip data" : "", jerr->line, jerr->column,
		      jerr->text);
}

/*
 * The first byte of fp, left unread (ungetc), or EOF after one line: the
 * file is empty or cannot be read. A directory is named as one.
 */
static int peek_first_byte(FILE *fp, const char *path)
{
	struct stat st;
	int c;

	/* fstat only for the kind of file: its size may be 0 and the file not */
	if (!fstat(fileno(fp), &st) && S_ISDIR(st.st_mode)) {
		error("cannot read '%s': it is a directory", path);
		return EOF;
	}
	errno = 0;
	c = getc(fp);
	if (c == EOF) {
		if (ferror(fp))
			error("cannot read '%s': %s", path, strerror(errno ? errno : EIO));
		else
			error("cannot read '%s': the file is empty", path);
		return EOF;
	}
	ungetc(c, fp);
	return c;
}

/*
 * With keys, the numeric arrays under them are packed into columns (see
 * jsoncolumns.h); without, jansson reads the stream directly.
 */
static json_t *load(const char *path, const char *const *keys,
		    struct packed_columns *columns)
{
	json_error_t jerr;
	json_t *root = NULL;
	FILE *fp = fopen(path, "r"), *in = NULL;
	struct gunzip *g = NULL;
	int first, read_failed = 0, read_errno = 0;

	if (!fp) {
		error("cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	first = peek_first_byte(fp, path);
	if (first == EOF) {
		fclose(fp);
		return NULL;
	}
	if (first == GZIP_FIRST_BYTE && !(in = gunzip_stream(fp, path, &g))) {
		fclose(fp);
		return NULL;
	}
	errno = 0;
	if (keys) {
		struct packing_filter *filter = packing_filter_new(in ? in : fp, keys, columns);

		root = json_load_callback(packing_filter_read, filter,
					  JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
		read_failed = packing_filter_failed(filter);
		read_errno = errno;
		packing_filter_free(filter);
	} else {
		root = json_loadf(in ? in : fp, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
		read_errno = errno;
		read_failed = ferror(in ? in : fp);
	}
	if (!root)
		parse_error(path, g, read_failed, read_errno, &jerr);
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

json_t *json_text(const char *s)
{
	char *valid;
	json_t *v;

	if (!s)
		return json_null();
	if (utf8_valid(s))
		return json_string(s);
	valid = utf8_valid_copy(s);
	v = json_string(valid);
	free(valid);
	return v;
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

static int write_tree(const char *path, const void *root)
{
	return json_file_write(root, path);
}

int json_file_save(const json_t *root, const char *path, const char *stem, const char *what)
{
	if (!json_file_write(root, path))
		return 0;
	atomic_keep_elsewhere(path, what, stem, ".json", write_tree, root);
	return -1;
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
