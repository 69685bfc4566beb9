/*
 * html: the page skeleton, its style sheet and tables (see html.h). The
 * style sheet is inline and uses the system's fonts, so the file needs
 * nothing but itself: no network, no script.
 */
#include "report/html.h"
#include "report/svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>

static const char style[] =
"body{font:14px/1.4 system-ui,sans-serif;color:#222;margin:0 auto;max-width:1200px;padding:0 1em 2em}\n"
"h1{font-size:1.6em;margin:.6em 0 .2em}h2{font-size:1.3em;border-bottom:2px solid #ccc;margin-top:1.6em}\n"
"h3{font-size:1.1em;margin:1.2em 0 .4em}\n"
".subtitle{color:#555;margin:0 0 1em}.file{font-family:monospace;color:#555}\n"
".pair{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start;margin:.5em 0 1em}\n"
".pair>figure{margin:0;flex:0 0 auto}.pair>.table{flex:1 1 320px;overflow-x:auto;max-height:420px;overflow-y:auto}\n"
"table{border-collapse:collapse;font-size:12px}caption{text-align:left;font-weight:600;padding:2px 0}\n"
"th,td{border:1px solid #ddd;padding:2px 6px;text-align:left}th{background:#f4f4f4}\n"
"td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
"summary{cursor:pointer;font-weight:600;font-size:12px}\n"
".verdict{font-weight:700}.warn{color:#8a4b00}ul.warnings{color:#8a4b00}\n"
"svg.chart{max-width:100%;height:auto;font:11px system-ui,sans-serif}\n"
"svg .plot-area{fill:#fcfcfc;stroke:#ccc}svg .axis{stroke:#444}svg .tick{stroke:#444}\n"
"svg .grid{stroke:#eee}svg .tick-label,svg .label{fill:#333}svg .axis-label{fill:#333;font-weight:600}\n"
"svg .run-point{fill:#1f5fa8;fill-opacity:.55}svg .run-point.warmup{fill:#999}\n"
"svg .run-point.side-b{fill:#d0590c}svg .run-point.failed{fill:#c00;fill-opacity:1}\n"
"svg .run-trend{fill:none;stroke:#111;stroke-width:1.5}\n"
"svg .hist-bar{fill:#1f5fa8;fill-opacity:.45;stroke:#1f5fa8}svg .hist-bar.side-b{fill:#d0590c;stroke:#d0590c}\n"
"svg .median{stroke:#1f5fa8;stroke-width:2}svg .median.side-b{stroke:#d0590c}\n"
"svg .ci-band{fill:#1f5fa8;fill-opacity:.15}svg .ci-band.side-b{fill:#d0590c}\n"
"svg .margin-band{fill:#3a3;fill-opacity:.15}svg .ref-line{stroke:#555;stroke-dasharray:4 3}\n"
"svg .interval line{stroke:#222;stroke-width:2}svg .interval circle{fill:#222}\n"
"svg .interval.slower line{stroke:#c00}svg .interval.slower circle{fill:#c00}\n"
"svg .interval.faster line{stroke:#080}svg .interval.faster circle{fill:#080}\n"
"svg .bar{fill:#1f5fa8}svg .bar.up{fill:#c0392b}svg .bar.down{fill:#27884a}\n"
"svg .flame-rect{stroke:#fff;stroke-width:.5}svg .flame-label{font-size:10px;fill:#111;pointer-events:none}\n"
"@media print{body{max-width:none;font-size:11px}.pair{break-inside:avoid}\n"
"section{break-inside:auto}h2,h3{break-after:avoid}.pair>.table{max-height:none;overflow:visible}\n"
"details>summary{list-style:none}a{color:inherit;text-decoration:none}}\n";

void html_begin(FILE *f, const char *title, const char *subtitle)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>", f);
	xml_escape(f, title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<h1>", style);
	xml_escape(f, title);
	fputs("</h1>\n", f);
	if (subtitle)
		html_para(f, "subtitle", "%s", subtitle);
}

void html_end(FILE *f)
{
	fputs("</main>\n</body>\n</html>\n", f);
}

void html_heading(FILE *f, int level, const char *id, const char *text)
{
	fprintf(f, "<h%d", level);
	if (id) {
		fputs(" id=\"", f);
		xml_escape(f, id);
		fputc('"', f);
	}
	fputc('>', f);
	xml_escape(f, text);
	fprintf(f, "</h%d>\n", level);
}

static void escaped_vprintf(FILE *f, const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		return;
	xml_escape(f, s);
	free(s);
}

void html_para(FILE *f, const char *cls, const char *fmt, ...)
{
	va_list ap;

	if (cls)
		fprintf(f, "<p class=\"%s\">", cls);
	else
		fputs("<p>", f);
	va_start(ap, fmt);
	escaped_vprintf(f, fmt, ap);
	va_end(ap);
	fputs("</p>\n", f);
}

void html_section_begin(FILE *f, const char *cls)
{
	fprintf(f, "<section class=\"%s\">\n", cls);
}

void html_section_end(FILE *f)
{
	fputs("</section>\n", f);
}

void html_pair_begin(FILE *f)
{
	fputs("<div class=\"pair\"><figure>\n", f);
}

void html_pair_table(FILE *f)
{
	fputs("</figure><div class=\"table\">\n", f);
}

void html_pair_end(FILE *f)
{
	fputs("</div></div>\n", f);
}

void html_table_begin(FILE *f, const char *caption, const char *const *headers, int fold)
{
	if (fold) {
		fputs("<details><summary>", f);
		xml_escape(f, caption);
		fputs("</summary>\n<table>\n", f);
	} else {
		fputs("<table>\n<caption>", f);
		xml_escape(f, caption);
		fputs("</caption>\n", f);
	}
	fputs("<thead><tr>", f);
	for (; *headers; headers++) {
		fputs("<th scope=\"col\">", f);
		xml_escape(f, *headers);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
}

void html_tr_begin(FILE *f)
{
	fputs("<tr>", f);
}

void html_tr_end(FILE *f)
{
	fputs("</tr>\n", f);
}

void html_td(FILE *f, const char *fmt, ...)
{
	va_list ap;

	fputs("<td>", f);
	va_start(ap, fmt);
	escaped_vprintf(f, fmt, ap);
	va_end(ap);
	fputs("</td>", f);
}

void html_td_num(FILE *f, const char *fmt, ...)
{
	va_list ap;

	fputs("<td class=\"num\">", f);
	va_start(ap, fmt);
	escaped_vprintf(f, fmt, ap);
	va_end(ap);
	fputs("</td>", f);
}

void html_td_ratio(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "<td class=\"num\">%.4f</td>", v);
	else
		fputs("<td class=\"num\">n/a</td>", f);
}

void html_table_end(FILE *f, int fold)
{
	fputs("</tbody>\n</table>\n", f);
	if (fold)
		fputs("</details>\n", f);
}

void html_list(FILE *f, const char *cls, char *const *items, size_t n)
{
	if (!n)
		return;
	fprintf(f, "<ul class=\"%s\">\n", cls);
	for (size_t i = 0; i < n; i++) {
		fputs("<li>", f);
		xml_escape(f, items[i]);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}
