/*
 * Unit tests for sequential.c, the stopping rule of live `steady compare`.
 *
 * The rule is driven here by a mock executor: a fake measuring loop that
 * calls the bench_enough_fn exactly as bench_execute_rounds() does (before
 * the first round and after every round, with the rounds done and the
 * seconds spent) and feeds given wall times round by round instead of
 * spawning anything. Its clock advances a fixed step per round, so
 * --max-time is reached at a known round, and it can stop half-way through
 * a round as an interrupt does.
 *
 * Expected values: look rounds, look numbers and alphas are "hand:"
 * arithmetic of the rule in docs/compare.md (looks at min, 2 min, 4 min...;
 * look k at (0.05/2) * 2^-k; final look at 0.05/2; -n one look at 0.05).
 * Verdicts use samples whose answer is exact: identical A and B (every
 * paired resample has ratio 1, the interval is [1, 1]: SAME), and B = 1.05
 * A run by run (every paired resample has ratio 1.05: SLOWER). The noisy
 * samples come from a fixed seed; with 10% noise per run the interval of
 * B/A at n <= 40 is several percent wide (about 2 * 0.14 / sqrt(40) = 4.5%
 * either side), so it cannot fit in the 1% margin and the look stays
 * UNRESOLVED — which is the point of those cases: they reach the budget.
 */
#include "unit_fixture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "analyse/sequential.h"
#include "measure/bench.h"
#include "lib/util.h"

#define NO_INTERRUPT ((size_t)-1)
#define MAX_SAMPLES 200
#define MAX_LOOKS 16

/* What the fake measuring loop feeds in, round by round. */
struct mock_executor {
	const double *a, *b;      /* seconds of round i's run of A and of B */
	size_t len;               /* rounds available: asking for more fails the test */
	double round_seconds;     /* the clock's step per round */
	size_t interrupt_round;   /* the interrupt lands after A's run of this round */
	enum stop_reason interrupt_as;
	size_t b_times_out_until; /* B's runs of the rounds before this time out */
};

static void add_run(struct benchmark *b, double seconds, int timed_out)
{
	struct run_sample r;

	memset(&r, 0, sizeof(r));
	r.timed_out = timed_out;
	r.wall_ns = (int64_t)llround(seconds * 1e9);
	r.env_pad = -1;
	r.seq = (int64_t)b->nr_runs;
	benchmark_add_run(b, &r, NULL);
}

/* Returns the rounds completed; bs[*]->stop says how the loop ended. */
static size_t mock_execute(struct benchmark **bs, const struct mock_executor *m,
			   bench_enough_fn enough, void *ctx)
{
	size_t rounds = 0;
	double elapsed = 0;

	bs[0]->stop = bs[1]->stop = STOP_COMPLETED;
	while (!enough(ctx, bs, 2, rounds, elapsed)) {
		assert_true(rounds < m->len);
		add_run(bs[0], m->a[rounds], 0);
		if (rounds == m->interrupt_round) {
			bs[0]->stop = bs[1]->stop = m->interrupt_as;
			break;
		}
		add_run(bs[1], m->b[rounds], rounds < m->b_times_out_until);
		rounds++;
		elapsed += m->round_seconds;
	}
	return rounds;
}

/* Wraps the rule to note at which rounds its looks happen and at what alpha. */
struct look_recorder {
	struct sequential *rule;
	size_t rounds[MAX_LOOKS];
	double alpha[MAX_LOOKS];
	unsigned nr;
	size_t calls;
};

static int recording_enough(void *ctx, struct benchmark **bs, size_t n,
			    size_t rounds, double elapsed)
{
	struct look_recorder *rec = ctx;
	unsigned before = rec->rule->looks;
	int stop = sequential_enough(rec->rule, bs, n, rounds, elapsed);

	rec->calls++;
	if (rec->rule->looks != before && rec->nr < MAX_LOOKS) {
		rec->rounds[rec->nr] = rounds;
		rec->alpha[rec->nr] = rec->rule->last.alpha;
		rec->nr++;
	}
	return stop;
}

/* One comparison from start to verdict, as cmd_compare's live mode runs it. */
struct trial {
	struct bench_config cfg;
	struct benchmark a, b;
	struct benchmark *bs[2];
	struct sequential rule;
	struct look_recorder rec;
	struct sequential_outcome outcome;
	size_t rounds;
	int finished;  /* sequential_finish()'s return */
};

