/*
 * Unit tests for toolchain/perturb.c: the flags of each perturbation as
 * pure functions of (seed, variant). The probes that run a compiler are
 * tested in tests/t0012-toolchain-build.sh.
 */
#include "unit_fixture.h"

#include "toolchain/perturb.h"

static void test_names_round_trip(void **state)
{
	static const char *const names[] = { "link-order", "align", "env" };
	enum perturbation p;
	char *msg;
	int ret;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		assert_int_equal(perturb_parse(names[i], &p), 0);
		assert_string_equal(perturb_name(p), names[i]);
	}
	CAPTURE(ret, msg, perturb_parse("link_order", &p));
	assert_int_equal(ret, -1);
	check_message(msg, "unknown perturbation 'link_order'");
}

static void test_what_each_rebuilds(void **state)
{
	(void)state;
	assert_false(perturb_recompiles(PERTURB_LINK_ORDER));
	assert_true(perturb_relinks(PERTURB_LINK_ORDER));
	assert_true(perturb_recompiles(PERTURB_ALIGN));
	assert_true(perturb_relinks(PERTURB_ALIGN));
	assert_false(perturb_recompiles(PERTURB_ENV));
	assert_false(perturb_relinks(PERTURB_ENV));
}

static void test_base_flags(void **state)
{
	struct perturb_flags f;

	(void)state;
	perturb_base(PERTURB_LINK_ORDER, &f);
	assert_string_equal(f.cflags, "-ffunction-sections");
	assert_string_equal(f.ldflags, "");
	perturb_base(PERTURB_ALIGN, &f);
	assert_string_equal(f.cflags, "");
	assert_string_equal(f.ldflags, "");
	perturb_base(PERTURB_ENV, &f);
	assert_string_equal(f.cflags, "");
	assert_string_equal(f.ldflags, "");
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static void test_link_order_seeds(void **state)
{
	enum { N = 20000 };
	uint32_t *seeds = xcalloc(N, sizeof(*seeds));
	struct perturb_flags f, again;
	char want[128];

	(void)state;
	for (size_t i = 0; i < N; i++) {
		perturb_variant(PERTURB_LINK_ORDER, 42, i, &f);
		/* lld: 0 would be random, 2^32 - 1 reversed */
		assert_true(f.link_seed >= 1 && f.link_seed <= 2147483647u);
		snprintf(want, sizeof(want), "-fuse-ld=lld -Wl,--shuffle-sections=.text*=%u",
			 (unsigned)f.link_seed);
		assert_string_equal(f.ldflags, want);
		assert_string_equal(f.cflags, "-ffunction-sections");
		seeds[i] = f.link_seed;
		perturb_variant(PERTURB_LINK_ORDER, 42, i, &again);
		assert_memory_equal(&f, &again, sizeof(f));
	}
	qsort(seeds, N, sizeof(*seeds), cmp_u32);
	for (size_t i = 1; i < N; i++)
		assert_int_not_equal(seeds[i - 1], seeds[i]);
	free(seeds);
}

static void test_link_order_seed_changes_all(void **state)
{
	struct perturb_flags a, b;
	int same = 0;

	(void)state;
	for (size_t i = 0; i < 100; i++) {
		perturb_variant(PERTURB_LINK_ORDER, 1, i, &a);
		perturb_variant(PERTURB_LINK_ORDER, 2, i, &b);
		same += a.link_seed == b.link_seed;
	}
	assert_int_equal(same, 0);
	/* seed 0 and huge seeds are fine too: never a shuffle seed of 0 */
	perturb_variant(PERTURB_LINK_ORDER, 0, 0, &a);
	assert_true(a.link_seed >= 1);
	perturb_variant(PERTURB_LINK_ORDER, UINT64_MAX, 2147483646u, &a);
	assert_true(a.link_seed >= 1 && a.link_seed <= 2147483647u);
}

static int is_power_of_two(unsigned x)
{
	return x && !(x & (x - 1));
}

/* The first round of variants holds every pair once; so does the second. */
static void test_align_rounds_hold_every_pair(void **state)
{
	(void)state;
	for (uint64_t seed = 0; seed < 50; seed++) {
		for (size_t round = 0; round < 2; round++) {
			struct perturb_flags f[PERTURB_ALIGN_CHOICES];
			char want[128];

			for (size_t i = 0; i < PERTURB_ALIGN_CHOICES; i++) {
				perturb_variant(PERTURB_ALIGN, seed,
						round * PERTURB_ALIGN_CHOICES + i, &f[i]);
				assert_true(is_power_of_two(f[i].align_functions));
				assert_true(is_power_of_two(f[i].align_loops));
				assert_true(f[i].align_functions <= 128 && f[i].align_loops <= 64);
				snprintf(want, sizeof(want), "-falign-functions=%u -falign-loops=%u",
					 f[i].align_functions, f[i].align_loops);
				assert_string_equal(f[i].cflags, want);
				assert_string_equal(f[i].ldflags, "");
				assert_int_equal(f[i].link_seed, 0);
				for (size_t j = 0; j < i; j++)
					assert_false(f[i].align_functions == f[j].align_functions &&
						     f[i].align_loops == f[j].align_loops);
			}
		}
	}
}

/* The seed decides the order: two seeds rarely start alike. */
static void test_align_seed_changes_order(void **state)
{
	struct perturb_flags a, b;
	int same_first = 0, differ = 0;

	(void)state;
	for (uint64_t seed = 0; seed < 100; seed++) {
		perturb_variant(PERTURB_ALIGN, seed, 0, &a);
		perturb_variant(PERTURB_ALIGN, seed + 1, 0, &b);
		same_first += !strcmp(a.cflags, b.cflags);
	}
	/* 1 in 30 by chance: about 3 of 100; far below 20 unless seeds are ignored */
	assert_true(same_first < 20);
	for (size_t i = 0; i < PERTURB_ALIGN_CHOICES; i++) {
		perturb_variant(PERTURB_ALIGN, 7, i, &a);
		perturb_variant(PERTURB_ALIGN, 7, i + PERTURB_ALIGN_CHOICES, &b);
		differ += strcmp(a.cflags, b.cflags) != 0;
	}
	/* the second round is another order, not the first again */
	assert_true(differ > 0);
}

static void test_env_has_no_flags(void **state)
{
	struct perturb_flags f;

	(void)state;
	perturb_variant(PERTURB_ENV, 99, 3, &f);
	assert_string_equal(f.cflags, "");
	assert_string_equal(f.ldflags, "");
	assert_int_equal(f.link_seed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_what_each_rebuilds),
		cmocka_unit_test(test_base_flags),
		cmocka_unit_test(test_link_order_seeds),
		cmocka_unit_test(test_link_order_seed_changes_all),
		cmocka_unit_test(test_align_rounds_hold_every_pair),
		cmocka_unit_test(test_align_seed_changes_order),
		cmocka_unit_test(test_env_has_no_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
