/*
 * calibration: how often steady's verdicts call an A/A pair SLOWER or
 * FASTER, by run count, for every estimator, on synthetic samples drawn
 * the way this kind of machine delivers them:
 *   lognormal  one log-normal distribution, 10% spread
 *   tail       log-normal 1% spread, and 5% of runs 1.2-3x slower
 *              (Pareto), the heavy right tail of interrupts and misses
 *   regimes    runs 0.5% apart around a base, a third of the time in
 *              bursts 1.45x slower that last about 20 runs (a Markov
 *              chain over the run sequence), A and B interleaved in
 *              random order within each round as steady compare runs them
 *   unequal    the same median, A quiet (0.5% spread) and B noisy (30%):
 *              a baseline measured on a quiet machine against a CI run
 * Each estimator is judged as steady compare judges it (compare_samples()
 * with --estimator; auto is the default: the median, and the mean's
 * interval while the median's cannot exist yet;
 * the mean's interval is BCa joined with Welch's t on logs). Paired designs
 * take run i of A and B from the same round. Default alpha and margin,
 * fixed seeds: the figures are the same on every machine.
 * Built and run by bench/calibration.
 */
#include "analyse/compare.h"
#include "analyse/estimators.h"
#include "formats/results.h"
#include "analyse/stats.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum shape { SHAPE_LOGNORMAL, SHAPE_TAIL, SHAPE_REGIMES, SHAPE_UNEQUAL, SHAPE_COUNT };
static const char *const shape_names[] = { "lognormal", "tail", "regimes", "unequal" };

#define MAX_N 320

/* One round: a time for A and one for B, the regime carried over. */
static void draw_round(gsl_rng *r, enum shape s, int *burst, double *ta, double *tb)
{
	double t[2];

	for (int k = 0; k < 2; k++) {
		switch (s) {
		case SHAPE_LOGNORMAL:
			t[k] = exp(gsl_ran_gaussian(r, 0.1));
			break;
		case SHAPE_TAIL:
			t[k] = exp(gsl_ran_gaussian(r, 0.01));
			if (gsl_rng_uniform(r) < 0.05)
				t[k] *= fmin(3, gsl_ran_pareto(r, 2, 1.2));
			break;
		case SHAPE_REGIMES:
			/* Enter a burst with 1/40, leave with 1/20 per run: a third. */
			if (gsl_rng_uniform(r) < (*burst ? 0.05 : 0.025))
				*burst = !*burst;
			t[k] = exp(gsl_ran_gaussian(r, 0.005)) * (*burst ? 1.45 : 1);
			break;
		case SHAPE_UNEQUAL:
			t[k] = exp(gsl_ran_gaussian(r, k ? 0.3 : 0.005));
			break;
		case SHAPE_COUNT:
			break;
		}
	}
	/* unequal: A is the quiet side, whatever the order. */
	if (s == SHAPE_UNEQUAL) {
		*ta = t[0];
		*tb = t[1];
		return;
	}
	/* Random order within the round: either side may run first. */
	if (gsl_rng_uniform(r) < 0.5) {
		*ta = t[0];
		*tb = t[1];
	} else {
		*ta = t[1];
		*tb = t[0];
	}
}

/* The verdict steady compare gives these samples when judging by e. */
static enum verdict judge(enum estimator e, const double *a, const double *b,
			  size_t n, int paired, unsigned seed)
{
	struct compare_options o;
	struct comparison c;

	compare_options_init(&o);
	o.paired = paired;
	o.resamples = 1000;
	o.seed = seed;
	o.estimator = e;
	compare_samples(a, n, b, n, &o, &c);
	return c.verdict;
}

/*
 * Real pairs: the runs of a live `steady compare -o FILE` of one command
 * against itself, cut into consecutive chunks of n pairs. Each chunk is
 * judged as it is (an A/A pair: any SLOWER or FASTER is false) and with
 * B's times multiplied by 1.03 (the same noise around a known 3%).
 */
