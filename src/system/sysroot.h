/*
 * sysroot: reading and writing the kernel's knobs under /sys and /proc,
 * relative to a root directory — "/" on a real machine, a fake tree in
 * tests (`steady system --root DIR`) — so every check and tuning step of
 * `steady system` can be tested without touching the machine.
 *
 * Paths are given absolute ("/proc/loadavg") and prefixed with the root.
 * Returned strings are the caller's to free. This module only reads:
 * writing a knob is system/knobs.h's, which allows far less.
 */
#ifndef STEADY_SYSROOT_H
#define STEADY_SYSROOT_H

#include <stddef.h>

struct sysroot {
	const char *dir;   /* "" for the real machine, else a directory */
};

/* root + path, a new string. */
char *sys_path(const struct sysroot *r, const char *path);

/* The first line of the file, without its newline and trailing blanks, or
 * NULL (errno set) when it cannot be read. */
char *sys_read(const struct sysroot *r, const char *path);

/* The whole file (at most 1 MiB) or NULL. */
char *sys_read_all(const struct sysroot *r, const char *path);

/* 1 when the file exists. */
int sys_exists(const struct sysroot *r, const char *path);

/* The online CPUs ("0-3,6" read from /sys/devices/system/cpu/online) as
 * numbers in *cpus (new array); their count, 0 when unknown. */
size_t sys_online_cpus(const struct sysroot *r, int **cpus);

/*
 * Parses a CPU list "0-3,6" as the kernel writes it (up to a newline or
 * blank) into a new array of numbers, ascending, each once; count, or 0
 * for an empty or bad list. parse_cpu_list() of lib/util.h reads it: a
 * CPU numbered CPU_SETSIZE (1024) or more, which steady could not pin,
 * makes the list bad, and no list costs more than CPU_SETSIZE numbers
 * ("0-1023,0-1023,..." included).
 */
size_t cpu_list_parse(const char *s, int **cpus);

#endif
