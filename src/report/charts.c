/*
 * charts: run sequences, histograms, interval (forest) charts and bar
 * charts, written as SVG (see charts.h). Sizes are fixed in pixels; the
 * style sheet scales a chart down to the page.
 */
#include "report/charts.h"
#include "report/svg.h"
#include "analyse/stats.h"
#include "lib/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RUNS_WIDTH 560
#define RUNS_HEIGHT 240
/* Beyond this many runs every k-th is drawn (the table has them all). */
#define RUNS_MAX_POINTS 20000
#define TREND_WINDOW 9

struct axis_unit axis_unit_for(enum value_unit kind, double typical)
{
	struct time_unit t;

	switch (kind) {
	case VALUE_SECONDS:
		t = time_unit_for(typical);
		return (struct axis_unit){ t.per_second, t.name };
	case VALUE_KIB:
		return (struct axis_unit){ 1, "KiB" };
	default:
		t = count_unit_for(typical);
		return (struct axis_unit){ t.per_second, t.name };
	}
}

const char *chart_label(char *buf, size_t size, const char *s, size_t max)
{
	size_t len = strlen(s);

	if (max + 4 > size)
		max = size - 4;
	if (len <= max) {
		snprintf(buf, size, "%s", s);
		return buf;
	}
	/* back up to the start of a UTF-8 character */
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	memcpy(buf, s, max);
	memcpy(buf + max, "\xe2\x80\xa6", 4);
	return buf;
}

static void value_text(char *buf, size_t size, double v, struct axis_unit u)
{
	snprintf(buf, size, "%.4g %s", v * u.mul, u.unit);
}

/* Smallest and largest finite values; 0 when there is none. */
static int finite_range(const double *v, size_t n, double *lo, double *hi)
{
	int any = 0;

	for (size_t i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		if (!any || v[i] < *lo)
			*lo = v[i];
		if (!any || v[i] > *hi)
			*hi = v[i];
		any = 1;
	}
	return any;
}

static double running_median(const double *v, size_t n, size_t i)
{
	double w[TREND_WINDOW];
	size_t k = 0, from = i >= TREND_WINDOW / 2 ? i - TREND_WINDOW / 2 : 0;

	for (size_t j = from; j < n && j <= i + TREND_WINDOW / 2; j++)
		if (isfinite(v[j]))
			w[k++] = v[j];
	if (!k)
		return NAN;
	stats_sort(w, k);
	return stats_median_sorted(w, k);
}

void chart_runs(FILE *f, const char *title, const double *v, const unsigned char *warm,
		const unsigned char *failed, size_t n, int side, struct axis_unit u,
		const char *ylabel)
{
	static const double margins[4] = { 64, 12, 10, 36 };
	size_t step = n > RUNS_MAX_POINTS ? (n + RUNS_MAX_POINTS - 1) / RUNS_MAX_POINTS : 1;
	double lo = 0, hi = 1, *tx, *ty;
	size_t nt = 0;
	struct plot p;
	char tip[128], val[64];

	finite_range(v, n, &lo, &hi);
	nice_range(&lo, &hi, 5);
	plot_begin(&p, f, RUNS_WIDTH, RUNS_HEIGHT, margins, 0, n > 1 ? (double)(n - 1) : 1, lo,
		   hi, title);
	plot_y_axis(&p, u.mul, u.unit, ylabel);
	plot_x_axis(&p, 1, NULL, "run, in the order they ran");
	for (size_t i = 0; i < n; i += step) {
		char cls[64];

		if (!isfinite(v[i]))
			continue;
		snprintf(cls, sizeof(cls), "run-point side-%c%s%s", side ? 'b' : 'a',
			 warm && warm[i] ? " warmup" : "", failed && failed[i] ? " failed" : "");
		value_text(val, sizeof(val), v[i], u);
		snprintf(tip, sizeof(tip), "run %zu: %s%s", i, val,
			 warm && warm[i] ? " (warm-up)" : "");
		svg_circle(f, cls, scale_map(&p.x, (double)i), scale_map(&p.y, v[i]), 2.2, tip);
	}
	tx = xcalloc(n / step + 1, sizeof(*tx));
	ty = xcalloc(n / step + 1, sizeof(*ty));
	for (size_t i = 0; i < n; i += step) {
		double m = running_median(v, n, i);

		if (!isfinite(m))
			continue;
		tx[nt] = scale_map(&p.x, (double)i);
		ty[nt++] = scale_map(&p.y, m);
	}
	if (nt > 1)
		svg_polyline(f, "run-trend", tx, ty, nt);
	free(tx);
	free(ty);
	plot_end(&p);
}

