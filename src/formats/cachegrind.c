/*
 * cachegrind: see cachegrind.h. One pass over the whole text, line by line.
 *
 * Files of hundreds of thousands of lines are common, so nothing is looked
 * up linearly: the (file, function) pair in effect is resolved through a
 * hash table only at the first cost line after it changes, and compressed
 * names "(N)" through another. While parsing, names are slices of the text
 * (which outlives the parse); a cg_function gets its own copies when it is
 * created, so nothing in the profile points into the text.
 *
 * The profile is built in a local struct and moved into the caller's only
 * when the whole text was read, so an error never leaves half a profile.
 */
#include "formats/cachegrind.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NONE SIZE_MAX
#define UNKNOWN_NAME "???"   /* what valgrind itself writes for "unknown" */

/* A piece of the text being parsed; s == NULL: none given yet. */
struct slice {
	const char *s;
	size_t len;
};

/*
 * Open addressing over entries 0..n-1 of an array kept by the caller, who
 * also keeps each entry's hash (needed to grow) and compares entries.
 * slot[i] is an entry index + 1, 0 when free; at most half full.
 */
struct index_table {
	size_t *slot;
	size_t size;          /* a power of two, or 0 */
};

/* Adds entry k (the newest: hashes[0..k] are set), growing as needed. */
static void table_add(struct index_table *t, const uint64_t *hashes, size_t k)
{
	size_t mask;

	if ((k + 1) * 2 > t->size) {
		size_t size = t->size ? t->size * 2 : 64;

		free(t->slot);
		t->slot = xcalloc(size, sizeof(*t->slot));
		t->size = size;
		for (size_t j = 0; j < k; j++)
			table_add(t, hashes, j);
	}
	mask = t->size - 1;
	for (size_t i = hashes[k] & mask;; i = (i + 1) & mask) {
		if (!t->slot[i]) {
			t->slot[i] = k + 1;
			return;
		}
	}
}

/* Compressed names "(id) name": one table for files, one for functions. */
struct name_def {
	uint64_t id;
	struct slice name;
};

struct name_table {
	struct name_def *defs;
	uint64_t *hashes;
	size_t nr, alloc, alloc_hashes;
	struct index_table index;
};

struct parser {
	const char *name;         /* for messages */
	size_t lineno;
	struct cg_profile *p;
	size_t events_line;       /* where the events: line was; 0: none yet */
	size_t nr_positions;      /* columns before the counts */
	struct slice file, fn;    /* in effect */
	size_t cur;               /* index in p->fns of (file, fn), or NONE */
	int skip_next;            /* the next cost line is a call's, not ours */
	int summary_line;         /* a summary: line was read (totals: is weaker) */
	uint64_t *counts;         /* one line's counts */
	uint64_t *total;          /* sum of every cost line read */
	uint64_t *fn_hashes;      /* per p->fns entry */
	size_t alloc_fn_hashes;
	struct index_table fn_index;
	struct name_table file_names, fn_names;
};

static void name_table_release(struct name_table *t)
{
	free(t->defs);
	free(t->hashes);
	free(t->index.slot);
}

/* Every message has the shape "cannot read 'name': line N: ...". */
static int bad(const struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(const struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	error("cannot read '%s': line %zu: %s", ps->name, ps->lineno, msg);
	free(msg);
	return -1;
}

/* At most 40 bytes of s for a message, control characters shown as '?'. */
static char *excerpt(const char *s, size_t len)
{
	size_t n = len > 40 ? 40 : len;
	char *out = xmalloc(n + 4);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	strcpy(out + n, n < len ? "..." : "");
	return out;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_space(const char *s, const char *end)
{
	while (s < end && is_space(*s))
		s++;
	return s;
}

static uint64_t hash_bytes(uint64_t h, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;      /* FNV-1a */
	}
	return h;
}

static uint64_t hash_id(uint64_t x)
{
	x ^= x >> 30;                       /* splitmix64's finaliser */
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* s is a NUL-terminated copy of exactly the slice (the text has no NUL). */
static int same(const char *s, struct slice sl)
{
	return !strncmp(s, sl.s, sl.len) && s[sl.len] == '\0';
}

static struct slice known(struct slice sl)
{
	if (!sl.s) {
		sl.s = UNKNOWN_NAME;
		sl.len = strlen(UNKNOWN_NAME);
	}
	return sl;
}

/* Decimal digits only, no sign: 0, or -1 when not a number or too big. */
static int parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (!len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(s[i]) ||
		    __builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(s[i] - '0'), &v))
			return -1;
	}
	*out = v;
	return 0;
}

