/*
 * diff: see diff.h. The input is read line by line with a cursor that
 * knows its line number, so every refusal can name the line. Lines are
 * never NUL-terminated in place: the text is borrowed, may hold any byte,
 * and may lack its last newline, so every test is bounded by its end.
 */
#include "toolchain/diff.h"
#include "lib/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- lines ---- */

struct parser {
	const char *name;       /* the diff's name in messages */
	const char *p, *end;    /* the current line starts at p */
	unsigned long lineno;   /* the current line's number, from 1 */
	struct diff *out;
};

static char *copy(const char *p, size_t len)
{
	char *s = xmalloc(len + 1);

	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

/* Past the line at p: past its newline, or end for a last line without one. */
static const char *line_after(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl + 1 : end;
}

/* The line at p without its line end ("\n", or "\r\n" as a CRLF mail has them). */
static size_t content_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t len = (size_t)((nl ? nl : end) - p);

	if (len && p[len - 1] == '\r')
		len--;
	return len;
}

static int has_prefix(const char *p, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);

	return (size_t)(end - p) >= n && !memcmp(p, prefix, n);
}

static void advance(struct parser *ps)
{
	ps->p = line_after(ps->p, ps->end);
	ps->lineno++;
}

static int at_end(const struct parser *ps)
{
	return ps->p >= ps->end;
}

/* "Binary files A and B differ": what diff and git say of a binary file. */
static int is_binary_line(const char *p, const char *end)
{
	size_t len = content_len(p, end);

	return has_prefix(p, end, "Binary files ") && len > 20 &&
	       !memcmp(p + len - 7, " differ", 7);
}

/* format-patch's signature, "-- " alone: the end of a mail, not a removed line. */
static int is_signature(const char *p, const char *end)
{
	return content_len(p, end) == 3 && has_prefix(p, end, "-- ");
}

/* How the file that starts at a line begins. */
enum file_start {
	START_NONE,
	START_GIT,        /* "diff --git a/x b/x" and its extended header lines */
	START_DIFF_LINE,  /* diff -r's "diff -ruN a/x b/x", then "---" or "Binary files" */
	START_NAMES,      /* "---" and "+++" straight away (diff -u of two files) */
	START_BINARY,     /* diff -r's "Binary files a/x and b/x differ" alone */
};

static int names_follow(const char *p, const char *end)
{
	return has_prefix(p, end, "--- ") && has_prefix(line_after(p, end), end, "+++ ");
}

static enum file_start file_starts(const char *p, const char *end)
{
	if (has_prefix(p, end, "diff --git "))
		return START_GIT;
	if (names_follow(p, end))
		return START_NAMES;
	if (has_prefix(p, end, "diff ")) {
		const char *next = line_after(p, end);

		if (names_follow(next, end) || is_binary_line(next, end))
			return START_DIFF_LINE;
	}
	if (is_binary_line(p, end))
		return START_BINARY;
	return START_NONE;
}

/* ---- names ---- */

/*
 * A name git quoted ("a/tab\tname.c", with C escapes and octal bytes) at
 * s (its opening quote), without the quotes: a new string, *used the
 * bytes it took; NULL when the quote is not closed.
 */
static char *unquote(const char *s, size_t len, size_t *used)
{
	char *out = xmalloc(len + 1);
	size_t n = 0, i = 1;

	while (i < len && s[i] != '"') {
		char c = s[i++];

		if (c == '\\' && i < len) {
			c = s[i++];
			switch (c) {
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'v': c = '\v'; break;
			default:
				if (c >= '0' && c <= '3' && i + 1 < len &&
				    s[i] >= '0' && s[i] <= '7' && s[i + 1] >= '0' && s[i + 1] <= '7') {
					c = (char)((c - '0') << 6 | (s[i] - '0') << 3 | (s[i + 1] - '0'));
					i += 2;
				}
				break; /* '\\' and '"' stand for themselves */
			}
		}
		out[n++] = c;
	}
	if (i >= len) {
		free(out);
		return NULL;
	}
	out[n] = '\0';
	*used = i + 1;
	return out;
}

/* A name as it is written (quoted or not), as a new string. */
static char *plain_or_quoted(const char *s, size_t len)
{
	size_t used;
	char *name = len && s[0] == '"' ? unquote(s, len, &used) : NULL;

	return name ? name : copy(s, len);
}

/*
 * The name as patch -p1 reads it: the first directory dropped; NULL for
 * /dev/null. Takes name over.
 */
static char *strip_name(char *name)
{
	char *slash;

	if (!strcmp(name, "/dev/null")) {
		free(name);
		return NULL;
	}
	slash = strchr(name, '/');
	if (slash)
		memmove(name, slash + 1, strlen(slash + 1) + 1);
	return name;
}

