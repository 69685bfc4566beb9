/*
 * Unit tests for profile/annotate.c. The pure part against values worked
 * out by hand in the comments; the objdump part on this test binary's own
 * annotate_test_loop(), whose address and size come from nm, and on a fake
 * objdump put first on PATH, whose canned output has every kind of line
 * the parser must pass over.
 */
#include "unit_fixture.h"

#include <ctype.h>
#include <inttypes.h>

#include "measure/spawn.h"
#include "profile/annotate.h"

static char self_exe[PATH_MAX];

static volatile unsigned sink;

__attribute__((noinline, noclone)) unsigned annotate_test_loop(unsigned n);

__attribute__((noinline, noclone)) unsigned annotate_test_loop(unsigned n)
{
	unsigned s = sink;

	for (unsigned i = 0; i < n; i++)
		s = s * 31 + i;
	sink = s;
	return s;
}

static int setup(void **state)
{
	return fixture_setup(state, NULL);
}

/* ---- the pure part ---- */

/*
 * hot_loop at 0x1190, 0x60 bytes, 64-byte lines: 0x1190 = 0x1180 + 0x10,
 * so it starts 16 bytes into its line.
 *
 * Samples (1 000 inside it): 0x11a4: 400 + 100 given twice (500),
 * 0x11c2: 300, 0x11a0: 100, 0x11b8: 100; outside it 0x1180 (77, before)
 * and 0x11f0 (55, its end is not in it); a zero count.
 * Hottest: 0x11a4 500 (50%, offset 0x24 = 36), 0x11c2 300 (30%, offset
 * 2), then the tie of 100 broken by address: 0x11a0 (offset 32).
 * Span: 500 + 300 = 800 = 80% after the top 2 of 4, so [0x11a4, 0x11c2];
 * without disassembly it ends at 0x11c3: 31 bytes from offset 36.
 * Cache lines: 0x11a4 / 64 = 0x46, 0x11c2 / 64 = 0x47: 2. Windows:
 * 0x11a4 / 32 = 0x8d, 0x11c2 / 32 = 0x8e: 2 (it crosses 0x11c0).
 * Samples in the span: 500 + 100 (0x11b8) + 300 = 900, 90%.
 * Rows (the sampled addresses): 0x11a4, 0x11b8, 0x11c2; the line and the
 * window 0x11c0 begin between 0x11b8 and 0x11c2.
 */
static void test_histogram_only(void **state)
{
	const struct symbol fn = { 0x1190, 0x60, "hot_loop" };
	const struct addr_count hist[] = {
		{ 0x11c2, 300 }, { 0x11a4, 400 }, { 0x1180, 77 }, { 0x11b8, 100 },
		{ 0x11a0, 100 }, { 0x11f0, 55 }, { 0x11a4, 100 }, { 0x11b0, 0 },
	};
	struct annotation a;

	(void)state;
	assert_int_equal(annotation_compute(&fn, 64, hist, ARRAY_SIZE(hist), NULL, 3, &a), 0);
	assert_int_equal(a.start, 0x1190);
	assert_int_equal(a.offset, 16);
	assert_int_equal(a.samples, 1000);
	assert_int_equal(a.nr_hot, 3);
	assert_int_equal(a.hot[0].addr, 0x11a4);
	assert_int_equal(a.hot[0].offset, 36);
	assert_int_equal(a.hot[0].samples, 500);
	assert_double_equal(a.hot[0].share, 0.5, 1e-12);
	assert_null(a.hot[0].text);
	assert_int_equal(a.hot[1].addr, 0x11c2);
	assert_int_equal(a.hot[1].offset, 2);
	assert_double_equal(a.hot[1].share, 0.3, 1e-12);
	assert_int_equal(a.hot[2].addr, 0x11a0);
	assert_int_equal(a.hot[2].offset, 32);
	assert_int_equal(a.hot[2].samples, 100);

	assert_true(a.has_span);
	assert_int_equal(a.span.hottest, 2);
	assert_int_equal(a.span.lo, 0x11a4);
	assert_int_equal(a.span.hi, 0x11c2);
	assert_int_equal(a.span.end, 0x11c3);
	assert_int_equal(a.span.offset, 36);
	assert_int_equal(a.span.lines, 2);
	assert_int_equal(a.span.windows, 2);
	assert_int_equal(a.span.samples, 900);
	assert_double_equal(a.span.share, 0.9, 1e-12);
	assert_int_equal(a.span.nr_insns, 3);
	assert_int_equal(a.span.nr_rows, 3);
	assert_int_equal(a.span.rows[0].addr, 0x11a4);
	assert_int_equal(a.span.rows[0].samples, 500);
	assert_int_equal(a.span.rows[0].size, 0);
	assert_false(a.span.rows[0].new_line || a.span.rows[0].new_window);
	assert_int_equal(a.span.rows[1].addr, 0x11b8);
	assert_false(a.span.rows[1].new_line || a.span.rows[1].new_window);
	assert_int_equal(a.span.rows[2].addr, 0x11c2);
	assert_int_equal(a.span.rows[2].offset, 2);
	assert_true(a.span.rows[2].new_line && a.span.rows[2].new_window);
	assert_false(a.span.rows[2].split_line || a.span.rows[2].split_window);
	annotation_release(&a);
	annotation_release(&a);  /* empty: nothing happens */

	/* A cache line of 128 bytes: 0x1190 = 0x1180 + 0x10 still, both in line 0x1180. */
	assert_int_equal(annotation_compute(&fn, 128, hist, ARRAY_SIZE(hist), NULL, 10, &a), 0);
	assert_int_equal(a.offset, 16);
	assert_int_equal(a.nr_hot, 4);  /* only 4 sampled instructions */
	assert_int_equal(a.span.lines, 1);
	assert_int_equal(a.span.windows, 2);
	assert_false(a.span.rows[2].new_line);
	assert_true(a.span.rows[2].new_window);
	annotation_release(&a);
}

