/*
 * svg: scales, ticks, bins and the SVG marks of `steady report` (see
 * svg.h). Coordinates are written with two decimals: a hundredth of a
 * pixel is finer than any screen or printer shows.
 */
#include "report/svg.h"

#include <math.h>
#include <string.h>

double scale_map(const struct scale *s, double v)
{
	if (s->d1 == s->d0)
		return (s->r0 + s->r1) / 2;
	return s->r0 + (v - s->d0) * (s->r1 - s->r0) / (s->d1 - s->d0);
}

/* 1, 2, 5 or 10 times the power of ten at or below raw. */
static double nice_step(double raw)
{
	double mag = pow(10, floor(log10(raw))), norm = raw / mag;

	if (norm <= 1)
		return mag;
	if (norm <= 2)
		return 2 * mag;
	if (norm <= 5)
		return 5 * mag;
	return 10 * mag;
}

size_t nice_ticks(double lo, double hi, size_t want, double *ticks, size_t max,
		  double *step)
{
	double d, first;
	size_t n = 0;

	if (!isfinite(lo) || !isfinite(hi) || hi < lo || !want)
		return 0;
	if (hi == lo) {
		if (max)
			ticks[n++] = lo;
		if (step)
			*step = 0;
		return n;
	}
	d = nice_step((hi - lo) / want);
	first = ceil(lo / d - 1e-9) * d;
	/* a tenth of a millionth of a step of slack for rounding */
	for (double t = first; t <= hi + d * 1e-7 && n < max; t = first + d * (double)n) {
		/* -0 and 1e-17 instead of 0 would print oddly */
		ticks[n++] = fabs(t) < d * 1e-9 ? 0 : t;
	}
	if (step)
		*step = d;
	return n;
}

void nice_range(double *lo, double *hi, size_t want)
{
	double d;

	if (!isfinite(*lo) || !isfinite(*hi))
		return;
	if (*hi <= *lo) {
		double pad = *lo ? fabs(*lo) * 0.1 : 1;

		*lo -= pad;
		*hi = *lo + 2 * pad;
	}
	d = nice_step((*hi - *lo) / (want ? want : 1));
	*lo = floor(*lo / d + 1e-9) * d;
	*hi = ceil(*hi / d - 1e-9) * d;
}

size_t hist_bin_count(size_t n)
{
	size_t k = 1;

	while (((size_t)1 << (k - 1)) < n && k < 64)
		k++;
	/* k - 1 = ceil(log2 n) */
	if (k < 5)
		return 5;
	return k > 40 ? 40 : k;
}

void hist_bins(const double *x, size_t n, double lo, double hi, size_t nbins,
	       size_t *counts)
{
	memset(counts, 0, nbins * sizeof(*counts));
	if (!nbins)
		return;
	for (size_t i = 0; i < n; i++) {
		double v = x[i];
		size_t k;

		if (isnan(v) || v < lo || v > hi)
			continue;
		if (hi <= lo) {
			if (v == lo)
				counts[0]++;
			continue;
		}
		k = (size_t)((v - lo) / (hi - lo) * (double)nbins);
		counts[k >= nbins ? nbins - 1 : k]++;
	}
}

void xml_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

void plot_begin(struct plot *p, FILE *f, double width, double height,
		const double margins[4], double x0, double x1, double y0, double y1,
		const char *title)
{
	p->f = f;
	p->width = width;
	p->height = height;
	p->left = margins[0];
	p->right = margins[1];
	p->top = margins[2];
	p->bottom = margins[3];
	p->x = (struct scale){ x0, x1, p->left, width - p->right };
	p->y = (struct scale){ y0, y1, height - p->bottom, p->top };
	fprintf(f, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %g %g\" "
		"width=\"%g\" height=\"%g\" role=\"img\" aria-label=\"", width, height, width, height);
	xml_escape(f, title);
	fputs("\"><title>", f);
	xml_escape(f, title);
	fputs("</title>\n", f);
	svg_rect(f, "plot-area", p->left, p->top, width - p->left - p->right,
		 height - p->top - p->bottom, NULL);
}

void plot_end(struct plot *p)
{
	fputs("</svg>\n", p->f);
}