/* The defaults of steady compare: --min-runs 10, --max-time 30 s. */
static void trial_init(struct trial *t)
{
	memset(t, 0, sizeof(*t));
	bench_config_init(&t->cfg);
	t->cfg.min_runs = 10;
	t->cfg.max_time = 30;
	benchmark_init(&t->a);
	benchmark_init(&t->b);
	t->a.name = xstrdup("A");
	t->b.name = xstrdup("B");
	t->bs[0] = &t->a;
	t->bs[1] = &t->b;
}

static void trial_run(struct trial *t, const struct mock_executor *m)
{
	struct compare_options o;

	compare_options_init(&o);
	o.paired = 1;
	o.resamples = 2000;  /* enough for intervals this test only reads the verdict of */
	sequential_init(&t->rule, &t->cfg, &o, NULL);
	t->rec.rule = &t->rule;
	t->rounds = mock_execute(t->bs, m, recording_enough, &t->rec);
	t->finished = sequential_finish(&t->rule, &t->a, &t->b, &t->outcome);
}

static void trial_release(struct trial *t)
{
	benchmark_release(&t->a);
	benchmark_release(&t->b);
	bench_config_release(&t->cfg);
}

static double identical_a[MAX_SAMPLES], identical_b[MAX_SAMPLES];
static double slower_a[MAX_SAMPLES], slower_b[MAX_SAMPLES];
static double noisy_a[MAX_SAMPLES], noisy_b[MAX_SAMPLES];

static int make_samples(void **state)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	(void)state;
	gsl_rng_set(rng, 20240601);
	for (size_t i = 0; i < MAX_SAMPLES; i++) {
		/* 10 ms with a sawtooth of up to 0.6 ms: not constant, fully known */
		identical_a[i] = identical_b[i] = 0.010 + 0.0001 * (double)(i % 7);
		slower_a[i] = identical_a[i];
		slower_b[i] = 1.05 * identical_a[i];
		noisy_a[i] = 0.010 * exp(0.1 * gsl_ran_gaussian(rng, 1));
		noisy_b[i] = 0.010 * exp(0.1 * gsl_ran_gaussian(rng, 1));
	}
	gsl_rng_free(rng);
	return 0;
}

static struct mock_executor feeding(const double *a, const double *b)
{
	struct mock_executor m = { a, b, MAX_SAMPLES, 0.1, NO_INTERRUPT, STOP_INTERRUPTED };

	return m;
}

static void plan_with(struct sequential_plan *p, size_t fixed, size_t min, size_t max,
		      double max_time)
{
	struct bench_config cfg;

	bench_config_init(&cfg);
	cfg.runs = fixed;
	cfg.min_runs = min;
	cfg.max_runs = max;
	cfg.max_time = max_time;
	sequential_plan_init(p, &cfg, 0.05);
	bench_config_release(&cfg);
}

static void test_plan_look_at(void **state)
{
	struct sequential_plan p;

	(void)state;
	/* hand: looks at 10, 20, 40, 80, 160 are looks 1..5; nothing between */
	plan_with(&p, 0, 10, 0, 30);
	assert_int_equal(sequential_plan_look_at(&p, 0), 0);
	assert_int_equal(sequential_plan_look_at(&p, 9), 0);
	assert_int_equal(sequential_plan_look_at(&p, 10), 1);
	assert_int_equal(sequential_plan_look_at(&p, 11), 0);
	assert_int_equal(sequential_plan_look_at(&p, 15), 0);
	assert_int_equal(sequential_plan_look_at(&p, 20), 2);
	assert_int_equal(sequential_plan_look_at(&p, 30), 0);
	assert_int_equal(sequential_plan_look_at(&p, 40), 3);
	assert_int_equal(sequential_plan_look_at(&p, 60), 0);
	assert_int_equal(sequential_plan_look_at(&p, 80), 4);
	assert_int_equal(sequential_plan_look_at(&p, 160), 5);
	/* hand: --min-runs 3 looks at 3, 6, 12, 24; 9 is 3 * 3, not a doubling */
	plan_with(&p, 0, 3, 0, 30);
	assert_int_equal(sequential_plan_look_at(&p, 3), 1);
	assert_int_equal(sequential_plan_look_at(&p, 6), 2);
	assert_int_equal(sequential_plan_look_at(&p, 9), 0);
	assert_int_equal(sequential_plan_look_at(&p, 12), 3);
	assert_int_equal(sequential_plan_look_at(&p, 24), 4);
	/* hand: --min-runs 1: powers of two, 1024 = 2^10 is look 11 */
	plan_with(&p, 0, 1, 0, 30);
	assert_int_equal(sequential_plan_look_at(&p, 1), 1);
	assert_int_equal(sequential_plan_look_at(&p, 2), 2);
	assert_int_equal(sequential_plan_look_at(&p, 3), 0);
	assert_int_equal(sequential_plan_look_at(&p, 4), 3);
	assert_int_equal(sequential_plan_look_at(&p, 1024), 11);
	assert_int_equal(sequential_plan_look_at(&p, 1023), 0);
	/* -n: no interim look at all, not even at rounds that would be one */
	plan_with(&p, 20, 10, 0, 30);
	assert_int_equal(sequential_plan_look_at(&p, 10), 0);
	assert_int_equal(sequential_plan_look_at(&p, 20), 0);
}