/*
 * The loop laid out by hand, crossing 0x11c0 (fn 0x1190, 0x40 bytes):
 *   0x1190  xor (to 0x11a0)     0x11be  cmp  4 bytes, 0x11be-0x11c1:
 *   0x11a0  mov (4 bytes)               split by line and window 0x11c0
 *   0x11a4  add (12 bytes)      0x11c2  jne  2 bytes
 *   0x11b0  imul (14 bytes)     0x11c4  ret  to the function's end 0x11d0
 * Samples: 0x1190: 50, 0x11a0: 100, 0x11a4: 400 and 0x11a6: 100 (inside
 * add: counts for it, 500), 0x11b0: 50, 0x11c2: 300; 1 000 in all.
 * Span: 500 + 300 = 80% after 2: [0x11a4, 0x11c2], ending with jne at
 * 0x11c4: 32 bytes from offset 36, lines 0x46-0x47 (2), windows
 * 0x8d-0x8e (2); samples 500 + 50 + 0 + 300 = 850.
 */
static const struct insn loop_insns[] = {
	{ 0x1190, "xor    %eax,%eax" },
	{ 0x11a0, "mov    %eax,%ecx" },
	{ 0x11a4, "add    $0x1,%eax" },
	{ 0x11b0, "imul   %eax,%ecx" },
	{ 0x11be, "cmp    %eax,%edi" },
	{ 0x11c2, "jne    11a0 <hot_loop+0x10>" },
	{ 0x11c4, "ret" },
};
static const struct disasm loop = { (struct insn *)loop_insns, ARRAY_SIZE(loop_insns) };
static const struct symbol loop_fn = { 0x1190, 0x40, "hot_loop" };

static void test_with_disassembly(void **state)
{
	const struct addr_count hist[] = {
		{ 0x1190, 50 }, { 0x11a0, 100 }, { 0x11a4, 400 }, { 0x11a6, 100 },
		{ 0x11b0, 50 }, { 0x11c2, 300 },
	};
	const struct span_row *r;
	struct annotation a;

	(void)state;
	assert_int_equal(annotation_compute(&loop_fn, 64, hist, ARRAY_SIZE(hist), &loop, 2, &a), 0);
	assert_int_equal(a.samples, 1000);
	assert_int_equal(a.nr_hot, 2);
	assert_int_equal(a.hot[0].addr, 0x11a4);
	assert_int_equal(a.hot[0].samples, 500);
	assert_string_equal(a.hot[0].text, "add    $0x1,%eax");
	assert_int_equal(a.hot[1].addr, 0x11c2);
	assert_string_equal(a.hot[1].text, "jne    11a0 <hot_loop+0x10>");
	assert_int_equal(a.span.lo, 0x11a4);
	assert_int_equal(a.span.hi, 0x11c2);
	assert_int_equal(a.span.end, 0x11c4);
	assert_int_equal(a.span.end - a.span.lo, 32);
	assert_int_equal(a.span.offset, 36);
	assert_int_equal(a.span.lines, 2);
	assert_int_equal(a.span.windows, 2);
	assert_int_equal(a.span.samples, 850);
	/* Every instruction of the span, the unsampled cmp too. */
	assert_int_equal(a.span.nr_insns, 4);
	assert_int_equal(a.span.nr_rows, 4);
	r = a.span.rows;
	assert_int_equal(r[0].addr, 0x11a4);
	assert_int_equal(r[0].size, 12);
	assert_int_equal(r[1].addr, 0x11b0);
	assert_int_equal(r[1].samples, 50);
	assert_false(r[1].new_line || r[1].new_window);
	assert_int_equal(r[2].addr, 0x11be);
	assert_int_equal(r[2].samples, 0);
	assert_string_equal(r[2].text, "cmp    %eax,%edi");
	assert_true(r[2].new_line && r[2].new_window && r[2].split_line && r[2].split_window);
	assert_int_equal(r[3].addr, 0x11c2);
	assert_int_equal(r[3].size, 2);
	assert_false(r[3].new_line || r[3].new_window || r[3].split_line || r[3].split_window);
	annotation_release(&a);
}

