/*
 * units: human-readable numbers — times in ns/µs/ms/s, sizes in KiB/MiB/GiB —
 * written into caller-provided buffers, so output code never allocates.
 */
#ifndef STEADY_UNITS_H
#define STEADY_UNITS_H

#include <stddef.h>

/* A unit chosen for a typical value, so a whole table shares one unit. */
struct time_unit {
	const char *name;
	double per_second;
};
struct time_unit time_unit_for(double seconds);

/* "41.7 ms": value in seconds, unit picked for the value itself. */
char *format_time(char *buf, size_t size, double seconds);
/* Same, in a given unit, with width-aligned number: "  41.7". */
char *format_in_unit(char *buf, size_t size, double seconds, struct time_unit u);
/* "1.8 MiB" from KiB. */
char *format_kib(char *buf, size_t size, double kib);

#endif
