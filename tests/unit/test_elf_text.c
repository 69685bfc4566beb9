/*
 * Unit tests for toolchain/elf_text.c on ELF files written byte by byte
 * here, so every field is known: a good file, each of its truncations,
 * damaged fields and garbage. Real binaries built by gcc and clang are
 * compared with readelf in tests/t0012-toolchain-build.sh.
 */
#include "unit_fixture.h"

#include "toolchain/elf_text.h"
#include "toolchain/tree.h"

#include <sys/stat.h>

/*
 * The file: the 64-byte header, the string tables and the symbols, then
 * the section headers last, so that cutting the file anywhere cuts them.
 *   [0] null  [1] .text  [2] .data  [3] .symtab  [4] .strtab  [5] .shstrtab
 */
#define TEXT_SIZE 0x1234u
#define DATA_SIZE 0x88u
#define HOT_ADDR 0x401020u

static const char shstrtab[] = "\0.text\0.data\0.symtab\0.strtab\0.shstrtab";
enum { N_TEXT = 1, N_DATA = 7, N_SYMTAB = 13, N_STRTAB = 21, N_SHSTRTAB = 29 };
static const char strtab[] = "\0hot\0cold\0extern_fn";
enum { S_HOT = 1, S_COLD = 5, S_EXTERN = 10 };

struct image {
	unsigned char b[2048];
	size_t len;
	size_t shoff, shstrtab_off, symtab_off;
};

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static void section(struct image *im, int i, uint32_t name, uint32_t type, uint64_t off,
		    uint64_t size, uint32_t link, uint64_t entsize)
{
	unsigned char *s = im->b + im->shoff + (size_t)i * 64;

	put32(s, name);
	put32(s + 4, type);
	put64(s + 24, off);
	put64(s + 32, size);
	put32(s + 40, link);
	put64(s + 56, entsize);
}

static void symbol(unsigned char *p, uint32_t name, uint16_t shndx, uint64_t value)
{
	put32(p, name);
	p[4] = 0x12;  /* global function */
	put16(p + 6, shndx);
	put64(p + 8, value);
	put64(p + 16, 16);
}

static void make_image(struct image *im)
{
	size_t strtab_off;

	memset(im, 0, sizeof(*im));
	memcpy(im->b, "\177ELF", 4);
	im->b[4] = 2;   /* 64-bit */
	im->b[5] = 1;   /* little-endian */
	im->b[6] = 1;
	put16(im->b + 16, 2);      /* executable */
	put16(im->b + 18, 62);     /* x86_64 */
	put16(im->b + 52, 64);
	put16(im->b + 58, 64);     /* shentsize */
	put16(im->b + 60, 6);      /* shnum */
	put16(im->b + 62, 5);      /* shstrndx */

	im->shstrtab_off = 64;
	memcpy(im->b + im->shstrtab_off, shstrtab, sizeof(shstrtab));
	strtab_off = im->shstrtab_off + sizeof(shstrtab);
	memcpy(im->b + strtab_off, strtab, sizeof(strtab));
	im->symtab_off = (strtab_off + sizeof(strtab) + 7) & ~(size_t)7;
	/* symbol 0 is the null one; extern_fn is undefined (section 0) */
	symbol(im->b + im->symtab_off + 24, S_EXTERN, 0, 0);
	symbol(im->b + im->symtab_off + 48, S_COLD, 1, 0x401000);
	symbol(im->b + im->symtab_off + 72, S_HOT, 1, HOT_ADDR);
	im->shoff = im->symtab_off + 4 * 24;
	put64(im->b + 40, im->shoff);

	section(im, 1, N_TEXT, 1, 0x1000, TEXT_SIZE, 0, 0);
	section(im, 2, N_DATA, 1, 0x3000, DATA_SIZE, 0, 0);
	section(im, 3, N_SYMTAB, 2, im->symtab_off, 4 * 24, 4, 24);
	section(im, 4, N_STRTAB, 3, strtab_off, sizeof(strtab), 0, 0);
	section(im, 5, N_SHSTRTAB, 3, im->shstrtab_off, sizeof(shstrtab), 0, 0);
	im->len = im->shoff + 6 * 64;
}

static int setup(void **state)
{
	return fixture_setup(state, "prog");
}

/* dir and name joined in a buffer of its own; valid until the next call. */
static const char *joined(const char *dir, const char *name)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s%s", dir, name);
	return buf;
}

static void write_image(const struct fixture *f, const struct image *im, size_t len)
{
	write_file(f->path, im->b, len);
}

static void test_sizes_and_symbols(void **state)
{
	struct fixture *f = *state;
	struct image im;
	uint64_t v = 0;

	make_image(&im);
	write_image(f, &im, im.len);
	assert_int_equal(elf_section_size(f->path, ".text", &v), 0);
	assert_int_equal(v, TEXT_SIZE);
	assert_int_equal(elf_section_size(f->path, ".data", &v), 0);
	assert_int_equal(v, DATA_SIZE);
	assert_int_equal(elf_symbol_address(f->path, "hot", &v), 0);
	assert_int_equal(v, HOT_ADDR);
	assert_int_equal(elf_symbol_address(f->path, "cold", &v), 0);
	assert_int_equal(v, 0x401000);
}