/*
 * Where the span ends decides what it touches: samples 0x11a4: 500,
 * 0x11be: 400, 0x1190: 100. 500 < 800, 900 >= 800: [0x11a4, 0x11be].
 * With the disassembly cmp ends at 0x11c2, so the span reaches line and
 * window 0x11c0: 2 and 2. Without it the span ends at 0x11bf: 1 and 1
 * (0x11a4 and 0x11be both in line 0x1180 and window 0x11a0).
 */
static void test_span_end(void **state)
{
	const struct addr_count hist[] = { { 0x11a4, 500 }, { 0x11be, 400 }, { 0x1190, 100 } };
	struct annotation a;

	(void)state;
	assert_int_equal(annotation_compute(&loop_fn, 64, hist, ARRAY_SIZE(hist), &loop, 5, &a), 0);
	assert_int_equal(a.span.end, 0x11c2);
	assert_int_equal(a.span.lines, 2);
	assert_int_equal(a.span.windows, 2);
	annotation_release(&a);
	assert_int_equal(annotation_compute(&loop_fn, 64, hist, ARRAY_SIZE(hist), NULL, 5, &a), 0);
	assert_int_equal(a.span.end, 0x11bf);
	assert_int_equal(a.span.lines, 1);
	assert_int_equal(a.span.windows, 1);
	annotation_release(&a);
}

/*
 * 80% taken in whole numbers: of 10 samples, 8 on one address are enough
 * (a span of one instruction, one byte without disassembly); 7 are not.
 * With every address tied the lowest addresses come first.
 */
static void test_span_threshold(void **state)
{
	const struct symbol fn = { 0x2000, 0x100, "f" };
	const struct addr_count eight[] = { { 0x2010, 8 }, { 0x2020, 1 }, { 0x2030, 1 } };
	const struct addr_count seven[] = { { 0x2010, 7 }, { 0x2020, 2 }, { 0x2030, 1 } };
	const struct addr_count tied[] = { { 0x2050, 1 }, { 0x2040, 1 }, { 0x2030, 1 },
					   { 0x2020, 1 }, { 0x2010, 1 } };
	struct annotation a;

	(void)state;
	assert_int_equal(annotation_compute(&fn, 64, eight, 3, NULL, 1, &a), 0);
	assert_int_equal(a.span.hottest, 1);
	assert_int_equal(a.span.lo, 0x2010);
	assert_int_equal(a.span.hi, 0x2010);
	assert_int_equal(a.span.end - a.span.lo, 1);
	assert_int_equal(a.span.lines, 1);
	assert_int_equal(a.span.nr_rows, 1);
	annotation_release(&a);
	assert_int_equal(annotation_compute(&fn, 64, seven, 3, NULL, 1, &a), 0);
	assert_int_equal(a.span.hottest, 2);
	assert_int_equal(a.span.hi, 0x2020);
	annotation_release(&a);
	/* 4 of 5 ties: 0x2010-0x2040, 0x2000 + 64 = 0x2040 starts the second line. */
	assert_int_equal(annotation_compute(&fn, 64, tied, 5, NULL, 2, &a), 0);
	assert_int_equal(a.hot[0].addr, 0x2010);
	assert_int_equal(a.hot[1].addr, 0x2020);
	assert_int_equal(a.span.hottest, 4);
	assert_int_equal(a.span.lo, 0x2010);
	assert_int_equal(a.span.hi, 0x2040);
	assert_int_equal(a.span.lines, 2);
	assert_int_equal(a.span.windows, 3);  /* 0x2000, 0x2020, 0x2040 */
	annotation_release(&a);
}

