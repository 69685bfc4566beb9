/*
 * tree: see tree.h. One recursive copier serves both kinds of copy; what
 * differs is the list of entries (git's, or a directory walk) and whether
 * times are kept. Files are opened with O_NOFOLLOW and directories walked
 * with lstat, so a symlink in the user's tree is copied as a link and
 * never followed out of it.
 */
#include "toolchain/tree.h"
#include "toolchain/elf_text.h"
#include "toolchain/tool.h"
#include "lib/digest.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether a copy keeps its source's times (tree_copy_all) or not. */
enum copy_times { TIMES_FRESH = 0, TIMES_KEPT = 1 };

/*
 * What a copy of the user's sources (TIMES_FRESH) checks on the way, for
 * the one tree_copy_sources() call running (steady copies one tree at a
 * time): the user's tree, its links kept inside it, and the build
 * products left out (an object file copied after its source would look
 * up to date to make, and the variant would reuse a build made with
 * other flags).
 */
static struct {
	char *root;           /* realpath of the tree being copied */
	size_t products;      /* build products left out */
} sources_copy;

static int open_source(const char *path, int flags);

/*
 * A compiler's or linker's output: ELF (objects, programs, shared
 * libraries), LLVM bitcode (-flto objects), ar archives (thin ones too),
 * gcc's precompiled headers.
 */
static int is_build_product(const char *path)
{
	static const struct { const char *magic; size_t len; } kinds[] = {
		{ "\177ELF", 4 }, { "BC\xc0\xde", 4 }, { "!<arch>\n", 8 },
		{ "!<thin>\n", 8 }, { "gpch", 4 },
	};
	unsigned char head[8];
	int fd = open_source(path, 0);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, head, sizeof(head));
	close(fd);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (n >= (ssize_t)kinds[i].len && !memcmp(head, kinds[i].magic, kinds[i].len))
			return 1;
	return 0;
}

/*
 * Whether a link at path, pointing at target, stays inside root: its
 * target read word by word from the link's own depth below root (a "../"
 * too many is out, even if later words come back in), then, when it
 * resolves, where it really leads (a link through another link).
 */
static int link_stays_inside(const char *root, const char *path, const char *target)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/'), *real_dir, *real;
	size_t n = strlen(root);
	long depth = 0;
	int inside = target[0] != '/';

	if (slash)
		*slash = '\0';
	real_dir = realpath(slash ? dir : ".", NULL);
	free(dir);
	if (!real_dir || strncmp(real_dir, root, n) || (real_dir[n] && real_dir[n] != '/')) {
		free(real_dir);
		return 0;
	}
	for (const char *p = real_dir + n; *p; p++)
		depth += *p == '/';
	free(real_dir);
	for (const char *w = target; inside && *w; ) {
		size_t len = strcspn(w, "/");

		if (len == 2 && !strncmp(w, "..", 2))
			inside = --depth >= 0;
		else if (len && !(len == 1 && *w == '.'))
			depth++;
		w += len + (w[len] == '/');
	}
	if (inside && (real = realpath(path, NULL))) {
		inside = !strncmp(real, root, n) && (real[n] == '/' || !real[n]);
		free(real);
	}
	return inside;
}

/* 0 when the link at path, pointing at target, stays in the tree being copied. */
static int check_link_inside(const char *path, const char *target)
{
	if (link_stays_inside(sources_copy.root, path, target))
		return 0;
	return error("'%s' links to '%s', outside the tree: a build through it could write into your files, so steady does not copy this tree (make the link relative and inside it, or copy the tree yourself)",
		     path, target);
}

char *tree_workspace_new(const char *what)
{
	const char *tmp = getenv("TMPDIR");
	char *path, *absolute;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	path = xasprintf("%s/steady-%s-XXXXXX", tmp, what);
	/* mkdtemp makes it 0700: nobody else may plant files in a build. */
	if (!mkdtemp(path)) {
		error("cannot make a directory in '%s': %s", tmp, strerror(errno));
		free(path);
		return NULL;
	}
	/* absolute: builds run in their trees, and {dir} must mean the same there */
	absolute = realpath(path, NULL);
	if (!absolute) {
		error("cannot use '%s': %s", path, strerror(errno));
		rmdir(path);
	}
	free(path);
	return absolute;
}

