/*
 * compare: `steady compare` — is B slower, faster or the same as A?
 *
 *   steady compare [options] -- 'CMD_A' 'CMD_B'   measure both, interleaved
 *   steady compare [options] A.json B.json        saved results (steady,
 *                                                 hyperfine or pyperf)
 *
 * Live mode measures A and B in rounds of random order (bench.c), pairs
 * run i of each side, and stops adaptively at looks at doubling n where the
 * k-th look spends (alpha/2) * 2^-k and a final look, when the budget runs
 * out, spends alpha/2 (docs/compare.md): the verdict stays valid however
 * many looks it took. This file owns the rows it compares; the benchmarks
 * belong to the results structs they were measured or read into.
 */
#include "cmd/builtin.h"
#include "measure/bench.h"
#include "analyse/compare.h"
#include "formats/export.h"
#include "formats/import.h"
#include "formats/results.h"
#include "measure/run_options.h"
#include "measure/spawn.h"
#include "analyse/stats.h"
#include "analyse/summary.h"
#include "system/checks.h"
#include "lib/units.h"
#include "lib/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char compare_usage_head[] =
"usage: steady compare [options] -- 'CMD_A' 'CMD_B'\n"
"       steady compare [options] A.json B.json\n"
"\n"
"Says whether B is SLOWER, FASTER or the SAME as A (within --margin), or\n"
"UNRESOLVED when the data cannot tell yet. Live, A and B run interleaved in\n"
"random order and steady keeps measuring until the verdict is clear or\n"
"--max-time (default 30 s) is spent; the verdict stays valid under these\n"
"repeated looks. Files may be steady results, hyperfine --export-json or\n"
"pyperf JSON; benchmarks are matched by name.\n"
"\n"
"Verdict:\n"
"      --margin PCT       practical margin in percent (default 1)\n"
"      --fail-if-slower PCT  exit 1 when the verdict is SLOWER by more than PCT%\n"
"\n";

static const char compare_usage_tail[] =
"Results:\n"
"  -o, --output FILE      save every run of A and B as JSON (live mode)\n"
"      --export-markdown FILE  the comparison as a Markdown table\n"
"      --export-csv FILE  the comparison as CSV\n"
"\n"
"Exit codes: 0 done, 1 a command failed or --fail-if-slower tripped,\n"
"2 bad usage or input, 130 interrupted (what was measured is compared and saved).\n";

enum {
	OPT_MARGIN = OPT_COMMAND_BASE, OPT_FAIL_IF_SLOWER, OPT_MARKDOWN, OPT_CSV
};

