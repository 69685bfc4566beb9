/*
 * Unit tests for cachegrind.c: the real valgrind 3.19 files under
 * tests/fixtures/cachegrind/ give the events, totals and per-function costs
 * counted independently with awk; small texts in memory cover each variant
 * of the format (missing counts, name compression, repeated blocks, inlined
 * files, callgrind-style positions and calls, no summary) and each way a
 * file can be refused, with one error line naming the line.
 *
 * The fixture directory comes from $FIXTURES (the test runner sets it),
 * else "tests/fixtures" from the top of the repository. Files made up for a
 * test go in a mkdtemp() directory under /tmp, removed by the teardown.
 */
#include "unit_fixture.h"

#include <inttypes.h>

#include "formats/cachegrind.h"

/* Files made up for a test are written to dir/cachegrind.out.1. */
static int setup(void **state)
{
	return fixture_setup(state, "cachegrind.out.1");
}

static void assert_empty_profile(const struct cg_profile *p)
{
	assert_null(p->cmd);
	assert_null(p->events);
	assert_int_equal(p->nr_events, 0);
	assert_null(p->summary);
	assert_int_equal(p->has_summary, 0);
	assert_null(p->fns);
	assert_int_equal(p->nr_fns, 0);
	assert_int_equal(p->alloc_fns, 0);
}

/* Parses text (named "mem" in messages), which must succeed. */
static void parse_ok(const char *text, struct cg_profile *p)
{
	cg_profile_init(p);
	if (cachegrind_parse_buffer(text, strlen(text), "mem", p))
		fail_msg("cannot parse:\n%s", text);
}

/*
 * Parsing text must fail with one line containing want and leave the
 * profile empty. It holds a parsed profile beforehand, so a failure that
 * forgot to release it would show (and leak under valgrind).
 */
static void expect_error_len(const char *text, size_t len, const char *want)
{
	struct cg_profile p;
	char *msg;
	int ret;

	parse_ok("events: Ir\nfn=old\n1 1\n", &p);
	capture_start();
	ret = cachegrind_parse_buffer(text, len, "mem", &p);
	msg = capture_end();
	if (ret != -1)
		print_error("parsed, should not have:\n%s\n", text);
	assert_int_equal(ret, -1);
	check_message(msg, want);
	assert_empty_profile(&p);
	cg_profile_release(&p);
}

static void expect_error(const char *text, const char *want)
{
	expect_error_len(text, strlen(text), want);
}

/* The function (file, name) of p; fails the test when it is missing. */
static const struct cg_function *find_fn(const struct cg_profile *p,
					 const char *file, const char *name)
{
	for (size_t i = 0; i < p->nr_fns; i++)
		if (!strcmp(p->fns[i].file, file) && !strcmp(p->fns[i].name, name))
			return &p->fns[i];
	fail_msg("no function '%s' in '%s'", name, file);
	return NULL;
}

static void assert_costs(const uint64_t *got, const uint64_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg("count %zu: got %" PRIu64 ", want %" PRIu64,
				 i, got[i], want[i]);
}

static void assert_fn(const struct cg_profile *p, const char *file,
		      const char *name, const uint64_t *want)
{
	assert_costs(find_fn(p, file, name)->cost, want, p->nr_events);
}

/* ---- the real files ---- */

#define MAX_EVENTS 13

struct fn_expect {
	const char *file, *name;
	uint64_t cost[MAX_EVENTS];
};

struct cg_expect {
	const char *file;
	const char *cmd;
	size_t nr_events;
	const char *events[MAX_EVENTS];
	uint64_t summary[MAX_EVENTS];
	size_t nr_fns;
	struct fn_expect fn[5];
};

#define CACHE_EVENTS "Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw"
#define LIBC_START "./csu/../csu/libc-start.c"
#define CALL_MAIN "./csu/../sysdeps/nptl/libc_start_call_main.h"