static void test_no_samples(void **state)
{
	const struct symbol fn = { 0x2000, 0x100, "f" };
	const struct addr_count outside[] = { { 0x1fff, 5 }, { 0x2100, 5 } };
	struct annotation a;
	char *msg, *text = NULL;
	size_t len = 0;
	FILE *out;
	json_t *j;
	int ret;

	(void)state;
	assert_int_equal(annotation_compute(&fn, 64, outside, 2, NULL, 5, &a), 0);
	assert_int_equal(a.samples, 0);
	assert_int_equal(a.nr_hot, 0);
	assert_false(a.has_span);
	out = open_memstream(&text, &len);
	annotate_print(out, "B", "f", &a);
	fclose(out);
	assert_string_equal(text, "B: f at 0x2000 (offset 0 in its 64-byte line), 0 samples\n");
	free(text);
	j = annotation_to_json(&a);
	assert_true(json_is_null(json_object_get(j, "span")));
	assert_int_equal(json_array_size(json_object_get(j, "hottest")), 0);
	json_decref(j);
	annotation_release(&a);

	CAPTURE(ret, msg, annotation_compute(&fn, 0, outside, 2, NULL, 5, &a));
	assert_int_equal(ret, -1);
	check_message(msg, "cache line size 0");
}

/* More than ANNOTATE_MAX_ROWS instructions in the span: the first are listed, all counted. */
static void test_row_cap(void **state)
{
	const struct symbol fn = { 0x4000, 0x1000, "long" };
	struct addr_count hist[100];
	struct annotation a;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(hist); i++)
		hist[i] = (struct addr_count){ 0x4000 + 4 * i, 1 };
	assert_int_equal(annotation_compute(&fn, 64, hist, ARRAY_SIZE(hist), NULL, 3, &a), 0);
	/* 80 of 100 tied samples: the lowest 80 addresses, 0x4000-0x413c. */
	assert_int_equal(a.span.hottest, 80);
	assert_int_equal(a.span.hi, 0x413c);
	assert_int_equal(a.span.nr_insns, 80);
	assert_int_equal(a.span.nr_rows, ANNOTATE_MAX_ROWS);
	assert_int_equal(a.span.rows[ANNOTATE_MAX_ROWS - 1].addr, 0x4000 + 4 * (ANNOTATE_MAX_ROWS - 1));
	/* 0x4000-0x413f: 5 lines of 64, 10 windows of 32. */
	assert_int_equal(a.span.lines, 5);
	assert_int_equal(a.span.windows, 10);
	assert_true(a.span.rows[16].new_line);  /* 0x4040 */
	assert_true(a.span.rows[8].new_window && !a.span.rows[8].new_line);  /* 0x4020 */
	annotation_release(&a);
}

/*
 * hand: 200 sampled addresses 0x4000 + 4 i with 10 samples each, but index
 * 100 with 50: 2040 samples, 80% is 1632 = 50 + 159 ties of 10, the ties
 * taken lowest address first (indices 0-158, without 100): the span is
 * indices 0-159, 160 instructions, too long for 64 rows. They are listed
 * around the hottest: 100 - 64 / 2 = 68 skipped, rows 68-131, row 32 the
 * hottest. With the 50 at index 199 instead, the span is 0-199 and the
 * listing stops at its end: 200 - 64 = 136 skipped, the last row 199.
 */
static void test_long_span_listed_around_hottest(void **state)
{
	const struct symbol fn = { 0x4000, 0x1000, "long" };
	struct addr_count hist[200];
	struct annotation a;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(hist); i++)
		hist[i] = (struct addr_count){ 0x4000 + 4 * i, 10 };
	hist[100].count = 50;
	assert_int_equal(annotation_compute(&fn, 64, hist, ARRAY_SIZE(hist), NULL, 3, &a), 0);
	assert_int_equal(a.hot[0].addr, 0x4000 + 4 * 100);
	assert_int_equal(a.span.lo, 0x4000);
	assert_int_equal(a.span.hi, 0x4000 + 4 * 159);
	assert_int_equal(a.span.nr_insns, 160);
	assert_int_equal(a.span.rows_skipped, 68);
	assert_int_equal(a.span.rows[0].addr, 0x4000 + 4 * 68);
	assert_int_equal(a.span.rows[32].addr, a.hot[0].addr);
	assert_int_equal(a.span.rows[32].samples, 50);
	annotation_release(&a);

	hist[100].count = 10;
	hist[199].count = 50;
	assert_int_equal(annotation_compute(&fn, 64, hist, ARRAY_SIZE(hist), NULL, 3, &a), 0);
	assert_int_equal(a.span.nr_insns, 200);
	assert_int_equal(a.span.rows_skipped, 136);
	assert_int_equal(a.span.rows[ANNOTATE_MAX_ROWS - 1].addr, 0x4000 + 4 * 199);
	annotation_release(&a);
}

