/*
 * profile_view: a `steady profile -o` file — B/A of the wall time, the
 * functions whose time changed with their intervals, and flame graphs of
 * A, of B and of the difference from the folded stacks (flame.h).
 */
#include "report/report.h"
#include "report/charts.h"
#include "report/flame.h"
#include "report/html.h"
#include "report/svg.h"
#include "lib/units.h"
#include "lib/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FLAME_WIDTH 1000.0
#define FLAME_ROW 17.0
/* Frames narrower than this share of the whole (a third of a pixel) are left out. */
#define FLAME_MIN_WIDTH (0.33 / FLAME_WIDTH)
#define TOP_FUNCTIONS 20
#define TOP_STACKS 200

/* A warm colour that depends on the name only, so a frame keeps it in A and B. */
static void name_colour(char *buf, size_t size, const char *name)
{
	unsigned h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	snprintf(buf, size, "hsl(%u,%u%%,%u%%)", 10 + h % 45, 70 + (h >> 8) % 25, 55 + (h >> 16) % 12);
}

/* Red where the frame's share grew in B, blue where it shrank, by how much. */
static void diff_colour(char *buf, size_t size, double d, double most)
{
	double t = most > 0 ? fabs(d) / most : 0;
	unsigned light = (unsigned)(96 - 46 * (t > 1 ? 1 : t));

	snprintf(buf, size, "hsl(%u,80%%,%u%%)", d > 0 ? 0 : 220, light);
}

static double max_share_change(const struct flame_node *n, double ta, double tb)
{
	double m = 0;

	for (size_t i = 0; i < n->nr_children; i++) {
		const struct flame_node *c = &n->children[i];
		double d = fabs(c->count[1] / tb - c->count[0] / ta), sub = max_share_change(c, ta, tb);

		m = d > m ? d : m;
		m = sub > m ? sub : m;
	}
	return m;
}

/* side 0 A, 1 B, 2 the difference (laid out by B). */
static void flame_svg(FILE *f, const struct flame_node *root, int side, const char *title)
{
	size_t max = flame_count(root) + 1;
	struct flame_rect *rects = xcalloc(max, sizeof(*rects));
	unsigned depth;
	size_t n = flame_layout(root, side == 2 ? 1 : side, FLAME_MIN_WIDTH, rects, max, &depth);
	double ta = root->count[0], tb = root->count[1], height = FLAME_ROW * (depth ? depth : 1) + 4;
	double most = side == 2 ? max_share_change(root, ta, tb) : 0;

	fprintf(f, "<svg class=\"chart flame\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %g %g\" "
		"width=\"%g\" height=\"%g\" role=\"img\" aria-label=\"", FLAME_WIDTH, height,
		FLAME_WIDTH, height);
	xml_escape(f, title);
	fputs("\"><title>", f);
	xml_escape(f, title);
	fputs("</title>\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct flame_rect *rc = &rects[i];
		const struct flame_node *nd = rc->node;
		double x = rc->x0 * FLAME_WIDTH, w = (rc->x1 - rc->x0) * FLAME_WIDTH;
		/* outermost frame at the bottom, as flame graphs are drawn */
		double y = height - 2 - FLAME_ROW * (rc->depth + 1);
		char fill[48], tip[512], label[160];

		if (side == 2) {
			double d = (tb > 0 ? nd->count[1] / tb : 0) - (ta > 0 ? nd->count[0] / ta : 0);

			diff_colour(fill, sizeof(fill), d, most);
			snprintf(tip, sizeof(tip), "%s: A %.0f samples (%.2f%%), B %.0f (%.2f%%), %+.2f points",
				 nd->name, nd->count[0], ta > 0 ? 100 * nd->count[0] / ta : 0,
				 nd->count[1], tb > 0 ? 100 * nd->count[1] / tb : 0, 100 * d);
		} else {
			double total = side ? tb : ta;

			name_colour(fill, sizeof(fill), nd->name);
			snprintf(tip, sizeof(tip), "%s: %.0f samples (%.2f%%)", nd->name, nd->count[side],
				 100 * nd->count[side] / total);
		}
		fprintf(f, "<g class=\"flame-frame\"><rect class=\"flame-rect\" x=\"%.2f\" y=\"%.2f\" "
			"width=\"%.2f\" height=\"%.2f\" fill=\"%s\">", x, y, w, FLAME_ROW - 1, fill);
		svg_title(f, tip);
		fputs("</rect>", f);
		/* about 6 pixels a character at 10px */
		if (w > 24) {
			size_t fit = (size_t)((w - 6) / 6);

			fprintf(f, "<text class=\"flame-label\" x=\"%.2f\" y=\"%.2f\">", x + 3,
				y + FLAME_ROW - 5);
			xml_escape(f, chart_label(label, sizeof(label), nd->name, fit));
			fputs("</text>", f);
		}
		fputs("</g>\n", f);
	}
	fputs("</svg>\n", f);
	free(rects);
}