static void test_plan_alphas(void **state)
{
	struct sequential_plan p;
	double sum = 0;

	(void)state;
	plan_with(&p, 0, 10, 0, 30);
	/* hand: (0.05 / 2) * 2^-k = 0.0125, 0.00625, 0.003125; 98.75% is the
	 * first level docs/compare.md names */
	assert_true(sequential_plan_look_alpha(&p, 1) == 0.0125);
	assert_true(sequential_plan_look_alpha(&p, 2) == 0.00625);
	assert_true(sequential_plan_look_alpha(&p, 3) == 0.003125);
	assert_true(isnan(sequential_plan_look_alpha(&p, 0)));
	/* hand: the final look has the other half, 0.025 (97.5%) */
	assert_true(sequential_plan_final_alpha(&p) == 0.025);
	/* hand: 0.025 * (1 - 2^-60) + 0.025 < 0.05: all looks stay within alpha */
	for (unsigned k = 1; k <= 60; k++)
		sum += sequential_plan_look_alpha(&p, k);
	sum += sequential_plan_final_alpha(&p);
	assert_true(sum <= 0.05);
	assert_true(sum > 0.05 - 1e-15);
	/* hand: -n has one look at the whole 0.05 (95%) */
	plan_with(&p, 15, 10, 0, 30);
	assert_true(sequential_plan_final_alpha(&p) == 0.05);
}

static void test_plan_decide(void **state)
{
	struct sequential_plan p;

	(void)state;
	plan_with(&p, 0, 10, 50, 3.0);
	/* below --min-runs neither a verdict nor a spent budget stops it */
	assert_int_equal(sequential_plan_decide(&p, 0, 0, VERDICT_UNRESOLVED), SEQUENTIAL_GO_ON);
	assert_int_equal(sequential_plan_decide(&p, 9, 100, VERDICT_SLOWER), SEQUENTIAL_GO_ON);
	/* a verdict at or after min-runs stops, before the budget is asked */
	assert_int_equal(sequential_plan_decide(&p, 10, 0, VERDICT_SAME), SEQUENTIAL_DECIDED);
	assert_int_equal(sequential_plan_decide(&p, 50, 100, VERDICT_FASTER), SEQUENTIAL_DECIDED);
	assert_int_equal(sequential_plan_decide(&p, 10, 0, VERDICT_UNRESOLVED), SEQUENTIAL_GO_ON);
	/* --max-runs 50 and --max-time 3 s, each on its own */
	assert_int_equal(sequential_plan_decide(&p, 49, 2.9, VERDICT_UNRESOLVED), SEQUENTIAL_GO_ON);
	assert_int_equal(sequential_plan_decide(&p, 50, 0.1, VERDICT_UNRESOLVED), SEQUENTIAL_BUDGET_SPENT);
	assert_int_equal(sequential_plan_decide(&p, 12, 3.0, VERDICT_UNRESOLVED), SEQUENTIAL_BUDGET_SPENT);
	/* -n 15: exactly 15 rounds, verdicts and time do not matter */
	plan_with(&p, 15, 10, 0, 3.0);
	assert_int_equal(sequential_plan_decide(&p, 10, 100, VERDICT_SLOWER), SEQUENTIAL_GO_ON);
	assert_int_equal(sequential_plan_decide(&p, 14, 100, VERDICT_UNRESOLVED), SEQUENTIAL_GO_ON);
	assert_int_equal(sequential_plan_decide(&p, 15, 0, VERDICT_UNRESOLVED), SEQUENTIAL_RUNS_DONE);
}

