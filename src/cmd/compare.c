/*
 * compare: `steady compare` — is B slower, faster or the same as A?
 *
 *   steady compare [options] -- 'CMD_A' 'CMD_B'   measure both, interleaved
 *   steady compare [options] A.json B.json        saved results (steady,
 *                                                 hyperfine or pyperf)
 *   steady compare [options] -- 'A' 'B' 'C' ...   each against the baseline
 *   steady compare [options] A.json B.json C.json ...
 *
 * Live mode measures A and B in rounds of random order (bench.c), pairs
 * run i of each side, and stops when the rule of analyse/sequential.h says
 * so: looks at doubling n, then a final look when the budget runs out; the
 * verdict stays valid however many looks it took (docs/compare.md). With
 * more than two commands or files, every one is compared with the baseline
 * (the first, or --baseline) and each look decides the family by Holm's
 * step-down (analyse/holm.h), so the family's error stays that of a pair. This
 * file parses, prints and exports; it owns the rows it compares, and the
 * benchmarks belong to the results structs they were measured or read into.
 */
#include "cmd/builtin.h"
#include "measure/bench.h"
#include "analyse/compare.h"
#include "analyse/holm.h"
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

#include <fcntl.h>
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
"       steady compare [options] -- 'CMD_1' 'CMD_2' 'CMD_3' ...\n"
"       steady compare [options] 1.json 2.json 3.json ...\n"
"\n"
"Says whether B is SLOWER, FASTER or the SAME as A (within --margin), or\n"
"UNRESOLVED when the data cannot tell yet. Live, A and B run interleaved in\n"
"random order and steady keeps measuring until the verdict is clear or\n"
"--max-time (default 30 s) is spent; the verdict stays valid under these\n"
"repeated looks. Files may be steady results, hyperfine --export-json or\n"
"pyperf JSON; benchmarks are matched by name.\n"
"\n"
"With three or more commands (up to 512) or files, each is compared with the\n"
"baseline, all commands run interleaved in the same rounds, and the verdicts\n"
"are decided together by Holm's step-down, which keeps the chance of any\n"
"false verdict in the table to that of one comparison (docs/compare.md).\n"
"\n";

enum {
	OPT_FAIL_IF_SLOWER = OPT_COMMAND_BASE, OPT_MARKDOWN, OPT_CSV, OPT_BASELINE
};

static const struct option_doc compare_docs[] = {
	OPTDOC_TEXT("Verdict:"),
	OPTDOC(NULL, "baseline", OPT_BASELINE, "N|NAME",
	       "compare with the N-th command or file (1-based), or\n"
	       "with the one spelt exactly NAME (default: the first)"),
	RUN_VERDICT_OPTIONS("practical margin in percent (default 1)",
			    "what judges B/A: median (default: the typical run),\n"
			    "hl (Hodges-Lehmann), mean (bursts included), min (fast end)"),
	OPTDOC(NULL, "fail-if-slower", OPT_FAIL_IF_SLOWER, "PCT",
	       "exit 1 when the verdict is SLOWER by more than PCT%"),
	OPTDOC_TEXT(""),
	OPTDOC_INCLUDE(run_option_docs),
	OPTDOC_INCLUDE(run_metric_docs),
	OPTDOC_TEXT("Results:"),
	OPTDOC("o", NULL, 'o', "FILE",
	       "save every run of every command as JSON (live mode);\n"
	       "-o - writes it to stdout"),
	OPTION_EXPORT_JSON,
	OPTION_JSON("the same as -o -: only the JSON on stdout, the\n"
		    "comparison on stderr"),
	OPTDOC(NULL, "export-markdown", OPT_MARKDOWN, "FILE", "the comparison as a Markdown table"),
	OPTDOC(NULL, "export-csv", OPT_CSV, "FILE",
	       "the comparison as CSV\n"
	       "(FILE - for either: to stdout, the rest on stderr)"),
	OPTDOC_INCLUDE(run_save_docs),
	OPTDOC_END
};

