/*
 * fuzz_options: every parser of an option's value in the library, each
 * given the same string: the number parsers of lib/util.h, CPU lists (both
 * readers), cache geometry, --margin, --estimator, --perturb, --jobs, -e
 * event lists, --metric, the status and stop-reason names of results
 * files, and run_option_parse() for each option every measuring command
 * shares. Properties: what a number parser accepts is in its documented
 * range (a CPU list's CPUs ascending, once each, below CPU_SETSIZE); an accepted name prints back as itself.
 */
#include "fuzz.h"
#include <math.h>
#include "analyse/estimators.h"
#include "lib/util.h"
#include "measure/benchmark.h"
#include "measure/counters.h"
#include "measure/run_options.h"
#include "system/cache_geometry.h"
#include "system/sysroot.h"
#include "toolchain/build.h"
#include "toolchain/perturb.h"

/* The shared options that take a value (run_options.h), and two flags. */
static const int shared_options[] = {
	'n', 'r', 'w', OPT_MIN_RUNS, OPT_MAX_RUNS, OPT_MAX_TIME, OPT_PREPARE,
	OPT_SETUP, OPT_CLEANUP, OPT_TIMEOUT, OPT_CPU, OPT_SEED, OPT_DB, OPT_REV,
	OPT_METRIC, 'i', OPT_SHELL,
};

static void numbers(const char *s)
{
	unsigned long u;
	double d;
	cpu_set_t set;
	int *cpus = NULL;
	size_t n;

	if (!parse_uint(s, 1000, &u) && u > 1000)
		fuzz_fail("parse_uint gave %lu > 1000", u);
	(void)parse_uint(s, (unsigned long)-1, &u);
	if (!parse_number(s, &d) && !(isfinite(d) && d >= 0))
		fuzz_fail("parse_number gave %g", d);
	if (!parse_seconds(s, &d) && !(isfinite(d) && d >= 0 && d <= 3.2e7))
		fuzz_fail("parse_seconds gave %g", d);
	(void)parse_cpu_list(s, &set);
	n = cpu_list_parse(s, &cpus);
	/* Ascending, each once, below CPU_SETSIZE: never more than 1024 of them. */
	for (size_t i = 0; i < n; i++)
		if (cpus[i] < 0 || cpus[i] >= CPU_SETSIZE || (i && cpus[i] <= cpus[i - 1]))
			fuzz_fail("cpu_list_parse gave CPU %d after %d", cpus[i], i ? cpus[i - 1] : -1);
	free(cpus);
}

static void names(const char *s)
{
	struct cache_level level;
	enum estimator e;
	enum perturbation p;
	enum counter_status cs;
	enum stop_reason sr;
	struct event_list events;
	unsigned jobs;
	double pct;

	(void)cache_level_parse(s, &level);
	if (!run_margin_parse(s, &pct) && !(pct >= 0 && pct < 100))
		fuzz_fail("run_margin_parse gave %g", pct);
	if (!estimator_parse(s, &e) && !estimator_name(e))
		fuzz_fail("estimator '%s' has no name", s);
	if (!perturb_parse(s, &p) && strcmp(perturb_name(p), s))
		fuzz_fail("perturbation '%s' prints as '%s'", s, perturb_name(p));
	if (!build_parse_jobs(s, &jobs) && jobs < 1)
		fuzz_fail("build_parse_jobs gave %u", jobs);
	(void)counter_status_parse(s, &cs);
	(void)stop_reason_parse(s, &sr);
	event_list_init(&events);
	(void)events_parse(s, &events);
	event_list_release(&events);
	(void)metric_check(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bench_config cfg;
	int seed_given = 0;
	char *s;

	if (size > 1024)
		return 0;
	s = fuzz_string(data, size);
	numbers(s);
	names(s);
	bench_config_init(&cfg);
	for (size_t i = 0; i < sizeof(shared_options) / sizeof(shared_options[0]); i++)
		if (run_option_parse(shared_options[i], s, &cfg, &seed_given) == 0)
			fuzz_fail("shared option %d not known", shared_options[i]);
	bench_config_release(&cfg);
	free(s);
	return 0;
}
