/*
 * diff: a user's unified diff taken apart into files and hunks, and put
 * back together from any subset of them, so that `steady bisect` can
 * apply part of a patch (with patch_apply(), patch.h) and measure it.
 *
 * It reads what git writes (git diff, git format-patch: "diff --git" and
 * its extended header lines: modes, new and deleted files, renames,
 * copies) and what GNU diff writes (diff -u of two files, diff -ruN of
 * two trees, with a date after a tab on the "---" and "+++" lines).
 * Hunks are read by the line counts of their "@@" line, never by looking
 * for the next header, so a removed line "-- x" (shown "--- x") stays a
 * line of its hunk. Every byte of a hunk is kept as it was: CRs, the
 * "\ No newline at end of file" lines.
 *
 * Units: bisect chooses among groups, not hunks. Hunks that cannot be
 * applied apart are one group (see diff_group()); a file without hunks
 * (a pure rename or mode change, an empty file made or deleted, a binary
 * file git only says "differ" of) is a group of its own, so that it can
 * be chosen as well. Groups are numbered in the order they appear.
 *
 * Ownership: a struct diff owns every string and array in it (all
 * NUL-terminated, never NULL unless said so), until diff_release().
 * Arguments are borrowed; the label functions return new strings.
 */
#ifndef STEADY_DIFF_H
#define STEADY_DIFF_H

#include <stddef.h>
#include <stdio.h>

/* diff_file.group of a file whose header goes along with its hunks. */
#define DIFF_NO_GROUP ((size_t)-1)

struct diff_hunk {
	size_t file;            /* index into diff.files */
	/* as in "@@ -a,b +c,d @@"; a count left out ("@@ -1 +1 @@") is 1 */
	long old_start, old_count, new_start, new_count;
	char *header_line;      /* the "@@" line exactly as in the input, its newline included */
	char *header_tail;      /* what follows its second "@@" (" int f(void)"), no line end; "" for none */
	char *text;             /* the lines after the "@@" line, exactly as in the input */
	size_t text_len;
	size_t group;           /* its group, 0 .. diff.nr_groups - 1 */
};

struct diff_file {
	/*
	 * The names of "---" and "+++" with the first directory dropped
	 * ("a/x.c" -> "x.c", as patch -p1 reads them) and no date; NULL for
	 * a side that does not exist: /dev/null, a new file's old side, a
	 * deleted file's new side (diff -N dates those 1970-01-01 UTC).
	 * Without "---" and "+++", from "rename from/to", "copy from/to" or
	 * the "diff --git" line.
	 */
	char *old_path, *new_path;
	/*
	 * Every header line of this file exactly as in the input, from its
	 * first ("diff --git", "diff -ruN ...", or "---" when there is none)
	 * to its "+++" (or its last header line when it has no hunks).
	 */
	char *header;
	int is_new, is_deleted, is_rename, is_copy, mode_change;
	int is_binary;          /* "Binary files A and B differ": no content, patch leaves it as it is */
	size_t first_hunk, nr_hunks;    /* its hunks: diff.hunks[first_hunk ..] */
	size_t group;           /* with no hunks, its own group; else DIFF_NO_GROUP */
};

struct diff {
	struct diff_file *files;
	size_t nr_files, alloc_files;
	struct diff_hunk *hunks;
	size_t nr_hunks, alloc_hunks;
	size_t nr_groups;
	/*
	 * The text before the first file (the mail and commit message of git
	 * format-patch), as is. Lines between files and after the last one
	 * (diff -r's "Only in" lines, format-patch's "-- " signature) are
	 * passed over, as patch passes over them, and not kept.
	 */
	char *preamble;
};

/*
 * Reads the unified diff text (len bytes; it may lack a last newline)
 * into *out, which is overwritten, and groups its hunks (diff_group()).
 * name is the diff's name in messages. 0, or -1 after one error line
 * naming the line ("fix.diff:12: ...") with *out left empty: a hunk cut
 * short or longer than its "@@" line counts, a "@@" line that does not
 * read "@@ -a,b +c,d @@", "---" and "+++" without a hunk, a hunk outside
 * any file, a binary patch ("GIT binary patch": it cannot be taken
 * apart), no file at all.
 */
int diff_parse(const char *text, size_t len, const char *name, struct diff *out);

/* diff_parse() of the file at path; -1 after one line if it cannot be read. */
int diff_read_file(const char *path, struct diff *out);

/* Frees everything d holds and leaves it empty, to be parsed into again. */
void diff_release(struct diff *d);

/*
 * Fills every hunk's group, hunk-less files' group and d->nr_groups.
 * One group holds the hunks that cannot be applied apart:
 *  - hunks of one file whose old ranges overlap or touch (they share
 *    context lines, so one does not apply without the other's changes);
 *  - all hunks of a new or deleted file, or of a file whose header
 *    renames, copies or changes its mode (that header goes with them);
 *  - everything of files that share a name, when a patch names one file
 *    twice (a series of patches one after the other): the later hunks
 *    count their lines on the file as the earlier ones left it.
 * diff_parse() has done it; calling it again gives the same groups.
 */
void diff_group(struct diff *d);

/*
 * Writes the patch made of the groups whose groups[g] is non-zero (the
 * array has d->nr_groups entries): each file with a chosen hunk, or a
 * hunk-less file that is a chosen group, as its header and its chosen
 * hunks, in the order of the input (no preamble). Each hunk's "+c" is
 * counted again from the hunks kept before it in its file, so patch -p1
 * finds every hunk where its "@@" line says, and the output applies as
 * the whole patch would for those hunks. With every group chosen the
 * output is the input byte for byte, but for the preamble and the lines
 * passed over between files. 0, or -1 after one error line when out
 * cannot be written.
 */
int diff_write_subset(const struct diff *d, const unsigned char *groups, FILE *out);

/* "x.c @@ -210,6 +210,14 @@": how a hunk is named to a person. */
char *diff_hunk_label(const struct diff *d, size_t hunk);

/*
 * How a group is named to a person: its file, what its header does, and
 * its hunks' "@@" ranges: "x.c @@ -1,3 +1,4 @@ @@ -9,3 +10,4 @@",
 * "run.sh (mode 100644 -> 100755)", "new.c (renamed from old.c) @@ ...";
 * files joined by ", " when a group spans several.
 */
char *diff_group_label(const struct diff *d, size_t group);

#endif