/* ---- presentation ---- */

static void test_print_and_json(void **state)
{
	const struct addr_count hist[] = {
		{ 0x1190, 50 }, { 0x11a0, 100 }, { 0x11a4, 500 }, { 0x11b0, 50 }, { 0x11c2, 2300 },
	};
	struct annotation a;
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	json_t *j, *span, *row;

	(void)state;
	/* 3 000 samples: 0x11c2 2 300 (76.7%), then 0x11a4 500: 93.3%. */
	assert_int_equal(annotation_compute(&loop_fn, 64, hist, ARRAY_SIZE(hist), &loop, 2, &a), 0);
	out = open_memstream(&text, &len);
	annotate_print(out, "A", "hot_loop", &a);
	fclose(out);
	print_message("%s", text);
	assert_non_null(strstr(text, "A: hot_loop at 0x1190 (offset 16 in its 64-byte line), "
				     "3,000 samples\n"));
	assert_non_null(strstr(text, "  hottest:  0x11c2 (offset 2)"));
	assert_non_null(strstr(text, "2,300   76.7%  jne    11a0 <hot_loop+0x10>\n"));
	assert_non_null(strstr(text, "0x11a4 (offset 36)"));
	assert_non_null(strstr(text, "  hot span 0x11a4-0x11c3: 32 bytes from offset 36, "
				     "2 cache lines, 2 32-byte windows; 95.0% of the samples\n"));
	assert_non_null(strstr(text, "64-byte cache line 0x11c0"));
	assert_non_null(strstr(text, "cmp    %eax,%edi  (split across two cache lines)\n"));
	/* The line boundary is drawn before cmp, the instruction it splits. */
	assert_true(strstr(text, "cache line 0x11c0") < strstr(text, "cmp "));
	assert_true(strstr(text, "cache line 0x11c0") > strstr(text, "imul "));
	free(text);

	j = annotation_to_json(&a);
	assert_int_equal(json_integer_value(json_object_get(j, "start")), 0x1190);
	assert_int_equal(json_integer_value(json_object_get(j, "offset")), 16);
	assert_int_equal(json_integer_value(json_object_get(j, "samples")), 3000);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(j, "hottest"), 1), "text")), "add    $0x1,%eax");
	span = json_object_get(j, "span");
	assert_int_equal(json_integer_value(json_object_get(span, "lo")), 0x11a4);
	assert_int_equal(json_integer_value(json_object_get(span, "end")), 0x11c4);
	assert_int_equal(json_integer_value(json_object_get(span, "bytes")), 32);
	assert_int_equal(json_integer_value(json_object_get(span, "windows")), 2);
	assert_int_equal(json_array_size(json_object_get(span, "rows")), 4);
	row = json_array_get(json_object_get(span, "rows"), 2);
	assert_true(json_is_true(json_object_get(row, "split_window")));
	assert_int_equal(json_integer_value(json_object_get(row, "samples")), 0);
	json_decref(j);
	annotation_release(&a);
}

/* ---- objdump ---- */

/* nm's start and size of name in self_exe (nm run through spawn, as steady runs tools). */
static void nm_symbol(const char *name, uint64_t *start, uint64_t *size)
{
	char *nm = spawn_find_program("nm");
	char *argv[] = { "nm", "-S", self_exe, NULL };
	FILE *fp = tmpfile();
	char line[512], sym[256], type;
	unsigned long long value, sz;
	int code = -1, found = 0;

	if (!nm)
		skip();
	assert_non_null(fp);
	assert_int_equal(spawn_run_captured(nm, argv, NULL, NULL, fileno(fp), -1, &code), SPAWN_OK);
	assert_int_equal(code, 0);
	rewind(fp);
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "%llx %llx %c %255s", &value, &sz, &type, sym) == 4 &&
		    !strcmp(sym, name)) {
			*start = value;
			*size = sz;
			found = 1;
		}
	fclose(fp);
	free(nm);
	if (!found)
		fail_msg("nm -S found no %s", name);
}