/*
 * Opens a file or directory of the tree being copied without moving its
 * access time, so reading a user's tree leaves even that as it was (and a
 * copy's times can be the source's). O_NOATIME is only for the file's
 * owner (or root): anyone else's files are read the ordinary way.
 */
static int open_source(const char *path, int flags)
{
	int fd = open(path, flags | O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOATIME);

	if (fd < 0 && errno == EPERM)
		fd = open(path, flags | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	return fd;
}

static int set_times(const char *dst, const struct stat *st)
{
	struct timespec times[2] = { st->st_atim, st->st_mtim };

	if (utimensat(AT_FDCWD, dst, times, AT_SYMLINK_NOFOLLOW))
		return error("cannot set the times of '%s': %s", dst, strerror(errno));
	return 0;
}

/* The bytes of in into out: copy_file_range, or read and write where it cannot. */
static int copy_bytes(int in, int out, const char *src, const char *dst)
{
	char buf[65536];
	ssize_t n;

	for (;;) {
		n = copy_file_range(in, NULL, out, NULL, (size_t)1 << 30, 0);
		if (n == 0)
			return 0;
		if (n > 0)
			continue;
		if (errno == EINTR)
			continue;
		/* Another file system, an old kernel, a special file system. */
		if (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)
			break;
		return error("cannot copy '%s' to '%s': %s", src, dst, strerror(errno));
	}
	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error("cannot read '%s': %s", src, strerror(errno));
		if (n == 0)
			return 0;
		if (write_all(out, buf, (size_t)n))
			return error("cannot write '%s': %s", dst, strerror(errno));
	}
}

static int copy_regular(const char *src, const char *dst, const struct stat *st,
			enum copy_times times)
{
	int in, out, ret;

	in = open_source(src, 0);
	if (in < 0)
		return error("cannot open '%s': %s", src, strerror(errno));
	/* 0600 until it is full: the mode is set after, past the umask. */
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return error("cannot create '%s': %s", dst, strerror(errno));
	}
	ret = copy_bytes(in, out, src, dst);
	close(in);
	if (!ret && fchmod(out, st->st_mode & 07777))
		ret = error("cannot set the mode of '%s': %s", dst, strerror(errno));
	if (!ret && times == TIMES_KEPT) {
		struct timespec ts[2] = { st->st_atim, st->st_mtim };

		if (futimens(out, ts))
			ret = error("cannot set the times of '%s': %s", dst, strerror(errno));
	}
	if (close(out) && !ret)
		ret = error("cannot write '%s': %s", dst, strerror(errno));
	return ret;
}

static int copy_symlink(const char *src, const char *dst, const struct stat *st,
			enum copy_times times)
{
	size_t size = st->st_size > 0 ? (size_t)st->st_size + 1 : PATH_MAX;
	char *target = xmalloc(size);
	ssize_t n = readlink(src, target, size);
	int ret = 0;

	if (n < 0)
		ret = error("cannot read the link '%s': %s", src, strerror(errno));
	else if ((size_t)n >= size)
		ret = error("cannot read the link '%s': it changed while copied", src);
	else {
		target[n] = '\0';
		if (times == TIMES_FRESH && check_link_inside(src, target))
			ret = -1;
		else if (symlink(target, dst))
			ret = error("cannot create the link '%s': %s", dst, strerror(errno));
		else if (times == TIMES_KEPT)
			ret = set_times(dst, st);
	}
	free(target);
	return ret;
}

static int copy_entry(const char *src, const char *dst, enum copy_times times);

/*
 * A directory and everything in it. It is made 0700 and filled first, and
 * gets its own mode and times last: a read-only directory could not be
 * filled, and every file made in it would move its mtime.
 */
static int copy_dir(const char *src, const char *dst, const struct stat *st,
		    enum copy_times times)
{
	struct dirent *de;
	DIR *dir;
	int ret = 0;

	int fd;