/* A position column: 12, 0x4005d0, or callgrind's relative +3, -2 and *. */
static int is_position(const char *s, size_t len)
{
	size_t i = 0;

	if (!len)
		return 0;
	if (len == 1 && *s == '*')
		return 1;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (i = 2; i < len; i++)
			if (!is_digit(s[i]) && !strchr("abcdefABCDEF", s[i]))
				return 0;
		return 1;
	}
	if (*s == '+' || *s == '-')
		i = 1;
	if (i == len)
		return 0;
	for (; i < len; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

/*
 * The counts in [s, end) into ps->counts, missing trailing ones 0. what
 * names the line in messages ("cost line", "summary: line").
 */
static int parse_counts(struct parser *ps, const char *s, const char *end,
			const char *what)
{
	size_t n = 0;

	for (s = skip_space(s, end); s < end; s = skip_space(s, end)) {
		const char *tok = s;

		while (s < end && !is_space(*s))
			s++;
		if (n == ps->p->nr_events)
			return bad(ps, "%s has more counts than the %zu events of line %zu",
				   what, ps->p->nr_events, ps->events_line);
		if (parse_u64(tok, (size_t)(s - tok), &ps->counts[n])) {
			char *ex = excerpt(tok, (size_t)(s - tok));
			int ret = bad(ps, "count '%s' is %s", ex,
				      strspn(ex, "0123456789") == strlen(ex) ?
				      "too big for 64 bits" : "not a number");

			free(ex);
			return ret;
		}
		n++;
	}
	memset(ps->counts + n, 0, (ps->p->nr_events - n) * sizeof(*ps->counts));
	return 0;
}

/* The index of (file, fn) in p->fns, added with zero costs if new. */
static size_t lookup_function(struct parser *ps)
{
	struct cg_profile *p = ps->p;
	struct slice file = known(ps->file), fn = known(ps->fn);
	uint64_t h = hash_bytes(hash_bytes(0xcbf29ce484222325ULL, file.s, file.len),
				"\xff", 1);
	struct cg_function *f;
	size_t k;

	h = hash_bytes(h, fn.s, fn.len);
	if (ps->fn_index.size) {
		size_t mask = ps->fn_index.size - 1;

		for (size_t i = h & mask; ps->fn_index.slot[i]; i = (i + 1) & mask) {
			k = ps->fn_index.slot[i] - 1;
			if (ps->fn_hashes[k] == h && same(p->fns[k].name, fn) &&
			    same(p->fns[k].file, file))
				return k;
		}
	}
	k = p->nr_fns++;
	ALLOC_GROW(p->fns, p->nr_fns, p->alloc_fns);
	ALLOC_GROW(ps->fn_hashes, p->nr_fns, ps->alloc_fn_hashes);
	f = &p->fns[k];
	f->file = xmalloc(file.len + 1);
	memcpy(f->file, file.s, file.len);
	f->file[file.len] = '\0';
	f->name = xmalloc(fn.len + 1);
	memcpy(f->name, fn.s, fn.len);
	f->name[fn.len] = '\0';
	f->cost = xcalloc(p->nr_events, sizeof(*f->cost));
	ps->fn_hashes[k] = h;
	table_add(&ps->fn_index, ps->fn_hashes, k);
	return k;
}

static int cost_line(struct parser *ps, const char *s, const char *end)
{
	struct cg_profile *p = ps->p;
	uint64_t *cost;

	for (size_t i = 0; i < ps->nr_positions; i++) {
		const char *tok = s = skip_space(s, end);

		while (s < end && !is_space(*s))
			s++;
		if (!is_position(tok, (size_t)(s - tok))) {
			char *ex;
			int ret;

			if (!ps->events_line)
				return bad(ps, "not a cachegrind file");
			if (tok == s)
				return bad(ps, "cost line has fewer than the %zu positions of "
					   "the positions: line", ps->nr_positions);
			ex = excerpt(tok, (size_t)(s - tok));
			ret = bad(ps, "'%s' is not a position (line number)", ex);
			free(ex);
			return ret;
		}
	}
	if (!ps->events_line)
		return bad(ps, "no events: line before this cost line");
	if (parse_counts(ps, s, end, "cost line"))
		return -1;
	if (ps->skip_next) {
		ps->skip_next = 0;
		return 0;
	}
	for (size_t i = 0; i < p->nr_events; i++)
		if (__builtin_add_overflow(ps->total[i], ps->counts[i], &ps->total[i]))
			return bad(ps, "the counts of event '%s' add up beyond 2^64",
				   p->events[i]);
	if (ps->cur == NONE)
		ps->cur = lookup_function(ps);
	cost = p->fns[ps->cur].cost;
	for (size_t i = 0; i < p->nr_events; i++)
		cost[i] += ps->counts[i];   /* <= total: cannot overflow */
	return 0;
}

static struct name_def *find_name(struct name_table *t, uint64_t id)
{
	uint64_t h = hash_id(id);

	if (!t->index.size)
		return NULL;
	for (size_t i = h & (t->index.size - 1); t->index.slot[i];
	     i = (i + 1) & (t->index.size - 1)) {
		struct name_def *d = &t->defs[t->index.slot[i] - 1];

		if (d->id == id)
			return d;
	}
	return NULL;
}

/*
 * The name in [s, end) of a "key=" line into *out, resolving callgrind's
 * compression: "(id) name" defines id, "(id)" alone refers to it.
 * Anything else, "(below main)" included, is a name as it stands.
 */
static int read_name(struct parser *ps, const char *key, struct name_table *t,
		     const char *s, const char *end, struct slice *out)
{
	const char *p = s;
	struct name_def *d;
	uint64_t id;

	if (p < end && *p == '(')
		while (++p < end && is_digit(*p))
			;
	if (p == s || p == s + 1 || p == end || *p != ')' ||
	    parse_u64(s + 1, (size_t)(p - s - 1), &id)) {
		out->s = s;
		out->len = (size_t)(end - s);
		return 0;
	}
	p = skip_space(p + 1, end);
	d = find_name(t, id);
	if (p == end) {
		if (!d)
			return bad(ps, "%s=(%" PRIu64 ") refers to a name never defined",
				   key, id);
		*out = d->name;
		return 0;
	}
	if (!d) {
		ALLOC_GROW(t->defs, t->nr + 1, t->alloc);
		ALLOC_GROW(t->hashes, t->nr + 1, t->alloc_hashes);
		d = &t->defs[t->nr];
		d->id = id;
		t->hashes[t->nr] = hash_id(id);
		table_add(&t->index, t->hashes, t->nr++);
	}
	d->name.s = p;
	d->name.len = (size_t)(end - p);
	*out = d->name;
	return 0;
}

/* "fl=", "fn=" and the other "key=" lines; unknown keys are ignored. */
static int spec_line(struct parser *ps, const char *key, size_t keylen,
		     const char *s, const char *end)
{
	/* the first 3 and the first 1 set what is in effect; the others
	 * name a call's or a jump's target and may only define a name */
	static const char *const file_keys[] = { "fl", "fi", "fe", "cfi", "cfl", "jfi" };
	static const char *const fn_keys[] = { "fn", "cfn", "jfn" };
	char k[8];
	struct slice name;

	if (keylen >= sizeof(k))
		return 0;
	memcpy(k, key, keylen);
	k[keylen] = '\0';
	if (!strcmp(k, "calls") || !strcmp(k, "jump") || !strcmp(k, "jcnd")) {
		ps->skip_next = 1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(file_keys) / sizeof(*file_keys); i++) {
		if (strcmp(k, file_keys[i]))
			continue;
		if (read_name(ps, k, &ps->file_names, s, end, &name))
			return -1;
		if (i < 3) {
			ps->file = name;
			ps->cur = NONE;
		}
		return 0;
	}
	for (size_t i = 0; i < sizeof(fn_keys) / sizeof(*fn_keys); i++) {
		if (strcmp(k, fn_keys[i]))
			continue;
		if (read_name(ps, k, &ps->fn_names, s, end, &name))
			return -1;
		if (i == 0) {
			ps->fn = name;
			ps->cur = NONE;
		}
		return 0;
	}
	return 0;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int events_line(struct parser *ps, const char *s, const char *end)
{
	struct cg_profile *p = ps->p;
	char **events = NULL;
	size_t n = 0, alloc = 0;
	int same;

	for (s = skip_space(s, end); s < end; s = skip_space(s, end)) {
		const char *tok = s;

		while (s < end && !is_space(*s))
			s++;
		ALLOC_GROW(events, n + 2, alloc);
		events[n] = xmalloc((size_t)(s - tok) + 1);
		memcpy(events[n], tok, (size_t)(s - tok));
		events[n][s - tok] = '\0';
		events[++n] = NULL;
	}
	if (!n)
		return bad(ps, "events: line names no events");
	if (!ps->events_line) {
		p->events = events;
		p->nr_events = n;
		ps->events_line = ps->lineno;
		ps->counts = xcalloc(n, sizeof(*ps->counts));
		ps->total = xcalloc(n, sizeof(*ps->total));
		p->summary = xcalloc(n, sizeof(*p->summary));
		return 0;
	}
	/* a callgrind file may repeat it for each part: the same events only */
	same = n == p->nr_events;
	for (size_t i = 0; same && i < n; i++)
		same = !strcmp(events[i], p->events[i]);
	free_names(events, n);
	if (!same)
		return bad(ps, "events: line differs from the one on line %zu",
			   ps->events_line);
	return 0;
}

/* "word: value" lines; unknown words are ignored. */
static int header_line(struct parser *ps, const char *key, size_t keylen,
		       const char *s, const char *end)
{
	struct cg_profile *p = ps->p;
	int is_summary;

#define IS(word) (keylen == strlen(word) && !memcmp(key, word, keylen))
	if (IS("events"))
		return events_line(ps, s, end);
	if (IS("cmd")) {
		s = skip_space(s, end);
		free(p->cmd);
		p->cmd = xmalloc((size_t)(end - s) + 1);
		memcpy(p->cmd, s, (size_t)(end - s));
		p->cmd[end - s] = '\0';
		return 0;
	}
	if (IS("positions")) {
		size_t n = 0;

		for (s = skip_space(s, end); s < end; s = skip_space(s, end), n++)
			while (s < end && !is_space(*s))
				s++;
		if (!n)
			return bad(ps, "positions: line names no positions");
		ps->nr_positions = n;
		return 0;
	}
	is_summary = IS("summary");
	if (!is_summary && !IS("totals"))
		return 0;
	if (!ps->events_line)
		return bad(ps, "no events: line before this %s: line",
			   is_summary ? "summary" : "totals");
	if (parse_counts(ps, s, end, is_summary ? "summary: line" : "totals: line"))
		return -1;
	/* what valgrind writes is summary:; an older totals: stands in for it */
	if (is_summary || !ps->summary_line) {
		memcpy(p->summary, ps->counts, p->nr_events * sizeof(*p->summary));
		p->has_summary = 1;
		ps->summary_line |= is_summary;
	}
	return 0;
#undef IS
}

static int parse_line(struct parser *ps, const char *s, const char *end)
{
	const char *key;

	s = skip_space(s, end);
	if (s == end || *s == '#')
		return 0;
	if (is_digit(*s) || *s == '+' || *s == '-' || *s == '*')
		return cost_line(ps, s, end);

	key = s;
	while (s < end && (is_digit(*s) || *s == '_' ||
			   (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		s++;
	if (s > key && s < end && *s == '=')
		return spec_line(ps, key, (size_t)(s - key), s + 1, end);
	if (s > key && s < end && *s == ':')
		return header_line(ps, key, (size_t)(s - key), s + 1, end);

	if (!ps->events_line)
		return bad(ps, "not a cachegrind file");
	{
		char *ex = excerpt(key, (size_t)(end - key));
		int ret = bad(ps, "malformed line '%s'", ex);

		free(ex);
		return ret;
	}
}

static int parse_text(struct parser *ps, const char *text, size_t len)
{
	const char *end = text + len;
	const char *nul;

	if (!len) {
		error("cannot read '%s': the file is empty", ps->name);
		return -1;
	}
	if ((nul = memchr(text, '\0', len))) {
		ps->lineno = 1;
		for (const char *q = text; (q = memchr(q, '\n', (size_t)(nul - q))); q++)
			ps->lineno++;
		return bad(ps, "not a cachegrind file (it has a NUL byte)");
	}
	for (const char *s = text; s < end; ) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *eol = nl ? nl : end;

		ps->lineno++;
		if (eol > s && eol[-1] == '\r')
			eol--;
		if (parse_line(ps, s, eol))
			return -1;
		s = nl ? nl + 1 : end;
	}
	if (!ps->events_line)
		return bad(ps, "end of file and no events: line");
	if (!ps->p->has_summary)
		memcpy(ps->p->summary, ps->total, ps->p->nr_events * sizeof(*ps->total));
	return 0;
}

int cachegrind_parse_buffer(const char *text, size_t len, const char *name,
			    struct cg_profile *out)
{
	struct cg_profile p;
	struct parser ps;
	int ret;

	cg_profile_init(&p);
	memset(&ps, 0, sizeof(ps));
	ps.name = name;
	ps.p = &p;
	ps.nr_positions = 1;
	ps.cur = NONE;

	ret = parse_text(&ps, text, len);

	free(ps.counts);
	free(ps.total);
	free(ps.fn_hashes);
	free(ps.fn_index.slot);
	name_table_release(&ps.file_names);
	name_table_release(&ps.fn_names);
	cg_profile_release(out);
	if (ret)
		cg_profile_release(&p);
	else
		*out = p;
	return ret;
}

/* The whole of path in a new buffer (NUL-terminated); NULL after an error. */
static char *read_whole(const char *path, size_t *len)
{
	struct stat st;
	size_t alloc, n = 0;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		error("cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		error("cannot read '%s': %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		error("cannot read '%s': it is a directory", path);
		close(fd);
		return NULL;
	}
	/* st_size is a hint: pipes say 0, and files can grow while read */
	alloc = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
	buf = xmalloc(alloc);
	for (;;) {
		ssize_t r;

		if (n + 1 >= alloc) {
			alloc *= 2;
			buf = xrealloc(buf, alloc);
		}
		r = read(fd, buf + n, alloc - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			error("cannot read '%s': %s", path, strerror(errno));
			free(buf);
			close(fd);
			return NULL;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

int cachegrind_parse(const char *path, struct cg_profile *out)
{
	size_t len;
	char *text = read_whole(path, &len);
	int ret;

	if (!text) {
		cg_profile_release(out);
		return -1;
	}
	ret = cachegrind_parse_buffer(text, len, path, out);
	free(text);
	return ret;
}

void cg_profile_init(struct cg_profile *p)
{
	memset(p, 0, sizeof(*p));
}

void cg_profile_release(struct cg_profile *p)
{
	free_names(p->events, p->nr_events);
	for (size_t i = 0; i < p->nr_fns; i++) {
		free(p->fns[i].file);
		free(p->fns[i].name);
		free(p->fns[i].cost);
	}
	free(p->fns);
	free(p->summary);
	free(p->cmd);
	cg_profile_init(p);
}

int cg_event_index(const struct cg_profile *p, const char *name)
{
	for (size_t i = 0; i < p->nr_events; i++)
		if (!strcmp(p->events[i], name))
			return (int)i;
	return -1;
}

uint64_t cg_total(const struct cg_profile *p, const char *name, int *found)
{
	int i = cg_event_index(p, name);

	if (found)
		*found = i >= 0;
	return i >= 0 ? p->summary[i] : 0;
}
