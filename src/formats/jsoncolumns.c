/*
 * jsoncolumns: see jsoncolumns.h. The filter only needs JSON's lexical
 * level: where strings begin and end (to skip brackets inside them), which
 * string was a key, and whether an array holds nothing but numbers or
 * booleans. The array's text is held until its closing bracket: only then
 * is it known whether it can be packed; if not, it goes to jansson as is.
 */
#include "formats/jsoncolumns.h"
#include "lib/util.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

/* Starts with a control character: no value steady writes looks like it. */
/*
 * A placeholder names the column and a key drawn anew for every load: a
 * file that spells out such a string itself cannot guess the key, so it
 * cannot make one of its strings stand for another column.
 */
#define PLACEHOLDER_PREFIX "\x01steady-column "
#define PLACEHOLDER_JSON "\"\\u0001steady-column %016" PRIx64 " %zu\""

void packed_columns_init(struct packed_columns *pc)
{
	memset(pc, 0, sizeof(*pc));
	if (getrandom(&pc->key, sizeof(pc->key), GRND_NONBLOCK) != sizeof(pc->key))
		pc->key = (uint64_t)monotonic_ns() ^ ((uint64_t)getpid() << 32) ^
			  (uint64_t)(uintptr_t)pc;
}

void packed_columns_release(struct packed_columns *pc)
{
	for (size_t i = 0; i < pc->nr; i++)
		free(pc->cols[i].data);
	free(pc->cols);
	packed_columns_init(pc);
}

const struct packed_column *packed_column_of(const struct packed_columns *pc,
					     const json_t *v)
{
	const char *s;
	char *end;
	unsigned long i;

	if (!pc || !json_is_string(v))
		return NULL;
	s = json_string_value(v);
	if (strncmp(s, PLACEHOLDER_PREFIX, strlen(PLACEHOLDER_PREFIX)))
		return NULL;
	s += strlen(PLACEHOLDER_PREFIX);
	errno = 0;
	if (strtoull(s, &end, 16) != pc->key || errno || end != s + 16 || *end != ' ')
		return NULL;
	s = end + 1;
	i = strtoul(s, &end, 10);
	if (errno || end == s || *end || i >= pc->nr)
		return NULL;
	return &pc->cols[i];
}

