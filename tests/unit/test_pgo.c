/*
 * Unit tests for toolchain/pgo.c: the flags and the training environment
 * of each family as pure functions, the paths refused, the missing
 * profile; then one real round trip per compiler (skipped when it is not
 * installed): a tiny program built instrumented in one directory, trained,
 * its profile finished, and built again in another directory with the
 * missing-profile warnings made errors, which proves the use build found
 * the profile. The sweep command's tests run whole trees.
 */
#include "unit_fixture.h"

#include "toolchain/pgo.h"
#include "toolchain/tool.h"
#include "lib/words.h"

static int setup(void **state)
{
	return fixture_setup(state, NULL);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(pgo_compiler_name(PGO_GCC), "gcc");
	assert_string_equal(pgo_compiler_name(PGO_CLANG), "clang");
}

/*
 * From the gcc 12 manual, "Program Instrumentation Options" and
 * "Optimize Options": -fprofile-generate=path, -fprofile-prefix-path,
 * -fprofile-update=prefer-atomic, -fprofile-use=path,
 * -fprofile-partial-training; "Warning Options": -Wno-missing-profile.
 */
static void test_gcc_flags(void **state)
{
	struct pgo_flags f = PGO_FLAGS_INIT;

	(void)state;
	assert_int_equal(pgo_generate_flags(PGO_GCC, "/w/prof", "/w/gen", &f), 0);
	assert_string_equal(f.cflags, "-fprofile-generate=/w/prof -fprofile-prefix-path=/w/gen "
			    "-fprofile-update=prefer-atomic");
	assert_string_equal(f.ldflags, "-fprofile-generate=/w/prof");
	pgo_flags_release(&f);
	assert_null(f.cflags);
	assert_null(f.ldflags);

	assert_int_equal(pgo_use_flags(PGO_GCC, "/w/prof", "/w/use", &f), 0);
	assert_string_equal(f.cflags, "-fprofile-use=/w/prof -fprofile-prefix-path=/w/use "
			    "-fprofile-partial-training -Wno-missing-profile");
	assert_string_equal(f.ldflags, "");
	pgo_flags_release(&f);
	/* released twice is harmless */
	pgo_flags_release(&f);
}

/*
 * From the clang 14 user's manual, "Profiling with Instrumentation":
 * -fprofile-instr-generate, -fprofile-instr-use=file; the warning groups
 * from clang's diagnostics reference (DiagnosticsReference.html).
 */
static void test_clang_flags(void **state)
{
	struct pgo_flags f = PGO_FLAGS_INIT;

	(void)state;
	assert_int_equal(pgo_generate_flags(PGO_CLANG, "/w/prof", "/w/gen", &f), 0);
	assert_string_equal(f.cflags, "-fprofile-instr-generate");
	assert_string_equal(f.ldflags, "-fprofile-instr-generate");
	pgo_flags_release(&f);

	assert_int_equal(pgo_use_flags(PGO_CLANG, "/w/prof", "/w/use", &f), 0);
	assert_string_equal(f.cflags, "-fprofile-instr-use=/w/prof/merged.profdata "
			    "-Wno-profile-instr-unprofiled -Wno-profile-instr-missing "
			    "-Wno-error=profile-instr-out-of-date");
	assert_string_equal(f.ldflags, "");
	pgo_flags_release(&f);
}

/* clang's manual: %p is the process id, %m the binary's signature. */
static void test_training_env(void **state)
{
	char *env;

	(void)state;
	assert_null(pgo_training_env(PGO_GCC, "/w/prof"));
	env = pgo_training_env(PGO_CLANG, "/w/prof");
	assert_string_equal(env, "LLVM_PROFILE_FILE=/w/prof/%p-%m.profraw");
	free(env);
}