static void test_identical_decides_same_at_first_look(void **state)
{
	struct mock_executor m = feeding(identical_a, identical_b);
	struct trial t;

	(void)state;
	trial_init(&t);
	trial_run(&t, &m);
	assert_int_equal(t.finished, 0);
	/* hand: the first look is after --min-runs (10) rounds, at 0.0125 */
	assert_int_equal(t.rounds, 10);
	assert_int_equal(t.rec.nr, 1);
	assert_int_equal(t.rec.rounds[0], 10);
	assert_true(t.rec.alpha[0] == 0.0125);
	/* hand: asked before round 1 and after rounds 1..10 */
	assert_int_equal(t.rec.calls, 11);
	assert_int_equal(t.outcome.c.verdict, VERDICT_SAME);
	assert_true(t.outcome.c.ci_lo == 1 && t.outcome.c.ci_hi == 1);
	assert_int_equal(t.outcome.look, 1);
	assert_int_equal(t.outcome.final_look, 0);
	assert_true(t.outcome.c.paired);
	assert_int_equal(t.outcome.c.na, 10);
	trial_release(&t);
}

static void test_five_percent_slower_decides_at_first_look(void **state)
{
	struct mock_executor m = feeding(slower_a, slower_b);
	struct trial t;

	(void)state;
	trial_init(&t);
	trial_run(&t, &m);
	assert_int_equal(t.finished, 0);
	assert_int_equal(t.rounds, 10);
	assert_int_equal(t.outcome.c.verdict, VERDICT_SLOWER);
	/* hand: mean(1.05 a) / mean(a) = 1.05 */
	assert_true(fabs(t.outcome.c.ratio_means - 1.05) < 1e-12);
	assert_true(fabs(t.outcome.c.ci_lo - 1.05) < 1e-12);
	assert_int_equal(t.outcome.look, 1);
	assert_true(t.outcome.c.alpha == 0.0125);
	trial_release(&t);
}

static void test_min_runs_holds_the_first_look(void **state)
{
	struct mock_executor m = feeding(identical_a, identical_b);
	struct trial t;

	(void)state;
	/* hand: data that decide at any look still wait for --min-runs 7 */
	trial_init(&t);
	t.cfg.min_runs = 7;
	trial_run(&t, &m);
	assert_int_equal(t.rounds, 7);
	assert_int_equal(t.rec.nr, 1);
	assert_int_equal(t.rec.rounds[0], 7);
	assert_int_equal(t.outcome.look, 1);
	assert_int_equal(t.outcome.c.verdict, VERDICT_SAME);
	trial_release(&t);
}

static void test_noisy_looks_until_max_runs_then_final_look(void **state)
{
	struct mock_executor m = feeding(noisy_a, noisy_b);
	struct trial t;

	(void)state;
	trial_init(&t);
	t.cfg.max_runs = 40;
	trial_run(&t, &m);
	assert_int_equal(t.finished, 0);
	/* hand: looks 1, 2, 3 at 10, 20, 40 rounds with 0.0125, 0.00625, 0.003125 */
	assert_int_equal(t.rec.nr, 3);
	assert_int_equal(t.rec.rounds[0], 10);
	assert_int_equal(t.rec.rounds[1], 20);
	assert_int_equal(t.rec.rounds[2], 40);
	assert_true(t.rec.alpha[0] == 0.0125);
	assert_true(t.rec.alpha[1] == 0.00625);
	assert_true(t.rec.alpha[2] == 0.003125);
	assert_int_equal(t.rule.decision, SEQUENTIAL_BUDGET_SPENT);
	assert_int_equal(t.rounds, 40);
	/* hand: then the final look, number 4, at 0.025 over all 40 pairs */
	assert_int_equal(t.outcome.final_look, 1);
	assert_int_equal(t.outcome.look, 4);
	assert_true(t.outcome.c.alpha == 0.025);
	assert_int_equal(t.outcome.c.na, 40);
	assert_int_equal(t.outcome.c.nb, 40);
	assert_int_equal(t.outcome.c.verdict, VERDICT_UNRESOLVED);
	trial_release(&t);
}