static void test_objdump_self(void **state)
{
	uint64_t start = 0, size = 0;
	struct disasm d;
	struct annotation a;
	struct symbol fn;
	struct addr_count hist[2];
	int has_ret = 0;

	(void)state;
	if (!annotate_test_loop(3))  /* referenced, so it is kept */
		sink++;
	nm_symbol("annotate_test_loop", &start, &size);
	assert_true(size > 4);
	assert_int_equal(annotate_disassemble(self_exe, start, size, &d), 0);
	assert_true(d.nr >= 3);
	assert_int_equal(d.insns[0].addr, start);
	for (size_t i = 0; i < d.nr; i++) {
		assert_true(d.insns[i].addr >= start && d.insns[i].addr < start + size);
		assert_true(i == 0 || d.insns[i - 1].addr < d.insns[i].addr);
		assert_true(d.insns[i].text[0] && !isspace((unsigned char)d.insns[i].text[0]));
		assert_false(isspace((unsigned char)d.insns[i].text[strlen(d.insns[i].text) - 1]));
		if (!strncmp(d.insns[i].text, "ret", 3))
			has_ret = 1;
	}
	assert_true(has_ret);

	/* Samples on the second instruction and one byte into the first: both named. */
	fn = (struct symbol){ start, size, "annotate_test_loop" };
	hist[0] = (struct addr_count){ d.insns[1].addr, 30 };
	hist[1] = (struct addr_count){ start + 1, 10 };
	if (d.insns[1].addr == start + 1)  /* a one-byte first instruction (push %rbp) */
		hist[1].addr = start;
	assert_int_equal(annotation_compute(&fn, 64, hist, 2, &d, 5, &a), 0);
	assert_int_equal(a.offset, start % 64);
	assert_int_equal(a.nr_hot, 2);
	assert_int_equal(a.hot[0].addr, d.insns[1].addr);
	assert_string_equal(a.hot[0].text, d.insns[1].text);
	assert_int_equal(a.hot[1].addr, start);
	assert_string_equal(a.hot[1].text, d.insns[0].text);
	assert_int_equal(a.span.lo, start);
	assert_int_equal(a.span.hi, d.insns[1].addr);
	assert_int_equal(a.span.end, d.nr > 2 ? d.insns[2].addr : start + size);
	assert_int_equal(a.span.nr_rows, 2);
	annotation_release(&a);
	disasm_release(&d);
	disasm_release(&d);
}

static void test_objdump_errors(void **state)
{
	struct fixture *f = *state;
	char *text = xasprintf("%s/notes.txt", f->dir);
	char *old_path = xstrdup(getenv("PATH") ? getenv("PATH") : "");
	struct disasm d;
	char *msg;
	int ret;

	write_text(text, "not an ELF file\n");
	CAPTURE(ret, msg, annotate_disassemble(text, 0x1000, 0x10, &d));
	assert_int_equal(ret, -1);
	check_message(msg, "objdump cannot disassemble");
	assert_null(d.insns);
	/* Below every section of a real file: nothing to show. */
	CAPTURE(ret, msg, annotate_disassemble(self_exe, 0x1, 0x8, &d));
	assert_int_equal(ret, -1);
	check_message(msg, "no instructions");
	CAPTURE(ret, msg, annotate_disassemble(self_exe, 0x1000, 0, &d));
	assert_int_equal(ret, -1);
	check_message(msg, "size is not known");

	setenv("PATH", f->dir, 1);
	CAPTURE(ret, msg, annotate_disassemble(self_exe, 0x1000, 0x10, &d));
	setenv("PATH", old_path, 1);
	assert_int_equal(ret, -1);
	check_message(msg, "apt-get install binutils");
	free(old_path);
	free(text);
}

/*
 * A fake objdump first on PATH: records its arguments and prints what the
 * real one may print around the instructions, out of order and with a
 * file named like a hex number.
 */
