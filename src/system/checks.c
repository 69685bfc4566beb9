/*
 * checks: see checks.h. Each check below reads what it needs
 * through sysroot.c; N/A means the knob does not exist here (no cpufreq on
 * a VM, no intel_pstate on AMD), never that reading failed silently.
 */
#include "system/checks.h"
#include "system/knobs.h"
#include "measure/counters.h"
#include "formats/results.h"
#include "lib/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#define CPU_DIR "/sys/devices/system/cpu"

const char *check_state_name(enum check_state s)
{
	switch (s) {
	case CHECK_OK:
		return "OK";
	case CHECK_WARNING:
		return "WARNING";
	case CHECK_NA:
		break;
	}
	return "N/A";
}

void check_result_release(struct check_result *r)
{
	free(r->value);
	free(r->advice);
	memset(r, 0, sizeof(*r));
}

static void set_result(struct check_result *out, enum check_state state,
		       const char *advice, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set_result(struct check_result *out, enum check_state state,
		       const char *advice, const char *fmt, ...)
{
	va_list ap;

	out->state = state;
	va_start(ap, fmt);
	out->value = xvasprintf(fmt, ap);
	va_end(ap);
	out->advice = advice ? xstrdup(advice) : NULL;
	/* The advice is the one place that says whether tune can act here. */
	out->fixable = state == CHECK_WARNING && advice && strstr(advice, "steady system tune") &&
		       !strstr(advice, "isolate CPUs whose siblings");
}

int tune_write(struct tune_ctx *t, const char *path, const char *value)
{
	return tune_write_saving(t, path, value, NULL);
}

int tune_write_saving(struct tune_ctx *t, const char *path, const char *value,
		      const char *previous)
{
	char *old = previous ? xstrdup(previous) : sys_read(t->root, path);
	char *refused = NULL;
	const char *failure = NULL;

	if (old && !strcmp(old, value)) {
		free(old);
		return 0;
	}
	t->writes++;
	if (knob_write(t->root, path, value, &refused)) {
		failure = refused ? refused : strerror(errno);
		t->failed++;
	} else if (old) {
		system_state_remember(t->state, t->check, path, old);
	}
	if (t->report)
		t->report(t->report_ctx, path, old, value, failure);
	free(refused);
	free(old);
	return failure ? -1 : 0;
}

/* "0-3,6" from sorted distinct numbers. */
static char *cpu_list_format(const int *cpus, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (size_t i = 0; i < n; ) {
		size_t j = i;

		while (j + 1 < n && cpus[j + 1] == cpus[j] + 1)
			j++;
		fprintf(f, "%s%d", i ? "," : "", cpus[i]);
		if (j > i)
			fprintf(f, "-%d", cpus[j]);
		i = j + 1;
	}
	fclose(f);
	return buf;
}

static int has_cpu(const int *cpus, size_t n, int cpu)
{
	for (size_t i = 0; i < n; i++)
		if (cpus[i] == cpu)
			return 1;
	return 0;
}

/* The CPUs benchmarks should run on: the isolated ones, else all online. */
static size_t benchmark_cpus(const struct sysroot *r, int **cpus, int *isolated)
{
	char *s = sys_read(r, CPU_DIR "/isolated");
	size_t n = s ? cpu_list_parse(s, cpus) : 0;

	free(s);
	*isolated = n > 0;
	if (n)
		return n;
	return sys_online_cpus(r, cpus);
}

static char *cpu_file(int cpu, const char *rest)
{
	return xasprintf(CPU_DIR "/cpu%d/%s", cpu, rest);
}

/* ---- cpufreq: governor, min frequency ---- */

/* Reads cpuN/<file> of every online CPU; counts those that have it and
 * those whose value differs from want (want NULL: none differ). */
static size_t per_cpu_values(const struct sysroot *r, const char *file, const char *want,
			     size_t *differ, char **seen)
{
	int *cpus;
	size_t n = sys_online_cpus(r, &cpus), have = 0;

	*differ = 0;
	*seen = NULL;
	for (size_t i = 0; i < n; i++) {
		char *path = cpu_file(cpus[i], file), *v = sys_read(r, path);

		free(path);
		if (!v)
			continue;
		have++;
		if (want && strcmp(v, want))
			(*differ)++;
		if (!*seen)
			*seen = v;
		else if (strcmp(*seen, v) && !strstr(*seen, v)) {
			char *both = xasprintf("%s, %s", *seen, v);

			free(*seen);
			free(v);
			*seen = both;
		} else {
			free(v);
		}
	}
	free(cpus);
	return have;
}

static void show_governor(const struct sysroot *r, struct check_result *out)
{
	size_t differ;
	char *seen;
	size_t have = per_cpu_values(r, "cpufreq/scaling_governor", "performance", &differ, &seen);

	if (!have)
		set_result(out, CHECK_NA, "no cpufreq driver (common in VMs): the host sets the frequency",
			   "no cpufreq");
	else if (differ)
		set_result(out, CHECK_WARNING, "use the performance governor: steady system tune",
			   "%s on %zu of %zu CPUs", seen, differ, have);
	else
		set_result(out, CHECK_OK, NULL, "performance");
	free(seen);
}

static void tune_governor(struct tune_ctx *t)
{
	int *cpus;
	size_t n = sys_online_cpus(t->root, &cpus);

	for (size_t i = 0; i < n; i++) {
		char *path = cpu_file(cpus[i], "cpufreq/scaling_governor");

		if (sys_exists(t->root, path))
			tune_write(t, path, "performance");
		free(path);
	}
	free(cpus);
}

static void show_min_freq(const struct sysroot *r, struct check_result *out)
{
	int *cpus;
	size_t n = sys_online_cpus(r, &cpus), have = 0, low = 0;
	char *example = NULL;

	for (size_t i = 0; i < n; i++) {
		char *pmin = cpu_file(cpus[i], "cpufreq/scaling_min_freq");
		char *pmax = cpu_file(cpus[i], "cpufreq/scaling_max_freq");
		char *vmin = sys_read(r, pmin), *vmax = sys_read(r, pmax);

		if (vmin && vmax) {
			have++;
			if (atol(vmin) < atol(vmax)) {
				low++;
				if (!example)
					example = xasprintf("min %ld MHz < max %ld MHz", atol(vmin) / 1000,
							    atol(vmax) / 1000);
			}
		}
		free(pmin);
		free(pmax);
		free(vmin);
		free(vmax);
	}
	free(cpus);
	if (!have)
		set_result(out, CHECK_NA, "no cpufreq driver (common in VMs)", "no cpufreq");
	else if (low)
		set_result(out, CHECK_WARNING, "raise the minimum to the maximum: steady system tune",
			   "%s on %zu of %zu CPUs", example, low, have);
	else
		set_result(out, CHECK_OK, NULL, "min = max on %zu CPUs", have);
	free(example);
}

static void tune_min_freq(struct tune_ctx *t)
{
	int *cpus;
	size_t n = sys_online_cpus(t->root, &cpus);

	for (size_t i = 0; i < n; i++) {
		char *pmin = cpu_file(cpus[i], "cpufreq/scaling_min_freq");
		char *pmax = cpu_file(cpus[i], "cpufreq/scaling_max_freq");
		char *vmax = sys_read(t->root, pmax);

		if (vmax && sys_exists(t->root, pmin))
			tune_write(t, pmin, vmax);
		free(pmin);
		free(pmax);
		free(vmax);
	}
	free(cpus);
}

/* ---- turbo / boost ---- */

#define NO_TURBO CPU_DIR "/intel_pstate/no_turbo"
#define BOOST CPU_DIR "/cpufreq/boost"

static void show_turbo(const struct sysroot *r, struct check_result *out)
{
	char *v = sys_read(r, NO_TURBO);

	if (v) {
		if (!strcmp(v, "1"))
			set_result(out, CHECK_OK, NULL, "off (intel_pstate no_turbo = 1)");
		else
			set_result(out, CHECK_WARNING, "turn Turbo Boost off: steady system tune",
				   "on (intel_pstate no_turbo = %s)", v);
		free(v);
		return;
	}
	v = sys_read(r, BOOST);
	if (v) {
		if (!strcmp(v, "0"))
			set_result(out, CHECK_OK, NULL, "off (cpufreq boost = 0)");
		else
			set_result(out, CHECK_WARNING, "turn boost off: steady system tune",
				   "on (cpufreq boost = %s)", v);
		free(v);
		return;
	}
	set_result(out, CHECK_NA, "no intel_pstate or cpufreq boost control here",
		   "no turbo control");
}

static void tune_turbo(struct tune_ctx *t)
{
	if (sys_exists(t->root, NO_TURBO))
		tune_write(t, NO_TURBO, "1");
	else if (sys_exists(t->root, BOOST))
		tune_write(t, BOOST, "0");
}

/* ---- isolated CPUs: isolcpus, nohz_full, rcu_nocbs ---- */

/* The value of name= on the kernel command line, or NULL. */
static char *cmdline_value(const struct sysroot *r, const char *name)
{
	char *cmd = sys_read(r, "/proc/cmdline"), *found = NULL;
	size_t len = strlen(name);

	for (char *p = cmd; p && *p; ) {
		char *end = p + strcspn(p, " \t");

		if (!strncmp(p, name, len) && p[len] == '=') {
			free(found);
			found = xasprintf("%.*s", (int)(end - p - len - 1), p + len + 1);
		}
		p = end + strspn(end, " \t");
	}
	free(cmd);
	return found;
}

static void show_isolated(const struct sysroot *r, struct check_result *out)
{
	char *isolated = sys_read(r, CPU_DIR "/isolated");
	char *nohz = sys_read(r, CPU_DIR "/nohz_full");
	char *rcu = cmdline_value(r, "rcu_nocbs");
	int *cpus;
	int any = isolated && cpu_list_parse(isolated, &cpus);

	if (any)
		free(cpus);
	if (!isolated && !sys_exists(r, "/proc/cmdline")) {
		set_result(out, CHECK_NA, NULL, "cannot read %s/isolated or /proc/cmdline", CPU_DIR);
		free(nohz);
		free(rcu);
		return;
	}
	if (!nohz)
		nohz = cmdline_value(r, "nohz_full");
	if (nohz && !strcmp(nohz, "(null)")) {
		free(nohz);
		nohz = NULL;
	}
	if (!any)
		set_result(out, CHECK_WARNING,
			   "boot with isolcpus=N nohz_full=N rcu_nocbs=N and run with --cpu N",
			   "none (nohz_full %s, rcu_nocbs %s)", nohz ? nohz : "off", rcu ? rcu : "off");
	else if (!nohz || !rcu)
		set_result(out, CHECK_WARNING,
			   "add nohz_full= and rcu_nocbs= for the isolated CPUs to the kernel command line",
			   "isolcpus %s, nohz_full %s, rcu_nocbs %s", isolated,
			   nohz ? nohz : "off", rcu ? rcu : "off");
	else
		set_result(out, CHECK_OK, NULL, "isolcpus %s, nohz_full %s, rcu_nocbs %s",
			   isolated, nohz, rcu);
	free(isolated);
	free(nohz);
	free(rcu);
}

/* ---- ASLR ---- */

#define ASLR "/proc/sys/kernel/randomize_va_space"

static void show_aslr(const struct sysroot *r, struct check_result *out)
{
	char *v = sys_read(r, ASLR);

	if (!v)
		set_result(out, CHECK_NA, NULL, "cannot read " ASLR);
	else if (!strcmp(v, "2"))
		set_result(out, CHECK_OK, NULL, "full (2)");
	else
		set_result(out, CHECK_WARNING,
			   "steady varies the layout on purpose; a fixed layout can pass for a result: steady system tune",
			   "%s (%s)", !strcmp(v, "0") ? "off" : "partial", v);
	free(v);
}

static void tune_aslr(struct tune_ctx *t)
{
	if (sys_exists(t->root, ASLR))
		tune_write(t, ASLR, "2");
}

/* ---- perf sampling rate ---- */

#define SAMPLE_RATE "/proc/sys/kernel/perf_event_max_sample_rate"

static void show_sample_rate(const struct sysroot *r, struct check_result *out)
{
	char *v = sys_read(r, SAMPLE_RATE);

	if (!v)
		set_result(out, CHECK_NA, NULL, "no perf events in this kernel");
	else if (atol(v) <= 1)
		set_result(out, CHECK_OK, NULL, "%s per second", v);
	else
		set_result(out, CHECK_WARNING,
			   "perf sampling interrupts can steal time from the benchmark: steady system tune sets 1",
			   "%s per second", v);
	free(v);
}

static void tune_sample_rate(struct tune_ctx *t)
{
	if (sys_exists(t->root, SAMPLE_RATE))
		tune_write(t, SAMPLE_RATE, "1");
}

/* ---- processes: irqbalance, busy ones ---- */

/* Calls fn for every process in /proc with its comm and its state letter. */
static int each_process(const struct sysroot *r,
			void (*fn)(void *ctx, long pid, const char *comm, char state), void *ctx)
{
	char *dir = sys_path(r, "/proc");
	DIR *d = opendir(dir);
	struct dirent *e;

	free(dir);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char *path, *stat, *open, *close;
		long pid;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = atol(e->d_name);
		path = xasprintf("/proc/%ld/stat", pid);
		stat = sys_read(r, path);
		free(path);
		if (!stat)
			continue;
		/* "pid (comm) S ...": comm may hold spaces and parentheses */
		open = strchr(stat, '(');
		close = strrchr(stat, ')');
		if (open && close && close > open && close[1] == ' ') {
			*close = '\0';
			fn(ctx, pid, open + 1, close[2]);
		}
		free(stat);
	}
	closedir(d);
	return 0;
}

