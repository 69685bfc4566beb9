/*
 * fields: reading members of the JSON trees of cache, trace, profile and
 * bisect files for the report's sections (report.h). A missing member is
 * not an error here: readers ignore what they do not know and show "n/a"
 * for what is not there (docs/results-format.md, "Reading rules").
 */
#include "report/report.h"

#include <math.h>

double report_num(const json_t *o, const char *key)
{
	const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_number(v) ? json_number_value(v) : NAN;
}

const char *report_str(const json_t *o, const char *key)
{
	const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

long long report_int(const json_t *o, const char *key)
{
	const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}