/*
 * Expected values counted with awk over each file, not with this parser:
 *   events, cmd:  grep '^events:\|^cmd:' FILE
 *   summary:      grep '^summary:' FILE (and equal to the column sums of
 *                 all cost lines: awk '/^[0-9]/{for(i=2;i<=NF;i++)s[i]+=$i}')
 *   nr_fns:       awk '/^fl=/{fl=substr($0,4)} /^fn=/{fn=substr($0,4)}
 *                 /^[0-9]/{k[fl "\t" fn]=1} END{n=0; for(x in k)n++; print n}'
 *                 (distinct fl/fn pairs that have cost lines)
 *   costs:        awk -v want=NAME '/^fl=/{fl=substr($0,4)}
 *                 /^fn=/{fn=substr($0,4)} /^[0-9]/ && fn==want
 *                 {for(i=2;i<=NF;i++) s[fl,i]+=$i}' FILE, per file
 */
static const struct cg_expect fixtures[] = {
	{ "cachegrind/work-ref.out", "./work-ref 200000",
	  9, { CACHE_EVENTS },
	  /* grep '^summary:' work-ref.out */
	  { 2129200, 1265, 1247, 229349, 1229, 1003, 210703, 381, 350 },
	  /* awk count of distinct fl/fn pairs with cost lines in work-ref.out */
	  339, {
		/* awk sum over the one cost line of fn=main (fl=???) in work-ref.out */
		{ "???", "main", { 1400020, 2, 2, 2, 0, 0, 200002, 0, 0 } },
		/* awk sum over the one cost line of fn=step (fl=???) in work-ref.out */
		{ "???", "step", { 600000, 1, 1, 200000, 0, 0, 0, 0, 0 } },
		/* awk sum over the 18 cost lines of fn=__libc_start_main@@GLIBC_2.34
		 * in work-ref.out */
		{ LIBC_START, "__libc_start_main@@GLIBC_2.34",
		  { 69, 5, 5, 18, 2, 0, 14, 0, 0 } },
		/* awk sum over the 8 cost lines of fn=(below main) under
		 * fl=...libc_start_call_main.h in work-ref.out */
		{ CALL_MAIN, "(below main)", { 25, 3, 3, 8, 2, 0, 10, 0, 0 } },
		/* awk sum over the one cost line of fn=(below main) under fl=???
		 * in work-ref.out: same name, other file, other function */
		{ "???", "(below main)", { 11, 1, 1, 2, 0, 0, 3, 0, 0 } },
	} },
	{ "cachegrind/work-plus10.out", "./work-plus10 200000",
	  9, { CACHE_EVENTS },
	  /* grep '^summary:' work-plus10.out */
	  { 2329238, 1265, 1247, 249359, 1229, 1003, 230705, 381, 350 },
	  /* awk count of distinct fl/fn pairs with cost lines in work-plus10.out */
	  339, {
		/* awk sum over the one cost line of fn=main (fl=???) in work-plus10.out */
		{ "???", "main", { 1540025, 2, 2, 2, 0, 0, 220002, 0, 0 } },
		/* awk sum over the one cost line of fn=step (fl=???) in work-plus10.out */
		{ "???", "step", { 660000, 0, 0, 220000, 0, 0, 0, 0, 0 } },
		/* awk sum over the 5 cost lines of fn=wmemset under
		 * fl=...ifunc-wmemset.h in work-plus10.out */
		{ "./wcsmbs/../sysdeps/x86_64/multiarch/ifunc-wmemset.h", "wmemset",
		  { 34, 2, 2, 6, 0, 0, 0, 0, 0 } },
		/* awk sum over the one cost line of fn=wmemset under
		 * fl=...wmemset.c in work-plus10.out */
		{ "./wcsmbs/../sysdeps/x86_64/multiarch/wmemset.c", "wmemset",
		  { 2, 0, 0, 2, 0, 0, 0, 0, 0 } },
		/* awk sum over the one cost line of fn=??? (fl=???) in work-plus10.out */
		{ "???", "???", { 142, 23, 21, 63, 7, 0, 18, 1, 1 } },
	} },
	{ "cachegrind/call-ref-branch.out", "./call-ref 100000",
	  13, { CACHE_EVENTS, "Bc", "Bcm", "Bi", "Bim" },
	  /* grep '^summary:' call-ref-branch.out */
	  { 2429225, 1267, 1248, 229353, 1229, 1003, 210705, 381, 350,
	    125639, 3314, 303, 162 },
	  /* awk count of distinct fl/fn pairs with cost lines in call-ref-branch.out */
	  341, {
		/* awk sum over the one cost line of fn=main (fl=???) in
		 * call-ref-branch.out */
		{ "???", "main", { 1500023, 2, 2, 3, 0, 0, 200004, 0, 0,
				   100002, 10, 0, 0 } },
		/* awk sum over the one cost line of fn=qux (fl=???) in
		 * call-ref-branch.out */
		{ "???", "qux", { 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
		/* awk sum over the 18 cost lines of fn=__libc_start_main@@GLIBC_2.34
		 * in call-ref-branch.out */
		{ LIBC_START, "__libc_start_main@@GLIBC_2.34",
		  { 69, 5, 5, 18, 2, 0, 14, 0, 0, 8, 1, 2, 2 } },
		/* awk sum over the one cost line of fn=(below main) under fl=???
		 * in call-ref-branch.out */
		{ "???", "(below main)", { 11, 2, 2, 2, 0, 0, 3, 0, 0, 0, 0, 1, 1 } },
		/* awk sum over the one cost line of fn=??? (fl=???) in
		 * call-ref-branch.out */
		{ "???", "???", { 142, 24, 21, 63, 7, 0, 18, 1, 1, 10, 6, 38, 16 } },
	} },
};

static void check_fixture(const struct cg_expect *e)
{
	char *path = fixture_path(e->file);
	uint64_t sum[MAX_EVENTS] = { 0 };
	struct cg_profile p;
	int found;

	print_message("# %s\n", e->file);
	cg_profile_init(&p);
	if (cachegrind_parse(path, &p))
		fail_msg("cannot parse %s (is FIXTURES set?)", path);

	assert_string_equal(p.cmd, e->cmd);
	assert_int_equal(p.nr_events, e->nr_events);
	for (size_t i = 0; i < e->nr_events; i++) {
		assert_string_equal(p.events[i], e->events[i]);
		assert_int_equal(cg_event_index(&p, e->events[i]), (int)i);
		assert_true(cg_total(&p, e->events[i], &found) == e->summary[i]);
		assert_int_equal(found, 1);
	}
	assert_null(p.events[p.nr_events]);
	assert_int_equal(p.has_summary, 1);
	assert_costs(p.summary, e->summary, e->nr_events);

	assert_int_equal(p.nr_fns, e->nr_fns);
	for (size_t i = 0; i < sizeof(e->fn) / sizeof(*e->fn); i++)
		assert_fn(&p, e->fn[i].file, e->fn[i].name, e->fn[i].cost);
	/* valgrind's summary is the sum of its cost lines: nothing lost */
	for (size_t k = 0; k < p.nr_fns; k++)
		for (size_t i = 0; i < p.nr_events; i++)
			sum[i] += p.fns[k].cost[i];
	assert_costs(sum, e->summary, e->nr_events);
	/* in order of first appearance: the file's first fl=/fn= pair */
	assert_string_equal(p.fns[0].file, LIBC_START);
	assert_string_equal(p.fns[0].name, "__libc_start_main@@GLIBC_2.34");

	cg_profile_release(&p);
	assert_empty_profile(&p);
	free(path);
}

static void test_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(*fixtures); i++)
		check_fixture(&fixtures[i]);
}