static void test_unmeasured_side_stops_at_min_runs(void **state)
{
	struct mock_executor m = feeding(noisy_a, noisy_b);
	struct trial t;
	struct bench_config fixed;
	struct sequential_plan p;

	(void)state;
	/*
	 * hand: every run of B times out, 1 s a round, --max-time 30 s: the
	 * loop stops after the --min-runs 10 rounds, not at 30, and no look
	 * is taken (there is nothing to compare; compare.c says so)
	 */
	trial_init(&t);
	m.round_seconds = 1;
	m.b_times_out_until = MAX_SAMPLES;
	trial_run(&t, &m);
	assert_int_equal(t.rounds, 10);
	assert_int_equal(t.rule.decision, SEQUENTIAL_UNMEASURABLE);
	assert_int_equal(t.rec.nr, 0);
	trial_release(&t);

	/* hand: B's first 9 runs time out, its 10th is measured: the rule
	 * goes on past round 10, and with noisy data to its --max-time */
	trial_init(&t);
	m.round_seconds = 1;
	m.b_times_out_until = 9;
	trial_run(&t, &m);
	assert_int_equal(t.rounds, 30);
	assert_int_equal(t.rule.decision, SEQUENTIAL_BUDGET_SPENT);
	trial_release(&t);

	/* hand: -n runs exactly what it was asked, measured or not */
	bench_config_init(&fixed);
	fixed.runs = 5;
	fixed.min_runs = 10;
	sequential_plan_init(&p, &fixed, 0.05);
	assert_int_equal(sequential_plan_unmeasurable(&p, 20, t.bs, 0), 0);
	bench_config_release(&fixed);
}

static void test_noisy_stops_at_max_time(void **state)
{
	struct mock_executor m = feeding(noisy_a, noisy_b);
	struct trial t;

	(void)state;
	/* hand: 0.5 s a round and --max-time 3 s: 6 rounds (0.5 is exact in
	 * binary, so 6 * 0.5 = 3.0 reaches the limit exactly); --min-runs 2
	 * puts looks at 2 and 4, and 6 is no doubling of 2 */
	trial_init(&t);
	t.cfg.min_runs = 2;
	t.cfg.max_time = 3.0;
	m.round_seconds = 0.5;
	trial_run(&t, &m);
	assert_int_equal(t.rounds, 6);
	assert_int_equal(t.rec.nr, 2);
	assert_int_equal(t.rec.rounds[0], 2);
	assert_int_equal(t.rec.rounds[1], 4);
	assert_int_equal(t.outcome.final_look, 1);
	assert_int_equal(t.outcome.look, 3);
	assert_true(t.outcome.c.alpha == 0.025);
	assert_int_equal(t.outcome.c.na, 6);
	trial_release(&t);
}

static void test_fixed_runs_one_look_at_alpha(void **state)
{
	struct mock_executor m = feeding(slower_a, slower_b);
	struct trial t;

	(void)state;
	/* hand: -n 15 measures 15 rounds even though look 1 would decide at 10 */
	trial_init(&t);
	t.cfg.runs = 15;
	trial_run(&t, &m);
	assert_int_equal(t.finished, 0);
	assert_int_equal(t.rounds, 15);
	assert_int_equal(t.rec.nr, 0);
	assert_int_equal(t.rule.decision, SEQUENTIAL_RUNS_DONE);
	assert_int_equal(t.outcome.look, 0);
	assert_int_equal(t.outcome.final_look, 0);
	assert_true(t.outcome.c.alpha == 0.05);
	assert_int_equal(t.outcome.c.na, 15);
	assert_int_equal(t.outcome.c.verdict, VERDICT_SLOWER);
	trial_release(&t);
}

static void test_interrupt_mid_round_takes_final_look_over_pairs(void **state)
{
	struct mock_executor m = feeding(noisy_a, noisy_b);
	struct trial t;

	(void)state;
	/* the interrupt lands in round 13 (index 12) after A ran: A has 13
	 * runs, B 12; one interim look happened, at 10 */
	trial_init(&t);
	m.interrupt_round = 12;
	trial_run(&t, &m);
	assert_int_equal(t.finished, 0);
	assert_int_equal(t.a.nr_runs, 13);
	assert_int_equal(t.b.nr_runs, 12);
	assert_int_equal(t.rec.nr, 1);
	assert_int_equal(t.rec.rounds[0], 10);
	/* hand: A's unmatched 13th run is dropped, 12 pairs stay paired */
	assert_int_equal(t.outcome.c.na, 12);
	assert_int_equal(t.outcome.c.nb, 12);
	assert_true(t.outcome.c.paired);
	assert_int_equal(t.outcome.final_look, 1);
	assert_int_equal(t.outcome.look, 2);
	assert_true(t.outcome.c.alpha == 0.025);
	trial_release(&t);
}

