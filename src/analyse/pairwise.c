/*
 * pairwise: k-th smallest pairwise value by bisection (see pairwise.h).
 *
 * The k-th value is found by bisecting over the doubles themselves: IEEE
 * rounding is monotonic, so on sorted inputs each computed pairwise value
 * grows with y_j and shrinks with x_i, and how many of them are <= v can be
 * counted in one linear sweep. At most 64 sweeps pin down the exact k-th
 * smallest computed value, the same one sorting all of them would give.
 */
#include "analyse/pairwise.h"

#include <string.h>

void pairwise_differences(struct pairwise *pw, const double *x, size_t nx,
			  const double *y, size_t ny)
{
	pw->x = x;
	pw->nx = nx;
	pw->y = y;
	pw->ny = ny;
	pw->walsh = 0;
}

void pairwise_walsh(struct pairwise *pw, const double *d, size_t n)
{
	pw->x = NULL;
	pw->nx = 0;
	pw->y = d;
	pw->ny = n;
	pw->walsh = 1;
}

uint64_t pairwise_count(const struct pairwise *pw)
{
	if (pw->walsh)
		return (uint64_t)pw->ny * (pw->ny + 1) / 2;
	return (uint64_t)pw->nx * pw->ny;
}

static uint64_t count_le(const struct pairwise *pw, double v)
{
	uint64_t count = 0;
	size_t i, j;

	if (pw->walsh) {
		/* For each i, the j >= i with (y_i + y_j) / 2 <= v end at j. */
		const double *d = pw->y;

		j = pw->ny;
		for (i = 0; i < pw->ny; i++) {
			while (j > i && (d[i] + d[j - 1]) / 2 > v)
				j--;
			if (j <= i)
				break;
			count += j - i;
		}
		return count;
	}
	/* For each y_j, the x_i with y_j - x_i <= v start at i. */
	i = 0;
	for (j = 0; j < pw->ny; j++) {
		while (i < pw->nx && pw->y[j] - pw->x[i] > v)
			i++;
		count += pw->nx - i;
	}
	return count;
}

/* Doubles mapped onto unsigned integers in the same order. */
static uint64_t order_key(double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	return (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
}

static double from_order_key(uint64_t key)
{
	uint64_t u = (key >> 63) ? key & ~(UINT64_C(1) << 63) : ~key;
	double v;

	memcpy(&v, &u, sizeof(v));
	return v;
}

double pairwise_kth(const struct pairwise *pw, uint64_t k)
{
	const double *y = pw->y;
	size_t n = pw->ny;
	/* The smallest and largest pairwise values bound them all. */
	uint64_t lo = pw->walsh ? order_key((y[0] + y[0]) / 2)
				: order_key(y[0] - pw->x[pw->nx - 1]);
	uint64_t hi = pw->walsh ? order_key((y[n - 1] + y[n - 1]) / 2)
				: order_key(y[n - 1] - pw->x[0]);
	uint64_t mid;

	/* Invariant: at least k values are <= from_order_key(hi). */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (count_le(pw, from_order_key(mid)) >= k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return from_order_key(lo);
}

double pairwise_median(const struct pairwise *pw)
{
	uint64_t count = pairwise_count(pw);

	if (count % 2)
		return pairwise_kth(pw, count / 2 + 1);
	return (pairwise_kth(pw, count / 2) + pairwise_kth(pw, count / 2 + 1)) / 2;
}
