/*
 * Unit tests for formats/export.c: the Markdown escaping of names (syntax
 * characters, line breaks), CSV quoting (RFC 4180), and one row of each
 * table spelt out in full, written to memory with open_memstream().
 */
#include "unit_fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/export.h"
#include "lib/util.h"

struct memfile {
	FILE *f;
	char *text;
	size_t len;
};

static void mem_open(struct memfile *m)
{
	m->f = open_memstream(&m->text, &m->len);
	assert_non_null(m->f);
}

/* Closes the stream; m->text is the caller's to free. */
static void mem_close(struct memfile *m)
{
	assert_int_equal(fclose(m->f), 0);
}

static void test_markdown_cell_escapes_syntax(void **state)
{
	struct memfile m;

	(void)state;
	mem_open(&m);
	put_markdown_cell(m.f, "a|b*c_d`e[f]g<h>i\\j");
	mem_close(&m);
	assert_string_equal(m.text, "a\\|b\\*c\\_d\\`e\\[f\\]g\\<h\\>i\\\\j");
	free(m.text);
}

static void test_markdown_cell_line_breaks(void **state)
{
	struct memfile m;

	(void)state;
	mem_open(&m);
	put_markdown_cell(m.f, "two\nlines\r\nplain, text: 1.5x");
	mem_close(&m);
	/* A line break would end the row; a comma or colon is harmless. */
	assert_string_equal(m.text, "two lines  plain, text: 1.5x");
	free(m.text);
}

static void test_csv_field_quoting(void **state)
{
	struct memfile m;

	(void)state;
	mem_open(&m);
	put_csv_field(m.f, "say \"hi\", twice");
	fputc(',', m.f);
	put_csv_field(m.f, "");
	fputc(',', m.f);
	put_csv_field(m.f, "line\nbreak");
	mem_close(&m);
	assert_string_equal(m.text, "\"say \"\"hi\"\", twice\",\"\",\"line\nbreak\"");
	free(m.text);
}

static struct comparison sample_comparison(void)
{
	struct comparison c = {
		.na = 10, .nb = 12, .estimator = ESTIMATOR_HL, .ratio = 1.26,
		.ci_lo = 1.2, .ci_hi = 1.3, .ratio_means = 1.25,
		.ratio_medians = 1.24, .hl_ratio = 1.26, .welch_p = 0.0001,
		.mwu_p = 0.002, .margin = 0.01, .verdict = VERDICT_SLOWER,
	};

	c.by[ESTIMATOR_MEAN].ratio = 1.25;
	c.by[ESTIMATOR_MEAN].lo = 1.1;
	c.by[ESTIMATOR_MEAN].hi = 1.4;

	return c;
}

static void test_markdown_table(void **state)
{
	struct comparison c = sample_comparison();
	struct export_row row = { "sort | big", NULL, 0.002, 0.0025, &c, 0.95 };
	struct memfile m;

	(void)state;
	mem_open(&m);
	export_markdown(m.f, &row, 1);
	mem_close(&m);
	assert_string_equal(m.text,
		"| benchmark | A | B | B/A | CI | by | p (Welch, log) | verdict |\n"
		"|---|---:|---:|---:|---|---|---:|---|\n"
		"| sort \\| big | 2.000 ms | 2.500 ms | 1.260x | 95%: [1.200, 1.300] | hl | 0.0001 | **SLOWER** |\n");
	free(m.text);
}

static void test_csv_table(void **state)
{
	struct comparison c = sample_comparison();
	struct export_row rows[2] = {
		{ "a \"quoted\" name", NULL, 0.002, 0.0025, &c, 0.95 },
		{ "count", "instructions", 1000, 1250, &c, 0.95 },
	};
	struct memfile m;
	const char *second;

	(void)state;
	mem_open(&m);
	export_csv(m.f, rows, 2);
	mem_close(&m);
	assert_non_null(strstr(m.text,
		"\n\"a \"\"quoted\"\" name\",wall,0.002,0.0025,10,12,hl,1.260000,1.200000,1.300000,"
		"0.95,1.250000,1.100000,1.400000,1.240000,1.260000,0.0001,0.002,0.01,SLOWER,no\n"));
	second = strstr(m.text, "\n\"count\",instructions,1000,1250,");
	assert_non_null(second);
	assert_int_equal(strncmp(m.text, "benchmark,metric,a_mean,b_mean,", 31), 0);
	free(m.text);
}

/*
 * A count of 0 on A's side has no ratio, too few runs no interval, and an
 * A resample of zeros an unbounded end: NaN and inf in the comparison,
 * n/a in Markdown and empty fields in CSV, never "nan" or "inf".
 */
static void test_missing_numbers(void **state)
{
	struct comparison c = sample_comparison();
	struct export_row row = { "zeros", "context-switches", 0, 3, &c, 0.95 };
	struct memfile m;

	(void)state;
	c.ratio = c.ratio_means = c.ratio_medians = c.hl_ratio = NAN;
	c.ci_lo = NAN;
	c.ci_hi = INFINITY;
	c.by[ESTIMATOR_MEAN].lo = NAN;
	c.by[ESTIMATOR_MEAN].hi = NAN;
	c.welch_p = NAN;
	c.verdict = VERDICT_UNRESOLVED;
	mem_open(&m);
	export_markdown(m.f, &row, 1);
	mem_close(&m);
	assert_non_null(strstr(m.text, "| zeros | 0 | 3 | n/a | 95%: [n/a, n/a] | hl | n/a | **UNRESOLVED** |\n"));
	free(m.text);
	mem_open(&m);
	export_csv(m.f, &row, 1);
	mem_close(&m);
	assert_non_null(strstr(m.text,
		"\n\"zeros\",context-switches,0,3,10,12,hl,,,,0.95,,,,,,,0.002,0.01,UNRESOLVED,no\n"));
	assert_null(strstr(m.text, "nan"));
	assert_null(strstr(m.text, "inf"));
	free(m.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markdown_cell_escapes_syntax),
		cmocka_unit_test(test_markdown_cell_line_breaks),
		cmocka_unit_test(test_csv_field_quoting),
		cmocka_unit_test(test_markdown_table),
		cmocka_unit_test(test_csv_table),
		cmocka_unit_test(test_missing_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