static void test_failed_run_before_first_look(void **state)
{
	struct mock_executor m = feeding(slower_a, slower_b);
	struct trial t;

	(void)state;
	/* a failing run in round 4: no look was due yet; the final look is
	 * look 1 at 0.025 over the 3 complete pairs */
	trial_init(&t);
	m.interrupt_round = 3;
	m.interrupt_as = STOP_FAILED;
	trial_run(&t, &m);
	assert_int_equal(t.rec.nr, 0);
	assert_int_equal(t.outcome.look, 1);
	assert_int_equal(t.outcome.final_look, 1);
	assert_true(t.outcome.c.alpha == 0.025);
	assert_int_equal(t.outcome.c.na, 3);
	trial_release(&t);
}

static void test_fixed_runs_interrupted(void **state)
{
	struct mock_executor m = feeding(identical_a, identical_b);
	struct trial t;

	(void)state;
	/* -n 15 cut in round 6: still the single look at 0.05, over 5 pairs */
	trial_init(&t);
	t.cfg.runs = 15;
	m.interrupt_round = 5;
	trial_run(&t, &m);
	assert_int_equal(t.rounds, 5);
	assert_int_equal(t.outcome.look, 0);
	assert_int_equal(t.outcome.final_look, 0);
	assert_true(t.outcome.c.alpha == 0.05);
	assert_int_equal(t.outcome.c.na, 5);
	trial_release(&t);
}

static void test_decided_then_interrupted_cleanup(void **state)
{
	struct mock_executor m = feeding(identical_a, identical_b);
	struct compare_options o;
	struct trial t;

	(void)state;
	/* look 1 decided, then the cleanup command was interrupted: the
	 * verdict is the final look (2, at 0.025) over the same 10 pairs */
	trial_init(&t);
	compare_options_init(&o);
	o.paired = 1;
	o.resamples = 2000;
	sequential_init(&t.rule, &t.cfg, &o, NULL);
	t.rec.rule = &t.rule;
	t.rounds = mock_execute(t.bs, &m, recording_enough, &t.rec);
	assert_int_equal(t.rule.decision, SEQUENTIAL_DECIDED);
	t.a.stop = t.b.stop = STOP_INTERRUPTED;
	assert_int_equal(sequential_finish(&t.rule, &t.a, &t.b, &t.outcome), 0);
	assert_int_equal(t.outcome.final_look, 1);
	assert_int_equal(t.outcome.look, 2);
	assert_true(t.outcome.c.alpha == 0.025);
	assert_int_equal(t.outcome.c.verdict, VERDICT_SAME);
	trial_release(&t);
}

static void test_look_that_cannot_compare_stops_with_one_line(void **state)
{
	struct mock_executor m = feeding(identical_a, identical_b);
	struct compare_options o;
	struct trial t;
	char *msg;
	int ret;

	(void)state;
	/* --metric cycles, but the runs carry no counts: the first look fails,
	 * the loop stops there, and finish does not repeat the message */
	trial_init(&t);
	compare_options_init(&o);
	o.paired = 1;
	sequential_init(&t.rule, &t.cfg, &o, "cycles");
	capture_start();
	t.rounds = mock_execute(t.bs, &m, sequential_enough, &t.rule);
	ret = sequential_finish(&t.rule, &t.a, &t.b, &t.outcome);
	msg = capture_end();
	assert_int_equal(ret, -1);
	assert_int_equal(t.rounds, 10);
	assert_true(t.rule.failed);
	check_message(msg, "has no counts of 'cycles'");
	trial_release(&t);
}

/*
 * The family rule: three benchmarks measured in rounds, the baseline at
 * index base, fed from samples[0..2] until the rule says enough.
 */
struct family_trial {
	struct bench_config cfg;
	struct benchmark b[3];
	struct benchmark *bs[3];
	struct sequential_family rule;
	size_t rounds;
	int finished;
};