static const char compare_usage_tail[] =
"\n"
"Exit codes: 0 done, 1 a command failed or --fail-if-slower tripped,\n"
"2 bad usage or input, 130 interrupted (what was measured is compared and saved).\n";

static const struct command_help compare_help = {
	"compare", compare_usage_head, compare_docs, compare_usage_tail
};

#define COMPARE_MAX_TIME 30.0
#define COMPARE_MIN_RUNS 10
#define COMPARE_RESAMPLES 10000

/* One line of the comparison: a benchmark of A against its match in B. */
struct row {
	const char *name;
	const char *file;    /* several files: the file of b; else NULL */
	const char *metric;  /* --metric, NULL = wall time */
	struct benchmark *a, *b;
	struct comparison c;
	double level;   /* confidence level of c's interval */
	unsigned look;  /* sequential look that decided, 0 for a single look */
	size_t number;  /* live, several commands: b's 1-based place on the command line */
	int final_look; /* the look after --max-time/--max-runs ran out */
	int unmeasurable; /* measuring stopped: a command had no measured run */
	int paired;     /* file mode: a and b were measured in the same rounds */
};

/* Why the final look was taken, for the line under the verdict. */
static const char *final_look_reason(const struct row *r)
{
	if (r->a->stop == STOP_INTERRUPTED)
		return "at the interruption";
	if (r->a->stop == STOP_FAILED)
		return "at the failed run";
	if (r->unmeasurable)
		return "once a command had no measured run in --min-runs rounds";
	return "after the time or run budget";
}

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

static void print_side_noted(const char *label, const struct benchmark *b,
			     const char *metric, const char *note)
{
	size_t n;
	double *v = benchmark_metric_values(b, metric, &n);
	struct summary s;
	char mean[32], sd[32], med[32];
	enum value_unit t = (enum value_unit)metric_unit(metric);

	stats_summarize_sorting(v, n, &s);
	free(v);
	printf("  %s  %-40s %s ± %s   median %s   %zu runs%s\n", label, b->name,
	       format_metric(mean, sizeof(mean), s.mean, t),
	       format_metric(sd, sizeof(sd), s.stddev, t),
	       format_metric(med, sizeof(med), s.median, t), s.n, note);
}

static void print_side(const char *label, const struct benchmark *b, const char *metric)
{
	print_side_noted(label, b, metric, "");
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
	if (c->mean_ci_delta)
		printf("        the mean's interval by the delta method: %zu runs are too many "
		       "to bootstrap within its bound of 10^8 resampled values\n", c->na + c->nb);
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
		       r->look, final_look_reason(r), 100 * r->level, 100 * (1 - 2 * c->alpha));
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

/*
 * Several commands or files against one baseline: a row each, its
 * interval at the level Holm's step-down gave it (docs/compare.md).
 * files: the rows name their file and show both means; live, the sides'
 * summaries were printed above and the rows name their command's number.
 */