static void find_irqbalance(void *ctx, long pid, const char *comm, char state)
{
	(void)pid;
	(void)state;
	if (!strcmp(comm, "irqbalance"))
		*(int *)ctx = 1;
}

static void show_irqbalance(const struct sysroot *r, struct check_result *out)
{
	int running = 0;

	if (each_process(r, find_irqbalance, &running))
		set_result(out, CHECK_NA, NULL, "cannot list /proc");
	else if (running)
		set_result(out, CHECK_WARNING,
			   "irqbalance moves interrupts onto the benchmark CPUs: systemctl stop irqbalance",
			   "running");
	else
		set_result(out, CHECK_OK, NULL, "not running");
}

struct busy {
	long self;
	size_t n;
	char list[256];
};

static void find_busy(void *ctx, long pid, const char *comm, char state)
{
	struct busy *b = ctx;
	size_t len = strlen(b->list);

	if (state != 'R' || pid == b->self)
		return;
	b->n++;
	if (len + strlen(comm) + 16 < sizeof(b->list))
		snprintf(b->list + len, sizeof(b->list) - len, "%s%s[%ld]", len ? ", " : "",
			 comm, pid);
}

static void show_load(const struct sysroot *r, struct check_result *out)
{
	char *load = sys_read(r, "/proc/loadavg");
	int *cpus;
	size_t ncpu = sys_online_cpus(r, &cpus);
	struct busy b = { .self = getpid() };
	double one = load ? atof(load) : 0;

	free(cpus);
	if (!load) {
		set_result(out, CHECK_NA, NULL, "cannot read /proc/loadavg");
		return;
	}
	/* In a fake tree, our pid means nothing: no process is "us". */
	if (r->dir && *r->dir)
		b.self = -1;
	each_process(r, find_busy, &b);
	load[strcspn(load, " ")] = '\0';
	if (b.n || (ncpu && one >= 0.5 * (double)ncpu))
		set_result(out, CHECK_WARNING,
			   "other work competes for the CPUs: stop it, or pin the benchmark with --cpu",
			   "load %s on %zu CPUs; running: %s", load, ncpu, b.n ? b.list : "none");
	else
		set_result(out, CHECK_OK, NULL, "load %s on %zu CPUs; no other process running",
			   load, ncpu);
	free(load);
}

