/*
 * calibration: how often the verdict of compare.c calls an A/A pair
 * SLOWER or FASTER, by run count, for the interval compare_samples()
 * judges (the union of BCa and Welch's t on logs) and for the BCa interval
 * alone. Both sides are drawn from one log-normal distribution with 10%
 * spread; default alpha and margin; fixed seeds, so a run is repeatable.
 * Built and run by bench/calibration.
 */
#include "analyse/compare.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	static const size_t ns[] = { 2, 3, 4, 5, 6, 8, 10, 20 };
	unsigned trials = argc > 1 ? (unsigned)atoi(argv[1]) : 400;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	if (!r || !trials)
		return 2;
	printf("A/A false SLOWER/FASTER verdicts over %u trials (log-normal, sigma 10%%, margin 1%%)\n",
	       trials);
	printf("%-9s %4s %18s %18s\n", "samples", "n", "BCa alone", "BCa + Welch t");
	for (int paired = 0; paired < 2; paired++) {
		for (size_t k = 0; k < sizeof(ns) / sizeof(*ns); k++) {
			size_t n = ns[k];
			unsigned alone = 0, both = 0;

			gsl_rng_set(r, 1000 * (unsigned long)n + (unsigned long)paired);
			for (unsigned t = 0; t < trials; t++) {
				double a[20], b[20], lo, hi;
				struct compare_options o;
				struct comparison c;

				for (size_t i = 0; i < n; i++) {
					a[i] = exp(gsl_ran_gaussian(r, 0.1));
					b[i] = exp(gsl_ran_gaussian(r, 0.1));
				}
				compare_options_init(&o);
				o.paired = paired;
				o.resamples = 2000;
				o.seed = t + 1;
				compare_samples(a, n, b, n, &o, &c);
				both += c.verdict == VERDICT_SLOWER || c.verdict == VERDICT_FASTER;
				compare_bca_ratio(a, n, b, n, paired, o.alpha, o.resamples, o.seed,
						  &lo, &hi);
				alone += verdict_from_ci(lo, hi, o.margin) == VERDICT_SLOWER ||
					 verdict_from_ci(lo, hi, o.margin) == VERDICT_FASTER;
			}
			printf("%-9s %4zu %11u (%4.1f%%) %11u (%4.1f%%)\n",
			       paired ? "paired" : "independ.", n, alone, 100.0 * alone / trials,
			       both, 100.0 * both / trials);
		}
	}
	gsl_rng_free(r);
	return 0;
}