static void test_refused_paths(void **state)
{
	struct pgo_flags f = PGO_FLAGS_INIT;
	char *msg;
	int ret;

	(void)state;
	CAPTURE(ret, msg, pgo_generate_flags(PGO_GCC, "/w/my prof", "/w/gen", &f));
	assert_int_equal(ret, -1);
	check_message(msg, "the PGO profile directory '/w/my prof' holds a blank");
	assert_null(f.cflags);

	CAPTURE(ret, msg, pgo_use_flags(PGO_GCC, "/w/prof", "/w/a\tb", &f));
	assert_int_equal(ret, -1);
	check_message(msg, "holds a blank, which would split");

	CAPTURE(ret, msg, pgo_use_flags(PGO_CLANG, "/w/100%", "/w/use", &f));
	assert_int_equal(ret, -1);
	check_message(msg, "holds '%'");

	CAPTURE(ret, msg, pgo_generate_flags(PGO_CLANG, "/w/prof", "/w/$HOME", &f));
	assert_int_equal(ret, -1);
	check_message(msg, "the PGO tree '/w/$HOME' holds '$'");

	CAPTURE(ret, msg, pgo_generate_flags(PGO_GCC, "prof", "/w/gen", &f));
	assert_int_equal(ret, -1);
	check_message(msg, "the PGO profile directory 'prof' is not an absolute path");
	assert_null(f.cflags);
	assert_null(f.ldflags);

	/* what is allowed */
	assert_int_equal(pgo_generate_flags(PGO_GCC, "/w/a-b_c.d+e@f~g:h", "/w/G2", &f), 0);
	pgo_flags_release(&f);
}

static void test_no_profile(void **state)
{
	struct fixture *fx = *state;
	char *msg, *missing;
	int ret;

	/* An empty directory, one that was never made, one with other files. */
	CAPTURE(ret, msg, pgo_finish_profile(PGO_GCC, "gcc", fx->dir));
	assert_int_equal(ret, -1);
	check_message(msg, "the training command never ran the instrumented program");

	missing = xasprintf("%s/never-made", fx->dir);
	CAPTURE(ret, msg, pgo_finish_profile(PGO_CLANG, "clang", missing));
	assert_int_equal(ret, -1);
	check_message(msg, "no profile in '");
	free(missing);

	write_text(in_dir(fx, "default.profraw.txt"), "x");
	write_text(in_dir(fx, "a.gcno"), "x");
	CAPTURE(ret, msg, pgo_finish_profile(PGO_CLANG, "clang", fx->dir));
	assert_int_equal(ret, -1);
	check_message(msg, "(or it died before exiting)");
}

static void test_family_refusals(void **state)
{
	enum pgo_compiler c;
	char *msg;
	int ret;

	(void)state;
	CAPTURE(ret, msg, pgo_compiler_family("steady-no-such-cc", &c));
	assert_int_equal(ret, -1);
	check_message(msg, "compiler 'steady-no-such-cc' not found on PATH");

	/* coreutils' true names the Free Software Foundation in --version */
	if (access("/usr/bin/true", X_OK))
		skip();
	CAPTURE(ret, msg, pgo_compiler_family("/usr/bin/true", &c));
	assert_int_equal(ret, -1);
	check_message(msg, "'/usr/bin/true' is neither");
}

/* ---- finding llvm-profdata, with a fake clang ---- */

/* Answers -print-prog-name with $PROG_NAME (or the bare name) and -dM as clang 99. */
static const char fake_clang[] =
	"#!/bin/sh\n"
	"case \"$1\" in\n"
	"-print-prog-name=*) echo \"${PROG_NAME:-${1#-print-prog-name=}}\" ;;\n"
	"-dM) printf '#define __GNUC__ 4\\n#define __clang__ 1\\n#define __clang_major__ 99\\n' ;;\n"
	"*) exit 1 ;;\n"
	"esac\n";

static void write_program(const char *path, const char *text)
{
	write_text(path, text);
	assert_int_equal(chmod(path, 0755), 0);
}

