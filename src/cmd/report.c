/*
 * report: `steady report` — one self-contained HTML page with SVG charts
 * of the files other commands saved, readable offline and printable.
 *
 *   steady report [--margin PCT] -o report.html FILE...
 *
 * Every input is read before anything is written: a file steady cannot
 * read is one error line and exit 2, and no page. The page is written
 * through the atomic writer, so a failure half-way leaves nothing either.
 * Which results are A and B is decided here (input_pairs()); what is
 * drawn for each kind is src/report/'s.
 */
#include "cmd/builtin.h"
#include "analyse/compare.h"
#include "formats/import.h"
#include "formats/jsoncolumns.h"
#include "formats/jsonfile.h"
#include "formats/results.h"
#include "lib/atomic_file.h"
#include "lib/optdoc.h"
#include "lib/util.h"
#include "report/html.h"
#include "report/report.h"
#include "store/history.h"
#include "measure/run_options.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char report_usage_head[] =
"usage: steady report [options] -o report.html FILE...\n"
"       steady report [options] -o report.html --history NAME [FILE...]\n"
"\n"
"Draws what saved files hold as one HTML page with SVG charts, each with\n"
"its table: the runs of every benchmark in order, the distributions of A\n"
"and B, B/A with its interval against the margin, counts, a layout's\n"
"variants, a sweep's ranking, a bisection's steps, Cachegrind and trace\n"
"deltas, a profile's flame graphs. FILEs are results (steady, hyperfine\n"
"--export-json, pyperf) and the files of cache -o, trace -o, profile -o\n"
"and bisect --log. Two results files in a row are A and B when each holds\n"
"one benchmark or both the same names (matched as `steady compare A B`);\n"
"any other file of two benchmarks is A and B itself (`steady compare FILE`).\n"
"With --history NAME, the page also draws NAME's series from the history\n"
"store (--save): per machine each revision's median and interval, and\n"
"the steps `steady history trend` finds.\n"
"The page needs no network: no script, font or style sheet from elsewhere.\n"
"\n";

static const char report_usage_tail[] =
"\n"
"Exit codes: 0 written, 2 bad usage or a file that cannot be read (one\n"
"line; no page is written).\n";

enum { OPT_REPORT_MARGIN = 256, OPT_REPORT_HISTORY, OPT_REPORT_DB, OPT_REPORT_METRIC };

static const struct option_doc report_options[] = {
	OPTDOC("o", "output", 'o', "FILE", "the page to write (required)"),
	OPTDOC(NULL, "margin", OPT_REPORT_MARGIN, "PCT",
	       "practical margin of B/A in percent, as compare's (default 1)"),
	OPTDOC(NULL, "history", OPT_REPORT_HISTORY, "NAME",
	       "also draw benchmark NAME's series from the history\n"
	       "store, per machine, with its steps (steady history)"),
	OPTDOC(NULL, "db", OPT_REPORT_DB, "DB",
	       "the history store: a file, or a postgresql:// URL\n"
	       "(default $XDG_DATA_HOME/steady/history.db)"),
	OPTDOC(NULL, "metric", OPT_REPORT_METRIC, "M",
	       "the series' metric (default: the one its latest\n"
	       "save analysed)"),
	OPTION_HELP,
	OPTION_VERSION,
	OPTDOC_END
};

enum input_kind { IN_RESULTS, IN_LAYOUT, IN_SWEEP, IN_CACHE, IN_TRACE, IN_PROFILE, IN_BISECT };

struct input {
	const char *path;
	enum input_kind kind;
	struct results res;     /* results, layout and sweep files */
	json_t *root;           /* the other kinds */
	int side;               /* results: 0 A, 1 B, -1 neither */
};

static const struct {
	const char *format;
	enum input_kind kind;
	const char *what;
} json_kinds[] = {
	{ "steady-cache", IN_CACHE, "cache comparison" },
	{ "steady-trace", IN_TRACE, "trace comparison" },
	{ "steady-profile", IN_PROFILE, "profile" },
	{ "steady-bisect", IN_BISECT, "bisect log" },
};

/*
 * Reads one input, once (a pipe reads like a file); 0, or -1 after one
 * error line.
 */
