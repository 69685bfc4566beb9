/*
 * flame: flame graphs from folded stacks ("outer;middle;inner" -> samples,
 * as `steady profile -g` saves them in its "folded" objects), for side A,
 * side B and their difference. Building the tree and laying out its
 * rectangles are pure functions (tests/unit/test_report.c); drawing is
 * report/profile_view.c's.
 *
 * Ownership: a struct flame_node owns its name and its children;
 * flame_release() frees a whole tree and leaves the root empty. The
 * rectangles of flame_layout() point into the tree, valid until it is
 * released or added to.
 */
#ifndef STEADY_REPORT_FLAME_H
#define STEADY_REPORT_FLAME_H

#include <stddef.h>

struct flame_node {
	char *name;                 /* NULL for the root */
	double count[2];            /* samples of A [0] and B [1], this frame and below */
	struct flame_node *children;
	size_t nr_children, alloc_children;
};

void flame_init(struct flame_node *root);
void flame_release(struct flame_node *root);
/* Adds count samples of side (0 A, 1 B) along stack, frames split at ';'. */
void flame_add(struct flame_node *root, const char *stack, int side, double count);
/* Orders every node's children by name (flame graphs are alphabetical, not by time). */
void flame_sort(struct flame_node *root);

/* One frame's rectangle: x0..x1 as fractions of the whole, depth 0 outermost. */
struct flame_rect {
	const struct flame_node *node;
	double x0, x1;
	unsigned depth;
};

/*
 * The rectangles of side's graph (widths by count[side] over the root's),
 * in pre-order, children left to right; frames narrower than min_width,
 * and everything above them, are left out, as are frames with no samples
 * on the side. At most max are written; returns how many. *depth (may be
 * NULL) gets the number of levels drawn. 0 when the side has no samples.
 */
size_t flame_layout(const struct flame_node *root, int side, double min_width,
		    struct flame_rect *out, size_t max, unsigned *depth);

/* Frames in the tree, the root left out: a bound for flame_layout's max. */
size_t flame_count(const struct flame_node *root);

#endif
