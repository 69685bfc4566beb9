/*
 * test_words: command strings split like a POSIX shell would quote them,
 * shell syntax refused, CPU lists parsed, and argv joined back for display.
 * Expected splits follow POSIX sh quoting rules (checked by hand against
 * what `sh -c 'printf "[%s]" ARGS'` prints for the same string).
 */
#include "unit_fixture.h"

#include <unistd.h>
#include "lib/util.h"
#include "lib/words.h"
#include "system/sysroot.h"

static void expect_split(const char *s, const char *const *want, size_t n)
{
	char **argv;
	size_t argc;

	assert_int_equal(words_split(s, &argv, &argc), 0);
	assert_int_equal(argc, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(argv[i], want[i]);
	assert_null(argv[n]);
	words_free(argv);
}

static void expect_refused(const char *s)
{
	char **argv = NULL;
	size_t argc = 0;

	assert_int_equal(words_split(s, &argv, &argc), -1);
	assert_null(argv);
}

static void test_plain_words(void **state)
{
	(void)state;
	expect_split("./work 200", (const char *[]){ "./work", "200" }, 2);
	expect_split("  a \t b\n c  ", (const char *[]){ "a", "b", "c" }, 3);
	expect_split("python3 -c x=1", (const char *[]){ "python3", "-c", "x=1" }, 3);
}

static void test_quotes(void **state)
{
	(void)state;
	/* sh: printf "[%s]" 'a b' "c d" -> [a b][c d] */
	expect_split("'a b' \"c d\"", (const char *[]){ "a b", "c d" }, 2);
	/* sh: x'y'"z" is one word xyz */
	expect_split("x'y'\"z\"", (const char *[]){ "xyz" }, 1);
	/* sh: "a\"b\\c" -> a"b\c ; '\n' stays literal inside single quotes */
	expect_split("\"a\\\"b\\\\c\" '\\n'", (const char *[]){ "a\"b\\c", "\\n" }, 2);
	/* sh: "" and '' are empty words */
	expect_split("prog '' \"\"", (const char *[]){ "prog", "", "" }, 3);
	/* sh: a\ b is one word "a b"; '|' inside quotes is literal */
	expect_split("a\\ b '|' \"*\"", (const char *[]){ "a b", "|", "*" }, 3);
	/* sh: ~ and # mid-word are literal */
	expect_split("a~b c#d", (const char *[]){ "a~b", "c#d" }, 2);
}

static void test_shell_syntax_refused(void **state)
{
	(void)state;
	expect_refused("echo hi > out");
	expect_refused("a | b");
	expect_refused("a && b");
	expect_refused("a; b");
	expect_refused("echo $HOME");
	expect_refused("echo \"$HOME\"");
	expect_refused("echo `date`");
	expect_refused("ls *.c");
	expect_refused("cd ~");
	expect_refused("prog # comment");
	expect_refused("'unterminated");
	expect_refused("\"unterminated");
	expect_refused("trailing\\");
	expect_refused("");
	expect_refused("   ");
	/* a shell would set a variable; exec would run a file named so */
	expect_refused("CC=clang make");
	expect_refused("_X1=1 prog");
}

/* words_command's argv of c, compared with want (n words), or NULL. */
static void expect_command(const struct command_words *c, const char *const *want, size_t n)
{
	size_t argc = 0;
	char **argv = words_command(c, &argc);

	if (!want) {
		assert_null(argv);
		return;
	}
	assert_non_null(argv);
	assert_int_equal(argc, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(argv[i], want[i]);
	assert_null(argv[n]);
	words_free(argv);
}

/* One rule for run/compare/stat (shell_option) and cache/trace (not). */
static void test_command_rule(void **state)
{
	char *pipe[] = { "a|b" }, *two[] = { "prog", "a|b" }, *string[] = { "prog x" };
	char *extra[] = { "1", "2" }, *empty[] = { "" };
	const char *tmp = getenv("TMPDIR");
	char *file_with_blank[] = { xasprintf("%s/steady words.XXXXXX", tmp && *tmp ? tmp : "/tmp") };
	int fd;

	(void)state;
	for (int shell_option = 0; shell_option < 2; shell_option++) {
		struct command_words c = { pipe, 1, NULL, 0, "A", shell_option };

		/* one argument with shell syntax is a command string: refused */
		expect_command(&c, NULL, 0);
		/* several arguments are words as they are */
		c.words = two;
		c.nwords = 2;
		expect_command(&c, (const char *[]){ "prog", "a|b" }, 2);
		/* a command string is split, and ARGS follow it */
		c.words = string;
		c.nwords = 1;
		c.extra = extra;
		c.nextra = 2;
		expect_command(&c, (const char *[]){ "prog", "x", "1", "2" }, 4);
		c.words = empty;
		c.nextra = 0;
		expect_command(&c, NULL, 0);
	}
	assert_true(words_is_command_string("a|b"));
	assert_true(words_is_command_string("prog x"));
	assert_false(words_is_command_string("./prog"));
	/* an existing file is a program, blanks and all */
	fd = mkstemp(file_with_blank[0]);
	assert_true(fd >= 0);
	close(fd);
	assert_false(words_is_command_string(file_with_blank[0]));
	expect_command(&(struct command_words){ file_with_blank, 1, NULL, 0, "A", 0 },
		       (const char *[]){ file_with_blank[0] }, 1);
	unlink(file_with_blank[0]);
	free(file_with_blank[0]);
}

static void test_join_round_trip(void **state)
{
	char *argv[] = { "./work", "a b", "it's", "", "x=1", NULL };
	char *joined = words_join(argv, 5);
	char **back;
	size_t n;

	(void)state;
	/* quoting as sh would need it */
	assert_string_equal(joined, "./work 'a b' 'it'\\''s' '' x=1");
	assert_int_equal(words_split(joined, &back, &n), 0);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(back[i], argv[i]);
	words_free(back);
	free(joined);
}

static void test_cpu_list(void **state)
{
	cpu_set_t set;

	(void)state;
	assert_int_equal(parse_cpu_list("0", &set), 0);
	assert_int_equal(CPU_COUNT(&set), 1);
	assert_true(CPU_ISSET(0, &set));
	assert_int_equal(parse_cpu_list("0-3,6", &set), 0);
	assert_int_equal(CPU_COUNT(&set), 5);
	assert_true(CPU_ISSET(6, &set));
	assert_false(CPU_ISSET(4, &set));
	assert_int_equal(parse_cpu_list("", &set), -1);
	assert_int_equal(parse_cpu_list("a", &set), -1);
	assert_int_equal(parse_cpu_list("3-1", &set), -1);
	assert_int_equal(parse_cpu_list("1,", &set), -1);
	assert_int_equal(parse_cpu_list("-1", &set), -1);
	assert_int_equal(parse_cpu_list("99999", &set), -1);
}

/*
 * Both CPU list readers stop at CPU_SETSIZE (1024): a CPU steady cannot pin
 * is refused, and the kernel-file reader gives each CPU once, so no list
 * costs more than 1024 numbers (the fuzzer's "0-99999999" and repeated
 * ranges made it expand millions).
 */
static void test_cpu_list_limit(void **state)
{
	cpu_set_t set;
	int *cpus;
	char *many;

	(void)state;
	assert_int_equal(parse_cpu_list("1023", &set), 0);
	assert_true(CPU_ISSET(1023, &set));
	assert_int_equal(parse_cpu_list("1024", &set), -1);
	assert_int_equal(parse_cpu_list("0-1024", &set), -1);
	assert_int_equal(parse_cpu_list("0-99999999", &set), -1);
	assert_int_equal(parse_cpu_list("99999999999999999999", &set), -1);
	assert_string_equal(CPU_LIST_LIMIT_TEXT, "1024");

	assert_int_equal(cpu_list_parse("0-1023", &cpus), 1024);
	assert_int_equal(cpus[0], 0);
	assert_int_equal(cpus[1023], 1023);
	free(cpus);
	assert_int_equal(cpu_list_parse("0-1024", &cpus), 0);
	assert_null(cpus);
	assert_int_equal(cpu_list_parse("0-99999999", &cpus), 0);
	assert_null(cpus);
	assert_int_equal(cpu_list_parse("5,1-2,2,1\n", &cpus), 3);
	assert_int_equal(cpus[0], 1);
	assert_int_equal(cpus[1], 2);
	assert_int_equal(cpus[2], 5);
	free(cpus);
	assert_int_equal(cpu_list_parse("0-3 and the rest", &cpus), 4);
	free(cpus);
	assert_int_equal(cpu_list_parse("", &cpus), 0);
	assert_int_equal(cpu_list_parse("1,", &cpus), 0);
	/* 128 full ranges (a 1 KiB option string): still 1024 numbers. */
	many = xstrdup("0-1023");
	for (int i = 0; i < 127; i++) {
		char *longer = xasprintf("%s,0-1023", many);

		free(many);
		many = longer;
	}
	assert_int_equal(cpu_list_parse(many, &cpus), 1024);
	free(cpus);
	free(many);
}

static void test_number_parsers(void **state)
{
	unsigned long v;
	double s;

	(void)state;
	assert_int_equal(parse_uint("42", 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_uint("101", 100, &v), -1);
	assert_int_equal(parse_uint("-1", 100, &v), -1);
	assert_int_equal(parse_uint("4x", 100, &v), -1);
	assert_int_equal(parse_uint("", 100, &v), -1);
	assert_int_equal(parse_seconds("1.5", &s), 0);
	assert_true(s == 1.5);
	assert_int_equal(parse_seconds("300ms", &s), 0);
	assert_true(s > 0.2999 && s < 0.3001);
	assert_int_equal(parse_seconds("2s", &s), 0);
	assert_true(s == 2.0);
	assert_int_equal(parse_seconds("-1", &s), -1);
	assert_int_equal(parse_seconds("nan", &s), -1);
	assert_int_equal(parse_seconds("inf", &s), -1);
	assert_int_equal(parse_seconds("3m", &s), -1);
	assert_int_equal(parse_seconds("-0", &s), -1);
	assert_int_equal(parse_seconds("0x10", &s), -1);
	assert_int_equal(parse_seconds(" 3", &s), -1);
	assert_int_equal(parse_seconds("1e300", &s), -1);	/* ns would overflow */
	assert_int_equal(parse_seconds(".5", &s), 0);
	assert_true(s == 0.5);
	assert_int_equal(parse_number("2.5", &s), 0);
	assert_true(s == 2.5);
	assert_int_equal(parse_number("2ms", &s), -1);
	assert_int_equal(parse_number("-1", &s), -1);
	assert_int_equal(parse_number("", &s), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_words),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_shell_syntax_refused),
		cmocka_unit_test(test_command_rule),
		cmocka_unit_test(test_join_round_trip),
		cmocka_unit_test(test_cpu_list),
		cmocka_unit_test(test_cpu_list_limit),
		cmocka_unit_test(test_number_parsers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
