/*
 * optdoc: see optdoc.h.
 */
#include "lib/optdoc.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

/* Calls fn on every entry of docs, includes expanded, in order. */
static void docs_walk(const struct option_doc *docs,
		      void (*fn)(const struct option_doc *, void *), void *data)
{
	for (; docs->include || docs->name || docs->shorts || docs->arg || docs->help; docs++) {
		if (docs->include)
			docs_walk(docs->include, fn, data);
		else
			fn(docs, data);
	}
}

struct table_build {
	struct option_table *t;
	size_t nr_long, alloc_long, len_short, alloc_short;
};

static void add_short(struct table_build *b, char c)
{
	ALLOC_GROW(b->t->shortopts, b->len_short + 2, b->alloc_short);
	b->t->shortopts[b->len_short++] = c;
	b->t->shortopts[b->len_short] = '\0';
}

static void table_add(const struct option_doc *d, void *data)
{
	struct table_build *b = data;

	for (const char *s = d->shorts; s && *s; s++) {
		add_short(b, *s);
		if (d->arg)
			add_short(b, ':');
	}
	if (!d->name)
		return;
	ALLOC_GROW(b->t->longopts, b->nr_long + 2, b->alloc_long);
	b->t->longopts[b->nr_long++] = (struct option){
		d->name, d->arg ? required_argument : no_argument, NULL, d->val
	};
	memset(&b->t->longopts[b->nr_long], 0, sizeof(struct option));
}

void option_table_init(struct option_table *t, const char *prefix,
		       const struct option_doc *docs)
{
	struct table_build b = { t, 1, 1, 0, 0 };

	t->shortopts = xstrdup(prefix ? prefix : "");
	b.len_short = strlen(t->shortopts);
	b.alloc_short = b.len_short + 1;
	t->longopts = xcalloc(1, sizeof(struct option));
	b.nr_long = 0;
	docs_walk(docs, table_add, &b);
}

void option_table_release(struct option_table *t)
{
	free(t->longopts);
	free(t->shortopts);
	t->longopts = NULL;
	t->shortopts = NULL;
}

struct print_state {
	FILE *out;
	int pending;   /* a NULL-help option began the line: continue it */
	int len;       /* the line's length so far */
};

static void print_left(struct print_state *p, const struct option_doc *d)
{
	const char *sep = "";

	if (p->pending)
		p->len += fprintf(p->out, ", ");
	else
		p->len += fprintf(p->out, d->shorts ? "  " : "      ");
	for (const char *s = d->shorts; s && *s; s++, sep = ", ")
		p->len += fprintf(p->out, "%s-%c", sep, *s);
	if (d->name)
		p->len += fprintf(p->out, "%s--%s", sep, d->name);
	if (d->arg)
		p->len += fprintf(p->out, "%s%s", d->name || d->shorts ? " " : "", d->arg);
}

static void doc_print(const struct option_doc *d, void *data)
{
	struct print_state *p = data;
	const char *line, *end;

	if (!d->name && !d->shorts && !d->arg) {
		fprintf(p->out, "%s\n", d->help);
		return;
	}
	print_left(p, d);
	if (!d->help) {
		p->pending = 1;
		return;
	}
	p->pending = 0;
	fprintf(p->out, "%*s", p->len + 2 > OPTDOC_COLUMN ? 2 : OPTDOC_COLUMN - p->len, "");
	for (line = d->help; ; line = end + 1) {
		end = strchrnul(line, '\n');
		fprintf(p->out, "%s%.*s\n", line == d->help ? "" : "                         ",
			(int)(end - line), line);
		if (!*end)
			break;
	}
	p->len = 0;
}

void option_docs_print(FILE *out, const struct option_doc *docs)
{
	struct print_state p = { out, 0, 0 };

	docs_walk(docs, doc_print, &p);
}