static void test_objdump_parse(void **state)
{
	struct fixture *f = *state;
	char *fake = xasprintf("%s/objdump", f->dir);
	char *args = xasprintf("%s/args", f->dir);
	char *script = xasprintf(
		"#!/bin/sh\n"
		"printf '%%s\\n' \"$@\" > '%s'\n"
		/* printf and echo: shell builtins, as PATH holds only this fake */
		"printf '%%s\\n' \\\n"
		"  '' \\\n"
		"  'abc:     file format elf64-x86-64' \\\n"
		"  '' \\\n"
		"  'Disassembly of section .text:' \\\n"
		"  '' \\\n"
		"  '0000000000001190 <hot_loop>:' \\\n"
		"  '    11a0:\tmov    %%eax,%%ecx   ' \\\n"
		"  '    1190:\txor    %%eax,%%eax' \\\n"
		"  '\t...' \\\n"
		"  '    11a4:\tjne    11a0 <hot_loop+0x10>' \\\n"
		"  '    11a6:\t' \\\n"
		"  '    11d0:\tret' \\\n"
		"  ''\n"
		"echo 'objdump: warning: ignored' >&2\n", args);
	char *old_path = xstrdup(getenv("PATH") ? getenv("PATH") : "");
	char *recorded;
	struct disasm d;
	int ret;

	write_text(fake, script);
	assert_int_equal(chmod(fake, 0755), 0);
	setenv("PATH", f->dir, 1);
	ret = annotate_disassemble("abc", 0x1190, 0x40, &d);
	setenv("PATH", old_path, 1);
	assert_int_equal(ret, 0);
	recorded = read_text(args);
	assert_string_equal(recorded, "-d\n--no-show-raw-insn\n-w\n--start-address=0x1190\n"
				      "--stop-address=0x11d0\nabc\n");
	/* "abc:", the header, "...", the continuation and 0x11d0 (past the stop) are not instructions. */
	assert_int_equal(d.nr, 3);
	assert_int_equal(d.insns[0].addr, 0x1190);
	assert_string_equal(d.insns[0].text, "xor    %eax,%eax");
	assert_int_equal(d.insns[1].addr, 0x11a0);
	assert_string_equal(d.insns[1].text, "mov    %eax,%ecx");
	assert_int_equal(d.insns[2].addr, 0x11a4);
	assert_string_equal(d.insns[2].text, "jne    11a0 <hot_loop+0x10>");
	disasm_release(&d);
	free(recorded);
	free(old_path);
	free(script);
	free(args);
	free(fake);
}

/*
 * The same code moved: the jump targets and rip-relative operands differ,
 * the mnemonics (prefixes included) do not. A different mnemonic, a
 * different prefix or one instruction more is another sequence.
 */
static void test_same_sequence(void **state)
{
	struct insn a1[] = { { 0x11a0, "mov    0x2e79(%rip),%rax" }, { 0x11a7, "rep stos %rax,%es:(%rdi)" },
			     { 0x11aa, "jne    11c0 <hot_a+0x20>" } };
	struct insn b1[] = { { 0x1200, "mov    0x2e19(%rip),%rax" }, { 0x1207, "rep stos %rax,%es:(%rdi)" },
			     { 0x120a, "jne    1220 <hot_a+0x20>" } };
	struct insn b2[] = { { 0x1200, "mov    0x2e19(%rip),%rax" }, { 0x1207, "rep movsb (%rsi),(%rdi)" },
			     { 0x120a, "jne    1220 <hot_a+0x20>" } };
	struct insn b3[] = { { 0x1200, "mov    0x2e19(%rip),%rax" }, { 0x1207, "rep stos %rax,%es:(%rdi)" },
			     { 0x120a, "je     1220 <hot_a+0x20>" } };
	struct disasm a = { a1, 3 }, b = { b1, 3 }, c = { b2, 3 }, d = { b3, 3 }, shorter = { b1, 2 };
	struct disasm empty = { NULL, 0 };

	(void)state;
	assert_int_equal(disasm_same_sequence(&a, &b), 1);
	assert_int_equal(disasm_same_sequence(&a, &c), 0);
	assert_int_equal(disasm_same_sequence(&a, &d), 0);
	assert_int_equal(disasm_same_sequence(&a, &shorter), 0);
	assert_int_equal(disasm_same_sequence(&empty, &empty), 0);
}

/*
 * What the instruction does counts: another immediate, scale or register
 * is other code; another branch target, rip-relative distance or comment
 * is the same code moved. An indirect jump keeps its register.
 */
