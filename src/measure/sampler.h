/*
 * sampler: statistical sampling of a child process with perf_event_open(2),
 * what `steady profile` records of every run.
 *
 * One sampling event is opened per online CPU, each on the same pid with
 * inherit=1, and each with a ring buffer of its own. Why per CPU: the
 * kernel refuses to mmap an inherited per-task event (cpu == -1), since
 * every thread and child would write into one buffer from many CPUs; an
 * inherited per-CPU event is allowed, and the samples of every thread and
 * child process go to the ring of the CPU they ran on. Counters may not
 * share a ring across CPUs (PERF_EVENT_IOC_SET_OUTPUT refuses), hence one
 * ring each; sampler_drain() reads them all into one result.
 *
 * Use: start the child stopped before its exec (spawn's CHILD_AWAIT_GO),
 * sampler_open() on its pid, command_go(); call sampler_drain() while it
 * runs (often enough that the rings do not fill: what does not fit is
 * counted in result.lost, never silently dropped) and once more after it
 * has exited, then sampler_close(). The events are enabled on exec, so the
 * harness's own code before the exec is not sampled.
 *
 * Ownership: a struct sampler_result starts as SAMPLER_RESULT_INIT, is
 * appended to by every sampler_drain() and owns all it points to;
 * sampler_result_release() frees it and leaves it as after INIT.
 */
#ifndef STEADY_SAMPLER_H
#define STEADY_SAMPLER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sample {
	uint64_t ip;        /* user-space instruction pointer */
	uint32_t pid, tid;
	uint64_t time;      /* perf clock, ns */
	/*
	 * The call chain (with callchain set): nr_callchain addresses at
	 * result.callchains[callchain], innermost first, perf's context
	 * markers (PERF_CONTEXT_USER...) included. An index, not a pointer,
	 * so the store may grow.
	 */
	size_t callchain;
	uint32_t nr_callchain;
};

/* A file mapped executable or not, from PERF_RECORD_MMAP2. */
struct sampler_mapping {
	uint32_t pid, tid;
	uint64_t start, len, pgoff;  /* ip - start + pgoff = offset in path */
	uint32_t prot, flags;        /* PROT_*, MAP_* */
	char *path;
};

/* A new process, from PERF_RECORD_FORK (threads are left out). */
struct sampler_fork {
	uint32_t pid, ppid;
};

struct sampler_result {
	struct sample *samples;
	size_t nr, alloc;
	struct sampler_fork *forks;
	size_t nr_forks, alloc_forks;
	uint64_t *callchains;
	size_t nr_callchains, alloc_callchains;
	struct sampler_mapping *maps;
	size_t nr_maps, alloc_maps;
	/*
	 * Records the kernel could not write into a full ring. The kernel
	 * says so in a PERF_RECORD_LOST only once there is room again, which
	 * never comes when the ring is drained only after the child has
	 * exited; so where the kernel has PERF_FORMAT_LOST (Linux 6.0) each
	 * drain also reads the count from the event, and takes the larger.
	 */
	uint64_t lost;
	uint64_t throttled;  /* PERF_RECORD_THROTTLE: the kernel lowered the rate */
	uint64_t unknown;    /* records of other types, skipped */
	char *event;         /* "cycles", "cpu-clock", ... */
};

#define SAMPLER_RESULT_INIT { 0 }

struct sampler_options {
	const char *event;   /* an event name of counters.h's table; NULL: cycles, else cpu-clock */
	unsigned freq_hz;    /* samples per second per thread; 0: 4000 */
	int callchain;       /* record user call chains */
	size_t ring_pages;   /* data pages per CPU, a power of two; 0: 64. Halved down
			      * to 8 while the locked-memory limit refuses them. */
};

struct sampler_ring {
	int fd;
	int cpu;
	void *base;          /* metadata page, then the data pages */
	size_t map_len;
	int read_lost;           /* the fd reports lost samples (PERF_FORMAT_LOST, Linux 6.0) */
	uint64_t lost_records;   /* the sum of its PERF_RECORD_LOST records */
	uint64_t lost_reported;  /* how much of its losses out->lost holds */
};

struct sampler {
	struct sampler_ring *rings;
	size_t nr_rings;
	int callchain;
	char *event;
	unsigned char *scratch;  /* a record that wraps around the end, copied out */
	size_t scratch_len;
};

/*
 * Opens the sampling event on pid (a child stopped before exec, or any
 * process: then enable_on_exec never fires, so pass a stopped child).
 * User space only (exclude_kernel: perf_event_paranoid 2 allows no more).
 * Without an event given, cycles, or cpu-clock where the machine has no
 * such event (ENOENT, ENODEV, EOPNOTSUPP: no PMU). 0, or -1 after one
 * error line (refused: with perf_event_paranoid's value; no such event;
 * unknown event name; a rate above perf_event_max_sample_rate; the ring
 * buffers over the locked-memory limit). A process already gone fails
 * with errno ESRCH and no line: the caller knows why it went. Nothing is
 * left open on error.
 */
int sampler_open(struct sampler *s, pid_t pid, const struct sampler_options *o);

/*
 * Reads every complete record of every ring into out, advancing each
 * ring's tail. out->event is set on the first call. 0 (no failure mode
 * beyond running out of memory, which exits).
 */
int sampler_drain(struct sampler *s, struct sampler_result *out);

/*
 * The record reader of sampler_drain(), pure and apart from any ring so
 * that tests and fuzz/fuzz_sampler.c can feed it bytes: reads the perf
 * records laid end to end in buf (len bytes, any alignment) into out, the
 * counts of PERF_RECORD_LOST and LOST_SAMPLES added to *lost_records.
 * callchain says whether samples carry a call chain (sampler_options).
 * Records too short for their type are skipped; it stops at a header that
 * is cut short or claims a size below 8 or beyond buf. Returns the bytes
 * read, whole records only.
 */
size_t sampler_parse_records(const void *buf, size_t len, int callchain,
			     uint64_t *lost_records, struct sampler_result *out);

void sampler_close(struct sampler *s);
void sampler_result_release(struct sampler_result *r);

/*
 * The mapping of r that holds addr in process pid, or NULL; the latest one
 * wins. A forked child gets no MMAP2 records for what it inherited, so
 * when none of pid's holds addr, its parent's are looked at, and so on up
 * to the sampled process (never another process's: a sibling may have
 * mapped something else at the same address).
 */
const struct sampler_mapping *sampler_find_mapping(const struct sampler_result *r,
						   uint32_t pid, uint64_t addr);

#endif
