/*
 * annotate: see annotate.h. objdump rather than a disassembler library:
 * binutils is on every machine that builds the programs steady compares,
 * and its text is what people already read in perf annotate.
 */
#include "profile/annotate.h"
#include "measure/spawn.h"
#include "lib/units.h"
#include "lib/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- objdump ---- */

/*
 * A new temporary file, already unlinked: the descriptor is all anyone
 * needs, and nothing is left behind however steady ends. Close-on-exec,
 * so children started meanwhile do not inherit it (spawn's dup2 onto the
 * child's stdout clears the flag there). -1 after one error line.
 */
static int temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	path = xasprintf("%s/steady-objdump.XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		error("cannot create a temporary file in '%s': %s", dir, strerror(errno));
	else
		unlink(path);
	free(path);
	return fd;
}

/* The first line fd holds, without its newline ("" if none); a new string. */
static char *first_line(int fd)
{
	char buf[512];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		n = 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

/*
 * An instruction line of objdump -d --no-show-raw-insn -w: the address in
 * hex (leading zeros printed as spaces), ':', a tab, the instruction.
 * Everything else — the file format line, "<name>:" headers, "..." for
 * skipped zeros — does not have that shape. The tab matters: a file
 * named like a hex number ("abc") gives "abc:     file format ...".
 */
static int parse_insn_line(const char *line, uint64_t *addr, const char **text,
			   size_t *len)
{
	const char *p = line, *end;
	uint64_t v = 0;
	int digits = 0;

	while (*p == ' ')
		p++;
	for (; isxdigit((unsigned char)*p); p++, digits++) {
		if (digits == 16)
			return 0;
		v = v << 4 | (uint64_t)(isdigit((unsigned char)*p) ? *p - '0'
						     : tolower((unsigned char)*p) - 'a' + 10);
	}
	if (!digits || p[0] != ':' || p[1] != '\t')
		return 0;
	p += 2;
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (end == p)
		return 0;  /* the bytes of a long instruction, continued: not one of its own */
	*addr = v;
	*text = p;
	*len = (size_t)(end - p);
	return 1;
}

static int by_insn_addr(const void *x, const void *y)
{
	const struct insn *a = x, *b = y;

	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

/* objdump's listing in fd into d: the lines inside [start, stop) only. */
static int read_listing(int fd, uint64_t start, uint64_t stop, struct disasm *d)
{
	size_t alloc = 0, cap = 0, nr = 0;
	char *line = NULL;
	FILE *fp;
	int keep = dup(fd);

	if (keep < 0 || lseek(keep, 0, SEEK_SET) < 0 || !(fp = fdopen(keep, "r"))) {
		if (keep >= 0)
			close(keep);
		return error("cannot read the output of objdump: %s", strerror(errno));
	}
	d->insns = NULL;
	d->nr = 0;
	while (getline(&line, &cap, fp) >= 0) {
		uint64_t addr;
		const char *text;
		size_t len;

		if (!parse_insn_line(line, &addr, &text, &len) || addr < start || addr >= stop)
			continue;
		ALLOC_GROW(d->insns, nr + 1, alloc);
		d->insns[nr].addr = addr;
		d->insns[nr].text = xasprintf("%.*s", (int)len, text);
		nr++;
	}
	free(line);
	fclose(fp);
	d->nr = nr;
	/* objdump lists in address order; sorting makes sure of it, cheaply. */
	if (nr)
		qsort(d->insns, nr, sizeof(*d->insns), by_insn_addr);
	return 0;
}

int annotate_disassemble(const char *path, uint64_t start, uint64_t size,
			 struct disasm *out)
{
	char start_arg[48], stop_arg[48];
	char *objdump, *argv[] = { "objdump", "-d", "--no-show-raw-insn", "-w",
				   start_arg, stop_arg, (char *)path, NULL };
	int out_fd = -1, err_fd = -1, code = 0, ret = -1;
	enum spawn_result sr;

	out->insns = NULL;
	out->nr = 0;
	if (!size)
		return error("cannot disassemble 0x%" PRIx64 " in '%s': its size is not known",
			     start, path);
	objdump = spawn_find_program("objdump");
	if (!objdump)
		return error("'objdump' not found on PATH (Debian: apt-get install binutils)");
	snprintf(start_arg, sizeof(start_arg), "--start-address=0x%" PRIx64, start);
	snprintf(stop_arg, sizeof(stop_arg), "--stop-address=0x%" PRIx64, start + size);

	out_fd = temp_file();
	if (out_fd < 0)
		goto out;
	err_fd = temp_file();
	if (err_fd < 0)
		goto out;
	sr = spawn_run_captured(objdump, argv, NULL, NULL, out_fd, err_fd, &code);
	if (sr == SPAWN_INTERRUPTED)
		error("'objdump' was interrupted");
	if (sr != SPAWN_OK)
		goto out;
	if (code) {
		char *why = first_line(err_fd);

		if (*why)
			error("objdump cannot disassemble '%s': %s", path, why);
		else
			error("objdump cannot disassemble '%s': it exited with code %d", path, code);
		free(why);
		goto out;
	}
	if (read_listing(out_fd, start, start + size, out))
		goto out;
	if (!out->nr) {
		error("objdump shows no instructions at 0x%" PRIx64 "-0x%" PRIx64 " in '%s'",
		      start, start + size, path);
		disasm_release(out);
		goto out;
	}
	ret = 0;
out:
	if (out_fd >= 0)
		close(out_fd);
	if (err_fd >= 0)
		close(err_fd);
	free(objdump);
	return ret;
}

void disasm_release(struct disasm *d)
{
	for (size_t i = 0; i < d->nr; i++)
		free(d->insns[i].text);
	free(d->insns);
	d->insns = NULL;
	d->nr = 0;
}

/* ---- the pure part ---- */

/* The instruction of d that holds addr (the last one starting at or before it), or NULL. */
static const struct insn *insn_holding(const struct disasm *d, uint64_t addr)
{
	size_t lo = 0, hi = d->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->insns[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &d->insns[lo - 1] : NULL;
}

/* Where the instruction at d->insns[i] ends: the next one's start, or the function's end. */
static uint64_t insn_end(const struct disasm *d, size_t i, uint64_t fn_end)
{
	if (i + 1 < d->nr)
		return d->insns[i + 1].addr;
	return fn_end > d->insns[i].addr ? fn_end : d->insns[i].addr + 1;
}

static int by_addr(const void *x, const void *y)
{
	const struct addr_count *a = x, *b = y;

	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

static int by_count(const void *x, const void *y)
{
	const struct addr_count *a = x, *b = y;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return by_addr(x, y);
}

/*
 * The function's samples, one entry per address (per instruction with a
 * disassembly), sorted by address, no zero counts. *total gets their sum.
 */
static struct addr_count *merge_samples(const struct symbol *fn, const struct addr_count *hist,
					size_t nr, const struct disasm *d, size_t *n,
					uint64_t *total)
{
	struct addr_count *v = xcalloc(nr ? nr : 1, sizeof(*v));
	size_t k = 0, out = 0;

	*total = 0;
	for (size_t i = 0; i < nr; i++) {
		uint64_t addr = hist[i].addr;

		if (!hist[i].count || addr < fn->start ||
		    (fn->size && addr - fn->start >= fn->size))
			continue;
		if (d && d->nr) {
			const struct insn *in = insn_holding(d, addr);

			if (in)
				addr = in->addr;
		}
		v[k].addr = addr;
		v[k].count = hist[i].count;
		*total += hist[i].count;
		k++;
	}
	qsort(v, k, sizeof(*v), by_addr);
	for (size_t i = 0; i < k; i++) {
		if (out && v[out - 1].addr == v[i].addr)
			v[out - 1].count += v[i].count;
		else
			v[out++] = v[i];
	}
	*n = out;
	return v;
}

/* The samples at addr in cells (sorted by address). */
static uint64_t samples_at(const struct addr_count *cells, size_t n, uint64_t addr)
{
	struct addr_count key = { addr, 0 };
	const struct addr_count *c = bsearch(&key, cells, n, sizeof(*cells), by_addr);

	return c ? c->count : 0;
}

static const struct insn *insn_at(const struct disasm *d, uint64_t addr)
{
	const struct insn *in = d ? insn_holding(d, addr) : NULL;

	return in && in->addr == addr ? in : NULL;
}

/* How many size-byte blocks [lo, end) touches (end > lo). */
static unsigned blocks_touched(uint64_t lo, uint64_t end, unsigned size)
{
	return (unsigned)((end - 1) / size - lo / size + 1);
}

/*
 * The listing of [lo, hi]: the instructions of d there, else the sampled
 * addresses; the boundaries marked against the byte before each row (the
 * span's first byte for the first row).
 */
static void fill_rows(struct annotation *a, const struct addr_count *cells, size_t n,
		      const struct disasm *d)
{
	struct hot_span *s = &a->span;
	uint64_t fn_end = a->size ? a->start + a->size : 0;
	uint64_t prev_last = s->lo;  /* the last byte before the row, as far as boundaries go */
	size_t first = 0, count = 0;

	if (d && d->nr) {
		while (first < d->nr && d->insns[first].addr < s->lo)
			first++;
		while (first + count < d->nr && d->insns[first + count].addr <= s->hi)
			count++;
	} else {
		while (first < n && cells[first].addr < s->lo)
			first++;
		while (first + count < n && cells[first + count].addr <= s->hi)
			count++;
	}
	s->nr_insns = count;
	s->nr_rows = count < ANNOTATE_MAX_ROWS ? count : ANNOTATE_MAX_ROWS;
	/*
	 * A span too long to list (a big interpreter loop) is listed around
	 * its hottest instruction, not from its start: that is where to look.
	 */
	s->rows_skipped = 0;
	if (count > s->nr_rows && a->nr_hot) {
		size_t at = 0;

		while (at < count && (d && d->nr ? d->insns[first + at].addr
						 : cells[first + at].addr) < a->hot[0].addr)
			at++;
		s->rows_skipped = at > s->nr_rows / 2 ? at - s->nr_rows / 2 : 0;
		if (s->rows_skipped > count - s->nr_rows)
			s->rows_skipped = count - s->nr_rows;
		first += s->rows_skipped;
		/* boundaries against the last byte of the row left out before */
		if (s->rows_skipped)
			prev_last = d && d->nr ? insn_end(d, first - 1, fn_end) - 1
					       : cells[first - 1].addr;
	}
	s->rows = xcalloc(s->nr_rows ? s->nr_rows : 1, sizeof(*s->rows));
	for (size_t i = 0; i < s->nr_rows; i++) {
		struct span_row *r = &s->rows[i];
		uint64_t last;

		if (d && d->nr) {
			const struct insn *in = &d->insns[first + i];

			r->addr = in->addr;
			r->size = insn_end(d, first + i, fn_end) - in->addr;
			r->text = xstrdup(in->text);
			r->samples = samples_at(cells, n, r->addr);
		} else {
			r->addr = cells[first + i].addr;
			r->samples = cells[first + i].count;
		}
		r->offset = (unsigned)(r->addr % a->line_size);
		last = r->addr + (r->size ? r->size : 1) - 1;
		r->new_line = last / a->line_size > prev_last / a->line_size;
		r->new_window = last / ANNOTATE_WINDOW_SIZE > prev_last / ANNOTATE_WINDOW_SIZE;
		r->split_line = last / a->line_size != r->addr / a->line_size;
		r->split_window = last / ANNOTATE_WINDOW_SIZE != r->addr / ANNOTATE_WINDOW_SIZE;
		prev_last = last;
	}
}

int annotation_compute(const struct symbol *fn, unsigned line_size,
		       const struct addr_count *hist, size_t nr,
		       const struct disasm *d, size_t top, struct annotation *out)
{
	struct addr_count *cells, *hottest;
	const struct insn *last;
	uint64_t total, held = 0;
	size_t n, k = 0;

	memset(out, 0, sizeof(*out));
	if (!line_size)
		return error("cannot annotate '%s': cache line size 0", fn->name ? fn->name : "?");
	out->start = fn->start;
	out->size = fn->size;
	out->line_size = line_size;
	out->offset = (unsigned)(fn->start % line_size);

	cells = merge_samples(fn, hist, nr, d, &n, &total);
	out->samples = total;
	if (!total) {
		free(cells);
		return 0;
	}
	hottest = xmalloc(n * sizeof(*hottest));
	memcpy(hottest, cells, n * sizeof(*hottest));
	qsort(hottest, n, sizeof(*hottest), by_count);

	out->nr_hot = top < n ? top : n;
	out->hot = xcalloc(out->nr_hot ? out->nr_hot : 1, sizeof(*out->hot));
	for (size_t i = 0; i < out->nr_hot; i++) {
		struct hot_insn *h = &out->hot[i];
		const struct insn *in = insn_at(d, hottest[i].addr);

		h->addr = hottest[i].addr;
		h->offset = (unsigned)(h->addr % line_size);
		h->samples = hottest[i].count;
		h->share = (double)h->samples / (double)total;
		h->text = in ? xstrdup(in->text) : NULL;
	}

	/* Whole numbers: 80% of 10 samples is 8, not 7.999... */
	out->has_span = 1;
	out->span.lo = UINT64_MAX;
	while (k < n && held * 100 < total * ANNOTATE_SPAN_PERCENT) {
		held += hottest[k].count;
		if (hottest[k].addr < out->span.lo)
			out->span.lo = hottest[k].addr;
		if (hottest[k].addr > out->span.hi)
			out->span.hi = hottest[k].addr;
		k++;
	}
	out->span.hottest = k;
	for (size_t i = 0; i < n; i++)
		if (cells[i].addr >= out->span.lo && cells[i].addr <= out->span.hi)
			out->span.samples += cells[i].count;
	out->span.share = (double)out->span.samples / (double)total;
	last = insn_at(d, out->span.hi);
	out->span.end = last ? insn_end(d, (size_t)(last - d->insns),
					fn->size ? fn->start + fn->size : 0)
			     : out->span.hi + 1;
	out->span.offset = (unsigned)(out->span.lo % line_size);
	out->span.lines = blocks_touched(out->span.lo, out->span.end, line_size);
	out->span.windows = blocks_touched(out->span.lo, out->span.end, ANNOTATE_WINDOW_SIZE);
	fill_rows(out, cells, n, d);

	free(hottest);
	free(cells);
	return 0;
}

void annotation_release(struct annotation *a)
{
	for (size_t i = 0; i < a->nr_hot; i++)
		free(a->hot[i].text);
	free(a->hot);
	for (size_t i = 0; i < a->span.nr_rows; i++)
		free(a->span.rows[i].text);
	free(a->span.rows);
	memset(a, 0, sizeof(*a));
}

/* ---- presentation ---- */

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* The boundary drawn before a row, or nothing. */
static void print_boundary(FILE *out, const struct annotation *a, const struct span_row *r)
{
	uint64_t last = r->addr + (r->size ? r->size : 1) - 1;

	if (r->new_line)
		fprintf(out, "    %20s- - - %u-byte cache line 0x%" PRIx64 " - - -\n", "",
			a->line_size, last / a->line_size * a->line_size);
	else if (r->new_window)
		fprintf(out, "    %20s- - - %d-byte window 0x%" PRIx64 " - - -\n", "",
			ANNOTATE_WINDOW_SIZE, last / ANNOTATE_WINDOW_SIZE * ANNOTATE_WINDOW_SIZE);
}

static void print_rows(FILE *out, const struct annotation *a)
{
	const struct hot_span *s = &a->span;

	fprintf(out, "    %9s %6s  %-10s %6s  %s\n", "samples", "share", "address", "offset",
		"instruction");
	if (s->rows_skipped)
		fprintf(out, "    ... %zu instructions from 0x%" PRIx64 " (the listing is centred on the hottest)\n",
			s->rows_skipped, s->lo);
	for (size_t i = 0; i < s->nr_rows; i++) {
		const struct span_row *r = &s->rows[i];
		char count[32] = "", share[16] = "", addr[24];

		print_boundary(out, a, r);
		if (r->samples) {
			format_grouped(count, sizeof(count), (double)r->samples);
			snprintf(share, sizeof(share), "%.1f%%",
				 100.0 * (double)r->samples / (double)a->samples);
		}
		snprintf(addr, sizeof(addr), "0x%" PRIx64, r->addr);
		fprintf(out, "    %9s %6s  %-10s %6u  %s", count, share, addr, r->offset,
			r->text ? r->text : "");
		if (r->split_line)
			fprintf(out, "  (split across two cache lines)");
		else if (r->split_window)
			fprintf(out, "  (split across two %d-byte windows)", ANNOTATE_WINDOW_SIZE);
		fputc('\n', out);
	}
	if (s->nr_insns > s->rows_skipped + s->nr_rows)
		fprintf(out, "    ... %zu more instructions up to 0x%" PRIx64 "\n",
			s->nr_insns - s->rows_skipped - s->nr_rows, s->hi);
}

void annotate_print(FILE *out, const char *label, const char *function,
		    const struct annotation *a)
{
	const struct hot_span *s = &a->span;
	char count[32];

	format_grouped(count, sizeof(count), (double)a->samples);
	fprintf(out, "%s: %s at 0x%" PRIx64 " (offset %u in its %u-byte line), %s %s\n",
		label, function, a->start, a->offset, a->line_size, count,
		plural(a->samples, "sample", "samples"));
	for (size_t i = 0; i < a->nr_hot; i++) {
		const struct hot_insn *h = &a->hot[i];
		char addr[48];

		snprintf(addr, sizeof(addr), "0x%" PRIx64 " (offset %u)", h->addr, h->offset);
		format_grouped(count, sizeof(count), (double)h->samples);
		fprintf(out, "  %-9s %-22s %9s %6.1f%%  %s\n", i ? "" : "hottest:", addr, count,
			100.0 * h->share, h->text ? h->text : "");
	}
	if (!a->has_span)
		return;
	fprintf(out, "  hot span 0x%" PRIx64 "-0x%" PRIx64 ": %" PRIu64 " %s from offset %u, "
		"%u cache %s, %u %d-byte %s; %.1f%% of the samples\n",
		s->lo, s->end - 1, s->end - s->lo, plural(s->end - s->lo, "byte", "bytes"),
		s->offset, s->lines, plural(s->lines, "line", "lines"), s->windows,
		ANNOTATE_WINDOW_SIZE, plural(s->windows, "window", "windows"), 100.0 * s->share);
	print_rows(out, a);
}

/* ---- JSON ---- */

static json_t *uint_json(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *text_json(const char *text)
{
	return text ? json_string(text) : json_null();
}

json_t *annotation_to_json(const struct annotation *a)
{
	const struct hot_span *s = &a->span;
	json_t *obj = json_object(), *hot = json_array(), *span, *rows;

	json_object_set_new(obj, "start", uint_json(a->start));
	json_object_set_new(obj, "size", uint_json(a->size));
	json_object_set_new(obj, "line_size", uint_json(a->line_size));
	json_object_set_new(obj, "offset", uint_json(a->offset));
	json_object_set_new(obj, "samples", uint_json(a->samples));
	for (size_t i = 0; i < a->nr_hot; i++)
		json_array_append_new(hot, json_pack("{s:o,s:o,s:o,s:f,s:o}",
			"address", uint_json(a->hot[i].addr),
			"offset", uint_json(a->hot[i].offset),
			"samples", uint_json(a->hot[i].samples),
			"share", a->hot[i].share,
			"text", text_json(a->hot[i].text)));
	json_object_set_new(obj, "hottest", hot);
	if (!a->has_span) {
		json_object_set_new(obj, "span", json_null());
		return obj;
	}
	rows = json_array();
	for (size_t i = 0; i < s->nr_rows; i++) {
		const struct span_row *r = &s->rows[i];

		json_array_append_new(rows, json_pack("{s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:b,s:b}",
			"address", uint_json(r->addr),
			"size", r->size ? uint_json(r->size) : json_null(),
			"offset", uint_json(r->offset),
			"samples", uint_json(r->samples),
			"text", text_json(r->text),
			"new_line", r->new_line, "new_window", r->new_window,
			"split_line", r->split_line, "split_window", r->split_window));
	}
	span = json_object();
	json_object_set_new(span, "lo", uint_json(s->lo));
	json_object_set_new(span, "hi", uint_json(s->hi));
	json_object_set_new(span, "end", uint_json(s->end));
	json_object_set_new(span, "bytes", uint_json(s->end - s->lo));
	json_object_set_new(span, "offset", uint_json(s->offset));
	json_object_set_new(span, "hottest", uint_json(s->hottest));
	json_object_set_new(span, "samples", uint_json(s->samples));
	json_object_set_new(span, "share", json_real(s->share));
	json_object_set_new(span, "cache_lines", uint_json(s->lines));
	json_object_set_new(span, "window_size", uint_json(ANNOTATE_WINDOW_SIZE));
	json_object_set_new(span, "windows", uint_json(s->windows));
	json_object_set_new(span, "instructions", uint_json(s->nr_insns));
	json_object_set_new(span, "rows_skipped", uint_json(s->rows_skipped));
	json_object_set_new(span, "rows", rows);
	json_object_set_new(obj, "span", span);
	return obj;
}

/* The length of the mnemonic at the start of an instruction's text. */
static size_t mnemonic_len(const char *text)
{
	size_t n = strcspn(text, " \t");

	/* Prefixes are part of what the instruction is: "rep stos", "lock add", "cs nopw". */
	if (!strncmp(text, "rep", 3) || !strncmp(text, "lock", 4) || !strncmp(text, "cs ", 3) ||
	    !strncmp(text, "notrack", 7) || !strncmp(text, "bnd", 3) || !strncmp(text, "data16", 6)) {
		size_t skip = n + strspn(text + n, " \t");

		return skip + strcspn(text + skip, " \t");
	}
	return n;
}

/*
 * Padding: what compilers put before an aligned loop or function, which
 * never runs or does nothing, and whose form depends on how many bytes it
 * fills ("nopl", "cs nopw", "xchg %ax,%ax", "data16 ...").
 */
static int is_padding(const char *text)
{
	char squeezed[64];
	size_t n = 0;

	for (const char *p = text; *p && n + 1 < sizeof(squeezed); p++)
		if (*p != ' ' && *p != '\t')
			squeezed[n++] = *p;
	squeezed[n] = '\0';
	return !strncmp(squeezed, "nop", 3) || !strncmp(squeezed, "csnop", 5) ||
	       !strncmp(squeezed, "data16", 6) || !strcmp(squeezed, "xchg%ax,%ax") ||
	       !strcmp(squeezed, "int3");
}

/* The index of the next instruction of d from i on that is not padding. */
static size_t next_real(const struct disasm *d, size_t i)
{
	while (i < d->nr && is_padding(d->insns[i].text))
		i++;
	return i;
}

/*
 * An instruction as it is wherever it lands, into out: blanks squeezed,
 * objdump's comments ("# 4020 <sink>") and symbolic targets ("<f+0x12>")
 * dropped, a direct branch or call reduced to its mnemonic (its target
 * moves with the code) and a rip-relative displacement to "(%rip)" (so
 * does the distance to its data). Everything else — registers, immediates,
 * scales, other displacements — is what the instruction does, and stays.
 */
static void normalise(const char *text, char *out, size_t len)
{
	size_t n = 0, mlen = mnemonic_len(text);
	int branch = text[0] == 'j' || !strncmp(text, "call", 4) || !strncmp(text, "loop", 4) ||
		     !strncmp(text, "bnd j", 5) || !strncmp(text, "notrack j", 9);
	const char *p = text;

	/* An indirect branch ("jmp *%rax") keeps its operand: it is no target. */
	if (branch && !strchr(text + mlen, '*')) {
		snprintf(out, len, "%.*s", (int)mlen, text);
		return;
	}
	while (*p && *p != '#' && n + 1 < len) {
		if (*p == '<') {
			while (*p && *p != '>')
				p++;
			if (*p)
				p++;
			continue;
		}
		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		out[n++] = *p++;
	}
	out[n] = '\0';
	/* "-0x1a(%rip)" and "0x2e79(%rip)" become "(%rip)". */
	for (char *rip; (rip = strstr(out, "(%rip)"));) {
		char *start = rip;

		while (start > out && (isxdigit((unsigned char)start[-1]) || start[-1] == 'x' ||
				       start[-1] == '-'))
			start--;
		if (start == rip) {
			/* already bare: mark it so the loop moves on */
			rip[1] = 'R';
			continue;
		}
		memmove(start, rip, strlen(rip) + 1);
		start[1] = 'R';
	}
}

int disasm_same_sequence(const struct disasm *a, const struct disasm *b)
{
	size_t i = next_real(a, 0), j = next_real(b, 0);

	if (i == a->nr || j == b->nr)
		return 0;
	for (; i < a->nr && j < b->nr; i = next_real(a, i + 1), j = next_real(b, j + 1)) {
		char x[256], y[256];

		normalise(a->insns[i].text, x, sizeof(x));
		normalise(b->insns[j].text, y, sizeof(y));
		if (strcmp(x, y))
			return 0;
	}
	return i == a->nr && j == b->nr;
}
