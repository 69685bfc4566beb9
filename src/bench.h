/*
 * bench: the measuring loop of one benchmark — setup, warm-ups, prepare
 * before every run, measured runs until the run count or time budget is
 * met, cleanup — with per-run setup randomisation (environment padding) and
 * the process-wide settings a run needs (CPU pinning, ASLR off).
 *
 * bench_execute() reads b->argv and b->config and appends to b->runs; it
 * owns nothing it does not free before returning. Interruption (SIGINT or
 * SIGTERM) and failing runs end the loop early with b->stop saying why; the
 * runs measured so far stay in b.
 */
#ifndef STEADY_BENCH_H
#define STEADY_BENCH_H

#include "benchmark.h"
#include "progress.h"

#define ENV_PAD_VAR "STEADY_PAD"
#define ENV_PAD_MAX 4095

/*
 * 0 when the loop ran (b->stop tells how it ended, a failure already
 * reported on stderr); -1 when nothing could be measured because of bad
 * input (a command that cannot run, a bad CPU list), one line printed.
 */
int bench_execute(struct benchmark *b, struct progress *progress);

#endif