/*
 * Whether a date after a name's tab is the epoch, 1970-01-01 00:00:00
 * UTC, which diff -N gives the side of a file that does not exist (in
 * the local zone: "1969-12-31 19:00:00.000000000 -0500").
 */
static int is_epoch(const char *s, size_t len)
{
	char buf[64];
	int y, mon, day, h, min, sec, zh = 0, zm = 0, n = 0;
	long t, zone = 0;
	const char *p;

	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (sscanf(buf, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mon, &day, &h, &min, &sec, &n) != 6)
		return 0;
	p = buf + n;
	if (*p == '.')
		p += 1 + strspn(p + 1, "0123456789");
	if (*p == ' ' && (p[1] == '+' || p[1] == '-') &&
	    sscanf(p + 2, "%2d%2d", &zh, &zm) == 2)
		zone = (p[1] == '-' ? -1 : 1) * (zh * 3600L + zm * 60);
	/* time zones are less than a day away, so the day is one of three */
	if (y == 1970 && mon == 1 && day == 1)
		t = 0;
	else if (y == 1970 && mon == 1 && day == 2)
		t = 86400;
	else if (y == 1969 && mon == 12 && day == 31)
		t = -86400;
	else
		return 0;
	return t + h * 3600L + min * 60L + sec - zone == 0;
}

/*
 * The name of a "--- NAME" or "+++ NAME" line (s at NAME), unstripped;
 * *epoch whether the date after it is the epoch. A name ends at a tab
 * (a date follows, or git marks a name with a blank) or its line's end.
 */
static char *header_name(const char *s, size_t len, int *epoch)
{
	const char *tab;
	size_t used;
	char *name = NULL;

	*epoch = 0;
	if (len && s[0] == '"')
		name = unquote(s, len, &used);
	if (name) {
		s += used;
		len -= used;
		if (len && *s == '\t')
			*epoch = is_epoch(s + 1, len - 1);
		return name;
	}
	tab = memchr(s, '\t', len);
	if (!tab)
		return copy(s, len);
	*epoch = is_epoch(tab + 1, len - (size_t)(tab + 1 - s));
	return copy(s, (size_t)(tab - s));
}

/* Whether two names are the same once their first directories go. */
static int same_stripped(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *sa = memchr(a, '/', alen), *sb = memchr(b, '/', blen);

	if (!sa || !sb)
		return 0;
	alen -= (size_t)(sa - a);
	blen -= (size_t)(sb - b);
	return alen == blen && !memcmp(sa, sb, alen);
}

/*
 * The two names of "diff --git A B" (s at A), unstripped. Unquoted names
 * may hold blanks, so the blank between them is the one that leaves the
 * same name on both sides, as it is when the line is all there is (a mode
 * change, a binary or empty file: renames have their own lines).
 */
static void git_line_names(const char *s, size_t len, char **a, char **b)
{
	size_t used, split = len;

	*a = *b = NULL;
	if (len && s[0] == '"') {
		*a = unquote(s, len, &used);
		if (*a && used < len && s[used] == ' ') {
			*b = plain_or_quoted(s + used + 1, len - used - 1);
			return;
		}
		free(*a);
		*a = NULL;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] != ' ')
			continue;
		if (split == len)
			split = i;
		if (i + 1 < len && (s[i + 1] == '"' ||
				    same_stripped(s, i, s + i + 1, len - i - 1))) {
			split = i;
			break;
		}
	}
	*a = copy(s, split);
	*b = split < len ? plain_or_quoted(s + split + 1, len - split - 1) : xstrdup("");
}

/* The names of "Binary files A and B differ", unstripped. */
static void binary_line_names(const char *p, const char *end, char **a, char **b)
{
	const char *s = p + strlen("Binary files ");
	size_t len = content_len(p, end) - strlen("Binary files ") - strlen(" differ");
	const char *and = memmem(s, len, " and ", 5);

	if (!and) {
		*a = copy(s, len);
		*b = xstrdup("");
		return;
	}
	*a = plain_or_quoted(s, (size_t)(and - s));
	*b = plain_or_quoted(and + 5, len - (size_t)(and + 5 - s));
}

/* ---- hunks ---- */

/* A number of a "@@" line, at *s; 0 or -1. */
static int read_number(const char **s, const char *end, long *out)
{
	const char *p = *s;
	long n = 0;

	if (p >= end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (n > (1L << 40))
			return -1; /* no file has that many lines */
		n = n * 10 + (*p - '0');
	}
	*s = p;
	*out = n;
	return 0;
}

