/*
 * pgo: see pgo.h. Flags verified with gcc 12 and clang 14 (llvm-profdata
 * 14) by an instrumented build in one copy of a tree, training, and the
 * optimised build in another copy with -Wall -Wextra -Werror.
 *
 * gcc names each .gcda after its object's path with '/' made '#'
 * (-fprofile-generate=DIR puts them all in DIR); -fprofile-prefix-path=TREE
 * first takes TREE off that path, so GEN/src/a.o and USE/src/a.o both mean
 * DIR/src#a.gcda and the use build in another copy finds the profile. An
 * object outside TREE keeps its whole path, and gcc warns about it in the
 * instrumented build. -fprofile-update=prefer-atomic: threads updating
 * one counter at once would otherwise lose counts, and gcc refuses a
 * profile whose counts contradict each other ("corrupted profile info").
 *
 * gcc's use build, and its warnings:
 *   -fprofile-partial-training  code the training never ran is optimised
 *                               as without a profile, not for size: a
 *                               training that misses a path must not make
 *                               it slow;
 *   -Wno-missing-profile        objects that no trained program contains
 *                               (tests, other tools of the tree) have no
 *                               .gcda; that is expected, and a user's
 *                               -Werror would fail the build on it;
 *   -Wcoverage-mismatch         kept (an error by default): each object has
 *                               its own .gcda, and the sources and flags
 *                               of the two builds are the same, so a
 *                               mismatch means the use build compiled
 *                               something else than was trained; hidden,
 *                               gcc would drop the profile of those
 *                               functions silently and sweep would measure
 *                               a "PGO" build that is not one.
 *
 * clang keys its profile by function name over the whole program set
 * (static functions by source file name, not path, so the two copies
 * agree). clang's use build:
 *   -Wno-profile-instr-unprofiled  a file with no profile at all, and
 *   -Wno-profile-instr-missing     functions without one: both off by
 *                                  default, but on under -Weverything, and
 *                                  as expected as gcc's missing profiles;
 *   -Wno-error=profile-instr-out-of-date
 *                                  on by default: "mismatched data" comes
 *                                  here from name collisions too, e.g. the
 *                                  main() of a second program of the tree
 *                                  against the trained one's, which a
 *                                  user's -Werror must survive. It stays a
 *                                  warning in the build log: the same
 *                                  sources give no real mismatch.
 * The profile runtime writes one .profraw per process at exit: %p (the
 * pid) keeps processes and runs apart, %m (the module's signature) keeps
 * apart instrumented shared libraries and merges into one file what a
 * recycled pid would otherwise overwrite.
 */
#include "toolchain/pgo.h"
#include "toolchain/build.h"
#include "toolchain/tool.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const names[] = {
	[PGO_GCC] = "gcc",
	[PGO_CLANG] = "clang",
};

const char *pgo_compiler_name(enum pgo_compiler c)
{
	return (unsigned)c < sizeof(names) / sizeof(*names) ? names[c] : "?";
}

/* ---- paths in flags ---- */

static int path_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || (ch && strchr("/._+@~:-", ch));
}

/* 0 when path may go into a flag as it is; else -1 after one line. */
static int check_path(const char *what, const char *path)
{
	if (path[0] != '/')
		return error("the PGO %s '%s' is not an absolute path", what, path);
	for (const char *p = path; *p; p++) {
		char why[32];

		if (path_char_ok(*p))
			continue;
		if (*p == ' ' || *p == '\t' || *p == '\n')
			snprintf(why, sizeof(why), "a blank");
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			snprintf(why, sizeof(why), "a control character");
		else
			snprintf(why, sizeof(why), "'%c'", *p);
		return error("the PGO %s '%s' holds %s, which would split or change the flags "
			     "it goes into (letters, digits and /._+@~:- only)", what, path, why);
	}
	return 0;
}

static int check_paths(const char *profile_dir, const char *tree)
{
	return check_path("profile directory", profile_dir) || check_path("tree", tree) ? -1 : 0;
}

static void set_flags(struct pgo_flags *out, char *cflags, char *ldflags)
{
	out->cflags = cflags;
	out->ldflags = ldflags;
}