/* ---- the format's variants, in memory ---- */

static void test_missing_counts(void **state)
{
	struct cg_profile p;

	(void)state;
	parse_ok("events: A B C\n"
		 "fl=f.c\n"
		 "fn=f\n"
		 "1\n"
		 "2 5\n"
		 "3 1 2\n"
		 "4 1 2 3\n"
		 "summary: 7 4\n", &p);
	assert_null(p.cmd);
	assert_int_equal(p.nr_fns, 1);
	assert_fn(&p, "f.c", "f", (uint64_t[]){ 7, 4, 3 });
	/* the summary may lack trailing counts too */
	assert_int_equal(p.has_summary, 1);
	assert_costs(p.summary, (uint64_t[]){ 7, 4, 0 }, 3);
	cg_profile_release(&p);
}

static void test_name_compression(void **state)
{
	struct cg_profile p;

	(void)state;
	parse_ok("events: Ir Dr\n"
		 "fl=(1) a.c\n"
		 "fn=(1) main\n"
		 "1 10 1\n"
		 "cfl=(2) b.c\n"                /* defines file 2 only */
		 "cfn=(2) helper\n"             /* defines function 2 only */
		 "calls=1 7\n"
		 "1 100 20\n"                   /* the call's cost: not main's */
		 "fn=(3) (below main)\n"        /* "(below main)" is its name */
		 "2 1\n"
		 "fl=(2)\n"
		 "fn=(2)\n"
		 "5 100 20\n"
		 "fl=(1)\n"
		 "fn=(1)\n"
		 "3 5\n"
		 "fn=(below main)\n"            /* a plain name, same function as (3) */
		 "4 2\n"
		 "fn=(17)\tspaced  name \n"     /* kept as written after the blanks */
		 "9 1000\n"
		 "fn=(3)\n"
		 "5 4\n", &p);
	assert_int_equal(p.nr_fns, 4);
	assert_fn(&p, "a.c", "main", (uint64_t[]){ 15, 1 });
	assert_fn(&p, "a.c", "(below main)", (uint64_t[]){ 7, 0 });
	assert_fn(&p, "b.c", "helper", (uint64_t[]){ 100, 20 });
	assert_fn(&p, "a.c", "spaced  name ", (uint64_t[]){ 1000, 0 });
	/* no summary: the sum, in which the call's cost is not counted twice */
	assert_int_equal(p.has_summary, 0);
	assert_costs(p.summary, (uint64_t[]){ 1122, 21 }, 2);
	cg_profile_release(&p);
}