static void test_missing_names(void **state)
{
	struct fixture *f = *state;
	struct image im;
	uint64_t v = 7;
	char *msg;
	int ret;

	make_image(&im);
	write_image(f, &im, im.len);
	/* a prefix of a name is not the name */
	CAPTURE(ret, msg, elf_section_size(f->path, ".tex", &v));
	assert_int_equal(ret, -1);
	check_message(msg, "has no section '.tex'");
	CAPTURE(ret, msg, elf_section_size(f->path, ".text.hot", &v));
	assert_int_equal(ret, -1);
	check_message(msg, "has no section '.text.hot'");
	/* an undefined symbol has no address */
	CAPTURE(ret, msg, elf_symbol_address(f->path, "extern_fn", &v));
	assert_int_equal(ret, -1);
	check_message(msg, "no symbol 'extern_fn'");
	assert_int_equal(v, 7);
}

/* Every cut of the file is one error line, never a crash or a wrong size. */
static void test_every_truncation(void **state)
{
	struct fixture *f = *state;
	struct image im;
	uint64_t v;
	char *msg;
	int ret;

	make_image(&im);
	for (size_t len = 0; len < im.len; len++) {
		write_image(f, &im, len);
		CAPTURE(ret, msg, elf_section_size(f->path, ".text", &v));
		assert_int_equal(ret, -1);
		check_message(msg, f->path);
		CAPTURE(ret, msg, elf_symbol_address(f->path, "hot", &v));
		assert_int_equal(ret, -1);
		check_message(msg, f->path);
	}
}

static void expect_damaged(const struct fixture *f, const struct image *im, const char *want)
{
	uint64_t v;
	char *msg;
	int ret;

	write_image(f, im, im->len);
	CAPTURE(ret, msg, elf_section_size(f->path, ".text", &v));
	assert_int_equal(ret, -1);
	check_message(msg, want);
}

static void test_damaged_fields(void **state)
{
	struct fixture *f = *state;
	struct image im;
	uint64_t v;
	char *msg;
	int ret;

	make_image(&im);
	im.b[4] = 1;
	expect_damaged(f, &im, "not a 64-bit little-endian ELF file");
	make_image(&im);
	im.b[5] = 2;
	expect_damaged(f, &im, "not a 64-bit little-endian ELF file");
	make_image(&im);
	im.b[1] = 'X';
	expect_damaged(f, &im, "is not an ELF file");
	make_image(&im);
	put64(im.b + 40, UINT64_MAX - 100);   /* shoff far past the end, wrapping */
	expect_damaged(f, &im, "truncated or damaged");
	make_image(&im);
	put16(im.b + 60, 0xfff0);             /* more sections than the file holds */
	expect_damaged(f, &im, "truncated or damaged");
	make_image(&im);
	put16(im.b + 62, 9);                  /* names in a section that is not there */
	expect_damaged(f, &im, "has no section names");
	make_image(&im);
	put16(im.b + 58, 40);                 /* not ELF64 section headers */
	expect_damaged(f, &im, "has no section headers");
	make_image(&im);
	section(&im, 5, N_SHSTRTAB, 3, UINT64_MAX - 8, 64, 0, 0);
	expect_damaged(f, &im, "truncated or damaged");
	make_image(&im);
	section(&im, 1, 5000, 1, 0x1000, TEXT_SIZE, 0, 0);  /* name past its table */
	expect_damaged(f, &im, "a name outside its string table");

	/* a symbol table that claims more than the file */
	make_image(&im);
	section(&im, 3, N_SYMTAB, 2, im.symtab_off, UINT64_MAX / 2, 4, 24);
	write_image(f, &im, im.len);
	CAPTURE(ret, msg, elf_symbol_address(f->path, "hot", &v));
	assert_int_equal(ret, -1);
	check_message(msg, "damaged symbol table");
	/* the last name of a table without its terminating NUL */
	make_image(&im);
	section(&im, 4, N_STRTAB, 3, im.shstrtab_off + sizeof(shstrtab), S_HOT + 3, 0, 0);
	write_image(f, &im, im.len);
	CAPTURE(ret, msg, elf_symbol_address(f->path, "hot", &v));
	assert_int_equal(ret, -1);
	check_message(msg, "a name outside its string table");
}

/* Random bytes behind a valid header: any answer but a crash. */
static void test_garbage(void **state)
{
	struct fixture *f = *state;
	struct image im;
	uint64_t v, x = 88172645463325252ull;
	char *msg;
	int ret;

	for (int round = 0; round < 300; round++) {
		make_image(&im);
		for (size_t i = 24 + (size_t)round % 40; i < im.len; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* each byte changed with probability 1/8 */
			if ((x & 7) == 0)
				im.b[i] = (unsigned char)(x >> 8);
		}
		write_image(f, &im, im.len);
		CAPTURE(ret, msg, elf_section_size(f->path, ".text", &v));
		assert_true(ret == 0 || ret == -1);
		free(msg);
		CAPTURE(ret, msg, elf_symbol_address(f->path, "hot", &v));
		assert_true(ret == 0 || ret == -1);
		free(msg);
	}
}

