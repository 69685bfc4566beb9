/*
 * charts: the kinds of chart `steady report` draws, each an <svg> written
 * to f beside nothing (the caller writes the table next to it, html.h's
 * html_pair_*). Marks carry classes the test counts in the rendered page:
 * run-point (one per run), hist-bar (one per non-empty bin and side),
 * interval (one per row of an interval chart), bar (one per bar). The
 * caller keeps its arrays.
 */
#ifndef STEADY_REPORT_CHARTS_H
#define STEADY_REPORT_CHARTS_H

#include "lib/units.h"

#include <stddef.h>
#include <stdio.h>

/* How values of a chart are printed: value * mul, then unit. */
struct axis_unit {
	double mul;
	const char *unit;
};
/* The display unit for values like typical of that kind (units.h). */
struct axis_unit axis_unit_for(enum value_unit kind, double typical);

/*
 * One side's runs in the order they ran: v[i] of run i, warm[i] set for a
 * warm-up, failed[i] for a failed run (either may be NULL); NaN values are
 * not drawn. A running median over 9 runs is drawn through them, so drift
 * and steps stand out. side is 0 (A) or 1 (B).
 */
void chart_runs(FILE *f, const char *title, const double *v, const unsigned char *warm,
		const unsigned char *failed, size_t n, int side, struct axis_unit u,
		const char *ylabel);

/*
 * Histograms of one or two samples on shared bins (bins counts[side][k]
 * over [lo, hi]), each side's median a line and its interval [mlo, mhi] a
 * band (NaN: none).
 */
struct hist_side {
	const size_t *counts;
	double median, mlo, mhi;
};
void chart_hist(FILE *f, const char *title, const struct hist_side *sides, size_t nr_sides,
		size_t nbins, double lo, double hi, struct axis_unit u, const char *xlabel);

/*
 * Estimates with intervals, one row each (a forest plot), against a
 * reference line at ref (NaN: none) and a band [band_lo, band_hi] (NaN:
 * none), x on a linear scale. A row's cls adds to "interval" ("slower",
 * "faster"); NaN lo/hi draws the point alone, a NaN estimate nothing.
 */
struct interval_row {
	const char *label;
	double est, lo, hi;
	const char *cls;
};
void chart_intervals(FILE *f, const char *title, const struct interval_row *rows, size_t n,
		     double ref, double band_lo, double band_hi, struct axis_unit u,
		     const char *xlabel);

/*
 * Horizontal bars from 0, one row each (signed: a delta goes left or
 * right). cls adds to "bar" ("up", "down").
 */
struct bar_row {
	const char *label;
	double value;
	const char *cls;
};
void chart_bars(FILE *f, const char *title, const struct bar_row *rows, size_t n,
		struct axis_unit u, const char *xlabel);

/* A fixed-width label for a chart row: s cut to max bytes (at a UTF-8 boundary) with "…". */
const char *chart_label(char *buf, size_t size, const char *s, size_t max);

#endif