static void test_merge_blocks(void **state)
{
	struct cg_profile p;

	(void)state;
	parse_ok("cmd: ./prog\n"
		 "events: Ir\n"
		 "fl=a.c\n"
		 "fn=main\n"
		 "1 1\n"
		 "fn=other\n"
		 "2 10\n"
		 "fl=b.c\n"
		 "fn=main\n"                    /* same name, other file */
		 "3 100\n"
		 "fl=a.c\n"
		 "fn=main\n"                    /* back to the first block */
		 "4 1000\n"
		 "fn=other\n"
		 "5 10000\n"
		 "summary: 11111\n", &p);
	assert_string_equal(p.cmd, "./prog");
	assert_int_equal(p.nr_fns, 3);
	/* in order of first appearance */
	assert_string_equal(p.fns[0].file, "a.c");
	assert_string_equal(p.fns[0].name, "main");
	assert_true(p.fns[0].cost[0] == 1001);
	assert_string_equal(p.fns[1].name, "other");
	assert_true(p.fns[1].cost[0] == 10010);
	assert_string_equal(p.fns[2].file, "b.c");
	assert_string_equal(p.fns[2].name, "main");
	assert_true(p.fns[2].cost[0] == 100);
	cg_profile_release(&p);
}

/* Enough functions and lines that a quadratic lookup would show, and
 * the hash tables grow many times. */
