/*
 * knobs: the only files `steady system tune` writes and `reset` writes
 * back, and the one careful way to open them.
 *
 * reset writes what a saved state file says, as root. If it wrote
 * wherever the file said, anyone who could edit the state (or, under
 * --root, plant a symbolic link in the fake tree) could make root
 * overwrite any file. So a knob
 *   - must match one entry of a fixed list exactly (knob_check());
 *   - is opened one path component at a time from the root's descriptor,
 *     each with O_NOFOLLOW: no symbolic link is followed, magic /proc links
 *     included, and no "." or ".." is ever taken. The one exception is the
 *     link the kernel itself makes from cpuN/cpufreq to ../cpufreq/policyM,
 *     whose target is read and must be exactly that shape;
 *   - must already exist as a regular file with one name (no hard link to
 *     something else), and is opened O_WRONLY without O_CREAT or O_TRUNC.
 *
 * The same walk (knob_open_dir()) reaches the saved state's directory for
 * system/state.c, so that tune and reset never reach the state through a
 * link either.
 *
 * Nothing here prints: callers say what was refused, with the reason given.
 */
#ifndef STEADY_SYSTEM_KNOBS_H
#define STEADY_SYSTEM_KNOBS_H

#include "system/sysroot.h"

/*
 * The check (its name in system/checks.c) that owns path, or NULL when
 * path is not a knob steady manages. "#" in the list stands for a CPU or
 * IRQ number: decimal digits, no sign, no leading zero.
 */
const char *knob_check(const char *path);

/*
 * Opens knob path under r for writing: a descriptor, or -1. When the
 * path or the tree is unsafe, *refused is set to the reason, a new string
 * for the caller to free ("not a file steady system tune writes", "'cpu0'
 * is a symbolic link", ...); otherwise *refused is NULL and errno says why
 * the open failed (ENOENT for a knob this machine lacks, EACCES, ...).
 */
int knob_open(const struct sysroot *r, const char *path, char **refused);

/*
 * The same walk for a directory of steady's own under r (the saved
 * state's, /var/lib/steady): path absolute, with plain names; each
 * component opened with O_NOFOLLOW | O_DIRECTORY from the one before, and
 * with create, made (mode 0755) when missing. A descriptor of the
 * directory, or -1 with *refused set to the reason, a new string for the
 * caller to free ("'lib' is a symbolic link"), or errno set.
 */
int knob_open_dir(const struct sysroot *r, const char *path, int create, char **refused);

/*
 * Writes value and a newline at the start of fd (from knob_open) and
 * closes it. The kernel takes the value whole; an ordinary file (a fake
 * tree) is cut after it so it reads like the kernel's file. 0, or -1 with
 * errno set (sysfs refuses a bad value at write or at close).
 */
int knob_write_fd(int fd, const char *value);

/*
 * knob_open() then knob_write_fd(): 0, or -1 with *refused or errno set
 * as knob_open() says.
 */
int knob_write(const struct sysroot *r, const char *path, const char *value,
	       char **refused);

#endif