static void family_run(struct family_trial *t, const double *const samples[3], size_t base,
		       size_t max_runs)
{
	struct compare_options o;
	double elapsed = 0;

	memset(t, 0, sizeof(*t));
	bench_config_init(&t->cfg);
	t->cfg.min_runs = 10;
	t->cfg.max_runs = max_runs;
	t->cfg.max_time = 30;
	compare_options_init(&o);
	o.paired = 1;
	o.resamples = 2000;
	for (size_t i = 0; i < 3; i++) {
		benchmark_init(&t->b[i]);
		t->b[i].name = xasprintf("%zu", i + 1);
		t->bs[i] = &t->b[i];
		t->b[i].stop = STOP_COMPLETED;
	}
	sequential_family_init(&t->rule, &t->cfg, &o, NULL, 3, base);
	while (!sequential_family_enough(&t->rule, t->bs, 3, t->rounds, elapsed)) {
		assert_true(t->rounds < MAX_SAMPLES);
		for (size_t i = 0; i < 3; i++)
			add_run(t->bs[i], samples[i][t->rounds], 0);
		t->rounds++;
		elapsed += 0.1;
	}
	t->finished = sequential_family_finish(&t->rule, t->bs);
}

static void family_release(struct family_trial *t)
{
	sequential_family_release(&t->rule);
	for (size_t i = 0; i < 3; i++)
		benchmark_release(&t->b[i]);
	bench_config_release(&t->cfg);
}

/*
 * hand: baseline a, one side 1.05 a (interval [1.05, 1.05]: SLOWER), one
 * side a itself ([1, 1]: SAME). Both clear at step 1 of look 1, whose
 * level is 0.0125, so each interval is at 0.0125 / 2.
 */
static void test_family_decides_every_row_at_first_look(void **state)
{
	const double *const samples[3] = { slower_a, slower_b, identical_b };
	struct family_trial t;

	(void)state;
	family_run(&t, samples, 0, 0);
	assert_int_equal(t.finished, 0);
	assert_int_equal(t.rounds, 10);
	assert_int_equal(t.rule.looks, 1);
	assert_false(t.rule.final_look);
	assert_int_equal(t.rule.decided, 2);
	assert_int_equal(t.rule.c[0].verdict, VERDICT_SLOWER);
	assert_int_equal(t.rule.c[1].verdict, VERDICT_SAME);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(t.rule.step[i], 1);
		assert_true(t.rule.alpha_used[i] == 0.0125 / 2);
		assert_true(t.rule.c[i].alpha == 0.0125 / 2);
	}
	family_release(&t);
}

/*
 * hand: the baseline is the second benchmark (--baseline 2): comparison 0
 * is benchmark 1 (1.05 a against 1.05 a: SAME), comparison 1 is
 * benchmark 3 (a against 1.05 a: 1/1.05, FASTER).
 */
static void test_family_baseline_in_the_middle(void **state)
{
	const double *const samples[3] = { slower_b, slower_b, slower_a };
	struct family_trial t;

	(void)state;
	family_run(&t, samples, 1, 0);
	assert_int_equal(sequential_family_other(&t.rule, 0), 0);
	assert_int_equal(sequential_family_other(&t.rule, 1), 2);
	assert_int_equal(t.rule.c[0].verdict, VERDICT_SAME);
	assert_int_equal(t.rule.c[1].verdict, VERDICT_FASTER);
	assert_true(fabs(t.rule.c[1].ratio_means - 1 / 1.05) < 1e-12);
	family_release(&t);
}

/*
 * hand: one row clear (1.05 a), one noisy A/A row that cannot fit in the
 * margin by 40 rounds (see the top of this file): looks at 10, 20, 40
 * leave it undecided, --max-runs 40 ends the loop and the final look
 * (look 4) takes Holm at 0.025: step 1 at 0.0125 decides the clear row,
 * step 2 asks the noisy one alone at 0.025 and it stays UNRESOLVED.
 */
static void test_family_final_look_holm_at_half_alpha(void **state)
{
	double clear[MAX_SAMPLES];
	const double *const mixed[3] = { noisy_a, noisy_b, clear };
	struct family_trial t;

	(void)state;
	for (size_t i = 0; i < MAX_SAMPLES; i++)
		clear[i] = 1.05 * noisy_a[i];
	family_run(&t, mixed, 0, 40);
	assert_int_equal(t.finished, 0);
	assert_int_equal(t.rounds, 40);
	assert_true(t.rule.final_look);
	assert_int_equal(t.rule.looks, 4);
	assert_int_equal(t.rule.c[1].verdict, VERDICT_SLOWER);
	assert_int_equal(t.rule.step[1], 1);
	assert_true(t.rule.alpha_used[1] == 0.025 / 2);
	assert_int_equal(t.rule.c[0].verdict, VERDICT_UNRESOLVED);
	assert_int_equal(t.rule.step[0], 0);
	assert_true(t.rule.alpha_used[0] == 0.025);
	family_release(&t);
}

