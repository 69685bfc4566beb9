/*
 * sampler: see sampler.h. perf_event_open(2) through syscall(2), one
 * inherited event per online CPU, each with its ring buffer: a metadata
 * page (struct perf_event_mmap_page) followed by 2^n data pages that the
 * kernel fills at data_head and we consume at data_tail.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>

#include "lib/util.h"
#include "measure/counters.h"
#include "measure/sampler.h"

#define DEFAULT_FREQ 4000
#define DEFAULT_RING_PAGES 64
#define ONLINE_PATH "/sys/devices/system/cpu/online"
#define MAX_RATE_PATH "/proc/sys/kernel/perf_event_max_sample_rate"
#define MLOCK_PATH "/proc/sys/kernel/perf_event_mlock_kb"
#define MIN_RING_PAGES 8

static int open_event(struct perf_event_attr *attr, pid_t pid, int cpu)
{
	long fd;

	do
		fd = syscall(SYS_perf_event_open, attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return (int)fd;
}

/*
 * The online CPUs ("0-3,5"), into *cpus (the caller frees). Falls back to
 * 0..nprocs-1 when sysfs cannot be read.
 */
static size_t online_cpus(int **cpus)
{
	FILE *f = fopen(ONLINE_PATH, "r");
	size_t nr = 0, alloc = 0;
	int a, b;
	char sep;

	*cpus = NULL;
	while (f && fscanf(f, "%d", &a) == 1) {
		b = a;
		if (fscanf(f, "%c", &sep) == 1 && sep == '-') {
			if (fscanf(f, "%d", &b) != 1)
				break;
			if (fscanf(f, "%c", &sep) != 1)
				sep = '\n';
		}
		for (int c = a; c <= b; c++) {
			ALLOC_GROW(*cpus, nr + 1, alloc);
			(*cpus)[nr++] = c;
		}
		if (sep != ',')
			break;
	}
	if (f)
		fclose(f);
	if (!nr) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		for (long c = 0; c < (n > 0 ? n : 1); c++) {
			ALLOC_GROW(*cpus, nr + 1, alloc);
			(*cpus)[nr++] = (int)c;
		}
	}
	return nr;
}

static void fill_attr(struct perf_event_attr *attr, const struct event *e,
		      const struct sampler_options *o)
{
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->type = e->type;
	attr->config = e->config;
	attr->freq = 1;
	attr->sample_freq = o->freq_hz ? o->freq_hz : DEFAULT_FREQ;
	attr->sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME;
	if (o->callchain) {
		attr->sample_type |= PERF_SAMPLE_CALLCHAIN;
		attr->exclude_callchain_kernel = 1;
	}
	attr->disabled = 1;
	attr->enable_on_exec = 1;
	attr->inherit = 1;
	attr->exclude_kernel = 1;
	attr->exclude_hv = 1;
	attr->mmap = 1;
	attr->mmap2 = 1;
	attr->comm = 1;
	attr->task = 1;
	attr->sample_id_all = 1;
	/* Wake a poller once a quarter of the ring is full; we mostly poll by time. */
	attr->watermark = 1;
}

static int is_denied(int err)
{
	return err == EACCES || err == EPERM;
}

/* The error line for a refused open. */
static int open_error(const char *event, pid_t pid, int err)
{
	/* Gone before it ran: the caller knows why (a signal killed it). */
	if (err == ESRCH) {
		errno = ESRCH;
		return -1;
	}
	if (is_denied(err)) {
		char *hint = counters_paranoid_hint();

		error("cannot sample '%s' of process %d: not permitted; %s",
		      event, (int)pid, hint);
		free(hint);
		return -1;
	}
	return error("cannot sample '%s' of process %d: %s", event, (int)pid,
		     counters_strerror(err));
}

static void close_rings(struct sampler *s)
{
	for (size_t i = 0; i < s->nr_rings; i++) {
		if (s->rings[i].base)
			munmap(s->rings[i].base, s->rings[i].map_len);
		if (s->rings[i].fd >= 0)
			close(s->rings[i].fd);
	}
	free(s->rings);
	s->rings = NULL;
	s->nr_rings = 0;
}

/*
 * Opens e on every CPU of cpus; 0, or the errno of the first refusal,
 * with *at_mmap set when it was the ring's mmap that failed.
 */
