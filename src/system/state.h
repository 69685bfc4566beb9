/*
 * state: what `steady system tune` changed, so `reset` can put back
 * exactly the values that were there before. The state lives in one JSON
 * file (SYSTEM_STATE_PATH under the root; format in docs/system.md):
 *
 *   {"format": "steady-system-state", "version": 1, "steady_version": "0.1.0",
 *    "saved": [{"check": "cpu-governor",
 *               "path": "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor",
 *               "value": "powersave"}, ...]}
 *
 * Only the first value seen for a path is kept: tuning twice must not
 * replace the original with the tuned value. The struct owns its strings.
 */
#ifndef STEADY_SYSTEM_STATE_H
#define STEADY_SYSTEM_STATE_H

#include <stddef.h>
#include "system/sysroot.h"

#define SYSTEM_STATE_DIR "/var/lib/steady"
#define SYSTEM_STATE_NAME "system-state.json"
#define SYSTEM_STATE_PATH SYSTEM_STATE_DIR "/" SYSTEM_STATE_NAME

struct saved_value {
	char *check;   /* the check that changed it */
	char *path;    /* absolute, without the root */
	char *value;   /* the value before steady changed it */
};

struct system_state {
	struct saved_value *v;
	size_t nr, alloc;
};

void system_state_init(struct system_state *s);
void system_state_release(struct system_state *s);

/* Remembers path's previous value, unless path is already remembered. */
void system_state_remember(struct system_state *s, const char *check,
			   const char *path, const char *value);

/*
 * Reads the saved state: 1 when there is one, 0 when the file does not
 * exist, -1 after one error line: unreadable, not ours, or unsafe to act
 * on — a symbolic link (the file, or a directory below the root on the
 * way to it), not owned by root, writable by group or others,
 * or an entry that is not a knob of system/knobs.h saved by its check,
 * or whose value is not one line of plain text. Release s either way.
 */
int system_state_load(struct system_state *s, const struct sysroot *r);
/*
 * tune, before it writes any knob: 0 when the state can be saved where it
 * belongs (missing directories are made, 0755, and a file is made there
 * and removed), or -1 after one line when a component below the root is a
 * symbolic link (or not a directory), the file's name is a link, FIFO,
 * device or directory, or no file can be made there (read-only, full,
 * not permitted).
 */
int system_state_check_writable(const struct sysroot *r);
/*
 * Writes it atomically: the directories below the root walked without
 * following a link and made (0755) when missing, a new file (O_EXCL, mode
 * 0644) renamed over the old. 0, or -1 after one line, nothing written
 * when a link or another kind of node is found on the way.
 */
int system_state_save(const struct system_state *s, const struct sysroot *r);
/* Removes the file (reached the same way); 0, or -1 with a line. */
int system_state_remove(const struct sysroot *r);

#endif
