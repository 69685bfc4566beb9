/*
 * history: `steady history` — what --save recorded, over time.
 *
 *   steady history list                    the benchmarks in the store
 *   steady history show NAME               every save of one
 *   steady history trend NAME [--metric M] its series per machine and steps
 *
 * The store and its queries are store/history.h; the step search is
 * analyse/changepoint.h. This file parses the options, prints tables and
 * decides the exit code (--fail-if-regressed). It owns the store handle
 * and what it read.
 */
#include "cmd/builtin.h"
#include "analyse/changepoint.h"
#include "measure/run_options.h"
#include "store/history.h"
#include "lib/units.h"
#include "lib/util.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char history_usage_head[] =
"usage: steady history list [--db DB]\n"
"       steady history show NAME [--db DB]\n"
"       steady history trend NAME [--metric M] [--margin PCT] [--fail-if-regressed PCT]\n"
"                                 [--db DB]\n"
"\n"
"What run, compare, stat, layout and sweep recorded with --save, keyed by\n"
"benchmark name, revision, machine (host, CPU, kernel, tuned or not) and\n"
"date (docs/history.md).\n"
"list   every benchmark saved: how many saves, revisions and machines\n"
"show   every save of NAME: date, revision, machine, runs, median\n"
"trend  NAME's median per revision, one series per machine (machines are\n"
"       never mixed), and the revisions where the level stepped: each\n"
"       candidate judged with revisions' medians as the units, the whole\n"
"       series kept within a 5% error rate, then each boundary by compare's\n"
"       interval on the runs of both sides\n"
"\n";

static const char history_usage_tail[] =
"\n"
"Exit codes: 0 done, 1 --fail-if-regressed tripped, 2 bad usage or input\n"
"(no such benchmark or metric, a store that is missing, damaged or not\n"
"steady's).\n";

enum { OPT_HDB = OPT_COMMAND_BASE, OPT_HMETRIC, OPT_HMARGIN, OPT_FAIL_IF_REGRESSED };

static const struct option_doc history_options[] = {
	OPTDOC(NULL, "db", OPT_HDB, "DB",
	       "the store: a file, or a postgresql:// URL (default\n"
	       "$XDG_DATA_HOME/steady/history.db)"),
	OPTDOC(NULL, "metric", OPT_HMETRIC, "M",
	       "trend: the metric (default: the one the latest save\n"
	       "analysed); wall, cpu, user, sys, maxrss or a count"),
	OPTDOC(NULL, "margin", OPT_HMARGIN, "PCT",
	       "trend: steps within +-PCT% do not count (default 1)"),
	OPTDOC(NULL, "fail-if-regressed", OPT_FAIL_IF_REGRESSED, "PCT",
	       "trend: exit 1 when a machine's latest step is a\n"
	       "regression of more than PCT%, naming the revision"),
	OPTION_VERSION,
	OPTION_HELP,
	OPTDOC_END
};

struct history_args {
	const char *db;
	const char *metric;
	double margin_pct;
	double fail_pct;        /* < 0 when not given */
	const char *sub;
	const char *name;
};

