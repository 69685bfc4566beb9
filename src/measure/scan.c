/*
 * scan: see scan.h.
 */
#include "measure/scan.h"
#include "lib/util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void scan_init(struct scan *s)
{
	memset(s, 0, sizeof(*s));
}

void scan_release(struct scan *s)
{
	for (size_t i = 0; i < s->nr; i++) {
		for (size_t j = 0; j < s->params[i].nr; j++)
			free(s->params[i].values[j]);
		free(s->params[i].values);
		free(s->params[i].name);
	}
	free(s->params);
	for (size_t i = 0; i < s->nr_excludes; i++)
		free(s->excludes[i].value);
	free(s->excludes);
	scan_init(s);
}

/* A name {NAME} can use: a letter or '_', then letters, digits, '_'. */
static int valid_name(const char *name)
{
	if (!*name || !(name[0] == '_' || (name[0] >= 'A' && name[0] <= 'Z') ||
			(name[0] >= 'a' && name[0] <= 'z')))
		return 0;
	for (const char *p = name; *p; p++)
		if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9')))
			return 0;
	return 1;
}

/* A new parameter named name, or NULL after one line (bad or taken name, too many combinations). */
static struct scan_param *add_param(struct scan *s, const char *name, size_t nr)
{
	struct scan_param *p;

	if (!valid_name(name)) {
		error("invalid parameter name '%s' (letters, digits and '_', not first a digit)", name);
		return NULL;
	}
	for (size_t i = 0; i < s->nr; i++)
		if (!strcmp(s->params[i].name, name)) {
			error("parameter '%s' is given twice", name);
			return NULL;
		}
	if (nr > SCAN_MAX_COMBINATIONS / scan_count(s)) {
		error("the scan over '%s' makes more than %d commands to benchmark", name,
		      SCAN_MAX_COMBINATIONS);
		return NULL;
	}
	ALLOC_GROW(s->params, s->nr + 1, s->alloc);
	p = &s->params[s->nr++];
	p->name = xstrdup(name);
	p->values = xcalloc(nr, sizeof(*p->values));
	p->nr = 0;
	return p;
}

static int parse_real(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return !*s || *end || errno || !isfinite(*out) ? -1 : 0;
}