/* ---- IRQ affinity ---- */

/* "f" style hex mask of every online CPU except those in skip. */
static char *mask_without(const int *online, size_t n, const int *skip, size_t nskip)
{
	unsigned char bits[128] = { 0 };
	int top = 0;
	char *s;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (online[i] >= 1024 || has_cpu(skip, nskip, online[i]))
			continue;
		bits[online[i] / 8] |= (unsigned char)(1u << (online[i] % 8));
		if (online[i] > top)
			top = online[i];
	}
	s = xcalloc((size_t)top / 4 + 2, 1);
	for (int nib = top / 4; nib >= 0; nib--) {
		int v = (bits[nib / 2] >> ((nib % 2) * 4)) & 0xf;

		s[k++] = "0123456789abcdef"[v];
	}
	return s;
}

static void show_irq_affinity(const struct sysroot *r, struct check_result *out)
{
	int *cpus, isolated;
	size_t n = benchmark_cpus(r, &cpus, &isolated), bad = 0, irqs = 0;
	char *dir = sys_path(r, "/proc/irq");
	DIR *d;
	struct dirent *e;

	if (!isolated) {
		set_result(out, CHECK_NA, "isolate CPUs first (see isolated CPUs)",
			   "no isolated CPUs to keep interrupts off");
		goto out;
	}
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		char *path, *list;
		int *irq_cpus;
		size_t m;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		path = xasprintf("/proc/irq/%s/smp_affinity_list", e->d_name);
		list = sys_read(r, path);
		free(path);
		if (!list)
			continue;
		irqs++;
		m = cpu_list_parse(list, &irq_cpus);
		for (size_t i = 0; i < m; i++)
			if (has_cpu(cpus, n, irq_cpus[i])) {
				bad++;
				break;
			}
		free(irq_cpus);
		free(list);
	}
	if (d)
		closedir(d);
	if (bad)
		set_result(out, CHECK_WARNING, "keep interrupts off the isolated CPUs: steady system tune",
			   "%zu of %zu IRQs may run on isolated CPUs", bad, irqs);
	else
		set_result(out, CHECK_OK, NULL, "no IRQ on the isolated CPUs (%zu IRQs)", irqs);