struct stack_row {
	const char *stack;
	double a, b;
};

static int by_samples(const void *x, const void *y)
{
	const struct stack_row *a = x, *b = y;
	double sa = a->a + a->b, sb = b->a + b->b;

	return sa < sb ? 1 : sa > sb ? -1 : strcmp(a->stack, b->stack);
}

static void stacks_table(FILE *f, const json_t *fa, const json_t *fb)
{
	static const char *const headers[] = { "stack (outermost first)", "samples A", "samples B", NULL };
	size_t n = 0, max = json_object_size(fa) + json_object_size(fb) + 1;
	struct stack_row *rows = xcalloc(max, sizeof(*rows));
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)fa, key, v)
		rows[n++] = (struct stack_row){ key, json_number_value(v), 0 };
	json_object_foreach((json_t *)fb, key, v) {
		size_t i = 0;

		while (i < n && strcmp(rows[i].stack, key))
			i++;
		if (i == n)
			rows[n++] = (struct stack_row){ key, 0, 0 };
		rows[i].b = json_number_value(v);
	}
	qsort(rows, n, sizeof(*rows), by_samples);
	html_table_begin(f, n > TOP_STACKS ? "the folded stacks with the most samples" :
			 "the folded stacks", headers, 1);
	for (size_t i = 0; i < n && i < TOP_STACKS; i++) {
		html_tr_begin(f);
		html_td(f, "%s", rows[i].stack);
		html_td_num(f, "%.0f", rows[i].a);
		html_td_num(f, "%.0f", rows[i].b);
		html_tr_end(f);
	}
	html_table_end(f, 1);
	free(rows);
}

static void flame_graphs(FILE *f, const json_t *fa, const json_t *fb)
{
	struct flame_node root;
	const char *key;
	json_t *v;

	flame_init(&root);
	json_object_foreach((json_t *)fa, key, v)
		if (json_is_number(v))
			flame_add(&root, key, 0, json_number_value(v));
	json_object_foreach((json_t *)fb, key, v)
		if (json_is_number(v))
			flame_add(&root, key, 1, json_number_value(v));
	flame_sort(&root);
	html_heading(f, 4, NULL, "flame graph of A");
	flame_svg(f, &root, 0, "flame graph of A: width is samples, outermost frame at the bottom");
	if (root.count[1] > 0) {
		html_heading(f, 4, NULL, "flame graph of B");
		flame_svg(f, &root, 1, "flame graph of B");
		html_heading(f, 4, NULL, "difference: B's graph, red where a frame's share grew, blue where it shrank");
		flame_svg(f, &root, 2, "differential flame graph, B against A");
	}
	stacks_table(f, fa, fb);
	flame_release(&root);
}