int pgo_generate_flags(enum pgo_compiler c, const char *profile_dir, const char *tree,
		       struct pgo_flags *out)
{
	set_flags(out, NULL, NULL);
	if (check_paths(profile_dir, tree))
		return -1;
	switch (c) {
	case PGO_GCC:
		set_flags(out, xasprintf("-fprofile-generate=%s -fprofile-prefix-path=%s "
					 "-fprofile-update=prefer-atomic", profile_dir, tree),
			  xasprintf("-fprofile-generate=%s", profile_dir));
		return 0;
	case PGO_CLANG:
		/* Where the profiles go is the training's LLVM_PROFILE_FILE. */
		set_flags(out, xstrdup("-fprofile-instr-generate"),
			  xstrdup("-fprofile-instr-generate"));
		return 0;
	}
	return error("unknown compiler family %d", (int)c);
}

int pgo_use_flags(enum pgo_compiler c, const char *profile_dir, const char *tree,
		  struct pgo_flags *out)
{
	set_flags(out, NULL, NULL);
	if (check_paths(profile_dir, tree))
		return -1;
	/* Neither links with anything: the profile is read by each compile
	 * (with -flto too, where it travels in the objects). */
	switch (c) {
	case PGO_GCC:
		set_flags(out, xasprintf("-fprofile-use=%s -fprofile-prefix-path=%s "
					 "-fprofile-partial-training -Wno-missing-profile",
					 profile_dir, tree),
			  xstrdup(""));
		return 0;
	case PGO_CLANG:
		set_flags(out, xasprintf("-fprofile-instr-use=%s/" PGO_CLANG_PROFILE " "
					 "-Wno-profile-instr-unprofiled -Wno-profile-instr-missing "
					 "-Wno-error=profile-instr-out-of-date", profile_dir),
			  xstrdup(""));
		return 0;
	}
	return error("unknown compiler family %d", (int)c);
}

void pgo_flags_release(struct pgo_flags *f)
{
	free(f->cflags);
	free(f->ldflags);
	set_flags(f, NULL, NULL);
}

char *pgo_training_env(enum pgo_compiler c, const char *profile_dir)
{
	if (c != PGO_CLANG)
		return NULL;
	return xasprintf("LLVM_PROFILE_FILE=%s/%%p-%%m.profraw", profile_dir);
}

/* ---- asking the compiler ---- */

/* The program cc names: a new string, or NULL after one line. */
static char *compiler_path(const char *cc, int quiet)
{
	char *path = strchr(cc, '/') ? xstrdup(cc) : tool_find_quiet(cc);

	if (!path && !quiet)
		error("compiler '%s' not found on PATH", cc);
	return path;
}

/*
 * What cc predefines for C (`cc -dM -E -x c /dev/null`), which must
 * succeed: a new string, or NULL after one line. The macros say what a
 * compiler is where --version does not: clang-based compilers with their
 * own banner define __clang__, and a program that is no compiler at all
 * may still name the Free Software Foundation (coreutils' true does).
 */
static char *compiler_macros(const char *cc, int quiet)
{
	char *argv[] = { (char *)cc, "-dM", "-E", "-x", "c", "/dev/null", NULL };
	struct tool_output res = TOOL_OUTPUT_INIT;
	char *path = compiler_path(cc, quiet);
	char *text;
	int ret;

	if (!path)
		return NULL;
	ret = tool_run(path, argv, NULL, 0, &res);
	free(path);
	if (ret)
		return NULL;
	if (res.exit_code) {
		char *why = tool_first_line(res.err);

		if (!quiet)
			error("cannot tell which compiler '%s' is: '%s -dM -E' exited with code %d: %s",
			      cc, cc, res.exit_code, why);
		free(why);
		tool_output_release(&res);
		return NULL;
	}
	text = res.out;
	res.out = NULL;
	tool_output_release(&res);
	return text;
}

/* The value of macro name as `cc -dM -E` printed it, or -1 when not defined. */
static long macro_value(const char *macros, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = macros; (p = strstr(p, "#define ")); p++) {
		if ((p == macros || p[-1] == '\n') && !strncmp(p + 8, name, len) && p[8 + len] == ' ')
			return strtol(p + 8 + len + 1, NULL, 10);
	}
	return -1;
}