/* "START[,COUNT]" of a "@@" line; a count left out is 1. */
static int read_range(const char **s, const char *end, long *start, long *count)
{
	if (read_number(s, end, start))
		return -1;
	*count = 1;
	if (*s < end && **s == ',') {
		(*s)++;
		return read_number(s, end, count);
	}
	return 0;
}

/* Moves s past word if it is there. */
static int expect(const char **s, const char *end, const char *word)
{
	if (!has_prefix(*s, end, word))
		return -1;
	*s += strlen(word);
	return 0;
}

/* "@@ -a,b +c,d @@TAIL" of the line at p (len bytes, no line end) into h. */
static int read_hunk_header(const char *p, size_t len, struct diff_hunk *h)
{
	const char *s = p, *end = p + len;

	if (expect(&s, end, "@@ -") || read_range(&s, end, &h->old_start, &h->old_count) ||
	    expect(&s, end, " +") || read_range(&s, end, &h->new_start, &h->new_count) ||
	    expect(&s, end, " @@"))
		return -1;
	h->header_tail = copy(s, (size_t)(end - s));
	return 0;
}

/*
 * The hunk whose "@@" line is the current one, for the file that will be
 * d->files[d->nr_files]. Its body is as many lines as the "@@" line
 * counts, each ' ' (in both), '-' (old) or '+' (new); an empty line is a
 * context line whose blank an editor took off; a "\" line says the line
 * before it has no newline, and counts in neither.
 */
static int read_hunk(struct parser *ps)
{
	struct diff *d = ps->out;
	struct diff_hunk h = { .file = d->nr_files };
	unsigned long header_no = ps->lineno;
	const char *header = ps->p, *body;
	long old_left, new_left;

	if (read_hunk_header(ps->p, content_len(ps->p, ps->end), &h))
		return error("%s:%lu: '%.*s' is not a hunk's first line ('@@ -a,b +c,d @@')",
			     ps->name, ps->lineno, (int)content_len(ps->p, ps->end), ps->p);
	advance(ps);
	body = ps->p;
	/* kept as a C string: a NUL would cut it short when written back (fuzz_diff) */
	if (memchr(header, '\0', (size_t)(body - header))) {
		free(h.header_tail);
		return error("%s:%lu: a NUL byte in a hunk's '@@' line", ps->name, header_no);
	}
	old_left = h.old_count;
	new_left = h.new_count;
	while (old_left || new_left) {
		char c = at_end(ps) ? 0 : *ps->p;

		if ((c == ' ' || c == '\n') && old_left && new_left) {
			old_left--;
			new_left--;
		} else if (c == '-' && old_left) {
			old_left--;
		} else if (c == '+' && new_left) {
			new_left--;
		} else if (c != '\\') {
			free(h.header_tail);
			if (c == '-' || c == '+' || c == ' ')
				return error("%s:%lu: the hunk at line %lu has more %s lines than "
					     "its '@@' line counts (%ld old, %ld new)",
					     ps->name, ps->lineno, header_no,
					     c == '+' ? "added" : c == '-' ? "removed" : "context",
					     h.old_count, h.new_count);
			return error("%s:%lu: the hunk at line %lu is cut short: its '@@' line "
				     "counts %ld old and %ld new lines, %ld and %ld are missing",
				     ps->name, ps->lineno, header_no, h.old_count, h.new_count,
				     old_left, new_left);
		}
		advance(ps);
	}
	if (!at_end(ps) && *ps->p == '\\')
		advance(ps);
	h.header_line = copy(header, (size_t)(body - header));
	h.text_len = (size_t)(ps->p - body);
	h.text = copy(body, h.text_len);
	ALLOC_GROW(d->hunks, d->nr_hunks + 1, d->alloc_hunks);
	d->hunks[d->nr_hunks++] = h;
	return 0;
}

/* ---- files ---- */

/* The lines of git's extended header this parser knows, and what each says. */
enum git_line { GIT_MODE, GIT_NEW, GIT_DELETED, GIT_RENAME_FROM, GIT_RENAME_TO,
		GIT_COPY_FROM, GIT_COPY_TO, GIT_NOTHING };

static const struct {
	const char *prefix;
	enum git_line what;
} git_lines[] = {
	{ "old mode ", GIT_MODE },
	{ "new mode ", GIT_MODE },
	{ "new file mode ", GIT_NEW },
	{ "deleted file mode ", GIT_DELETED },
	{ "rename from ", GIT_RENAME_FROM },
	{ "rename old ", GIT_RENAME_FROM },   /* an older spelling git apply still reads */
	{ "rename to ", GIT_RENAME_TO },
	{ "rename new ", GIT_RENAME_TO },
	{ "copy from ", GIT_COPY_FROM },
	{ "copy to ", GIT_COPY_TO },
	{ "similarity index ", GIT_NOTHING },
	{ "dissimilarity index ", GIT_NOTHING },
	{ "index ", GIT_NOTHING },
};