int report_profile(struct report *r, const char *file, const json_t *root)
{
	FILE *f = r->f;
	const json_t *sa = json_object_get(root, "a"), *sb = json_object_get(root, "b");
	const json_t *fns = json_object_get(root, "functions"), *wr = json_object_get(root, "wall_ratio");
	const json_t *fa = json_object_get(sa, "folded"), *fb = json_object_get(sb, "folded");
	static const char *const headers[] = { "function", "time A", "time B", "B/A", "CI low",
					       "CI high", "changed", NULL };
	int two = json_is_object(sb);
	size_t n = json_array_size(fns), shown = n > TOP_FUNCTIONS ? TOP_FUNCTIONS : n;
	struct interval_row *rows = xcalloc(shown + 2, sizeof(*rows));
	struct bar_row *bars = xcalloc(shown + 1, sizeof(*bars));
	double typical = NAN;
	char x[64];

	if (!json_is_object(sa) || !json_is_array(fns))
		return free(rows), free(bars),
		       error("cannot read '%s': a profile needs its side 'a' and 'functions'", file);
	html_para(f, "file", "A: %s%s%s; event %s at %lld Hz", report_str(sa, "command") ?
		  report_str(sa, "command") : "?", two ? " — B: " : "",
		  two && report_str(sb, "command") ? report_str(sb, "command") : "",
		  report_str(root, "event") ? report_str(root, "event") : "?",
		  report_int(root, "freq_hz"));
	if (two)
		html_para(f, "verdict", "wall time B/A %.4f [%.4f, %.4f] (95%% interval)",
			  report_num(wr, "ratio"), report_num(wr, "lo"), report_num(wr, "hi"));
	for (size_t i = 0; i < shown; i++) {
		const json_t *fn = json_array_get(fns, i);
		const char *name = report_str(fn, "function");
		long long change = report_int(fn, "change");

		rows[i] = (struct interval_row){ name ? name : "?", report_num(fn, "ratio"),
						 report_num(fn, "lo"), report_num(fn, "hi"),
						 change == 1 ? "slower" : change == -1 ? "faster" : NULL };
		bars[i] = (struct bar_row){ name ? name : "?", report_num(fn, "time_a_s"), NULL };
		if (!isfinite(typical))
			typical = report_num(fn, "time_a_s");
	}
	html_heading(f, 4, NULL, two ? "functions: B/A of their time, with intervals" : "functions: time per run");
	html_pair_begin(f);
	if (two)
		chart_intervals(f, "time of each function, B over A, with its interval", rows, shown, 1,
				NAN, NAN, (struct axis_unit){ 1, "" }, "B/A");
	else
		chart_bars(f, "time of each function per run", bars, shown,
			   axis_unit_for(VALUE_SECONDS, typical), "time per run");
	html_pair_table(f);
	html_table_begin(f, "functions, largest change first", headers, 0);
	for (size_t i = 0; i < shown; i++) {
		const json_t *fn = json_array_get(fns, i);
		long long change = report_int(fn, "change");

		html_tr_begin(f);
		html_td(f, "%s", rows[i].label);
		html_td_num(f, "%s", format_time(x, sizeof(x), report_num(fn, "time_a_s")));
		html_td_num(f, "%s", two ? format_time(x, sizeof(x), report_num(fn, "time_b_s")) : "");
		html_td_ratio(f, rows[i].est);
		html_td_ratio(f, rows[i].lo);
		html_td_ratio(f, rows[i].hi);
		html_td(f, "%s", change == 1 ? "slower" : change == -1 ? "faster" : "");
		html_tr_end(f);
	}
	html_table_end(f, 0);
	html_pair_end(f);
	if (json_object_size(fa) || json_object_size(fb))
		flame_graphs(f, json_is_object(fa) ? fa : NULL, json_is_object(fb) ? fb : NULL);
	else
		html_para(f, NULL, "no call stacks: the profile was recorded without -g (steady profile -g draws flame graphs)");
	free(rows);
	free(bars);
	return 0;
}
