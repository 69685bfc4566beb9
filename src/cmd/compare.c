/*
 * compare: `steady compare` — is B slower, faster or the same as A?
 *
 *   steady compare [options] -- 'CMD_A' 'CMD_B'   measure both, interleaved
 *   steady compare [options] A.json B.json        saved results (steady,
 *                                                 hyperfine or pyperf)
 *
 * Live mode measures A and B in rounds of random order (bench.c), pairs
 * run i of each side, and stops when the rule of analyse/sequential.h says
 * so: looks at doubling n, then a final look when the budget runs out; the
 * verdict stays valid however many looks it took (docs/compare.md). This
 * file parses, prints and exports; it owns the rows it compares, and the
 * benchmarks belong to the results structs they were measured or read into.
 */
#include "cmd/builtin.h"
#include "measure/bench.h"
#include "analyse/compare.h"
#include "analyse/sequential.h"
#include "formats/export.h"
#include "formats/import.h"
#include "formats/results.h"
#include "measure/run_options.h"
#include "measure/spawn.h"
#include "analyse/stats.h"
#include "analyse/summary.h"
#include "system/checks.h"
#include "lib/units.h"
#include "lib/atomic_file.h"
#include "lib/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char compare_usage_head[] =
"usage: steady compare [options] -- 'CMD_A' 'CMD_B'\n"
"       steady compare [options] A.json B.json\n"
"       steady compare [options] AB.json   (compare -o or layout -o: its A and B)\n"
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
"      --estimator E      what judges B/A: median (default: the typical run),\n"
"                         hl (Hodges-Lehmann), mean (bursts included), min (fast end)\n"
"      --fail-if-slower PCT  exit 1 when the verdict is SLOWER by more than PCT%\n"
"\n";

static const char compare_usage_tail[] =
"Results:\n"
"  -o FILE                save every run of A and B as JSON (live mode);\n"
"                         -o - writes it to stdout\n"
"      --export-json FILE the same as -o FILE (hyperfine's name for it)\n"
"      --json             the same as -o -: only the JSON on stdout, the\n"
"                         comparison on stderr\n"
"      --export-markdown FILE  the comparison as a Markdown table\n"
"      --export-csv FILE  the comparison as CSV\n"
"                         (FILE - for either: to stdout, the rest on stderr)\n"
"\n"
"Exit codes: 0 done, 1 a command failed or --fail-if-slower tripped,\n"
"2 bad usage or input, 130 interrupted (what was measured is compared and saved).\n";

enum {
	OPT_FAIL_IF_SLOWER = OPT_COMMAND_BASE, OPT_MARKDOWN, OPT_CSV
};

