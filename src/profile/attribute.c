/*
 * attribute: see attribute.h.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>

#include "lib/utf8.h"
#include "lib/util.h"
#include "profile/attribute.h"

/* Longest label or stack written; longer stacks lose their outer frames. */
#define LABEL_MAX 512
#define STACK_MAX 8192
#define MAX_FRAMES 128
#define FRAME_LABEL_MAX 256

void profile_names_release(struct profile_names *n)
{
	strmap_release(&n->functions);
	strmap_release(&n->stacks);
}

void run_counts_release(struct run_counts *c)
{
	free(c->fn);
	free(c->stack);
	memset(c, 0, sizeof(*c));
}

uint64_t run_counts_fn(const struct run_counts *c, size_t id)
{
	return id < c->nr_fn ? c->fn[id] : 0;
}

uint64_t run_counts_stack(const struct run_counts *c, size_t id)
{
	return id < c->nr_stack ? c->stack[id] : 0;
}

/*
 * The id of a label or stack, as valid UTF-8: symbols and file names may
 * hold any bytes, and the report, the folded files and the JSON must name
 * them alike (lib/utf8.h).
 */
static size_t intern_valid(struct strmap *m, const char *s)
{
	char *copy;
	size_t id;

	if (utf8_valid(s))
		return strmap_intern(m, s);
	copy = utf8_valid_copy(s);
	id = strmap_intern(m, copy);
	free(copy);
	return id;
}

/* Adds one to (*arr)[id], growing the dense array to hold id. */
static void count_id(uint64_t **arr, size_t *nr, size_t id)
{
	if (id >= *nr) {
		size_t grown = *nr ? *nr : 64;

		while (grown <= id)
			grown *= 2;
		*arr = xrealloc(*arr, grown * sizeof(**arr));
		memset(*arr + *nr, 0, (grown - *nr) * sizeof(**arr));
		*nr = grown;
	}
	(*arr)[id]++;
}

void attributor_init(struct attributor *at, struct profile_names *names,
		     const char *program, const char *focus)
{
	char *real = realpath(program, NULL);

	memset(at, 0, sizeof(*at));
	at->names = names;
	at->program = real ? real : xstrdup(program);
	at->focus = focus;
}

