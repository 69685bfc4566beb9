/*
 * Unit tests for toolchain/diff.c. The diffs are real ones, written by git
 * and GNU diff (tests/fixtures/diffs/, see its make.sh); a few short ones
 * are written here by hand where no tool writes them (hunks joined from
 * two diffs, diffs cut short or made longer). Subsets are checked the way
 * bisect uses them: applied with GNU patch -p1 to a copy of the tree the
 * diffs were made from, and compared with that tree changed by git.
 */
#include "unit_fixture.h"

#include "toolchain/diff.h"

static int setup(void **state)
{
	return fixture_setup(state, NULL);
}

/* ---- helpers ---- */

static char *fixture_text(const char *name)
{
	char *rel = xasprintf("diffs/%s", name), *path = fixture_path(rel), *text;

	text = read_text(path);
	free(path);
	free(rel);
	return text;
}

static void parse_fixture(const char *name, struct diff *d)
{
	char *rel = xasprintf("diffs/%s", name), *path = fixture_path(rel);

	assert_int_equal(diff_read_file(path, d), 0);
	free(path);
	free(rel);
}

/* The patch of the chosen groups, as a string. */
static char *subset(const struct diff *d, const unsigned char *groups)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(diff_write_subset(d, groups, fp), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

/* Every group chosen but those listed (ended by -1). */
static unsigned char *all_but(const struct diff *d, int skip, ...)
{
	unsigned char *groups = xcalloc(d->nr_groups + 1, 1);
	va_list ap;

	memset(groups, 1, d->nr_groups);
	va_start(ap, skip);
	for (int g = skip; g >= 0; g = va_arg(ap, int))
		groups[g] = 0;
	va_end(ap);
	return groups;
}

/* Only the groups listed (ended by -1). */
static unsigned char *only(const struct diff *d, int first, ...)
{
	unsigned char *groups = xcalloc(d->nr_groups + 1, 1);
	va_list ap;

	va_start(ap, first);
	for (int g = first; g >= 0; g = va_arg(ap, int))
		groups[g] = 1;
	va_end(ap);
	return groups;
}

/* The "@@" lines of a patch, one after the other. */
static char *hunk_lines(const char *patch)
{
	char *out = xcalloc(strlen(patch) + 1, 1);
	size_t n = 0;

	for (const char *p = patch; *p; ) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl + 1 - p) : strlen(p);

		if (!strncmp(p, "@@", 2)) {
			memcpy(out + n, p, len);
			n += len;
		}
		p += len;
	}
	return out;
}