static void test_many_functions(void **state)
{
	enum { NR_FNS = 20000, NR_FILES = 100, LINES = 4 };
	struct cg_profile p;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	(void)state;
	assert_non_null(fp);
	fprintf(fp, "events: Ir Dr\n");
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < NR_FNS; i++) {
			fprintf(fp, "fl=src/f%d.c\nfn=fn%d\n", i % NR_FILES, i);
			for (int k = 0; k < LINES; k++)
				fprintf(fp, "%d 1 %d\n", k + 1, i);
		}
	}
	assert_int_equal(fclose(fp), 0);

	cg_profile_init(&p);
	assert_int_equal(cachegrind_parse_buffer(text, len, "big", &p), 0);
	assert_int_equal(p.nr_fns, NR_FNS);
	for (size_t i = 0; i < NR_FNS; i++) {
		char name[32], file[32];

		snprintf(name, sizeof(name), "fn%zu", i);
		snprintf(file, sizeof(file), "src/f%zu.c", i % NR_FILES);
		assert_string_equal(p.fns[i].name, name);
		assert_string_equal(p.fns[i].file, file);
		assert_true(p.fns[i].cost[0] == 2 * LINES);
		assert_true(p.fns[i].cost[1] == 2 * LINES * i);
	}
	/* sum of 2 * LINES * i over i < NR_FNS */
	assert_true(p.summary[0] == 2 * LINES * NR_FNS);
	assert_true(p.summary[1] == (uint64_t)LINES * NR_FNS * (NR_FNS - 1));
	cg_profile_release(&p);
	free(text);
}

/* fi=/fe= change the file for the lines that follow, not the function. */
static void test_inlined_files(void **state)
{
	struct cg_profile p;

	(void)state;
	parse_ok("events: Ir\n"
		 "fl=a.c\n"
		 "fn=f\n"
		 "1 1\n"
		 "fi=inl.h\n"
		 "10 20\n"
		 "fe=a.c\n"
		 "2 300\n"
		 "fn=g\n"
		 "3 4000\n"
		 "fi=(1) inl.h\n"
		 "11 50000\n"
		 /* as callgrind writes it: no fl= when the file stays the same */
		 "fn=h\n"
		 "12 600000\n", &p);
	assert_int_equal(p.nr_fns, 5);
	assert_fn(&p, "a.c", "f", (uint64_t[]){ 301 });
	assert_fn(&p, "inl.h", "f", (uint64_t[]){ 20 });
	assert_fn(&p, "a.c", "g", (uint64_t[]){ 4000 });
	assert_fn(&p, "inl.h", "g", (uint64_t[]){ 50000 });
	assert_fn(&p, "inl.h", "h", (uint64_t[]){ 600000 });
	cg_profile_release(&p);
}

/* A callgrind file: more position columns, relative positions, calls. */
static void test_callgrind_style(void **state)
{
	struct cg_profile p;

	(void)state;
	parse_ok("# callgrind format\n"
		 "version: 1\n"
		 "creator: callgrind-3.22.0\n"
		 "pid: 4242\n"
		 "cmd: ./prog 10\n"
		 "part: 1\n"
		 "\n"
		 "desc: I1 cache: 32768 B, 64 B, 8-way associative\n"
		 "desc: Timerange: Basic block 0 - 5000\n"
		 "\n"
		 "positions: instr line\n"
		 "events: Ir Dr\n"
		 "summary: 316 43\n"
		 "\n"
		 "ob=(1) /usr/bin/prog\n"
		 "fl=(1) prog.c\n"
		 "fn=(1) main\n"
		 "0x401000 3 10 2\n"
		 "+4 * 5\n"
		 "-2 4 1 1\n"
		 "jump=3 +8 5\n"
		 "* 5\n"
		 "cob=(2) /usr/lib/libc.so.6\n"
		 "cfi=(2) memset.S\n"
		 "cfn=(2) memset\n"
		 "calls=2 0x402000 9\n"
		 "* 5 300 40\n"
		 "fl=(2)\n"
		 "fn=(2)\n"
		 "0x402000 9 300 40\n"
		 "\n"
		 "totals: 316 43\n", &p);
	assert_string_equal(p.cmd, "./prog 10");
	assert_int_equal(p.nr_fns, 2);
	assert_fn(&p, "prog.c", "main", (uint64_t[]){ 16, 3 });
	assert_fn(&p, "memset.S", "memset", (uint64_t[]){ 300, 40 });
	assert_int_equal(p.has_summary, 1);
	assert_costs(p.summary, (uint64_t[]){ 316, 43 }, 2);
	cg_profile_release(&p);
}