void chart_hist(FILE *f, const char *title, const struct hist_side *sides, size_t nr_sides,
		size_t nbins, double lo, double hi, struct axis_unit u, const char *xlabel)
{
	static const double margins[4] = { 48, 12, 10, 36 };
	size_t most = 1;
	double w = nbins ? (hi - lo) / (double)nbins : 0;
	struct plot p;
	char tip[256], a[64], b[64];

	for (size_t s = 0; s < nr_sides; s++)
		for (size_t k = 0; k < nbins; k++)
			if (sides[s].counts[k] > most)
				most = sides[s].counts[k];
	plot_begin(&p, f, 480, 240, margins, lo, hi, 0, (double)most, title);
	plot_y_axis(&p, 1, NULL, "runs");
	plot_x_axis(&p, u.mul, u.unit, xlabel);
	for (size_t s = 0; s < nr_sides; s++) {
		const struct hist_side *h = &sides[s];
		const char *cls = s ? "hist-bar side-b" : "hist-bar side-a";
		double y0 = scale_map(&p.y, 0);

		for (size_t k = 0; k < nbins; k++) {
			double x0 = scale_map(&p.x, lo + w * (double)k);
			double x1 = scale_map(&p.x, lo + w * (double)(k + 1));

			if (!h->counts[k])
				continue;
			value_text(a, sizeof(a), lo + w * (double)k, u);
			value_text(b, sizeof(b), lo + w * (double)(k + 1), u);
			snprintf(tip, sizeof(tip), "%s: %zu runs from %s to %s", s ? "B" : "A",
				 h->counts[k], a, b);
			svg_rect(f, cls, x0, y0, x1 - x0, scale_map(&p.y, (double)h->counts[k]) - y0,
				 tip);
		}
	}
	for (size_t s = 0; s < nr_sides; s++) {
		const struct hist_side *h = &sides[s];

		if (isfinite(h->mlo) && isfinite(h->mhi)) {
			double x0 = scale_map(&p.x, h->mlo), x1 = scale_map(&p.x, h->mhi);

			value_text(a, sizeof(a), h->mlo, u);
			value_text(b, sizeof(b), h->mhi, u);
			snprintf(tip, sizeof(tip), "%s: 95%% interval of the median, %s to %s",
				 s ? "B" : "A", a, b);
			svg_rect(f, s ? "ci-band side-b" : "ci-band side-a", x0, p.top,
				 x1 - x0 < 1 ? 1 : x1 - x0, p.height - p.top - p.bottom, tip);
		}
		if (isfinite(h->median)) {
			double x = scale_map(&p.x, h->median);

			svg_line(f, s ? "median side-b" : "median side-a", x, p.top, x,
				 p.height - p.bottom);
		}
	}
	plot_end(&p);
}

