/*
 * test_cache_diff: matching functions of two Cachegrind profiles, the
 * derived miss figures, the "no difference" rule, and the host cache
 * geometry read from a fake sysfs tree. Expected values are by hand.
 */
#include "unit_fixture.h"

#include "analyse/cache_diff.h"
#include "system/cache_geometry.h"
#include "formats/cachegrind.h"

static const char profile_a[] =
	"events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw\n"
	"fl=a.c\nfn=main\n1 100 1 1 10 2 1 5 1 0\n"
	"fn=hot\n2 1000 0 0 100 10 5 50 3 1\n"
	"fl=b.c\nfn=gone\n3 7 0 0 0 0 0 0 0 0\n"
	"summary: 1107 1 1 110 12 6 55 4 1\n";
static const char profile_b[] =
	"events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw\n"
	"fl=a.c\nfn=hot\n2 1500 2 1 150 20 5 75 4 2\n"
	"fl=a.c\nfn=main\n1 100 1 1 10 2 1 5 1 0\n"
	"fl=c.c\nfn=new\n9 40 1 1 0 0 0 0 0 0\n"
	"summary: 1640 4 3 160 22 6 80 5 2\n";

static void parse(const char *text, struct cg_profile *p)
{
	cg_profile_init(p);
	assert_int_equal(cachegrind_parse_buffer(text, strlen(text), "test", p), 0);
}

static void test_changes_matched_and_sorted(void **state)
{
	struct cg_profile a, b;
	struct fn_change *c;
	size_t n;

	(void)state;
	parse(profile_a, &a);
	parse(profile_b, &b);

	/* Ir: hot +500, new +40 (only in B), gone -7 (only in A), main 0. */
	c = cache_changes(&a, &b, CG_IR, &n);
	assert_int_equal(n, 4);
	assert_string_equal(c[0].name, "hot");
	assert_float_equal(c[0].a, 1000, 0);
	assert_float_equal(c[0].b, 1500, 0);
	assert_string_equal(c[1].name, "new");
	assert_float_equal(c[1].a, 0, 0);
	assert_string_equal(c[1].file, "c.c");
	assert_string_equal(c[2].name, "gone");
	assert_float_equal(c[2].b, 0, 0);
	assert_string_equal(c[3].name, "main");
	free(c);

	/* D1 misses = D1mr + D1mw: hot 10+3 -> 20+4; main 2+1 both; gone, new 0 (left out). */
	c = cache_changes(&a, &b, CG_D1_MISSES, &n);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].name, "hot");
	assert_float_equal(c[0].a, 13, 0);
	assert_float_equal(c[0].b, 24, 0);
	free(c);

	/* LL misses = ILmr + DLmr + DLmw: hot 0+5+1 -> 1+5+2. */
	c = cache_changes(&a, &b, CG_LL_MISSES, &n);
	assert_string_equal(c[0].name, "hot");
	assert_float_equal(c[0].a, 6, 0);
	assert_float_equal(c[0].b, 8, 0);
	free(c);
	cg_profile_release(&a);
	cg_profile_release(&b);
}

static void test_totals_agree(void **state)
{
	struct cg_profile a, b, c;
	static const char nearly[] =
		"events: Ir I1mr\nfn=f\n1 1000000 100\nsummary: 1000000 100\n";
	static const char within[] =
		"events: Ir I1mr\nfn=f\n1 1000999 100\nsummary: 1000999 100\n";
	static const char beyond[] =
		"events: Ir I1mr\nfn=f\n1 1001001 100\nsummary: 1001001 100\n";

	(void)state;
	parse(nearly, &a);
	parse(within, &b);
	parse(beyond, &c);
	/* 999 / 1e6 = 0.0999% <= 0.1%; 1001 / 1e6 = 0.1001% > 0.1% */
	assert_true(cache_totals_agree(&a, &b, 0.001));
	assert_false(cache_totals_agree(&a, &c, 0.001));
	assert_true(cache_totals_agree(&a, &a, 0.001));
	cg_profile_release(&a);
	cg_profile_release(&b);
	cg_profile_release(&c);
}

static void test_measure_needs_its_events(void **state)
{
	struct cg_profile p;
	static const char ir_only[] = "events: Ir\nfn=f\n1 5\n";

	(void)state;
	parse(ir_only, &p);
	assert_true(cg_measure_available(&p, CG_IR));
	assert_false(cg_measure_available(&p, CG_D1_MISSES));
	assert_float_equal(cg_measure_value(&p, p.summary, CG_LL_MISSES), 0, 0);
	cg_profile_release(&p);
}

