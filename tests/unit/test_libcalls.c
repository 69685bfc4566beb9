/*
 * test_libcalls: what `steady trace` does around its LD_AUDIT library —
 * the files it writes read back (lines summed per symbol@library, bad
 * lines refused with one error naming the line, one file per process
 * collected and removed), the environment that loads it, and static
 * binaries told from dynamic ones by their program headers (ELF files
 * made up here, byte by byte, in a mkdtemp() directory removed at the end).
 */
#include "unit_fixture.h"

#include <elf.h>
#include "trace/libcalls.h"
#include "trace/counts.h"

/* Tests with a fixture make their files in dir. */
static int setup(void **state)
{
	return fixture_setup(state, NULL);
}

static void test_parse(void **state)
{
	struct call_table t;

	(void)state;
	call_table_init(&t);
	assert_int_equal(libcalls_parse("1000\tgetppid\tlibc.so.6\n"
					"3\twrite\tlibc.so.6\n"
					"2\tgetppid\tlibc.so.6\n"
					"19\t__tunable_get_val\tld-linux-x86-64.so.2", "f", &t), 0);
	assert_int_equal(t.nr, 3);
	assert_int_equal(call_table_find(&t, "getppid@libc.so.6")->calls, 1002);
	assert_int_equal(call_table_find(&t, "write@libc.so.6")->calls, 3);
	assert_int_equal(call_table_find(&t, "__tunable_get_val@ld-linux-x86-64.so.2")->calls, 19);
	assert_int_equal(libcalls_parse("", "f", &t), 0);
	assert_int_equal(t.nr, 3);
	call_table_release(&t);
}

static void test_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"12\tgetppid\n",                 /* no library */
		"x\tgetppid\tlibc.so.6\n",       /* not a count */
		"-1\tgetppid\tlibc.so.6\n",
		"\tgetppid\tlibc.so.6\n",
		"1\t\tlibc.so.6\n",              /* empty symbol */
		"1\tgetppid\t\n",                /* empty library */
		"1\tgetppid\tlibc.so.6\textra\n",
		"99999999999999999999999\tf\tl\n", /* beyond 64 bits */
		"1\tok\tlib\n\n",                /* an empty line */
	};
	struct call_table t;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		call_table_init(&t);
		assert_int_equal(libcalls_parse(bad[i], "bad", &t), -1);
		call_table_release(&t);
	}
}

static void test_environment(void **state)
{
	char *const plain[] = { "PATH=/bin", "HOME=/root", NULL };
	char *const theirs[] = { "LD_AUDIT=/x/their.so", "STEADY_AUDIT_OUT=/old", "A=1", NULL };
	char **env;

	(void)state;
	env = libcalls_environment(plain, "/lib/steady/libsteady-audit.so", "/tmp/d/a");
	assert_string_equal(env[0], "PATH=/bin");
	assert_string_equal(env[1], "HOME=/root");
	assert_string_equal(env[2], "LD_AUDIT=/lib/steady/libsteady-audit.so");
	assert_string_equal(env[3], "STEADY_AUDIT_OUT=/tmp/d/a");
	assert_null(env[4]);
	libcalls_environment_free(env);

	env = libcalls_environment(theirs, "/s.so", "/tmp/d/b");
	assert_string_equal(env[0], "A=1");
	assert_string_equal(env[1], "LD_AUDIT=/x/their.so:/s.so");
	assert_string_equal(env[2], "STEADY_AUDIT_OUT=/tmp/d/b");
	assert_null(env[3]);
	libcalls_environment_free(env);
}

