/*
 * flame: the tree of folded stacks and its rectangles (see flame.h).
 */
#include "report/flame.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

void flame_init(struct flame_node *root)
{
	memset(root, 0, sizeof(*root));
}

void flame_release(struct flame_node *root)
{
	for (size_t i = 0; i < root->nr_children; i++)
		flame_release(&root->children[i]);
	free(root->children);
	free(root->name);
	flame_init(root);
}

static struct flame_node *child(struct flame_node *n, const char *name, size_t len)
{
	struct flame_node *c;

	for (size_t i = 0; i < n->nr_children; i++)
		if (strlen(n->children[i].name) == len && !memcmp(n->children[i].name, name, len))
			return &n->children[i];
	grow_array((void **)&n->children, &n->alloc_children, n->nr_children + 1,
		   sizeof(*n->children));
	c = &n->children[n->nr_children++];
	flame_init(c);
	c->name = xmalloc(len + 1);
	memcpy(c->name, name, len);
	c->name[len] = '\0';
	return c;
}

void flame_add(struct flame_node *root, const char *stack, int side, double count)
{
	struct flame_node *n = root;
	const char *s = stack;

	root->count[side] += count;
	while (*s) {
		const char *end = strchr(s, ';');
		size_t len = end ? (size_t)(end - s) : strlen(s);

		n = child(n, s, len);
		n->count[side] += count;
		if (!end)
			break;
		s = end + 1;
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct flame_node *)a)->name, ((const struct flame_node *)b)->name);
}

void flame_sort(struct flame_node *root)
{
	if (root->nr_children)
		qsort(root->children, root->nr_children, sizeof(*root->children), by_name);
	for (size_t i = 0; i < root->nr_children; i++)
		flame_sort(&root->children[i]);
}

struct layout_state {
	int side;
	double total, min_width;
	struct flame_rect *out;
	size_t max, n;
	unsigned depth;
};

static void lay_out(struct layout_state *st, const struct flame_node *n, double x0,
		    unsigned depth)
{
	double x = x0;

	for (size_t i = 0; i < n->nr_children; i++) {
		const struct flame_node *c = &n->children[i];
		double w = c->count[st->side] / st->total;

		if (c->count[st->side] <= 0)
			continue;
		if (w >= st->min_width && st->n < st->max) {
			st->out[st->n++] = (struct flame_rect){ c, x, x + w, depth };
			if (depth + 1 > st->depth)
				st->depth = depth + 1;
			lay_out(st, c, x, depth + 1);
		}
		x += w;
	}
}

size_t flame_layout(const struct flame_node *root, int side, double min_width,
		    struct flame_rect *out, size_t max, unsigned *depth)
{
	struct layout_state st = { side, root->count[side], min_width, out, max, 0, 0 };

	if (root->count[side] > 0)
		lay_out(&st, root, 0, 0);
	if (depth)
		*depth = st.depth;
	return st.n;
}

size_t flame_count(const struct flame_node *root)
{
	size_t n = root->nr_children;

	for (size_t i = 0; i < root->nr_children; i++)
		n += flame_count(&root->children[i]);
	return n;
}
