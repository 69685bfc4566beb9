/*
 * perturb: the perturbations' flags (see perturb.h). Flags verified with
 * gcc 12, clang 14 and lld 14: both compilers take -fuse-ld=lld, lld 14
 * takes --shuffle-sections=<glob>=<seed> (seed read as a 64-bit integer
 * and truncated to 32 bits: 0 is a random order, -1 and 2^32 - 1 reverse
 * it), both compilers take -falign-functions=N and -falign-loops=N for N a
 * power of two up to at least 4096, 1 meaning no alignment (clang refuses
 * gcc's N:M form and ignores -falign-jumps/-falign-labels with a warning,
 * so neither is used).
 */
#include "toolchain/perturb.h"
#include "toolchain/build.h"
#include "measure/spawn.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {
	[PERTURB_LINK_ORDER] = "link-order",
	[PERTURB_ALIGN] = "align",
	[PERTURB_ENV] = "env",
};

/*
 * Alignments in bytes. Small ones are in the set on purpose: 1 and 8 let
 * functions and loops start anywhere in a cache line, where the default
 * 16 always puts them; large ones push them onto new lines and pages.
 */
static const unsigned function_aligns[] = { 1, 8, 16, 32, 64, 128 };
static const unsigned loop_aligns[] = { 1, 8, 16, 32, 64 };

#define NFUNC (sizeof(function_aligns) / sizeof(*function_aligns))
#define NLOOP (sizeof(loop_aligns) / sizeof(*loop_aligns))

_Static_assert(NFUNC * NLOOP == PERTURB_ALIGN_CHOICES, "PERTURB_ALIGN_CHOICES is the product");

/* Link seeds live in [1, M]: M = 2^31 - 1 is prime, so any step < M visits all. */
#define LINK_SEED_MOD 2147483647u

/* splitmix64's finaliser: every bit of x spread over the result. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

const char *perturb_name(enum perturbation p)
{
	return (unsigned)p < sizeof(names) / sizeof(*names) ? names[p] : "?";
}

int perturb_parse(const char *s, enum perturbation *p)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(s, names[i])) {
			*p = (enum perturbation)i;
			return 0;
		}
	return error("unknown perturbation '%s' (choose link-order, align or env)", s);
}

int perturb_recompiles(enum perturbation p)
{
	return p == PERTURB_ALIGN;
}

int perturb_relinks(enum perturbation p)
{
	return p == PERTURB_LINK_ORDER || p == PERTURB_ALIGN;
}

void perturb_base(enum perturbation p, struct perturb_flags *out)
{
	memset(out, 0, sizeof(*out));
	if (p == PERTURB_LINK_ORDER)
		snprintf(out->cflags, sizeof(out->cflags), "-ffunction-sections");
}

/*
 * The link seed of variant i: 1 + (start + i * step) mod M, start and step
 * drawn from seed. i * step mod M differs for every i below M, so the
 * seeds of one layout run never repeat, and none is 0 (a random order).
 */
static uint32_t link_seed(uint64_t seed, size_t i)
{
	uint64_t start = mix(seed) % LINK_SEED_MOD;
	uint64_t step = 1 + mix(seed ^ 0x5bd1e9955bd1e995ull) % (LINK_SEED_MOD - 1);
	uint64_t k = (uint64_t)(i % LINK_SEED_MOD);

	/* k and step are below 2^31: the product fits in 64 bits. */
	return (uint32_t)(1 + (start + k * step % LINK_SEED_MOD) % LINK_SEED_MOD);
}

/*
 * The alignment pair of variant i: the i-th of a shuffle of all pairs, one
 * shuffle per round of PERTURB_ALIGN_CHOICES variants, so that a round
 * holds every pair once and the rounds differ in their order.
 */
static void align_choice(uint64_t seed, size_t i, unsigned *func, unsigned *loop)
{
	unsigned order[PERTURB_ALIGN_CHOICES];
	uint64_t state = mix(seed ^ mix((uint64_t)(i / PERTURB_ALIGN_CHOICES)));

	for (unsigned k = 0; k < PERTURB_ALIGN_CHOICES; k++)
		order[k] = k;
	/* Fisher–Yates; the modulo's bias over at most 30 values is negligible. */
	for (unsigned k = PERTURB_ALIGN_CHOICES - 1; k > 0; k--) {
		unsigned j, t;

		state = mix(state);
		j = (unsigned)(state % (k + 1));
		t = order[k];
		order[k] = order[j];
		order[j] = t;
	}
	*func = function_aligns[order[i % PERTURB_ALIGN_CHOICES] / NLOOP];
	*loop = loop_aligns[order[i % PERTURB_ALIGN_CHOICES] % NLOOP];
}

void perturb_variant(enum perturbation p, uint64_t seed, size_t i, struct perturb_flags *out)
{
	memset(out, 0, sizeof(*out));
	switch (p) {
	case PERTURB_LINK_ORDER:
		perturb_base(p, out);
		out->link_seed = link_seed(seed, i);
		/* .text* takes .text.startup, .text.hot and friends too. */
		snprintf(out->ldflags, sizeof(out->ldflags),
			 "-fuse-ld=lld -Wl,--shuffle-sections=.text*=%u", (unsigned)out->link_seed);
		break;
	case PERTURB_ALIGN:
		align_choice(seed, i, &out->align_functions, &out->align_loops);
		snprintf(out->cflags, sizeof(out->cflags), "-falign-functions=%u -falign-loops=%u",
			 out->align_functions, out->align_loops);
		break;
	case PERTURB_ENV:
		break;
	}
}

/* The probe's verdict as perturb_check's answer; quiet leaves out the line. */
static int check_link_order(const char *cc, int quiet)
{
	char *lld = spawn_find_program("ld.lld");
	int ok;

	if (!lld)
		return quiet ? -1 : error("link-order needs ld.lld: install the Debian package lld");
	free(lld);
	ok = build_compiler_accepts(cc, "-O2 -ffunction-sections",
				    "-fuse-ld=lld -Wl,--shuffle-sections=.text*=1");
	if (ok < 0)
		return -1;
	if (!ok)
		return quiet ? -1 : error("link-order needs a compiler that links with -fuse-ld=lld "
					  "and --shuffle-sections: '%s' failed to", cc);
	return 0;
}

int perturb_check(enum perturbation p, const char *cc)
{
	int ok;

	switch (p) {
	case PERTURB_LINK_ORDER:
		return check_link_order(cc, 0);
	case PERTURB_ALIGN:
		/* The largest alignments of the sets, and 1. */
		ok = build_compiler_accepts(cc, "-O2 -falign-functions=128 -falign-loops=64", NULL);
		if (ok < 0)
			return -1;
		if (!ok)
			return error("align needs a compiler that accepts -falign-functions and "
				     "-falign-loops: '%s' refused them", cc);
		ok = build_compiler_accepts(cc, "-O2 -falign-functions=1 -falign-loops=1", NULL);
		if (ok < 0)
			return -1;
		if (!ok)
			return error("align needs a compiler that accepts -falign-functions=1 and "
				     "-falign-loops=1: '%s' refused them", cc);
		return 0;
	case PERTURB_ENV:
		return 0;
	}
	return error("unknown perturbation %d", (int)p);
}

enum perturbation perturb_default(const char *cc)
{
	return check_link_order(cc, 1) ? PERTURB_ALIGN : PERTURB_LINK_ORDER;
}
