/*
 * syscall_names: see syscall_names.h. Other architectures get an empty
 * table (the tracer refuses to run there), so the module still builds.
 */
#include "trace/syscall_names.h"

#include <string.h>

static const char *const names[] = {
#if defined(__x86_64__)
#include "trace/syscall_names_x86_64.h"
#else
	NULL
#endif
};

#define NR_NAMES (sizeof(names) / sizeof(names[0]))

const char *syscall_name(long nr)
{
	if (nr < 0 || (size_t)nr >= NR_NAMES)
		return NULL;
	return names[nr];
}

long syscall_number(const char *name)
{
	for (size_t i = 0; i < NR_NAMES; i++)
		if (names[i] && !strcmp(names[i], name))
			return (long)i;
	return -1;
}

size_t syscall_table_size(void)
{
	return NR_NAMES;
}