static int family_of(const char *cc, enum pgo_compiler *out, int quiet)
{
	char *macros = compiler_macros(cc, quiet);
	int ret = 0;

	if (!macros)
		return -1;
	/* clang defines __GNUC__ too (as 4). */
	if (macro_value(macros, "__clang__") >= 0)
		*out = PGO_CLANG;
	else if (macro_value(macros, "__GNUC__") >= 0)
		*out = PGO_GCC;
	else
		ret = quiet ? -1 : error("PGO is for gcc and clang: '%s' is neither (it defines neither "
					 "__clang__ nor __GNUC__)", cc);
	free(macros);
	return ret;
}

int pgo_compiler_family(const char *cc, enum pgo_compiler *out)
{
	return family_of(cc, out, 0);
}

int pgo_compiler_family_quiet(const char *cc, enum pgo_compiler *out)
{
	return family_of(cc, out, 1);
}

/* clang's major version (__clang_major__), 0 when it has none: 0, or -1 after one line. */
static int clang_major(const char *cc, unsigned *major)
{
	char *macros = compiler_macros(cc, 0);
	long value;

	if (!macros)
		return -1;
	value = macro_value(macros, "__clang_major__");
	*major = value > 0 ? (unsigned)value : 0;
	free(macros);
	return 0;
}

/*
 * The llvm-profdata to merge clang's profiles with, as pgo.h orders the
 * places: a new string, or NULL after one line. The one beside clang
 * comes first because the raw profile format changes between versions.
 */
static char *find_profdata(const char *cc)
{
	char *argv[] = { (char *)cc, "-print-prog-name=llvm-profdata", NULL };
	struct tool_output res = TOOL_OUTPUT_INIT;
	char *path, *name, *found = NULL;
	unsigned major;

	path = compiler_path(cc, 0);
	if (!path)
		return NULL;
	if (tool_run(path, argv, NULL, 0, &res)) {
		free(path);
		return NULL;
	}
	free(path);
	/* Not found, clang prints the bare name back. */
	res.out[strcspn(res.out, "\r\n")] = '\0';
	if (!res.exit_code && res.out[0] == '/' && !access(res.out, X_OK))
		found = xstrdup(res.out);
	tool_output_release(&res);
	if (!found)
		found = tool_find_quiet("llvm-profdata");
	if (found)
		return found;

	if (clang_major(cc, &major))
		return NULL;
	if (!major) {
		error("clang PGO needs llvm-profdata, found neither beside '%s' nor on PATH "
		      "(Debian: apt-get install llvm)", cc);
		return NULL;
	}
	name = xasprintf("llvm-profdata-%u", major);
	found = tool_find_quiet(name);
	free(name);
	if (!found)
		error("clang PGO needs llvm-profdata, found neither beside '%s' nor on PATH "
		      "(Debian: apt-get install llvm, or llvm-%u for llvm-profdata-%u)",
		      cc, major, major);
	return found;
}

int pgo_check(enum pgo_compiler c, const char *cc)
{
	struct pgo_flags f = PGO_FLAGS_INIT;
	char *found;
	unsigned major;
	int ok;

	switch (c) {
	case PGO_GCC:
		/* Nothing runs: any absolute directory will do for the probe. */
		if (pgo_generate_flags(c, "/steady-pgo-probe", "/", &f))
			return -1;
		ok = build_compiler_accepts(cc, f.cflags, f.ldflags);
		if (!ok)
			error("gcc PGO needs gcc 11 or later: '%s' refused %s", cc, f.cflags);
		pgo_flags_release(&f);
		return ok == 1 ? 0 : -1;
	case PGO_CLANG:
		found = find_profdata(cc);
		if (!found)
			return -1;
		free(found);
		ok = build_compiler_accepts(cc, "-fprofile-instr-generate", "-fprofile-instr-generate");
		if (ok)
			return ok == 1 ? 0 : -1;
		if (clang_major(cc, &major))
			return -1;
		return error("clang PGO needs clang's profile runtime: '%s' cannot link with "
			     "-fprofile-instr-generate (Debian: apt-get install libclang-rt-%u-dev)",
			     cc, major);
	}
	return error("unknown compiler family %d", (int)c);
}

/* ---- the profile ---- */