#define NR_GIT_LINES (sizeof(git_lines) / sizeof(*git_lines))

/* The names a file's header gave, unstripped; the struct's to free. */
struct names {
	char *git_a, *git_b;            /* "diff --git a/x b/x" */
	char *from, *to;                /* "rename from"/"copy from", "... to": no directory to drop */
	char *minus, *plus;             /* "---", "+++", or "Binary files A and B differ" */
	int minus_epoch, plus_epoch;
};

static void names_release(struct names *n)
{
	free(n->git_a);
	free(n->git_b);
	free(n->from);
	free(n->to);
	free(n->minus);
	free(n->plus);
}

/* git's extended header lines, after "diff --git": what they say into f and n. */
static void read_git_lines(struct parser *ps, struct diff_file *f, struct names *n)
{
	for (; !at_end(ps); advance(ps)) {
		size_t len = content_len(ps->p, ps->end), i, plen;
		char **name = NULL;

		for (i = 0; i < NR_GIT_LINES; i++)
			if (has_prefix(ps->p, ps->end, git_lines[i].prefix))
				break;
		if (i == NR_GIT_LINES)
			return;
		plen = strlen(git_lines[i].prefix);
		switch (git_lines[i].what) {
		case GIT_MODE: f->mode_change = 1; break;
		case GIT_NEW: f->is_new = 1; break;
		case GIT_DELETED: f->is_deleted = 1; break;
		case GIT_RENAME_FROM: f->is_rename = 1; name = &n->from; break;
		case GIT_RENAME_TO: f->is_rename = 1; name = &n->to; break;
		case GIT_COPY_FROM: f->is_copy = 1; name = &n->from; break;
		case GIT_COPY_TO: f->is_copy = 1; name = &n->to; break;
		case GIT_NOTHING: break;
		}
		if (name && len >= plen) {
			free(*name);
			*name = plain_or_quoted(ps->p + plen, len - plen);
		}
	}
}

/* old_path and new_path from the best names the header gave. */
static void choose_paths(struct diff_file *f, struct names *n)
{
	if (n->minus) {
		f->old_path = strip_name(n->minus);
		f->new_path = strip_name(n->plus);
		n->minus = n->plus = NULL;
	} else if (n->from && n->to) {
		f->old_path = n->from;
		f->new_path = n->to;
		n->from = n->to = NULL;
	} else if (n->git_a) {
		f->old_path = f->is_new ? NULL : strip_name(n->git_a);
		f->new_path = f->is_deleted ? NULL : strip_name(n->git_b);
		if (f->is_new)
			free(n->git_a);
		if (f->is_deleted)
			free(n->git_b);
		n->git_a = n->git_b = NULL;
	}
}

/*
 * After a "diff --git" line and its extended header lines, at a line that
 * none of those is and that starts nothing: 1 when the lines from here
 * run, with no file start or signature between, into a bare "---" and
 * "+++" pair or a bare "Binary files ... differ". git writes those right
 * after its header, so a line it does not write has broken them off (found
 * by fuzz_diff); read apart, they would be two files, and the patch
 * written back would read as one.
 */
static int git_names_broken_off(const char *p, const char *end)
{
	for (; p < end; p = line_after(p, end)) {
		enum file_start kind = file_starts(p, end);

		if (kind)
			return kind == START_NAMES || kind == START_BINARY;
		if (is_signature(p, end))
			return 0;
	}
	return 0;
}

/*
 * The file whose first header line is the current one (how it starts:
 * kind), with its hunks, appended to the diff.
 */
