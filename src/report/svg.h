/*
 * svg: the tiny SVG writer of `steady report` — linear scales, nice axis
 * ticks, histogram bins (pure functions, unit-tested in
 * tests/unit/test_report.c), and the marks themselves written as text to a
 * FILE.
 *
 * Every string that reaches the page goes through xml_escape(): command
 * lines and function names come from input files, and a `<script>` in one
 * must stay text. Nothing here allocates on behalf of the caller; a
 * struct plot only holds numbers and the FILE it writes to (not owned).
 */
#ifndef STEADY_REPORT_SVG_H
#define STEADY_REPORT_SVG_H

#include <stddef.h>
#include <stdio.h>

/* Maps the domain [d0, d1] linearly onto the range [r0, r1]. */
struct scale {
	double d0, d1, r0, r1;
};
double scale_map(const struct scale *s, double v);

/*
 * Up to max tick values from lo to hi, about want of them, at a "nice"
 * step (1, 2 or 5 times a power of ten), the first at or above lo.
 * Returns how many were written; *step (may be NULL) gets the step.
 * 0 when lo or hi is not finite or hi < lo.
 */
size_t nice_ticks(double lo, double hi, size_t want, double *ticks, size_t max,
		  double *step);

/*
 * Widens [*lo, *hi] outwards to multiples of the nice step for about want
 * ticks, so axes start and end on a tick; an empty range (lo == hi) is
 * first widened by 10% of |lo| (or by 1 when lo is 0).
 */
void nice_range(double *lo, double *hi, size_t want);

/* Bins for a histogram of n values: Sturges' ceil(log2 n) + 1, 5 to 40. */
size_t hist_bin_count(size_t n);

/*
 * Counts x into nbins equal bins over [lo, hi]: bin k holds
 * lo + k w <= v < lo + (k+1) w, the last bin also v == hi; values outside
 * [lo, hi] and NaN are not counted. counts is zeroed first. With hi <= lo
 * every value equal to lo goes into bin 0.
 */
void hist_bins(const double *x, size_t n, double lo, double hi, size_t nbins,
	       size_t *counts);

/* Writes s with &, <, >, " and ' as entities. */
void xml_escape(FILE *f, const char *s);

/*
 * One chart: its size in pixels (the viewBox; the page scales it), the
 * plotting area inside the margins, and the scales from data to pixels.
 */
struct plot {
	FILE *f;
	double width, height;
	double left, right, top, bottom;   /* margins */
	struct scale x, y;
};

/*
 * Opens <svg> for a chart of width x height with the given margins and
 * data domains (y grows upwards); title is its accessible name (escaped).
 */
void plot_begin(struct plot *p, FILE *f, double width, double height,
		const double margins[4], double x0, double x1, double y0, double y1,
		const char *title);
void plot_end(struct plot *p);

/*
 * Axes with nice ticks: a tick's label is its value times mul in "%g",
 * then unit; label names the axis (NULL none). The y axis of a plot
 * whose rows are labels has no ticks: plot_y_labels().
 */
void plot_x_axis(struct plot *p, double mul, const char *unit, const char *label);
void plot_y_axis(struct plot *p, double mul, const char *unit, const char *label);

/* Marks, all with a class (cls) for the style sheet and for counting. */
void svg_circle(FILE *f, const char *cls, double cx, double cy, double r,
		const char *title);
void svg_rect(FILE *f, const char *cls, double x, double y, double w, double h,
	      const char *title);
void svg_line(FILE *f, const char *cls, double x1, double y1, double x2, double y2);
/* anchor: "start", "middle" or "end". */
void svg_text(FILE *f, const char *cls, double x, double y, const char *anchor,
	      const char *text);
/* A line through n points (pixels). */
void svg_polyline(FILE *f, const char *cls, const double *x, const double *y, size_t n);
/* Starts a <title> child's text for the mark being written: used by the above. */
void svg_title(FILE *f, const char *title);

#endif