static void test_profdata_lookup(void **state)
{
	struct fixture *fx = *state;
	char *cc, *old_path, *prof, *msg;
	enum pgo_compiler c;
	int ret;

	cc = xstrdup(in_dir(fx, "clang"));
	write_program(cc, fake_clang);
	prof = xstrdup(in_dir(fx, "prof"));
	assert_int_equal(mkdir(prof, 0700), 0);
	write_text(in_dir(fx, "prof/1-2_0.profraw"), "not a profile");
	old_path = xstrdup(getenv("PATH"));
	assert_int_equal(setenv("PATH", fx->dir, 1), 0);

	assert_int_equal(pgo_compiler_family(cc, &c), 0);
	assert_int_equal(c, PGO_CLANG);

	/* none beside clang, none on PATH, no llvm-profdata-99 */
	CAPTURE(ret, msg, pgo_check(PGO_CLANG, cc));
	assert_int_equal(ret, -1);
	check_message(msg, "clang PGO needs llvm-profdata, found neither beside '");
	CAPTURE(ret, msg, pgo_finish_profile(PGO_CLANG, cc, prof));
	assert_int_equal(ret, -1);
	check_message(msg, "(Debian: apt-get install llvm, or llvm-99 for llvm-profdata-99)");

	/* the versioned one on PATH; its failure quoted by its first line */
	write_program(in_dir(fx, "llvm-profdata-99"), "#!/bin/sh\necho 'error: version 99' >&2\nexit 1\n");
	CAPTURE(ret, msg, pgo_finish_profile(PGO_CLANG, cc, prof));
	assert_int_equal(ret, -1);
	check_message(msg, "llvm-profdata cannot merge the profiles in '");
	CAPTURE(ret, msg, pgo_finish_profile(PGO_CLANG, cc, prof));
	check_message(msg, "/prof': version 99");

	/* plain llvm-profdata on PATH comes before it */
	write_program(in_dir(fx, "llvm-profdata"), "#!/bin/sh\necho 'error: plain' >&2\nexit 1\n");
	CAPTURE(ret, msg, pgo_finish_profile(PGO_CLANG, cc, prof));
	check_message(msg, "/prof': plain");

	/* and the one clang names by an absolute path before both */
	assert_int_equal(mkdir(in_dir(fx, "own"), 0700), 0);
	write_program(in_dir(fx, "own/llvm-profdata"),
		      "#!/bin/sh\necho 'error: own' >&2\nexit 1\n");
	assert_int_equal(setenv("PROG_NAME", in_dir(fx, "own/llvm-profdata"), 1), 0);
	CAPTURE(ret, msg, pgo_finish_profile(PGO_CLANG, cc, prof));
	check_message(msg, "/prof': own");
	/* a name clang prints that is not there is passed over */
	assert_int_equal(setenv("PROG_NAME", "/nonexistent/llvm-profdata", 1), 0);
	CAPTURE(ret, msg, pgo_finish_profile(PGO_CLANG, cc, prof));
	check_message(msg, "/prof': plain");
	unsetenv("PROG_NAME");

	assert_int_equal(setenv("PATH", old_path, 1), 0);
	free(old_path);
	free(prof);
	free(cc);
}

/* ---- real builds ---- */

static const char program[] =
	"#include <stdio.h>\n"
	"static long step(long i, int argc) { return i % 3 ? argc : i; }\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"\tlong s = 0;\n"
	"\t(void)argv;\n"
	"\tfor (long i = 0; i < 100000; i++)\n"
	"\t\ts += step(i, argc);\n"
	"\tprintf(\"%ld\\n\", s);\n"
	"\treturn 0;\n"
	"}\n";

/* Runs the command line (words) in dir; the test fails unless it exits 0. */
static void run_in(const char *dir, const char *line)
{
	struct tool_output res = TOOL_OUTPUT_INIT;
	char **argv, *path;
	size_t argc;

	assert_int_equal(words_split(line, &argv, &argc), 0);
	path = argv[0][0] == '.' ? xasprintf("%s/%s", dir, argv[0]) : tool_find_quiet(argv[0]);
	assert_non_null(path);
	assert_int_equal(tool_run(path, argv, dir, 1, &res), 0);
	if (res.exit_code || strstr(res.out, "warning"))
		print_error("%s: exit %d\n%s", line, res.exit_code, res.out);
	assert_int_equal(res.exit_code, 0);
	/* the use build must be silent: no profile missing or out of date */
	assert_null(strstr(res.out, "warning"));
	tool_output_release(&res);
	free(path);
	words_free(argv);
}

