/*
 * syscall_names: the names of Linux system calls by number, for the
 * architecture steady traces (x86_64; the table is generated from the
 * kernel's uapi header by scripts/gen-syscall-names.sh). Names are static
 * strings; nothing here allocates.
 */
#ifndef STEADY_SYSCALL_NAMES_H
#define STEADY_SYSCALL_NAMES_H

#include <stddef.h>

/* "write" for x86_64 number 1; NULL for a number with no name. */
const char *syscall_name(long nr);

/* The number of a named system call, or -1. */
long syscall_number(const char *name);

/* One past the highest number in the table. */
size_t syscall_table_size(void);

#endif
