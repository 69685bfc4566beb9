/*
 * pairwise: order statistics of all pairwise values of one or two sorted
 * samples without the n^2 array — the differences y_j - x_i of two samples
 * or the Walsh averages (d_i + d_j) / 2, i <= j, of one. Hodges–Lehmann
 * estimates are medians of these, and the distribution-free intervals
 * around them (Wilcoxon signed-rank, Mann–Whitney) are two of their order
 * statistics.
 *
 * The samples stay the caller's and must be sorted ascending and free of
 * NaN; nothing here allocates.
 */
#ifndef STEADY_PAIRWISE_H
#define STEADY_PAIRWISE_H

#include <stddef.h>
#include <stdint.h>

struct pairwise {
	const double *x, *y;  /* both sorted; Walsh averages use y only */
	size_t nx, ny;
	int walsh;
};

/* Differences y_j - x_i of two sorted samples. */
void pairwise_differences(struct pairwise *pw, const double *x, size_t nx,
			  const double *y, size_t ny);
/* Walsh averages of one sorted sample. */
void pairwise_walsh(struct pairwise *pw, const double *d, size_t n);

/* How many pairwise values there are: nx * ny, or n (n + 1) / 2. */
uint64_t pairwise_count(const struct pairwise *pw);

/* The k-th smallest pairwise value, 1 <= k <= pairwise_count(). */
double pairwise_kth(const struct pairwise *pw, uint64_t k);

/* Their median (the mean of the middle two when the count is even). */
double pairwise_median(const struct pairwise *pw);

#endif