static int open_rings(struct sampler *s, const struct event *e, pid_t pid,
		      const struct sampler_options *o, const int *cpus, size_t nr_cpus,
		      size_t pages, int *at_mmap)
{
	long page = sysconf(_SC_PAGESIZE);
	struct perf_event_attr attr;

	*at_mmap = 0;
	fill_attr(&attr, e, o);
	attr.read_format = PERF_FORMAT_LOST;
	attr.wakeup_watermark = (uint32_t)(pages * (size_t)page / 4);
	s->rings = xcalloc(nr_cpus, sizeof(*s->rings));
	for (size_t i = 0; i < nr_cpus; i++) {
		struct sampler_ring *r = &s->rings[s->nr_rings];
		int fd = open_event(&attr, pid, cpus[i]);

		/* Before Linux 6.0 there is no PERF_FORMAT_LOST: rely on the records. */
		if (fd < 0 && errno == EINVAL && attr.read_format) {
			attr.read_format = 0;
			fd = open_event(&attr, pid, cpus[i]);
		}
		if (fd < 0) {
			int err = errno;

			/* A CPU gone offline since we read the list. */
			if (err == ENODEV && i + 1 < nr_cpus)
				continue;
			close_rings(s);
			return err;
		}
		r->fd = fd;
		r->cpu = cpus[i];
		r->read_lost = attr.read_format != 0;
		r->map_len = (pages + 1) * (size_t)page;
		r->base = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		s->nr_rings++;
		if (r->base == MAP_FAILED) {
			int err = errno;

			r->base = NULL;
			close_rings(s);
			*at_mmap = 1;
			return err;
		}
	}
	return 0;
}

/* No such event on this machine: what a VM without a PMU answers for cycles. */
static int is_missing(int err)
{
	return err == ENOENT || err == ENODEV || err == EOPNOTSUPP;
}

