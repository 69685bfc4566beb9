/*
 * test_options: option_next() takes long options typed in full only, with
 * their value joined ("--seed=3") or a word of its own ("--seed 3", even a
 * value that looks like an option), and refuses a unique prefix that
 * getopt_long alone would take; option_error() then names both. Also
 * output_option() (-o FILE against --json) and --color.
 */
#include "unit_fixture.h"

#include <getopt.h>
#include "lib/util.h"

enum { O_SEED = 300, O_SHELL, O_PREPARE };

static const struct option table[] = {
	{ "seed", required_argument, NULL, O_SEED },
	{ "seeds", no_argument, NULL, 'S' },
	{ "shell", no_argument, NULL, O_SHELL },
	{ "prepare", required_argument, NULL, O_PREPARE },
	{ "runs", required_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 }
};

/* The options of words (after a command name), in order, until -1. */
static int parse(char **argv, int *opts, int max)
{
	int argc = 0, n = 0, opt;

	while (argv[argc])
		argc++;
	opterr = 0;
	optind = 1;
	while ((opt = option_next(argc, argv, "+:n:i", table)) != -1 && n < max) {
		opts[n++] = opt;
		if (opt == '?' || opt == ':')
			break;
	}
	return n;
}

static void test_full_names(void **state)
{
	char *argv[] = { "run", "--seed", "3", "--seed=4", "--shell", "--prepare", "--seeds",
			 "-in", "2", "--runs=5", "--seeds", "cmd", NULL };
	int opts[16], n = parse(argv, opts, 16);

	(void)state;
	assert_int_equal(n, 8);
	assert_int_equal(opts[0], O_SEED);
	assert_int_equal(opts[1], O_SEED);
	assert_int_equal(opts[2], O_SHELL);
	assert_int_equal(opts[3], O_PREPARE);   /* its value is "--seeds" */
	assert_int_equal(opts[4], 'i');
	assert_int_equal(opts[5], 'n');
	assert_int_equal(opts[6], 'n');
	assert_int_equal(opts[7], 'S');   /* "seed" is a prefix of it, not it */
	assert_string_equal(argv[optind], "cmd");
}

static void expect_refused(char **argv, const char *typed, const char *full)
{
	int opts[8], n = parse(argv, opts, 8), argc = 0;
	char *msg, *want;

	while (argv[argc])
		argc++;
	assert_int_equal(opts[n - 1], '?');
	capture_start();
	option_error("run", '?', argc, argv);
	msg = capture_end();
	want = xasprintf("steady: error: unknown option '%s': long options are not abbreviated, "
			 "did you mean '--%s'? (see 'steady run --help')\n", typed, full);
	assert_string_equal(msg, want);
	free(msg);
	free(want);
}

static void test_prefixes_refused(void **state)
{
	(void)state;
	expect_refused((char *[]){ "run", "--she", "x", NULL }, "--she", "shell");
	expect_refused((char *[]){ "run", "--prep", "make", NULL }, "--prep", "prepare");
	expect_refused((char *[]){ "run", "--prep=make", NULL }, "--prep", "prepare");
	expect_refused((char *[]){ "run", "-n", "2", "--ru", "3", NULL }, "--ru", "runs");
}

static void test_output_of_hyperfine(void **state)
{
	char *argv[] = { "run", "--output=pipe", NULL };
	int opts[4];
	char *msg;

	(void)state;
	assert_int_equal(parse(argv, opts, 4), 1);
	assert_int_equal(opts[0], '?');
	capture_start();
	option_error("list", '?', 2, argv);
	msg = capture_end();
	/* This table has no -o: nothing to point to. */
	assert_string_equal(msg, "steady: error: unknown option '--output' (see 'steady list --help')\n");
	free(msg);
}

static void test_output_option(void **state)
{
	const char *out = NULL;
	char *msg;

	(void)state;
	assert_int_equal(output_option(&out, 'o', "a.json"), 0);
	assert_int_equal(output_option(&out, 'o', "b.json"), 0);
	assert_string_equal(out, "b.json");
	capture_start();
	assert_int_equal(output_option(&out, 'J', NULL), -1);
	msg = capture_end();
	assert_non_null(strstr(msg, "-o 'b.json' to a file: give one"));
	free(msg);
	out = NULL;
	assert_int_equal(output_option(&out, 'J', NULL), 0);
	assert_int_equal(output_option(&out, 'o', "-"), 0);
	assert_string_equal(out, "-");
}

static void test_color(void **state)
{
	char *msg;

	(void)state;
	assert_int_equal(color_option("always"), 0);
	assert_int_equal(use_color(-1), 1);
	assert_int_equal(color_option("never"), 0);
	assert_int_equal(use_color(-1), 0);
	capture_start();
	assert_int_equal(color_option("yes"), -1);
	msg = capture_end();
	assert_non_null(strstr(msg, "expected auto, always or never"));
	free(msg);
	assert_int_equal(color_option("auto"), 0);
	assert_int_equal(use_color(-1), 0);   /* not a terminal */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_names),
		cmocka_unit_test(test_prefixes_refused),
		cmocka_unit_test(test_output_of_hyperfine),
		cmocka_unit_test(test_output_option),
		cmocka_unit_test(test_color),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
