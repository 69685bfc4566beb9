/*
 * Unit tests for sampler.c with real processes and real perf_event_open:
 * the workload is this binary itself, exec'd with "--hot MS" (or the
 * -fork / -thread variants), which calls hot_a and hot_b with three times
 * as much work for hot_a until MS ms of CPU time are spent. Samples are
 * placed in hot_a or hot_b by file offset: the child's ip through its
 * MMAP2 record (ip - start + pgoff), our own copy of the functions through
 * /proc/self/maps, their sizes from nm -S. Where perf_event_open itself is
 * missing (an old valgrind, a seccomp filter), the tests are skipped.
 */
#include "unit_fixture.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/perf_event.h>

#include "measure/sampler.h"
#include "measure/spawn.h"

extern char **environ;

static char self_exe[PATH_MAX];
static char self_real[PATH_MAX];

/* ---- the workload side ---- */

static volatile uint64_t sink;

__attribute__((noinline, noclone)) void sampler_hot_a(unsigned n);
__attribute__((noinline, noclone)) void sampler_hot_b(unsigned n);

__attribute__((noinline, noclone)) void sampler_hot_a(unsigned n)
{
	uint64_t x = sink | 1;

	for (unsigned i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	sink = x;
}

__attribute__((noinline, noclone)) void sampler_hot_b(unsigned n)
{
	uint64_t x = sink | 2;

	for (unsigned i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	sink = x;
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *hot(void *arg)
{
	uint64_t end = thread_cpu_ns() + *(long *)arg * 1000000u;

	while (thread_cpu_ns() < end)
		for (int i = 0; i < 100; i++) {
			sampler_hot_a(3000);
			sampler_hot_b(1000);
		}
	return NULL;
}

static int workload_main(const char *mode, const char *ms_arg)
{
	long ms = strtol(ms_arg, NULL, 10);

	if (!strcmp(mode, "--hot")) {
		hot(&ms);
		return 0;
	}
	if (!strcmp(mode, "--hot-fork")) {
		pid_t pid = fork();
		int status;

		if (pid < 0)
			return 1;
		hot(&ms);
		if (!pid)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid)
			return 1;
		return !WIFEXITED(status) || WEXITSTATUS(status);
	}
	if (!strcmp(mode, "--hot-thread")) {
		pthread_t t;

		if (pthread_create(&t, NULL, hot, &ms))
			return 1;
		hot(&ms);
		return pthread_join(t, NULL) != 0;
	}
	return 2;
}

/* ---- the harness side ---- */

static int perf_available(void)
{
	struct perf_event_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0) {
		print_message("perf_event_open unavailable here (%s): sampler tests skipped\n",
			      strerror(errno));
		return 0;
	}
	close((int)fd);
	return 1;
}

/*
 * Samples this binary run in mode for ms ms of CPU time, with o; drains
 * every 10 ms while it runs unless drain_at_end.
 */
static void sample_workload(struct sampler_result *res, const char *mode, long ms,
			    const struct sampler_options *o, int drain_at_end)
{
	struct spawner sp;
	struct child_process cp = CHILD_PROCESS_INIT;
	struct run_sample run;
	struct sampler s;
	char arg[32];
	char *argv[] = { self_exe, (char *)mode, arg, NULL };
	siginfo_t si;

	snprintf(arg, sizeof(arg), "%ld", ms);
	assert_int_equal(spawner_init(&sp, 0, 0), 0);
	cp.spawner = &sp;
	cp.path = self_exe;
	cp.argv = argv;
	cp.envp = environ;
	cp.before_exec = CHILD_AWAIT_GO;
	assert_int_equal(start_command(&cp), 0);
	if (sampler_open(&s, cp.pid, o)) {
		abort_command(&cp, 0);
		spawner_release(&sp);
		fail_msg("sampler_open failed");
	}
	command_go(&cp);
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)cp.pid, &si, WEXITED | WNOHANG | WNOWAIT) || si.si_pid)
			break;
		if (!drain_at_end)
			sampler_drain(&s, res);
		usleep(10000);
	}
	assert_int_equal(finish_command(&cp, &run), SPAWN_OK);
	assert_int_equal(run.exit_code, 0);
	sampler_drain(&s, res);
	sampler_close(&s);
	spawner_release(&sp);
}

/* Where fn lies in self_exe: its file offset and size (nm -S). */
static void function_range(void (*fn)(unsigned), const char *name,
			   uint64_t *off, uint64_t *size)
{
	uintptr_t addr = (uintptr_t)fn;
	char line[PATH_MAX + 128], sym[256];
	unsigned long long start, end, pgoff, value, sz;
	char type;
	char *cmd;
	FILE *f;
	int found = 0;

	f = fopen("/proc/self/maps", "r");
	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-%llx %*s %llx", &start, &end, &pgoff) == 3 &&
		    addr >= start && addr < end) {
			*off = addr - start + pgoff;
			found = 1;
		}
	fclose(f);
	assert_true(found);

	found = 0;
	cmd = xasprintf("nm -S '%s'", self_exe);
	f = popen(cmd, "r");
	free(cmd);
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %llx %c %255s", &value, &sz, &type, sym) == 4 &&
		    !strcmp(sym, name)) {
			*size = sz;
			found = 1;
		}
	pclose(f);
	if (!found)
		fail_msg("nm -S found no size for %s", name);
}