static int real_pairs(const char *file)
{
	static const size_t ns[] = { 10, 20, 40, 80, 160, 300 };
	static const enum estimator ests[] = {
		ESTIMATOR_AUTO, ESTIMATOR_MEDIAN, ESTIMATOR_HL, ESTIMATOR_MEAN, ESTIMATOR_MIN
	};
	struct results r;
	double *a, *b;
	size_t na, nb;

	results_init(&r);
	if (results_read(&r, file) || r.nr_benchmarks != 2)
		return 2;
	a = benchmark_values(&r.benchmarks[0], METRIC_WALL, &na);
	b = benchmark_values(&r.benchmarks[1], METRIC_WALL, &nb);
	if (na > nb)
		na = nb;
	printf("real A/A pairs of %s: %zu pairs, chunks of n consecutive pairs\n"
	       "per estimator: %% false SLOWER/FASTER, %% SAME, median interval width, "
	       "%% SLOWER with B x 1.03\n%5s %6s", file, na, "n", "chunks");
	for (size_t e = 0; e < sizeof(ests) / sizeof(*ests); e++)
		printf(" %-27s", estimator_name(ests[e]));
	printf("\n");
	for (size_t k = 0; k < sizeof(ns) / sizeof(*ns); k++) {
		size_t n = ns[k], chunks = na / n;

		if (!chunks)
			break;
		printf("%5zu %6zu", n, chunks);
		for (size_t e = 0; e < sizeof(ests) / sizeof(*ests); e++) {
			unsigned wrong = 0, same = 0, found = 0;
			double *width = calloc(chunks, sizeof(*width)), w;

			for (size_t c = 0; c < chunks; c++) {
				struct compare_options o;
				struct comparison cmp;
				double b3[320];

				compare_options_init(&o);
				o.paired = 1;
				o.resamples = 1000;
				o.estimator = ests[e];
				compare_samples(a + c * n, n, b + c * n, n, &o, &cmp);
				wrong += cmp.verdict == VERDICT_SLOWER || cmp.verdict == VERDICT_FASTER;
				same += cmp.verdict == VERDICT_SAME;
				width[c] = isnan(cmp.ci_lo) ? INFINITY : cmp.ci_hi - cmp.ci_lo;
				for (size_t i = 0; i < n; i++)
					b3[i] = b[c * n + i] * 1.03;
				compare_samples(a + c * n, n, b3, n, &o, &cmp);
				found += cmp.verdict == VERDICT_SLOWER;
			}
			stats_sort(width, chunks);
			w = stats_median_sorted(width, chunks);
			printf(" %5.1f%% %5.1f%% %6.2f%% %5.1f%%", 100.0 * wrong / chunks,
			       100.0 * same / chunks, 100 * w, 100.0 * found / chunks);
			free(width);
		}
		printf("\n");
	}
	free(a);
	free(b);
	results_release(&r);
	return 0;
}

int main(int argc, char **argv)
{
	static const size_t ns[] = { 2, 3, 5, 8, 10, 20, 40, 80, 160, 320 };
	static const enum estimator ests[] = {
		ESTIMATOR_AUTO, ESTIMATOR_MEDIAN, ESTIMATOR_HL, ESTIMATOR_MEAN, ESTIMATOR_MIN
	};
	unsigned trials;

	if (argc > 2 && !strcmp(argv[1], "--pairs"))
		return real_pairs(argv[2]);
	trials = argc > 1 ? (unsigned)atoi(argv[1]) : 400;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	if (!r || !trials)
		return 2;
	printf("per estimator, %% of %u trials (alpha 5%%, margin 1%%, one look):\n"
	       "  false: an A/A pair called SLOWER or FASTER (must stay <= 5%%)\n"
	       "  same:  an A/A pair called SAME\n"
	       "  3%%:    a pair with B 3%% slower called SLOWER\n", trials);
	for (int paired = 1; paired >= 0; paired--) {
		for (int s = 0; s < SHAPE_COUNT; s++) {
			printf("\n%s, %s\n%5s", shape_names[s],
			       paired ? "paired (live compare)" : "independent (files)", "n");
			for (size_t e = 0; e < sizeof(ests) / sizeof(*ests); e++)
				printf(" %-20s", estimator_name(ests[e]));
			printf("\n%5s", "");
			for (size_t e = 0; e < sizeof(ests) / sizeof(*ests); e++)
				printf(" %6s %6s %6s", "false", "same", "3%");
			printf("\n");
			for (size_t k = 0; k < sizeof(ns) / sizeof(*ns); k++) {
				size_t n = ns[k];

				printf("%5zu", n);
				for (size_t e = 0; e < sizeof(ests) / sizeof(*ests); e++) {
					unsigned wrong = 0, same = 0, found = 0;

					gsl_rng_set(r, 1000003UL * n + 101UL * (unsigned long)s +
						    (unsigned long)paired);
					for (unsigned t = 0; t < trials; t++) {
						double a[MAX_N], b[MAX_N];
						int burst = 0;

						enum verdict v;

						for (size_t i = 0; i < n; i++)
							draw_round(r, (enum shape)s, &burst, &a[i], &b[i]);
						v = judge(ests[e], a, b, n, paired, t + 1);
						wrong += v == VERDICT_SLOWER || v == VERDICT_FASTER;
						same += v == VERDICT_SAME;
						/* The same draws with B 3% slower. */
						for (size_t i = 0; i < n; i++)
							b[i] *= 1.03;
						found += judge(ests[e], a, b, n, paired, t + 1) == VERDICT_SLOWER;
					}
					printf(" %5.1f%% %5.1f%% %5.1f%%", 100.0 * wrong / trials,
					       100.0 * same / trials, 100.0 * found / trials);
				}
				printf("\n");
			}
		}
	}
	gsl_rng_free(r);
	return 0;
}