/* The kernel's limit on sample_freq, or 0 when it cannot be read. */
static unsigned long max_sample_rate(void)
{
	FILE *f = fopen(MAX_RATE_PATH, "r");
	unsigned long v = 0;

	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* open_rings(), halving the rings while the locked-memory limit refuses them. */
static int open_rings_fitting(struct sampler *s, const struct event *e, pid_t pid,
			      const struct sampler_options *o, const int *cpus,
			      size_t nr_cpus, size_t *pages, int *at_mmap)
{
	int err;

	for (;;) {
		err = open_rings(s, e, pid, o, cpus, nr_cpus, *pages, at_mmap);
		if (!(err == EPERM && *at_mmap && *pages > MIN_RING_PAGES))
			return err;
		*pages /= 2;
	}
}

int sampler_open(struct sampler *s, pid_t pid, const struct sampler_options *o)
{
	static const struct sampler_options defaults;
	const char *name;
	const struct event *e;
	size_t pages, nr_cpus;
	unsigned long limit = max_sample_rate();
	unsigned freq;
	int *cpus, err, at_mmap = 0;

	memset(s, 0, sizeof(*s));
	if (!o)
		o = &defaults;
	pages = o->ring_pages ? o->ring_pages : DEFAULT_RING_PAGES;
	if (pages & (pages - 1))
		return error("cannot sample: ring of %zu pages is not a power of two", pages);
	freq = o->freq_hz ? o->freq_hz : DEFAULT_FREQ;
	if (limit && freq > limit)
		return error("cannot sample at %u Hz: the kernel allows at most %lu now (%s; it lowers it itself when sampling takes too long)",
			     freq, limit, MAX_RATE_PATH);
	name = o->event ? o->event : "cycles";
	e = events_find(name);
	if (!e)
		return error("cannot sample: unknown event '%s'", name);
	s->callchain = o->callchain;
	nr_cpus = online_cpus(&cpus);
	err = open_rings_fitting(s, e, pid, o, cpus, nr_cpus, &pages, &at_mmap);
	/* No PMU (a VM): the software clock samples as well, if less exactly. */
	if (err && !o->event && is_missing(err) && !at_mmap) {
		name = "cpu-clock";
		e = events_find(name);
		err = open_rings_fitting(s, e, pid, o, cpus, nr_cpus, &pages, &at_mmap);
	}
	free(cpus);
	if (err && at_mmap && err == EPERM)
		return error("cannot map the sampling buffers of process %d (%zu KiB a CPU): over the locked-memory limit; raise 'ulimit -l' or %s",
			     (int)pid, pages * (size_t)sysconf(_SC_PAGESIZE) / 1024, MLOCK_PATH);
	if (err)
		return open_error(name, pid, err);
	s->event = xstrdup(e->name);
	return 0;
}

/* Copies len bytes at offset off (mod size) of the data area into dst. */
static void ring_copy(const unsigned char *data, uint64_t size, uint64_t off,
		      void *dst, size_t len)
{
	size_t at = (size_t)(off & (size - 1));
	size_t first = len < size - at ? len : (size_t)(size - at);

	memcpy(dst, data + at, first);
	memcpy((unsigned char *)dst + first, data, len - first);
}

static void add_sample(int callchain, struct sampler_result *out,
		       const unsigned char *p, const unsigned char *end)
{
	struct sample *sm;
	uint64_t nr = 0;

	if (end - p < 24)
		return;
	ALLOC_GROW(out->samples, out->nr + 1, out->alloc);
	sm = &out->samples[out->nr];
	memset(sm, 0, sizeof(*sm));
	memcpy(&sm->ip, p, 8);
	memcpy(&sm->pid, p + 8, 4);
	memcpy(&sm->tid, p + 12, 4);
	memcpy(&sm->time, p + 16, 8);
	p += 24;
	if (callchain) {
		if (end - p < 8)
			return;
		memcpy(&nr, p, 8);
		p += 8;
		if (nr > (uint64_t)(end - p) / 8)
			return;
		/* an empty chain: nothing stored (the store may not exist yet: fuzz_sampler) */
		if (nr) {
			ALLOC_GROW(out->callchains, out->nr_callchains + nr,
				   out->alloc_callchains);
			memcpy(out->callchains + out->nr_callchains, p, nr * 8);
			sm->callchain = out->nr_callchains;
			sm->nr_callchain = (uint32_t)nr;
			out->nr_callchains += nr;
		}
	}
	out->nr++;
}

static void add_mmap2(struct sampler_result *out, const unsigned char *p,
		      const unsigned char *end)
{
	struct sampler_mapping *m;
	const unsigned char *name;

	/* pid, tid, addr, len, pgoff, 24 bytes of device or build id, prot, flags */
	if (end - p < 8 + 24 + 24 + 8)
		return;
	ALLOC_GROW(out->maps, out->nr_maps + 1, out->alloc_maps);
	m = &out->maps[out->nr_maps++];
	memcpy(&m->pid, p, 4);
	memcpy(&m->tid, p + 4, 4);
	memcpy(&m->start, p + 8, 8);
	memcpy(&m->len, p + 16, 8);
	memcpy(&m->pgoff, p + 24, 8);
	memcpy(&m->prot, p + 56, 4);
	memcpy(&m->flags, p + 60, 4);
	name = p + 64;
	m->path = xstrdup("");
	if (name < end) {
		free(m->path);
		m->path = xasprintf("%.*s", (int)(end - name), (const char *)name);
	}
}

static void add_fork(struct sampler_result *out, const unsigned char *p,
		     const unsigned char *end)
{
	struct sampler_fork f;

	if (end - p < 8)
		return;
	memcpy(&f.pid, p, 4);
	memcpy(&f.ppid, p + 4, 4);
	/* A new thread forks within its process: nothing to follow. */
	if (f.pid == f.ppid)
		return;
	ALLOC_GROW(out->forks, out->nr_forks + 1, out->alloc_forks);
	out->forks[out->nr_forks++] = f;
}

static void parse_record(int callchain, uint64_t *lost_records, struct sampler_result *out,
			 uint32_t type, const unsigned char *p, const unsigned char *end)
{
	uint64_t v;

	switch (type) {
	case PERF_RECORD_SAMPLE:
		add_sample(callchain, out, p, end);
		break;
	case PERF_RECORD_MMAP2:
		add_mmap2(out, p, end);
		break;
	case PERF_RECORD_LOST:  /* u64 id, u64 lost */
		if (end - p >= 16) {
			memcpy(&v, p + 8, 8);
			*lost_records += v;
		}
		break;
	case PERF_RECORD_LOST_SAMPLES:  /* u64 lost */
		if (end - p >= 8) {
			memcpy(&v, p, 8);
			*lost_records += v;
		}
		break;
	case PERF_RECORD_THROTTLE:
		out->throttled++;
		break;
	case PERF_RECORD_FORK:  /* u32 pid, ppid, tid, ptid; u64 time */
		add_fork(out, p, end);
		break;
	case PERF_RECORD_UNTHROTTLE:
	case PERF_RECORD_COMM:
	case PERF_RECORD_EXIT:
	case PERF_RECORD_MMAP:
		break;
	default:
		out->unknown++;
	}
}

size_t sampler_parse_records(const void *buf, size_t len, int callchain,
			     uint64_t *lost_records, struct sampler_result *out)
{
	const unsigned char *p = buf;
	size_t at = 0;

	while (len - at >= sizeof(struct perf_event_header)) {
		struct perf_event_header h;

		/* memcpy: buf need not be aligned (a fuzzer's input, a scratch copy) */
		memcpy(&h, p + at, sizeof(h));
		if (h.size < sizeof(h) || h.size > len - at)
			break;
		parse_record(callchain, lost_records, out, h.type,
			     p + at + sizeof(h), p + at + h.size);
		at += h.size;
	}
	return at;
}

/*
 * Adds to out->lost what ring r lost since the last drain: the larger of
 * its LOST records and the event's own count, which both count the same
 * losses (the records lag behind, see sampler.h).
 */
static void account_lost(struct sampler_ring *r, struct sampler_result *out)
{
	uint64_t lost = r->lost_records, v[2];

	if (r->read_lost && read(r->fd, v, sizeof(v)) == (ssize_t)sizeof(v) && v[1] > lost)
		lost = v[1];
	if (lost > r->lost_reported) {
		out->lost += lost - r->lost_reported;
		r->lost_reported = lost;
	}
}

static void drain_ring(struct sampler *s, struct sampler_ring *r,
		       struct sampler_result *out)
{
	struct perf_event_mmap_page *meta = r->base;
	long page = sysconf(_SC_PAGESIZE);
	const unsigned char *data;
	uint64_t size, head, tail;

	/* data_offset and data_size exist since Linux 4.1; before, the data follows the page. */
	if (meta->data_size) {
		data = (const unsigned char *)r->base + meta->data_offset;
		size = meta->data_size;
	} else {
		data = (const unsigned char *)r->base + page;
		size = r->map_len - (size_t)page;
	}
	/* Acquire: the records the kernel wrote before moving head are visible. */
	head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	tail = meta->data_tail;
	while (head - tail >= sizeof(struct perf_event_header)) {
		struct perf_event_header h;
		size_t at = (size_t)(tail & (size - 1));

		ring_copy(data, size, tail, &h, sizeof(h));
		if (h.size < sizeof(h) || h.size > head - tail)
			break;
		if (at + h.size <= size) {
			sampler_parse_records(data + at, h.size, s->callchain,
					      &r->lost_records, out);
		} else {
			/* The record wraps around the end: parse a contiguous copy. */
			if (s->scratch_len < h.size) {
				s->scratch = xrealloc(s->scratch, h.size);
				s->scratch_len = h.size;
			}
			ring_copy(data, size, tail, s->scratch, h.size);
			sampler_parse_records(s->scratch, h.size, s->callchain,
					      &r->lost_records, out);
		}
		tail += h.size;
	}
	/* Release: our reads are done before the kernel may overwrite the space. */
	__atomic_store_n(&meta->data_tail, tail, __ATOMIC_RELEASE);
	account_lost(r, out);
}

int sampler_drain(struct sampler *s, struct sampler_result *out)
{
	if (!out->event && s->event)
		out->event = xstrdup(s->event);
	for (size_t i = 0; i < s->nr_rings; i++)
		drain_ring(s, &s->rings[i], out);
	return 0;
}

void sampler_close(struct sampler *s)
{
	close_rings(s);
	free(s->scratch);
	free(s->event);
	memset(s, 0, sizeof(*s));
}

void sampler_result_release(struct sampler_result *r)
{
	for (size_t i = 0; i < r->nr_maps; i++)
		free(r->maps[i].path);
	free(r->maps);
	free(r->samples);
	free(r->forks);
	free(r->callchains);
	free(r->event);
	memset(r, 0, sizeof(*r));
}

/* The parent of pid as the run's FORK records say, or 0. */
static uint32_t parent_of(const struct sampler_result *r, uint32_t pid)
{
	for (size_t i = r->nr_forks; i-- > 0;)
		if (r->forks[i].pid == pid)
			return r->forks[i].ppid;
	return 0;
}

const struct sampler_mapping *sampler_find_mapping(const struct sampler_result *r,
						   uint32_t pid, uint64_t addr)
{
	/* Up the chain of parents; a bound, should the records form a loop. */
	for (int depth = 0; pid && depth < 64; depth++, pid = parent_of(r, pid)) {
		/* The latest mapping wins: an address may be mapped again. */
		for (size_t i = r->nr_maps; i-- > 0;) {
			const struct sampler_mapping *m = &r->maps[i];

			if (m->pid == pid && addr >= m->start && addr - m->start < m->len)
				return m;
		}
	}
	return NULL;
}
