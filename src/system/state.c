/*
 * state: see state.h.
 */
#include "system/state.h"
#include "system/knobs.h"
#include "formats/jsonfile.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_FORMAT "steady-system-state"
#define STATE_VERSION 1

void system_state_init(struct system_state *s)
{
	memset(s, 0, sizeof(*s));
}

void system_state_release(struct system_state *s)
{
	for (size_t i = 0; i < s->nr; i++) {
		free(s->v[i].check);
		free(s->v[i].path);
		free(s->v[i].value);
	}
	free(s->v);
	system_state_init(s);
}

void system_state_remember(struct system_state *s, const char *check,
			   const char *path, const char *value)
{
	for (size_t i = 0; i < s->nr; i++)
		if (!strcmp(s->v[i].path, path))
			return;
	ALLOC_GROW(s->v, s->nr + 1, s->alloc);
	s->v[s->nr].check = xstrdup(check);
	s->v[s->nr].path = xstrdup(path);
	s->v[s->nr].value = xstrdup(value);
	s->nr++;
}

/*
 * Opens the state file for reading, refusing one that someone other than
 * root could have written: reset writes what it says, as root. A FILE,
 * or NULL with *missing set when there is none, or NULL after one line.
 */
static FILE *open_state(const char *path, int *missing)
{
	/* O_NONBLOCK: a FIFO in its place is refused below, not waited on. */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	FILE *f;

	*missing = fd < 0 && errno == ENOENT;
	if (fd < 0) {
		if (!*missing)
			error("cannot read '%s': %s", path,
			      errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st)) {
		error("cannot read '%s': %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		error("refusing '%s': not a regular file", path);
	} else if (st.st_uid != 0) {
		error("refusing '%s': owned by uid %ju, not root (steady system tune writes it as root)",
		      path, (uintmax_t)st.st_uid);
	} else if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		error("refusing '%s': writable by %s (mode %04o); it must be root's alone",
		      path, st.st_mode & S_IWOTH ? "others" : "its group",
		      (unsigned)(st.st_mode & 07777));
	} else if (fcntl(fd, F_SETFL, 0) || !(f = fdopen(fd, "r"))) {
		error("cannot read '%s': %s", path, strerror(errno));
	} else {
		return f;
	}
	close(fd);
	return NULL;
}

/* Printable ASCII on one line, as the kernel's knobs read: nothing to
 * smuggle into a knob or onto a terminal. */
static int plain_value(const char *v)
{
	size_t len = strlen(v);

	if (len > 4096)
		return 0;
	for (; *v; v++)
		if (*v < 0x20 || *v > 0x7e)
			return 0;
	return 1;
}

/* Entry i of the saved array, checked: 0, or -1 after one line. */
static int load_entry(struct system_state *s, const json_t *e, size_t i, const char *path)
{
	const char *check = json_string_value(json_object_get(e, "check"));
	const char *p = json_string_value(json_object_get(e, "path"));
	const char *v = json_string_value(json_object_get(e, "value"));
	const char *owner;

	if (!check || !p || !v)
		return error("cannot read '%s': entry %zu needs strings 'check', 'path' and 'value'",
			     path, i);
	owner = knob_check(p);
	/* Only the exact knobs tune writes (system/knobs.c), by the check that tunes them. */
	if (!owner)
		/* The path is shown only when it cannot play tricks on a terminal. */
		return error("refusing '%s': entry %zu names %s%s%s, not a file steady system tune writes",
			     path, i, plain_value(p) ? "'" : "", plain_value(p) ? p : "a path of odd characters",
			     plain_value(p) ? "'" : "");
	if (strcmp(owner, check))
		return error("refusing '%s': entry %zu: '%s' is not written by that check", path, i, p);
	if (!plain_value(v))
		return error("refusing '%s': entry %zu: the value for '%s' is not one line of plain text",
			     path, i, p);
	system_state_remember(s, check, p, v);
	return 0;
}

int system_state_load(struct system_state *s, const struct sysroot *r)
{
	char *path = sys_path(r, SYSTEM_STATE_PATH);
	json_t *root = NULL, *saved;
	json_error_t jerr;
	int ret = -1, missing;
	FILE *f = open_state(path, &missing);

	if (!f) {
		free(path);
		return missing ? 0 : -1;
	}
	/* Parsed from the descriptor checked above, not from the name again. */
	root = json_loadf(f, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	fclose(f);
	if (!root) {
		error("cannot read '%s': not valid JSON (line %d, column %d: %s)",
		      path, jerr.line, jerr.column, jerr.text);
		goto out;
	}
	/* Older steady wrote no "steady_version"; nothing here needs it. */
	if (json_file_check_kind(root, path, STATE_FORMAT, "system state", STATE_VERSION) < 0)
		goto out_json;
	saved = json_object_get(root, "saved");
	if (!json_is_array(saved)) {
		error("cannot read '%s': not a steady system state file (no 'saved' array)", path);
		goto out_json;
	}
	for (size_t i = 0; i < json_array_size(saved); i++)
		if (load_entry(s, json_array_get(saved, i), i, path))
			goto out_json;
	ret = 1;
out_json:
	json_decref(root);
out:
	free(path);
	return ret;
}

/* mkdir -p of the state file's directory under the root. */
static int make_dirs(const struct sysroot *r)
{
	char *dir = sys_path(r, SYSTEM_STATE_PATH);
	size_t root_len = strlen(r->dir ? r->dir : "");

	*strrchr(dir, '/') = '\0';
	for (char *p = dir + root_len + 1; ; p++) {
		if (*p == '/' || !*p) {
			char c = *p;

			*p = '\0';
			if (mkdir(dir, 0755) && errno != EEXIST) {
				error("cannot create '%s': %s", dir, strerror(errno));
				free(dir);
				return -1;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	free(dir);
	return 0;
}

int system_state_save(const struct system_state *s, const struct sysroot *r)
{
	json_t *root, *saved = json_array();
	/*
	 * Loading refuses a state file its group or others could write: under a
	 * umask of 002, tune must not make one. (umask() is read by setting it;
	 * steady has one thread.)
	 */
	mode_t mask = umask(022);
	char *path;
	int ret;

	umask(mask | 022);
	for (size_t i = 0; i < s->nr; i++)
		json_array_append_new(saved, json_pack("{s:s,s:s,s:s}", "check", s->v[i].check,
						       "path", s->v[i].path, "value", s->v[i].value));
	if (make_dirs(r)) {
		json_decref(saved);
		umask(mask);
		return -1;
	}
	root = json_file_new(STATE_FORMAT, STATE_VERSION);
	json_object_set_new(root, "saved", saved);
	path = sys_path(r, SYSTEM_STATE_PATH);
	ret = json_file_write(root, path);
	json_decref(root);
	free(path);
	umask(mask);
	return ret;
}

int system_state_remove(const struct sysroot *r)
{
	char *path = sys_path(r, SYSTEM_STATE_PATH);
	int ret = 0;

	if (unlink(path) && errno != ENOENT)
		ret = error("cannot remove '%s': %s", path, strerror(errno));
	free(path);
	return ret;
}
