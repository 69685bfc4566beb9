/*
 * Unit tests for counters.c: event parsing and the table, then real
 * counting of a real workload. The workload is this binary itself, exec'd
 * with "--touch-pages N" (or the -fork / -thread variants): it writes one
 * byte into each of N fresh anonymous pages, N page faults a kernel cannot
 * avoid (huge pages are turned off for the mapping). No shell is involved.
 *
 * What the hardware counts depends on the machine: a VM without a PMU
 * refuses every hardware event, a laptop counts them. Tests accept either,
 * as long as the answer is coherent (counted with running time, or
 * unsupported with the errno kept). Where perf_event_open itself is missing
 * (an old valgrind, a seccomp filter), the counting tests are skipped.
 */
#include "unit_fixture.h"

#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <linux/perf_event.h>

#include "measure/counters.h"

/* Faults the exec'd workload makes on purpose. */
#define WORK_PAGES 2000
/*
 * Faults the child makes after counters are open but before exec. Far more
 * than the workload's own start-up (a few hundred faults natively, more
 * under a sanitizer), so counting them would show.
 */
#define PRE_EXEC_PAGES 20000

static char self_exe[PATH_MAX];

/* ---- the workload side ---- */

static int touch_pages(long n)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size_t)n * (size_t)page;
	volatile char *p;

	if (n <= 0)
		return 0;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	/* One fault per page, not one per 2 MiB. */
	madvise((void *)p, len, MADV_NOHUGEPAGE);
	for (long i = 0; i < n; i++)
		p[i * page] = 1;
	munmap((void *)p, len);
	return 0;
}

static void *touch_thread(void *arg)
{
	return (void *)(intptr_t)touch_pages(*(long *)arg);
}

/* argv[1] names what to do, argv[2] how many pages; exit status 0 = done. */
static int workload_main(const char *mode, const char *count)
{
	long n = strtol(count, NULL, 10);

	if (!strcmp(mode, "--touch-pages"))
		return touch_pages(n);
	if (!strcmp(mode, "--touch-pages-fork")) {
		/* The pages are touched by a child: counted only through inherit. */
		pid_t pid = fork();
		int status;

		if (pid < 0)
			return 1;
		if (!pid)
			_exit(touch_pages(n));
		if (waitpid(pid, &status, 0) != pid)
			return 1;
		return !WIFEXITED(status) || WEXITSTATUS(status);
	}
	if (!strcmp(mode, "--touch-pages-thread")) {
		pthread_t t;
		void *ret;

		if (pthread_create(&t, NULL, touch_thread, &n) || pthread_join(t, &ret))
			return 1;
		return ret != NULL;
	}
	return 2;
}

/* ---- the harness side ---- */

struct counted {
	struct event_list ev;
	struct counters c;
	struct counter_reading *r;
	int status;	/* the child's wait status */
};

/*
 * Counts events over a child that blocks on a pipe until the counters are
 * open, then touches pre pages (harness time: must not be counted), then
 * execs this binary in mode with pages (or, with mode NULL, exits without
 * exec).
 */
static void count_workload(struct counted *w, const char *events,
			   const char *mode, long pages, long pre)
{
	char count[32];
	int go[2];
	pid_t pid;
	char c;

	memset(w, 0, sizeof(*w));
	event_list_init(&w->ev);
	assert_int_equal(events_parse(events, &w->ev), 0);
	snprintf(count, sizeof(count), "%ld", pages);
	assert_int_equal(pipe(go), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		char *argv[] = { self_exe, (char *)mode, count, NULL };

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(126);
		if (touch_pages(pre))
			_exit(125);
		if (!mode)
			_exit(0);
		execv(self_exe, argv);
		_exit(127);
	}
	close(go[0]);
	if (counters_open(&w->c, &w->ev, pid)) {
		close(go[1]); /* the child exits without exec */
		waitpid(pid, NULL, 0);
		fail_msg("counters_open failed");
	}
	assert_int_equal(write(go[1], "g", 1), 1);
	close(go[1]);
	assert_int_equal(waitpid(pid, &w->status, 0), pid);
	assert_true(WIFEXITED(w->status));
	assert_int_equal(WEXITSTATUS(w->status), 0);
	w->r = xcalloc(w->c.nr, sizeof(*w->r));
	assert_int_equal(counters_read(&w->c, w->r), 0);
}

