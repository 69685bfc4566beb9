/*
 * layout-coverage: how often the layout-averaged interval of
 * analyse/layout.c holds the true ratio 1 on synthetic A/A data with known
 * components (variant levels lognormal with sd BETWEEN, RUNS runs each
 * with sd WITHIN on the log scale), for the bootstrap alone, the t
 * interval alone and their union, which steady judges by. The figures of
 * docs/layout.md, "Measured". Fixed seed; no processes run.
 *
 * Usage: layout-coverage K [TRIALS] [BETWEEN] [WITHIN] [RUNS]
 */
#include "analyse/layout.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void simulate(gsl_rng *r, double between, double within, size_t k, size_t runs,
		     double *store, struct variant_runs *v)
{
	for (size_t i = 0; i < k; i++) {
		double level = 100 * exp(gsl_ran_gaussian(r, between));

		for (size_t j = 0; j < runs; j++)
			store[i * runs + j] = level * exp(gsl_ran_gaussian(r, within));
		v[i].x = store + i * runs;
		v[i].n = runs;
	}
}

int main(int argc, char **argv)
{
	size_t k = argc > 1 ? strtoul(argv[1], NULL, 10) : 8;
	unsigned trials = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 2000;
	double between = argc > 3 ? atof(argv[3]) : 0.05, within = argc > 4 ? atof(argv[4]) : 0.01;
	size_t runs = argc > 5 ? strtoul(argv[5], NULL, 10) : 15;
	double *xa, *xb;
	struct variant_runs *va, *vb;
	struct layout_ratio lr;
	unsigned both = 0, boot = 0, t = 0;
	gsl_rng *r;

	if (k < 2 || k > 1000 || runs < 1 || runs > 1000 || !trials) {
		fprintf(stderr, "usage: layout-coverage K [TRIALS] [BETWEEN] [WITHIN] [RUNS]\n");
		return 2;
	}
	xa = calloc(k * runs, sizeof(*xa));
	xb = calloc(k * runs, sizeof(*xb));
	va = calloc(k, sizeof(*va));
	vb = calloc(k, sizeof(*vb));
	r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 1);
	for (unsigned i = 0; i < trials; i++) {
		simulate(r, between, within, k, runs, xa, va);
		simulate(r, between, within, k, runs, xb, vb);
		layout_averaged_ratio(va, k, vb, k, 0.05, 1000, i, &lr);
		both += lr.lo <= 1 && 1 <= lr.hi;
		boot += lr.boot_lo <= 1 && 1 <= lr.boot_hi;
		t += lr.t_lo <= 1 && 1 <= lr.t_hi;
	}
	printf("K=%zu  %u trials  coverage of the 95%% interval: union %.1f%%  bootstrap alone %.1f%%  t alone %.1f%%\n",
	       k, trials, 100.0 * both / trials, 100.0 * boot / trials, 100.0 * t / trials);
	gsl_rng_free(r);
	free(xa);
	free(xb);
	free(va);
	free(vb);
	return 0;
}