static int read_file(struct parser *ps, enum file_start kind)
{
	struct diff *d = ps->out;
	struct diff_file f = { .first_hunk = d->nr_hunks, .group = DIFF_NO_GROUP };
	struct names n = { 0 };
	const char *header = ps->p;
	unsigned long header_no = ps->lineno;
	size_t header_len;
	int has_names = 0, ret = -1;

	if (kind == START_GIT) {
		size_t len = content_len(ps->p, ps->end) - strlen("diff --git ");

		git_line_names(ps->p + strlen("diff --git "), len, &n.git_a, &n.git_b);
		advance(ps);
		read_git_lines(ps, &f, &n);
		if (!at_end(ps) && !file_starts(ps->p, ps->end) &&
		    git_names_broken_off(ps->p, ps->end)) {
			error("%s:%lu: a line git does not write, between 'diff --git' and its '---' or 'Binary files' line",
			      ps->name, ps->lineno);
			goto out;
		}
	} else if (kind == START_DIFF_LINE) {
		advance(ps);
	}

	if (has_prefix(ps->p, ps->end, "GIT binary patch")) {
		const char *slash = n.git_b ? strchr(n.git_b, '/') : NULL;

		error("%s:%lu: the change to '%s' is a binary patch, which steady cannot take apart",
		      ps->name, ps->lineno, slash ? slash + 1 : n.git_b ? n.git_b : "?");
		goto out;
	}
	if (is_binary_line(ps->p, ps->end)) {
		f.is_binary = 1;
		binary_line_names(ps->p, ps->end, &n.minus, &n.plus);
		advance(ps);
	} else if (names_follow(ps->p, ps->end)) {
		size_t len = content_len(ps->p, ps->end);

		n.minus = header_name(ps->p + 4, len - 4, &n.minus_epoch);
		advance(ps);
		len = content_len(ps->p, ps->end);
		n.plus = header_name(ps->p + 4, len - 4, &n.plus_epoch);
		advance(ps);
		has_names = 1;
	}
	header_len = (size_t)(ps->p - header);
	/* kept as a C string: a NUL would cut it short when written back (fuzz_diff) */
	if (memchr(header, '\0', header_len)) {
		error("%s:%lu: a NUL byte in the header of a file", ps->name, header_no);
		goto out;
	}

	/* hunks come after "---" and "+++" only: a lone "@@" is refused later */
	while (has_names && has_prefix(ps->p, ps->end, "@@"))
		if (read_hunk(ps))
			goto out;
	f.nr_hunks = d->nr_hunks - f.first_hunk;
	/*
	 * patch refuses hunks out of order ("misordered hunks"), and a part
	 * of them could not be written back with its "+c" counted again
	 * (found by fuzz_diff).
	 */
	for (size_t i = f.first_hunk + 1; i < d->nr_hunks; i++)
		if (d->hunks[i].old_start < d->hunks[i - 1].old_start) {
			error("%s:%lu: the hunks of '%s' are out of order ('%.*s' after '%.*s')",
			      ps->name, ps->lineno, n.plus ? n.plus : "?",
			      (int)strcspn(d->hunks[i].header_line, "\r\n"), d->hunks[i].header_line,
			      (int)strcspn(d->hunks[i - 1].header_line, "\r\n"),
			      d->hunks[i - 1].header_line);
			goto out;
		}
	/*
	 * Whatever hunks a part leaves out, its "+c" is counted back by what
	 * they added (diff_write_subset): a "+c" not past what the hunks
	 * above add would come out negative, or 0 for lines that are there. No diff gives one, even edited
	 * by hand: the lines the hunks above take away lie before it (found
	 * by fuzz_diff).
	 */
	for (size_t i = f.first_hunk, added = 0; i < d->nr_hunks; i++) {
		const struct diff_hunk *h = &d->hunks[i];

		/* lines there are start at "+1" or later: past those added above */
		if (h->new_start < (long)added + (h->new_count > 0)) {
			error("%s:%lu: the hunk '%.*s' of '%s' starts at new line %ld, but the hunks "
			      "above it add %zu lines",
			      ps->name, ps->lineno, (int)strcspn(h->header_line, "\r\n"),
			      h->header_line, n.plus ? n.plus : "?", h->new_start, added);
			goto out;
		}
		if (h->new_count > h->old_count)
			added += (size_t)(h->new_count - h->old_count);
	}
	if (has_names && !f.nr_hunks) {
		error("%s:%lu: no hunk ('@@ -a,b +c,d @@') after the '+++' line", ps->name,
		      ps->lineno);
		goto out;
	}
	/* A hunk longer than its "@@" line says would lose its last lines. */
	if (f.nr_hunks && !at_end(ps) && memchr(" +-", *ps->p, 3) &&
	    !file_starts(ps->p, ps->end) && !is_signature(ps->p, ps->end)) {
		const struct diff_hunk *last = &d->hunks[d->nr_hunks - 1];

		error("%s:%lu: a line past the end of the hunk '%.*s' (the hunk has more lines "
		      "than it counts)", ps->name, ps->lineno,
		      (int)content_len(last->header_line, last->header_line + strlen(last->header_line)),
		      last->header_line);
		goto out;
	}

	/*
	 * git writes no "diff --git" header that changes nothing: with no
	 * hunk and no mode, name, new, deleted or binary line, a line git
	 * does not write broke it off from its "---" and "+++" (found by
	 * fuzz_diff; a "@@" line next is refused as a hunk outside any file
	 * by diff_parse()). Taken as a file of its own, it would be a group that
	 * changes nothing, and the patch written back would read otherwise.
	 */
	if (kind == START_GIT && !f.nr_hunks && !f.is_binary && !f.is_new && !f.is_deleted &&
	    !f.is_rename && !f.is_copy && !f.mode_change &&
	    !has_prefix(ps->p, ps->end, "@@ -")) {  /* that one: "a hunk outside any file" */
		error("%s:%lu: a 'diff --git' header that changes nothing (a line git does not write in it?)",
		      ps->name, ps->lineno);
		goto out;
	}
	choose_paths(&f, &n);
	if (kind != START_GIT) {
		/*
		 * diff -N writes a missing file as an empty one dated the
		 * epoch; patch takes that date to mean "no such file".
		 */
		if (f.old_path && n.minus_epoch && f.nr_hunks == 1 &&
		    !d->hunks[f.first_hunk].old_count) {
			free(f.old_path);
			f.old_path = NULL;
		}
		if (f.new_path && n.plus_epoch && f.nr_hunks == 1 &&
		    !d->hunks[f.first_hunk].new_count) {
			free(f.new_path);
			f.new_path = NULL;
		}
		f.is_new = !f.old_path;
		f.is_deleted = !f.new_path;
	}
	f.header = copy(header, header_len);
	ALLOC_GROW(d->files, d->nr_files + 1, d->alloc_files);
	d->files[d->nr_files++] = f;
	ret = 0;
out:
	names_release(&n);
	return ret;
}