struct profiles {
	char **paths;
	size_t nr, alloc;
};

static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n > s && !strcmp(name + n - s, suffix);
}

/*
 * Collects the files of dir named *suffix, below it too when recurse
 * (gcc puts objects from outside the tree in subdirectories). A dir that
 * does not exist holds none: the runtimes make it when they write. 0, or
 * -1 after one line.
 */
static int collect(const char *dir, const char *suffix, int recurse, struct profiles *found)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return errno == ENOENT ? 0 : error("cannot read '%s': %s", dir, strerror(errno));
	while (!ret && (errno = 0, de = readdir(d))) {
		char *path;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(path, &st)) {
			ret = error("cannot read '%s': %s", path, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			if (recurse)
				ret = collect(path, suffix, recurse, found);
		} else if (S_ISREG(st.st_mode) && has_suffix(de->d_name, suffix)) {
			ALLOC_GROW(found->paths, found->nr + 1, found->alloc);
			found->paths[found->nr++] = path;
			path = NULL;
		}
		free(path);
	}
	if (!ret && errno)
		ret = error("cannot read '%s': %s", dir, strerror(errno));
	closedir(d);
	return ret;
}

static void profiles_release(struct profiles *p)
{
	for (size_t i = 0; i < p->nr; i++)
		free(p->paths[i]);
	free(p->paths);
	p->paths = NULL;
	p->nr = p->alloc = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The raw profiles go to llvm-profdata in a list file, not as arguments:
 * a training that starts the program many times (a test suite) leaves a
 * file per process, more than one command line holds.
 */
static int merge_clang(const char *cc, const char *profile_dir, struct profiles *raw)
{
	char *profdata, *list, *output, *arg_list;
	struct tool_output res = TOOL_OUTPUT_INIT;
	FILE *fp;
	int ret = -1, written = 1;

	profdata = find_profdata(cc);
	if (!profdata)
		return -1;
	list = xasprintf("%s/profraw.list", profile_dir);
	output = xasprintf("%s/" PGO_CLANG_PROFILE, profile_dir);
	arg_list = xasprintf("--input-files=%s", list);

	/* Sorted: the same profiles always merge in the same order. */
	qsort(raw->paths, raw->nr, sizeof(*raw->paths), cmp_str);
	fp = fopen(list, "w");
	if (fp) {
		for (size_t i = 0; i < raw->nr; i++)
			written &= fprintf(fp, "%s\n", raw->paths[i]) > 0;
		if (fclose(fp) || !written)
			fp = NULL;
	}
	if (!fp) {
		error("cannot write '%s': %s", list, strerror(errno));
	} else {
		char *argv[] = { "llvm-profdata", "merge", arg_list, "-o", output, NULL };

		if (!tool_run(profdata, argv, NULL, 1, &res)) {
			if (res.exit_code) {
				char *why = tool_first_line(res.out);
				/* A bad input is told as a warning before "no profile
				 * can be merged": the line that names the file. */
				size_t skip = strncmp(why, "warning: ", 9) ? 0 : 9;

				error("llvm-profdata cannot merge the profiles in '%s': %s",
				      profile_dir, why + skip);
				free(why);
			} else {
				ret = 0;
			}
			tool_output_release(&res);
		}
	}
	unlink(list);
	free(arg_list);
	free(output);
	free(list);
	free(profdata);
	return ret;
}

int pgo_finish_profile(enum pgo_compiler c, const char *cc, const char *profile_dir)
{
	struct profiles found = { NULL, 0, 0 };
	int ret;

	if (c != PGO_GCC && c != PGO_CLANG)
		return error("unknown compiler family %d", (int)c);
	/* The list file's lines would read a ',' as a weight. */
	if (check_path("profile directory", profile_dir))
		return -1;
	if (c == PGO_GCC)
		ret = collect(profile_dir, ".gcda", 1, &found);
	else
		ret = collect(profile_dir, ".profraw", 0, &found);
	if (!ret && !found.nr)
		ret = error("no profile in '%s': the training command never ran the instrumented "
			    "program (or it died before exiting)", profile_dir);
	if (!ret && c == PGO_CLANG)
		ret = merge_clang(cc, profile_dir, &found);
	profiles_release(&found);
	return ret;
}