/* 0; 1 after --help or --version; -1 after one error line. */
static int parse_args(int argc, char **argv, struct history_args *a)
{
	struct option_table t;
	int opt, ret = 0;

	memset(a, 0, sizeof(*a));
	a->margin_pct = 1;
	a->fail_pct = -1;
	option_table_init(&t, ":", history_options);
	opterr = 0;
	optind = 1;
	while (!ret && (opt = option_next(argc, argv, t.shortopts, t.longopts)) != -1) {
		switch (opt) {
		case OPT_HDB:
			a->db = optarg;
			break;
		case OPT_HMETRIC:
			if (metric_check(optarg))
				ret = -1;
			a->metric = optarg;
			break;
		case OPT_HMARGIN:
			ret = run_margin_parse(optarg, &a->margin_pct);
			break;
		case OPT_FAIL_IF_REGRESSED:
			if (parse_number(optarg, &a->fail_pct))
				ret = error("invalid value for --fail-if-regressed: '%s' (expected a percentage, e.g. 5)",
					    optarg);
			break;
		case 'V':
			print_version();
			ret = 1;
			break;
		case 'h':
			fputs(history_usage_head, stdout);
			option_docs_print(stdout, history_options);
			fputs(history_usage_tail, stdout);
			ret = 1;
			break;
		default:
			ret = option_error("history", opt, argc, argv);
			break;
		}
	}
	option_table_release(&t);
	if (ret)
		return ret;
	if (optind >= argc)
		return error("history needs a subcommand: list, show NAME or trend NAME (see 'steady history --help')");
	a->sub = argv[optind++];
	if (!strcmp(a->sub, "list")) {
		if (optind < argc)
			return error("history list takes no operands, not '%s'", argv[optind]);
	} else if (!strcmp(a->sub, "show") || !strcmp(a->sub, "trend")) {
		if (optind >= argc)
			return error("history %s needs the name of a benchmark (see 'steady history list')",
				     a->sub);
		a->name = argv[optind++];
		if (optind < argc)
			return error("history %s takes one benchmark name, not also '%s'", a->sub,
				     argv[optind]);
	} else {
		return error("unknown history subcommand '%s' (list, show or trend)", a->sub);
	}
	if (strcmp(a->sub, "trend") && (a->metric || a->fail_pct >= 0))
		return error("%s goes with history trend",
			     a->metric ? "--metric" : "--fail-if-regressed");
	return 0;
}

/* A revision as printed: a commit shortened to 12 digits, "+dirty" when so. */
static const char *revision_label(const char *rev, int dirty)
{
	static char buf[96];
	size_t len = strlen(rev), hex = strspn(rev, "0123456789abcdef");

	snprintf(buf, sizeof(buf), "%.*s%s", len == 40 && hex == 40 ? 12 : 80, rev,
		 dirty ? "+dirty" : "");
	return buf;
}

static void print_machine(const struct history_machine *m)
{
	printf("%s: %s (%d CPU%s, %s), %s, %s\n", m->host, m->cpu_model, m->cpu_count,
	       m->cpu_count == 1 ? "" : "s", m->arch, m->kernel, m->tuned ? "tuned" : "not tuned");
}

static int history_list_cmd(struct history *h)
{
	struct history_list l;

	if (history_list(h, &l))
		return EXIT_USAGE;
	if (!l.nr)
		printf("no saved results in %s\n", h->where);
	else
		printf("%-36s %6s %10s %9s  %-20s  %s\n", "benchmark", "saves", "revisions",
		       "machines", "first", "last");
	for (size_t i = 0; i < l.nr; i++)
		printf("%-36s %6zu %10zu %9zu  %-20s  %s\n", l.e[i].name, l.e[i].saves,
		       l.e[i].revisions, l.e[i].machines, l.e[i].first, l.e[i].last);
	history_list_release(&l);
	return EXIT_OK;
}

static void format_interval(char *buf, size_t size, double lo, double hi, int unit)
{
	char a[32], b[32];

	if (isnan(lo) || isnan(hi)) {
		snprintf(buf, size, "(too few runs)");
		return;
	}
	snprintf(buf, size, "[%s, %s]", format_metric(a, sizeof(a), lo, unit),
		 format_metric(b, sizeof(b), hi, unit));
}

static int history_show_cmd(struct history *h, const char *name)
{
	struct history_saves l;
	long long machine = -1;

	if (history_show(h, name, &l))
		return EXIT_USAGE;
	printf("'%s': %zu save%s\n", name, l.nr, l.nr == 1 ? "" : "s");
	for (size_t i = 0; i < l.nr; i++) {
		const struct history_save *s = &l.s[i];
		char est[32], iv[80];
		int unit = metric_unit(s->metric);

		if (s->machine.id != machine) {
			printf("\n");
			print_machine(&s->machine);
			printf("  %-20s  %-18s %-8s %-12s %6s %12s  %s\n", "date", "revision",
			       "command", "metric", "runs", "median", "95% interval");
			machine = s->machine.id;
		}
		if (isnan(s->estimate))
			snprintf(est, sizeof(est), "-");
		else
			format_metric(est, sizeof(est), s->estimate, unit);
		format_interval(iv, sizeof(iv), s->lo, s->hi, unit);
		printf("  %-20s  %-18s %-8s %-12s %6zu %12s  %s\n", s->date,
		       revision_label(s->revision, s->dirty), s->command, s->metric, s->runs,
		       est, iv);
	}
	history_saves_release(&l);
	return EXIT_OK;
}

