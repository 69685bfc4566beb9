/*
 * test_optdoc: a command's getopt table and the options part of its --help
 * come from the same option_doc entries. A small fixed array prints
 * exactly the expected text and builds exactly the expected table; for
 * the shared measuring options (run_option_docs, run_metric_docs), every
 * option getopt accepts is named on an option line of the printed help,
 * and every option line names one getopt accepts.
 */
#include "unit_fixture.h"

#include <getopt.h>
#include "lib/optdoc.h"
#include "measure/run_options.h"

enum { OPT_LONG = 300, OPT_SHARED_A, OPT_SHARED_B };

static const struct option_doc included[] = {
	OPTDOC_TEXT("Included:"),
	OPTDOC(NULL, "inc", OPT_LONG + 10, NULL, "from another array"),
	OPTDOC_END
};

static const struct option_doc docs[] = {
	OPTDOC_TEXT("Heading:"),
	OPTDOC("rn", "runs", 'n', "N", "exactly N runs"),
	OPTDOC(NULL, "long-only", OPT_LONG, "FILE", "first line\nsecond line"),
	OPTDOC("o", NULL, 'o', "FILE", "short only"),
	OPTDOC("N", NULL, 'N', NULL, "short, no value"),
	OPTDOC(NULL, "shared-a", OPT_SHARED_A, "DIR", NULL),
	OPTDOC(NULL, "shared-b", OPT_SHARED_B, "DIR", "two on one line"),
	OPTDOC(NULL, NULL, 0, "RUN", "an operand, no option"),
	OPTDOC_TEXT(""),
	OPTDOC_INCLUDE(included),
	OPTDOC("h", "help", 'h', NULL, "this text"),
	OPTDOC_END
};

static const char docs_text[] =
"Heading:\n"
"  -r, -n, --runs N       exactly N runs\n"
"      --long-only FILE   first line\n"
"                         second line\n"
"  -o FILE                short only\n"
"  -N                     short, no value\n"
"      --shared-a DIR, --shared-b DIR  two on one line\n"
"      RUN                an operand, no option\n"
"\n"
"Included:\n"
"      --inc              from another array\n"
"  -h, --help             this text\n";

static char *print_docs(const struct option_doc *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	option_docs_print(f, d);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void test_print_exact(void **state)
{
	char *text = print_docs(docs);

	(void)state;
	assert_string_equal(text, docs_text);
	free(text);
}

static void test_table_exact(void **state)
{
	static const struct option want[] = {
		{ "runs", required_argument, NULL, 'n' },
		{ "long-only", required_argument, NULL, OPT_LONG },
		{ "shared-a", required_argument, NULL, OPT_SHARED_A },
		{ "shared-b", required_argument, NULL, OPT_SHARED_B },
		{ "inc", no_argument, NULL, OPT_LONG + 10 },
		{ "help", no_argument, NULL, 'h' },
	};
	struct option_table t;
	size_t i;

	(void)state;
	option_table_init(&t, "+:", docs);
	assert_string_equal(t.shortopts, "+:r:n:o:Nh");
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_string_equal(t.longopts[i].name, want[i].name);
		assert_int_equal(t.longopts[i].has_arg, want[i].has_arg);
		assert_null(t.longopts[i].flag);
		assert_int_equal(t.longopts[i].val, want[i].val);
	}
	assert_null(t.longopts[i].name);
	option_table_release(&t);

	option_table_init(&t, NULL, included + 1);   /* no heading, no shorts */
	assert_string_equal(t.shortopts, "");
	assert_string_equal(t.longopts[0].name, "inc");
	assert_null(t.longopts[1].name);
	option_table_release(&t);
}

/*
 * Whether text has an option line ("  -x..." or "      --x...") whose
 * left part (up to two spaces) names word ("--runs", "-o").
 */
