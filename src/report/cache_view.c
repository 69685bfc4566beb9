/*
 * cache_view: the deltas of `steady cache -o` (Cachegrind's totals per
 * event, and per function its events in A, B and the change: a
 * KCachegrind-like flat view of the difference) and of `steady trace -o`
 * (syscall and library-call counts), drawn as bars of B − A.
 */
#include "report/report.h"
#include "report/charts.h"
#include "report/html.h"
#include "lib/units.h"
#include "lib/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The most functions, syscalls or library calls drawn and listed. */
#define TOP_ROWS 25

struct delta {
	char *key;              /* owned */
	const char *label;      /* points into key or the tree */
	const json_t *a, *b;    /* the two sides' objects or numbers, NULL where absent */
	double va, vb;
};

static int by_change(const void *x, const void *y)
{
	const struct delta *a = x, *b = y;
	double da = fabs(a->vb - a->va), db = fabs(b->vb - b->va);

	if (da != db)
		return da < db ? 1 : -1;
	return strcmp(a->key, b->key);
}

static struct delta *find_or_add(struct delta **d, size_t *n, size_t *alloc, const char *key)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*d)[i].key, key))
			return &(*d)[i];
	ALLOC_GROW(*d, *n + 1, *alloc);
	memset(&(*d)[*n], 0, sizeof(**d));
	(*d)[*n].key = xstrdup(key);
	(*d)[*n].label = (*d)[*n].key;
	return &(*d)[(*n)++];
}

static void free_deltas(struct delta *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(d[i].key);
	free(d);
}

static void delta_bars(FILE *f, const char *title, const struct delta *d, size_t n,
		       const char *xlabel)
{
	struct bar_row *rows = xcalloc(n + 1, sizeof(*rows));

	for (size_t i = 0; i < n; i++)
		rows[i] = (struct bar_row){ d[i].label, d[i].vb - d[i].va,
					    d[i].vb > d[i].va ? "up" : "down" };
	chart_bars(f, title, rows, n, (struct axis_unit){ 1, "" }, xlabel);
	free(rows);
}

static double pct(double a, double b)
{
	return a ? 100 * (b - a) / a : NAN;
}

/* ---- steady-cache ---- */

static const char *const cg_events[] = {
	"Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw", "Bc", "Bcm", "Bi", "Bim"
};
#define NR_CG_EVENTS (sizeof(cg_events) / sizeof(*cg_events))

int report_cache(struct report *r, const char *file, const json_t *root)
{
	FILE *f = r->f;
	const json_t *sa = json_object_get(root, "a"), *sb = json_object_get(root, "b");
	const json_t *ta = json_object_get(sa, "totals"), *tb = json_object_get(sb, "totals");
	const json_t *fa = json_object_get(sa, "functions"), *fb = json_object_get(sb, "functions");
	static const char *const th[] = { "event", "A", "B", "B − A", "change", NULL };
	static const char *const fh[] = { "function", "file", "Ir A", "Ir B", "Ir B − A",
					  "I1mr B − A", "D1mr B − A", "DLmr B − A", NULL };
	struct bar_row tot[NR_CG_EVENTS];
	struct delta *d = NULL;
	size_t nt = 0, n = 0, alloc = 0, shown;
	char x[64];

	if (!json_is_object(ta) || !json_is_object(tb) || !json_is_array(fa) || !json_is_array(fb))
		return error("cannot read '%s': its sides 'a' and 'b' need 'totals' and 'functions'", file);
	html_para(f, "file", "A: %s — B: %s", report_str(sa, "command") ? report_str(sa, "command") : "?",
		  report_str(sb, "command") ? report_str(sb, "command") : "?");
	for (size_t i = 0; i < NR_CG_EVENTS; i++) {
		double a = report_num(ta, cg_events[i]), b = report_num(tb, cg_events[i]);

		if (isfinite(a) && isfinite(b) && a)
			tot[nt++] = (struct bar_row){ cg_events[i], pct(a, b), b > a ? "up" : "down" };
	}
	html_heading(f, 4, NULL, "totals: B against A");
	html_pair_begin(f);
	chart_bars(f, "change of each Cachegrind total, B against A, in percent", tot, nt,
		   (struct axis_unit){ 1, "%" }, "change (%)");
	html_pair_table(f);
	html_table_begin(f, "Cachegrind's totals", th, 0);
	for (size_t i = 0; i < NR_CG_EVENTS; i++) {
		double a = report_num(ta, cg_events[i]), b = report_num(tb, cg_events[i]);

		if (!isfinite(a) || !isfinite(b))
			continue;
		html_tr_begin(f);
		html_td(f, "%s", cg_events[i]);
		html_td_num(f, "%s", format_grouped(x, sizeof(x), a));
		html_td_num(f, "%s", format_grouped(x, sizeof(x), b));
		html_td_num(f, "%+.0f", b - a);
		html_td_num(f, "%+.2f%%", pct(a, b));
		html_tr_end(f);
	}
	html_table_end(f, 0);
	html_pair_end(f);

	for (int side = 0; side < 2; side++) {
		const json_t *fns = side ? fb : fa, *fn;
		size_t i;

		json_array_foreach(fns, i, fn) {
			const char *name = report_str(fn, "function"), *src = report_str(fn, "file");
			char *key = xasprintf("%s\t%s", name ? name : "?", src ? src : "?");
			struct delta *e = find_or_add(&d, &n, &alloc, key);
			double ir = report_num(json_object_get(fn, "cost"), "Ir");

			free(key);
			*(side ? &e->b : &e->a) = fn;
			*(side ? &e->vb : &e->va) += isfinite(ir) ? ir : 0;
			e->label = name ? name : "?";
		}
	}
	qsort(d, n, sizeof(*d), by_change);
	shown = n > TOP_ROWS ? TOP_ROWS : n;
	while (shown && d[shown - 1].vb == d[shown - 1].va)
		shown--;
	html_heading(f, 4, NULL, "functions whose instructions changed most");
	html_pair_begin(f);
	delta_bars(f, "instructions (Ir) of B minus A, per function", d, shown, "Ir B − A");
	html_pair_table(f);
	html_table_begin(f, "per function (self cost), largest change first", fh, 0);
	for (size_t i = 0; i < shown; i++) {
		const json_t *ca = json_object_get(d[i].a, "cost"), *cb = json_object_get(d[i].b, "cost");
		const char *src = report_str(d[i].a ? d[i].a : d[i].b, "file");

		html_tr_begin(f);
		html_td(f, "%s", d[i].label);
		html_td(f, "%s", src ? src : "");
		html_td_num(f, "%s", format_grouped(x, sizeof(x), d[i].va));
		html_td_num(f, "%s", format_grouped(x, sizeof(x), d[i].vb));
		html_td_num(f, "%+.0f", d[i].vb - d[i].va);
		for (int k = 0; k < 3; k++) {
			static const char *const ev[] = { "I1mr", "D1mr", "DLmr" };
			double a = report_num(ca, ev[k]), b = report_num(cb, ev[k]);

			html_td_num(f, "%+.0f", (isfinite(b) ? b : 0) - (isfinite(a) ? a : 0));
		}
		html_tr_end(f);
	}
	html_table_end(f, 0);
	html_pair_end(f);
	free_deltas(d, n);
	return 0;
}

