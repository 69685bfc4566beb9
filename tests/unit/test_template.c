/*
 * Unit tests for toolchain/template.c. Expected argv written out by hand:
 * what each word must become, one element per word.
 */
#include "unit_fixture.h"

#include "lib/words.h"
#include "toolchain/template.h"

static const struct template_value values[] = {
	{ "cc", "gcc", 0 },
	{ "cflags", "-O2  -ffunction-sections\t-g", 1 },
	{ "ldflags", "", 1 },
	{ "seed", "17", 0 },
	{ "dir", "/tmp/steady build/v 3", 0 },
	{ "evil", "x; rm -rf / $(reboot) `id` \"q\" 'q'\nnext", 0 },
};
static const struct template tmpl = { values, ARRAY_SIZE(values) };

/* Splits s as steady splits a command string, expands it, compares. */
static void check(const char *s, const char *const *want, size_t nwant)
{
	char **argv, **out;
	size_t argc, outc;

	assert_int_equal(words_split(s, &argv, &argc), 0);
	out = template_expand(&tmpl, argv, argc, &outc);
	assert_non_null(out);
	assert_int_equal(outc, nwant);
	for (size_t i = 0; i < nwant; i++)
		assert_string_equal(out[i], want[i]);
	assert_null(out[outc]);
	words_free(out);
	words_free(argv);
}

static void test_fill_inside_words(void **state)
{
	/* hand: CFLAGS keeps its value in one word, spaces and all */
	static const char *const want[] = {
		"make", "-C", "/tmp/steady build/v 3", "CC=gcc",
		"CFLAGS=-O2 -O2  -ffunction-sections\t-g", "LDFLAGS=", "SEED=17",
	};

	(void)state;
	check("make -C {dir} CC={cc} 'CFLAGS=-O2 {cflags}' LDFLAGS={ldflags} SEED={seed}",
	      want, ARRAY_SIZE(want));
}

static void test_lists_alone_split_at_blanks(void **state)
{
	/* hand: {cflags} alone is three words; an empty {ldflags} is none */
	static const char *const want[] = {
		"gcc", "-O2", "-ffunction-sections", "-g", "-o", "/tmp/steady build/v 3/prog", "p.c",
	};

	(void)state;
	check("{cc} {cflags} {ldflags} -o {dir}/prog p.c", want, ARRAY_SIZE(want));
}

static void test_values_cannot_inject(void **state)
{
	/* hand: the whole value stays one word, byte for byte */
	static const char *const want[] = {
		"echo", "x; rm -rf / $(reboot) `id` \"q\" 'q'\nnext",
		"--seed=x; rm -rf / $(reboot) `id` \"q\" 'q'\nnext!",
	};

	(void)state;
	check("echo {evil} --seed={evil}!", want, ARRAY_SIZE(want));
}

static void test_braces(void **state)
{
	/* hand: doubled braces are literal ones */
	static const char *const want[] = { "awk", "{print $1}", "{seed}=17" };
	char **out;
	size_t outc;
	char *msg;

	(void)state;
	check("awk '{{print $1}}' '{{seed}}={seed}'", want, ARRAY_SIZE(want));

	/* unknown, unclosed and stray: one line each, naming the word */
	static const struct { const char *word, *msg; } bad[] = {
		{ "-O{cflgas}", "unknown placeholder '{cflgas}'" },
		{ "{cc", "a '{' without its '}'" },
		{ "a}b", "a '}' that closes no placeholder" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *one[] = { (char *)bad[i].word, NULL };

		char *copy;

		CAPTURE(out, msg, template_expand(&tmpl, one, 1, &outc));
		assert_null(out);
		copy = xstrdup(msg);
		check_message(msg, bad[i].msg);
		check_message(copy, bad[i].word);
	}
}

/* A whole command: split without a shell, or one /bin/sh -c script with --shell. */
static void test_whole_command(void **state)
{
	const struct template_value v[] = { { "dir", "/t/a b", 0 }, { "n", "3; rm x", 0 } };
	struct template t = { v, 2 };
	char **argv;
	size_t argc;

	(void)state;
	argv = template_command(&t, "'{dir}/prog' -n {n}", 0, &argc);
	/* hand: three words, each value inside the word it was put in */
	assert_int_equal(argc, 3);
	assert_string_equal(argv[0], "/t/a b/prog");
	assert_string_equal(argv[1], "-n");
	assert_string_equal(argv[2], "3; rm x");
	assert_null(argv[3]);
	words_free(argv);
	argv = template_command(&t, "cd {dir} && ./prog", 1, &argc);
	/* hand: the shell was asked for: the value pasted in as text */
	assert_int_equal(argc, 3);
	assert_string_equal(argv[0], "/bin/sh");
	assert_string_equal(argv[1], "-c");
	assert_string_equal(argv[2], "cd /t/a b && ./prog");
	words_free(argv);
}

/* fuzz_template: a --shell script that is just a list placeholder stays one script */
static void test_shell_script_of_a_list(void **state)
{
	char **argv;
	size_t argc;

	(void)state;
	argv = template_command(&tmpl, "{cflags}", 1, &argc);
	assert_int_equal(argc, 3);
	assert_string_equal(argv[2], "-O2  -ffunction-sections\t-g");
	assert_null(argv[3]);
	words_free(argv);
	argv = template_command(&tmpl, "{ldflags}", 1, &argc);  /* empty: an empty script, not none */
	assert_int_equal(argc, 3);
	assert_string_equal(argv[2], "");
	words_free(argv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_inside_words),
		cmocka_unit_test(test_lists_alone_split_at_blanks),
		cmocka_unit_test(test_values_cannot_inject),
		cmocka_unit_test(test_braces),
		cmocka_unit_test(test_whole_command),
		cmocka_unit_test(test_shell_script_of_a_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