void chart_intervals(FILE *f, const char *title, const struct interval_row *rows, size_t n,
		     double ref, double band_lo, double band_hi, struct axis_unit u,
		     const char *xlabel)
{
	double margins[4] = { 190, 16, 8, 36 };
	double lo = NAN, hi = NAN, row = 22;
	struct plot p;
	char tip[256], buf[96], e[64], l[64], h[64];

	for (size_t i = 0; i < n; i++) {
		double v[3] = { rows[i].est, rows[i].lo, rows[i].hi };

		for (int k = 0; k < 3; k++)
			if (isfinite(v[k])) {
				lo = isfinite(lo) && lo < v[k] ? lo : v[k];
				hi = isfinite(hi) && hi > v[k] ? hi : v[k];
			}
	}
	{
		double extra[3] = { ref, band_lo, band_hi };

		for (int k = 0; k < 3; k++)
			if (isfinite(extra[k])) {
				lo = isfinite(lo) && lo < extra[k] ? lo : extra[k];
				hi = isfinite(hi) && hi > extra[k] ? hi : extra[k];
			}
	}
	if (!isfinite(lo)) {
		lo = 0;
		hi = 1;
	}
	nice_range(&lo, &hi, 5);
	plot_begin(&p, f, 600, margins[2] + margins[3] + row * (double)(n ? n : 1), margins, lo,
		   hi, 0, (double)(n ? n : 1), title);
	if (isfinite(band_lo) && isfinite(band_hi)) {
		double x0 = scale_map(&p.x, band_lo), x1 = scale_map(&p.x, band_hi);

		svg_rect(f, "margin-band", x0, p.top, x1 - x0, p.height - p.top - p.bottom,
			 "the margin: a change inside it is no change");
	}
	if (isfinite(ref)) {
		double x = scale_map(&p.x, ref);

		svg_line(f, "ref-line", x, p.top, x, p.height - p.bottom);
	}
	plot_x_axis(&p, u.mul, u.unit, xlabel);
	for (size_t i = 0; i < n; i++) {
		const struct interval_row *r = &rows[i];
		double y = p.top + row * ((double)i + 0.5);

		svg_text(f, "label", p.left - 6, y + 4, "end",
			 chart_label(buf, sizeof(buf), r->label, 30));
		if (!isfinite(r->est))
			continue;
		value_text(e, sizeof(e), r->est, u);
		if (isfinite(r->lo) && isfinite(r->hi)) {
			value_text(l, sizeof(l), r->lo, u);
			value_text(h, sizeof(h), r->hi, u);
			snprintf(tip, sizeof(tip), "%s: %s [%s, %s]", r->label, e, l, h);
		} else {
			snprintf(tip, sizeof(tip), "%s: %s (no interval)", r->label, e);
		}
		fprintf(f, "<g class=\"interval%s%s\">", r->cls ? " " : "", r->cls ? r->cls : "");
		svg_title(f, tip);
		fputc('\n', f);
		if (isfinite(r->lo) && isfinite(r->hi))
			svg_line(f, "ci", scale_map(&p.x, r->lo), y, scale_map(&p.x, r->hi), y);
		svg_circle(f, "est", scale_map(&p.x, r->est), y, 4, NULL);
		fputs("</g>\n", f);
	}
	plot_end(&p);
}

void chart_bars(FILE *f, const char *title, const struct bar_row *rows, size_t n,
		struct axis_unit u, const char *xlabel)
{
	double margins[4] = { 230, 16, 8, 36 };
	double lo = 0, hi = 0, row = 18;
	struct plot p;
	char tip[256], buf[96], val[64];

	for (size_t i = 0; i < n; i++) {
		if (!isfinite(rows[i].value))
			continue;
		lo = rows[i].value < lo ? rows[i].value : lo;
		hi = rows[i].value > hi ? rows[i].value : hi;
	}
	nice_range(&lo, &hi, 5);
	plot_begin(&p, f, 600, margins[2] + margins[3] + row * (double)(n ? n : 1), margins, lo,
		   hi, 0, (double)(n ? n : 1), title);
	plot_x_axis(&p, u.mul, u.unit, xlabel);
	svg_line(f, "ref-line", scale_map(&p.x, 0), p.top, scale_map(&p.x, 0), p.height - p.bottom);
	for (size_t i = 0; i < n; i++) {
		const struct bar_row *r = &rows[i];
		double y = p.top + row * (double)i;
		char cls[64];

		svg_text(f, "label", p.left - 6, y + row / 2 + 4, "end",
			 chart_label(buf, sizeof(buf), r->label, 36));
		if (!isfinite(r->value))
			continue;
		snprintf(cls, sizeof(cls), "bar%s%s", r->cls ? " " : "", r->cls ? r->cls : "");
		value_text(val, sizeof(val), r->value, u);
		snprintf(tip, sizeof(tip), "%s: %s", r->label, val);
		svg_rect(f, cls, scale_map(&p.x, 0), y + 3,
			 scale_map(&p.x, r->value) - scale_map(&p.x, 0), row - 6, tip);
	}
	plot_end(&p);
}