/* A minimal ELF64 executable header with one program header of type ptype. */
static void make_elf64(const char *path, uint32_t ptype)
{
	struct {
		Elf64_Ehdr eh;
		Elf64_Phdr ph;
	} img;

	memset(&img, 0, sizeof(img));
	memcpy(img.eh.e_ident, ELFMAG, SELFMAG);
	img.eh.e_ident[EI_CLASS] = ELFCLASS64;
	img.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	img.eh.e_ident[EI_VERSION] = EV_CURRENT;
	img.eh.e_type = ET_EXEC;
	img.eh.e_machine = EM_X86_64;
	img.eh.e_phoff = sizeof(Elf64_Ehdr);
	img.eh.e_phentsize = sizeof(Elf64_Phdr);
	img.eh.e_phnum = 1;
	img.ph.p_type = ptype;
	write_file(path, &img, sizeof(img));
}

static void test_is_static(void **state)
{
	struct fixture *f = *state;
	const char *path;

	path = in_dir(f, "dynamic");
	make_elf64(path, PT_INTERP);
	assert_int_equal(libcalls_is_static(path), 0);

	path = in_dir(f, "static");
	make_elf64(path, PT_LOAD);
	assert_int_equal(libcalls_is_static(path), 1);

	/* A script: its interpreter runs, which may well be dynamic. */
	path = in_dir(f, "script");
	write_file(path, "#!/bin/sh\necho hi\n", 18);
	assert_int_equal(libcalls_is_static(path), 0);

	/* Program headers promised but cut off. */
	path = in_dir(f, "cut");
	{
		Elf64_Ehdr eh;

		memset(&eh, 0, sizeof(eh));
		memcpy(eh.e_ident, ELFMAG, SELFMAG);
		eh.e_ident[EI_CLASS] = ELFCLASS64;
		eh.e_phoff = sizeof(eh);
		eh.e_phentsize = sizeof(Elf64_Phdr);
		eh.e_phnum = 3;
		write_file(path, &eh, sizeof(eh));
	}
	assert_int_equal(libcalls_is_static(path), -1);

	path = in_dir(f, "missing");
	assert_int_equal(libcalls_is_static(path), -1);

	/* This test binary itself is dynamic (cmocka and jansson are shared). */
	assert_int_equal(libcalls_is_static("/proc/self/exe"), 0);
}

static void test_collect(void **state)
{
	struct fixture *f = *state;
	struct call_table t;
	pid_t *pids;
	size_t nr;
	const char *path;

	path = in_dir(f, "a.100");
	write_file(path, "5\tgetppid\tlibc.so.6\n", 20);
	path = in_dir(f, "a.200");
	write_file(path, "100\tgetppid\tlibc.so.6\n1\texit\tlibc.so.6\n", 39);
	path = in_dir(f, "b.300");
	write_file(path, "7\tgetppid\tlibc.so.6\n", 20);
	path = in_dir(f, "a.tmp");	/* not a pid: left alone */
	write_file(path, "x", 1);

	call_table_init(&t);
	assert_int_equal(libcalls_collect(f->dir, "a", &t, &pids, &nr), 0);
	assert_int_equal(nr, 2);
	assert_true((pids[0] == 100 && pids[1] == 200) || (pids[0] == 200 && pids[1] == 100));
	assert_int_equal(call_table_find(&t, "getppid@libc.so.6")->calls, 105);
	assert_int_equal(call_table_find(&t, "exit@libc.so.6")->calls, 1);
	free(pids);
	path = in_dir(f, "a.100");
	assert_int_equal(access(path, F_OK), -1);
	path = in_dir(f, "b.300");
	assert_int_equal(access(path, F_OK), 0);
	call_table_release(&t);

	/* A bad file is one error, and the files are still removed. */
	path = in_dir(f, "c.1");
	write_file(path, "oops\n", 5);
	call_table_init(&t);
	assert_int_equal(libcalls_collect(f->dir, "c", &t, &pids, &nr), -1);
	free(pids);
	assert_int_equal(access(path, F_OK), -1);
	call_table_release(&t);

	call_table_init(&t);
	assert_int_equal(libcalls_collect("/nonexistent/steady", "a", &t, &pids, &nr), -1);
	call_table_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_environment),
		cmocka_unit_test_setup_teardown(test_is_static, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collect, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
