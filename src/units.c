/*
 * units: see units.h.
 */
#include "units.h"

#include <math.h>
#include <stdio.h>

struct time_unit time_unit_for(double seconds)
{
	double a = fabs(seconds);

	if (a >= 1.0 || isnan(a))
		return (struct time_unit){ "s", 1.0 };
	if (a >= 1e-3)
		return (struct time_unit){ "ms", 1e3 };
	if (a >= 1e-6)
		return (struct time_unit){ "µs", 1e6 };
	return (struct time_unit){ "ns", 1e9 };
}

/* Three significant digits at least, as a reader compares them. */
static const char *digits_for(double v)
{
	double a = fabs(v);

	if (a >= 100)
		return "%.1f";
	if (a >= 10)
		return "%.2f";
	return "%.3f";
}

char *format_in_unit(char *buf, size_t size, double seconds, struct time_unit u)
{
	double v = seconds * u.per_second;

	if (isnan(v)) {
		snprintf(buf, size, "n/a");
		return buf;
	}
	snprintf(buf, size, digits_for(v), v);
	return buf;
}

char *format_time(char *buf, size_t size, double seconds)
{
	struct time_unit u = time_unit_for(seconds);
	char num[32];

	if (isnan(seconds)) {
		snprintf(buf, size, "n/a");
		return buf;
	}
	format_in_unit(num, sizeof(num), seconds, u);
	snprintf(buf, size, "%s %s", num, u.name);
	return buf;
}

char *format_kib(char *buf, size_t size, double kib)
{
	if (isnan(kib))
		snprintf(buf, size, "n/a");
	else if (kib >= 1024.0 * 1024.0)
		snprintf(buf, size, "%.2f GiB", kib / (1024.0 * 1024.0));
	else if (kib >= 1024.0)
		snprintf(buf, size, "%.1f MiB", kib / 1024.0);
	else
		snprintf(buf, size, "%.0f KiB", kib);
	return buf;
}
