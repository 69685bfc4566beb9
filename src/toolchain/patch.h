/*
 * patch: a user's patch applied in one of steady's private copies (see
 * tree.h), so variants of a project can be built with and without it.
 * GNU patch does the applying; this module makes it all or nothing (a dry
 * run first), leaves no .orig or .rej behind, never writes the user's
 * patch file, and turns a refusal into one error line naming the file and
 * the hunk, followed by that hunk's text, indented, so the user sees what
 * did not apply. Without GNU patch, git apply is the fallback.
 *
 * Patches are unified diffs whose names carry one leading directory, as
 * git writes them ("--- a/src/x.c", "+++ b/src/x.c"): patch -p1.
 *
 * Ownership: every argument is borrowed; patch_find_hunk() returns a
 * pointer into the text it was given.
 */
#ifndef STEADY_PATCH_H
#define STEADY_PATCH_H

#include <stddef.h>

/* The leading directories dropped from the names in a patch (patch -p). */
#define PATCH_STRIP 1

/*
 * Applies the unified diff in patch_file inside dir: every change, or none
 * (dir is unchanged when it is refused). 0, or -1 after one error line
 * (and, for a hunk that does not apply, its text on the lines after).
 */
int patch_apply(const char *dir, const char *patch_file);

/*
 * Hunk number hunk_no (counted from 1 within its file, as GNU patch counts
 * them) of the file named file in the unified diff diff, where the names
 * of the "---" and "+++" lines lose their first strip directories. A
 * pointer to the hunk's "@@" line, with *len the length of the hunk up to
 * and including its last line's newline; NULL when there is no such hunk.
 * Hunks are read by their line counts, so a removed line that reads
 * "-- x" (shown "--- x") is not mistaken for a file's header.
 */
const char *patch_find_hunk(const char *diff, const char *file, unsigned strip,
			    unsigned hunk_no, size_t *len);

#endif