/* The file offset in self_exe of a sample's ip, or UINT64_MAX. */
static uint64_t sample_offset(const struct sampler_result *r, const struct sample *sm)
{
	const struct sampler_mapping *m = sampler_find_mapping(r, sm->pid, sm->ip);

	if (!m || strcmp(m->path, self_real))
		return UINT64_MAX;
	return sm->ip - m->start + m->pgoff;
}

static void count_ab(const struct sampler_result *r, size_t *a, size_t *b)
{
	uint64_t off_a, size_a, off_b, size_b;

	function_range(sampler_hot_a, "sampler_hot_a", &off_a, &size_a);
	function_range(sampler_hot_b, "sampler_hot_b", &off_b, &size_b);
	*a = *b = 0;
	for (size_t i = 0; i < r->nr; i++) {
		uint64_t off = sample_offset(r, &r->samples[i]);

		if (off - off_a < size_a)
			(*a)++;
		else if (off - off_b < size_b)
			(*b)++;
	}
}

static void test_ratio(void **state)
{
	struct sampler_options o = { .freq_hz = 4000, .ring_pages = 64 };
	struct sampler_result r = SAMPLER_RESULT_INIT;
	size_t a, b;
	double frac;

	(void)state;
	if (!perf_available())
		skip();
	sample_workload(&r, "--hot", 600, &o, 0);
	print_message("event %s: %zu samples, %zu mappings, lost %llu, throttled %llu\n",
		      r.event, r.nr, r.nr_maps, (unsigned long long)r.lost,
		      (unsigned long long)r.throttled);
	assert_non_null(r.event);
	assert_true(r.nr > 500);
	assert_true(r.nr_maps > 0);
	count_ab(&r, &a, &b);
	frac = (double)a / (double)(a + b);
	print_message("hot_a %zu, hot_b %zu: %.3f in hot_a\n", a, b, frac);
	assert_true(a + b > r.nr / 2);
	assert_true(frac > 0.65 && frac < 0.85);
	sampler_result_release(&r);
}

static void test_callchain(void **state)
{
	struct sampler_options o = { .freq_hz = 1000, .callchain = 1 };
	struct sampler_result r = SAMPLER_RESULT_INIT;
	size_t with_chain = 0;

	(void)state;
	if (!perf_available())
		skip();
	sample_workload(&r, "--hot", 200, &o, 0);
	assert_true(r.nr > 50);
	for (size_t i = 0; i < r.nr; i++) {
		const struct sample *sm = &r.samples[i];

		assert_true(sm->callchain + sm->nr_callchain <= r.nr_callchains);
		with_chain += sm->nr_callchain > 0;
	}
	assert_true(with_chain > r.nr / 2);
	sampler_result_release(&r);
}

static void test_lost(void **state)
{
	struct sampler_options o = { .freq_hz = 50000, .ring_pages = 1 };
	struct sampler_result r = SAMPLER_RESULT_INIT;

	(void)state;
	if (!perf_available())
		skip();
	sample_workload(&r, "--hot", 500, &o, 1);
	print_message("tiny ring: %zu samples kept, %llu lost, %llu throttled\n",
		      r.nr, (unsigned long long)r.lost, (unsigned long long)r.throttled);
	assert_true(r.lost > 0);
	/* What was kept fits in one page per CPU (a sample record is 32 bytes). */
	assert_true(r.nr <= (size_t)sysconf(_SC_NPROCESSORS_ONLN) * 4096 / 32);
	sampler_result_release(&r);
}

/*
 * A small ring drained while the child runs: records go round its end many
 * times, and those that straddle it must come out whole.
 */
static void test_wrap(void **state)
{
	struct sampler_options o = { .freq_hz = 2000, .ring_pages = 1 };
	struct sampler_result r = SAMPLER_RESULT_INIT;
	size_t a, b;

	(void)state;
	if (!perf_available())
		skip();
	sample_workload(&r, "--hot", 400, &o, 0);
	print_message("small ring drained: %zu samples, %llu lost\n", r.nr,
		      (unsigned long long)r.lost);
	assert_true(r.nr > 400);
	count_ab(&r, &a, &b);
	/* A torn record would put samples outside both functions. */
	assert_true(a + b > r.nr * 9 / 10);
	sampler_result_release(&r);
}

