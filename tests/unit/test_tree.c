/*
 * Unit tests for toolchain/tree.c and the hunk lookup of toolchain/patch.c.
 * The copies are made for real in the fixture directory (under /tmp, not
 * in a git work tree, so tree_copy_sources copies everything); git's own
 * listing is covered by tests/t0011-toolchain-tree.sh.
 */
#include "unit_fixture.h"

#include <fcntl.h>

#include "toolchain/patch.h"
#include "toolchain/tree.h"

static int setup(void **state)
{
	return fixture_setup(state, NULL);
}

/* ---- patch_find_hunk ---- */

/*
 * Two files; b.c's first hunk removes a line "-- x" (shown "--- x") and
 * adds one "++ y" (shown "+++ y"), which must not read as a file header;
 * its second hunk ends the file without a newline.
 */
static const char diff[] =
	"diff --git a/a.c b/a.c\n"
	"index 1111111..2222222 100644\n"
	"--- a/a.c\n"
	"+++ b/a.c\n"
	"@@ -1,3 +1,3 @@\n"
	" one\n"
	"-two\n"
	"+TWO\n"
	" three\n"
	"@@ -10 +10 @@\n"
	"-ten\n"
	"+TEN\n"
	"--- a/src/b.c\t2024-01-01 00:00:00.000000000 +0000\n"
	"+++ b/src/b.c\t2024-01-02 00:00:00.000000000 +0000\n"
	"@@ -1,3 +1,3 @@\n"
	" alpha\n"
	"--- x\n"
	"+++ y\n"
	" gamma\n"
	"@@ -20,2 +20,2 @@ int main(void)\n"
	" twenty\n"
	"-last\n"
	"\\ No newline at end of file\n"
	"+LAST\n"
	"\\ No newline at end of file\n"
	"--- /dev/null\n"
	"+++ b/new.c\n"
	"@@ -0,0 +1 @@\n"
	"+fresh\n";

/* The hunk as text, or "(none)". */
static char *hunk_text(const char *file, unsigned strip, unsigned no)
{
	size_t len = 0;
	const char *h = patch_find_hunk(diff, file, strip, no, &len);

	return h ? xasprintf("%.*s", (int)len, h) : xstrdup("(none)");
}

static void check_hunk(const char *file, unsigned strip, unsigned no, const char *want)
{
	char *got = hunk_text(file, strip, no);

	assert_string_equal(got, want);
	free(got);
}

static void test_hunk_by_file_and_number(void **state)
{
	(void)state;
	/* hand: the lines from each "@@" to the end of its counted body */
	check_hunk("a.c", 1, 1, "@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n");
	check_hunk("a.c", 1, 2, "@@ -10 +10 @@\n-ten\n+TEN\n");
	check_hunk("src/b.c", 1, 1, "@@ -1,3 +1,3 @@\n alpha\n--- x\n+++ y\n gamma\n");
	check_hunk("src/b.c", 1, 2,
		   "@@ -20,2 +20,2 @@ int main(void)\n twenty\n-last\n"
		   "\\ No newline at end of file\n+LAST\n\\ No newline at end of file\n");
	check_hunk("new.c", 1, 1, "@@ -0,0 +1 @@\n+fresh\n");
}

static void test_hunk_counts_only_in_its_file(void **state)
{
	(void)state;
	/* b.c's hunks are numbered from 1 again; a.c has no third one */
	check_hunk("a.c", 1, 3, "(none)");
	check_hunk("src/b.c", 1, 3, "(none)");
	check_hunk("b.c", 1, 1, "(none)");      /* names are whole paths */
	check_hunk("src/b.c", 0, 1, "(none)");  /* -p0 keeps "b/" */
	check_hunk("b/src/b.c", 0, 1, "@@ -1,3 +1,3 @@\n alpha\n--- x\n+++ y\n gamma\n");
	check_hunk("x", 1, 1, "(none)");        /* "--- x" inside a hunk is no header */
	check_hunk("a.c", 1, 0, "(none)");
}

/* ---- copies ---- */

