/*
 * holm-family: how often the Holm family of `steady compare` with several
 * commands (analyse/holm.c) gives at least one false verdict, searched over
 * true ratios, interval widths, margins and the correlation that a shared
 * baseline brings. Intervals are normal on the log scale (estimate ± z·se),
 * equal-tailed and exact, so the procedure alone is measured. A verdict is
 * false when the truth lies outside its region: SLOWER needs ratio > 1 + m,
 * FASTER ratio < 1 - m, SAME 1 - m <= ratio <= 1 + m.
 *
 * Usage: holm-family M RHO MARGIN [TRIALS]; prints the largest family
 * error found and where. Fixed seed: the same figures on every machine.
 */
#include "analyse/holm.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_M 4

struct draw {
	double est[MAX_M], theta[MAX_M], se, margin;
	int wrong[MAX_M];
};

static int verdict_of(void *ctx, size_t i, double alpha, enum verdict *v)
{
	struct draw *d = ctx;
	double z = gsl_cdf_ugaussian_Qinv(alpha / 2), t = d->theta[i], m = d->margin;

	*v = verdict_from_ci(exp(d->est[i] - z * d->se), exp(d->est[i] + z * d->se), m);
	d->wrong[i] = (*v == VERDICT_SLOWER && !(t > 1 + m)) ||
		      (*v == VERDICT_FASTER && !(t < 1 - m)) ||
		      (*v == VERDICT_SAME && !(t >= 1 - m && t <= 1 + m));
	return 0;
}

int main(int argc, char **argv)
{
	static const double ses[] = { 0.001, 0.004, 0.016, 0.05, 0.2 };
	static const double thetas[] = { 1.0, 1.002, 1.009, 1.01, 1.011, 1.03, 1.1, 3.0 };
	const size_t nt = sizeof(thetas) / sizeof(*thetas);
	size_t m;
	double rho, worst = 0;
	long trials, combos = 1;
	char where[256] = "";
	gsl_rng *r;

	if (argc < 4 || (m = strtoul(argv[1], NULL, 10)) < 1 || m > MAX_M) {
		fprintf(stderr, "usage: holm-family M(1-%d) RHO MARGIN [TRIALS]\n", MAX_M);
		return 2;
	}
	rho = atof(argv[2]);
	trials = argc > 4 ? atol(argv[4]) : 20000;
	r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 12);
	for (size_t i = 0; i < m; i++)
		combos *= (long)nt;
	for (size_t s = 0; s < sizeof(ses) / sizeof(*ses); s++)
		for (long cfg = 0; cfg < combos; cfg++) {
			struct draw d = { .se = ses[s], .margin = atof(argv[3]) };
			unsigned step[MAX_M];
			double used[MAX_M], f;
			long bad = 0, c = cfg;

			for (size_t i = 0; i < m; i++, c /= (long)nt)
				d.theta[i] = thetas[c % (long)nt];
			for (long t = 0; t < trials; t++) {
				double z0 = gsl_ran_ugaussian(r);
				int any = 0;

				/* Every comparison shares the baseline's noise: correlation rho. */
				for (size_t i = 0; i < m; i++) {
					d.est[i] = log(d.theta[i]) + d.se * (sqrt(rho) * z0 +
						   sqrt(1 - rho) * gsl_ran_ugaussian(r));
					d.wrong[i] = 0;
				}
				holm_decide(m, 0.05, verdict_of, &d, step, used);
				for (size_t i = 0; i < m; i++)
					any |= step[i] && d.wrong[i];
				bad += any;
			}
			f = (double)bad / (double)trials;
			if (f > worst) {
				int n = snprintf(where, sizeof(where), "se %g, ratios", d.se);

				worst = f;
				for (size_t i = 0; i < m; i++)
					n += snprintf(where + n, sizeof(where) - (size_t)n, " %g", d.theta[i]);
			}
		}
	printf("m %zu, rho %g, margin %s: largest family error %.4f (%ld trials each; at %s)\n",
	       m, rho, argv[3], worst, trials, where);
	gsl_rng_free(r);
	return 0;
}