static int read_input(struct input *in)
{
	struct packed_columns columns;
	json_t *root, *format;
	const char *name;
	int ret = -1;

	packed_columns_init(&columns);
	root = results_load_json(&in->res, in->path, &columns);
	if (!root)
		return -1;
	format = json_is_object(root) ? json_object_get(root, "format") : NULL;
	name = json_is_string(format) ? json_string_value(format) : NULL;
	for (size_t i = 0; name && i < sizeof(json_kinds) / sizeof(*json_kinds); i++) {
		if (strcmp(name, json_kinds[i].format))
			continue;
		if (json_file_check_kind(root, in->path, name, json_kinds[i].what, 1) < 0)
			goto out;
		if (packed_columns_unpack(root, &columns)) {
			error("cannot read '%s': %s", in->path, strerror(ENOMEM));
			goto out;
		}
		in->kind = json_kinds[i].kind;
		in->root = json_incref(root);
		ret = 0;
		goto out;
	}
	if (name && strcmp(name, RESULTS_FORMAT_NAME) && !strncmp(name, "steady-", 7)) {
		error("cannot read '%s': a %s file has nothing to report (report reads results and the files of cache, trace, profile and bisect)",
		      in->path, name);
		goto out;
	}
	/* results: steady's own, hyperfine's or pyperf's */
	if (import_from_json(&in->res, in->path, root, &columns, NULL))
		goto out;
	in->kind = in->res.layout ? IN_LAYOUT : in->res.sweep ? IN_SWEEP : IN_RESULTS;
	ret = 0;
out:
	json_decref(root);
	packed_columns_release(&columns);
	return ret;
}

/* A and B to compare: a pair of benchmarks, their files and what to call it. */
struct pair {
	const struct benchmark *a, *b;
	const char *file_a, *file_b;
	char *title;
	int paired;     /* one file's sides, measured in the same rounds */
};

/*
 * Adds the pair, or refuses it after one error line when a side has
 * nothing to compare (compare_check_side()). title is the pair's (or freed).
 */
static int add_pair(struct pair **pairs, size_t *n, const struct benchmark *a,
		    const char *file_a, const struct benchmark *b, const char *file_b,
		    char *title)
{
	/* the memory file of pyperf --track-memory has no wall times to check */
	if (compare_check_side(a, NULL, "A", file_a) ||
	    compare_check_side(b, NULL, "B", file_b)) {
		free(title);
		return -1;
	}
	*pairs = xrealloc(*pairs, (*n + 1) * sizeof(**pairs));
	(*pairs)[(*n)++] = (struct pair){ a, b, file_a, file_b, title, 0 };
	return 0;
}

/*
 * The benchmarks of file A and file B, paired as `steady compare A B`
 * pairs them (results_match_benchmarks()). 0, or -1 after one error line.
 */
static int match_files(struct input *ia, struct input *ib, struct pair **pairs, size_t *n)
{
	struct benchmark_pair *bp;
	size_t nr;
	int ret = 0;

	if (results_match_benchmarks(&ia->res, &ib->res, ia->path, ib->path, &bp, &nr))
		return -1;
	for (size_t i = 0; i < nr && !ret; i++)
		ret = add_pair(pairs, n, bp[i].a, ia->path, bp[i].b, ib->path,
			       nr == 1 && ia->res.nr_benchmarks == 1 && ib->res.nr_benchmarks == 1 ?
			       xasprintf("%s against %s", ib->path, ia->path) :
			       xasprintf("%s: %s against %s", bp[i].name, ib->path, ia->path));
	free(bp);
	return ret;
}

/*
 * 1 when results files x and y are A and B of each other: one benchmark
 * each, or the same names in both (as `steady compare X Y` would match
 * every benchmark).
 */
static int files_match(const struct input *x, const struct input *y)
{
	const struct results *a = &x->res, *b = &y->res;

	if (a->nr_benchmarks == 1 && b->nr_benchmarks == 1)
		return 1;
	if (a->nr_benchmarks != b->nr_benchmarks)
		return 0;
	for (size_t i = 0; i < a->nr_benchmarks; i++) {
		size_t j = 0;

		while (j < b->nr_benchmarks && strcmp(a->benchmarks[i].name, b->benchmarks[j].name))
			j++;
		if (j == b->nr_benchmarks)
			return 0;
	}
	return 1;
}