out:
	free(dir);
	free(cpus);
}

static void tune_irq_affinity(struct tune_ctx *t)
{
	int *iso, *online, isolated;
	size_t niso = benchmark_cpus(t->root, &iso, &isolated);
	size_t n = sys_online_cpus(t->root, &online);
	char *mask, *dir;
	DIR *d;
	struct dirent *e;

	if (!isolated || niso >= n) {
		free(iso);
		free(online);
		return;
	}
	mask = mask_without(online, n, iso, niso);
	tune_write(t, "/proc/irq/default_smp_affinity", mask);
	dir = sys_path(t->root, "/proc/irq");
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		char *path;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		path = xasprintf("/proc/irq/%s/smp_affinity", e->d_name);
		if (sys_exists(t->root, path))
			tune_write(t, path, mask);
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
	free(mask);
	free(iso);
	free(online);
}

/* ---- SMT siblings ---- */

/* Online siblings of the benchmark CPUs that are not benchmark CPUs. */
static size_t busy_siblings(const struct sysroot *r, int **out)
{
	int *cpus, *online, isolated;
	size_t n = benchmark_cpus(r, &cpus, &isolated), nonline = sys_online_cpus(r, &online);
	size_t k = 0, alloc = 0;

	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		char *path = cpu_file(cpus[i], "topology/thread_siblings_list");
		char *list = sys_read(r, path);
		int *sib;
		size_t m = list ? cpu_list_parse(list, &sib) : 0;

		for (size_t j = 0; j < m; j++) {
			if (sib[j] == cpus[i] || !has_cpu(online, nonline, sib[j]) ||
			    has_cpu(*out, k, sib[j]))
				continue;
			/* Without isolation every online CPU is a benchmark CPU:
			 * a sibling pair among them still shares a core. */
			if (isolated && has_cpu(cpus, n, sib[j]))
				continue;
			/* Without isolation, name each shared core once: by
			 * its higher-numbered thread. */
			if (!isolated && sib[j] < cpus[i])
				continue;
			ALLOC_GROW(*out, k + 1, alloc);
			(*out)[k++] = sib[j];
		}
		if (m)
			free(sib);
		free(path);
		free(list);
	}
	free(cpus);
	free(online);
	return k;
}