static const struct option compare_only_options[] = {
	RUN_VERDICT_OPTIONS,
	{ "fail-if-slower", required_argument, NULL, OPT_FAIL_IF_SLOWER },
	{ "export-markdown", required_argument, NULL, OPT_MARKDOWN },
	{ "export-csv", required_argument, NULL, OPT_CSV },
	OPTION_JSON,
	OPTION_EXPORT_JSON,
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

/* The mean of b's metric; NaN when b has none. */
static double metric_mean(const struct benchmark *b, const char *metric)
{
	size_t n;
	double *v = benchmark_metric_values(b, metric, &n);
	double m = v ? stats_mean(v, n) : NAN;

	free(v);
	return m;
}

static char *format_p(char *buf, size_t size, double p)
{
	if (isnan(p))
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%.2g", p);
	return buf;
}

/* A ratio that does not exist (A's value 0, too few runs) or is unbounded: n/a. */
static char *format_ratio(char *buf, size_t size, double r)
{
	if (!isfinite(r))
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

	stats_summarize_sorting(v, n, &s);
	free(v);
	printf("  %s  %-40s %s ± %s   median %s   %zu runs\n", label, b->name,
	       format_metric(mean, sizeof(mean), s.mean, t),
	       format_metric(sd, sizeof(sd), s.stddev, t),
	       format_metric(med, sizeof(med), s.median, t), s.n);
}

static void print_verdict_line(const struct row *r)
{
	const struct comparison *c = &r->c;
	double pct = 100.0 * fabs(c->ratio - 1.0);

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

/* "1.031x [1.025x, 1.037x]", or the ratio alone when there is no interval. */
static const char *ratio_with_interval(char *buf, size_t size, const struct estimate_verdict *e)
{
	char r[24], lo[24], hi[24];

	if (isnan(e->lo))
		snprintf(buf, size, "%s", format_ratio(r, sizeof(r), e->ratio));
	else
		snprintf(buf, size, "%s [%s, %s]", format_ratio(r, sizeof(r), e->ratio),
			 format_ratio(lo, sizeof(lo), e->lo), format_ratio(hi, sizeof(hi), e->hi));
	return buf;
}

/*
 * Said plainly when the estimators part ways: the typical run and the
 * average tell different stories, and the reader should know both.
 */
static void print_disagreement(const struct comparison *c)
{
	static const enum estimator order[] = { ESTIMATOR_MEDIAN, ESTIMATOR_HL, ESTIMATOR_MEAN };
	const char *sep = "";

	if (!c->disagree)
		return;
	printf("         the estimators disagree:");
	for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++) {
		printf("%s %s %s", sep, estimator_name(order[i]), verdict_name(c->by[order[i]].verdict));
		sep = ",";
	}
	printf("\n         some runs changed far more than the typical one, or the program is\n"
	       "         bimodal: look at both distributions before trusting either number\n");
}

static void print_detail(const struct row *r, int live, const struct bench_config *cfg)
{
	const struct comparison *c = &r->c;
	char ratio[32], lo[32], hi[32], med[32], mean[128], hl[128], pw[16], pm[16];

	if (r->metric)
		printf("metric: %s\n", metric_label(r->metric));
	print_side("A", r->a, r->metric);
	print_side("B", r->b, r->metric);
	printf("B vs A: %s %s   %.4g%% CI [%s, %s]   (%s%s)\n",
	       format_ratio(ratio, sizeof(ratio), c->ratio),
	       c->ratio > 1 ? (r->metric ? "more" : "slower") :
	       c->ratio < 1 ? (r->metric ? "less" : "faster") : "",
	       100 * r->level, format_ratio(lo, sizeof(lo), c->ci_lo),
	       format_ratio(hi, sizeof(hi), c->ci_hi),
	       estimator_description(c->estimator, c->paired),
	       c->fell_back ? ": too few runs yet for the default's interval" : "");
	printf("        mean %s, Hodges–Lehmann %s, ratio of medians %s%s\n",
	       ratio_with_interval(mean, sizeof(mean), &c->by[ESTIMATOR_MEAN]),
	       ratio_with_interval(hl, sizeof(hl), &c->by[ESTIMATOR_HL]),
	       format_ratio(med, sizeof(med), c->ratio_medians),
	       c->paired ? ", paired by round" : ", independent samples");
	printf("        p = %s (Welch on logs), MWU p = %s\n",
	       format_p(pw, sizeof(pw), c->welch_p), format_p(pm, sizeof(pm), c->mwu_p));
	print_verdict_line(r);
	print_disagreement(c);
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

	printf("%-32s %12s %12s %9s  %-21s %-6s %s\n", "benchmark", "A", "B", "B/A",
	       "95% CI", "by", "verdict");
	for (size_t i = 0; i < n; i++) {
		const struct comparison *c = &rows[i].c;
		enum value_unit t = (enum value_unit)metric_unit(rows[i].metric);

		snprintf(ci, sizeof(ci), "[%s, %s]", format_ratio(lo, sizeof(lo), c->ci_lo),
			 format_ratio(hi, sizeof(hi), c->ci_hi));
		printf("%s %s %s %9s  %-21s %-6s %s\n", fit_column(nm, sizeof(nm), rows[i].name, 32),
		       pad_left(pa, sizeof(pa), format_metric(a, sizeof(a),
				metric_mean(rows[i].a, rows[i].metric), t), 12),
		       pad_left(pb, sizeof(pb), format_metric(b, sizeof(b),
				metric_mean(rows[i].b, rows[i].metric), t), 12),
		       format_ratio(ratio, sizeof(ratio), c->ratio), ci,
		       estimator_name(c->estimator), verdict_name(c->verdict));
		if (c->ratio > 0) {
			log_sum += log(c->ratio);
			logs++;
		}
	}
	if (logs > 1)
		printf("geometric mean of B/A over %zu benchmarks: %.3fx\n", logs,
		       exp(log_sum / (double)logs));
	printf("by: the estimator judged (--estimator); %s for median\n",
	       estimator_description(ESTIMATOR_MEDIAN, 0));
	for (size_t i = 0; i < n; i++)
		if (rows[i].c.disagree)
			printf("  %s: the estimators disagree (median %s, hl %s, mean %s)\n", rows[i].name,
			       verdict_name(rows[i].c.by[ESTIMATOR_MEDIAN].verdict),
			       verdict_name(rows[i].c.by[ESTIMATOR_HL].verdict),
			       verdict_name(rows[i].c.by[ESTIMATOR_MEAN].verdict));
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

/* What the command line asked for; cfg is owned (compare_args_release). */
struct compare_args {
	struct bench_config cfg;
	struct compare_options copts;
	const char *output, *markdown, *csv;
	double fail_if_slower;  /* percent; < 0 when not given */
	char **operands;        /* the two commands (live) or result files */
	int nr_operands;        /* 2, or 1: one file holding both sides */
	int live;               /* the operands came after "--" */
};

static void compare_args_init(struct compare_args *args)
{
	memset(args, 0, sizeof(*args));
	bench_config_init(&args->cfg);
	args->cfg.max_time = COMPARE_MAX_TIME;
	args->cfg.min_runs = COMPARE_MIN_RUNS;
	compare_options_init(&args->copts);
	args->fail_if_slower = -1;
}

static void compare_args_release(struct compare_args *args)
{
	bench_config_release(&args->cfg);
}

/* 0 to go on, 1 after --help was printed, -1 after one error line. */
static int parse_compare_options(int argc, char **argv, struct compare_args *args)
{
	struct option *options = run_options_table(compare_only_options);
	double margin_pct = 1.0;
	int opt, seed_given = 0, ret = -1;

	opterr = 0;
	optind = 1;
	while ((opt = run_options_next(argc, argv, "+:" RUN_SHORT_OPTIONS "o:h", options,
				       &args->cfg, &seed_given)) != -1) {
		switch (opt) {
		case RUN_OPTION_INVALID:
			goto out;
		case OPT_FAIL_IF_SLOWER:
			if (parse_number(optarg, &args->fail_if_slower)) {
				error("invalid value for --fail-if-slower: '%s' (expected a percentage, e.g. 5)",
				      optarg);
				goto out;
			}
			break;
		case OPT_MARKDOWN:
			args->markdown = optarg;
			break;
		case OPT_CSV:
			args->csv = optarg;
			break;
		case 'o':
		case 'J':
			if (output_option(&args->output, opt, optarg))
				goto out;
			break;
		case 'V':
			print_version();
			ret = 1;
			goto out;
		case 'h':
			printf("%s%s%s%s", compare_usage_head, run_options_usage, run_metric_usage, compare_usage_tail);
			ret = 1;
			goto out;
		default:
			if (run_verdict_option("compare", opt, argc, argv, &margin_pct,
					       &args->copts.estimator))
				goto out;
			break;
		}
	}
	args->copts.margin = margin_pct / 100.0;
	args->live = optind > 1 && !strcmp(argv[optind - 1], "--");
	if (argc - optind != 2 && (args->live || argc - optind != 1)) {
		error("compare needs two commands or two result files, not %d (see 'steady compare --help')",
		      argc - optind);
		goto out;
	}
	args->nr_operands = argc - optind;
	if (run_options_check(&args->cfg))
		goto out;
	/*
	 * The bootstrap keeps its fixed default seed unless --seed is given:
	 * the same data must give the same interval. The randomisation of
	 * live runs gets a fresh seed, recorded in the results.
	 */
	if (seed_given)
		args->copts.seed = args->cfg.seed;
	else
		args->cfg.seed = run_random_seed();
	args->operands = argv + optind;
	if ((args->output && atomic_check_writable(args->output)) ||
	    (args->markdown && atomic_check_writable(args->markdown)) ||
	    (args->csv && atomic_check_writable(args->csv)))
		goto out;
	if (!args->live && args->output) {
		error("-o and --json save live measurements; with result files there is nothing new to save");
		goto out;
	}
	if ((args->output && atomic_names_stdout(args->output)) +
	    (args->markdown && atomic_names_stdout(args->markdown)) +
	    (args->csv && atomic_names_stdout(args->csv)) > 1) {
		error("only one of -o/--json, --export-markdown and --export-csv can write to stdout");
		goto out;
	}
	if (atomic_claim_stdout(&args->output) || atomic_claim_stdout(&args->markdown) ||
	    atomic_claim_stdout(&args->csv))
		goto out;
	ret = 0;
out:
	free(options);
	return ret;
}

/*
 * Live mode: measures A and B in rounds into *live until the stopping rule
 * (analyse/sequential.h) says enough, and compares them into one new row
 * (*rows, the caller frees it). 0, or -1 after one error line.
 */
static int compare_live(const struct compare_args *args, struct results *live,
			struct row **rows)
{
	const struct bench_config *cfg = &args->cfg;
	struct compare_options copts = args->copts;
	struct sequential rule;
	struct sequential_outcome outcome;
	struct benchmark *bs[2];
	struct progress progress;
	struct row *row;

	for (int i = 0; i < 2; i++)
		bench_config_copy(&results_add_benchmark(live)->config, cfg);
	for (int i = 0; i < 2; i++)
		if (run_set_command(live->benchmarks + i, 1, &args->operands[i]))
			return -1;
	/* Taken after the last add: adding may move the array. */
	bs[0] = &live->benchmarks[0];
	bs[1] = &live->benchmarks[1];
	/* A/A runs are legitimate (checking the noise); keep them apart. */
	benchmark_names_apart(bs[0], bs[1]);
	copts.paired = 1;
	sequential_init(&rule, cfg, &copts, cfg->metric);
	system_record(live);
	spawn_catch_signals();
	progress_init(&progress);
	if (bench_execute_rounds(bs, 2, &progress, sequential_enough, &rule) ||
	    sequential_finish(&rule, bs[0], bs[1], &outcome))
		return -1;

	*rows = row = xcalloc(1, sizeof(*row));
	row->a = bs[0];
	row->b = bs[1];
	row->name = bs[1]->name;
	row->metric = cfg->metric;
	row->c = outcome.c;
	row->look = outcome.look;
	row->final_look = outcome.final_look;
	row->level = 1 - row->c.alpha;
	for (int i = 0; i < 2; i++)
		summary_add_warnings(bs[i], cfg->metric);
	return 0;
}

/*
 * One file that holds both sides: the default builds of `steady layout`,
 * or the two benchmarks `compare -o` saved. One row into *rows.
 */
static int match_within(struct results *r, const char *file, struct row **rows,
			size_t *nr_rows)
{
	struct benchmark *a = NULL, *b = NULL;

	if (r->layout) {
		for (size_t i = 0; i < r->layout->nr_variants; i++) {
			const struct layout_variant *v = &r->layout->variants[i];

			if (v->is_default)
				*(v->side == 'A' ? &a : &b) = &r->benchmarks[v->benchmark];
		}
		if (!a || !b)
			return error("'%s' has no default build of %s to compare", file, a ? "B" : "A");
	} else if (r->nr_benchmarks == 2) {
		a = &r->benchmarks[0];
		b = &r->benchmarks[1];
	} else {
		return error("'%s' holds %zu benchmarks: compare one file only when it holds A and B (compare -o, steady layout -o), or give two files",
			     file, r->nr_benchmarks);
	}
	*rows = xcalloc(1, sizeof(**rows));
	(*rows)->a = a;
	(*rows)->b = b;
	(*rows)->name = b->name;
	*nr_rows = 1;
	return 0;
}

/* 1 when every row's A and B have the same wall times, run for run. */
static int same_runs(const struct row *rows, size_t nr_rows)
{
	for (size_t i = 0; i < nr_rows; i++) {
		size_t na, nb;
		double *a = benchmark_metric_values(rows[i].a, NULL, &na);
		double *b = benchmark_metric_values(rows[i].b, NULL, &nb);
		int same = a && b && na && na == nb && !memcmp(a, b, na * sizeof(*a));

		free(a);
		free(b);
		if (!same)
			return 0;
	}
	return 1;
}

/*
 * compare FILE FILE (or a copy): every benchmark would be compared with
 * itself, and a file of a live compare, matched by its "A: "/"B: " names,
 * would give A against A and B against B. Refused, naming what was meant
 * when the file holds both sides. 0, or -1 after one error line.
 */
static int refuse_same_runs(const struct results *ra, char *const *files,
			    const struct row *rows, size_t nr_rows)
{
	struct stat sa, sb;
	int twice = !stat(files[0], &sa) && !stat(files[1], &sb) &&
		    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	char *what;

	if (!twice && !same_runs(rows, nr_rows))
		return 0;
	what = twice ? xasprintf("'%s' is given twice", files[0]) :
		xasprintf("'%s' and '%s' hold the same runs", files[0], files[1]);
	if (ra->layout || ra->nr_benchmarks == 2)
		error("%s: each benchmark would be compared with itself; 'steady compare %s' compares its A with its B",
		      what, files[0]);
	else
		error("%s: each benchmark would be compared with itself", what);
	free(what);
	return -1;
}

/*
 * File mode: reads the result files into ra and rb (one file: ra alone),
 * matches their benchmarks into *rows (the caller frees them) and
 * compares each pair. 0, or -1 after one error line.
 */
static int compare_files(const struct compare_args *args, struct results *ra,
			 struct results *rb, struct row **rows, size_t *nr_rows)
{
	char *const *files = args->operands;
	enum import_format fa, fb;

	for (int i = 0; i < args->nr_operands; i++)
		if (access(files[i], F_OK))
			return error("cannot read '%s': no such file (to benchmark two commands, put them after --)",
				     files[i]);
	if (args->nr_operands == 1) {
		if (import_results(ra, files[0], &fa) || match_within(ra, files[0], rows, nr_rows))
			return -1;
	} else if (import_results(ra, files[0], &fa) || import_results(rb, files[1], &fb) ||
		   match_benchmarks(ra, rb, files[0], files[1], rows, nr_rows) ||
		   refuse_same_runs(ra, files, *rows, *nr_rows)) {
		return -1;
	}
	for (size_t i = 0; i < *nr_rows; i++) {
		struct row *r = &(*rows)[i];

		r->metric = args->cfg.metric;
		if (compare_benchmarks(r->a, r->b, r->metric, &args->copts, &r->c))
			return -1;
		r->level = 1 - r->c.alpha;
	}
	return 0;
}

static void print_comparison(const struct compare_args *args, const struct row *rows,
			     size_t nr_rows)
{
	if (args->live) {
		print_detail(&rows[0], 1, &args->cfg);
		summary_print_pair_warnings(stdout, rows[0].a, rows[0].b);
	} else if (nr_rows == 1) {
		print_detail(&rows[0], 0, &args->cfg);
	} else {
		print_table(rows, nr_rows);
	}
}

/* --export-markdown, --export-csv: 0, or -1 after one error line. */
static int write_exports(const struct compare_args *args, const struct row *rows,
			 size_t nr_rows)
{
	if (args->markdown && export_rows(args->markdown, EXPORT_MARKDOWN, rows, nr_rows))
		return -1;
	if (args->csv && export_rows(args->csv, EXPORT_CSV, rows, nr_rows))
		return -1;
	return 0;
}

/*
 * How the measuring ended (live mode) comes first; then --fail-if-slower,
 * which trips on a SLOWER verdict by more than its percentage.
 */
static int compare_exit_code(const struct compare_args *args, const struct row *rows,
			     size_t nr_rows)
{
	if (args->live && rows[0].a->stop != STOP_COMPLETED)
		return stop_reason_exit_code(rows[0].a->stop);
	if (args->fail_if_slower < 0)
		return EXIT_OK;
	for (size_t i = 0; i < nr_rows; i++)
		if (rows[i].c.verdict == VERDICT_SLOWER &&
		    rows[i].c.ratio - 1.0 > args->fail_if_slower / 100.0)
			return EXIT_FAILED;
	return EXIT_OK;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args args;
	struct results live, ra, rb;
	struct row *rows = NULL;
	size_t nr_rows = 0;
	int parsed, ret = EXIT_USAGE;

	results_init(&live);
	results_init(&ra);
	results_init(&rb);
	compare_args_init(&args);
	parsed = parse_compare_options(argc, argv, &args);
	if (parsed) {
		ret = parsed > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (args.live) {
		if (compare_live(&args, &live, &rows) || results_save(&live, args.output))
			goto out;
		nr_rows = 1;
	} else if (compare_files(&args, &ra, &rb, &rows, &nr_rows)) {
		goto out;
	}
	print_comparison(&args, rows, nr_rows);
	ret = compare_exit_code(&args, rows, nr_rows);
	if (write_exports(&args, rows, nr_rows))
		ret = EXIT_USAGE;
out:
	free(rows);
	compare_args_release(&args);
	results_release(&live);
	results_release(&ra);
	results_release(&rb);
	return ret;
}