/* A results file (or layout file) that is A and B in itself, as `steady compare FILE`. */
static int pair_within(struct input *in, struct pair **pairs, size_t *n)
{
	const struct benchmark *a = NULL, *b = NULL;

	if (in->kind == IN_RESULTS && in->res.nr_benchmarks == 2) {
		a = &in->res.benchmarks[0];
		b = &in->res.benchmarks[1];
	} else if (in->kind == IN_LAYOUT) {
		const struct results_layout *l = in->res.layout;

		for (size_t v = 0; v < l->nr_variants; v++)
			if (l->variants[v].is_default)
				*(l->variants[v].side == 'A' ? &a : &b) =
					&in->res.benchmarks[l->variants[v].benchmark];
	}
	if (!a || !b)
		return 0;
	if (add_pair(pairs, n, a, in->path, b, in->path,
		     xasprintf("%s: %s against %s", in->path, b->name, a->name)))
		return -1;
	(*pairs)[*n - 1].paired = compare_same_rounds(a, b, in->res.nr_benchmarks);
	return 0;
}

/*
 * Which benchmarks are A and B. Results files in the order given: two in
 * a row that match (files_match()) are A and B; a file that does not
 * pair so is A and B in itself when it holds two benchmarks; a layout
 * file's default builds are its A and B. 0, or -1 after one error line.
 */
static int input_pairs(struct input *ins, size_t nr, struct pair **pairs, size_t *n)
{
	struct input *pending = NULL;

	for (size_t i = 0; i < nr; i++) {
		struct input *in = &ins[i];

		if (in->kind == IN_LAYOUT) {
			if (pair_within(in, pairs, n))
				return -1;
			continue;
		}
		if (in->kind != IN_RESULTS)
			continue;
		if (pending && files_match(pending, in)) {
			pending->side = 0;
			in->side = 1;
			if (match_files(pending, in, pairs, n))
				return -1;
			pending = NULL;
			continue;
		}
		if (pending && pair_within(pending, pairs, n))
			return -1;
		pending = in;
	}
	return pending ? pair_within(pending, pairs, n) : 0;
}

static const char *kind_name(const struct input *in)
{
	static const char *const names[] = {
		[IN_RESULTS] = "results", [IN_LAYOUT] = "layout", [IN_SWEEP] = "sweep",
		[IN_CACHE] = "Cachegrind comparison", [IN_TRACE] = "trace comparison",
		[IN_PROFILE] = "profile", [IN_BISECT] = "bisection",
	};
	return names[in->kind];
}

static int write_page(struct report *r, struct input *ins, size_t nr, const struct pair *pairs,
		      size_t nr_pairs)
{
	FILE *f = r->f;
	char when[32], *subtitle;
	time_t now = time(NULL);
	struct tm tm;
	size_t len = 0;
	int ret = 0;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime_r(&now, &tm));
	for (size_t i = 0; i < nr; i++)
		len += strlen(ins[i].path) + 2;
	subtitle = xcalloc(len + 64, 1);
	snprintf(subtitle, len + 64, nr ? "written %s from: " : "written %s from the history store",
		 when);
	for (size_t i = 0; i < nr; i++) {
		strcat(subtitle, ins[i].path);
		if (i + 1 < nr)
			strcat(subtitle, ", ");
	}
	html_begin(f, "steady report", subtitle);
	free(subtitle);
	if (r->series) {
		char *heading = xasprintf("%s over revisions (history)", r->series_name);

		html_heading(f, 2, "history", heading);
		free(heading);
		report_history(r, r->series);
	}
	if (nr_pairs) {
		html_heading(f, 2, "ab", "A against B");
		for (size_t i = 0; i < nr_pairs; i++)
			if (report_pair(r, pairs[i].title, pairs[i].paired, pairs[i].a, pairs[i].b))
				ret = -1;
	}
	for (size_t i = 0; i < nr && !ret; i++) {
		struct input *in = &ins[i];
		char *heading = xasprintf("%s (%s%s)", in->path, kind_name(in),
					  in->side == 0 ? ", A" : in->side == 1 ? ", B" : "");

		html_heading(f, 2, NULL, heading);
		free(heading);
		switch (in->kind) {
		case IN_RESULTS:
			report_results(r, in->path, &in->res);
			break;
		case IN_LAYOUT:
			report_layout(r, in->path, &in->res);
			break;
		case IN_SWEEP:
			report_sweep(r, in->path, &in->res);
			break;
		case IN_CACHE:
			ret = report_cache(r, in->path, in->root);
			break;
		case IN_TRACE:
			ret = report_trace(r, in->path, in->root);
			break;
		case IN_PROFILE:
			ret = report_profile(r, in->path, in->root);
			break;
		case IN_BISECT:
			ret = report_bisect(r, in->path, in->root);
			break;
		}
	}
	html_end(f);
	return ret;
}

