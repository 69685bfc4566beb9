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
 * The state's directory, every component below the root walked with
 * O_NOFOLLOW (system/knobs.h): tune writes the file and reset acts on it
 * as root, so a symbolic link planted on the way (DIR/var/lib ->
 * elsewhere) must carry neither anywhere else. A descriptor, or -1 with
 * *missing set when a component does not exist (and create is 0), or -1
 * after one line saying what was refused, "what" being the action
 * ("read", "write", "remove").
 */
static int state_dir(const struct sysroot *r, int create, const char *what, int *missing)
{
	char *refused, *path;
	int dir = knob_open_dir(r, SYSTEM_STATE_DIR, create, &refused);

	*missing = dir < 0 && !refused && errno == ENOENT && !create;
	if (dir >= 0 || *missing)
		return dir;
	path = sys_path(r, SYSTEM_STATE_PATH);
	if (refused)
		error("refusing to %s '%s': %s below the root (the state is never reached through a link)",
		      what, path, refused);
	else
		error("cannot %s '%s': %s", what, path, strerror(errno));
	free(refused);
	free(path);
	return -1;
}

/*
 * Opens the state file for reading from dir, refusing one that someone
 * other than root could have written: reset writes what it says, as root.
 * A FILE, or NULL with *missing set when there is none, or NULL after one
 * line.
 */
static FILE *open_state(int dir, const char *path, int *missing)
{
	/* O_NONBLOCK: a FIFO in its place is refused below, not waited on. */
	int fd = openat(dir, SYSTEM_STATE_NAME, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
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
	char *path;
	json_t *root = NULL, *saved;
	json_error_t jerr;
	int ret = -1, missing;
	int dir = state_dir(r, 0, "read", &missing);
	FILE *f;

	if (dir < 0)
		return missing ? 0 : -1;
	path = sys_path(r, SYSTEM_STATE_PATH);
	f = open_state(dir, path, &missing);
	close(dir);
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

/*
 * What is at the state's name in dir may be replaced: nothing, or a
 * regular file. 0, or -1 after one line (a link, a FIFO, a device, a
 * directory: renaming over it, or writing into it, is not tune's to do).
 */
static int check_state_node(int dir, const char *path)
{
	struct stat st;

	if (fstatat(dir, SYSTEM_STATE_NAME, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : error("cannot write '%s': %s", path, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return error("refusing to write '%s': it is a symbolic link", path);
	if (!S_ISREG(st.st_mode))
		return error("refusing to write '%s': not a regular file", path);
	return 0;
}

/* A new file in dir, its name into tmp (64 bytes): O_EXCL, never a link. */
static int create_temp(int dir, char *tmp)
{
	int fd = -1;

	for (unsigned attempt = 0; fd < 0 && attempt < 100; attempt++) {
		snprintf(tmp, 64, "." SYSTEM_STATE_NAME ".tmp.%ld.%u", (long)getpid(), attempt);
		fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			return -1;
	}
	return fd;
}

int system_state_check_writable(const struct sysroot *r)
{
	int missing, dir = state_dir(r, 1, "write", &missing), ret, fd;
	char *path, tmp[64];

	if (dir < 0)
		return -1;
	path = sys_path(r, SYSTEM_STATE_PATH);
	ret = check_state_node(dir, path);
	/* A file made there now: a read-only or full disk says so before any knob changes. */
	if (!ret) {
		fd = create_temp(dir, tmp);
		if (fd < 0) {
			ret = error("cannot write '%s': %s", path, strerror(errno));
		} else {
			close(fd);
			unlinkat(dir, tmp, 0);
		}
	}
	close(dir);
	free(path);
	return ret;
}

/*
 * text into a new file in dir (O_CREAT | O_EXCL: never an existing node,
 * never through a link; mode 0644 whatever the umask), renamed over the
 * state's name and made durable. 0, or -1 with errno set and the new file
 * removed.
 */
static int replace_state(int dir, const char *text)
{
	char tmp[64];
	int fd = create_temp(dir, tmp), err;

	if (fd < 0)
		return -1;
	if (fchmod(fd, 0644) || write_all(fd, text, strlen(text)) || fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (renameat(dir, tmp, dir, SYSTEM_STATE_NAME))
		goto fail;
	/*
	 * The rename itself survives a power cut once the directory is
	 * synced; the file is in place either way, so a failed sync is not
	 * a failed save.
	 */
	fsync(dir);
	return 0;
fail:
	err = errno;
	if (fd >= 0)
		close(fd);
	unlinkat(dir, tmp, 0);
	errno = err;
	return -1;
}

int system_state_save(const struct system_state *s, const struct sysroot *r)
{
	json_t *root, *saved = json_array();
	char *path, *text;
	int missing, dir, ret = -1;

	for (size_t i = 0; i < s->nr; i++)
		json_array_append_new(saved, json_pack("{s:s,s:s,s:s}", "check", s->v[i].check,
						       "path", s->v[i].path, "value", s->v[i].value));
	root = json_file_new(STATE_FORMAT, STATE_VERSION);
	json_object_set_new(root, "saved", saved);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return error("cannot write the saved state: out of memory");
	/* The directories made as needed (0755), each below the root walked without links. */
	dir = state_dir(r, 1, "write", &missing);
	if (dir < 0) {
		free(text);
		return -1;
	}
	path = sys_path(r, SYSTEM_STATE_PATH);
	if (!check_state_node(dir, path)) {
		char *line = xasprintf("%s\n", text);

		ret = replace_state(dir, line);
		if (ret)
			error("cannot write '%s': %s", path, strerror(errno));
		free(line);
	}
	close(dir);
	free(path);
	free(text);
	return ret;
}

int system_state_remove(const struct sysroot *r)
{
	int missing, dir = state_dir(r, 0, "remove", &missing), ret = 0;
	char *path;

	if (dir < 0)
		return missing ? 0 : -1;
	path = sys_path(r, SYSTEM_STATE_PATH);
	/* unlinkat() removes a link itself, never what it names. */
	if (unlinkat(dir, SYSTEM_STATE_NAME, 0) && errno != ENOENT)
		ret = error("cannot remove '%s': %s", path, strerror(errno));
	close(dir);
	free(path);
	return ret;
}