/* Sets path's times (not following a symlink) to seconds + nanoseconds. */
static void set_time(const char *path, time_t sec, long nsec)
{
	struct timespec ts[2] = { { sec - 100, nsec / 2 }, { sec, nsec } };

	assert_int_equal(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

static void check_same_entry(const char *a, const char *b, int times)
{
	struct stat sa, sb;

	assert_int_equal(lstat(a, &sa), 0);
	if (lstat(b, &sb))
		print_error("missing in the copy: %s\n", b);
	assert_int_equal(lstat(b, &sb), 0);
	assert_int_equal(sa.st_mode, sb.st_mode);  /* type and every mode bit */
	if (times) {
		assert_int_equal(sa.st_mtim.tv_sec, sb.st_mtim.tv_sec);
		assert_int_equal(sa.st_mtim.tv_nsec, sb.st_mtim.tv_nsec);
		/* reading a symlink moves its access time; the copy keeps the old one */
		if (!S_ISLNK(sa.st_mode)) {
			assert_int_equal(sa.st_atim.tv_sec, sb.st_atim.tv_sec);
			assert_int_equal(sa.st_atim.tv_nsec, sb.st_atim.tv_nsec);
		}
	}
	if (S_ISREG(sa.st_mode)) {
		char *ta = read_text(a), *tb = read_text(b);

		assert_string_equal(ta, tb);
		free(ta);
		free(tb);
	} else if (S_ISLNK(sa.st_mode)) {
		char la[256] = "", lb[256] = "";

		assert_true(readlink(a, la, sizeof(la) - 1) > 0);
		assert_true(readlink(b, lb, sizeof(lb) - 1) > 0);
		assert_string_equal(la, lb);
	}
}

/* The tree both copy tests copy; names relative to its top. */
static const char *const entries[] = {
	"", "main.o", "prog", "Makefile", "lib", "lib/util.o", "lib/deep",
	"lib/deep/x.h", "link", "dangling",
};

static void make_tree(const char *top)
{
	char *p;

	assert_int_equal(mkdir(top, 0755), 0);
	p = xasprintf("%s/main.o", top); write_text(p, "object\n"); chmod(p, 0640); free(p);
	p = xasprintf("%s/prog", top); write_text(p, "binary\n"); chmod(p, 04751); free(p);
	p = xasprintf("%s/Makefile", top); write_text(p, "all:\n"); free(p);
	p = xasprintf("%s/lib", top); assert_int_equal(mkdir(p, 0750), 0); free(p);
	p = xasprintf("%s/lib/util.o", top); write_text(p, "util\n"); free(p);
	p = xasprintf("%s/lib/deep", top); assert_int_equal(mkdir(p, 0700), 0); free(p);
	p = xasprintf("%s/lib/deep/x.h", top); write_text(p, "#define X\n"); chmod(p, 0444); free(p);
	p = xasprintf("%s/link", top); assert_int_equal(symlink("lib/util.o", p), 0); free(p);
	p = xasprintf("%s/dangling", top); assert_int_equal(symlink("nowhere", p), 0); free(p);
}

static void test_copy_all_keeps_times_and_modes(void **state)
{
	struct fixture *f = *state;
	char *src = xasprintf("%s/built", f->dir), *dst = xasprintf("%s/copy", f->dir);

	make_tree(src);
	/* Every entry a different time with nanoseconds, the deepest first
	 * so a directory's time is set after its entries are made. */
	for (size_t i = ARRAY_SIZE(entries); i-- > 0; ) {
		char *p = xasprintf("%s/%s", src, entries[i]);

		set_time(p, 1500000000 + (time_t)i * 1000, 123456789 + (long)i);
		free(p);
	}
	/* a read-only directory must still be filled */
	assert_int_equal(chmod(in_dir(f, "built/lib/deep"), 0555), 0);

	assert_int_equal(tree_copy_all(src, dst), 0);
	for (size_t i = 0; i < ARRAY_SIZE(entries); i++) {
		char *a = xasprintf("%s/%s", src, entries[i]);
		char *b = xasprintf("%s/%s", dst, entries[i]);

		check_same_entry(a, b, 1);
		free(a);
		free(b);
	}
	assert_int_equal(tree_remove(dst), 0);
	assert_int_equal(access(dst, F_OK), -1);
	free(src);
	free(dst);
}

static void test_copy_sources_outside_git_copies_everything(void **state)
{
	struct fixture *f = *state;
	char *src = xasprintf("%s/plain", f->dir), *dst = xasprintf("%s/copy", f->dir);
	char *msg;
	int ret;

	make_tree(src);
	assert_int_equal(tree_copy_sources(src, dst), 0);
	for (size_t i = 0; i < ARRAY_SIZE(entries); i++) {
		char *a = xasprintf("%s/%s", src, entries[i]);
		char *b = xasprintf("%s/%s", dst, entries[i]);

		check_same_entry(a, b, 0);
		free(a);
		free(b);
	}

	/* a second copy onto the first is refused, and says where */
	CAPTURE(ret, msg, tree_copy_sources(src, dst));
	assert_int_equal(ret, -1);
	check_message(msg, dst);
	/* and so is a copy into the tree itself */
	CAPTURE(ret, msg, tree_copy_sources(src, in_dir(f, "plain/lib/inside")));
	assert_int_equal(ret, -1);
	check_message(msg, "inside the tree");
	free(src);
	free(dst);
}

static void test_workspace_is_private_under_tmpdir(void **state)
{
	struct fixture *f = *state;
	const char *old = getenv("TMPDIR");
	char *saved = old ? xstrdup(old) : NULL, *ws, *msg, *want;
	struct stat st;

	setenv("TMPDIR", f->dir, 1);
	ws = tree_workspace_new("layout");
	assert_non_null(ws);
	want = xasprintf("%s/steady-layout-", f->dir);
	assert_int_equal(strncmp(ws, want, strlen(want)), 0);
	assert_int_equal(stat(ws, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(tree_remove(ws), 0);
	free(ws);
	free(want);

	setenv("TMPDIR", in_dir(f, "missing"), 1);
	CAPTURE(ws, msg, tree_workspace_new("layout"));
	assert_null(ws);
	check_message(msg, "missing");

	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hunk_by_file_and_number),
		cmocka_unit_test(test_hunk_counts_only_in_its_file),
		cmocka_unit_test_setup_teardown(test_copy_all_keeps_times_and_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_sources_outside_git_copies_everything,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_workspace_is_private_under_tmpdir,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