static size_t distinct(const struct sampler_result *r, int by_tid)
{
	uint32_t seen[16];
	size_t nr = 0;

	for (size_t i = 0; i < r->nr; i++) {
		uint32_t id = by_tid ? r->samples[i].tid : r->samples[i].pid;
		size_t j = 0;

		while (j < nr && seen[j] != id)
			j++;
		if (j == nr && nr < ARRAY_SIZE(seen))
			seen[nr++] = id;
	}
	return nr;
}

static void test_fork(void **state)
{
	struct sampler_options o = { .freq_hz = 4000 };
	struct sampler_result r = SAMPLER_RESULT_INIT;
	size_t a, b;

	(void)state;
	if (!perf_available())
		skip();
	sample_workload(&r, "--hot-fork", 300, &o, 0);
	/*
	 * At least the parent and its child: under ASan, LeakSanitizer's
	 * check at exit runs in a task of its own, sampled too.
	 */
	assert_true(distinct(&r, 0) >= 2);
	/* The forked child has no MMAP2 records of its own: its parent's serve. */
	count_ab(&r, &a, &b);
	assert_true(a + b > r.nr / 2);
	sampler_result_release(&r);
}

static void test_thread(void **state)
{
	struct sampler_options o = { .freq_hz = 4000 };
	struct sampler_result r = SAMPLER_RESULT_INIT;

	(void)state;
	if (!perf_available())
		skip();
	sample_workload(&r, "--hot-thread", 300, &o, 0);
	/* one process, two threads (LeakSanitizer's exit task may add one more, see above) */
	assert_true(distinct(&r, 0) >= 1);
	assert_true(distinct(&r, 1) >= 2);
	sampler_result_release(&r);
}

static void test_unknown_event(void **state)
{
	struct sampler_options o = { .event = "no-such-event" };
	struct sampler s;
	char *msg;
	int ret;

	(void)state;
	CAPTURE(ret, msg, sampler_open(&s, getpid(), &o));
	assert_int_equal(ret, -1);
	check_message(msg, "unknown event 'no-such-event'");
}

static void test_no_such_process(void **state)
{
	struct sampler_options o = { .event = "cpu-clock" };
	struct sampler s;
	char *msg;
	int ret, err;

	(void)state;
	if (!perf_available())
		skip();
	/* sampler.h: gone is ESRCH and no line; the caller knows why it went */
	/* errno read inside the capture: its own calls may change it */
	CAPTURE(ret, msg, (ret = sampler_open(&s, 999999999, &o), err = errno, ret));
	assert_int_equal(ret, -1);
	assert_int_equal(err, ESRCH);
	assert_string_equal(msg, "");
	free(msg);
}

/*
 * A forked child that did not exec runs its parent's code: its addresses
 * are looked up in its parent's mappings, never in those of a sibling that
 * exec'd another non-PIE program at the same address.
 */
static void test_fork_chain_mappings(void **state)
{
	struct sampler_mapping maps[] = {
		{ .pid = 10, .start = 0x400000, .len = 0x2000, .path = "/parent" },
		{ .pid = 12, .start = 0x400000, .len = 0x2000, .path = "/sibling" },
		{ .pid = 12, .start = 0x7f0000, .len = 0x1000, .path = "/lib" },
	};
	struct sampler_fork forks[] = { { 11, 10 }, { 12, 10 }, { 14, 11 } };
	struct sampler_result r = SAMPLER_RESULT_INIT;
	const struct sampler_mapping *m;

	(void)state;
	r.maps = maps;
	r.nr_maps = 3;
	r.forks = forks;
	r.nr_forks = 3;
	m = sampler_find_mapping(&r, 11, 0x400010);
	assert_non_null(m);
	assert_string_equal(m->path, "/parent");
	/* a grandchild, two forks down */
	m = sampler_find_mapping(&r, 14, 0x401000);
	assert_non_null(m);
	assert_string_equal(m->path, "/parent");
	m = sampler_find_mapping(&r, 12, 0x400010);
	assert_string_equal(m->path, "/sibling");
	/* the sibling's library is not its parent's nor its sibling's */
	assert_null(sampler_find_mapping(&r, 11, 0x7f0010));
	/* a process no record names */
	assert_null(sampler_find_mapping(&r, 99, 0x400010));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork_chain_mappings),
		cmocka_unit_test(test_ratio),
		cmocka_unit_test(test_callchain),
		cmocka_unit_test(test_lost),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_fork),
		cmocka_unit_test(test_thread),
		cmocka_unit_test(test_unknown_event),
		cmocka_unit_test(test_no_such_process),
	};
	ssize_t n;

	if (argc == 3 && !strncmp(argv[1], "--hot", 5))
		return workload_main(argv[1], argv[2]);
	/* Read, not exec'd as is: under valgrind /proc/self/exe is valgrind. */
	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0)
		return 1;
	self_exe[n] = '\0';
	if (!realpath(self_exe, self_real))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