static json_t *column_array(const struct packed_column *c)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < c->n; i++) {
		json_t *v;

		if (c->kind == PACKED_BOOLEANS)
			v = json_boolean(packed_integer(c, i));
		else if (c->kind == PACKED_INTEGERS || i < c->first_real)
			v = json_integer(packed_integer(c, i));
		else
			v = json_real(packed_number(c, i));
		if (json_array_append_new(a, v)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

int packed_columns_unpack(json_t *root, const struct packed_columns *pc)
{
	const struct packed_column *c;
	const char *k;
	json_t *v, *a;

	if (!pc->nr)
		return 0;
	if (json_is_object(root)) {
		json_object_foreach(root, k, v) {
			if ((c = packed_column_of(pc, v))) {
				if (!(a = column_array(c)) || json_object_set_new(root, k, a))
					return -1;
			} else if (packed_columns_unpack(v, pc)) {
				return -1;
			}
		}
	} else if (json_is_array(root)) {
		for (size_t i = 0; i < json_array_size(root); i++) {
			v = json_array_get(root, i);
			if ((c = packed_column_of(pc, v))) {
				if (!(a = column_array(c)) || json_array_set_new(root, i, a))
					return -1;
			} else if (packed_columns_unpack(v, pc)) {
				return -1;
			}
		}
	}
	return 0;
}

int64_t packed_integer(const struct packed_column *c, size_t i)
{
	if (c->kind == PACKED_REALS)
		return (int64_t)((const double *)c->data)[i];
	switch (c->width) {
	case 1:
		return ((const int8_t *)c->data)[i];
	case 2:
		return ((const int16_t *)c->data)[i];
	case 4:
		return ((const int32_t *)c->data)[i];
	default:
		return ((const int64_t *)c->data)[i];
	}
}

double packed_number(const struct packed_column *c, size_t i)
{
	if (c->kind == PACKED_REALS)
		return ((const double *)c->data)[i];
	return (double)packed_integer(c, i);
}

struct packing_filter {
	FILE *in;
	const char *const *keys;
	struct packed_columns *out;
	int failed, eof;
	char inbuf[65536];
	/* text for jansson not yet handed over */
	char *pending;
	size_t pending_len, pending_pos, pending_alloc;
	/* the array being held back, from its '[' */
	char *held;
	size_t held_len, held_alloc;
	int holding;
	/* lexical state outside held arrays */
	int in_string, escaped;
	char last_string[64];
	size_t last_len;	/* beyond sizeof(last_string): matches no key */
	enum { AFTER_OTHER, AFTER_STRING, AFTER_KEY } after;
	int key_listed;
};

struct packing_filter *packing_filter_new(FILE *in, const char *const *keys,
					  struct packed_columns *out)
{
	struct packing_filter *f = xcalloc(1, sizeof(*f));

	f->in = in;
	f->keys = keys;
	f->out = out;
	return f;
}

void packing_filter_free(struct packing_filter *f)
{
	if (!f)
		return;
	free(f->pending);
	free(f->held);
	free(f);
}

int packing_filter_failed(const struct packing_filter *f)
{
	return f->failed;
}

static void append(char **buf, size_t *len, size_t *alloc, const char *s, size_t n)
{
	ALLOC_GROW(*buf, *len + n, *alloc);
	memcpy(*buf + *len, s, n);
	*len += n;
}

static void emit(struct packing_filter *f, const char *s, size_t n)
{
	append(&f->pending, &f->pending_len, &f->pending_alloc, s, n);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int key_is_listed(const struct packing_filter *f)
{
	if (f->last_len >= sizeof(f->last_string))
		return 0;
	for (const char *const *k = f->keys; *k; k++)
		if (strlen(*k) == f->last_len && !memcmp(*k, f->last_string, f->last_len))
			return 1;
	return 0;
}

/* One element: "true", "false" or a JSON number; *end after it. */
enum token { TOKEN_BAD, TOKEN_BOOL, TOKEN_INTEGER, TOKEN_REAL };

static enum token scan_token(const char *p, const char **end)
{
	const char *q = p;
	enum token t = TOKEN_INTEGER;

	if (!strncmp(p, "true", 4) || !strncmp(p, "false", 5)) {
		*end = p + (*p == 't' ? 4 : 5);
		return TOKEN_BOOL;
	}
	if (*q == '-')
		q++;
	if (*q == '0')
		q++;
	else if (*q >= '1' && *q <= '9')
		while (*q >= '0' && *q <= '9')
			q++;
	else
		return TOKEN_BAD;
	if (*q == '.') {
		t = TOKEN_REAL;
		if (!(*++q >= '0' && *q <= '9'))
			return TOKEN_BAD;
		while (*q >= '0' && *q <= '9')
			q++;
	}
	if (*q == 'e' || *q == 'E') {
		t = TOKEN_REAL;
		q++;
		if (*q == '+' || *q == '-')
			q++;
		if (!(*q >= '0' && *q <= '9'))
			return TOKEN_BAD;
		while (*q >= '0' && *q <= '9')
			q++;
	}
	*end = q;
	return t;
}

/*
 * Walks the held text "[ a, b, ... ]" (NUL-terminated). With col NULL it
 * only classifies: the kind, the count, the integer range and the first
 * real. With col it stores the values (col->kind and width already set).
 * 0, or -1 when the text is no array of numbers or booleans jansson
 * would accept as it is (it then reports the error itself).
 */
static int walk_held(const char *p, struct packed_column *info, struct packed_column *col)
{
	int64_t lo = 0, hi = 0;
	int saw_bool = 0, saw_number = 0;
	size_t n = 0;

	p++;	/* '[' */
	while (is_blank(*p))
		p++;
	if (*p == ']')
		goto done;
	for (;;) {
		const char *end;
		enum token t = scan_token(p, &end);
		int64_t iv = 0;
		double dv = 0;

		if (t == TOKEN_BAD)
			return -1;
		if (t == TOKEN_BOOL) {
			saw_bool = 1;
			iv = *p == 't';
		} else if (t == TOKEN_INTEGER) {
			char *stop;

			saw_number = 1;
			errno = 0;
			iv = strtoll(p, &stop, 10);
			if (errno)
				return -1;	/* jansson: "too big integer" */
			dv = (double)iv;
		} else {
			saw_number = 1;
			dv = strtod(p, NULL);
			if (!isfinite(dv))
				return -1;	/* jansson: "real number overflow" */
			if (!col && info->kind != PACKED_REALS) {
				info->kind = PACKED_REALS;
				info->first_real = n;
			}
		}
		if (saw_bool && saw_number)
			return -1;	/* mixed: left to jansson and the reader */
		if (!n || iv < lo)
			lo = iv;
		if (!n || iv > hi)
			hi = iv;
		if (col) {
			if (col->kind == PACKED_REALS) {
				((double *)col->data)[n] = dv;
			} else {
				switch (col->width) {
				case 1:
					((int8_t *)col->data)[n] = (int8_t)iv;
					break;
				case 2:
					((int16_t *)col->data)[n] = (int16_t)iv;
					break;
				case 4:
					((int32_t *)col->data)[n] = (int32_t)iv;
					break;
				default:
					((int64_t *)col->data)[n] = iv;
				}
			}
		}
		n++;
		p = end;
		while (is_blank(*p))
			p++;
		if (*p == ']')
			break;
		if (*p != ',')
			return -1;
		p++;
		while (is_blank(*p))
			p++;
	}
done:
	p++;
	if (*p)
		return -1;
	if (!col) {
		info->n = n;
		if (saw_bool)
			info->kind = PACKED_BOOLEANS;
		if (info->kind == PACKED_REALS)
			info->width = sizeof(double);
		else if (lo >= INT8_MIN && hi <= INT8_MAX)
			info->width = 1;
		else if (lo >= INT16_MIN && hi <= INT16_MAX)
			info->width = 2;
		else if (lo >= INT32_MIN && hi <= INT32_MAX)
			info->width = 4;
		else
			info->width = 8;
	}
	return 0;
}

/* The held array is complete: packed and replaced, or passed on as is. */
static void release_held(struct packing_filter *f)
{
	struct packed_column col = { .kind = PACKED_INTEGERS };
	char placeholder[64];
	int len;

	f->holding = 0;
	append(&f->held, &f->held_len, &f->held_alloc, "", 1);	/* NUL */
	f->held_len--;
	if (walk_held(f->held, &col, NULL)) {
		emit(f, f->held, f->held_len);
		return;
	}
	col.data = xmalloc(col.n ? col.n * col.width : 1);
	walk_held(f->held, &col, &col);
	ALLOC_GROW(f->out->cols, f->out->nr + 1, f->out->alloc);
	f->out->cols[f->out->nr] = col;
	len = snprintf(placeholder, sizeof(placeholder), PLACEHOLDER_JSON,
		       f->out->key, f->out->nr);
	f->out->nr++;
	emit(f, placeholder, (size_t)len);
	/* the lines jansson counts for its messages stay where they were */
	for (size_t i = 0; i < f->held_len; i++)
		if (f->held[i] == '\n')
			emit(f, "\n", 1);
}

/* Characters an array of numbers or booleans may hold before its ']'. */
static int may_be_held(char c)
{
	return (c >= '0' && c <= '9') || strchr("-+.eE, \t\n\rtrufals", c);
}

static void filter_char(struct packing_filter *f, char c)
{
	if (f->holding) {
		if (c && may_be_held(c)) {
			append(&f->held, &f->held_len, &f->held_alloc, &c, 1);
			return;
		}
		if (c == ']') {
			append(&f->held, &f->held_len, &f->held_alloc, &c, 1);
			release_held(f);
			return;
		}
		/* a string, an object, a nested array: not a column */
		f->holding = 0;
		emit(f, f->held, f->held_len);
		/* and c is ordinary text, below */
	}
	if (f->in_string) {
		if (f->escaped)
			f->escaped = 0;
		else if (c == '\\')
			f->escaped = 1;
		else if (c == '"')
			f->in_string = 0, f->after = AFTER_STRING;
		if (f->in_string) {
			if (f->last_len < sizeof(f->last_string))
				f->last_string[f->last_len] = c;
			f->last_len++;
		}
		emit(f, &c, 1);
		return;
	}
	if (is_blank(c)) {
		emit(f, &c, 1);
		return;
	}
	if (c == '"') {
		f->in_string = 1;
		f->last_len = 0;
		f->after = AFTER_OTHER;
	} else if (c == ':' && f->after == AFTER_STRING) {
		f->after = AFTER_KEY;
		f->key_listed = key_is_listed(f);
	} else if (c == '[' && f->after == AFTER_KEY && f->key_listed) {
		f->after = AFTER_OTHER;
		f->holding = 1;
		f->held_len = 0;
		append(&f->held, &f->held_len, &f->held_alloc, &c, 1);
		return;
	} else {
		f->after = AFTER_OTHER;
	}
	emit(f, &c, 1);
}

size_t packing_filter_read(void *buffer, size_t buflen, void *filter)
{
	struct packing_filter *f = filter;
	size_t n;

	while (f->pending_pos == f->pending_len && !f->eof) {
		size_t got = fread(f->inbuf, 1, sizeof(f->inbuf), f->in);

		f->pending_len = f->pending_pos = 0;
		for (size_t i = 0; i < got; i++)
			filter_char(f, f->inbuf[i]);
		if (got < sizeof(f->inbuf)) {
			f->eof = 1;
			if (ferror(f->in)) {
				f->failed = 1;
				return (size_t)-1;
			}
			/* an array cut off by the end of the file: jansson's error */
			if (f->holding) {
				f->holding = 0;
				emit(f, f->held, f->held_len);
			}
		}
	}
	n = f->pending_len - f->pending_pos;
	if (n > buflen)
		n = buflen;
	memcpy(buffer, f->pending + f->pending_pos, n);
	f->pending_pos += n;
	return n;
}