static int report_main(int argc, char **argv, const struct option_table *t)
{
	const char *output = NULL, *history_name = NULL, *db = NULL, *metric = NULL;
	struct history_series series;
	int have_series = 0;
	struct report r = { 0 };
	struct input *ins = NULL;
	struct pair *pairs = NULL;
	size_t nr = 0, nr_pairs = 0;
	double margin;
	char *tmp;
	int opt, ret = EXIT_USAGE;

	compare_options_init(&r.copts);
	opterr = 0;
	optind = 1;
	while ((opt = option_next(argc, argv, t->shortopts, t->longopts)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case OPT_REPORT_HISTORY:
			history_name = optarg;
			break;
		case OPT_REPORT_DB:
			db = optarg;
			break;
		case OPT_REPORT_METRIC:
			if (metric_check(optarg))
				return EXIT_USAGE;
			metric = optarg;
			break;
		case OPT_REPORT_MARGIN:
			if (parse_number(optarg, &margin) || margin >= 100)
				return error("--margin takes a percentage from 0 to 100, not '%s'", optarg),
				       EXIT_USAGE;
			r.copts.margin = margin / 100;
			break;
		case 'h':
			fputs(report_usage_head, stdout);
			option_docs_print(stdout, report_options);
			fputs(report_usage_tail, stdout);
			return EXIT_OK;
		case 'V':
			print_version();
			return EXIT_OK;
		default:
			option_error("report", opt, argc, argv);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc && !history_name)
		return error("report needs at least one file, or --history NAME (see 'steady report --help')"),
		       EXIT_USAGE;
	if ((db || metric) && !history_name)
		return error("--db and --metric choose what --history draws: give --history NAME"),
		       EXIT_USAGE;
	if (!output)
		return error("report needs -o FILE, the page to write (see 'steady report --help')"),
		       EXIT_USAGE;
	if (atomic_check_writable(output))
		return EXIT_USAGE;
	nr = (size_t)(argc - optind);
	ins = xcalloc(nr, sizeof(*ins));
	for (size_t i = 0; i < nr; i++) {
		ins[i].path = argv[optind + (int)i];
		ins[i].side = -1;
		results_init(&ins[i].res);
	}
	for (size_t i = 0; i < nr; i++)
		if (read_input(&ins[i]))
			goto out;
	if (input_pairs(ins, nr, &pairs, &nr_pairs))
		goto out;
	if (history_name) {
		struct history h;
		struct changepoint_options steps;
		int failed;

		/* Read before anything is written, as the files are. */
		if (history_open(&h, db, 0))
			goto out;
		/* The steps as `history trend --margin` finds them: the report's margin. */
		changepoint_options_init(&steps);
		steps.margin = r.copts.margin;
		failed = history_series_with(&h, history_name, metric, &steps, &series);
		history_close(&h);
		if (failed)
			goto out;
		have_series = 1;
		r.series = &series;
		r.series_name = history_name;
	}
	r.f = atomic_open(output, &tmp);
	if (!r.f)
		goto out;
	if (write_page(&r, ins, nr, pairs, nr_pairs)) {
		atomic_abort(r.f, tmp);
		goto out;
	}
	if (atomic_commit(r.f, tmp, output))
		goto out;
	if (!atomic_names_stdout(output))
		printf("written: %s\n", output);
	ret = EXIT_OK;
out:
	for (size_t i = 0; i < nr_pairs; i++)
		free(pairs[i].title);
	free(pairs);
	if (have_series)
		history_series_release(&series);
	for (size_t i = 0; i < nr; i++) {
		results_release(&ins[i].res);
		json_decref(ins[i].root);
	}
	free(ins);
	return ret;
}

int cmd_report(int argc, char **argv)
{
	struct option_table t;
	int ret;

	option_table_init(&t, ":", report_options);
	ret = report_main(argc, argv, &t);
	option_table_release(&t);
	return ret;
}
