/*
 * Unit tests for profile/symbols.c on real files built here with the
 * system cc: a PIE and a non-PIE program, a shared library, a stripped
 * program and one with debug information. The expected addresses come
 * from steady's own ELF reader (toolchain/elf_text), not from symbols.c.
 */
#include "unit_fixture.h"

#include "profile/symbols.h"
#include "toolchain/elf_text.h"

/* hot() and cold() each on one line, so their lines are known: 3 and 4. */
static const char program[] =
	"#include <stdio.h>\n"
	"static volatile int sink;\n"
	"__attribute__((noinline)) static int hot(int x) { int s = 0; for (int i = 0; i < x; i++) s += i * i; sink = s; return s; }\n"
	"__attribute__((noinline)) static int cold(int x) { sink = x * 3; return sink + 1; }\n"
	"int main(int argc, char **argv) { (void)argv; printf(\"%d\\n\", hot(argc) + cold(argc)); return 0; }\n";

static const char library[] =
	"int lib_fn(int x);\n"
	"int lib_fn(int x) { return x * 7 + 1; }\n";

static int setup(void **state)
{
	return fixture_setup(state, NULL);
}

/* Writes src to dir/name.c and runs cc flags on it into dir/name. */
static char *build(const struct fixture *f, const char *name, const char *src,
		   const char *flags)
{
	char *c = xasprintf("%s/%s.c", f->dir, name);
	char *out = xasprintf("%s/%s", f->dir, name);
	char *cmd;

	write_text(c, src);
	cmd = xasprintf("cd %s && cc -O0 %s %s.c -o %s", f->dir, flags, name, name);
	if (system(cmd) != 0)
		fail_msg("cannot build: %s", cmd);
	free(cmd);
	free(c);
	return out;
}

static uint64_t address_of(const char *path, const char *name)
{
	uint64_t addr = 0;

	assert_int_equal(elf_symbol_address(path, name, &addr), 0);
	assert_true(addr != 0);
	return addr;
}

/* Finds name at its start and inside it (one byte in; half way when sized). */
static void check_function(const struct symtab *t, const char *path, const char *name)
{
	uint64_t addr = address_of(path, name);
	const struct symbol *s = symtab_find(t, addr);

	assert_non_null(s);
	assert_string_equal(s->name, name);
	assert_int_equal(s->start, addr);
	assert_true(s->size > 1);
	assert_ptr_equal(symtab_find(t, addr + 1), s);
	assert_ptr_equal(symtab_find(t, addr + s->size / 2), s);
	assert_ptr_equal(symtab_find(t, addr + s->size - 1), s);
	/* Just past the end: another function or padding, never this one. */
	assert_ptr_not_equal(symtab_find(t, addr + s->size), s);
}

static void check_program(const struct fixture *f, const char *flags, int pie)
{
	struct symtab t;
	char *path = build(f, "prog", program, flags);

	assert_int_equal(symtab_load(path, &t), 0);
	assert_string_equal(t.path, path);
	assert_int_equal(t.pie, pie);
	assert_int_equal(t.stripped, 0);
	assert_true(t.nr >= 3);
	assert_true(t.nr_segs >= 2);
	assert_true(t.text_vaddr != 0);
	for (size_t i = 1; i < t.nr; i++)
		assert_true(t.syms[i - 1].start < t.syms[i].start);
	check_function(&t, path, "hot");
	check_function(&t, path, "cold");
	check_function(&t, path, "main");
	/* Below every function: nothing. */
	assert_null(symtab_find(&t, 0));
	assert_null(symtab_find(&t, t.syms[0].start - 1));
	symtab_release(&t);
	symtab_release(&t);  /* an empty one again: nothing happens */
	free(path);
}

static void test_pie(void **state)
{
	check_program(*state, "-fPIE -pie", 1);
}

static void test_not_pie(void **state)
{
	check_program(*state, "-fno-pie -no-pie", 0);
}

static void test_shared_library(void **state)
{
	struct fixture *f = *state;
	struct symtab t;
	char *path = build(f, "libx.so", library, "-shared -fPIC");

	assert_int_equal(symtab_load(path, &t), 0);
	assert_int_equal(t.pie, 1);
	assert_int_equal(t.stripped, 0);
	check_function(&t, path, "lib_fn");
	symtab_release(&t);
	free(path);
}

static void test_stripped(void **state)
{
	struct fixture *f = *state;
	struct symtab t;
	char *path = build(f, "prog", program, "-fPIE -pie");
	uint64_t hot = address_of(path, "hot");
	char *cmd = xasprintf("strip --strip-all %s", path);
	const struct symbol *s;

	assert_int_equal(system(cmd), 0);
	assert_int_equal(symtab_load(path, &t), 0);
	assert_int_equal(t.stripped, 1);
	assert_int_equal(t.pie, 1);
	/* An internal function is gone with .symtab; .dynsym names no such thing. */
	s = symtab_find(&t, hot);
	assert_true(!s || strcmp(s->name, "hot"));
	for (size_t i = 0; i < t.nr; i++)
		assert_string_not_equal(t.syms[i].name, "hot");
	assert_null(symtab_line(&t, hot));
	symtab_release(&t);
	free(cmd);
	free(path);
}

