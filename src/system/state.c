/*
 * state: see state.h.
 */
#include "system/state.h"
#include "formats/jsonfile.h"
#include "lib/util.h"

#include <errno.h>
#include <jansson.h>
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

int system_state_load(struct system_state *s, const struct sysroot *r)
{
	char *path = sys_path(r, SYSTEM_STATE_PATH);
	json_t *root, *saved;
	int ret = -1;

	if (access(path, F_OK)) {
		free(path);
		return 0;
	}
	root = json_file_load(path);
	if (!root)
		goto out;
	/* Older steady wrote no "steady_version"; nothing here needs it. */
	if (json_file_check_kind(root, path, STATE_FORMAT, "system state", STATE_VERSION) < 0)
		goto out_json;
	saved = json_object_get(root, "saved");
	if (!json_is_array(saved)) {
		error("cannot read '%s': not a steady system state file (no 'saved' array)", path);
		goto out_json;
	}
	for (size_t i = 0; i < json_array_size(saved); i++) {
		json_t *e = json_array_get(saved, i);
		const char *check = json_string_value(json_object_get(e, "check"));
		const char *p = json_string_value(json_object_get(e, "path"));
		const char *v = json_string_value(json_object_get(e, "value"));

		if (!check || !p || !v || (strncmp(p, "/sys/", 5) && strncmp(p, "/proc/", 6)) ||
		    strstr(p, "/../") || strstr(p, "/./")) {
			error("cannot read '%s': entry %zu needs strings 'check', 'path' (under /sys or /proc) and 'value'",
			      path, i);
			goto out_json;
		}
		system_state_remember(s, check, p, v);
	}
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
	char *path;
	int ret;

	for (size_t i = 0; i < s->nr; i++)
		json_array_append_new(saved, json_pack("{s:s,s:s,s:s}", "check", s->v[i].check,
						       "path", s->v[i].path, "value", s->v[i].value));
	if (make_dirs(r)) {
		json_decref(saved);
		return -1;
	}
	root = json_file_new(STATE_FORMAT, STATE_VERSION);
	json_object_set_new(root, "saved", saved);
	path = sys_path(r, SYSTEM_STATE_PATH);
	ret = json_file_write(root, path);
	json_decref(root);
	free(path);
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
