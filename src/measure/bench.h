/*
 * bench: the measuring loop of one benchmark, or of several interleaved in
 * rounds — setup, warm-ups, prepare
 * before every run, measured runs until the run count or time budget is
 * met, cleanup — with per-run setup randomisation (environment padding) and
 * the process-wide settings a run needs (CPU pinning, ASLR off).
 *
 * bench_execute() reads b->argv and b->config and appends to b->runs; it
 * owns nothing it does not free before returning. Interruption (SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT) and failing runs end the loop early with b->stop saying why; the
 * runs measured so far stay in b.
 */
#ifndef STEADY_BENCH_H
#define STEADY_BENCH_H

#include "measure/benchmark.h"
#include "measure/progress.h"

#define ENV_PAD_VAR "STEADY_PAD"
#define ENV_PAD_MAX 4095

/* The most benchmarks one loop measures together (layout variants). */
#define BENCH_MAX_TOGETHER 512

/*
 * 0 when the loop ran (b->stop tells how it ended, a failure already
 * reported on stderr); -1 when nothing could be measured because of bad
 * input (a command that cannot run, a bad CPU list), one line printed.
 */
int bench_execute(struct benchmark *b, struct progress *progress);

/*
 * Called after every round with the rounds done and the seconds spent
 * measuring; returns 1 when enough has been measured.
 */
typedef int (*bench_enough_fn)(void *ctx, struct benchmark **bs, size_t n,
			       size_t rounds, double elapsed);
/*
 * The rule of `steady run`: -n, or --min-runs/--max-runs/--max-time; the
 * adaptive rule also stops after --min-runs rounds when a command has no
 * measured run yet (every one timed out under -i).
 */
int bench_enough_runs(void *ctx, struct benchmark **bs, size_t n,
		      size_t rounds, double elapsed);

/*
 * Measures n benchmarks (1..BENCH_MAX_TOGETHER) together in rounds: each round runs every
 * benchmark once, in a random order drawn from the seed, so that drift of
 * the machine hits them alike and run i of each side forms a pair. The
 * configuration that matters for the loop (warm-up, prepare, setup,
 * cleanup, timeout, CPUs, randomisation, seed) is bs[0]'s. Returns as
 * bench_execute(); a failure or an interrupt stops all of them.
 */
int bench_execute_rounds(struct benchmark **bs, size_t n, struct progress *progress,
			 bench_enough_fn enough, void *ctx);

#endif
