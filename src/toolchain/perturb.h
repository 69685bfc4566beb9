/*
 * perturb: how `layout` shakes a program's code layout without changing
 * its code, as compiler and linker flags for each variant build.
 *
 *   link-order  every side compiled once with -ffunction-sections, then
 *               relinked per variant by lld with its sections shuffled
 *               (-fuse-ld=lld -Wl,--shuffle-sections=.text*=SEED);
 *   align       every variant compiled with its own function and loop
 *               alignment (-falign-functions=N -falign-loops=M);
 *   env         no rebuild: only the run's environment size changes.
 *
 * The flags are pure functions of (perturbation, seed, variant index), so
 * a layout run is reproducible from its seed; the probes (perturb_check,
 * perturb_default) compile a tiny program with the compiler in use, since
 * which flags a compiler accepts is only known by asking it.
 *
 * Ownership: struct perturb_flags holds its strings in place; nothing to
 * free. A zeroed struct perturb_flags is the unperturbed build: no flags.
 */
#ifndef STEADY_PERTURB_H
#define STEADY_PERTURB_H

#include <stddef.h>
#include <stdint.h>

enum perturbation {
	PERTURB_LINK_ORDER,
	PERTURB_ALIGN,
	PERTURB_ENV
};

/* "link-order", "align", "env". */
const char *perturb_name(enum perturbation p);
/* 0, or -1 after one error line naming s and the choices. */
int perturb_parse(const char *s, enum perturbation *p);

/* 1 when each variant needs a compile of its own (align). */
int perturb_recompiles(enum perturbation p);
/* 1 when each variant needs a link of its own (link-order, align). */
int perturb_relinks(enum perturbation p);

struct perturb_flags {
	char cflags[128];      /* the value of {cflags} */
	char ldflags[128];     /* the value of {ldflags} */
	uint32_t link_seed;    /* link-order: lld's shuffle seed, >= 1; else 0 */
	unsigned align_functions, align_loops;  /* align: bytes; else 0 */
};

/*
 * The flags of the build every variant of a side starts from: link-order
 * compiles it with -ffunction-sections (variants then only relink); the
 * others have none.
 */
void perturb_base(enum perturbation p, struct perturb_flags *out);

/*
 * The flags of variant i (0-based) under seed. link-order: the base cflags
 * and a shuffle seed in [1, 2^31 - 1], distinct for every i below 2^31 - 1
 * (lld reads the seed as 32 bits, where 0 means a random order and
 * 2^32 - 1 a reversed one: both avoided). align: one of the
 * PERTURB_ALIGN_CHOICES pairs of function and loop alignment, the first
 * PERTURB_ALIGN_CHOICES variants all different, in an order drawn from
 * seed. env: no flags.
 */
void perturb_variant(enum perturbation p, uint64_t seed, size_t i, struct perturb_flags *out);

#define PERTURB_ALIGN_CHOICES 30

/*
 * The seed of the align variants sweep and bisect build: fixed, so that
 * variant k is the same build in every run and kept builds serve again
 * (any order does: the layouts are varied, not chosen).
 */
#define PERTURB_KEPT_SEED 1

/*
 * Whether p can run with compiler cc (one program name, as {cc} holds it):
 * link-order needs ld.lld on PATH and a cc that links with -fuse-ld=lld
 * and --shuffle-sections; align needs a cc that accepts -falign-functions
 * and -falign-loops. 0, or -1 after one line saying what is missing.
 */
int perturb_check(enum perturbation p, const char *cc);

/* link-order when perturb_check() would pass for it (quietly), else align. */
enum perturbation perturb_default(const char *cc);

#endif