static void print_step(const struct history_machine_series *m, const struct changepoint *c)
{
	printf("  step at %s: %+.1f%% [%+.1f%%, %+.1f%%], %s\n",
	       revision_label(m->points[c->at].revision, m->points[c->at].dirty),
	       (c->c.ratio - 1) * 100, (c->c.ci_lo - 1) * 100, (c->c.ci_hi - 1) * 100,
	       verdict_name(c->c.verdict));
}

static void print_series(const struct history_series *s, const struct history_machine_series *m)
{
	printf("\n");
	print_machine(&m->machine);
	printf("  %-18s  %-20s %6s %12s  %s\n", "revision", "date", "runs", "median", "95% interval");
	for (size_t i = 0; i < m->nr_points; i++) {
		const struct history_point *p = &m->points[i];
		char est[32], iv[80];

		format_metric(est, sizeof(est), p->estimate, s->unit);
		format_interval(iv, sizeof(iv), p->lo, p->hi, s->unit);
		printf("  %-18s  %-20s %6zu %12s  %s\n", revision_label(p->revision, p->dirty),
		       p->date, p->n, est, iv);
	}
	if (!m->steps.nr)
		printf("  no step beyond the %g%% margin\n", s->options.margin * 100);
	for (size_t i = 0; i < m->steps.nr; i++)
		print_step(m, &m->steps.steps[i]);
}

static int history_trend_cmd(struct history *h, const struct history_args *a)
{
	struct changepoint_options o;
	struct history_series s;
	int ret = EXIT_OK;

	changepoint_options_init(&o);
	o.margin = a->margin_pct / 100;
	if (history_series_with(h, a->name, a->metric, &o, &s))
		return EXIT_USAGE;
	printf("'%s': %s by revision, %zu machine%s; steps found at a %g%% error rate over\n"
	       "each series (revisions' medians as the units, each candidate at\n"
	       "alpha / (P(P-1)/2)), each boundary then by compare's %s, beyond a %g%% margin\n",
	       s.name, metric_label(s.metric), s.nr_machines, s.nr_machines == 1 ? "" : "s",
	       o.alpha * 100, estimator_description(estimator_resolve(o.estimator, 0), 0),
	       o.margin * 100);
	for (size_t k = 0; k < s.nr_machines; k++)
		print_series(&s, &s.machines[k]);
	if (a->fail_pct >= 0)
		for (size_t k = 0; k < s.nr_machines; k++) {
			const struct history_machine_series *m = &s.machines[k];
			const struct changepoint *c = history_latest_regression(m);

			if (!c || c->c.ratio - 1 <= a->fail_pct / 100)
				continue;
			fprintf(stderr, "steady: regression: '%s' on %s: revision %s raised %s by %.1f%% "
				"[%+.1f%%, %+.1f%%], more than --fail-if-regressed %g%%\n",
				s.name, m->machine.host,
				revision_label(m->points[c->at].revision, m->points[c->at].dirty),
				metric_label(s.metric), (c->c.ratio - 1) * 100,
				(c->c.ci_lo - 1) * 100, (c->c.ci_hi - 1) * 100, a->fail_pct);
			ret = EXIT_FAILED;
		}
	history_series_release(&s);
	return ret;
}

int cmd_history(int argc, char **argv)
{
	struct history_args a;
	struct history h;
	int ret;

	ret = parse_args(argc, argv, &a);
	if (ret)
		return ret > 0 ? EXIT_OK : EXIT_USAGE;
	if (history_open(&h, a.db, 0))
		return EXIT_USAGE;
	if (!strcmp(a.sub, "list"))
		ret = history_list_cmd(&h);
	else if (!strcmp(a.sub, "show"))
		ret = history_show_cmd(&h, a.name);
	else
		ret = history_trend_cmd(&h, &a);
	history_close(&h);
	return ret;
}
