/*
 * progress: the live status line on stderr while a benchmark runs — runs
 * done, current mean, ETA. Drawn only when stderr is a terminal, at most ten
 * times a second and always between runs, never inside a measured window.
 * The struct is owned by the caller; there is nothing to free.
 */
#ifndef STEADY_PROGRESS_H
#define STEADY_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

struct progress {
	int enabled;
	int color;
	int drawn;            /* a line is on screen and must be cleared */
	int64_t last_draw_ns;
};

void progress_init(struct progress *p);
/* total 0 when unknown; mean and eta in seconds, NaN when unknown. */
void progress_update(struct progress *p, const char *phase, size_t done,
		     size_t total, double mean, double eta);
/* Erases the line so the summary starts on a clean terminal. */
void progress_clear(struct progress *p);

#endif