static void test_summary(void **state)
{
	struct cg_profile p;

	(void)state;
	/* none: the sum of the cost lines */
	parse_ok("events: Ir Dr\nfn=a\n1 5 1\nfn=b\n2 7\n", &p);
	assert_int_equal(p.has_summary, 0);
	assert_costs(p.summary, (uint64_t[]){ 12, 1 }, 2);
	cg_profile_release(&p);

	/* one that disagrees is kept as written: it is not an error */
	parse_ok("events: Ir Dr\nfn=a\n1 5 1\nsummary: 999 3\n", &p);
	assert_int_equal(p.has_summary, 1);
	assert_costs(p.summary, (uint64_t[]){ 999, 3 }, 2);
	assert_true(p.fns[0].cost[0] == 5);
	cg_profile_release(&p);

	/* an old totals: line stands in for summary: */
	parse_ok("events: Ir\nfn=a\n1 5\ntotals: 6\n", &p);
	assert_int_equal(p.has_summary, 1);
	assert_true(p.summary[0] == 6);
	cg_profile_release(&p);

	/* summary: wins over totals:, before or after it */
	parse_ok("events: Ir\nsummary: 7\nfn=a\n1 5\ntotals: 6\n", &p);
	assert_true(p.summary[0] == 7);
	cg_profile_release(&p);
	parse_ok("events: Ir\nfn=a\n1 5\ntotals: 6\nsummary: 7\n", &p);
	assert_true(p.summary[0] == 7);
	cg_profile_release(&p);

	/* no cost lines at all: no functions, zero totals */
	parse_ok("events: Ir Dr\n", &p);
	assert_int_equal(p.nr_fns, 0);
	assert_int_equal(p.has_summary, 0);
	assert_costs(p.summary, (uint64_t[]){ 0, 0 }, 2);
	cg_profile_release(&p);

	/* the largest count there is */
	parse_ok("events: Ir\nfn=a\n1 18446744073709551615\n", &p);
	assert_true(p.summary[0] == UINT64_MAX);
	cg_profile_release(&p);
}

/* What valgrind does not write but other writers and editors might. */
static void test_tolerated(void **state)
{
	struct cg_profile p;
	int found = 1;

	(void)state;
	parse_ok("\n"
		 "# written by hand\r\n"
		 "desc: one\r\n"
		 "desc: two\r\n"
		 "mystery: header\r\n"
		 "events:\tIr  Dr \r\n"
		 "positions: line\r\n"
		 "events: Ir  Dr\r\n"            /* repeated, the same events */
		 "1 3 3\r\n"                     /* before any fl= and fn= */
		 "ob=/lib/x.so\r\n"              /* an unknown key */
		 "\r\n"
		 "  fl=x.c\r\n"
		 "fn=f\r\n"
		 "   \t\r\n"
		 "\t7\t1\t2 \r\n"
		 "summary: 4 5", &p);            /* no newline at the end */
	assert_null(p.cmd);
	assert_int_equal(p.nr_events, 2);
	assert_string_equal(p.events[0], "Ir");
	assert_string_equal(p.events[1], "Dr");
	assert_int_equal(p.nr_fns, 2);
	assert_fn(&p, "???", "???", (uint64_t[]){ 3, 3 });
	assert_fn(&p, "x.c", "f", (uint64_t[]){ 1, 2 });
	assert_true(p.summary[1] == 5);

	/* lookups */
	assert_int_equal(cg_event_index(&p, "Dr"), 1);
	assert_int_equal(cg_event_index(&p, "Dw"), -1);
	assert_int_equal(cg_event_index(&p, "dr"), -1);
	assert_true(cg_total(&p, "Ir", &found) == 4);
	assert_int_equal(found, 1);
	assert_true(cg_total(&p, "Bc", &found) == 0);
	assert_int_equal(found, 0);
	assert_true(cg_total(&p, "Dr", NULL) == 5);
	cg_profile_release(&p);

	/* an fl= with no fn= after it: the same function, as callgrind means */
	parse_ok("events: Ir\nfl=a.c\nfn=f\n1 1\nfl=b.c\n2 2\n", &p);
	assert_fn(&p, "b.c", "f", (uint64_t[]){ 2 });
	cg_profile_release(&p);
}