static void counted_release(struct counted *w)
{
	counters_release(&w->c);
	event_list_release(&w->ev);
	free(w->r);
}

static const struct counter_reading *reading(const struct counted *w,
					     const char *name)
{
	for (size_t i = 0; i < w->ev.nr; i++)
		if (!strcmp(w->ev.ev[i].name, name))
			return &w->r[i];
	fail_msg("no event '%s'", name);
	return NULL;
}

static void assert_counted(const struct counter_reading *r)
{
	assert_int_equal(r->status, COUNTER_COUNTED);
	assert_true(r->time_running > 0);
	assert_true(r->time_enabled >= r->time_running);
}

/* Hardware may or may not exist here; either way the answer is coherent. */
static void assert_counted_or_unsupported(const struct counter_reading *r)
{
	if (r->status == COUNTER_COUNTED) {
		assert_true(r->time_running > 0);
		assert_true(r->value >= (double)r->raw);
		assert_int_equal(r->err, 0);
	} else {
		assert_true(r->status == COUNTER_UNSUPPORTED ||
			    r->status == COUNTER_DENIED);
		assert_true(r->err > 0);
		assert_true(r->raw == 0 && r->value == 0 && r->time_running == 0);
	}
}

/*
 * Counting tests need perf_event_open for software events at least;
 * without it they are skipped, not failed.
 */
static void need_counters(void)
{
	if (!events_probe(events_find("task-clock"))) {
		print_message("perf_event_open unavailable here (%s)\n",
			      strerror(errno));
		skip();
	}
}

/* Parses list that must fail; returns what it printed on stderr. */
static char *parse_fails(const char *list)
{
	struct event_list l;
	FILE *tmp = tmpfile();
	int saved = dup(2);
	char *out = xcalloc(1, 1024);
	size_t n;

	assert_non_null(tmp);
	assert_true(saved >= 0);
	event_list_init(&l);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	assert_int_equal(events_parse(list, &l), -1);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	assert_int_equal(l.nr, 0);
	event_list_release(&l);
	rewind(tmp);
	n = fread(out, 1, 1023, tmp);
	out[n] = '\0';
	fclose(tmp);
	return out;
}

/* ---- parsing and the table ---- */

static void test_parse_names(void **state)
{
	struct event_list l;

	(void)state;
	event_list_init(&l);
	assert_int_equal(events_parse("cycles,instructions,task-clock,L1-icache-load-misses", &l), 0);
	assert_int_equal(l.nr, 4);
	assert_string_equal(l.ev[0].name, "cycles");
	assert_int_equal(l.ev[0].kind, EVENT_HARDWARE);
	assert_int_equal(l.ev[0].type, PERF_TYPE_HARDWARE);
	assert_int_equal(l.ev[0].config, PERF_COUNT_HW_CPU_CYCLES);
	assert_int_equal(l.ev[1].config, PERF_COUNT_HW_INSTRUCTIONS);
	assert_int_equal(l.ev[2].kind, EVENT_SOFTWARE);
	assert_int_equal(l.ev[2].type, PERF_TYPE_SOFTWARE);
	assert_int_equal(l.ev[2].config, PERF_COUNT_SW_TASK_CLOCK);
	assert_int_equal(l.ev[3].kind, EVENT_CACHE);
	assert_int_equal(l.ev[3].type, PERF_TYPE_HW_CACHE);
	/* perf_event_open(2): id | op << 8 | result << 16 */
	assert_int_equal(l.ev[3].config, PERF_COUNT_HW_CACHE_L1I |
			 PERF_COUNT_HW_CACHE_OP_READ << 8 |
			 PERF_COUNT_HW_CACHE_RESULT_MISS << 16);
	for (size_t i = 0; i < l.nr; i++) {
		assert_false(l.ev[i].modifiers);
		assert_false(l.ev[i].exclude_user || l.ev[i].exclude_kernel ||
			     l.ev[i].exclude_hv);
	}
	/* Appends; duplicates are allowed, as in perf. */
	assert_int_equal(events_parse("cycles", &l), 0);
	assert_int_equal(l.nr, 5);
	assert_int_equal(l.ev[4].config, PERF_COUNT_HW_CPU_CYCLES);
	event_list_release(&l);
	assert_null(l.ev);
	assert_int_equal(l.nr, 0);
}