/*
 * hand: sweep's A/B family, two given pairs over four benchmarks: (0, 1)
 * is 1.05 a against a, SLOWER; (2, 3) is a against a, SAME; both decided
 * at step 1 of look 1 (0.0125 / 2 each), as the baseline family above.
 */
static void test_family_of_pairs(void **state)
{
	const double *const samples[4] = { slower_a, slower_b, slower_a, identical_b };
	const size_t pairs[2][2] = { { 0, 1 }, { 2, 3 } };
	struct bench_config cfg;
	struct compare_options o;
	struct sequential_family f;
	struct benchmark b[4], *bs[4];
	size_t rounds = 0;

	(void)state;
	bench_config_init(&cfg);
	cfg.min_runs = 10;
	cfg.max_time = 30;
	compare_options_init(&o);
	o.paired = 1;
	o.resamples = 2000;
	for (size_t i = 0; i < 4; i++) {
		benchmark_init(&b[i]);
		b[i].name = xasprintf("%zu", i + 1);
		b[i].stop = STOP_COMPLETED;
		bs[i] = &b[i];
	}
	sequential_family_init_pairs(&f, &cfg, &o, NULL, pairs, 2);
	assert_int_equal(sequential_family_reference(&f, 1), 2);
	assert_int_equal(sequential_family_other(&f, 1), 3);
	while (!sequential_family_enough(&f, bs, 4, rounds, 0.1 * (double)rounds)) {
		for (size_t i = 0; i < 4; i++)
			add_run(bs[i], samples[i][rounds], 0);
		rounds++;
	}
	assert_int_equal(sequential_family_finish(&f, bs), 0);
	assert_int_equal(rounds, 10);
	assert_int_equal(f.looks, 1);
	assert_int_equal(f.c[0].verdict, VERDICT_SLOWER);
	assert_int_equal(f.c[1].verdict, VERDICT_SAME);
	assert_true(f.alpha_used[0] == 0.0125 / 2 && f.alpha_used[1] == 0.0125 / 2);
	sequential_family_release(&f);
	for (size_t i = 0; i < 4; i++)
		benchmark_release(&b[i]);
	bench_config_release(&cfg);
}

static void test_stop_reason_exit_code(void **state)
{
	(void)state;
	/* README, "Exit codes": 0 success, 1 a failed run, 130 interrupted */
	assert_int_equal(stop_reason_exit_code(STOP_COMPLETED), 0);
	assert_int_equal(stop_reason_exit_code(STOP_FAILED), 1);
	assert_int_equal(stop_reason_exit_code(STOP_INTERRUPTED), 130);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_look_at),
		cmocka_unit_test(test_plan_alphas),
		cmocka_unit_test(test_plan_decide),
		cmocka_unit_test(test_identical_decides_same_at_first_look),
		cmocka_unit_test(test_five_percent_slower_decides_at_first_look),
		cmocka_unit_test(test_min_runs_holds_the_first_look),
		cmocka_unit_test(test_noisy_looks_until_max_runs_then_final_look),
		cmocka_unit_test(test_noisy_stops_at_max_time),
		cmocka_unit_test(test_unmeasured_side_stops_at_min_runs),
		cmocka_unit_test(test_fixed_runs_one_look_at_alpha),
		cmocka_unit_test(test_interrupt_mid_round_takes_final_look_over_pairs),
		cmocka_unit_test(test_failed_run_before_first_look),
		cmocka_unit_test(test_fixed_runs_interrupted),
		cmocka_unit_test(test_decided_then_interrupted_cleanup),
		cmocka_unit_test(test_look_that_cannot_compare_stops_with_one_line),
		cmocka_unit_test(test_stop_reason_exit_code),
		cmocka_unit_test(test_family_decides_every_row_at_first_look),
		cmocka_unit_test(test_family_baseline_in_the_middle),
		cmocka_unit_test(test_family_final_look_holm_at_half_alpha),
		cmocka_unit_test(test_family_of_pairs),
	};

	return cmocka_run_group_tests(tests, make_samples, NULL);
}
