/*
 * patch: see patch.h. GNU patch is run twice: a --dry-run that must pass,
 * then the real run, because a patch refused halfway would leave its
 * first files changed. Its output (LC_ALL=C, --quoting-style=literal, see
 * tool.h) is read line by line: "checking file X" or "patching file X"
 * names the file the next lines are about, "Hunk #N FAILED at L." the hunk.
 */
#include "toolchain/patch.h"
#include "toolchain/tool.h"
#include "lib/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading a unified diff ---- */

/* The line at p ends at the returned pointer, past its newline if any. */
static const char *next_line(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl ? nl + 1 : p + strlen(p);
}

/*
 * Whether the name of a "--- NAME" or "+++ NAME" line (p at NAME) is file
 * once strip directories are dropped. The name ends at a tab (a date
 * follows) or at the end of the line; git's quotes are taken off.
 */
static int name_is(const char *p, const char *file, unsigned strip)
{
	size_t len = strcspn(p, "\t\n"), flen = strlen(file);

	if (len && p[len - 1] == '\r')
		len--;
	if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
		p++;
		len -= 2;
	}
	if (len == 9 && !strncmp(p, "/dev/null", 9))
		return 0;
	for (unsigned i = 0; i < strip; i++) {
		const char *slash = memchr(p, '/', len);

		if (!slash)
			return 0;
		len -= (size_t)(slash + 1 - p);
		p = slash + 1;
	}
	return len == flen && !strncmp(p, file, len);
}

/* "@@ -l[,s] +l[,s] @@": the old and new line counts (1 when left out). */
static int hunk_counts(const char *p, unsigned long *old_n, unsigned long *new_n)
{
	unsigned long l;
	char *end;

	if (strncmp(p, "@@ -", 4))
		return -1;
	l = strtoul(p + 4, &end, 10);
	*old_n = *end == ',' ? strtoul(end + 1, &end, 10) : 1;
	if (strncmp(end, " +", 2))
		return -1;
	l = strtoul(end + 2, &end, 10);
	*new_n = *end == ',' ? strtoul(end + 1, &end, 10) : 1;
	(void)l;
	return strncmp(end, " @@", 3) ? -1 : 0;
}

/* Past the body of the hunk whose header line starts at p. */
static const char *skip_hunk(const char *p, unsigned long old_n, unsigned long new_n)
{
	p = next_line(p);
	while (*p && (old_n || new_n)) {
		switch (*p) {
		case ' ':
		case '\n': /* a context line whose blank an editor took off */
			if (old_n)
				old_n--;
			if (new_n)
				new_n--;
			break;
		case '-':
			if (!old_n)
				return p;
			old_n--;
			break;
		case '+':
			if (!new_n)
				return p;
			new_n--;
			break;
		case '\\': /* "\ No newline at end of file" */
			break;
		default:
			return p; /* cut short: the hunk ends here */
		}
		p = next_line(p);
	}
	if (*p == '\\')
		p = next_line(p);
	return p;
}

const char *patch_find_hunk(const char *diff, const char *file, unsigned strip,
			    unsigned hunk_no, size_t *len)
{
	int in_file = 0;
	unsigned seen = 0;

	for (const char *p = diff; *p; ) {
		const char *next = next_line(p);
		unsigned long old_n, new_n;

		if (!strncmp(p, "--- ", 4) && !strncmp(next, "+++ ", 4)) {
			in_file = name_is(p + 4, file, strip) || name_is(next + 4, file, strip);
			seen = 0;
			p = next_line(next);
		} else if (!hunk_counts(p, &old_n, &new_n)) {
			const char *end = skip_hunk(p, old_n, new_n);

			if (in_file && ++seen == hunk_no) {
				*len = (size_t)(end - p);
				return p;
			}
			p = end;
		} else {
			p = next;
		}
	}
	return NULL;
}

/* ---- explaining a refusal ---- */