static int is_integer_text(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Digits after the point as written ("0.25": 2), -1 with an exponent. */
static int decimals_of(const char *text)
{
	const char *dot = strchr(text, '.');

	if (strpbrk(text, "eE"))
		return -1;
	return dot ? (int)strlen(dot + 1) : 0;
}

/*
 * x rounded to as many decimals as the most precise of MIN, MAX and STEP
 * were written with (0 + 3 x 0.1 is 0.30000000000000004 in binary, and
 * the user wrote 0.1: "0.3"), trailing zeros dropped; with an exponent in
 * them, the shortest decimal that reads back as x.
 */
static char *format_value(double x, int decimals)
{
	char buf[64];

	if (decimals >= 0) {
		char *end;

		snprintf(buf, sizeof(buf), "%.*f", decimals, x);
		/* "0.50" is 0.5 and "1.00" is 1, as a person writes them */
		if (strchr(buf, '.')) {
			end = buf + strlen(buf);
			while (end[-1] == '0')
				*--end = '\0';
			if (end[-1] == '.')
				end[-1] = '\0';
		}
		if (!strcmp(buf, "-0"))
			strcpy(buf, "0");
		return xstrdup(buf);
	}
	for (int digits = 1; digits <= 17; digits++) {
		snprintf(buf, sizeof(buf), "%.*g", digits, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return xstrdup(buf);
}

int scan_add_range(struct scan *s, const char *name, const char *min, const char *max,
		   const char *step)
{
	double lo, hi, by = 1;
	int integers = is_integer_text(min) && is_integer_text(max) &&
		       (!step || is_integer_text(step));
	struct scan_param *p;
	double count;
	int decimals;

	if (parse_real(min, &lo) || parse_real(max, &hi))
		return error("invalid range for '%s': '%s' to '%s' (expected two numbers)",
			     name, min, max);
	if (step && (parse_real(step, &by) || !(by > 0)))
		return error("invalid step for '%s': '%s' (expected a number above 0)", name, step);
	if (!step && !integers)
		return error("the range of '%s' has decimals: give its step with -D STEP", name);
	if (hi < lo)
		return error("invalid range for '%s': %s is below %s", name, max, min);
	/* a step that lands on MAX up to rounding includes it */
	count = floor((hi - lo) / by + 1e-9) + 1;
	if (count > SCAN_MAX_COMBINATIONS)
		return error("the scan over '%s' makes more than %d commands to benchmark", name,
			     SCAN_MAX_COMBINATIONS);
	p = add_param(s, name, (size_t)count);
	if (!p)
		return -1;
	decimals = decimals_of(min);
	if (decimals >= 0 && decimals_of(max) != -1)
		decimals = decimals_of(max) > decimals ? decimals_of(max) : decimals;
	else
		decimals = -1;
	if (decimals >= 0 && step)
		decimals = decimals_of(step) < 0 ? -1 :
			   decimals_of(step) > decimals ? decimals_of(step) : decimals;
	for (size_t i = 0; i < (size_t)count; i++) {
		/* multiplied, not summed: no drift over many steps */
		double x = lo + (double)i * by;

		p->values[p->nr++] = format_value(x, integers ? 0 : decimals);
	}
	return 0;
}

/*
 * The values of name from text split at sep, as one parameter: none empty
 * unless allow_empty, none twice (the same value twice would be the same
 * command under the same name). 0, or -1 after one line.
 */
static int add_split(struct scan *s, const char *name, const char *text, char sep,
		     int allow_empty)
{
	size_t n = 1;
	struct scan_param *p;
	const char *start = text;

	for (const char *c = text; *c; c++)
		n += *c == sep;
	for (const char *c = text;; c++)
		if (*c == sep || !*c) {
			if (c == start && !allow_empty)
				return error("the list of '%s' has an empty value: '%s'", name, text);
			if (!*c)
				break;
			start = c + 1;
		}
	p = add_param(s, name, n);
	if (!p)
		return -1;
	start = text;
	for (const char *c = text;; c++)
		if (*c == sep || !*c) {
			p->values[p->nr++] = xasprintf("%.*s", (int)(c - start), start);
			if (!*c)
				break;
			start = c + 1;
		}
	for (size_t i = 0; i < p->nr; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(p->values[i], p->values[j]))
				return error("the list of '%s' has '%s' twice", name, p->values[i]);
	return 0;
}

int scan_add_list(struct scan *s, const char *name, const char *list)
{
	return add_split(s, name, list, ',', 0);
}

int scan_add_param(struct scan *s, const char *spec)
{
	const char *eq = strchr(spec, '=');
	char *name;
	int ret;

	if (!eq)
		return error("invalid parameter '%s' (expected NAME=VALUE;VALUE...)", spec);
	name = xasprintf("%.*s", (int)(eq - spec), spec);
	ret = add_split(s, name, eq + 1, ';', 1);
	free(name);
	return ret;
}

/* The index of parameter name, or -1. */
static long param_index(const struct scan *s, const char *name, size_t len)
{
	for (size_t i = 0; i < s->nr; i++)
		if (strlen(s->params[i].name) == len && !strncmp(s->params[i].name, name, len))
			return (long)i;
	return -1;
}

int scan_add_exclude(struct scan *s, const char *spec)
{
	struct scan_exclude *x;
	const char *c = spec;

	ALLOC_GROW(s->excludes, s->nr_excludes + 1, s->alloc_excludes);
	x = &s->excludes[s->nr_excludes];
	x->value = xcalloc(s->nr + 1, sizeof(*x->value));
	for (size_t i = 0; i < s->nr; i++)
		x->value[i] = -1;
	for (;;) {
		const char *eq = strchr(c, '='), *end = strchr(c, ';');
		const struct scan_param *p;
		size_t vlen;
		long i, v = -1;

		if (!end)
			end = c + strlen(c);
		if (!eq || eq > end) {
			free(x->value);
			return error("invalid --exclude '%s' (expected NAME=VALUE;NAME=VALUE...)", spec);
		}
		i = param_index(s, c, (size_t)(eq - c));
		if (i < 0) {
			free(x->value);
			return error("--exclude '%s': no parameter is named '%.*s'", spec,
				     (int)(eq - c), c);
		}
		p = &s->params[i];
		vlen = (size_t)(end - eq - 1);
		for (size_t k = 0; k < p->nr; k++)
			if (strlen(p->values[k]) == vlen && !strncmp(p->values[k], eq + 1, vlen))
				v = (long)k;
		if (v < 0 || x->value[i] >= 0) {
			free(x->value);
			return v < 0 ? error("--exclude '%s': '%s' has no value '%.*s'", spec,
					     p->name, (int)vlen, eq + 1) :
				error("--exclude '%s' names '%s' twice", spec, p->name);
		}
		x->value[i] = v;
		if (!*end)
			break;
		c = end + 1;
	}
	s->nr_excludes++;
	return 0;
}

int scan_excluded(const struct scan *s, size_t k)
{
	size_t *choice = xcalloc(s->nr + 1, sizeof(*choice));
	int out = 0;

	for (size_t i = s->nr; i-- > 0;) {
		choice[i] = k % s->params[i].nr;
		k /= s->params[i].nr;
	}
	for (size_t e = 0; e < s->nr_excludes && !out; e++) {
		int all = 1;

		for (size_t i = 0; i < s->nr; i++)
			if (s->excludes[e].value[i] >= 0 &&
			    (size_t)s->excludes[e].value[i] != choice[i])
				all = 0;
		out = all;
	}
	free(choice);
	return out;
}

size_t scan_count(const struct scan *s)
{
	size_t n = 1;

	for (size_t i = 0; i < s->nr; i++)
		n *= s->params[i].nr;
	return n;
}

void scan_combination(const struct scan *s, size_t k, struct template_value *out)
{
	/* the last parameter changes fastest: mixed radix from the end */
	for (size_t i = s->nr; i-- > 0;) {
		const struct scan_param *p = &s->params[i];

		out[i].name = p->name;
		out[i].value = p->values[k % p->nr];
		out[i].is_list = 0;
		k /= p->nr;
	}
}

char *scan_label(const struct scan *s, size_t k)
{
	struct template_value *v = xcalloc(s->nr + 1, sizeof(*v));
	char *label = xstrdup(""), *next;

	scan_combination(s, k, v);
	for (size_t i = 0; i < s->nr; i++) {
		next = xasprintf("%s%s%s=%s", label, i ? " " : "", v[i].name, v[i].value);
		free(label);
		label = next;
	}
	free(v);
	return label;
}