int diff_parse(const char *text, size_t len, const char *name, struct diff *out)
{
	struct parser ps = { name, text, text + len, 1, out };
	unsigned long first_hunk_line = 0; /* of a hunk in the preamble */

	memset(out, 0, sizeof(*out));
	while (!at_end(&ps) && !file_starts(ps.p, ps.end)) {
		if (!first_hunk_line && has_prefix(ps.p, ps.end, "@@ -"))
			first_hunk_line = ps.lineno;
		advance(&ps);
	}
	out->preamble = copy(text, (size_t)(ps.p - text));
	while (!at_end(&ps)) {
		enum file_start kind = file_starts(ps.p, ps.end);

		if (kind) {
			if (read_file(&ps, kind))
				goto fail;
		} else if (has_prefix(ps.p, ps.end, "@@ -")) {
			error("%s:%lu: a hunk outside any file (no '---' and '+++' lines before it)",
			      name, ps.lineno);
			goto fail;
		} else {
			advance(&ps);
		}
	}
	if (!out->nr_files && first_hunk_line) {
		/* a commit message may quote one; with no file it was meant as a hunk */
		error("%s:%lu: a hunk outside any file (no '---' and '+++' lines before it)",
		      name, first_hunk_line);
		goto fail;
	}
	if (!out->nr_files) {
		error("%s: not a diff (no 'diff --git' line, no '---' and '+++' lines)", name);
		goto fail;
	}
	diff_group(out);
	return 0;
fail:
	diff_release(out);
	return -1;
}

int diff_read_file(const char *path, struct diff *out)
{
	FILE *fp = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, alloc = 0, n;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!fp)
		return error("cannot open '%s': %s", path, strerror(errno));
	do {
		ALLOC_GROW(text, len + 65536, alloc);
		n = fread(text + len, 1, alloc - len, fp);
		len += n;
	} while (n);
	if (ferror(fp)) {
		ret = error("cannot read '%s': %s", path, strerror(errno));
		fclose(fp);
		free(text);
		return ret;
	}
	fclose(fp);
	ret = diff_parse(text, len, path, out);
	free(text);
	return ret;
}

void diff_release(struct diff *d)
{
	for (size_t i = 0; i < d->nr_files; i++) {
		free(d->files[i].old_path);
		free(d->files[i].new_path);
		free(d->files[i].header);
	}
	for (size_t i = 0; i < d->nr_hunks; i++) {
		free(d->hunks[i].header_line);
		free(d->hunks[i].header_tail);
		free(d->hunks[i].text);
	}
	free(d->files);
	free(d->hunks);
	free(d->preamble);
	memset(d, 0, sizeof(*d));
}

/* ---- groups ---- */

/*
 * Units are the hunks (0 .. nr_hunks - 1) and the hunk-less files
 * (nr_hunks + file index); unit_root() follows a union-find forest.
 */