/* ---- steady-trace ---- */

static void count_deltas(FILE *f, const char *what, const json_t *ca, const json_t *cb,
			 int nested)
{
	static const char *const headers[] = { "name", "A", "B", "B − A", NULL };
	struct delta *d = NULL;
	size_t n = 0, alloc = 0, changed = 0;
	char title[128];

	for (int side = 0; side < 2; side++) {
		const char *key;
		const json_t *v;

		json_object_foreach((json_t *)(side ? cb : ca), key, v) {
			struct delta *e = find_or_add(&d, &n, &alloc, key);
			double c = nested ? report_num(v, "calls") :
				   json_is_number(v) ? json_number_value(v) : NAN;

			*(side ? &e->vb : &e->va) = isfinite(c) ? c : 0;
		}
	}
	qsort(d, n, sizeof(*d), by_change);
	while (changed < n && changed < TOP_ROWS && d[changed].va != d[changed].vb)
		changed++;
	html_heading(f, 4, NULL, what);
	html_pair_begin(f);
	snprintf(title, sizeof(title), "%s: calls of B minus A, where they differ", what);
	delta_bars(f, title, d, changed, "calls B − A");
	html_pair_table(f);
	html_table_begin(f, what, headers, n > TOP_ROWS);
	for (size_t i = 0; i < n; i++) {
		html_tr_begin(f);
		html_td(f, "%s", d[i].label);
		html_td_num(f, "%.0f", d[i].va);
		html_td_num(f, "%.0f", d[i].vb);
		html_td_num(f, "%+.0f", d[i].vb - d[i].va);
		html_tr_end(f);
	}
	html_table_end(f, n > TOP_ROWS);
	html_pair_end(f);
	free_deltas(d, n);
}

int report_trace(struct report *r, const char *file, const json_t *root)
{
	const json_t *sa = json_object_get(root, "a"), *sb = json_object_get(root, "b");

	if (!json_is_object(json_object_get(sa, "syscalls")) ||
	    !json_is_object(json_object_get(sb, "syscalls")))
		return error("cannot read '%s': its sides 'a' and 'b' need 'syscalls'", file);
	count_deltas(r->f, "system calls", json_object_get(sa, "syscalls"),
		     json_object_get(sb, "syscalls"), 1);
	if (json_is_object(json_object_get(sa, "libcalls")) &&
	    json_is_object(json_object_get(sb, "libcalls")))
		count_deltas(r->f, "library calls", json_object_get(sa, "libcalls"),
			     json_object_get(sb, "libcalls"), 0);
	return 0;
}