/* The line table names the file and the line each function is written on. */
static void test_lines(void **state)
{
	struct fixture *f = *state;
	struct symtab t;
	char *path = build(f, "dbg", program, "-g -fPIE -pie");
	uint64_t hot = address_of(path, "hot"), cold = address_of(path, "cold");
	char *line;

	assert_int_equal(symtab_load(path, &t), 0);
	line = symtab_line(&t, hot);
	assert_non_null(line);
	assert_true(strlen(line) > 7);
	assert_string_equal(line + strlen(line) - 7, "dbg.c:3");
	free(line);
	line = symtab_line(&t, cold);
	assert_non_null(line);
	assert_string_equal(line + strlen(line) - 7, "dbg.c:4");
	free(line);
	/* Inside hot(): still its line, the whole function is on it. */
	line = symtab_line(&t, hot + symtab_find(&t, hot)->size / 2);
	assert_non_null(line);
	assert_string_equal(line + strlen(line) - 7, "dbg.c:3");
	free(line);
	assert_null(symtab_line(&t, 0));
	symtab_release(&t);

	/* Without -g: no lines, no message. */
	free(path);
	path = build(f, "nodbg", program, "-g0 -fPIE -pie");
	assert_int_equal(symtab_load(path, &t), 0);
	assert_null(symtab_line(&t, address_of(path, "hot")));
	symtab_release(&t);
	free(path);
}

static void test_addr_of_ip(void **state)
{
	struct fixture *f = *state;
	struct symtab t;
	char *path = build(f, "prog", program, "-fPIE -pie");
	uint64_t hot = address_of(path, "hot"), addr = 0;
	const uint64_t base = 0x555555554000u;

	assert_int_equal(symtab_load(path, &t), 0);
	/* The whole file mapped from offset 0 at base. */
	assert_int_equal(symtab_addr_of_ip(&t, base + hot - t.text_vaddr + t.text_offset, base, 0,
					   &addr), 0);
	assert_int_equal(addr, hot);
	assert_string_equal(symtab_find(&t, addr)->name, "hot");
	/* Only the text segment mapped, at its own page, as ld.so maps it. */
	addr = 0;
	assert_int_equal(symtab_addr_of_ip(&t, base + 0x1000 + (hot - t.text_vaddr), base + 0x1000,
					   t.text_offset, &addr), 0);
	assert_int_equal(addr, hot);
	/* Below the mapping, and past every segment: no address. */
	assert_int_equal(symtab_addr_of_ip(&t, base - 1, base, 0, &addr), -1);
	assert_int_equal(symtab_addr_of_ip(&t, base + (1ull << 40), base, 0, &addr), -1);
	symtab_release(&t);
	free(path);
}

static void test_addr_of_ip_not_pie(void **state)
{
	struct fixture *f = *state;
	struct symtab t;
	char *path = build(f, "prog", program, "-fno-pie -no-pie");
	uint64_t cold = address_of(path, "cold"), addr = 0;

	assert_int_equal(symtab_load(path, &t), 0);
	/* Mapped where it was linked to be: the ip is the address. */
	assert_int_equal(symtab_addr_of_ip(&t, cold, t.text_vaddr, t.text_offset, &addr), 0);
	assert_int_equal(addr, cold);
	symtab_release(&t);
	free(path);
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	struct symtab t;
	char *msg, *text = xasprintf("%s/notes.txt", f->dir);
	char *missing = xasprintf("%s/missing", f->dir);
	int ret;

	write_text(text, "not an ELF file at all\n");
	CAPTURE(ret, msg, symtab_load(text, &t));
	assert_int_equal(ret, -1);
	check_message(msg, "is not an ELF file");
	assert_null(t.syms);
	assert_null(t.path);
	CAPTURE(ret, msg, symtab_load(missing, &t));
	assert_int_equal(ret, -1);
	check_message(msg, "cannot open");
	CAPTURE(ret, msg, symtab_load(f->dir, &t));
	assert_int_equal(ret, -1);
	check_message(msg, "is not an ELF file");
	free(text);
	free(missing);
}

static void test_cache(void **state)
{
	struct fixture *f = *state;
	struct symcache c = SYMCACHE_INIT;
	char *path = build(f, "prog", program, "-fPIE -pie");
	char *missing = xasprintf("%s/missing", f->dir);
	struct symtab *a, *b;
	char *msg;

	a = symcache_get(&c, path);
	assert_non_null(a);
	/* Many other files after it: a stays where it was. */
	for (int i = 0; i < 40; i++) {
		char *other = xasprintf("%s/none-%d", f->dir, i);

		CAPTURE(b, msg, symcache_get(&c, other));
		assert_null(b);
		check_message(msg, "cannot open");
		free(other);
	}
	b = symcache_get(&c, path);
	assert_ptr_equal(a, b);
	assert_string_equal(symtab_find(b, address_of(path, "hot"))->name, "hot");
	/* A file that failed once fails again without a second message. */
	CAPTURE(b, msg, symcache_get(&c, missing));
	assert_null(b);
	check_message(msg, "cannot open");
	CAPTURE(b, msg, symcache_get(&c, missing));
	assert_null(b);
	assert_string_equal(msg, "");
	free(msg);
	symcache_release(&c);
	assert_int_equal(c.nr, 0);
	symcache_release(&c);
	free(missing);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pie, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_pie, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_library, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stripped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addr_of_ip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addr_of_ip_not_pie, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