static void build_in(const char *cc, const char *dir, const char *cflags, const char *ldflags)
{
	char *line;

	line = xasprintf("%s -O2 -Wall -Wextra -Werror %s -c prog.c -o prog.o", cc, cflags);
	run_in(dir, line);
	free(line);
	line = xasprintf("%s -O2 %s prog.o -o prog", cc, ldflags);
	run_in(dir, line);
	free(line);
}

/*
 * The whole sequence in fx->dir/gen and fx->dir/use; extra_use turns the
 * family's missing-profile warnings back on, as errors.
 */
static void round_trip(struct fixture *fx, const char *cc, enum pgo_compiler want,
		       const char *extra_use)
{
	struct pgo_flags f = PGO_FLAGS_INIT;
	char *top, *gen, *use, *prof, *cflags, *env;
	enum pgo_compiler c;
	char *found = tool_find_quiet(cc);

	if (!found)
		skip();
	free(found);
	assert_int_equal(pgo_compiler_family(cc, &c), 0);
	assert_int_equal(c, want);
	assert_int_equal(pgo_check(c, cc), 0);

	top = realpath(fx->dir, NULL);
	assert_non_null(top);
	gen = xasprintf("%s/gen", top);
	use = xasprintf("%s/use", top);
	prof = xasprintf("%s/prof", top);
	assert_int_equal(mkdir(gen, 0700), 0);
	assert_int_equal(mkdir(use, 0700), 0);
	write_text(in_dir(fx, "gen/prog.c"), program);
	write_text(in_dir(fx, "use/prog.c"), program);

	assert_int_equal(pgo_generate_flags(c, prof, gen, &f), 0);
	build_in(cc, gen, f.cflags, f.ldflags);
	pgo_flags_release(&f);

	/* two training runs: the profiles add up */
	env = pgo_training_env(c, prof);
	if (env)
		assert_int_equal(putenv(env), 0);
	run_in(gen, "./prog");
	run_in(gen, "./prog 2");
	if (env) {
		unsetenv("LLVM_PROFILE_FILE");
		free(env);
	}
	assert_int_equal(pgo_finish_profile(c, cc, prof), 0);

	assert_int_equal(pgo_use_flags(c, prof, use, &f), 0);
	cflags = xasprintf("%s %s", f.cflags, extra_use);
	build_in(cc, use, cflags, f.ldflags);
	run_in(use, "./prog");
	free(cflags);
	pgo_flags_release(&f);
	free(prof);
	free(use);
	free(gen);
	free(top);
}

static void test_gcc_round_trip(void **state)
{
	struct fixture *fx = *state;

	round_trip(fx, "gcc", PGO_GCC, "-Werror=missing-profile -Werror=coverage-mismatch");
	/* a .gcda named after the object's path inside the tree */
	assert_int_equal(access(in_dir(fx, "prof/prog.gcda"), R_OK), 0);
}

static void test_clang_round_trip(void **state)
{
	struct fixture *fx = *state;

	round_trip(fx, "clang", PGO_CLANG, "-Werror=profile-instr-unprofiled "
		   "-Werror=profile-instr-missing -Werror=profile-instr-out-of-date");
	assert_int_equal(access(in_dir(fx, "prof/merged.profdata"), R_OK), 0);
	/* the merge's list of inputs is not left behind */
	assert_int_not_equal(access(in_dir(fx, "prof/profraw.list"), F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_gcc_flags),
		cmocka_unit_test(test_clang_flags),
		cmocka_unit_test(test_training_env),
		cmocka_unit_test(test_refused_paths),
		cmocka_unit_test_setup_teardown(test_no_profile, setup, teardown),
		cmocka_unit_test(test_family_refusals),
		cmocka_unit_test_setup_teardown(test_profdata_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gcc_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clang_round_trip, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