static void test_bad_content(void **state)
{
	(void)state;
	expect_error("", "cannot read 'mem': the file is empty");
	expect_error("{\"results\": []}\n", "cannot read 'mem': line 1: not a cachegrind file");
	expect_error("\n\n<html>\n", "cannot read 'mem': line 3: not a cachegrind file");
	expect_error("--- a/x.c\n+++ b/x.c\n", "cannot read 'mem': line 1: not a cachegrind file");
	expect_error_len("events: Ir\n1 1\n\0\n", 17,
			 "cannot read 'mem': line 3: not a cachegrind file (it has a NUL byte)");

	/* no events: line before what needs one */
	expect_error("desc: x\ncmd: ./a\n", "cannot read 'mem': line 2: end of file and no events: line");
	expect_error("\n", "cannot read 'mem': line 1: end of file and no events: line");
	expect_error("cmd: ./a\nfl=a.c\nfn=main\n1 2 3\nevents: Ir Dr\n",
		     "cannot read 'mem': line 4: no events: line before this cost line");
	expect_error("cmd: ./a\nsummary: 1\n",
		     "cannot read 'mem': line 2: no events: line before this summary: line");
	expect_error("events:\nfn=a\n1 1\n", "cannot read 'mem': line 1: events: line names no events");
	expect_error("events: Ir\nfn=a\n1 1\nevents: Ir Dr\n",
		     "cannot read 'mem': line 4: events: line differs from the one on line 1");

	/* counts */
	expect_error("events: Ir Dr\nfn=a\n1 1 x2\n",
		     "cannot read 'mem': line 3: count 'x2' is not a number");
	expect_error("events: Ir Dr\nfn=a\n1 1 -2\n",
		     "cannot read 'mem': line 3: count '-2' is not a number");
	expect_error("events: Ir Dr\nfn=a\n1 1 2.5\n",
		     "cannot read 'mem': line 3: count '2.5' is not a number");
	expect_error("events: Ir Dr\nfn=a\n1 1 2 3\n",
		     "cannot read 'mem': line 3: cost line has more counts than the 2 events of line 1");
	expect_error("events: Ir\nfn=a\n1 18446744073709551616\n",
		     "cannot read 'mem': line 3: count '18446744073709551616' is too big for 64 bits");
	expect_error("events: Ir\nfn=a\n1 18446744073709551615\nfn=b\n2 1\n",
		     "cannot read 'mem': line 5: the counts of event 'Ir' add up beyond 2^64");
	expect_error("events: Ir\nfn=a\nx1 1\n", "cannot read 'mem': line 3: malformed line 'x1 1'");
	expect_error("events: Ir\nfn=a\n1x 1\n", "cannot read 'mem': line 3: '1x' is not a position");
	expect_error("events: Ir\npositions: instr line\nfn=a\n0x10 x1 1\n",
		     "cannot read 'mem': line 4: 'x1' is not a position");
	expect_error("events: Ir\npositions: instr line\nfn=a\n0x10 1\n0x11",
		     "cannot read 'mem': line 5: cost line has fewer than the 2 positions");
	expect_error("events: Ir\nfn=a\n1 1\nsummary: 1 2\n",
		     "cannot read 'mem': line 4: summary: line has more counts than the 1 events of line 1");
	expect_error("events: Ir\nfn=a\n1 1\nsummary: many\n",
		     "cannot read 'mem': line 4: count 'many' is not a number");

	/* names */
	expect_error("events: Ir\nfl=(1) a.c\nfn=(1)\n1 1\n",
		     "cannot read 'mem': line 3: fn=(1) refers to a name never defined");
	expect_error("events: Ir\nfn=(1) f\nfl=(1)\n",
		     "cannot read 'mem': line 3: fl=(1) refers to a name never defined");
	expect_error("events: Ir\npositions:\n", "cannot read 'mem': line 2: positions: line names no positions");
}