static int help_names(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *line = text; *line; ) {
		const char *end = strchrnul(line, '\n');

		if (!strncmp(line, "  -", 3) || !strncmp(line, "      --", 8)) {
			const char *p = line + strspn(line, " ");
			const char *left_end = strstr(p, "  ");

			if (!left_end || left_end > end)
				left_end = end;
			for (; p + n <= left_end; p++)
				if (!strncmp(p, word, n) && (p[-1] == ' ' || p[-1] == ',') &&
				    (p + n == left_end || p[n] == ' ' || p[n] == ','))
					return 1;
		}
		line = *end ? end + 1 : end;
	}
	return 0;
}

static void check_same_source(const struct option_doc *d)
{
	struct option_table t;
	char *text = print_docs(d);
	char word[64];

	option_table_init(&t, "+:", d);
	/* every long option getopt accepts is on an option line */
	for (const struct option *o = t.longopts; o->name; o++) {
		snprintf(word, sizeof(word), "--%s", o->name);
		if (!help_names(text, word))
			fail_msg("%s is accepted but not in the help", word);
	}
	/* every short option too */
	for (const char *s = t.shortopts + 2; *s; s++) {
		if (*s == ':')
			continue;
		snprintf(word, sizeof(word), "-%c", *s);
		if (!help_names(text, word))
			fail_msg("%s is accepted but not in the help", word);
	}
	/* and every --name of an option line is one getopt accepts */
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *left_end;

		if (strncmp(line, "  -", 3) && strncmp(line, "      --", 8))
			continue;
		left_end = strstr(line + 2, "  ");
		if (left_end)
			*left_end = '\0';
		for (char *w = strstr(line, "--"); w; w = strstr(w + 2, "--")) {
			size_t len = strcspn(w + 2, " ,");
			int found = 0;

			for (const struct option *o = t.longopts; o->name; o++)
				found |= strlen(o->name) == len && !strncmp(o->name, w + 2, len);
			if (!found)
				fail_msg("help lists %.*s, getopt does not accept it", (int)len + 2, w);
		}
	}
	option_table_release(&t);
	free(text);
}

static void test_fixed_docs_same_source(void **state)
{
	(void)state;
	check_same_source(docs);
}

static void test_run_options_same_source(void **state)
{
	static const struct option_doc measuring[] = {
		OPTDOC_INCLUDE(run_option_docs),
		OPTDOC_INCLUDE(run_metric_docs),
		RUN_VERDICT_OPTIONS("margin", "estimator"),
		OPTDOC_END
	};
	struct option_table t;
	char *text;

	(void)state;
	check_same_source(measuring);
	/* a few the measuring commands rely on, by name and value */
	option_table_init(&t, "+:", measuring);
	assert_non_null(strstr(t.shortopts, "r:n:w:"));
	assert_non_null(strchr(t.shortopts, 'N'));
	text = print_docs(measuring);
	assert_non_null(strstr(text, "  -r, -n, --runs N       exactly N measured runs"));
	assert_non_null(strstr(text, "      --metric M         wall (default)"));
	assert_non_null(strstr(text, "      --margin PCT       margin\n"));
	free(text);
	option_table_release(&t);
}

/* What getopt (through option_next) returns for each name of the table. */
static void test_getopt_returns_doc_values(void **state)
{
	struct option_table t;
	char arg0[] = "steady", opt[64], value[] = "3";
	char *argv[] = { arg0, opt, value, NULL };

	(void)state;
	option_table_init(&t, "+:", docs);
	for (const struct option *o = t.longopts; o->name; o++) {
		snprintf(opt, sizeof(opt), "--%s", o->name);
		opterr = 0;
		optind = 1;
		assert_int_equal(option_next(o->has_arg ? 3 : 2, argv, t.shortopts, t.longopts), o->val);
	}
	snprintf(opt, sizeof(opt), "-r");
	optind = 1;
	assert_int_equal(option_next(3, argv, t.shortopts, t.longopts), 'r');
	snprintf(opt, sizeof(opt), "--unknown");
	optind = 1;
	assert_int_equal(option_next(2, argv, t.shortopts, t.longopts), '?');
	option_table_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_print_exact),
		cmocka_unit_test(test_table_exact),
		cmocka_unit_test(test_fixed_docs_same_source),
		cmocka_unit_test(test_run_options_same_source),
		cmocka_unit_test(test_getopt_returns_doc_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