/* A copy of tests/fixtures/diffs/base as DIR/tree. */
static void copy_base(const struct fixture *f)
{
	char *base = fixture_path("diffs/base");
	char *cmd = xasprintf("cp -a '%s' '%s/tree'", base, f->dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(base);
}

/*
 * The patch applied in DIR/tree by GNU patch -p1, as bisect applies it;
 * what patch said, which must not mention an offset or fuzz: every hunk
 * was where its "@@" line says.
 */
static void apply(const struct fixture *f, const char *patch)
{
	char *cmd = xasprintf("cd '%s/tree' && patch -p1 --batch < ../subset.diff > ../patch.out 2>&1",
			      f->dir);
	char *said;
	int rc;

	write_text(in_dir(f, "subset.diff"), patch);
	rc = system(cmd);
	said = read_text(in_dir(f, "patch.out"));
	if (rc)
		print_error("patch said:\n%s", said);
	assert_int_equal(rc, 0);
	assert_null(strstr(said, "offset"));
	assert_null(strstr(said, "fuzz"));
	free(said);
	free(cmd);
}

static void check_tree_file(const struct fixture *f, const char *name, const char *want)
{
	char *rel = xasprintf("tree/%s", name);
	char *got = read_text(in_dir(f, rel));

	assert_string_equal(got, want);
	free(got);
	free(rel);
}

/* A file of DIR/tree is the same as a file of the fixtures. */
static void check_tree_like(const struct fixture *f, const char *name, const char *fixture)
{
	char *want = fixture_text(fixture);

	check_tree_file(f, name, want);
	free(want);
}

/* DIR/tree back as base is. */
static void reset_tree(const struct fixture *f)
{
	char *cmd = xasprintf("rm -rf '%s/tree'", f->dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	copy_base(f);
}

static int tree_has(const struct fixture *f, const char *name)
{
	char *rel = xasprintf("tree/%s", name);
	int there = access(in_dir(f, rel), F_OK) == 0;

	free(rel);
	return there;
}

#define check_path(got, want) \
	do { \
		if (want) \
			assert_string_equal((got), (want)); \
		else \
			assert_null(got); \
	} while (0)

static void check_group_label(const struct diff *d, size_t group, const char *want)
{
	char *label = diff_group_label(d, group);

	assert_string_equal(label, want);
	free(label);
}

/* ---- what git writes ---- */

static const struct file_want {
	const char *old_path, *new_path;
	int is_new, is_deleted, is_rename, is_copy, mode_change, is_binary;
	size_t nr_hunks;
} git_kinds[] = {
	{ NULL, "added.txt", 1, 0, 0, 0, 0, 0, 1 },
	{ "blob.bin", "blob.bin", 0, 0, 0, 0, 0, 1, 0 },
	{ "copysrc.txt", "copydst.txt", 0, 0, 0, 1, 0, 0, 1 },
	{ "crlf.txt", "crlf.txt", 0, 0, 0, 0, 0, 0, 1 },
	{ "dashes.txt", "dashes.txt", 0, 0, 0, 0, 0, 0, 1 },
	{ "deleted.txt", NULL, 0, 1, 0, 0, 0, 0, 1 },
	{ NULL, "empty.txt", 1, 0, 0, 0, 0, 0, 0 },
	{ "main.c", "main.c", 0, 0, 0, 0, 0, 0, 2 },
	{ "mode.sh", "mode.sh", 0, 0, 0, 0, 1, 0, 0 },
	{ "mode_edit.sh", "mode_edit.sh", 0, 0, 0, 0, 1, 0, 1 },
	{ "old_name.txt", "new_name.txt", 0, 0, 1, 0, 0, 0, 0 },
	{ "nonl.txt", "nonl.txt", 0, 0, 0, 0, 0, 0, 1 },
	{ "one.txt", "one.txt", 0, 0, 0, 0, 0, 0, 1 },
	{ "renamed_edit.c", "renamed_done.c", 0, 0, 1, 0, 0, 0, 2 },
	{ "tail.txt", "tail.txt", 0, 0, 0, 0, 0, 0, 1 },
};

static void check_files(const struct diff *d, const struct file_want *want, size_t n)
{
	size_t hunk = 0;

	assert_int_equal(d->nr_files, n);
	for (size_t i = 0; i < n; i++) {
		const struct diff_file *f = &d->files[i];

		check_path(f->old_path, want[i].old_path);
		check_path(f->new_path, want[i].new_path);
		assert_int_equal(f->is_new, want[i].is_new);
		assert_int_equal(f->is_deleted, want[i].is_deleted);
		assert_int_equal(f->is_rename, want[i].is_rename);
		assert_int_equal(f->is_copy, want[i].is_copy);
		assert_int_equal(f->mode_change, want[i].mode_change);
		assert_int_equal(f->is_binary, want[i].is_binary);
		assert_int_equal(f->nr_hunks, want[i].nr_hunks);
		assert_int_equal(f->first_hunk, hunk);
		for (size_t h = f->first_hunk; h < f->first_hunk + f->nr_hunks; h++)
			assert_int_equal(d->hunks[h].file, i);
		/* a file without hunks is a group; one with hunks is not */
		if (f->nr_hunks)
			assert_int_equal(f->group, DIFF_NO_GROUP);
		else
			assert_true(f->group < d->nr_groups);
		hunk += f->nr_hunks;
	}
	assert_int_equal(d->nr_hunks, hunk);
}

/* Groups are numbered in the order they are first met, files and hunks in order. */
static void check_group_order(const struct diff *d)
{
	size_t next = 0;

	for (size_t i = 0; i < d->nr_files; i++) {
		const struct diff_file *f = &d->files[i];
		size_t nr = f->nr_hunks ? f->nr_hunks : 1;

		for (size_t j = 0; j < nr; j++) {
			size_t g = f->nr_hunks ? d->hunks[f->first_hunk + j].group : f->group;

			assert_true(g <= next);
			if (g == next)
				next++;
		}
	}
	assert_int_equal(next, d->nr_groups);
}

static const struct diff_hunk *file_hunk(const struct diff *d, size_t file, size_t nth)
{
	assert_true(nth < d->files[file].nr_hunks);
	return &d->hunks[d->files[file].first_hunk + nth];
}

static void test_git_kinds(void **state)
{
	struct diff d;
	const struct diff_hunk *h;
	char *label;

	(void)state;
	parse_fixture("git-kinds.diff", &d);
	check_files(&d, git_kinds, ARRAY_SIZE(git_kinds));
	assert_string_equal(d.preamble, "");

	/* headers, exactly */
	assert_string_equal(d.files[10].header,
			    "diff --git a/old_name.txt b/new_name.txt\n"
			    "similarity index 100%\n"
			    "rename from old_name.txt\n"
			    "rename to new_name.txt\n");
	assert_string_equal(d.files[8].header,
			    "diff --git a/mode.sh b/mode.sh\nold mode 100644\nnew mode 100755\n");
	assert_string_equal(d.files[6].header,
			    "diff --git a/empty.txt b/empty.txt\n"
			    "new file mode 100644\nindex 0000000..e69de29\n");
	assert_string_equal(d.files[1].header,
			    "diff --git a/blob.bin b/blob.bin\n"
			    "index 88768ef..3e3315e 100644\n"
			    "Binary files a/blob.bin and b/blob.bin differ\n");
	assert_string_equal(d.files[0].header,
			    "diff --git a/added.txt b/added.txt\nnew file mode 100644\n"
			    "index 0000000..9d8f9d4\n--- /dev/null\n+++ b/added.txt\n");

	/* "@@ -1 +1 @@": counts of 1 left out */
	h = file_hunk(&d, 12, 0);
	assert_int_equal(h->old_start, 1);
	assert_int_equal(h->old_count, 1);
	assert_int_equal(h->new_start, 1);
	assert_int_equal(h->new_count, 1);
	assert_string_equal(h->header_line, "@@ -1 +1 @@\n");
	assert_string_equal(h->header_tail, "");
	assert_string_equal(h->text, "-single\n+uno\n");

	/* the function git shows after the second "@@" */
	h = file_hunk(&d, 7, 1);
	assert_int_equal(h->old_start, 27);
	assert_int_equal(h->old_count, 7);
	assert_int_equal(h->new_start, 27);
	assert_int_equal(h->new_count, 8);
	assert_string_equal(h->header_tail, " line 26");
	assert_string_equal(h->header_line, "@@ -27,7 +27,8 @@ line 26\n");

	/* a new and a deleted file: counts of 0 */
	h = file_hunk(&d, 0, 0);
	assert_int_equal(h->old_start, 0);
	assert_int_equal(h->old_count, 0);
	assert_int_equal(h->new_count, 2);
	h = file_hunk(&d, 5, 0);
	assert_int_equal(h->new_start, 0);
	assert_int_equal(h->new_count, 0);

	/* the CRs of a CRLF file are part of its lines */
	h = file_hunk(&d, 3, 0);
	assert_string_equal(h->text, " one\r\n-two\r\n+TWO\r\n three\r\n four\r\n");
	assert_int_equal(h->text_len, strlen(h->text));

	/* "-- sig" removed shows "--- sig": a line of the hunk, not a header */
	h = file_hunk(&d, 4, 0);
	assert_string_equal(h->text, "--- sig\n body\n end\n");

	/* no newline at the end of the old file, then of the new one (the diff's last line) */
	assert_string_equal(file_hunk(&d, 11, 0)->text,
			    " alpha\n-beta\n-gamma\n\\ No newline at end of file\n+BETA\n+gamma\n");
	assert_string_equal(file_hunk(&d, 14, 0)->text,
			    " x\n-y\n+Y\n\\ No newline at end of file\n");

	/* 15 files, main.c two groups: 16; a rename's two hunks go together */
	assert_int_equal(d.nr_groups, 16);
	assert_int_equal(file_hunk(&d, 13, 0)->group, file_hunk(&d, 13, 1)->group);
	assert_int_not_equal(file_hunk(&d, 7, 0)->group, file_hunk(&d, 7, 1)->group);
	check_group_label(&d, d.files[8].group, "mode.sh (mode 100644 -> 100755)");
	check_group_label(&d, d.files[10].group, "new_name.txt (renamed from old_name.txt)");
	check_group_label(&d, d.files[6].group, "empty.txt (new file)");
	check_group_label(&d, d.files[1].group, "blob.bin (binary)");
	check_group_label(&d, file_hunk(&d, 13, 0)->group,
			  "renamed_done.c (renamed from renamed_edit.c) @@ -1,6 +1,6 @@ @@ -24,7 +24,7 @@");
	check_group_label(&d, file_hunk(&d, 2, 0)->group,
			  "copydst.txt (copied from copysrc.txt) @@ -18,3 +18,4 @@");
	check_group_label(&d, file_hunk(&d, 9, 0)->group,
			  "mode_edit.sh (mode 100644 -> 100755) @@ -1 +1 @@");
	check_group_label(&d, file_hunk(&d, 5, 0)->group, "deleted.txt (deleted) @@ -1,2 +0,0 @@");
	label = diff_hunk_label(&d, d.files[7].first_hunk + 1);
	assert_string_equal(label, "main.c @@ -27,7 +27,8 @@");
	free(label);
	check_group_order(&d);
	diff_release(&d);
}

static void test_git_kinds_apply(void **state)
{
	struct fixture *f = *state;
	struct diff d;
	char *text = fixture_text("git-kinds.diff"), *out;
	unsigned char *groups;
	struct stat st;

	parse_fixture("git-kinds.diff", &d);
	groups = all_but(&d, -1);
	out = subset(&d, groups);
	/* every group: the input, byte for byte */
	assert_string_equal(out, text);
	copy_base(f);
	apply(f, out);
	check_tree_file(f, "added.txt", "fresh\nfile\n");
	assert_false(tree_has(f, "deleted.txt"));
	assert_true(tree_has(f, "empty.txt"));
	assert_false(tree_has(f, "old_name.txt"));
	check_tree_file(f, "new_name.txt", "keep\n");
	assert_false(tree_has(f, "renamed_edit.c"));
	assert_true(tree_has(f, "renamed_done.c"));
	check_tree_file(f, "crlf.txt", "one\r\nTWO\r\nthree\r\nfour\r\n");
	check_tree_file(f, "nonl.txt", "alpha\nBETA\ngamma\n");
	check_tree_file(f, "tail.txt", "x\nY");
	check_tree_file(f, "dashes.txt", "body\nend\n");
	check_tree_file(f, "mode_edit.sh", "echo edited\n");
	assert_int_equal(stat(in_dir(f, "tree/mode.sh"), &st), 0);
	assert_true(st.st_mode & S_IXUSR);
	free(out);
	free(groups);
	free(text);
	diff_release(&d);
}

/* The files without hunks, chosen alone: their headers, and nothing else. */
static void test_hunkless_groups_apply(void **state)
{
	struct fixture *f = *state;
	struct diff d;
	unsigned char *groups;
	char *out, *want, *main_c = fixture_text("base/main.c");
	struct stat st;

	parse_fixture("git-kinds.diff", &d);
	groups = only(&d, (int)d.files[6].group, (int)d.files[8].group, (int)d.files[10].group, -1);
	out = subset(&d, groups);
	want = xasprintf("%s%s%s", d.files[6].header, d.files[8].header, d.files[10].header);
	assert_string_equal(out, want);
	copy_base(f);
	apply(f, out);
	assert_true(tree_has(f, "empty.txt"));
	check_tree_file(f, "new_name.txt", "keep\n");
	assert_false(tree_has(f, "old_name.txt"));
	assert_int_equal(stat(in_dir(f, "tree/mode.sh"), &st), 0);
	assert_true(st.st_mode & S_IXUSR);
	/* the rest as it was */
	check_tree_file(f, "main.c", main_c);
	assert_true(tree_has(f, "deleted.txt"));
	assert_false(tree_has(f, "added.txt"));
	assert_int_equal(stat(in_dir(f, "tree/mode_edit.sh"), &st), 0);
	assert_false(st.st_mode & S_IXUSR);
	free(main_c);
	free(want);
	free(out);
	free(groups);
	diff_release(&d);
}

static void test_git_names(void **state)
{
	static const struct file_want want[] = {
		{ "sp ace.sh", "sp ace.sh", 0, 0, 0, 0, 1, 0, 0 },
		{ NULL, "sp ace.txt", 1, 0, 0, 0, 0, 0, 1 },
		{ NULL, "tab\tname.txt", 1, 0, 0, 0, 0, 0, 1 },
	};
	struct diff d;

	(void)state;
	parse_fixture("names.diff", &d);
	check_files(&d, want, ARRAY_SIZE(want));
	diff_release(&d);
}

/* A mail with CRLF line ends: names and "@@" lines read without the CRs. */
static void test_crlf_mail(void **state)
{
	struct diff d;
	char *text = fixture_text("crlf-mail.diff"), *out;
	unsigned char *groups;

	(void)state;
	parse_fixture("crlf-mail.diff", &d);
	assert_int_equal(d.nr_files, 2);
	assert_string_equal(d.files[0].old_path, "main.c");
	assert_string_equal(d.files[1].new_path, "one.txt");
	assert_int_equal(d.nr_hunks, 3);
	assert_string_equal(d.hunks[0].header_tail, " line 1");
	assert_string_equal(d.hunks[0].header_line, "@@ -2,7 +2,7 @@ line 1\r\n");
	assert_int_equal(d.hunks[1].new_count, 8);
	assert_string_equal(d.hunks[2].text, "-single\r\n+uno\r\n");
	groups = all_but(&d, -1);
	out = subset(&d, groups);
	assert_string_equal(out, text);
	free(out);
	free(groups);
	free(text);
	diff_release(&d);
}

/* ---- git format-patch ---- */

static void test_format_patch(void **state)
{
	struct diff d;
	char *text = fixture_text("format-patch.patch"), *out, *want;
	const char *first = strstr(text, "\ndiff --git ") + 1;
	const char *signature = strstr(text, "\n-- \n") + 1;
	unsigned char *groups;

	(void)state;
	parse_fixture("format-patch.patch", &d);
	/* the mail and commit message, "--- not a header" and the diffstat in it */
	assert_int_equal(strlen(d.preamble), (size_t)(first - text));
	assert_memory_equal(d.preamble, text, strlen(d.preamble));
	assert_non_null(strstr(d.preamble, "--- not a header\n"));
	assert_int_equal(d.nr_files, 2);
	assert_int_equal(d.nr_groups, 2);
	/* the "-- " signature is not a removed line of the last hunk */
	assert_string_equal(d.hunks[1].text, "-single\n+uno\n");
	groups = all_but(&d, -1);
	out = subset(&d, groups);
	want = xasprintf("%.*s", (int)(signature - first), first);
	assert_string_equal(out, want);
	free(want);
	free(out);
	free(groups);
	free(text);
	diff_release(&d);
}

/* Two mails changing main.c: the later counts on the earlier, so one group. */
static void test_series(void **state)
{
	struct fixture *f = *state;
	struct diff d;
	char *out, *got, *main_c = fixture_text("base/main.c");
	unsigned char *groups;

	parse_fixture("series.patch", &d);
	assert_int_equal(d.nr_files, 4);
	assert_string_equal(d.files[0].new_path, "main.c");
	assert_string_equal(d.files[3].new_path, "main.c");
	assert_int_equal(d.nr_groups, 3);
	assert_int_equal(d.hunks[0].group, d.hunks[3].group);
	check_group_label(&d, 0, "main.c @@ -1,5 +1,5 @@, main.c @@ -35,6 +35,6 @@");
	check_group_label(&d, 1, "one.txt @@ -1 +1 @@");
	check_group_label(&d, 2, "added2.txt (new file) @@ -0,0 +1 @@");

	copy_base(f);
	groups = only(&d, 1, -1);
	out = subset(&d, groups);
	apply(f, out);
	check_tree_file(f, "one.txt", "uno\n");
	check_tree_file(f, "main.c", main_c);
	free(out);
	free(groups);

	groups = only(&d, 0, -1);
	out = subset(&d, groups);
	apply(f, out);
	got = read_text(in_dir(f, "tree/main.c"));
	assert_non_null(strstr(got, "\nline two\n"));
	assert_non_null(strstr(got, "\nline thirty-eight\n"));
	free(got);
	free(out);
	free(groups);
	free(main_c);
	diff_release(&d);
}

/* ---- what GNU diff writes ---- */

static void test_diff_u(void **state)
{
	struct diff d;
	char *text = fixture_text("diff-u.diff");
	const char *first_hunk = strstr(text, "\n@@") + 1;

	(void)state;
	parse_fixture("diff-u.diff", &d);
	assert_int_equal(d.nr_files, 1);
	/* the dates after the tabs are not part of the names */
	assert_string_equal(d.files[0].old_path, "old.c");
	assert_string_equal(d.files[0].new_path, "new.c");
	assert_false(d.files[0].is_new);
	assert_false(d.files[0].is_deleted);
	assert_int_equal(strlen(d.files[0].header), (size_t)(first_hunk - text));
	assert_memory_equal(d.files[0].header, text, (size_t)(first_hunk - text));
	assert_int_equal(d.nr_hunks, 2);
	assert_int_equal(d.nr_groups, 2);
	assert_int_equal(d.hunks[1].old_start, 31);
	assert_int_equal(d.hunks[1].old_count, 6);
	assert_int_equal(d.hunks[1].new_start, 31);
	assert_int_equal(d.hunks[1].new_count, 7);
	assert_string_equal(d.hunks[1].header_tail, "");
	free(text);
	diff_release(&d);
}

static void test_diff_ruN(void **state)
{
	static const struct file_want want[] = {
		{ NULL, "added.txt", 1, 0, 0, 0, 0, 0, 1 },
		{ "blob.bin", "blob.bin", 0, 0, 0, 0, 0, 1, 0 },
		{ "dashes.txt", "dashes.txt", 0, 0, 0, 0, 0, 0, 1 },
		{ "deleted.txt", NULL, 0, 1, 0, 0, 0, 0, 1 },
		{ "main.c", "main.c", 0, 0, 0, 0, 0, 0, 1 },
	};
	struct fixture *f = *state;
	struct diff d;
	char *text = fixture_text("diff-ruN.diff"), *out;
	unsigned char *groups;

	parse_fixture("diff-ruN.diff", &d);
	check_files(&d, want, ARRAY_SIZE(want));
	assert_string_equal(d.files[1].header, "Binary files a/blob.bin and b/blob.bin differ\n");
	assert_int_equal(strncmp(d.files[4].header,
				 "diff -ruN a/main.c b/main.c\n--- a/main.c\t", 41), 0);
	/* "-- sig" became "++ sig": "--- sig" then "+++ sig", inside the hunk */
	assert_string_equal(d.hunks[1].text,
			    "--- sig\n+++ sig\n body\n+--- looks like a header\n end\n");
	assert_int_equal(d.hunks[1].old_count, 3);
	assert_int_equal(d.hunks[1].new_count, 4);
	assert_int_equal(d.nr_groups, 5);

	groups = all_but(&d, -1);
	out = subset(&d, groups);
	assert_string_equal(out, text);
	copy_base(f);
	apply(f, out);
	check_tree_file(f, "added.txt", "fresh\nfile\n");
	assert_false(tree_has(f, "deleted.txt"));
	check_tree_file(f, "dashes.txt", "++ sig\nbody\n--- looks like a header\nend\n");
	free(out);
	free(groups);
	free(text);
	diff_release(&d);
}

/* diff -N dates a missing file the epoch in the local zone. */
static void test_epoch_in_a_zone(void **state)
{
	struct diff d;

	(void)state;
	parse_fixture("diff-N-zone.diff", &d);
	assert_int_equal(d.nr_files, 1);
	assert_null(d.files[0].old_path);
	assert_string_equal(d.files[0].new_path, "added.txt");
	assert_true(d.files[0].is_new);
	diff_release(&d);
}

/* ---- subsets ---- */

static void test_subset_skips_a_hunk(void **state)
{
	struct fixture *f = *state;
	struct diff d;
	char *out, *lines, *g_c = fixture_text("base/g.c");
	unsigned char *groups;

	parse_fixture("many-hunks.diff", &d);
	assert_int_equal(d.nr_hunks, 7);
	assert_int_equal(d.nr_groups, 7);
	for (size_t h = 0; h < d.nr_hunks; h++)
		assert_int_equal(d.hunks[h].group, h);

	/* without the first hunk (3 lines added): f.c's later "+c" are 3 less */
	groups = all_but(&d, 0, -1);
	out = subset(&d, groups);
	lines = hunk_lines(out);
	assert_string_equal(lines,
			    "@@ -17,7 +17,7 @@ f 16\n"
			    "@@ -32,8 +32,6 @@ f 31\n"
			    "@@ -48,6 +46,7 @@ f 47\n"
			    "@@ -77,4 +76,4 @@ f 76\n"
			    "@@ -1,6 +1,6 @@\n"
			    "@@ -23,6 +23,7 @@ g 22\n");
	copy_base(f);
	apply(f, out);
	check_tree_like(f, "f.c", "expected/f.c.without-first");
	check_tree_like(f, "g.c", "expected/g.c.all");
	free(lines);
	free(out);
	free(groups);

	/* the second and fourth alone: g.c is not in the patch */
	groups = only(&d, 1, 3, -1);
	out = subset(&d, groups);
	lines = hunk_lines(out);
	assert_string_equal(lines, "@@ -17,7 +17,7 @@ f 16\n@@ -48,6 +48,7 @@ f 47\n");
	assert_null(strstr(out, "g.c"));
	free(lines);
	reset_tree(f);
	apply(f, out);
	check_tree_like(f, "f.c", "expected/f.c.second-fourth");
	check_tree_file(f, "g.c", g_c);
	free(out);
	free(groups);
	free(g_c);
	diff_release(&d);
}

/* Ranges of no lines ("-5,0 +6"): "+c" keeps git's way of writing them. */
static void test_subset_without_context(void **state)
{
	struct fixture *f = *state;
	struct diff d;
	char *out, *lines;
	unsigned char *groups;

	parse_fixture("u0.diff", &d);
	assert_int_equal(d.nr_hunks, 3);
	assert_int_equal(d.hunks[0].old_start, 5);
	assert_int_equal(d.hunks[0].old_count, 0);
	assert_int_equal(d.hunks[0].new_start, 6);
	assert_int_equal(d.hunks[0].new_count, 1);
	/* line 5b added after 5 and line 7 changed: one line apart, apart */
	assert_int_equal(d.nr_groups, 3);
	groups = all_but(&d, 0, -1);
	out = subset(&d, groups);
	lines = hunk_lines(out);
	assert_string_equal(lines, "@@ -7 +7 @@ line 6\n@@ -20 +19,0 @@ line 19\n");
	copy_base(f);
	apply(f, out);
	check_tree_like(f, "main.c", "expected/main.c.u0-without-first");
	free(lines);
	free(out);
	free(groups);
	diff_release(&d);
}

/* ---- groups ---- */

static void test_group_overlapping_hunks(void **state)
{
	struct diff d;

	(void)state;
	/* old ranges 7-13 and 10-16 overlap; 27-33 is far from both */
	parse_fixture("overlap.diff", &d);
	assert_int_equal(d.nr_hunks, 3);
	assert_int_equal(d.nr_groups, 2);
	assert_int_equal(d.hunks[0].group, 0);
	assert_int_equal(d.hunks[1].group, 0);
	assert_int_equal(d.hunks[2].group, 1);
	check_group_label(&d, 0, "main.c @@ -7,7 +7,7 @@ @@ -10,7 +10,7 @@");
	check_group_label(&d, 1, "main.c @@ -27,7 +27,7 @@");
	diff_release(&d);
}

/*
 * hand: two hunks of "line N" lines, each changing its middle line with 3
 * lines of context, the second starting at second_start.
 */
static char *two_hunks(long second_start)
{
	char *hunks[2], *text;
	long starts[2] = { 7, second_start };

	for (int i = 0; i < 2; i++) {
		long s = starts[i];

		hunks[i] = xasprintf("@@ -%ld,7 +%ld,7 @@\n line %ld\n line %ld\n line %ld\n"
				     "-line %ld\n+LINE %ld\n line %ld\n line %ld\n line %ld\n",
				     s, s, s, s + 1, s + 2, s + 3, s + 3, s + 4, s + 5, s + 6);
	}
	text = xasprintf("--- a/main.c\n+++ b/main.c\n%s%s", hunks[0], hunks[1]);
	free(hunks[0]);
	free(hunks[1]);
	return text;
}

static void test_group_touching_hunks(void **state)
{
	struct diff d;
	char *text;

	(void)state;
	/* 7-13 and 14-20 touch: one group */
	text = two_hunks(14);
	assert_int_equal(diff_parse(text, strlen(text), "t.diff", &d), 0);
	assert_int_equal(d.nr_groups, 1);
	diff_release(&d);
	free(text);
	/* 7-13 and 15-21: line 14 between them, two groups */
	text = two_hunks(15);
	assert_int_equal(diff_parse(text, strlen(text), "t.diff", &d), 0);
	assert_int_equal(d.nr_groups, 2);
	/* grouping again gives the same */
	diff_group(&d);
	assert_int_equal(d.nr_groups, 2);
	assert_int_equal(d.hunks[1].group, 1);
	diff_release(&d);
	free(text);
}

/* ---- refusals ---- */

static void check_refused(const char *text, const char *want)
{
	struct diff d;
	char *msg;
	int ret;

	CAPTURE(ret, msg, diff_parse(text, strlen(text), "fix.diff", &d));
	assert_int_equal(ret, -1);
	check_message(msg, want);
	/* nothing is left to free */
	assert_null(d.files);
	assert_null(d.hunks);
	assert_null(d.preamble);
	assert_int_equal(d.nr_files, 0);
}

#define ONE_TXT "diff --git a/one.txt b/one.txt\nindex 4994d72..e438487 100644\n" \
		"--- a/one.txt\n+++ b/one.txt\n"

static void test_refusals(void **state)
{
	(void)state;
	/* hand: one.txt's diff with a "@@" line that counts 3 and 3 lines */
	check_refused(ONE_TXT "@@ -1,3 +1,3 @@\n-single\n+uno\n",
		      "fix.diff:8: the hunk at line 5 is cut short: its '@@' line counts "
		      "3 old and 3 new lines, 2 and 2 are missing");
	/* cut short by the next file's header */
	check_refused(ONE_TXT "@@ -1,2 +1 @@\n-single\n+uno\n" ONE_TXT "@@ -1 +1 @@\n-single\n+uno\n",
		      "fix.diff:8: the hunk at line 5 is cut short");
	/* one removed line more than counted, within the hunk */
	check_refused(ONE_TXT "@@ -1 +1,2 @@\n-single\n-two\n+uno\n",
		      "fix.diff:7: the hunk at line 5 has more removed lines than its '@@' line counts");
	/* an added line after the hunk's counted lines */
	check_refused(ONE_TXT "@@ -1 +1 @@\n-single\n+uno\n+extra\n",
		      "fix.diff:8: a line past the end of the hunk '@@ -1 +1 @@'");
	check_refused(ONE_TXT "@@ -1,x +1 @@\n-single\n+uno\n",
		      "fix.diff:5: '@@ -1,x +1 @@' is not a hunk's first line");
	check_refused(ONE_TXT "@@@ -1 -1 +1 @@@\n-single\n+uno\n",
		      "fix.diff:5: '@@@ -1 -1 +1 @@@' is not a hunk's first line");
	check_refused(ONE_TXT "-single\n+uno\n",
		      "fix.diff:5: no hunk ('@@ -a,b +c,d @@') after the '+++' line");
	check_refused("@@ -1 +1 @@\n-single\n+uno\n",
		      "fix.diff:1: a hunk outside any file");
	check_refused("diff --git a/one.txt b/one.txt\nindex 4994d72..e438487 100644\n"
		      "@@ -1 +1 @@\n-single\n+uno\n",
		      "fix.diff:3: a hunk outside any file");
	/* fuzz_diff: a line git does not write between "diff --git" and "---" */
	check_refused("diff --git a/one.txt b/one.txt\nindadded.ex 4994d72..e438487 100644\n"
		      "--- a/one.txt\n+++ b/one.txt\n@@ -1 +1 @@\n-single\n+uno\n",
		      "fix.diff:2: a line git does not write, between 'diff --git' and its '---' or 'Binary files' line");
	check_refused("diff --git a/one.txt b/one.txt\nnew file mode 100644\nindMex 0000000..7898192\n"
		      "--- /dev/null\n+++ b/one.txt\n@@ -0,0 +1 @@\n+uno\n",
		      "fix.diff:3: a line git does not write, between 'diff --git' and its '---' or 'Binary files' line");
	/* fuzz_diff: hunks out of order, which patch refuses too */
	check_refused("--- a/one.txt\n+++ b/one.txt\n@@ -5,0 +6 @@\n+x\n@@ -0,0 +1 @@\n+y\n",
		      "fix.diff:7: the hunks of 'b/one.txt' are out of order ('@@ -0,0 +1 @@' after '@@ -5,0 +6 @@')");
	/*
	 * fuzz_diff: a "+c" below what the hunks above add (by hand: 2 lines
	 * added above, so no diff starts the next one at new line 1); the
	 * same hunk at "+4", as diff writes it, is taken
	 */
	check_refused("--- a/one.txt\n+++ b/one.txt\n@@ -1,0 +2,2 @@\n+a\n+b\n@@ -5,0 +1 @@\n+c\n",
		      "fix.diff:8: the hunk '@@ -5,0 +1 @@' of 'b/one.txt' starts at new line 1, "
		      "but the hunks above it add 2 lines");
	{
		static const char ok[] = "--- a/one.txt\n+++ b/one.txt\n@@ -1,0 +2,2 @@\n+a\n+b\n"
					 "@@ -5,0 +8 @@\n+c\n";
		struct diff d;

		assert_int_equal(diff_parse(ok, strlen(ok), "fix.diff", &d), 0);
		assert_int_equal(d.nr_hunks, 2);
		diff_release(&d);
	}
	/* "+2" would be written "+0" without the hunk above: refused too */
	check_refused("--- a/one.txt\n+++ b/one.txt\n@@ -1,0 +2,2 @@\n+a\n+b\n@@ -5 +2 @@\n-c\n+d\n",
		      "fix.diff:9: the hunk '@@ -5 +2 @@' of 'b/one.txt' starts at new line 2, "
		      "but the hunks above it add 2 lines");
	/* a bare "diff --git" line: git writes none that changes nothing */
	check_refused("diff --git a/one.txt b/one.txt\ndiff --git a/two.txt b/two.txt\nnew file mode 100644\n",
		      "fix.diff:2: a 'diff --git' header that changes nothing");
	check_refused("hello\nworld\n", "fix.diff: not a diff");
	check_refused("", "fix.diff: not a diff");
}

static void test_binary_patch_refused(void **state)
{
	struct diff d;
	char *path = fixture_path("diffs/binary.diff"), *msg, *want;
	int ret;

	(void)state;
	CAPTURE(ret, msg, diff_read_file(path, &d));
	assert_int_equal(ret, -1);
	want = xasprintf("%s:3: the change to 'blob.bin' is a binary patch, which steady "
			 "cannot take apart", path);
	check_message(msg, want);
	free(want);
	free(path);
}

/* Every prefix of a real diff is refused with one line or read: never more. */
static void test_every_cut(void **state)
{
	char *text = fixture_text("git-kinds.diff");
	size_t len = strlen(text);

	(void)state;
	for (size_t cut = 0; cut <= len; cut++) {
		/* a buffer of exactly cut bytes, so a read past it is a sanitizer's error */
		char *piece = xmalloc(cut ? cut : 1);
		struct diff d;
		char *msg;
		int ret;

		memcpy(piece, text, cut);
		CAPTURE(ret, msg, diff_parse(piece, cut, "cut.diff", &d));
		free(piece);
		if (ret) {
			assert_int_equal(strncmp(msg, "steady: error: cut.diff", 23), 0);
			assert_ptr_equal(strchr(msg, '\n'), msg + strlen(msg) - 1);
		} else {
			assert_string_equal(msg, "");
			assert_true(d.nr_files > 0);
		}
		free(msg);
		diff_release(&d);
	}
	free(text);
}

static void test_unreadable_and_unwritable(void **state)
{
	struct fixture *f = *state;
	struct diff d;
	FILE *full;
	unsigned char *groups;
	char *msg;
	int ret;

	CAPTURE(ret, msg, diff_read_file(in_dir(f, "missing.diff"), &d));
	assert_int_equal(ret, -1);
	check_message(msg, "cannot open '");
	assert_null(d.files);

	parse_fixture("many-hunks.diff", &d);
	full = fopen("/dev/full", "w");
	if (!full) {
		diff_release(&d);
		skip();
	}
	groups = all_but(&d, -1);
	CAPTURE(ret, msg, diff_write_subset(&d, groups, full));
	assert_int_equal(ret, -1);
	check_message(msg, "cannot write the patch");
	fclose(full);
	free(groups);
	diff_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_git_kinds),
		cmocka_unit_test_setup_teardown(test_git_kinds_apply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hunkless_groups_apply, setup, teardown),
		cmocka_unit_test(test_git_names),
		cmocka_unit_test(test_crlf_mail),
		cmocka_unit_test(test_format_patch),
		cmocka_unit_test_setup_teardown(test_series, setup, teardown),
		cmocka_unit_test(test_diff_u),
		cmocka_unit_test_setup_teardown(test_diff_ruN, setup, teardown),
		cmocka_unit_test(test_epoch_in_a_zone),
		cmocka_unit_test_setup_teardown(test_subset_skips_a_hunk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subset_without_context, setup, teardown),
		cmocka_unit_test(test_group_overlapping_hunks),
		cmocka_unit_test(test_group_touching_hunks),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_binary_patch_refused),
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test_setup_teardown(test_unreadable_and_unwritable, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