static int by_number(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void show_smt(const struct sysroot *r, struct check_result *out)
{
	int *sib, *cpus, isolated;
	size_t n = busy_siblings(r, &sib);
	size_t nb = benchmark_cpus(r, &cpus, &isolated);
	char *control = sys_read(r, CPU_DIR "/smt/control");

	free(cpus);
	if (!nb) {
		set_result(out, CHECK_NA, NULL, "cannot read the CPU topology");
	} else if (n) {
		char *list;

		qsort(sib, n, sizeof(*sib), by_number);
		list = cpu_list_format(sib, n);
		set_result(out, CHECK_WARNING,
			   isolated ? "take the siblings offline: steady system tune"
				    : "boot with nosmt, or isolate CPUs whose siblings steady system tune can take offline",
			   "siblings online: %s", list);
		free(list);
	} else {
		set_result(out, CHECK_OK, NULL, "no sibling shares a core with the %s CPUs%s%s%s",
			   isolated ? "isolated" : "online", control ? " (smt " : "",
			   control ? control : "", control ? ")" : "");
	}
	free(sib);
	free(control);
}

static void tune_smt(struct tune_ctx *t)
{
	int *sib, *cpus, isolated;
	size_t n, nb = benchmark_cpus(t->root, &cpus, &isolated);

	free(cpus);
	if (!isolated || !nb)
		return;
	n = busy_siblings(t->root, &sib);
	for (size_t i = 0; i < n; i++) {
		char *path = cpu_file(sib[i], "online");

		tune_write(t, path, "0");
		free(path);
	}
	free(sib);
}

/* ---- transparent huge pages ---- */

#define THP "/sys/kernel/mm/transparent_hugepage/enabled"

static void show_thp(const struct sysroot *r, struct check_result *out)
{
	char *v = sys_read(r, THP);
	char *open = v ? strchr(v, '[') : NULL, *close = open ? strchr(open, ']') : NULL;
	const char *choice = NULL;

	/* The kernel shows "always [madvise] never"; a bare word is the choice too. */
	if (open && close) {
		*close = '\0';
		choice = open + 1;
	} else if (v && *v && !strchr(v, ' ')) {
		choice = v;
	}
	if (!choice)
		set_result(out, CHECK_NA, NULL, "no transparent huge pages");
	else if (!strcmp(choice, "always"))
		set_result(out, CHECK_WARNING,
			   "khugepaged compacts memory behind the benchmark's back: steady system tune sets madvise",
			   "always");
	else
		set_result(out, CHECK_OK, NULL, "%s", choice);
	free(v);
}

static void tune_thp(struct tune_ctx *t)
{
	char *v = sys_read(t->root, THP);

	/* The file shows "[always] madvise never": the choice is what reset
	 * must write back, not the whole line. */
	if (v && strstr(v, "[always]"))
		tune_write_saving(t, THP, "madvise", "always");
	free(v);
}

/* ---- swap ---- */

static long meminfo_kb(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? atol(p + strlen(key)) : -1;
}

static void show_swap(const struct sysroot *r, struct check_result *out)
{
	char *m = sys_read_all(r, "/proc/meminfo");
	long total, free_kb;

	if (!m) {
		set_result(out, CHECK_NA, NULL, "cannot read /proc/meminfo");
		return;
	}
	total = meminfo_kb(m, "\nSwapTotal:");
	free_kb = meminfo_kb(m, "\nSwapFree:");
	free(m);
	if (total <= 0)
		set_result(out, CHECK_OK, NULL, "no swap");
	else if (total - free_kb > 0)
		set_result(out, CHECK_WARNING,
			   "pages of the benchmark may come back from disk: free memory or swapoff -a",
			   "%ld MiB in use", (total - free_kb) / 1024);
	else
		set_result(out, CHECK_OK, NULL, "none in use (%ld MiB)", total / 1024);
}

/* ---- hypervisor ---- */

/* The hypervisor's name from cpuid (x86), only on the real machine. */
static const char *cpuid_hypervisor(const struct sysroot *r)
{
#if defined(__x86_64__) || defined(__i386__)
	static char vendor[13];
	unsigned a, b, c, d;

	if (r->dir && *r->dir)
		return NULL;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
		return NULL;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &c, 4);
	memcpy(vendor + 8, &d, 4);
	vendor[12] = '\0';
	{
		static const char *const known[][2] = {
			{ "KVMKVMKVM", "KVM" }, { "Microsoft Hv", "Hyper-V" },
			{ "VMwareVMware", "VMware" }, { "XenVMMXenVMM", "Xen" },
			{ "TCGTCGTCGTCG", "QEMU (TCG)" }, { "bhyve bhyve ", "bhyve" },
			{ "ACRNACRNACRN", "ACRN" }, { " lrpepyh  vr", "Parallels" },
		};

		for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
			if (!strncmp(vendor, known[i][0], strlen(known[i][0])))
				return known[i][1];
	}
	return *vendor ? vendor : "unknown";
#else
	(void)r;
	return NULL;
#endif
}