static void test_file_errors(void **state)
{
	struct fixture *f = *state;
	struct cg_profile p;
	char *want, *msg;
	int ret;

	struct {
		const char *text, *want;
	} cases[] = {
		{ "", "': the file is empty" },
		{ "desc: x\ncmd: y\nevents: Ir\nfl=a\nfn=b\n12 oops\n",
		  "': line 6: count 'oops' is not a number" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		write_text(f->path, cases[i].text);
		want = xasprintf("cannot read '%s%s", f->path, cases[i].want);
		cg_profile_init(&p);
		capture_start();
		ret = cachegrind_parse(f->path, &p);
		msg = capture_end();
		assert_int_equal(ret, -1);
		check_message(msg, want);
		assert_empty_profile(&p);
		free(want);
	}

	assert_int_equal(remove(f->path), 0);
	want = xasprintf("cannot read '%s': No such file or directory", f->path);
	capture_start();
	ret = cachegrind_parse(f->path, &p);
	msg = capture_end();
	assert_int_equal(ret, -1);
	check_message(msg, want);
	free(want);

	want = xasprintf("cannot read '%s': it is a directory", f->dir);
	capture_start();
	ret = cachegrind_parse(f->dir, &p);
	msg = capture_end();
	assert_int_equal(ret, -1);
	check_message(msg, want);
	assert_empty_profile(&p);
	free(want);

	/* and a good one from a file */
	write_text(f->path, "cmd: ./x\nevents: Ir\nfl=a.c\nfn=main\n3 42\nsummary: 42\n");
	assert_int_equal(cachegrind_parse(f->path, &p), 0);
	assert_string_equal(p.cmd, "./x");
	assert_fn(&p, "a.c", "main", (uint64_t[]){ 42 });
	cg_profile_release(&p);
}

static void test_replaces_contents(void **state)
{
	struct cg_profile p;

	(void)state;
	parse_ok("cmd: old\nevents: A B C\nfn=old\n1 1 1 1\n", &p);
	assert_int_equal(cachegrind_parse_buffer("events: Ir\nfn=new\n1 2\n", 22, "mem", &p), 0);
	assert_null(p.cmd);
	assert_int_equal(p.nr_events, 1);
	assert_int_equal(p.nr_fns, 1);
	assert_string_equal(p.fns[0].name, "new");
	assert_true(p.summary[0] == 2);
	cg_profile_release(&p);
	/* release twice is harmless: it leaves the profile as init does */
	cg_profile_release(&p);
	assert_empty_profile(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_missing_counts),
		cmocka_unit_test(test_name_compression),
		cmocka_unit_test(test_merge_blocks),
		cmocka_unit_test(test_many_functions),
		cmocka_unit_test(test_inlined_files),
		cmocka_unit_test(test_callgrind_style),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_tolerated),
		cmocka_unit_test(test_bad_content),
		cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
		cmocka_unit_test(test_replaces_contents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