static void test_parse_aliases(void **state)
{
	static const struct {
		const char *alias;
		uint32_t type;
		uint64_t config;
	} t[] = {
		{ "cpu-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
		{ "branch-instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
		{ "branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
		{ "idle-cycles-frontend", PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND },
		{ "faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
		{ "cs", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
		{ "migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
		{ "CYCLES", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
		{ "llc-load-misses", PERF_TYPE_HW_CACHE, PERF_COUNT_HW_CACHE_LL |
		  PERF_COUNT_HW_CACHE_OP_READ << 8 | PERF_COUNT_HW_CACHE_RESULT_MISS << 16 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct event_list l;

		event_list_init(&l);
		assert_int_equal(events_parse(t[i].alias, &l), 0);
		assert_int_equal(l.nr, 1);
		/* The name stays as written: it is what the user reads back. */
		assert_string_equal(l.ev[0].name, t[i].alias);
		assert_int_equal(l.ev[0].type, t[i].type);
		assert_int_equal(l.ev[0].config, t[i].config);
		event_list_release(&l);
	}
}

static void test_parse_modifiers(void **state)
{
	struct event_list l;
	char *msg;

	(void)state;
	event_list_init(&l);
	assert_int_equal(events_parse("cycles:u,cycles:k,cycles:uk,cycles:ku,faults:u", &l), 0);
	assert_int_equal(l.nr, 5);
	assert_string_equal(l.ev[0].name, "cycles:u");
	assert_true(l.ev[0].modifiers);
	assert_false(l.ev[0].exclude_user);
	assert_true(l.ev[0].exclude_kernel);
	assert_true(l.ev[0].exclude_hv);
	assert_true(l.ev[1].exclude_user);
	assert_false(l.ev[1].exclude_kernel);
	assert_true(l.ev[1].exclude_hv);
	for (size_t i = 2; i <= 3; i++) {
		assert_true(l.ev[i].modifiers);
		assert_false(l.ev[i].exclude_user);
		assert_false(l.ev[i].exclude_kernel);
		assert_true(l.ev[i].exclude_hv);
	}
	assert_int_equal(l.ev[4].config, PERF_COUNT_SW_PAGE_FAULTS);
	assert_true(l.ev[4].exclude_kernel);
	event_list_release(&l);

	msg = parse_fails("cycles:x");
	assert_non_null(strstr(msg, "unknown modifier 'x'"));
	free(msg);
	msg = parse_fails("cycles:");
	assert_non_null(strstr(msg, "empty modifier"));
	free(msg);
	free(parse_fails("cycles:u:k"));
	free(parse_fails("cycles:U"));
}

static void test_parse_raw(void **state)
{
	struct event_list l;

	(void)state;
	event_list_init(&l);
	assert_int_equal(events_parse("r1a8,rC0:u,rffffffffffffffff,r0", &l), 0);
	assert_int_equal(l.nr, 4);
	assert_int_equal(l.ev[0].kind, EVENT_RAW);
	assert_int_equal(l.ev[0].type, PERF_TYPE_RAW);
	assert_int_equal(l.ev[0].config, 0x1a8);
	assert_int_equal(l.ev[1].config, 0xc0);
	assert_true(l.ev[1].exclude_kernel);
	assert_true(l.ev[2].config == UINT64_MAX);
	assert_int_equal(l.ev[3].config, 0);
	/* A table name that looks like raw hex stays the table's. */
	assert_int_equal(events_parse("ref-cycles", &l), 0);
	assert_int_equal(l.ev[4].kind, EVENT_HARDWARE);
	assert_int_equal(l.ev[4].config, PERF_COUNT_HW_REF_CPU_CYCLES);
	event_list_release(&l);

	free(parse_fails("r"));
	free(parse_fails("r1g"));
	free(parse_fails("r0x1a8"));
	free(parse_fails("r12345678901234567")); /* 17 digits: more than 64 bits */
	free(parse_fails("R1a8"));
}

static void test_parse_unknown(void **state)
{
	struct event_list l;
	char *msg;

	(void)state;
	msg = parse_fails("cylces");
	assert_non_null(strstr(msg, "unknown event 'cylces'"));
	assert_non_null(strstr(msg, "cycles"));
	free(msg);

	/* The start of a family lists members of it. */
	msg = parse_fails("L1-dcache");
	assert_non_null(strstr(msg, "L1-dcache-loads"));
	free(msg);

	msg = parse_fails("page-fault");
	assert_non_null(strstr(msg, "page-faults"));
	free(msg);

	msg = parse_fails("frobnicate-everything");
	assert_non_null(strstr(msg, "unknown event 'frobnicate-everything'"));
	assert_non_null(strstr(msg, "steady list"));
	free(msg);

	/* A bad entry anywhere leaves the list as it was. */
	event_list_init(&l);
	assert_int_equal(events_parse("task-clock", &l), 0);
	msg = parse_fails("cycles,instructions,bogus");
	assert_non_null(strstr(msg, "'bogus'"));
	free(msg);
	{
		FILE *tmp = tmpfile();
		int saved = dup(2);

		fflush(stderr);
		dup2(fileno(tmp), 2);
		assert_int_equal(events_parse("cycles,bogus", &l), -1);
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		fclose(tmp);
	}
	assert_int_equal(l.nr, 1);
	assert_string_equal(l.ev[0].name, "task-clock");
	event_list_release(&l);
}

static void test_parse_empty(void **state)
{
	static const char *const bad[] = {
		"", ",", "cycles,", ",cycles", "cycles,,instructions", ":u",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *msg = parse_fails(bad[i]);

		assert_non_null(strstr(msg, "steady: error: "));
		free(msg);
	}
	free(parse_fails(NULL));
}

static void test_default(void **state)
{
	static const char *const want[] = {
		"task-clock", "context-switches", "cpu-migrations", "page-faults",
		"cycles", "instructions", "branches", "branch-misses",
	};
	struct event_list l;

	(void)state;
	event_list_init(&l);
	assert_int_equal(events_parse(EVENTS_DEFAULT_TEXT, &l), 0);
	assert_int_equal(l.nr, ARRAY_SIZE(want));
	for (size_t i = 0; i < l.nr; i++) {
		const struct event *e = events_find(want[i]);

		assert_string_equal(l.ev[i].name, want[i]);
		assert_int_equal(l.ev[i].type, e->type);
		assert_int_equal(l.ev[i].config, e->config);
		assert_false(l.ev[i].modifiers);
	}
	event_list_release(&l);
}

static void test_cache_names(void **state)
{
	/* perf's matrix: which operations each cache accepts. */
	static const struct {
		const char *prefix;
		uint64_t id;
		int load, store, prefetch;
	} caches[] = {
		{ "L1-dcache", PERF_COUNT_HW_CACHE_L1D, 1, 1, 1 },
		{ "L1-icache", PERF_COUNT_HW_CACHE_L1I, 1, 0, 1 },
		{ "LLC", PERF_COUNT_HW_CACHE_LL, 1, 1, 1 },
		{ "dTLB", PERF_COUNT_HW_CACHE_DTLB, 1, 1, 1 },
		{ "iTLB", PERF_COUNT_HW_CACHE_ITLB, 1, 0, 0 },
		{ "branch", PERF_COUNT_HW_CACHE_BPU, 1, 0, 0 },
		{ "node", PERF_COUNT_HW_CACHE_NODE, 1, 1, 1 },
	};
	static const struct {
		const char *access, *one;
		uint64_t op;
	} ops[] = {
		{ "loads", "load", PERF_COUNT_HW_CACHE_OP_READ },
		{ "stores", "store", PERF_COUNT_HW_CACHE_OP_WRITE },
		{ "prefetches", "prefetch", PERF_COUNT_HW_CACHE_OP_PREFETCH },
	};
	size_t nr, n_cache = 0, expected = 0;
	const struct event *table = events_table(&nr);

	(void)state;
	for (size_t c = 0; c < ARRAY_SIZE(caches); c++) {
		int ok[] = { caches[c].load, caches[c].store, caches[c].prefetch };

		for (size_t o = 0; o < ARRAY_SIZE(ops); o++) {
			char access[64], miss[64];
			const struct event *a, *m;

			snprintf(access, sizeof(access), "%s-%s", caches[c].prefix, ops[o].access);
			snprintf(miss, sizeof(miss), "%s-%s-misses", caches[c].prefix, ops[o].one);
			a = events_find(access);
			m = events_find(miss);
			if (!ok[o]) {
				assert_null(a);
				assert_null(m);
				continue;
			}
			expected += 2;
			assert_non_null(a);
			assert_non_null(m);
			assert_string_equal(a->name, access);
			assert_string_equal(m->name, miss);
			assert_int_equal(a->kind, EVENT_CACHE);
			assert_int_equal(a->type, PERF_TYPE_HW_CACHE);
			assert_int_equal(a->config, caches[c].id | ops[o].op << 8 |
					 (uint64_t)PERF_COUNT_HW_CACHE_RESULT_ACCESS << 16);
			assert_int_equal(m->config, caches[c].id | ops[o].op << 8 |
					 (uint64_t)PERF_COUNT_HW_CACHE_RESULT_MISS << 16);
		}
	}
	/* Those and no others; every name and alias unique and found. */
	for (size_t i = 0; i < nr; i++) {
		n_cache += table[i].kind == EVENT_CACHE;
		assert_ptr_equal(events_find(table[i].name), &table[i]);
		if (table[i].alias)
			assert_ptr_equal(events_find(table[i].alias), &table[i]);
		assert_non_null(event_kind_name(table[i].kind));
	}
	assert_int_equal(n_cache, expected);
	assert_int_equal(expected, 32);
	assert_null(events_find("L1-icache-stores"));
	assert_null(events_find("branch-load"));
	assert_string_equal(event_kind_name(EVENT_CACHE), "Hardware cache event");
}

static void test_scaling(void **state)
{
	struct counter_reading r;

	(void)state;
	/* Ran the whole time: the count as is. */
	counter_reading_set(&r, 1000, 500, 500);
	assert_int_equal(r.status, COUNTER_COUNTED);
	assert_true(r.value == 1000.0);
	assert_true(r.running_pct == 100.0);
	assert_false(r.multiplexed);
	/* Half the time on a counter: hand: 1000 * 200 / 100 = 2000. */
	counter_reading_set(&r, 1000, 200, 100);
	assert_int_equal(r.status, COUNTER_COUNTED);
	assert_true(r.value == 2000.0);
	assert_true(r.running_pct == 50.0);
	assert_true(r.multiplexed);
	assert_int_equal(r.raw, 1000);
	assert_int_equal(r.time_enabled, 200);
	assert_int_equal(r.time_running, 100);
	/* hand: 7 * 3 / 2 = 10.5; 100 * 2 / 3 */
	counter_reading_set(&r, 7, 3, 2);
	assert_true(r.value == 10.5);
	assert_true(r.running_pct > 66.666 && r.running_pct < 66.667);
	/* Never ran, or never enabled: not a zero, not counted. */
	counter_reading_set(&r, 0, 100, 0);
	assert_int_equal(r.status, COUNTER_NOT_COUNTED);
	assert_true(r.value == 0 && r.running_pct == 0);
	assert_false(r.multiplexed);
	counter_reading_set(&r, 0, 0, 0);
	assert_int_equal(r.status, COUNTER_NOT_COUNTED);
}

static int paranoid_level(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int level;

	if (!f)
		return INT_MIN;
	if (fscanf(f, "%d", &level) != 1)
		level = INT_MIN;
	fclose(f);
	return level;
}

static void test_paranoid_hint(void **state)
{
	char *hint = counters_paranoid_hint();
	int level = paranoid_level();

	(void)state;
	assert_non_null(hint);
	assert_non_null(strstr(hint, "perf_event_paranoid"));
	if (level != INT_MIN) {
		char want[64];

		snprintf(want, sizeof(want), "perf_event_paranoid is %d", level);
		assert_non_null(strstr(hint, want));
	}
	free(hint);
}

/* ---- counting ---- */

static void test_probe(void **state)
{
	size_t nr;
	const struct event *table = events_table(&nr);

	(void)state;
	need_counters();
	assert_int_equal(events_probe(events_find("task-clock")), 1);
	assert_int_equal(events_probe(events_find("page-faults")), 1);
	for (size_t i = 0; i < nr; i++) {
		errno = 0;
		if (!events_probe(&table[i]))
			assert_true(errno > 0); /* a reason for `steady list` */
	}
}

static void test_software_workload(void **state)
{
	struct counted w;
	const struct counter_reading *faults, *clock;

	(void)state;
	need_counters();
	count_workload(&w, "task-clock,page-faults,context-switches,cpu-migrations",
		       "--touch-pages", WORK_PAGES, 0);
	for (size_t i = 0; i < w.c.nr; i++) {
		assert_counted(&w.r[i]);
		assert_true(w.c.ctr[i].fd >= 0);
		/* Software events share one group, led by the first. */
		assert_int_equal(w.c.ctr[i].leader, 0);
		/* Never multiplexed, and enabled together with the leader. */
		assert_false(w.r[i].multiplexed);
		assert_true(w.r[i].value == (double)w.r[i].raw);
	}
	assert_false(w.c.denied);
	faults = reading(&w, "page-faults");
	clock = reading(&w, "task-clock");
	assert_true(faults->value >= WORK_PAGES);
	assert_true(faults->value < PRE_EXEC_PAGES);
	assert_true(clock->value > 0);
	/* task-clock counts nanoseconds on the CPU: at most the time enabled. */
	assert_true(clock->raw <= clock->time_enabled);
	counted_release(&w);
}

/*
 * enable_on_exec: the child touches PRE_EXEC_PAGES after the counters are
 * open (so they exist and are attached) but before exec. None of those
 * faults may be counted, only the exec'd workload's.
 */
static void test_harness_not_counted(void **state)
{
	struct counted w;
	const struct counter_reading *faults;

	(void)state;
	need_counters();
	count_workload(&w, "page-faults,minor-faults", "--touch-pages", WORK_PAGES,
		       PRE_EXEC_PAGES);
	faults = reading(&w, "page-faults");
	assert_counted(faults);
	assert_true(faults->value >= WORK_PAGES);
	assert_true(faults->value < PRE_EXEC_PAGES);
	assert_true(reading(&w, "minor-faults")->value < PRE_EXEC_PAGES);
	counted_release(&w);

	/* A child that never execs is never counted at all. */
	count_workload(&w, "page-faults,task-clock", NULL, 0, 100);
	for (size_t i = 0; i < w.c.nr; i++) {
		assert_int_equal(w.r[i].status, COUNTER_NOT_COUNTED);
		assert_int_equal(w.r[i].raw, 0);
		assert_int_equal(w.r[i].time_enabled, 0);
	}
	counted_release(&w);
}

/* inherit: faults of a forked child and of a thread are the workload's too. */
static void test_inherit(void **state)
{
	static const char *const modes[] = { "--touch-pages-fork", "--touch-pages-thread" };

	(void)state;
	need_counters();
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		struct counted w;
		const struct counter_reading *faults;

		count_workload(&w, "page-faults,task-clock", modes[i], WORK_PAGES, 0);
		faults = reading(&w, "page-faults");
		assert_counted(faults);
		assert_true(faults->value >= WORK_PAGES);
		assert_true(faults->value < PRE_EXEC_PAGES);
		counted_release(&w);
	}
}

/*
 * Hardware events in one list with software ones: whatever the hardware
 * does, the software events are counted, and hardware events are either
 * counted or unsupported with the errno kept.
 */
static void test_hardware_either_way(void **state)
{
	static const char *const hw[] = {
		"cycles", "instructions", "L1-icache-load-misses", "branch-misses",
		"r1a8", "cycles:u",
	};
	struct counted w;

	(void)state;
	need_counters();
	count_workload(&w, "cycles,task-clock,instructions,page-faults,"
		       "L1-icache-load-misses,branch-misses,context-switches,r1a8,cycles:u",
		       "--touch-pages", WORK_PAGES, 0);
	for (size_t i = 0; i < ARRAY_SIZE(hw); i++) {
		const struct counter_reading *r = reading(&w, hw[i]);

		assert_counted_or_unsupported(r);
	}
	assert_counted(reading(&w, "task-clock"));
	assert_counted(reading(&w, "context-switches"));
	assert_counted(reading(&w, "page-faults"));
	assert_true(reading(&w, "page-faults")->value >= WORK_PAGES);
	/* Group bookkeeping holds whatever opened. */
	for (size_t i = 0; i < w.c.nr; i++) {
		const struct counter *k = &w.c.ctr[i];

		if (k->fd < 0) {
			assert_int_equal(k->leader, -1);
			assert_true(k->err > 0);
			continue;
		}
		assert_int_equal(k->err, 0);
		assert_true(k->leader >= 0 && (size_t)k->leader <= i);
		assert_int_equal(w.c.ctr[k->leader].leader, k->leader);
		assert_int_equal(w.c.ctr[k->leader].ev.kind == EVENT_SOFTWARE,
				 k->ev.kind == EVENT_SOFTWARE);
	}
	counted_release(&w);
}

/*
 * EACCES: as root with perf_event_paranoid >= 2, a child that drops to
 * nobody is refused kernel counting. A plain event falls back to user
 * space; one with :k is denied, with the flag set for the hint.
 */
static void test_denied(void **state)
{
	int level = paranoid_level(), status;
	pid_t pid;

	(void)state;
	need_counters();
	if (geteuid() != 0 || level < 2)
		skip();
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct event_list l;
		struct counters c;
		int ok;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		event_list_init(&l);
		if (events_parse("task-clock,task-clock:k,task-clock:u", &l))
			_exit(11);
		if (counters_open(&c, &l, getpid()))
			_exit(12);
		ok = c.denied && c.ctr[1].fd < 0 && c.ctr[1].err == EACCES;
		if (level == 2)
			ok = ok && c.ctr[0].fd >= 0 && c.ctr[0].user_only &&
			     c.ctr[2].fd >= 0 && !c.ctr[2].user_only;
		else
			ok = ok && c.ctr[0].fd < 0 && c.ctr[2].fd < 0;
		counters_release(&c);
		event_list_release(&l);
		_exit(ok ? 0 : 13);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * A process that is gone cannot be counted: that is a failure, not
 * "unsupported"; counters.h: errno ESRCH and no line, for the caller to
 * tell a signal's kill from an error.
 */
static void test_no_such_process(void **state)
{
	struct event_list l;
	struct counters c;
	FILE *tmp;
	int saved;
	pid_t pid;

	(void)state;
	need_counters();
	pid = fork();
	assert_true(pid >= 0);
	if (!pid)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	event_list_init(&l);
	assert_int_equal(events_parse("task-clock", &l), 0);
	tmp = tmpfile();
	saved = dup(2);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	assert_int_equal(counters_open(&c, &l, pid), -1);
	assert_int_equal(errno, ESRCH);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	assert_int_equal(ftell(tmp), 0);
	fclose(tmp);
	assert_null(c.ctr);
	assert_int_equal(c.nr, 0);
	counters_release(&c); /* safe after a failed open */
	event_list_release(&l);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_names),
		cmocka_unit_test(test_parse_aliases),
		cmocka_unit_test(test_parse_modifiers),
		cmocka_unit_test(test_parse_raw),
		cmocka_unit_test(test_parse_unknown),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_cache_names),
		cmocka_unit_test(test_scaling),
		cmocka_unit_test(test_paranoid_hint),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_software_workload),
		cmocka_unit_test(test_harness_not_counted),
		cmocka_unit_test(test_inherit),
		cmocka_unit_test(test_hardware_either_way),
		cmocka_unit_test(test_denied),
		cmocka_unit_test(test_no_such_process),
	};
	ssize_t n;

	if (argc == 3 && !strncmp(argv[1], "--touch-pages", 13))
		return workload_main(argv[1], argv[2]);
	/* Read, not exec'd as is: under valgrind /proc/self/exe is valgrind. */
	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0)
		return 1;
	self_exe[n] = '\0';
	return cmocka_run_group_tests(tests, NULL, NULL);
}
