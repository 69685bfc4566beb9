/*
 * summary: see summary.h. Output layout is a column table: a label column
 * and free text, every time of one benchmark in the unit its mean chose.
 */
#include "analyse/summary.h"
#include "lib/units.h"
#include "lib/util.h"

#include "measure/bench.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static double mean_of(const struct benchmark *b, enum metric m)
{
	size_t n;
	double *v = benchmark_values(b, m, &n);
	double mean = stats_mean(v, n);

	free(v);
	return mean;
}

/* Mean of one int64_t counter of struct run_sample over the measured runs. */
static double mean_field(const struct benchmark *b, size_t offset)
{
	double sum = 0;
	size_t n = 0;

	for (size_t i = 0; i < b->nr_runs; i++) {
		const struct run_sample *r = &b->runs[i];
		int64_t v;

		if (r->warmup || r->timed_out)
			continue;
		memcpy(&v, (const char *)r + offset, sizeof(v));
		sum += (double)v;
		n++;
	}
	return n ? sum / (double)n : NAN;
}

/* Within 10% of the harness's own RSS, max RSS says nothing of the command. */
static int rss_at_floor(const struct benchmark *b, double rss)
{
	return b->harness_max_rss_kib > 0 && rss <= 1.1 * (double)b->harness_max_rss_kib;
}

void summary_warnings(struct benchmark *b, const struct summary *s)
{
	size_t failed = 0, timed_out = 0, measured = 0;
	enum metric m;
	/* The warnings about times below are about wall time: s is of it. */
	int wall = metric_builtin(b->config.metric, &m) && m == METRIC_WALL;

	for (size_t i = 0; i < b->nr_runs; i++) {
		const struct run_sample *r = &b->runs[i];

		if (r->warmup)
			continue;
		measured++;
		timed_out += r->timed_out;
		failed += run_failed(r) && !r->timed_out;
	}
	if (b->stop == STOP_INTERRUPTED)
		benchmark_add_warning(b, "interrupted after %zu measured runs: the statistics cover only those",
				      measured);
	if (failed && b->config.ignore_failure)
		benchmark_add_warning(b, "%zu of %zu runs failed and were measured anyway (--ignore-failure)",
				      failed, measured);
	else if (failed)
		benchmark_add_warning(b, "measuring stopped at a failed run; its time is among the %zu shown",
				      measured);
	if (timed_out)
		benchmark_add_warning(b, "%zu run%s timed out and %s left out of the statistics",
				      timed_out, timed_out == 1 ? "" : "s", timed_out == 1 ? "is" : "are");
	if (!s->n)
		return;
	if (s->n < WARN_FEW_RUNS)
		benchmark_add_warning(b, "only %zu run%s: too few for trustworthy intervals (at least %d advised)",
				      s->n, s->n == 1 ? "" : "s", WARN_FEW_RUNS);
	if (wall && s->mean < WARN_SHORT_RUN)
		benchmark_add_warning(b, "runs take %.2f ms on average: below %.0f ms, process start-up cost dominates the measurement",
				      s->mean * 1e3, WARN_SHORT_RUN * 1e3);
	if (s->n >= 2 && s->stddev > WARN_SPREAD_CV * s->mean)
		benchmark_add_warning(b, "high spread: σ is %.0f%% of the mean; the system may be busy or the command noisy (see the median and MAD)",
				      100.0 * s->stddev / s->mean);
	if (s->outliers)
		benchmark_add_warning(b, "%zu outlier%s (modified z-score > %.1f) %s flagged, not removed",
				      s->outliers, s->outliers == 1 ? "" : "s", STATS_OUTLIER_Z,
				      s->outliers == 1 ? "is" : "are");

	/* A slow first run usually means cold caches: suggest warm-ups. */
	for (size_t i = 0; i < b->nr_runs; i++) {
		const struct run_sample *r = &b->runs[i];

		if (r->warmup)
			continue;
		if (wall && !r->timed_out && s->n >= 5 && s->mad > 0 && b->config.warmup == 0 &&
		    stats_modified_z(r->wall_ns / 1e9, s->median, s->mad) > STATS_OUTLIER_Z)
			benchmark_add_warning(b, "the first run was much slower than the rest (cold caches?): consider --warmup");
		break;
	}
}

/*
 * "Wall time (mean ± σ):" padded to the label column (21 characters, not
 * bytes: ± and σ take two bytes each), capitalised like the other labels.
 */
