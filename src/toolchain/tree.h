/*
 * tree: private copies of a user's source tree, so that `layout` (and
 * later `sweep` and `bisect`) can build a project many times without ever
 * writing into the user's own tree. The user's tree is only read: git is
 * asked read-only questions (rev-parse, ls-files, archive to a file in
 * steady's workspace), and nothing is created, touched or locked in it.
 *
 * Copies live in workspaces: private directories (mode 0700) under $TMPDIR
 * or /tmp that steady makes, owns and removes with tree_remove().
 *
 * Ownership: every path argument is borrowed; tree_workspace_new() returns
 * a new string the caller frees. Every function returns 0, or -1 after one
 * error line naming the path (and errno's text); a copy that failed halfway
 * is left for the caller to tree_remove() with the rest of its workspace.
 */
#ifndef STEADY_TREE_H
#define STEADY_TREE_H

#include <stddef.h>
#include <stdint.h>

/*
 * A fresh private directory "$TMPDIR/steady-WHAT-XXXXXX" (mode 0700): a new
 * string, or NULL after one error line.
 */
char *tree_workspace_new(const char *what);

/*
 * Copies the sources in src into dst, which must not exist (it is made).
 * In a git work tree, the files git lists under src — tracked, and
 * untracked but not ignored — with their working-tree contents, so
 * uncommitted edits come along and build products do not; a file tracked
 * but deleted from the working tree is skipped. Outside git, everything:
 * regular files, directories and symlinks (as symlinks); anything else is
 * skipped with a warning. Build products that are not tracked (ELF files:
 * objects, programs, shared libraries; ar archives) are left out, with
 * one note saying how many, so that every build starts from the sources:
 * times are not kept, and a copied object newer than its source would
 * pass for up to date. A symbolic link that leads out of the tree
 * (absolute, or climbing above it) is refused: a build writing through it
 * would write into the user's files. Modes are kept. src may be a
 * subdirectory of a repository; dst may not be inside src.
 */
int tree_copy_sources(const char *src, const char *dst);

/*
 * The link check of tree_copy_sources() over a tree steady made by other
 * means (an exported revision, a patched copy): 0 when every symbolic link
 * below dir stays inside it, else -1 after one line naming the first that
 * does not.
 */
int tree_check_links(const char *dir);

/*
 * A full copy of a tree that has been built, so a variant can be relinked
 * in the copy: every regular file, directory and symlink, with modes and
 * modification times kept to the nanosecond (directories' after they are
 * filled), so make sees every object up to date. Access times are kept
 * too, as they were before the copy: files and directories are read
 * without moving theirs where the kernel allows (O_NOATIME, the owner's
 * files), a symlink's moves when it is read. dst must not exist.
 */
int tree_copy_all(const char *src, const char *dst);

/*
 * The tree of git revision rev of the repository that holds repo,
 * exported into dst (which must not exist) without touching the user's
 * working tree, index or refs. When repo is a subdirectory of its
 * repository, only that subdirectory (as it was at rev) becomes dst.
 * git archive does the export, so export-ignore attributes apply. A bad
 * revision is one error line quoting git.
 */
int tree_export_rev(const char *repo, const char *rev, const char *dst);

/*
 * A digest of the tree dir steady made (sources it copied, exported or
 * patched): every path below it, in byte order, with its type, its
 * executable bits and its contents (a symlink's target). Two trees with
 * the same files give the same digest wherever they lie; a build cache
 * keys on it. Not cryptographic: it tells apart the trees one user
 * builds, not trees made to collide. 0, or -1 after one error line.
 */
int tree_digest(const char *dir, uint64_t digest[2]);

/*
 * A digest of the code a build in dir produced: every linked ELF file
 * below it (programs and shared libraries, not objects), in byte order of
 * path, each as its path and the digest of its .text; their number in
 * *linked. Two builds that made the same machine code give the same
 * digest, whatever else (objects, logs, debug information) differs. 0, or
 * -1 after one error line.
 */
int tree_code_digest(const char *dir, uint64_t digest[2], size_t *linked);

/*
 * Removes path and everything under it, never following a symlink nor
 * crossing into another file system; directories a copy made read-only
 * are opened up first. For steady's own workspaces and copies only.
 */
int tree_remove(const char *path);

#endif