static const struct option compare_only_options[] = {
	{ "margin", required_argument, NULL, OPT_MARGIN },
	{ "fail-if-slower", required_argument, NULL, OPT_FAIL_IF_SLOWER },
	{ "export-markdown", required_argument, NULL, OPT_MARKDOWN },
	{ "export-csv", required_argument, NULL, OPT_CSV },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

#define COMPARE_MAX_TIME 30.0
#define COMPARE_MIN_RUNS 10
#define COMPARE_RESAMPLES 10000

/* One line of the comparison: a benchmark of A against its match in B. */
struct row {
	const char *name;
	const char *metric;  /* --metric, NULL = wall time */
	struct benchmark *a, *b;
	struct comparison c;
	double level;   /* confidence level of c's interval */
	unsigned look;  /* sequential look that decided, 0 for a single look */
	int final_look; /* the look after --max-time/--max-runs ran out */
};

struct compare_ctx {
	struct compare_options copts;
	unsigned look;         /* looks taken so far */
	size_t next_look;      /* rounds at which the next look happens */
	int decided;           /* the last look gave a verdict */
	struct comparison last;
};

/* The mean of b's metric; NaN when b has none. */
static double metric_mean(const struct benchmark *b, const char *metric)
{
	size_t n;
	double *v = benchmark_metric_values(b, metric, &n);
	double m = v ? stats_mean(v, n) : NAN;

	free(v);
	return m;
}

static int has_timeouts(const struct benchmark *b)
{
	for (size_t i = 0; i < b->nr_runs; i++)
		if (b->runs[i].timed_out && !b->runs[i].warmup)
			return 1;
	return 0;
}

/* 0, or -1 after one error line when a side lacks the metric. */
static int analyse(struct benchmark *a, struct benchmark *b, const char *metric,
		   const struct compare_options *o, struct comparison *c)
{
	size_t na, nb;
	double *va = benchmark_metric_values(a, metric, &na);
	double *vb = va ? benchmark_metric_values(b, metric, &nb) : NULL;
	struct compare_options opts = *o;

	if (!vb) {
		free(va);
		return -1;
	}
	/* Recorded but never counted (<not supported>): nothing to compare. */
	if (metric && (!na || !nb) && (a->nr_runs && b->nr_runs)) {
		free(va);
		free(vb);
		return error("'%s' has no counted values of '%s' (<not supported> or <not counted> on the machine that measured it)",
			     !na ? a->name : b->name, metric);
	}
	/*
	 * Pairs need run i of A and run i of B from the same round. An
	 * interrupt can end a round half-way: drop the unmatched last run.
	 * A timed-out run (left out of the values) breaks the alignment.
	 */
	if (o->paired && na != nb && !has_timeouts(a) && !has_timeouts(b)) {
		if (na > nb)
			na = nb;
		else
			nb = na;
	}
	opts.paired = o->paired && na == nb;
	compare_samples(va, na, vb, nb, &opts, c);
	free(va);
	free(vb);
	return 0;
}

/*
 * The stopping rule of live mode: at least --min-runs rounds, then looks at
 * doubling n; stop at the first look with a verdict, or when --max-time or
 * --max-runs is reached. With -n, exactly n rounds and a single look.
 */
static int enough_for_verdict(void *ctx_, struct benchmark **bs, size_t n,
			      size_t rounds, double elapsed)
{
	struct compare_ctx *ctx = ctx_;
	const struct bench_config *cfg = &bs[0]->config;
	struct compare_options o = ctx->copts;

	(void)n;
	if (cfg->runs)
		return rounds >= cfg->runs;
	if (rounds < cfg->min_runs)
		return 0;
	if (rounds >= ctx->next_look) {
		ctx->look++;
		ctx->next_look *= 2;
		o.alpha = compare_look_alpha(ctx->copts.alpha / 2, ctx->look);
		if (analyse(bs[0], bs[1], cfg->metric, &o, &ctx->last))
			return 1;
		if (ctx->last.verdict != VERDICT_UNRESOLVED) {
			ctx->decided = 1;
			return 1;
		}
	}
	if (cfg->max_runs && rounds >= cfg->max_runs)
		return 1;
	return elapsed >= cfg->max_time;
}

static char *format_p(char *buf, size_t size, double p)
{
	if (isnan(p))
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%.2g", p);
	return buf;
}

static char *format_ratio(char *buf, size_t size, double r)
{
	if (isnan(r))
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%.3fx", r);
	return buf;
}

static void print_side(const char *label, const struct benchmark *b, const char *metric)
{
	size_t n;
	double *v = benchmark_metric_values(b, metric, &n);
	struct summary s;
	char mean[32], sd[32], med[32];
	enum value_unit t = (enum value_unit)metric_unit(metric);

	stats_summarize(v, n, &s);
	free(v);
	printf("  %s  %-40s %s ± %s   median %s   %zu runs\n", label, b->name,
	       format_metric(mean, sizeof(mean), s.mean, t),
	       format_metric(sd, sizeof(sd), s.stddev, t),
	       format_metric(med, sizeof(med), s.median, t), s.n);
}

static void print_verdict_line(const struct row *r)
{
	const struct comparison *c = &r->c;
	double pct = 100.0 * fabs(c->ratio_means - 1.0);

	switch (c->verdict) {
	case VERDICT_SLOWER:
		printf("verdict: SLOWER by %.1f%% (margin %g%%)", pct, 100 * c->margin);
		break;
	case VERDICT_FASTER:
		printf("verdict: FASTER by %.1f%% (margin %g%%)", pct, 100 * c->margin);
		break;
	case VERDICT_SAME:
		printf("verdict: SAME (the interval lies within ±%g%%)", 100 * c->margin);
		break;
	case VERDICT_UNRESOLVED:
		printf("verdict: UNRESOLVED (the interval reaches across the ±%g%% margin: more runs needed)",
		       100 * c->margin);
		break;
	}
	putchar('\n');
}

static void print_detail(const struct row *r, int live, const struct bench_config *cfg)
{
	const struct comparison *c = &r->c;
	char ratio[32], lo[32], hi[32], med[32], hl[32], pw[16], pm[16];

	if (r->metric)
		printf("metric: %s\n", metric_label(r->metric));
	print_side("A", r->a, r->metric);
	print_side("B", r->b, r->metric);
	printf("B vs A: %s %s   %.4g%% CI [%s, %s]   (p = %s, Welch on logs; MWU p = %s)\n",
	       format_ratio(ratio, sizeof(ratio), c->ratio_means),
	       c->ratio_means > 1 ? (r->metric ? "more" : "slower") :
	       c->ratio_means < 1 ? (r->metric ? "less" : "faster") : "",
	       100 * r->level, format_ratio(lo, sizeof(lo), c->ci_lo),
	       format_ratio(hi, sizeof(hi), c->ci_hi), format_p(pw, sizeof(pw), c->welch_p),
	       format_p(pm, sizeof(pm), c->mwu_p));
	printf("        ratio of medians %s, Hodges–Lehmann %s%s\n",
	       format_ratio(med, sizeof(med), c->ratio_medians),
	       format_ratio(hl, sizeof(hl), c->hl_ratio),
	       c->paired ? ", paired by round" : ", independent samples");
	print_verdict_line(r);
	if (live && c->na == c->nb)
		printf("         %zu run%s each, interleaved in random order%s\n",
		       c->na, c->na == 1 ? "" : "s", cfg->randomize ? ", env-randomised" : "");
	else if (live)
		printf("         %zu runs of A and %zu of B, interleaved in random order%s\n",
		       c->na, c->nb, cfg->randomize ? ", env-randomised" : "");
	if (r->final_look)
		printf("         final look (%u) %s: a %.4g%% interval; all looks together keep %g%%\n",
		       r->look, r->a->stop == STOP_INTERRUPTED ? "at the interruption" :
		       r->a->stop == STOP_FAILED ? "at the failed run" :
		       "after the time or run budget", 100 * r->level, 100 * (1 - 2 * c->alpha));
	else if (r->look)
		printf("         decided at look %u (n doubles between looks): a %.4g%% interval; all looks together keep %g%%\n",
		       r->look, 100 * r->level, 100 * (1 - 4 * c->alpha * (double)(1u << (r->look - 1))));
}

/*
 * s cut to at most width characters (never inside a UTF-8 sequence) and
 * padded with blanks to width: a table column.
 */
static const char *fit_column(char *buf, size_t size, const char *s, size_t width)
{
	size_t chars = 0, len = 0;

	while (s[len] && chars < width) {
		size_t next = len + 1;

		while (((unsigned char)s[next] & 0xc0) == 0x80)
			next++;
		if (next >= size)
			break;
		len = next;
		chars++;
	}
	memcpy(buf, s, len);
	while (chars < width && len + 1 < size) {
		buf[len++] = ' ';
		chars++;
	}
	buf[len] = '\0';
	return buf;
}

/* s right-aligned in width characters (not bytes: "µs" is 3 bytes, 2 characters). */
static const char *pad_left(char *buf, size_t size, const char *s, size_t width)
{
	size_t chars = 0, pad;

	for (const char *p = s; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	pad = chars < width ? width - chars : 0;
	snprintf(buf, size, "%*s%s", (int)pad, "", s);
	return buf;
}

static void print_table(const struct row *rows, size_t n)
{
	double log_sum = 0;
	size_t logs = 0;
	char a[32], b[32], ratio[32], lo[32], hi[32], ci[80], pa[48], pb[48], nm[160];

	printf("%-32s %12s %12s %9s  %-21s %s\n", "benchmark", "A", "B", "B/A",
	       "95% CI", "verdict");
	for (size_t i = 0; i < n; i++) {
		const struct comparison *c = &rows[i].c;
		enum value_unit t = (enum value_unit)metric_unit(rows[i].metric);

		snprintf(ci, sizeof(ci), "[%s, %s]", format_ratio(lo, sizeof(lo), c->ci_lo),
			 format_ratio(hi, sizeof(hi), c->ci_hi));
		printf("%s %s %s %9s  %-21s %s\n", fit_column(nm, sizeof(nm), rows[i].name, 32),
		       pad_left(pa, sizeof(pa), format_metric(a, sizeof(a),
				metric_mean(rows[i].a, rows[i].metric), t), 12),
		       pad_left(pb, sizeof(pb), format_metric(b, sizeof(b),
				metric_mean(rows[i].b, rows[i].metric), t), 12),
		       format_ratio(ratio, sizeof(ratio), c->ratio_means), ci,
		       verdict_name(c->verdict));
		if (c->ratio_means > 0) {
			log_sum += log(c->ratio_means);
			logs++;
		}
	}
	if (logs > 1)
		printf("geometric mean of B/A over %zu benchmarks: %.3fx\n", logs,
		       exp(log_sum / (double)logs));
}

/* --export-markdown/--export-csv: the rows as the exporters see them. */
static int export_rows(const char *path, enum export_format format,
		       const struct row *rows, size_t n)
{
	struct export_row *out = xcalloc(n ? n : 1, sizeof(*out));
	int ret;

	for (size_t i = 0; i < n; i++) {
		out[i].name = rows[i].name;
		out[i].metric = rows[i].metric;
		out[i].a_mean = metric_mean(rows[i].a, rows[i].metric);
		out[i].b_mean = metric_mean(rows[i].b, rows[i].metric);
		out[i].c = &rows[i].c;
		out[i].level = rows[i].level;
	}
	ret = export_comparison(path, format, out, n);
	free(out);
	return ret;
}

/* Pairs the benchmarks of two files by name (or the only ones). */
static int match_benchmarks(struct results *ra, struct results *rb,
			    const char *fa, const char *fb,
			    struct row **rows_out, size_t *n_out)
{
	struct row *rows;
	size_t n = 0;

	if (ra->nr_benchmarks == 1 && rb->nr_benchmarks == 1) {
		rows = xcalloc(1, sizeof(*rows));
		rows[0].a = &ra->benchmarks[0];
		rows[0].b = &rb->benchmarks[0];
		rows[0].name = rows[0].b->name;
		*rows_out = rows;
		*n_out = 1;
		return 0;
	}
	/* Matching by name needs each name once in each file. */
	for (int side = 0; side < 2; side++) {
		const struct results *r = side ? rb : ra;

		for (size_t i = 0; i < r->nr_benchmarks; i++)
			for (size_t j = 0; j < i; j++)
				if (!strcmp(r->benchmarks[i].name, r->benchmarks[j].name))
					return error("'%s' has two benchmarks named '%s': they cannot be matched by name",
						     side ? fb : fa, r->benchmarks[i].name);
	}
	rows = xcalloc(ra->nr_benchmarks, sizeof(*rows));
	for (size_t i = 0; i < ra->nr_benchmarks; i++)
		for (size_t j = 0; j < rb->nr_benchmarks; j++)
			if (!strcmp(ra->benchmarks[i].name, rb->benchmarks[j].name)) {
				rows[n].a = &ra->benchmarks[i];
				rows[n].b = &rb->benchmarks[j];
				rows[n].name = ra->benchmarks[i].name;
				n++;
				break;
			}
	if (!n) {
		char *la = NULL, *lb = NULL;
		size_t len;
		FILE *sa = open_memstream(&la, &len), *sb = open_memstream(&lb, &len);

		for (size_t i = 0; i < ra->nr_benchmarks && i < 5; i++)
			fprintf(sa, "%s'%s'", i ? ", " : "", ra->benchmarks[i].name);
		for (size_t j = 0; j < rb->nr_benchmarks && j < 5; j++)
			fprintf(sb, "%s'%s'", j ? ", " : "", rb->benchmarks[j].name);
		fclose(sa);
		fclose(sb);
		error("no benchmark name is in both '%s' (%s%s) and '%s' (%s%s)", fa, la,
		      ra->nr_benchmarks > 5 ? ", ..." : "", fb, lb,
		      rb->nr_benchmarks > 5 ? ", ..." : "");
		free(la);
		free(lb);
		free(rows);
		return -1;
	}
	if (n < ra->nr_benchmarks || n < rb->nr_benchmarks)
		warning("%zu benchmark%s matched by name; %zu in '%s' and %zu in '%s' have no match and are left out",
			n, n == 1 ? "" : "s", ra->nr_benchmarks - n, fa, rb->nr_benchmarks - n, fb);
	*rows_out = rows;
	*n_out = n;
	return 0;
}

static int exit_code_for(const struct row *rows, size_t n, double fail_if_slower)
{
	if (fail_if_slower < 0)
		return EXIT_OK;
	for (size_t i = 0; i < n; i++)
		if (rows[i].c.verdict == VERDICT_SLOWER &&
		    rows[i].c.ratio_means - 1.0 > fail_if_slower / 100.0)
			return EXIT_FAILED;
	return EXIT_OK;
}

int cmd_compare(int argc, char **argv)
{
	struct results live, ra, rb;
	struct bench_config cfg;
	struct compare_ctx ctx;
	struct option *options;
	struct row *rows = NULL;
	size_t nr_rows = 0;
	const char *output = NULL, *markdown = NULL, *csv = NULL;
	double fail_if_slower = -1, margin_pct = 1.0;
	int opt, seed_given = 0, ret = EXIT_USAGE, is_live = 0;

	results_init(&live);
	results_init(&ra);
	results_init(&rb);
	bench_config_init(&cfg);
	cfg.max_time = COMPARE_MAX_TIME;
	cfg.min_runs = COMPARE_MIN_RUNS;
	memset(&ctx, 0, sizeof(ctx));
	compare_options_init(&ctx.copts);

	opterr = 0;
	optind = 1;
	options = run_options_table(compare_only_options);
	while ((opt = getopt_long(argc, argv, "+:" RUN_SHORT_OPTIONS "o:h", options, NULL)) != -1) {
		int shared = run_option_parse(opt, optarg, &cfg, &seed_given);

		if (shared < 0)
			goto out;
		if (shared)
			continue;
		switch (opt) {
		case OPT_MARGIN:
			if (run_margin_parse(optarg, &margin_pct))
				goto out;
			break;
		case OPT_FAIL_IF_SLOWER:
			if (parse_number(optarg, &fail_if_slower)) {
				error("invalid value for --fail-if-slower: '%s' (expected a percentage, e.g. 5)",
				      optarg);
				goto out;
			}
			break;
		case OPT_MARKDOWN:
			markdown = optarg;
			break;
		case OPT_CSV:
			csv = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			printf("%s%s%s%s", compare_usage_head, run_options_usage, run_metric_usage, compare_usage_tail);
			ret = EXIT_OK;
			goto out;
		default:
			option_error("compare", opt, argc, argv);
			goto out;
		}
	}
	ctx.copts.margin = margin_pct / 100.0;
	if (argc - optind != 2) {
		error("compare needs two commands or two result files, not %d (see 'steady compare --help')",
		      argc - optind);
		goto out;
	}
	if (run_options_check(&cfg))
		goto out;
	/*
	 * The bootstrap keeps its fixed default seed unless --seed is given:
	 * the same data must give the same interval. The randomisation of
	 * live runs gets a fresh seed, recorded in the results.
	 */
	if (seed_given)
		ctx.copts.seed = cfg.seed;
	else
		cfg.seed = run_random_seed();
	is_live = !strcmp(argv[optind - 1], "--");
	if ((output && results_check_writable(output)) ||
	    (markdown && results_check_writable(markdown)) ||
	    (csv && results_check_writable(csv)))
		goto out;

	if (is_live) {
		struct benchmark *bs[2];
		struct progress progress;

		for (int i = 0; i < 2; i++) {
			bs[i] = results_add_benchmark(&live);
			bench_config_copy(&bs[i]->config, &cfg);
		}
		for (int i = 0; i < 2; i++)
			if (run_set_command(live.benchmarks + i, 1, &argv[optind + i]))
				goto out;
		bs[0] = &live.benchmarks[0];
		bs[1] = &live.benchmarks[1];
		/* A/A runs are legitimate (checking the noise); keep them apart. */
		benchmark_names_apart(bs[0], bs[1]);
		ctx.copts.paired = 1;
		ctx.next_look = cfg.min_runs;
		system_record(&live);
		spawn_catch_signals();
		progress_init(&progress);
		if (bench_execute_rounds(bs, 2, &progress, enough_for_verdict, &ctx))
			goto out;

		rows = xcalloc(1, sizeof(*rows));
		nr_rows = 1;
		rows[0].a = bs[0];
		rows[0].b = bs[1];
		rows[0].name = bs[1]->name;
		rows[0].metric = cfg.metric;
		if (ctx.decided && bs[0]->stop == STOP_COMPLETED) {
			rows[0].c = ctx.last;
			rows[0].look = ctx.look;
		} else {
			struct compare_options o = ctx.copts;

			/*
			 * The last look, when time or runs ran out, has half of
			 * alpha to itself: it has the most data, so that is where
			 * the power is; the interim looks share the other half.
			 */
			if (!cfg.runs) {
				o.alpha = ctx.copts.alpha / 2;
				rows[0].final_look = 1;
			}
			if (analyse(bs[0], bs[1], cfg.metric, &o, &rows[0].c))
				goto out;
			rows[0].look = cfg.runs ? 0 : ++ctx.look;
		}
		rows[0].level = 1 - rows[0].c.alpha;
		for (int i = 0; i < 2; i++) {
			size_t n;
			double *vals = benchmark_metric_values(bs[i], cfg.metric, &n);
			struct summary s;

			stats_summarize(vals, n, &s);
			free(vals);
			summary_warnings(bs[i], &s);
		}
		if (output) {
			results_stamp(&live);
			if (results_write(&live, output))
				goto out;
		}
		print_detail(&rows[0], 1, &cfg);
		summary_print_pair_warnings(stdout, bs[0], bs[1]);
		ret = bs[0]->stop == STOP_INTERRUPTED ? EXIT_INTERRUPTED :
		      bs[0]->stop == STOP_FAILED ? EXIT_FAILED :
		      exit_code_for(rows, nr_rows, fail_if_slower);
	} else {
		enum import_format fa, fb;

		if (output) {
			error("-o saves live measurements; with result files there is nothing new to save");
			goto out;
		}
		for (int i = 0; i < 2; i++)
			if (access(argv[optind + i], F_OK)) {
				error("cannot read '%s': no such file (to benchmark two commands, put them after --)",
				      argv[optind + i]);
				goto out;
			}
		if (import_results(&ra, argv[optind], &fa) ||
		    import_results(&rb, argv[optind + 1], &fb) ||
		    match_benchmarks(&ra, &rb, argv[optind], argv[optind + 1], &rows, &nr_rows))
			goto out;
		for (size_t i = 0; i < nr_rows; i++) {
			rows[i].metric = cfg.metric;
			if (analyse(rows[i].a, rows[i].b, cfg.metric, &ctx.copts, &rows[i].c))
				goto out;
			rows[i].level = 1 - rows[i].c.alpha;
		}
		if (nr_rows == 1)
			print_detail(&rows[0], 0, &cfg);
		else
			print_table(rows, nr_rows);
		ret = exit_code_for(rows, nr_rows, fail_if_slower);
	}
	if ((markdown && export_rows(markdown, EXPORT_MARKDOWN, rows, nr_rows)) ||
	    (csv && export_rows(csv, EXPORT_CSV, rows, nr_rows)))
		ret = EXIT_USAGE;
out:
	free(rows);
	free(options);
	bench_config_release(&cfg);
	results_release(&live);
	results_release(&ra);
	results_release(&rb);
	return ret;
}