static const char *label_column(char *buf, size_t size, const char *label, const char *what)
{
	size_t chars = 0, len;

	snprintf(buf, size, "%s%s", label, what);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
	for (const char *p = buf; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	len = strlen(buf);
	do {
		if (len + 1 >= size)
			break;
		buf[len++] = ' ';
		chars++;
	} while (chars < 21);
	buf[len] = '\0';
	return buf;
}

void summary_add_warnings(struct benchmark *b, const char *metric)
{
	size_t n;
	double *values = benchmark_metric_values(b, metric, &n);
	struct summary s;

	stats_summarize_sorting(values, n, &s);
	free(values);
	summary_warnings(b, &s);
}

/* v in unit u with the unit's name, or "n/a" alone (one run has no spread). */
static const char *in_unit(char *buf, size_t size, double v, struct time_unit u)
{
	char num[32];

	if (isnan(v))
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%s %s", format_in_unit(num, sizeof(num), v, u), u.name);
	return buf;
}

void summary_print(FILE *out, const struct benchmark *b, const struct summary *s,
		   int color)
{
	const char *bold = color ? "\033[1m" : "", *green = color ? "\033[32m" : "";
	const char *yellow = color ? "\033[33m" : "", *reset = color ? "\033[0m" : "";
	struct time_unit u = value_unit_for((enum value_unit)metric_unit(b->config.metric), s->mean);
	const char *label = b->config.metric ? metric_label(b->config.metric) : "Time";
	char a[48], c[48], d[48], e[48], lab[96];
	size_t warmups = 0;
	double rss = mean_of(b, METRIC_MAXRSS);

	for (size_t i = 0; i < b->nr_runs; i++)
		warmups += b->runs[i].warmup;

	fprintf(out, "%sBenchmark: %s%s\n", bold, b->name, reset);
	if (!s->n) {
		fprintf(out, "  no measured runs\n");
	} else {
		fprintf(out, "  %s%s%s %s%s ± %s   [user %s, sys %s]\n",
			label_column(lab, sizeof(lab), label, " (mean ± σ):"), green, format_in_unit(a, sizeof(a), s->mean, u), u.name, reset,
			in_unit(c, sizeof(c), s->stddev, u),
			format_time(d, sizeof(d), mean_of(b, METRIC_USER)),
			format_time(e, sizeof(e), mean_of(b, METRIC_SYS)));
		fprintf(out, "  Median (± MAD):      %s %s ± %s   range %s … %s %s\n",
			format_in_unit(a, sizeof(a), s->median, u), u.name,
			in_unit(c, sizeof(c), s->mad, u),
			format_in_unit(d, sizeof(d), s->min, u),
			format_in_unit(e, sizeof(e), s->max, u), u.name);
		if (isnan(s->mean_ci_lo))
			fprintf(out, "  95%% CI:              mean n/a (too few runs)");
		else
			fprintf(out, "  95%% CI:              mean [%s, %s] %s",
				format_in_unit(a, sizeof(a), s->mean_ci_lo, u),
				format_in_unit(c, sizeof(c), s->mean_ci_hi, u), u.name);
		if (isnan(s->median_ci_lo))
			fprintf(out, "   median n/a (too few runs)\n");
		else
			fprintf(out, "   median [%s, %s] %s\n",
				format_in_unit(a, sizeof(a), s->median_ci_lo, u),
				format_in_unit(c, sizeof(c), s->median_ci_hi, u), u.name);
		fprintf(out, "  Percentiles:         p5 %s   p25 %s   p75 %s   p95 %s %s\n",
			format_in_unit(a, sizeof(a), s->p5, u),
			format_in_unit(c, sizeof(c), s->p25, u),
			format_in_unit(d, sizeof(d), s->p75, u),
			format_in_unit(e, sizeof(e), s->p95, u), u.name);
	}
	fprintf(out, "  Runs:                %zu measured", s->n);
	if (warmups)
		fprintf(out, " + %zu warm-up", warmups);
	fprintf(out, ", %zu outlier%s", s->outliers, s->outliers == 1 ? "" : "s");
	/* imported times come without steady's run details */
	if (b->imported)
		fprintf(out, ", imported from another tool");
	else if (b->config.randomize)
		fprintf(out, ", env padding 0–%d B", ENV_PAD_MAX);
	else
		fprintf(out, ", no randomisation");
	if (!b->config.aslr && !b->imported)
		fprintf(out, ", ASLR off");
	fputc('\n', out);
	if (s->n && !b->imported)
		fprintf(out, "  Per run (mean):      max RSS %s%s, faults %.0f minor / %.0f major, ctx switches %.0f vol / %.0f invol\n",
			format_kib(a, sizeof(a), rss),
			rss_at_floor(b, rss) ? " (steady's own size: the floor)" : "",
			mean_field(b, offsetof(struct run_sample, minor_faults)),
			mean_field(b, offsetof(struct run_sample, major_faults)),
			mean_field(b, offsetof(struct run_sample, vol_ctx_switches)),
			mean_field(b, offsetof(struct run_sample, invol_ctx_switches)));
	for (size_t i = 0; i < b->nr_warnings; i++)
		fprintf(out, "  %sWarning:%s %s\n", yellow, reset, b->warnings[i]);
}

static int has_warning(const struct benchmark *b, const char *w)
{
	for (size_t i = 0; i < b->nr_warnings; i++)
		if (!strcmp(b->warnings[i], w))
			return 1;
	return 0;
}

void summary_print_pair_warnings(FILE *out, const struct benchmark *a,
				 const struct benchmark *b)
{
	for (size_t i = 0; i < a->nr_warnings; i++) {
		if (has_warning(b, a->warnings[i]))
			fprintf(out, "  Warning: %s\n", a->warnings[i]);
		else
			fprintf(out, "  Warning (A): %s\n", a->warnings[i]);
	}
	for (size_t i = 0; i < b->nr_warnings; i++)
		if (!has_warning(a, b->warnings[i]))
			fprintf(out, "  Warning (B): %s\n", b->warnings[i]);
}

void summary_print_family_warnings(FILE *out, const struct benchmark *const *bs, size_t n)
{
	for (size_t j = 0; j < n; j++)
		for (size_t i = 0; i < bs[j]->nr_warnings; i++) {
			const char *w = bs[j]->warnings[i];
			size_t have = 0, first = j;

			/* Printed already with an earlier benchmark that has it too. */
			for (size_t k = 0; k < j; k++)
				if (has_warning(bs[k], w))
					first = k;
			if (first != j)
				continue;
			for (size_t k = 0; k < n; k++)
				have += has_warning(bs[k], w);
			if (have == n) {
				fprintf(out, "  Warning: %s\n", w);
				continue;
			}
			fprintf(out, "  Warning (");
			for (size_t k = 0, said = 0; k < n; k++)
				if (has_warning(bs[k], w))
					fprintf(out, "%s%zu", said++ ? ", " : "", k + 1);
			fprintf(out, "): %s\n", w);
		}
}