static void print_family_table(const struct row *rows, size_t n, int files)
{
	char ratio[32], lo[32], hi[32], ci[80], nm[160], fl[160], a[32], b[32], pa[48], pb[48];
	size_t fw = 4;

	/* The file column is as wide as its longest name, up to 40; a longer one shows its end. */
	for (size_t i = 0; files && i < n; i++)
		fw = strlen(rows[i].file) > fw ? strlen(rows[i].file) : fw;
	fw = fw > 40 ? 40 : fw;
	if (files)
		printf("%-*s %-32s %12s %12s ", (int)fw, "file", "benchmark", "baseline", "this");
	else
		printf("%-3s ", "#");
	printf("%9s  %-21s %-7s %-6s %s\n", "B/A", "CI", "level", "by",
	       files ? "verdict" : "verdict    command");
	for (size_t i = 0; i < n; i++) {
		const struct comparison *c = &rows[i].c;
		enum value_unit t = (enum value_unit)metric_unit(rows[i].metric);
		char level[16], number[16];

		if (files) {
			size_t len = strlen(rows[i].file);
			char *tail = len > fw ? xasprintf("...%s", rows[i].file + len - (fw - 3)) : NULL;

			printf("%s %s %s %s ", fit_column(fl, sizeof(fl), tail ? tail : rows[i].file, fw),
			       fit_column(nm, sizeof(nm), rows[i].name, 32),
			       pad_left(pa, sizeof(pa), format_metric(a, sizeof(a),
					metric_mean(rows[i].a, rows[i].metric), t), 12),
			       pad_left(pb, sizeof(pb), format_metric(b, sizeof(b),
					metric_mean(rows[i].b, rows[i].metric), t), 12));
			free(tail);
		} else {
			snprintf(number, sizeof(number), "%zu", rows[i].number);
			printf("%-3s ", number);
		}
		snprintf(ci, sizeof(ci), "[%s, %s]", format_ratio(lo, sizeof(lo), c->ci_lo),
			 format_ratio(hi, sizeof(hi), c->ci_hi));
		snprintf(level, sizeof(level), "%.4g%%", 100 * rows[i].level);
		printf("%9s  %-21s %-7s %-6s ", format_ratio(ratio, sizeof(ratio), c->ratio),
		       ci, level, estimator_name(c->estimator));
		if (files)
			printf("%s\n", verdict_name(c->verdict));
		else
			printf("%-10s %s\n", verdict_name(c->verdict), rows[i].name);
	}
	for (size_t i = 0; i < n; i++)
		if (rows[i].c.disagree)
			printf("  %s%s%s: the estimators disagree (median %s, hl %s, mean %s)\n",
			       rows[i].file ? rows[i].file : "", rows[i].file ? ": " : "", rows[i].name,
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

	char **names = xcalloc(n ? n : 1, sizeof(*names));

	for (size_t i = 0; i < n; i++) {
		/* Several files: the row names its file, as the table does. */
		if (rows[i].file)
			names[i] = xasprintf("%s: %s", rows[i].file, rows[i].name);
		out[i].name = names[i] ? names[i] : rows[i].name;
		out[i].metric = rows[i].metric;
		out[i].a_mean = metric_mean(rows[i].a, rows[i].metric);
		out[i].b_mean = metric_mean(rows[i].b, rows[i].metric);
		out[i].c = &rows[i].c;
		out[i].level = rows[i].level;
	}
	ret = export_comparison(path, format, out, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(out);
	return ret;
}

/* Pairs the benchmarks of two files (results_match_benchmarks()) as rows. */
static int match_benchmarks(struct results *ra, struct results *rb,
			    const char *fa, const char *fb,
			    struct row **rows_out, size_t *n_out)
{
	struct benchmark_pair *pairs;
	struct row *rows;
	size_t n;

	if (results_match_benchmarks(ra, rb, fa, fb, &pairs, &n))
		return -1;
	rows = xcalloc(n, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		rows[i].a = pairs[i].a;
		rows[i].b = pairs[i].b;
		rows[i].name = pairs[i].name;
	}
	free(pairs);
	*rows_out = rows;
	*n_out = n;
	return 0;
}

/* What the command line asked for; cfg is owned (compare_args_release). */
struct compare_args {
	struct bench_config cfg;
	struct compare_options copts;
	const char *output, *markdown, *csv;
	const char *baseline;   /* --baseline as given, NULL = the first */
	double fail_if_slower;  /* percent; < 0 when not given */
	char **operands;        /* the commands (live) or result files */
	int nr_operands;        /* 2 or more, or 1: one file holding both sides */
	size_t base;            /* the baseline's index in operands */
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

/*
 * --baseline: digits are a 1-based index, anything else names a command
 * or file as spelt on the command line. 0, or -1 after one error line.
 */
static int resolve_baseline(struct compare_args *args)
{
	const char *what = args->live ? "command" : "file";
	const char *arg = args->baseline;

	if (!arg)
		return 0;
	if (args->nr_operands < 2)
		return error("--baseline needs two or more %ss to choose from", what);
	if (*arg && strspn(arg, "0123456789") == strlen(arg)) {
		unsigned long n;

		if (parse_uint(arg, (unsigned long)args->nr_operands, &n) || !n)
			return error("--baseline %s is out of range: there are %d %ss (1 to %d)",
				     arg, args->nr_operands, what, args->nr_operands);
		args->base = n - 1;
		return 0;
	}
	for (int i = 0; i < args->nr_operands; i++)
		if (!strcmp(args->operands[i], arg)) {
			args->base = (size_t)i;
			return 0;
		}
	return error("--baseline '%s' is none of the %d %ss given (a number, or a %s spelt exactly as given)",
		     arg, args->nr_operands, what, what);
}

/* 0 to go on, 1 after --help was printed, -1 after one error line. */
static int parse_compare_options(int argc, char **argv, struct compare_args *args)
{
	struct option_table t;
	double margin_pct = 1.0;
	enum run_common_result common;
	int opt, seed_given = 0, ret = -1;

	opterr = 0;
	optind = 1;
	option_table_init(&t, "+:", compare_docs);
	while ((opt = run_options_next(argc, argv, t.shortopts, t.longopts,
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
		case OPT_BASELINE:
			args->baseline = optarg;
			break;
		case OPT_MARKDOWN:
			args->markdown = optarg;
			break;
		case OPT_CSV:
			args->csv = optarg;
			break;
		default:
			common = run_common_option(opt, optarg, argc, argv, &args->output, &compare_help,
						   &margin_pct, &args->copts.estimator);
			if (common != RUN_COMMON_GO_ON) {
				ret = common == RUN_COMMON_DONE ? 1 : -1;
				goto out;
			}
			break;
		}
	}
	args->copts.margin = margin_pct / 100.0;
	args->live = optind > 1 && !strcmp(argv[optind - 1], "--");
	if (argc - optind < 2 && (args->live || argc - optind != 1)) {
		error("compare needs two or more commands or result files, not %d (see 'steady compare --help')",
		      argc - optind);
		goto out;
	}
	if (args->live && argc - optind > BENCH_MAX_TOGETHER) {
		error("compare measures at most %d commands together, not %d",
		      BENCH_MAX_TOGETHER, argc - optind);
		goto out;
	}
	args->nr_operands = argc - optind;
	args->operands = argv + optind;
	if (!args->live && args->cfg.save) {
		error("--save records live measurements (compare -- A B); results files are already saved");
		goto out;
	}
	if (resolve_baseline(args) || run_options_check(&args->cfg))
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
	if (!args->live && args->output) {
		error("-o and --json save live measurements; with result files there is nothing new to save");
		goto out;
	}
	if (atomic_prepare_outputs(&args->output, &args->markdown, &args->csv))
		goto out;
	ret = 0;
out:
	option_table_release(&t);
	return ret;
}

/* 1 when the comparison is of several commands or files: a family. */
static int is_family(const struct compare_args *args)
{
	return args->nr_operands > 2;
}

/*
 * The benchmarks of live commands, in command-line order, into live (for
 * two: the baseline first, as A). Names that repeat are told apart: "A: "
 * and "B: " for a pair (an A/A run checks the noise), the command's number
 * in a family. 0, or -1 after one error line.
 */
static int add_live_benchmarks(const struct compare_args *args, struct results *live)
{
	size_t n = (size_t)args->nr_operands;
	int dup = 0;

	for (size_t i = 0; i < n; i++)
		bench_config_copy(&results_add_benchmark(live)->config, &args->cfg);
	for (size_t i = 0; i < n; i++) {
		size_t from = n == 2 && args->base == 1 ? 1 - i : i;

		if (run_set_command(live->benchmarks + i, 1, &args->operands[from]))
			return -1;
	}
	if (n == 2) {
		benchmark_names_apart(&live->benchmarks[0], &live->benchmarks[1]);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			dup |= !strcmp(live->benchmarks[i].name, live->benchmarks[j].name);
	for (size_t i = 0; dup && i < n; i++) {
		char *name = xasprintf("%zu: %s", i + 1, live->benchmarks[i].name);

		free(live->benchmarks[i].name);
		live->benchmarks[i].name = name;
	}
	return 0;
}

/*
 * Live mode: measures every command in rounds into *live until the
 * stopping rule (analyse/sequential.h) says enough, and compares each
 * with the baseline into new rows (*rows, the caller frees them): one row
 * for two commands, n - 1 decided together by Holm for more.
 * 0, or -1 after one error line.
 */
static int compare_live(const struct compare_args *args, struct results *live,
			struct row **rows, size_t *nr_rows)
{
	const struct bench_config *cfg = &args->cfg;
	struct compare_options copts = args->copts;
	size_t n = (size_t)args->nr_operands, base = n == 2 ? 0 : args->base;
	struct benchmark **bs;
	struct progress progress;
	int ret = -1;

	if (add_live_benchmarks(args, live))
		return -1;
	/* Taken after the last add: adding may move the array. */
	bs = xcalloc(n, sizeof(*bs));
	for (size_t i = 0; i < n; i++)
		bs[i] = &live->benchmarks[i];
	copts.paired = 1;
	system_record(live);
	spawn_catch_signals();
	progress_init(&progress);
	if (n == 2) {
		struct sequential rule;
		struct sequential_outcome outcome;
		struct row *row;

		sequential_init(&rule, cfg, &copts, cfg->metric);
		if (bench_execute_rounds(bs, 2, &progress, sequential_enough, &rule) ||
		    sequential_finish(&rule, bs[0], bs[1], &outcome))
			goto out;
		*rows = row = xcalloc(1, sizeof(*row));
		row->a = bs[0];
		row->b = bs[1];
		row->name = bs[1]->name;
		row->metric = cfg->metric;
		row->c = outcome.c;
		row->look = outcome.look;
		row->final_look = outcome.final_look;
		row->unmeasurable = rule.decision == SEQUENTIAL_UNMEASURABLE;
		row->level = 1 - row->c.alpha;
		*nr_rows = 1;
	} else {
		struct sequential_family rule;

		sequential_family_init(&rule, cfg, &copts, cfg->metric, n, base);
		if (bench_execute_rounds(bs, n, &progress, sequential_family_enough, &rule) ||
		    sequential_family_finish(&rule, bs)) {
			sequential_family_release(&rule);
			goto out;
		}
		*rows = xcalloc(rule.m, sizeof(**rows));
		for (size_t i = 0; i < rule.m; i++) {
			struct row *row = &(*rows)[i];
			size_t other = sequential_family_other(&rule, i);

			row->a = bs[base];
			row->b = bs[other];
			row->name = bs[other]->name;
			row->number = other + 1;
			row->metric = cfg->metric;
			row->c = rule.c[i];
			row->look = rule.looks;
			row->final_look = rule.final_look;
			row->unmeasurable = rule.decision == SEQUENTIAL_UNMEASURABLE;
			row->level = 1 - rule.alpha_used[i];
		}
		*nr_rows = rule.m;
		sequential_family_release(&rule);
	}
	for (size_t i = 0; i < n; i++)
		summary_add_warnings(bs[i], cfg->metric);
	ret = 0;
out:
	free(bs);
	return ret;
}

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
	(*rows)->paired = compare_same_rounds(a, b, r->nr_benchmarks);
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
/* Holm's step-down over the rows of several files: row i at alpha. */
struct row_family {
	const struct compare_options *copts;
	struct row *rows;
};

static int row_verdict(void *ctx, size_t i, double alpha, enum verdict *v)
{
	struct row_family *f = ctx;
	struct row *r = &f->rows[i];
	struct compare_options o = *f->copts;

	o.alpha = alpha;
	if (compare_benchmarks(r->a, r->b, r->metric, &o, &r->c))
		return -1;
	*v = r->c.verdict;
	return 0;
}

/* Each row's A (in file_a) and B (in file_b) has something to compare. */
static int check_sides(const struct row *rows, size_t nr_rows, const char *metric,
		       const char *file_a, const char *file_b)
{
	for (size_t i = 0; i < nr_rows; i++)
		if (compare_check_side(rows[i].a, metric, "A", file_a) ||
		    compare_check_side(rows[i].b, metric, "B", file_b))
			return -1;
	return 0;
}

/*
 * The rows of the baseline file against file i, appended to *rows.
 * 0, or -1 after one error line.
 */
static int match_pair(const struct compare_args *args, struct results *rs, size_t i,
		      struct row **rows, size_t *nr_rows)
{
	char *const *files = args->operands;
	char *pair[2] = { files[args->base], files[i] };
	struct row *part = NULL;
	size_t np = 0;

	if (match_benchmarks(&rs[args->base], &rs[i], pair[0], pair[1], &part, &np) ||
	    refuse_same_runs(&rs[args->base], pair, part, np) ||
	    check_sides(part, np, args->cfg.metric, pair[0], pair[1])) {
		free(part);
		return -1;
	}
	*rows = xrealloc(*rows, (*nr_rows + np) * sizeof(**rows));
	for (size_t j = 0; j < np; j++) {
		part[j].file = is_family(args) ? files[i] : NULL;
		(*rows)[*nr_rows + j] = part[j];
	}
	*nr_rows += np;
	free(part);
	return 0;
}

/*
 * 1 when path is a regular file that starts as an ELF binary or a script
 * ("#!"): a program given where a results file goes. pread, so nothing
 * is consumed; a pipe or FIFO is never taken for one.
 */
static int is_program(const char *path)
{
	unsigned char head[4];
	struct stat st;
	ssize_t n;
	int fd;

	/* stat first: opening a FIFO would wake, then drop, its writer */
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	n = pread(fd, head, sizeof(head), 0);
	close(fd);
	return (n == 4 && !memcmp(head, "\177ELF", 4)) || (n >= 2 && !memcmp(head, "#!", 2));
}

/*
 * File mode: reads the result files into rs (one per operand), matches
 * the benchmarks of each file with the baseline's into *rows (the caller
 * frees them) and compares each pair; with three or more files all rows
 * are one family, decided by Holm's step-down. 0, or -1 after one error line.
 */
static int compare_files(const struct compare_args *args, struct results *rs,
			 struct row **rows, size_t *nr_rows)
{
	char *const *files = args->operands;
	size_t n = (size_t)args->nr_operands;
	enum import_format format;

	for (size_t i = 0; i < n; i++) {
		if (!strcmp(files[i], "--"))
			return error("'--' comes before the commands, which are then all of the arguments: "
				     "steady compare [options] -- 'A args' 'B args' (or A B -- ARGS with cache, trace and profile)");
		if (access(files[i], F_OK))
			return error("cannot read '%s': no such file (to benchmark commands, put them after --)",
				     files[i]);
		if (is_program(files[i])) {
			/* a bare name would be looked up on PATH, not here */
			const char *dot = strchr(files[i], '/') ? "" : "./";

			return error("'%s' is a program, not a results file: to measure it, put the commands after --: "
				     "steady compare [options] -- '%s%s ARGS' '%s%s ARGS'", files[i],
				     i ? "A" : dot, i ? "" : files[i], i ? dot : "B", i ? files[i] : "");
		}
	}
	if (n == 1) {
		if (import_results(&rs[0], files[0], &format) ||
		    match_within(&rs[0], files[0], rows, nr_rows) ||
		    check_sides(*rows, *nr_rows, args->cfg.metric, files[0], files[0]))
			return -1;
	} else {
		for (size_t i = 0; i < n; i++)
			if (import_results(&rs[i], files[i], &format))
				return -1;
		for (size_t i = 0; i < n; i++)
			if (i != args->base && match_pair(args, rs, i, rows, nr_rows))
				return -1;
	}
	for (size_t i = 0; i < *nr_rows; i++)
		(*rows)[i].metric = args->cfg.metric;
	if (is_family(args)) {
		struct row_family f = { &args->copts, *rows };
		unsigned *step = xcalloc(*nr_rows, sizeof(*step));
		double *used = xcalloc(*nr_rows, sizeof(*used));
		int decided = holm_decide(*nr_rows, args->copts.alpha, row_verdict, &f, step, used);

		for (size_t i = 0; decided >= 0 && i < *nr_rows; i++)
			(*rows)[i].level = 1 - used[i];
		free(step);
		free(used);
		return decided < 0 ? -1 : 0;
	}
	for (size_t i = 0; i < *nr_rows; i++) {
		struct row *r = &(*rows)[i];
		struct compare_options o = args->copts;

		o.paired = r->paired;
		if (compare_benchmarks(r->a, r->b, r->metric, &o, &r->c))
			return -1;
		r->level = 1 - r->c.alpha;
	}
	return 0;
}

/* 1 when a run of one of the n benchmarks timed out (its value left out). */
static int any_timed_out(const struct benchmark *const *bs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < bs[i]->nr_runs; j++)
			if (bs[i]->runs[j].timed_out)
				return 1;
	return 0;
}

/*
 * Several commands: each one's summary, the rows against the baseline,
 * how the family was decided. Several files: the rows and the family.
 */
static void print_family(const struct compare_args *args, const struct row *rows,
			 size_t nr_rows, const struct results *live)
{
	double alpha = args->copts.alpha;
	const struct row *r = &rows[0];

	if (!args->live) {
		printf("baseline: %s\n", args->operands[args->base]);
		print_family_table(rows, nr_rows, 1);
		printf("Holm over %zu rows (%d files against the baseline): the chance of any false verdict in the table stays within %g%%\n",
		       nr_rows, args->nr_operands - 1, 100 * alpha);
		return;
	}
	{
		const struct benchmark **bs = xcalloc(live->nr_benchmarks, sizeof(*bs));
		size_t na = r->c.na, runs_same = 1;

		for (size_t i = 0; i < live->nr_benchmarks; i++) {
			char label[24];

			bs[i] = &live->benchmarks[i];
			snprintf(label, sizeof(label), "%zu", i + 1);
			print_side_noted(label, bs[i], r->metric, i == args->base ? "   (baseline)" : "");
		}
		print_family_table(rows, nr_rows, 0);
		for (size_t i = 0; i < nr_rows; i++)
			runs_same &= rows[i].c.na == na && rows[i].c.nb == na;
		if (runs_same)
			printf("         %zu run%s each, interleaved in random order%s\n", na,
			       na == 1 ? "" : "s", args->cfg.randomize ? ", env-randomised" : "");
		else
			printf("         interleaved in random order%s; the run counts differ (%s)\n",
			       args->cfg.randomize ? ", env-randomised" : "",
			       any_timed_out(bs, live->nr_benchmarks) ?
			       "timed-out runs are left out" : "an interrupted round");
		if (r->final_look)
			printf("         final look (%u) %s: Holm over %zu comparisons at a %.4g%% family level; all looks together keep %g%%\n",
			       r->look, final_look_reason(r), nr_rows, 100 * (1 - alpha / 2),
			       100 * (1 - alpha));
		else if (r->look)
			printf("         decided at look %u (n doubles between looks): Holm over %zu comparisons at a %.4g%% family level; all looks together keep %g%%\n",
			       r->look, nr_rows, 100 * (1 - compare_look_alpha(alpha / 2, r->look)),
			       100 * (1 - alpha));
		else
			printf("         Holm over %zu comparisons at a %g%% family level\n", nr_rows,
			       100 * (1 - alpha));
		summary_print_family_warnings(stdout, bs, live->nr_benchmarks);
		free(bs);
	}
}

static void print_comparison(const struct compare_args *args, const struct row *rows,
			     size_t nr_rows, const struct results *live)
{
	if (is_family(args)) {
		print_family(args, rows, nr_rows, live);
	} else if (args->live) {
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
 * Live mode: a command none of whose runs could be measured (every one
 * timed out under -i, or an interrupt came before it ran) would be
 * compared as UNRESOLVED, which says "measure more" where nothing can be
 * compared. Says so in one error line per such command, named as the
 * output names it: "side A" of two, "command N" of a family; a failed run
 * (no -i) has said its own line already, which is the one that tells.
 * The number of such commands.
 */
static size_t say_unmeasured(const struct compare_args *args, const struct results *live)
{
	size_t n = live->nr_benchmarks, nr_unmeasured = 0;

	for (size_t i = 0; i < n; i++) {
		const struct benchmark *b = &live->benchmarks[i];
		char *who;

		if (benchmark_has_measured_run(b))
			continue;
		nr_unmeasured++;
		if (b->stop == STOP_FAILED)
			continue;
		if (n == 2)
			who = xasprintf("side %c ('%s')", i ? 'B' : 'A', b->name);
		else
			who = xasprintf("command %zu%s ('%s')", i + 1,
					i == args->base ? ", the baseline," : "", b->name);
		compare_check_measured(b, args->cfg.metric, who);
		free(who);
	}
	return nr_unmeasured;
}

/* 1 when some row has runs of both its sides to compare. */
static int any_row_measured(const struct row *rows, size_t nr_rows)
{
	for (size_t i = 0; i < nr_rows; i++)
		if (benchmark_has_measured_run(rows[i].a) && benchmark_has_measured_run(rows[i].b))
			return 1;
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
	int ret = EXIT_OK;

	if (args->fail_if_slower < 0)
		return EXIT_OK;
	/* One line per row that trips it: exit 1 also means a failed command. */
	for (size_t i = 0; i < nr_rows; i++)
		if (rows[i].c.verdict == VERDICT_SLOWER &&
		    rows[i].c.ratio - 1.0 > args->fail_if_slower / 100.0) {
			fprintf(stderr, "steady: slower: '%s' by %.1f%% [%+.1f%%, %+.1f%%], "
				"more than --fail-if-slower %g%%\n", rows[i].name,
				(rows[i].c.ratio - 1) * 100, (rows[i].c.ci_lo - 1) * 100,
				(rows[i].c.ci_hi - 1) * 100, args->fail_if_slower);
			ret = EXIT_FAILED;
		}
	return ret;
}


int cmd_compare(int argc, char **argv)
{
	struct compare_args args;
	struct results live, *rs = NULL;
	struct row *rows = NULL;
	size_t nr_rows = 0, nr_rs = 0;
	int parsed, ret = EXIT_USAGE, save_failed = 0;

	results_init(&live);
	compare_args_init(&args);
	parsed = parse_compare_options(argc, argv, &args);
	if (parsed) {
		ret = parsed > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (args.live) {
		if (compare_live(&args, &live, &rows, &nr_rows))
			goto out;
		/*
		 * A results file or a store that fails does not hide the
		 * verdict measured: said before it (the runs then kept in
		 * $TMPDIR), exit 2.
		 */
		save_failed = results_save(&live, args.output);
		save_failed |= run_history_save(&live, &args.cfg, "compare");
	} else {
		nr_rs = (size_t)args.nr_operands;
		rs = xcalloc(nr_rs, sizeof(*rs));
		for (size_t i = 0; i < nr_rs; i++)
			results_init(&rs[i]);
		if (compare_files(&args, rs, &rows, &nr_rows))
			goto out;
	}
	/*
	 * Live, a side with no measured run has no verdict, not an
	 * UNRESOLVED one: its error line instead (the runs were saved), exit 1
	 * as for a failed run, or 130 when interrupted. A family still shows
	 * the rows that could be compared.
	 */
	if (!args.live || any_row_measured(rows, nr_rows))
		print_comparison(&args, rows, nr_rows, &live);
	ret = compare_exit_code(&args, rows, nr_rows);
	if (args.live && say_unmeasured(&args, &live) && ret == EXIT_OK)
		ret = EXIT_FAILED;
	if (write_exports(&args, rows, nr_rows) || save_failed)
		ret = spawn_exit_code(EXIT_USAGE);
out:
	free(rows);
	compare_args_release(&args);
	results_release(&live);
	for (size_t i = 0; i < nr_rs; i++)
		results_release(&rs[i]);
	free(rs);
	return ret;
}
