/*
 * welch: Welch's two-sample t-test on a hyperfine --export-json file, the
 * judgement bench/verdicts gives hyperfine's side of an A/B comparison.
 *
 * Usage: welch FILE.json
 *
 * Takes results[0].times as sample A and results[1].times as sample B (raw
 * seconds, not logs: that is how hyperfine's scripts/welch_ttest.py tests
 * them), and prints one line
 *
 *     t df p meanA meanB
 *
 * with t = (meanA - meanB) / sqrt(varA/nA + varB/nB), the Welch-Satterthwaite
 * degrees of freedom and the two-sided p-value from Student's t. A caller
 * calls p < 0.05 "different". Exits 0, 1 if the file cannot be read or does
 * not hold two results of at least two times each, 2 for bad usage.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <jansson.h>

/* results[i].times as a malloc'd array; NULL (and a message) if unusable. */
static double *times_of(json_t *root, size_t i, size_t *n, const char *file)
{
	json_t *times = json_object_get(json_array_get(
		json_object_get(root, "results"), i), "times");
	double *x;

	if (!json_is_array(times) || json_array_size(times) < 2) {
		fprintf(stderr, "welch: %s: results[%zu].times is missing or "
			"has fewer than 2 entries\n", file, i);
		return NULL;
	}
	*n = json_array_size(times);
	x = malloc(*n * sizeof(*x));
	if (!x) {
		perror("welch");
		return NULL;
	}
	for (size_t k = 0; k < *n; k++) {
		json_t *v = json_array_get(times, k);

		if (!json_is_number(v)) {
			fprintf(stderr, "welch: %s: results[%zu].times[%zu] "
				"is not a number\n", file, i, k);
			free(x);
			return NULL;
		}
		x[k] = json_number_value(v);
	}
	return x;
}

int main(int argc, char **argv)
{
	json_error_t err;
	json_t *root;
	double *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	double ma, mb, sa, sb, se, t, df, p;
	int status = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: welch FILE.json   "
			"(a hyperfine --export-json file with two results)\n");
		return 2;
	}
	root = json_load_file(argv[1], 0, &err);
	if (!root) {
		fprintf(stderr, "welch: %s:%d: %s\n", argv[1], err.line,
			err.text);
		return 1;
	}
	a = times_of(root, 0, &na, argv[1]);
	b = a ? times_of(root, 1, &nb, argv[1]) : NULL;
	if (!a || !b)
		goto out;

	ma = gsl_stats_mean(a, 1, na);
	mb = gsl_stats_mean(b, 1, nb);
	/* Squared standard errors of each mean (variances with n - 1). */
	sa = gsl_stats_variance_m(a, 1, na, ma) / (double)na;
	sb = gsl_stats_variance_m(b, 1, nb, mb) / (double)nb;
	se = sqrt(sa + sb);
	if (se > 0) {
		t = (ma - mb) / se;
		df = (sa + sb) * (sa + sb) /
		     (sa * sa / (double)(na - 1) + sb * sb / (double)(nb - 1));
		p = 2 * gsl_cdf_tdist_Q(fabs(t), df);
	} else {
		/*
		 * Both samples constant (a clock too coarse to see any
		 * spread): the test is undefined, so say what the data say.
		 */
		t = ma == mb ? 0 : (ma > mb ? INFINITY : -INFINITY);
		df = (double)(na + nb - 2);
		p = ma == mb ? 1 : 0;
	}
	printf("%.6g %.6g %.6g %.9g %.9g\n", t, df, p, ma, mb);
	status = 0;
out:
	free(a);
	free(b);
	json_decref(root);
	return status;
}