/* The whole of path as a string; NULL after one error line. */
static char *read_patch(const char *path)
{
	FILE *fp = fopen(path, "r");
	size_t alloc = 8192, nr = 0, n;
	char *text;

	if (!fp) {
		error("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	text = xmalloc(alloc);
	while ((n = fread(text + nr, 1, alloc - nr - 1, fp)) > 0) {
		nr += n;
		if (alloc - nr < 2)
			text = xrealloc(text, alloc *= 2);
	}
	if (ferror(fp)) {
		error("cannot read '%s': %s", path, strerror(errno));
		fclose(fp);
		free(text);
		return NULL;
	}
	fclose(fp);
	text[nr] = '\0';
	return text;
}

/* The hunk's lines on stderr, indented under the error line. */
static void show_hunk(const char *diff, const char *file, unsigned hunk_no)
{
	size_t len;
	const char *hunk = patch_find_hunk(diff, file, PATCH_STRIP, hunk_no, &len);

	if (!hunk)
		return;
	for (const char *p = hunk; p < hunk + len; ) {
		const char *end = next_line(p);
		int n = (int)(end - p);

		if (n && p[n - 1] == '\n')
			n--;
		fprintf(stderr, "    %.*s\n", n, p);
		p = end;
	}
}

/*
 * The name of a "|--- NAME" or "|+++ NAME" line GNU patch quoted before
 * "No file to patch", without its date and first PATCH_STRIP directories;
 * NULL for /dev/null.
 */
static char *quoted_name(const char *name)
{
	size_t len = strcspn(name, "\t");

	if (len == 9 && !strncmp(name, "/dev/null", 9))
		return NULL;
	for (unsigned i = 0; i < PATCH_STRIP; i++) {
		const char *slash = memchr(name, '/', len);

		if (!slash)
			break;
		len -= (size_t)(slash + 1 - name);
		name = slash + 1;
	}
	return xasprintf("%.*s", (int)len, name);
}

/* What GNU patch said, line by line: one error line (and a hunk) for it. */
static int explain_refusal(const char *dir, const char *patch_file,
			   const char *diff, const char *output)
{
	char *file = NULL, *quoted = NULL, *missing = NULL, *reversed = NULL;
	unsigned hunk_no = 0;
	unsigned long at = 0;
	int garbage = 0, ret;

	/* The first failed hunk is the one shown; the rest follow from it. */
	for (const char *p = output; *p && !hunk_no; ) {
		const char *end = next_line(p);
		int n = (int)(end - p);
		char line[4096], *name;
		unsigned h;
		unsigned long l;

		if (n && p[n - 1] == '\n')
			n--;
		snprintf(line, sizeof(line), "%.*s", n, p);
		p = end;
		if (!strncmp(line, "checking file ", 14) || !strncmp(line, "patching file ", 14)) {
			free(file);
			file = xstrdup(line + 14);
		} else if (sscanf(line, "Hunk #%u FAILED at %lu", &h, &l) == 2 && file) {
			hunk_no = h;
			at = l;
		} else if (!strncmp(line, "|--- ", 5) || !strncmp(line, "|+++ ", 5)) {
			/* "+++" comes second and names the file unless it is deleted */
			name = quoted_name(line + 5);
			if (name) {
				free(quoted);
				quoted = name;
			}
		} else if (!strncmp(line, "No file to patch", 16) && quoted && !missing) {
			missing = quoted;
			quoted = NULL;
		} else if (strstr(line, "Reversed (or previously applied) patch detected") &&
			   file && !reversed) {
			reversed = xstrdup(file);
		} else if (strstr(line, "Only garbage was found in the patch input")) {
			garbage = 1;
		}
	}

	if (hunk_no) {
		ret = error("cannot apply '%s' in '%s': hunk #%u of '%s' failed at line %lu",
			    patch_file, dir, hunk_no, file, at);
		show_hunk(diff, file, hunk_no);
	} else if (garbage) {
		ret = error("cannot apply '%s': it is not a patch (no diff found in it)", patch_file);
	} else if (missing) {
		ret = error("cannot apply '%s' in '%s': the file '%s' it changes is not there",
			    patch_file, dir, missing);
	} else if (reversed) {
		ret = error("cannot apply '%s' in '%s': the change to '%s' is already there "
			    "(or the patch is reversed)", patch_file, dir, reversed);
	} else {
		char *why = tool_first_line(output);

		ret = error("cannot apply '%s' in '%s': patch: %s", patch_file, dir, why);
		free(why);
	}
	free(file);
	free(quoted);
	free(missing);
	free(reversed);
	return ret;
}

/* ---- applying ---- */

/* One run of GNU patch; 1 when it refused (explained), 0, or -1. */
static int run_patch(const char *patch, const char *dir, const char *patch_file,
		     const char *absolute, const char *diff, int dry_run)
{
	char strip[16];
	char *argv[] = {
		"patch", "--batch", strip, "--forward",
		/* no .orig backups, and rejected hunks thrown away, not .rej files */
		"--no-backup-if-mismatch", "--reject-file=-",
		"--quoting-style=literal", "-i", (char *)absolute,
		dry_run ? "--dry-run" : NULL, NULL
	};
	struct tool_output res = TOOL_OUTPUT_INIT;
	int ret = 0;

	snprintf(strip, sizeof(strip), "-p%d", PATCH_STRIP);
	if (tool_run(patch, argv, dir, 1, &res))
		return -1;
	if (res.exit_code) {
		explain_refusal(dir, patch_file, diff, res.out);
		ret = 1;
	}
	tool_output_release(&res);
	return ret;
}

/* One run of git apply; like run_patch(). */
static int run_git_apply(const char *git, const char *dir, const char *patch_file,
			 const char *absolute, int check)
{
	char strip[16];
	char *argv[] = { "git", "apply", strip, (char *)absolute,
			 check ? "--check" : NULL, NULL };
	struct tool_output res = TOOL_OUTPUT_INIT;
	int ret = 0;

	snprintf(strip, sizeof(strip), "-p%d", PATCH_STRIP);
	if (tool_run(git, argv, dir, 1, &res))
		return -1;
	if (res.exit_code) {
		char *why = tool_first_line(res.out);

		error("cannot apply '%s' in '%s': git apply: %s", patch_file, dir, why);
		free(why);
		ret = 1;
	}
	tool_output_release(&res);
	return ret;
}

int patch_apply(const char *dir, const char *patch_file)
{
	char *diff, *absolute = NULL, *patch = NULL, *git = NULL;
	int ret = -1;

	diff = read_patch(patch_file);
	if (!diff)
		return -1;
	if (!diff[strspn(diff, " \t\r\n")]) {
		error("cannot apply '%s': it is empty", patch_file);
		goto out;
	}
	/* The tool runs in dir: a relative name would be looked for there. */
	absolute = realpath(patch_file, NULL);
	if (!absolute) {
		error("cannot open '%s': %s", patch_file, strerror(errno));
		goto out;
	}
	patch = tool_find_quiet("patch");
	if (patch) {
		ret = run_patch(patch, dir, patch_file, absolute, diff, 1);
		if (!ret)
			ret = run_patch(patch, dir, patch_file, absolute, diff, 0);
		goto out;
	}
	/*
	 * git apply is all or nothing by itself; --check first only so that
	 * both paths fail the same way. It treats dir as a plain directory
	 * as long as dir is not inside a git work tree, which steady's
	 * workspaces are not.
	 */
	git = tool_find_quiet("git");
	if (!git) {
		error("cannot apply '%s': 'patch' not found on PATH (Debian: apt-get install patch)",
		      patch_file);
		goto out;
	}
	ret = run_git_apply(git, dir, patch_file, absolute, 1);
	if (!ret)
		ret = run_git_apply(git, dir, patch_file, absolute, 0);
out:
	free(diff);
	free(absolute);
	free(patch);
	free(git);
	return ret ? -1 : 0;
}
