/*
 * html: the page of `steady report` — its skeleton and style sheet (print
 * rules included), headings, paragraphs and the tables that sit beside
 * every chart. Every text argument is escaped here (svg.h's xml_escape),
 * so callers pass strings from input files as they are. Output goes to a
 * FILE the caller owns; nothing is kept between calls.
 */
#ifndef STEADY_REPORT_HTML_H
#define STEADY_REPORT_HTML_H

#include <stdio.h>

/* The document up to <main>, and from </main> to the end. */
void html_begin(FILE *f, const char *title, const char *subtitle);
void html_end(FILE *f);

/* <hN id="id">text</hN>; id may be NULL. */
void html_heading(FILE *f, int level, const char *id, const char *text);
/* A paragraph of class cls (NULL none), printf-formatted, then escaped. */
void html_para(FILE *f, const char *cls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* <section class="cls">...</section>. */
void html_section_begin(FILE *f, const char *cls);
void html_section_end(FILE *f);

/*
 * A chart with its table beside it: html_pair_begin(), the <svg>,
 * html_pair_table(), the table, html_pair_end(). On a narrow page or
 * paper the table goes below the chart.
 */
void html_pair_begin(FILE *f);
void html_pair_table(FILE *f);
void html_pair_end(FILE *f);

/*
 * A table: headers is NULL-terminated. With fold, the table is inside a
 * <details> whose summary is the caption (long tables: every run). Then
 * rows of cells, then html_table_end().
 */
void html_table_begin(FILE *f, const char *caption, const char *const *headers, int fold);
void html_tr_begin(FILE *f);
void html_tr_end(FILE *f);
/* A cell, printf-formatted then escaped; html_td_num() right-aligned. */
void html_td(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void html_td_num(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A ratio to four decimals, "n/a" for NaN. */
void html_td_ratio(FILE *f, double v);
void html_table_end(FILE *f, int fold);

/* A list of strings as <ul class="cls">; nothing when n is 0. */
void html_list(FILE *f, const char *cls, char *const *items, size_t n);

#endif