static void put(const char *dir, const char *index, const char *name, const char *value)
{
	char *d = xasprintf("%s/%s", dir, index), *path = xasprintf("%s/%s", d, name);
	FILE *f;

	mkdir(d, 0700);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", value);
	fclose(f);
	free(d);
	free(path);
}

static void level(const char *dir, const char *index, const char *lvl, const char *type,
		  const char *size, const char *ways)
{
	put(dir, index, "level", lvl);
	put(dir, index, "type", type);
	put(dir, index, "size", size);
	put(dir, index, "ways_of_associativity", ways);
	put(dir, index, "coherency_line_size", "64");
}

/* The fake sysfs tree is made in the fixture directory. */
static int setup(void **state)
{
	return fixture_setup(state, NULL);
}

static void test_geometry_from_sysfs(void **state)
{
	const char *dir = ((struct fixture *)*state)->dir;
	struct cache_geometry g;
	char buf[64];

	level(dir, "index0", "1", "Data", "48K", "12");
	level(dir, "index1", "1", "Instruction", "32K", "8");
	level(dir, "index2", "2", "Unified", "1280K", "10");
	level(dir, "index3", "3", "Unified", "32M", "16");
	cache_geometry_from_sysfs(&g, dir);
	assert_int_equal(g.i1.size, 32768);
	assert_int_equal(g.i1.assoc, 8);
	assert_int_equal(g.d1.size, 49152);
	assert_int_equal(g.d1.assoc, 12);
	/* the last level is the highest unified one */
	assert_int_equal(g.ll.size, 32 * 1024 * 1024);
	assert_int_equal(g.ll.assoc, 16);
	assert_int_equal(g.ll.line, 64);
	/* 48K 12-way 64 B: 64 sets, simulable; 32 MiB 16-way: 32768 sets */
	assert_true(cache_level_simulable(&g.d1));
	assert_true(cache_level_simulable(&g.ll));
	assert_string_equal(cache_level_describe(buf, sizeof(buf), &g.ll), "32 MiB, 16-way, 64 B lines");
	/* no such directory: everything unknown */
	cache_geometry_from_sysfs(&g, "/nonexistent");
	assert_int_equal(g.i1.size, 0);
	assert_string_equal(cache_level_describe(buf, sizeof(buf), &g.i1), "Cachegrind's default");
}

static void test_level_parse(void **state)
{
	struct cache_level l;

	(void)state;
	assert_int_equal(cache_level_parse("32768,8,64", &l), 0);
	assert_int_equal(l.size, 32768);
	assert_true(cache_level_simulable(&l));
	/* 1280 KiB 10-way 64 B = 2048 sets: simulable; 3-way 32 KiB is not whole */
	assert_int_equal(cache_level_parse("1310720,10,64", &l), 0);
	assert_true(cache_level_simulable(&l));
	assert_int_equal(cache_level_parse("32768,3,64", &l), 0);
	assert_false(cache_level_simulable(&l));
	/* 24 KiB 6-way 64 B = 64 sets, fine; 24 KiB 8-way = 48 sets, not a power of two */
	assert_int_equal(cache_level_parse("24576,8,64", &l), 0);
	assert_false(cache_level_simulable(&l));
	assert_int_equal(cache_level_parse("32768,8,48", &l), 0);
	assert_false(cache_level_simulable(&l));
	/* Cachegrind's limits: line >= 16, size > line, size <= 1 GiB */
	assert_int_equal(cache_level_parse("64,1,64", &l), 0);
	assert_false(cache_level_simulable(&l));
	assert_int_equal(cache_level_parse("1024,1,8", &l), 0);
	assert_false(cache_level_simulable(&l));
	assert_int_equal(cache_level_parse("2147483648,8,64", &l), 0);
	assert_false(cache_level_simulable(&l));
	assert_int_equal(cache_level_parse("1073741824,8,64", &l), 0);
	assert_true(cache_level_simulable(&l));
	assert_int_equal(cache_level_parse("32768,8", &l), -1);
	assert_int_equal(cache_level_parse("32768,8,64,1", &l), -1);
	assert_int_equal(cache_level_parse("-1,8,64", &l), -1);
	assert_int_equal(cache_level_parse("a,b,c", &l), -1);
	assert_int_equal(cache_level_parse("0,8,64", &l), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changes_matched_and_sorted),
		cmocka_unit_test(test_totals_agree),
		cmocka_unit_test(test_measure_needs_its_events),
		cmocka_unit_test_setup_teardown(test_geometry_from_sysfs, setup, teardown),
		cmocka_unit_test(test_level_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