	if (mkdir(dst, 0700))
		return error("cannot create '%s': %s", dst, strerror(errno));
	fd = open_source(src, O_DIRECTORY);
	dir = fd < 0 ? NULL : fdopendir(fd);
	if (!dir) {
		error("cannot open '%s': %s", src, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (;;) {
		char *from, *to;

		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno)
				ret = error("cannot read '%s': %s", src, strerror(errno));
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		from = xasprintf("%s/%s", src, de->d_name);
		to = xasprintf("%s/%s", dst, de->d_name);
		ret = copy_entry(from, to, times);
		free(from);
		free(to);
		if (ret)
			break;
	}
	closedir(dir);
	if (!ret && chmod(dst, st->st_mode & 07777))
		ret = error("cannot set the mode of '%s': %s", dst, strerror(errno));
	if (!ret && times == TIMES_KEPT)
		ret = set_times(dst, st);
	return ret;
}

static int copy_entry(const char *src, const char *dst, enum copy_times times)
{
	struct stat st;

	if (lstat(src, &st))
		return error("cannot read '%s': %s", src, strerror(errno));
	if (S_ISREG(st.st_mode)) {
		if (times == TIMES_FRESH && is_build_product(src)) {
			sources_copy.products++;
			return 0;
		}
		return copy_regular(src, dst, &st, times);
	}
	if (S_ISLNK(st.st_mode))
		return copy_symlink(src, dst, &st, times);
	if (S_ISDIR(st.st_mode))
		return copy_dir(src, dst, &st, times);
	warning("not copying '%s': not a regular file, directory or symlink", src);
	return 0;
}

/*
 * A copy into its own source would copy itself for ever: dst's parent
 * must lie outside src. dst itself does not exist yet.
 */
static int check_outside(const char *src, const char *dst)
{
	char *src_real = realpath(src, NULL), *parent, *parent_real, *slash;
	int ret = 0;

	if (!src_real)
		return error("cannot read '%s': %s", src, strerror(errno));
	parent = xstrdup(dst);
	slash = strrchr(parent, '/');
	if (!slash)
		strcpy(parent, ".");
	else if (slash == parent)
		parent[1] = '\0';
	else
		*slash = '\0';
	parent_real = realpath(parent, NULL);
	if (!parent_real) {
		ret = error("cannot create '%s': %s", dst, strerror(errno));
	} else {
		size_t len = strlen(src_real);

		if (!strncmp(parent_real, src_real, len) &&
		    (parent_real[len] == '/' || parent_real[len] == '\0' || len == 1))
			ret = error("cannot copy '%s' into '%s': the copy would be inside the tree",
				    src, dst);
	}
	free(src_real);
	free(parent);
	free(parent_real);
	return ret;
}

static int copy_tree(const char *src, const char *dst, enum copy_times times)
{
	struct stat st;

	if (lstat(src, &st))
		return error("cannot read '%s': %s", src, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error("cannot copy '%s': not a directory", src);
	if (check_outside(src, dst))
		return -1;
	return copy_dir(src, dst, &st, times);
}

int tree_copy_all(const char *src, const char *dst)
{
	return copy_tree(src, dst, TIMES_KEPT);
}

/* ---- sources in a git work tree ---- */

/* Any .git in dir or above it: the tree is git's, though git is not here. */
static int looks_like_git(const char *dir)
{
	char *path = realpath(dir, NULL);
	int found = 0;

	while (path && !found) {
		char *dotgit = xasprintf("%s/.git", path);
		char *slash = strrchr(path, '/');

		found = !access(dotgit, F_OK);
		free(dotgit);
		if (!slash || slash == path)
			break;
		*slash = '\0';
	}
	free(path);
	return found;
}

/*
 * Whether src is in a git work tree: 1 yes, 0 no (not a repository, or
 * inside a .git directory), -1 after one error line (git refused for
 * another reason, such as a repository owned by someone else: copying
 * everything then would copy build products without a word).
 */
static int in_work_tree(const char *git, const char *src)
{
	char *argv[] = { "git", "rev-parse", "--is-inside-work-tree", NULL };
	struct tool_output res = TOOL_OUTPUT_INIT;
	int ret;

	if (tool_run(git, argv, src, 0, &res))
		return -1;
	if (res.exit_code == 0)
		ret = !strcmp(res.out, "true\n");
	else if (strstr(res.err, "not a git repository"))
		ret = 0;
	else {
		char *why = tool_first_line(res.err);

		ret = error("cannot ask git about '%s': %s", src, why);
		free(why);
	}
	tool_output_release(&res);
	return ret;
}

/*
 * Makes the directories of rel (a path relative to src and dst, of
 * something git lists) in dst, each with its source's mode and room for
 * the owner to write in it.
 */
static int make_parents(const char *src, const char *dst, const char *rel)
{
	for (const char *slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
		char *from = xasprintf("%s/%.*s", src, (int)(slash - rel), rel);
		char *to = xasprintf("%s/%.*s", dst, (int)(slash - rel), rel);
		struct stat st;
		int ret = 0;

		if (stat(from, &st))
			ret = error("cannot read '%s': %s", from, strerror(errno));
		else if (mkdir(to, (st.st_mode & 07777) | S_IRWXU) && errno != EEXIST)
			ret = error("cannot create '%s': %s", to, strerror(errno));
		free(from);
		free(to);
		if (ret)
			return ret;
	}
	return 0;
}

/* A path git gave that is not below src (or src itself) is never copied. */
static int inside_names(const char *rel)
{
	return *rel && strcmp(rel, ".") && strncmp(rel, "../", 3) && !strstr(rel, "/../") &&
	       rel[0] != '/';
}

/* One path git listed, relative to src; tracked: git has it, not only the work tree. */
static int copy_listed(const char *src, const char *dst, const char *rel, int tracked)
{
	char *from = xasprintf("%s/%s", src, rel);
	char *to = xasprintf("%s/%s", dst, rel);
	struct stat st;
	int ret = 0;

	if (lstat(from, &st)) {
		/* Tracked but deleted in the work tree: the build sees what the user sees. */
		if (errno != ENOENT && errno != ENOTDIR)
			ret = error("cannot read '%s': %s", from, strerror(errno));
	} else if (make_parents(src, dst, rel)) {
		ret = -1;
	} else if (S_ISREG(st.st_mode)) {
		/* a tracked binary is a source (a vendored library); an untracked one a leftover */
		if (!tracked && is_build_product(from))
			sources_copy.products++;
		else
			ret = copy_regular(from, to, &st, TIMES_FRESH);
	} else if (S_ISLNK(st.st_mode)) {
		ret = copy_symlink(from, to, &st, TIMES_FRESH);
	} else if (S_ISDIR(st.st_mode)) {
		/*
		 * A submodule or a repository of its own: git lists it as one
		 * entry, and it has its own list; one never checked out is an
		 * empty directory.
		 */
		char *inner_git = xasprintf("%s/.git", from);

		if (!access(inner_git, F_OK))
			ret = tree_copy_sources(from, to);
		else if (mkdir(to, (st.st_mode & 07777) | S_IRWXU) && errno != EEXIST)
			ret = error("cannot create '%s': %s", to, strerror(errno));
		free(inner_git);
	} else {
		warning("not copying '%s': not a regular file, directory or symlink", from);
	}
	free(from);
	free(to);
	return ret;
}

static int copy_git_listed(const char *git, const char *src, const char *dst)
{
	/* -t tags each name: "H " tracked (cached), "? " untracked */
	char *argv[] = { "git", "ls-files", "-z", "-t", "--cached", "--others",
			 "--exclude-standard", NULL };
	struct tool_output res = TOOL_OUTPUT_INIT;
	const char *previous = "";
	struct stat st;
	int ret = 0;

	if (tool_run(git, argv, src, 0, &res))
		return -1;
	if (res.exit_code) {
		char *why = tool_first_line(res.err);

		ret = error("cannot list the files of '%s': git: %s", src, why);
		free(why);
		goto out;
	}
	if (stat(src, &st))
		ret = error("cannot read '%s': %s", src, strerror(errno));
	else if (mkdir(dst, (st.st_mode & 07777) | S_IRWXU))
		ret = error("cannot create '%s': %s", dst, strerror(errno));
	/*
	 * NUL-separated names, each after its tag; a file with a merge
	 * conflict is listed once per stage, one after the other.
	 */
	for (size_t at = 0; !ret && at < res.out_len; ) {
		char *entry = res.out + at, *rel;
		size_t len = strlen(entry);
		int tracked;

		at += len + 1;
		if (len < 3 || entry[1] != ' ')
			continue;
		tracked = entry[0] != '?';
		rel = entry + 2;
		/* a repository of its own is listed as "dir/"; an empty submodule as "./" */
		while (len > 3 && entry[len - 1] == '/')
			entry[--len] = '\0';
		if (!strcmp(rel, previous) || !inside_names(rel) || !strcmp(rel, "./"))
			continue;
		previous = rel;
		ret = copy_listed(src, dst, rel, tracked);
	}
out:
	tool_output_release(&res);
	return ret;
}

int tree_copy_sources(const char *src, const char *dst)
{
	char *git = tool_find_quiet("git");
	int in_git = 0, ret;
	struct stat st;

	if (lstat(src, &st))
		ret = error("cannot read '%s': %s", src, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		ret = error("cannot copy '%s': not a directory", src);
	else if (!git && looks_like_git(src))
		ret = error("'%s' is in a git repository, and 'git' is not on PATH to list "
			    "its sources (Debian: apt-get install git)", src);
	else if (git && (in_git = in_work_tree(git, src)) < 0)
		ret = -1;
	else if (check_outside(src, dst))
		ret = -1;
	else {
		/* a submodule is copied by a call of its own, inside the outer one */
		/* links are judged against the outermost tree copied */
		int outermost = !sources_copy.root;

		if (outermost) {
			sources_copy.root = realpath(src, NULL);
			sources_copy.products = 0;
		}
		if (!sources_copy.root)
			ret = error("cannot read '%s': %s", src, strerror(errno));
		else
			ret = in_git ? copy_git_listed(git, src, dst) :
				       copy_dir(src, dst, &st, TIMES_FRESH);
		if (!ret && outermost && sources_copy.products)
			note("left %zu build product%s (object files, archives, programs) of '%s' out of its copy: every build starts from the sources",
			     sources_copy.products, sources_copy.products == 1 ? "" : "s", src);
		if (outermost) {
			free(sources_copy.root);
			sources_copy.root = NULL;
		}
	}
	free(git);
	return ret;
}

/* Every link below dir (recursively), each checked against root. */
static int check_links_below(const char *root, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return error("cannot read '%s': %s", dir, strerror(errno));
	while (!ret && (de = readdir(d))) {
		char *path;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(path, &st)) {
			ret = error("cannot read '%s': %s", path, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			ret = check_links_below(root, path);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlink(path, target, sizeof(target) - 1);

			if (n < 0)
				ret = error("cannot read the link '%s': %s", path, strerror(errno));
			else {
				target[n] = '\0';
				if (!link_stays_inside(root, path, target))
					ret = error("'%s' links to '%s', outside the tree: a build through it could write outside its copy, so steady does not build it",
						    path, target);
			}
		}
		free(path);
	}
	closedir(d);
	return ret;
}

int tree_check_links(const char *dir)
{
	char *root = realpath(dir, NULL);
	int ret;

	if (!root)
		return error("cannot read '%s': %s", dir, strerror(errno));
	ret = check_links_below(root, root);
	free(root);
	return ret;
}

/* ---- a revision of the repository ---- */

/*
 * The top of repo's work tree (*top, a new string) and the path from it
 * down to repo (returned, "" or "sub/dir/"); NULL after one error line.
 */
static char *repo_prefix(const char *git, const char *repo, char **top)
{
	char *argv[] = { "git", "rev-parse", "--show-toplevel", "--show-prefix", NULL };
	struct tool_output res = TOOL_OUTPUT_INIT;
	char *prefix = NULL;

	if (tool_run(git, argv, repo, 0, &res))
		return NULL;
	if (res.exit_code) {
		char *why = tool_first_line(res.err);

		error("cannot export from '%s': %s", repo, why);
		free(why);
	} else {
		/* two lines: the top, then the prefix (an empty line at the top) */
		size_t len = strcspn(res.out, "\n");

		*top = xasprintf("%.*s", (int)len, res.out);
		prefix = xstrdup(res.out[len] ? res.out + len + 1 : "");
		prefix[strcspn(prefix, "\n")] = '\0';
	}
	tool_output_release(&res);
	return prefix;
}

/*
 * git archive of treeish into the file tar, run at the top of the work
 * tree: from a subdirectory, git would also cut the tree down to it.
 * 0, or -1 after one line quoting git.
 */
static int archive(const char *git, const char *repo, const char *top, const char *rev,
		   const char *treeish, const char *tar)
{
	char *argv[] = { "git", "archive", "--format=tar", "-o", (char *)tar,
			 (char *)treeish, NULL };
	struct tool_output res = TOOL_OUTPUT_INIT;
	int ret = 0;

	if (tool_run(git, argv, top, 1, &res))
		return -1;
	if (res.exit_code) {
		char *why = tool_first_line(res.out);

		ret = error("cannot export revision '%s' of '%s': %s", rev, repo, why);
		free(why);
	}
	tool_output_release(&res);
	return ret;
}

static int untar(const char *tar_file, const char *dst)
{
	char *tar = tool_find("tar", "tar");
	char *argv[] = { "tar", "-x", "--no-same-owner", "-f", (char *)tar_file,
			 "-C", (char *)dst, NULL };
	struct tool_output res = TOOL_OUTPUT_INIT;
	int ret = 0;

	if (!tar)
		return -1;
	if (tool_run(tar, argv, NULL, 1, &res)) {
		free(tar);
		return -1;
	}
	if (res.exit_code) {
		char *why = tool_first_line(res.out);

		ret = error("cannot unpack into '%s': tar: %s", dst, why);
		free(why);
	}
	tool_output_release(&res);
	free(tar);
	return ret;
}

int tree_export_rev(const char *repo, const char *rev, const char *dst)
{
	char *git, *top = NULL, *prefix = NULL, *treeish = NULL, *ws = NULL, *tar = NULL;
	int ret = -1;

	/* It would be read as an option of git archive. */
	if (!*rev || *rev == '-')
		return error("invalid revision '%s'", rev);
	git = tool_find("git", "git");
	if (!git)
		return -1;
	prefix = repo_prefix(git, repo, &top);
	if (!prefix)
		goto out;
	if (*prefix) {
		prefix[strlen(prefix) - 1] = '\0'; /* "sub/": rev:sub names its tree */
		treeish = xasprintf("%s:%s", rev, prefix);
	} else {
		treeish = xstrdup(rev);
	}
	/* The archive is steady's, never written beside the user's files. */
	ws = tree_workspace_new("export");
	if (!ws)
		goto out;
	tar = xasprintf("%s/tree.tar", ws);
	if (archive(git, repo, top, rev, treeish, tar))
		goto out;
	if (mkdir(dst, 0777)) {
		error("cannot create '%s': %s", dst, strerror(errno));
		goto out;
	}
	ret = untar(tar, dst);
	if (!ret)
		ret = tree_check_links(dst);
out:
	if (ws && tree_remove(ws))
		ret = -1;
	free(tar);
	free(ws);
	free(treeish);
	free(prefix);
	free(top);
	free(git);
	return ret;
}

/* ---- removal ---- */

static int remove_below(const char *path, dev_t dev)
{
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int ret = 0;

	if (lstat(path, &st))
		return error("cannot remove '%s': %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path))
			return error("cannot remove '%s': %s", path, strerror(errno));
		return 0;
	}
	if (st.st_dev != dev)
		return error("cannot remove '%s': another file system is mounted there", path);
	/* A copy of a read-only directory is read-only too: open it up. */
	if ((st.st_mode & S_IRWXU) != S_IRWXU && chmod(path, (st.st_mode & 07777) | S_IRWXU))
		return error("cannot remove '%s': %s", path, strerror(errno));
	dir = opendir(path);
	if (!dir)
		return error("cannot remove '%s': %s", path, strerror(errno));
	for (;;) {
		char *child;

		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno)
				ret = error("cannot remove '%s': %s", path, strerror(errno));
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		child = xasprintf("%s/%s", path, de->d_name);
		ret = remove_below(child, dev);
		free(child);
		if (ret)
			break;
	}
	closedir(dir);
	if (!ret && rmdir(path))
		ret = error("cannot remove '%s': %s", path, strerror(errno));
	return ret;
}

int tree_remove(const char *path)
{
	struct stat st;

	if (!*path || !strcmp(path, "/"))
		return error("refusing to remove '%s'", path);
	if (lstat(path, &st))
		return error("cannot remove '%s': %s", path, strerror(errno));
	return remove_below(path, st.st_dev);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int digest_file(struct digest *d, const char *path)
{
	char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t got;

	if (fd < 0)
		return error("cannot read '%s': %s", path, strerror(errno));
	while ((got = read(fd, buf, sizeof(buf))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			close(fd);
			return error("cannot read '%s': %s", path, strerror(errno));
		}
		digest_bytes(d, buf, (size_t)got);
	}
	close(fd);
	return 0;
}

static int digest_below(struct digest *d, const char *root, const char *rel, int code_only,
			size_t *linked);

/* tree_code_digest()'s part of one entry sub (at path, of type as below). */
static int digest_code(struct digest *d, const char *root, const char *sub, const char *path,
		       char type, size_t *linked)
{
	uint64_t text[2];
	int got;

	if (type == 'd')
		return digest_below(d, root, sub, 1, linked);
	if (type != 'f' && type != 'x')
		return 0;
	got = elf_linked_text_digest(path, text);
	if (got <= 0)
		return got;
	digest_field(d, sub, strlen(sub));
	digest_bytes(d, text, sizeof(text));
	(*linked)++;
	return 0;
}

/*
 * code_only: only the linked ELF files (programs, shared libraries), each
 * as its path and its .text's digest, counted in *linked.
 */
static int digest_below(struct digest *d, const char *root, const char *rel, int code_only,
			size_t *linked)
{
	char *dir = *rel ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name), ret = 0;

	if (n < 0) {
		ret = error("cannot read directory '%s': %s", dir, strerror(errno));
		free(dir);
		return ret;
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *sub, *path;
		struct stat st;
		char type;

		if (ret || !strcmp(name, ".") || !strcmp(name, "..")) {
			free(names[i]);
			continue;
		}
		sub = *rel ? xasprintf("%s/%s", rel, name) : xstrdup(name);
		path = xasprintf("%s/%s", root, sub);
		if (lstat(path, &st)) {
			ret = error("cannot read '%s': %s", path, strerror(errno));
		} else {
			type = S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' :
			       S_ISREG(st.st_mode) ? ((st.st_mode & 0111) ? 'x' : 'f') : '?';
			if (code_only) {
				ret = digest_code(d, root, sub, path, type, linked);
				goto next;
			}
			digest_field(d, sub, strlen(sub));
			digest_bytes(d, &type, 1);
			if (type == 'd') {
				ret = digest_below(d, root, sub, 0, NULL);
			} else if (type == 'l') {
				char target[PATH_MAX];
				ssize_t len = readlink(path, target, sizeof(target));

				if (len < 0)
					ret = error("cannot read link '%s': %s", path, strerror(errno));
				else
					digest_field(d, target, (size_t)len);
			} else if (type != '?') {
				uint64_t size = (uint64_t)st.st_size;

				digest_bytes(d, &size, sizeof(size));
				ret = digest_file(d, path);
			}
		}
next:
		free(path);
		free(sub);
		free(names[i]);
	}
	free(names);
	free(dir);
	return ret;
}

int tree_digest(const char *dir, uint64_t digest[2])
{
	struct digest d;

	digest_init(&d);
	if (digest_below(&d, dir, "", 0, NULL))
		return -1;
	digest[0] = d.h[0];
	digest[1] = d.h[1];
	return 0;
}

int tree_code_digest(const char *dir, uint64_t digest[2], size_t *linked)
{
	struct digest d;

	*linked = 0;
	digest_init(&d);
	if (digest_below(&d, dir, "", 1, linked))
		return -1;
	digest[0] = d.h[0];
	digest[1] = d.h[1];
	return 0;
}