static size_t unit_root(size_t *parent, size_t u)
{
	while (parent[u] != u)
		u = parent[u] = parent[parent[u]];
	return u;
}

static void unit_join(size_t *parent, size_t a, size_t b)
{
	parent[unit_root(parent, b)] = unit_root(parent, a);
}

static size_t file_unit(const struct diff *d, size_t file)
{
	const struct diff_file *f = &d->files[file];

	return f->nr_hunks ? f->first_hunk : d->nr_hunks + file;
}

/*
 * Whether two hunks' old ranges overlap or touch. A range of no lines
 * ("-5,0": an insertion after line 5) sits between its line and the next.
 */
static int hunks_touch(const struct diff_hunk *a, const struct diff_hunk *b)
{
	long a_lo = a->old_count ? a->old_start : a->old_start + 1;
	long b_lo = b->old_count ? b->old_start : b->old_start + 1;

	return a_lo <= b_lo + b->old_count && b_lo <= a_lo + a->old_count;
}

static int same_path(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static int files_share_a_name(const struct diff_file *a, const struct diff_file *b)
{
	return same_path(a->old_path, b->old_path) || same_path(a->old_path, b->new_path) ||
	       same_path(a->new_path, b->old_path) || same_path(a->new_path, b->new_path);
}

/* Whether the file's header must go with every hunk of it. */
static int header_binds_hunks(const struct diff_file *f)
{
	return f->is_new || f->is_deleted || f->is_rename || f->is_copy || f->mode_change;
}

void diff_group(struct diff *d)
{
	size_t nr_units = d->nr_hunks + d->nr_files;
	size_t *parent = xcalloc(nr_units + 1, sizeof(*parent));
	size_t *number = xcalloc(nr_units + 1, sizeof(*number));

	for (size_t u = 0; u < nr_units; u++) {
		parent[u] = u;
		number[u] = DIFF_NO_GROUP;
	}
	for (size_t i = 0; i < d->nr_files; i++) {
		const struct diff_file *f = &d->files[i];
		size_t first = f->first_hunk, last = f->first_hunk + f->nr_hunks;

		for (size_t a = first; a < last; a++)
			for (size_t b = a + 1; b < last; b++)
				if (header_binds_hunks(f) || hunks_touch(&d->hunks[a], &d->hunks[b]))
					unit_join(parent, a, b);
		for (size_t j = 0; j < i; j++) {
			const struct diff_file *g = &d->files[j];

			if (!files_share_a_name(f, g))
				continue;
			unit_join(parent, file_unit(d, j), file_unit(d, i));
			for (size_t h = first; h < last; h++)
				unit_join(parent, file_unit(d, j), h);
			for (size_t h = g->first_hunk; h < g->first_hunk + g->nr_hunks; h++)
				unit_join(parent, file_unit(d, j), h);
		}
	}

	/* numbered in the order they are met: files in order, hunks in order */
	d->nr_groups = 0;
	for (size_t i = 0; i < d->nr_files; i++) {
		struct diff_file *f = &d->files[i];
		size_t u = d->nr_hunks + i, r;

		f->group = DIFF_NO_GROUP;
		if (!f->nr_hunks) {
			r = unit_root(parent, u);
			if (number[r] == DIFF_NO_GROUP)
				number[r] = d->nr_groups++;
			f->group = number[r];
			continue;
		}
		for (size_t h = f->first_hunk; h < f->first_hunk + f->nr_hunks; h++) {
			r = unit_root(parent, h);
			if (number[r] == DIFF_NO_GROUP)
				number[r] = d->nr_groups++;
			d->hunks[h].group = number[r];
		}
	}
	free(parent);
	free(number);
}

/* ---- writing a subset ---- */

static int file_chosen(const struct diff *d, const struct diff_file *f,
		       const unsigned char *groups)
{
	if (!f->nr_hunks)
		return groups[f->group] != 0;
	for (size_t h = f->first_hunk; h < f->first_hunk + f->nr_hunks; h++)
		if (groups[d->hunks[h].group])
			return 1;
	return 0;
}

/* The hunk's "@@" line with new_start for its "+c". */
static void write_hunk_header(const struct diff_hunk *h, long new_start, FILE *out)
{
	/* the old range holds only digits and a comma: the first " +" is the new one */
	const char *plus = strstr(h->header_line, " +") + 2;
	const char *rest = plus + strspn(plus, "0123456789");

	if (new_start == h->new_start) {
		fputs(h->header_line, out);
		return;
	}
	fprintf(out, "%.*s%ld%s", (int)(plus - h->header_line), h->header_line, new_start, rest);
}

int diff_write_subset(const struct diff *d, const unsigned char *groups, FILE *out)
{
	for (size_t i = 0; i < d->nr_files; i++) {
		const struct diff_file *f = &d->files[i];
		/* what the hunks left out before this one would have added */
		long left_out = 0;

		if (!file_chosen(d, f, groups))
			continue;
		fputs(f->header, out);
		for (size_t j = f->first_hunk; j < f->first_hunk + f->nr_hunks; j++) {
			const struct diff_hunk *h = &d->hunks[j];

			if (!groups[h->group]) {
				left_out += h->new_count - h->old_count;
				continue;
			}
			/*
			 * Counted back from the input's own "+c" rather than
			 * from "-a", so that its convention for empty ranges
			 * ("-5,0 +6,3") is kept.
			 */
			write_hunk_header(h, h->new_start - left_out, out);
			fwrite(h->text, 1, h->text_len, out);
		}
	}
	if (fflush(out) || ferror(out))
		return error("cannot write the patch: %s", strerror(errno));
	return 0;
}

/* ---- labels ---- */

static const char *file_label(const struct diff_file *f)
{
	return f->new_path ? f->new_path : f->old_path ? f->old_path : "?";
}

/* The "@@ -a,b +c,d @@" of a hunk's "@@" line: its length. */
static int range_len(const struct diff_hunk *h)
{
	return (int)(strstr(h->header_line + 2, "@@") + 2 - h->header_line);
}

char *diff_hunk_label(const struct diff *d, size_t hunk)
{
	const struct diff_hunk *h = &d->hunks[hunk];

	return xasprintf("%s %.*s", file_label(&d->files[h->file]), range_len(h), h->header_line);
}

/* A growing string for the labels. */
struct label {
	char *s;
	size_t len, alloc;
};

static void label_add(struct label *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void label_add(struct label *l, const char *fmt, ...)
{
	va_list ap;
	char *piece;
	size_t n;

	va_start(ap, fmt);
	piece = xvasprintf(fmt, ap);
	va_end(ap);
	n = strlen(piece);
	ALLOC_GROW(l->s, l->len + n + 1, l->alloc);
	memcpy(l->s + l->len, piece, n + 1);
	l->len += n;
	free(piece);
}

/* The value of a header line "PREFIX VALUE" (as "old mode 100644"), or "?". */
static int header_value(const char *header, const char *prefix, const char **value)
{
	size_t plen = strlen(prefix);

	for (const char *p = header; *p; p = line_after(p, p + strlen(p))) {
		if (!strncmp(p, prefix, plen)) {
			*value = p + plen;
			return (int)content_len(p + plen, p + strlen(p));
		}
	}
	*value = "?";
	return 1;
}

/* What the header does, in parentheses: " (renamed from x.c, mode 100644 -> 100755)". */
static void label_notes(struct label *l, const struct diff_file *f)
{
	const char *sep = " (", *a, *b;
	int alen, blen;

	if (f->is_new) {
		label_add(l, "%snew file", sep);
		sep = ", ";
	}
	if (f->is_deleted) {
		label_add(l, "%sdeleted", sep);
		sep = ", ";
	}
	if ((f->is_rename || f->is_copy) && f->old_path) {
		label_add(l, "%s%s from %s", sep, f->is_rename ? "renamed" : "copied", f->old_path);
		sep = ", ";
	}
	if (f->mode_change) {
		alen = header_value(f->header, "old mode ", &a);
		blen = header_value(f->header, "new mode ", &b);
		label_add(l, "%smode %.*s -> %.*s", sep, alen, a, blen, b);
		sep = ", ";
	}
	if (f->is_binary) {
		label_add(l, "%sbinary", sep);
		sep = ", ";
	}
	if (sep[0] == ',')
		label_add(l, ")");
}

char *diff_group_label(const struct diff *d, size_t group)
{
	struct label l = { 0 };

	for (size_t i = 0; i < d->nr_files; i++) {
		const struct diff_file *f = &d->files[i];
		int named = 0;

		if (!f->nr_hunks && f->group == group) {
			label_add(&l, "%s%s", l.len ? ", " : "", file_label(f));
			label_notes(&l, f);
		}
		for (size_t j = f->first_hunk; j < f->first_hunk + f->nr_hunks; j++) {
			const struct diff_hunk *h = &d->hunks[j];

			if (h->group != group)
				continue;
			if (!named) {
				label_add(&l, "%s%s", l.len ? ", " : "", file_label(f));
				label_notes(&l, f);
				named = 1;
			}
			label_add(&l, " %.*s", range_len(h), h->header_line);
		}
	}
	return l.s ? l.s : xstrdup("");
}