static void tick_label(char *buf, size_t size, double v, double mul, const char *unit)
{
	double x = v * mul;

	snprintf(buf, size, "%.4g%s%s", fabs(x) < 1e-12 ? 0 : x, unit && *unit ? " " : "",
		 unit ? unit : "");
}

void plot_x_axis(struct plot *p, double mul, const char *unit, const char *label)
{
	double ticks[16];
	size_t n = nice_ticks(p->x.d0 < p->x.d1 ? p->x.d0 : p->x.d1,
			      p->x.d0 < p->x.d1 ? p->x.d1 : p->x.d0, 6, ticks, 16, NULL);
	double y = p->height - p->bottom;
	char buf[64];

	svg_line(p->f, "axis", p->left, y, p->width - p->right, y);
	for (size_t i = 0; i < n; i++) {
		double x = scale_map(&p->x, ticks[i]);

		svg_line(p->f, "tick", x, y, x, y + 4);
		tick_label(buf, sizeof(buf), ticks[i], mul, unit);
		svg_text(p->f, "tick-label", x, y + 15, "middle", buf);
	}
	if (label)
		svg_text(p->f, "axis-label", (p->left + p->width - p->right) / 2,
			 p->height - 4, "middle", label);
}

void plot_y_axis(struct plot *p, double mul, const char *unit, const char *label)
{
	double ticks[16];
	size_t n = nice_ticks(p->y.d0 < p->y.d1 ? p->y.d0 : p->y.d1,
			      p->y.d0 < p->y.d1 ? p->y.d1 : p->y.d0, 5, ticks, 16, NULL);
	char buf[64];

	svg_line(p->f, "axis", p->left, p->top, p->left, p->height - p->bottom);
	for (size_t i = 0; i < n; i++) {
		double y = scale_map(&p->y, ticks[i]);

		svg_line(p->f, "grid", p->left, y, p->width - p->right, y);
		tick_label(buf, sizeof(buf), ticks[i], mul, unit);
		svg_text(p->f, "tick-label", p->left - 4, y + 4, "end", buf);
	}
	if (label) {
		fprintf(p->f, "<text class=\"axis-label\" transform=\"translate(12 %.2f) rotate(-90)\" "
			"text-anchor=\"middle\">", (p->top + p->height - p->bottom) / 2);
		xml_escape(p->f, label);
		fputs("</text>\n", p->f);
	}
}

void svg_title(FILE *f, const char *title)
{
	fputs("<title>", f);
	xml_escape(f, title);
	fputs("</title>", f);
}

void svg_circle(FILE *f, const char *cls, double cx, double cy, double r,
		const char *title)
{
	fprintf(f, "<circle class=\"%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\"", cls, cx, cy, r);
	if (title) {
		fputc('>', f);
		svg_title(f, title);
		fputs("</circle>\n", f);
	} else {
		fputs("/>\n", f);
	}
}

void svg_rect(FILE *f, const char *cls, double x, double y, double w, double h,
	      const char *title)
{
	if (w < 0) {
		x += w;
		w = -w;
	}
	if (h < 0) {
		y += h;
		h = -h;
	}
	fprintf(f, "<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"",
		cls, x, y, w, h);
	if (title) {
		fputc('>', f);
		svg_title(f, title);
		fputs("</rect>\n", f);
	} else {
		fputs("/>\n", f);
	}
}

void svg_line(FILE *f, const char *cls, double x1, double y1, double x2, double y2)
{
	fprintf(f, "<line class=\"%s\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
		cls, x1, y1, x2, y2);
}

void svg_text(FILE *f, const char *cls, double x, double y, const char *anchor,
	      const char *text)
{
	fprintf(f, "<text class=\"%s\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"%s\">", cls, x, y,
		anchor);
	xml_escape(f, text);
	fputs("</text>\n", f);
}

void svg_polyline(FILE *f, const char *cls, const double *x, const double *y, size_t n)
{
	fprintf(f, "<polyline class=\"%s\" points=\"", cls);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%.2f,%.2f", i ? " " : "", x[i], y[i]);
	fputs("\"/>\n", f);
}