static void test_not_a_file(void **state)
{
	struct fixture *f = *state;
	uint64_t v;
	char *msg;
	int ret;

	CAPTURE(ret, msg, elf_section_size(f->path, ".text", &v));
	assert_int_equal(ret, -1);
	check_message(msg, "cannot open");
	CAPTURE(ret, msg, elf_section_size(f->dir, ".text", &v));
	assert_int_equal(ret, -1);
	check_message(msg, "not a regular file");
}

/*
 * An image whose .text lies inside the file (16 bytes at offset 64, over
 * the string table: bytes are bytes), of ELF type type, its first .text
 * byte set to mark.
 */
static void linked_image(struct image *im, uint16_t type, unsigned char mark)
{
	make_image(im);
	put16(im->b + 16, type);
	section(im, 1, N_TEXT, 1, 64, 16, 0, 0);
	im->b[64] = mark;
}

static void test_linked_text_digest(void **state)
{
	struct fixture *f = *state;
	struct image im;
	uint64_t d1[2], d2[2];
	size_t linked;

	/* hand: ET_EXEC (2) and ET_DYN (3) are linked files, ET_REL (1) is not */
	linked_image(&im, 2, 0);
	write_image(f, &im, im.len);
	assert_int_equal(elf_linked_text_digest(f->path, d1), 1);
	linked_image(&im, 3, 0);
	write_image(f, &im, im.len);
	assert_int_equal(elf_linked_text_digest(f->path, d2), 1);
	/* the type is no part of the code: the same .text, the same digest */
	assert_true(d1[0] == d2[0] && d1[1] == d2[1]);
	linked_image(&im, 1, 0);
	write_image(f, &im, im.len);
	assert_int_equal(elf_linked_text_digest(f->path, d1), 0);
	/* hand: a script, a FIFO (never waited on), a link: none of them */
	write_text(in_dir(f, "script"), "#!/bin/sh\nexit 0\n" "# padding the file past 64 bytes of its own.....\n");
	assert_int_equal(elf_linked_text_digest(in_dir(f, "script"), d1), 0);
	assert_int_equal(mkfifo(in_dir(f, "fifo"), 0600), 0);
	assert_int_equal(elf_linked_text_digest(in_dir(f, "fifo"), d1), 0);

	/*
	 * hand: a tree of a program, a library in lib/, an object and a text
	 * file: two linked files. A copy of the tree digests the same; the
	 * library's code changed (the program as it was, as with a launcher
	 * whose code is in the library) digests otherwise.
	 */
	assert_int_equal(mkdir(in_dir(f, "t1"), 0700), 0);
	assert_int_equal(mkdir(in_dir(f, "t1/lib"), 0700), 0);
	assert_int_equal(mkdir(in_dir(f, "t2"), 0700), 0);
	assert_int_equal(mkdir(in_dir(f, "t2/lib"), 0700), 0);
	for (int t = 1; t <= 2; t++) {
		char dir[16];

		snprintf(dir, sizeof(dir), "t%d", t);
		linked_image(&im, 2, 0x55);
		write_file(in_dir(f, joined(dir, "/prog")), im.b, im.len);
		linked_image(&im, 3, 0x66);
		write_file(in_dir(f, joined(dir, "/lib/libx.so")), im.b, im.len);
		linked_image(&im, 1, (unsigned char)t);  /* objects differ: not counted */
		write_file(in_dir(f, joined(dir, "/x.o")), im.b, im.len);
		write_text(in_dir(f, joined(dir, "/notes.txt")), dir);
	}
	assert_int_equal(tree_code_digest(in_dir(f, "t1"), d1, &linked), 0);
	assert_int_equal(linked, 2);
	assert_int_equal(tree_code_digest(in_dir(f, "t2"), d2, &linked), 0);
	assert_true(d1[0] == d2[0] && d1[1] == d2[1]);
	linked_image(&im, 3, 0x67);
	write_file(in_dir(f, "t2/lib/libx.so"), im.b, im.len);
	assert_int_equal(tree_code_digest(in_dir(f, "t2"), d2, &linked), 0);
	assert_false(d1[0] == d2[0] && d1[1] == d2[1]);
}

/* The test binary itself: a real linker's output has a .text and main. */
static void test_own_binary(void **state)
{
	uint64_t size = 0, addr = 0;

	(void)state;
	assert_int_equal(elf_section_size("/proc/self/exe", ".text", &size), 0);
	assert_true(size > 1000);
	assert_int_equal(elf_symbol_address("/proc/self/exe", "main", &addr), 0);
	assert_true(addr > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sizes_and_symbols, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_truncation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linked_text_digest, setup, teardown),
		cmocka_unit_test(test_own_binary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