static void test_same_sequence_operands(void **state)
{
	struct insn a1[] = { { 0x10, "add    $0x1,%eax" }, { 0x13, "mov    (%r9,%rax,4),%edx" },
			     { 0x17, "mov    0x2e79(%rip),%rax        # 4020 <sink>" },
			     { 0x1e, "call   1130 <helper>" }, { 0x23, "jmp    *%rax" } };
	struct insn moved[] = { { 0x50, "add    $0x1,%eax" }, { 0x53, "mov    (%r9,%rax,4),%edx" },
				{ 0x57, "mov    -0x1a(%rip),%rax        # 4080 <sink>" },
				{ 0x5e, "call   1190 <helper>" }, { 0x63, "jmp    *%rax" } };
	struct insn imm[] = { { 0x50, "add    $0x8,%eax" }, { 0x53, "mov    (%r9,%rax,4),%edx" },
			      { 0x57, "mov    0x2e79(%rip),%rax" }, { 0x5e, "call   1130 <helper>" },
			      { 0x63, "jmp    *%rax" } };
	struct insn scale[] = { { 0x50, "add    $0x1,%eax" }, { 0x53, "mov    (%r9,%rax,8),%edx" },
				{ 0x57, "mov    0x2e79(%rip),%rax" }, { 0x5e, "call   1130 <helper>" },
				{ 0x63, "jmp    *%rax" } };
	struct insn reg[] = { { 0x50, "add    $0x1,%eax" }, { 0x53, "mov    (%r9,%rax,4),%edx" },
			      { 0x57, "mov    0x2e79(%rip),%rax" }, { 0x5e, "call   1130 <helper>" },
			      { 0x63, "jmp    *%rdx" } };
	struct disasm a = { a1, 5 }, m = { moved, 5 }, i = { imm, 5 }, sc = { scale, 5 },
		      r = { reg, 5 };

	(void)state;
	assert_int_equal(disasm_same_sequence(&a, &m), 1);
	assert_int_equal(disasm_same_sequence(&a, &i), 0);
	assert_int_equal(disasm_same_sequence(&a, &sc), 0);
	assert_int_equal(disasm_same_sequence(&a, &r), 0);
}

/*
 * Padding before an aligned loop differs with where the loop lands (gcc:
 * "cs nopw" in one build, "xchg %ax,%ax" or "nopl" in another, or none):
 * left out, the code is the same. Padding alone is no code.
 */
static void test_same_sequence_padding(void **state)
{
	struct insn a1[] = { { 0x10, "mov    %edi,%eax" }, { 0x12, "cs nopw 0x0(%rax,%rax,1)" },
			     { 0x20, "add    $0x1,%eax" }, { 0x23, "ret" } };
	struct insn b1[] = { { 0x40, "mov    %edi,%eax" }, { 0x42, "xchg   %ax,%ax" },
			     { 0x44, "nopl   0x0(%rax)" }, { 0x48, "add    $0x1,%eax" }, { 0x4b, "ret" } };
	struct insn b2[] = { { 0x40, "mov    %edi,%eax" }, { 0x42, "add    $0x1,%eax" },
			     { 0x45, "ret" } };
	struct insn b3[] = { { 0x40, "mov    %edi,%eax" }, { 0x42, "add    $0x1,%eax" },
			     { 0x45, "ret" }, { 0x46, "add    $0x1,%eax" } };
	struct insn pad[] = { { 0x40, "nop" }, { 0x41, "data16 cs nopw 0x0(%rax,%rax,1)" } };
	struct disasm a = { a1, 4 }, b = { b1, 5 }, c = { b2, 3 }, d = { b3, 4 }, p = { pad, 2 };

	(void)state;
	assert_int_equal(disasm_same_sequence(&a, &b), 1);
	assert_int_equal(disasm_same_sequence(&a, &c), 1);
	assert_int_equal(disasm_same_sequence(&a, &d), 0);
	assert_int_equal(disasm_same_sequence(&d, &a), 0);
	assert_int_equal(disasm_same_sequence(&p, &p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_histogram_only),
		cmocka_unit_test(test_with_disassembly),
		cmocka_unit_test(test_span_end),
		cmocka_unit_test(test_span_threshold),
		cmocka_unit_test(test_no_samples),
		cmocka_unit_test(test_row_cap),
		cmocka_unit_test(test_long_span_listed_around_hottest),
		cmocka_unit_test(test_print_and_json),
		cmocka_unit_test(test_same_sequence),
		cmocka_unit_test(test_same_sequence_padding),
		cmocka_unit_test(test_same_sequence_operands),
		cmocka_unit_test(test_objdump_self),
		cmocka_unit_test_setup_teardown(test_objdump_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_objdump_parse, setup, teardown),
	};
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);

	if (n <= 0)
		return 1;
	self_exe[n] = '\0';
	return cmocka_run_group_tests(tests, NULL, NULL);
}