/* 1 unless this (real) machine refuses to count cycles. */
static int hardware_counters(const struct sysroot *r)
{
	const struct event *cycles = events_find("cycles");

	if (r->dir && *r->dir)
		return 1;
	return cycles && events_probe(cycles);
}

static void show_hypervisor(const struct sysroot *r, struct check_result *out)
{
	char *cpuinfo = sys_read_all(r, "/proc/cpuinfo");
	char *type = sys_read(r, "/sys/hypervisor/type");
	char *vendor = sys_read(r, "/sys/class/dmi/id/sys_vendor");
	char *stat = sys_read(r, "/proc/stat");
	const char *cpuid = cpuid_hypervisor(r);
	int flag = cpuinfo && strstr(cpuinfo, " hypervisor");
	const char *name = type ? type : cpuid;
	unsigned long long f[8] = { 0 }, all = 0;

	/* cpu  user nice system idle iowait irq softirq steal */
	if (stat && sscanf(stat, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2],
			   &f[3], &f[4], &f[5], &f[6], &f[7]) == 8)
		for (int i = 0; i < 8; i++)
			all += f[i];
	if (!cpuinfo && !type && !vendor && !cpuid) {
		set_result(out, CHECK_NA, NULL, "cannot read /proc/cpuinfo, /sys/hypervisor or DMI");
	} else if (flag || type || cpuid) {
		set_result(out, CHECK_WARNING,
			   "hardware counters are usually missing and the host's load shows as steal time: "
			   "prefer bare metal, or compare only interleaved runs (steady compare)",
			   "%s%s%s; steal %.1f%% since boot%s", name ? name : "a hypervisor",
			   vendor ? " on " : "", vendor ? vendor : "",
			   all ? 100.0 * (double)f[7] / (double)all : 0.0,
			   hardware_counters(r) ? "" : "; no hardware counters");
	} else {
		set_result(out, CHECK_OK, NULL, "bare metal");
	}
	free(cpuinfo);
	free(type);
	free(vendor);
	free(stat);
}

