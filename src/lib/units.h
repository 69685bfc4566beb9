/*
 * units: human-readable numbers — times in ns/µs/ms/s, sizes in KiB/MiB/GiB,
 * counts with K/M/G —
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
/* The same for counts: "" (units), "K", "M", "G", "T"; per_second is the scale. */
struct time_unit count_unit_for(double count);

/* "41.7 ms": value in seconds, unit picked for the value itself. */
char *format_time(char *buf, size_t size, double seconds);
/* Same, in a given unit, with width-aligned number: "  41.7". */
char *format_in_unit(char *buf, size_t size, double seconds, struct time_unit u);
/* "1,234,567": a whole count with thousands separators ("n/a" for NaN). */
char *format_grouped(char *buf, size_t size, double count);
/* "12.35 M", "1.234 G", "532": a count with an SI multiplier. */
char *format_count(char *buf, size_t size, double count);
/* What a metric's values are: counts, seconds or KiB (max RSS). */
enum value_unit { VALUE_COUNT = 0, VALUE_SECONDS = 1, VALUE_KIB = 2 };
/* format_time(), format_kib() or format_count(), as unit says. */
char *format_metric(char *buf, size_t size, double value, enum value_unit unit);
/* The display unit for a typical value v of that kind (see time_unit_for). */
struct time_unit value_unit_for(enum value_unit unit, double v);
/* "1.8 MiB" from KiB. */
char *format_kib(char *buf, size_t size, double kib);

#endif
