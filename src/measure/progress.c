/*
 * progress: see progress.h.
 */
#include "measure/progress.h"
#include "lib/units.h"
#include "lib/util.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#define BAR_WIDTH 24
#define REDRAW_NS 100000000 /* 10 Hz is smooth and costs nothing measurable */

void progress_init(struct progress *p)
{
	p->enabled = isatty(STDERR_FILENO);
	p->color = p->enabled && use_color(STDERR_FILENO);
	p->drawn = 0;
	p->last_draw_ns = 0;
}

void progress_update(struct progress *p, const char *phase, size_t done,
		     size_t total, double mean, double eta)
{
	char bar[BAR_WIDTH + 1], mean_s[32], eta_s[32];
	int64_t now;
	size_t filled = 0;

	if (!p->enabled)
		return;
	now = monotonic_ns();
	if (p->drawn && now - p->last_draw_ns < REDRAW_NS)
		return;
	p->last_draw_ns = now;

	if (total)
		filled = done >= total ? BAR_WIDTH : done * BAR_WIDTH / total;
	for (size_t i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < filled ? '#' : '-';
	bar[BAR_WIDTH] = '\0';

	if (isnan(mean))
		snprintf(mean_s, sizeof(mean_s), "-");
	else
		format_time(mean_s, sizeof(mean_s), mean);
	if (isnan(eta) || eta < 0)
		snprintf(eta_s, sizeof(eta_s), "-");
	else
		snprintf(eta_s, sizeof(eta_s), "%d:%02d", (int)eta / 60, (int)eta % 60);

	fprintf(stderr, "\r\033[K%s%-9s%s [%s] %zu", p->color ? "\033[36m" : "",
		phase, p->color ? "\033[0m" : "", bar, done);
	if (total)
		fprintf(stderr, "/%zu", total);
	fprintf(stderr, " runs  mean %s  ETA %s", mean_s, eta_s);
	fflush(stderr);
	p->drawn = 1;
}

void progress_clear(struct progress *p)
{
	if (p->enabled && p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p->drawn = 0;
}