static const struct system_check checks[] = {
	{ "cpu-governor", "CPU frequency governor", show_governor, tune_governor },
	{ "turbo", "Turbo / boost", show_turbo, tune_turbo },
	{ "min-frequency", "Minimum CPU frequency", show_min_freq, tune_min_freq },
	{ "isolated-cpus", "Isolated CPUs (isolcpus, nohz_full, rcu_nocbs)", show_isolated, NULL },
	{ "aslr", "Address space randomisation", show_aslr, tune_aslr },
	{ "perf-sample-rate", "perf_event_max_sample_rate", show_sample_rate, tune_sample_rate },
	{ "irqbalance", "irqbalance", show_irqbalance, NULL },
	{ "irq-affinity", "IRQ affinity", show_irq_affinity, tune_irq_affinity },
	{ "smt", "SMT siblings of the benchmark CPUs", show_smt, tune_smt },
	{ "thp", "Transparent huge pages", show_thp, tune_thp },
	{ "swap", "Swap", show_swap, NULL },
	{ "load", "Load and busy processes", show_load, NULL },
	{ "hypervisor", "Hypervisor", show_hypervisor, NULL },
};

const struct system_check *system_checks(size_t *nr)
{
	*nr = sizeof(checks) / sizeof(*checks);
	return checks;
}

char **system_warnings(const struct sysroot *r, size_t *nr)
{
	char **out = NULL;
	size_t n = 0, alloc = 0;

	for (size_t i = 0; i < sizeof(checks) / sizeof(*checks); i++) {
		struct check_result res;

		memset(&res, 0, sizeof(res));
		checks[i].show(r, &res);
		if (res.state == CHECK_WARNING) {
			ALLOC_GROW(out, n + 1, alloc);
			out[n++] = xasprintf("%s: %s", checks[i].name, res.value);
		}
		check_result_release(&res);
	}
	*nr = n;
	return out;
}

void system_record(struct results *r)
{
	struct sysroot real = { "" };
	char *names = NULL;
	size_t len = 0;
	FILE *f;

	r->system_warnings = system_warnings(&real, &r->nr_system_warnings);
	r->system_checked = 1;
	if (!r->nr_system_warnings)
		return;
	f = open_memstream(&names, &len);
	for (size_t i = 0; i < r->nr_system_warnings; i++) {
		const char *w = r->system_warnings[i];

		/* the name only: "hypervisor: KVM; ..." -> "hypervisor" */
		fprintf(f, "%s%.*s", i ? ", " : "", (int)strcspn(w, ":"), w);
	}
	fclose(f);
	for (size_t i = 0; i < r->nr_benchmarks; i++)
		benchmark_add_warning(&r->benchmarks[i], "machine not tuned for benchmarking (%s): see 'steady system show'",
				      names);
	free(names);
}