void attributor_release(struct attributor *at)
{
	symcache_release(&at->syms);
	free(at->program);
	free(at->hits.path);
	free(at->hits.fn.name);
	free(at->hits.at);
	strmap_release(&at->stripped);
	memset(at, 0, sizeof(*at));
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Not a file: anonymous memory, a JIT's code, a memfd. */
static int is_anonymous(const char *path)
{
	return !path || !*path || !strcmp(path, "//anon") || !strncmp(path, "[anon", 5) ||
	       !strncmp(path, "/memfd:", 7) || !strncmp(path, "/dev/zero", 9) ||
	       strstr(path, " (deleted)") != NULL;
}

static void focus_add(struct focus_hits *h, const char *path, const struct symbol *fn,
		      uint64_t addr)
{
	if (!h->path) {
		h->path = xstrdup(path);
		h->fn.start = fn->start;
		h->fn.size = fn->size;
		h->fn.name = xstrdup(fn->name);
	} else if (strcmp(h->path, path)) {
		h->elsewhere++;
		return;
	}
	/* Samples come in bursts at the same few addresses: try the last one first. */
	if (h->nr && h->at[h->nr - 1].addr == addr) {
		h->at[h->nr - 1].count++;
	} else {
		ALLOC_GROW(h->at, h->nr + 1, h->alloc);
		h->at[h->nr].addr = addr;
		h->at[h->nr++].count = 1;
	}
	h->samples++;
}

/*
 * The label of the code at ip in process pid into buf. A return address
 * (a caller's frame) points after its call: the call itself is at ip - 1.
 * *in_file is set when a mapped file holds ip.
 */
static const char *label_of(struct attributor *at, const struct sampler_result *r,
			    uint32_t pid, uint64_t ip, int is_return, int collect,
			    char *buf, size_t len, int *in_file)
{
	const struct sampler_mapping *m;
	const struct symbol *sym = NULL;
	struct symtab *t;
	uint64_t where = is_return && ip ? ip - 1 : ip, addr;
	int is_program;

	*in_file = 0;
	m = sampler_find_mapping(r, pid, where);
	if (!m)
		return "[unknown]";
	if (is_anonymous(m->path))
		return "[anon]";
	if (m->path[0] == '[') {
		snprintf(buf, len, "%s", m->path);
		return buf;
	}
	*in_file = 1;
	is_program = !strcmp(m->path, at->program);
	t = symcache_get(&at->syms, m->path);
	if (t && !symtab_addr_of_ip(t, where, m->start, m->pgoff, &addr))
		sym = symtab_find(t, addr);
	if (sym) {
		if (collect && at->focus && !strcmp(sym->name, at->focus))
			focus_add(&at->hits, m->path, sym, addr);
		if (is_program)
			return sym->name;
		snprintf(buf, len, "%s (%s)", sym->name, base_name(m->path));
		return buf;
	}
	if (t && t->stripped && collect)
		strmap_intern(&at->stripped, m->path);
	if (is_program)
		return t && t->stripped ? "[stripped]" : "[unknown]";
	snprintf(buf, len, "%s (%s)", t && t->stripped ? "[stripped]" : "[unknown]",
		 base_name(m->path));
	return buf;
}

/*
 * The folded stack of one sample: its user call chain outermost first,
 * frames joined by ';'. The chain is innermost first with perf's context
 * markers among the addresses; its first user address is the sample's ip.
 */
static void fold_stack(struct attributor *at, const struct sampler_result *r,
		       const struct sample *s, const char *leaf, struct run_counts *out)
{
	const uint64_t *chain = r->callchains + s->callchain;
	const char *frames[MAX_FRAMES];
	char bufs[MAX_FRAMES][FRAME_LABEL_MAX], stack[STACK_MAX];
	size_t nr = 0, len = 0;
	int seen_leaf = 0, caller_in_file = 0;

	frames[nr++] = leaf;
	for (uint32_t i = 0; i < s->nr_callchain && nr < MAX_FRAMES; i++) {
		int in_file;

		if (chain[i] >= PERF_CONTEXT_MAX)
			continue;
		if (!seen_leaf) {
			/* The leaf, named already from the sample's own ip. */
			seen_leaf = 1;
			continue;
		}
		frames[nr] = label_of(at, r, s->pid, chain[i], 1, 0, bufs[nr], sizeof(bufs[nr]),
				      &in_file);
		caller_in_file |= in_file;
		/*
		 * A walk through code without frame pointers reads garbage:
		 * runs of unknown frames say no more as one.
		 */
		if (!strcmp(frames[nr], "[unknown]") && !strcmp(frames[nr - 1], "[unknown]"))
			continue;
		nr++;
	}
	out->chains++;
	if (caller_in_file)
		out->chains_with_caller++;
	/*
	 * The innermost frames are the ones to keep: when the whole stack is
	 * too long, the outermost frames are left out, never part of one.
	 */
	for (size_t i = 0; i < nr; i++) {
		size_t need = strlen(frames[i]) + (i ? 1 : 0);

		if (i && len + need >= sizeof(stack)) {
			nr = i;
			break;
		}
		len += need;
	}
	len = 0;
	for (size_t i = nr; i-- > 0;) {
		int n = snprintf(stack + len, sizeof(stack) - len, "%s%s", len ? ";" : "", frames[i]);

		if (n < 0 || (size_t)n >= sizeof(stack) - len)
			break;  /* the leaf alone is longer than a stack may be: cut */
		len += (size_t)n;
	}
	count_id(&out->stack, &out->nr_stack, intern_valid(&at->names->stacks, stack));
}

void attribute_run(struct attributor *at, const struct sampler_result *r,
		   struct run_counts *out)
{
	char buf[LABEL_MAX];

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < r->nr; i++) {
		const struct sample *s = &r->samples[i];
		int in_file;
		const char *label = label_of(at, r, s->pid, s->ip, 0, 1, buf, sizeof(buf), &in_file);

		out->samples++;
		count_id(&out->fn, &out->nr_fn, intern_valid(&at->names->functions, label));
		if (s->nr_callchain)
			fold_stack(at, r, s, label, out);
	}
}
