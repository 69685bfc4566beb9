/*
 * units: see units.h.
 */
#include "lib/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

struct time_unit count_unit_for(double count)
{
	double a = fabs(count);

	if (a >= 1e12)
		return (struct time_unit){ "T", 1e-12 };
	if (a >= 1e9)
		return (struct time_unit){ "G", 1e-9 };
	if (a >= 1e6)
		return (struct time_unit){ "M", 1e-6 };
	if (a >= 1e3)
		return (struct time_unit){ "K", 1e-3 };
	return (struct time_unit){ "", 1.0 };
}

/* Three significant digits at least, as a reader compares them. */
static const char *digits_for(double v)
{
	double a = fabs(v);

	/*
	 * A million of a unit only comes from an interval of two or three
	 * wildly different runs, which reaches far: a power of ten says so
	 * in a few characters.
	 */
	if (a >= 1e6)
		return "%.3g";
	/* Nor is a positive value too small for three decimals 0.000: it is not 0. */
	if (a > 0 && a < 5e-4)
		return "%.3g";
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

char *format_count(char *buf, size_t size, double count)
{
	static const struct { double scale; const char *suffix; } steps[] = {
		{ 1e12, "T" }, { 1e9, "G" }, { 1e6, "M" }, { 1e3, "K" },
	};
	double a = fabs(count);

	if (isnan(count)) {
		snprintf(buf, size, "n/a");
		return buf;
	}
	for (size_t i = 0; i < sizeof(steps) / sizeof(*steps); i++) {
		if (a >= steps[i].scale) {
			double v = count / steps[i].scale;

			snprintf(buf, size, digits_for(v), v);
			snprintf(buf + strlen(buf), size - strlen(buf), " %s", steps[i].suffix);
			return buf;
		}
	}
	/* Below a thousand: whole counts stay whole. */
	if (count == floor(count))
		snprintf(buf, size, "%.0f", count);
	else
		snprintf(buf, size, digits_for(count), count);
	return buf;
}

char *format_metric(char *buf, size_t size, double value, enum value_unit unit)
{
	switch (unit) {
	case VALUE_SECONDS:
		return format_time(buf, size, value);
	case VALUE_KIB:
		return format_kib(buf, size, value);
	case VALUE_COUNT:
		break;
	}
	return format_count(buf, size, value);
}

struct time_unit value_unit_for(enum value_unit unit, double v)
{
	double a = fabs(v);

	switch (unit) {
	case VALUE_SECONDS:
		return time_unit_for(v);
	case VALUE_KIB:
		if (a >= 1024.0 * 1024.0)
			return (struct time_unit){ "GiB", 1.0 / (1024.0 * 1024.0) };
		if (a >= 1024.0)
			return (struct time_unit){ "MiB", 1.0 / 1024.0 };
		return (struct time_unit){ "KiB", 1.0 };
	case VALUE_COUNT:
		break;
	}
	return count_unit_for(v);
}

char *format_grouped(char *buf, size_t size, double count)
{
	char digits[64];
	size_t len, out = 0;

	if (isnan(count) || size < 2) {
		snprintf(buf, size, "n/a");
		return buf;
	}
	snprintf(digits, sizeof(digits), "%.0f", fabs(count));
	len = strlen(digits);
	if (count <= -0.5)
		buf[out++] = '-';
	for (size_t i = 0; i < len && out + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[out++] = ',';
		buf[out++] = digits[i];
	}
	buf[out] = '\0';
	return buf;
}
