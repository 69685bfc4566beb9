/*
 * counters: hardware and software performance counters of one workload,
 * through perf_event_open(2) directly (no perf binary), for `steady stat`
 * and `steady list`.
 *
 * Three layers:
 *
 *  - The event table (events_table()) is data: every generic hardware
 *    event, the software events worth counting, and the hardware-cache
 *    matrix (L1-dcache, L1-icache, LLC, dTLB, iTLB, branch, node ×
 *    loads/stores/prefetches × accesses/-misses, the combinations perf
 *    itself accepts), under perf's names and aliases.
 *
 *  - An event_list is what the user asked for: events_parse() turns
 *    "cycles,instructions:u,r1a8" into event_specs; EVENTS_DEFAULT_TEXT
 *    is perf stat's default set. Parsing never touches the kernel.
 *
 *  - counters_open() opens an event_list on one process that has not yet
 *    exec'd its workload (the harness forks, the child blocks on a "go"
 *    pipe, counters are opened on it, then the child execs). Every counter
 *    is opened disabled with enable_on_exec, so nothing the harness or the
 *    child does before exec is counted, and with inherit, so every process
 *    and thread the workload starts is counted too. counters_read() after
 *    the workload has been waited for gives each event's value.
 *
 * Groups: hardware, cache and raw events are opened in groups of at most
 * COUNTERS_GROUP_MAX so that related events (cycles and instructions for
 * IPC) are counted over the same intervals when the PMU multiplexes. The
 * kernel refuses a member that can never fit beside its group; such an
 * event is retried as the leader of a new group. The cap exists because a
 * group that passes that check but cannot be scheduled at run time (the NMI
 * watchdog holding a counter) would never count at all. Software events are
 * never multiplexed; they form a group of their own, which costs nothing
 * and keeps their time_enabled identical.
 *
 * Reads are per event (no PERF_FORMAT_GROUP): inherit together with
 * PERF_FORMAT_GROUP is refused by older kernels, and per-event reads give
 * every event its own time_enabled/time_running, which is all scaling needs.
 *
 * Failures: an event the machine cannot count (ENOENT, EOPNOTSUPP, ENODEV,
 * EINVAL, ...) is marked unsupported with its errno kept and everything else
 * goes on; on a VM without a PMU all hardware events end up so. EACCES or
 * EPERM marks the event denied and sets counters.denied, so the caller can
 * print counters_paranoid_hint() once. An event given without modifiers is
 * first retried as user space only (what perf does when perf_event_paranoid
 * is 2), and counter.user_only says so. Only errors that concern the
 * process as a whole (it is gone, out of file descriptors) make
 * counters_open() fail; a process that is gone (ESRCH) fails with errno
 * ESRCH and no message, since only the caller knows why it went (a signal
 * that killed it is no error).
 *
 * Ownership: the table is static. An event_list owns its specs and their
 * names (event_list_release()). counters_open() copies what it needs from
 * the list, so the list may be released at once; counters_release() closes
 * every descriptor. Library functions print one error line and return -1;
 * they never exit.
 */
#ifndef STEADY_COUNTERS_H
#define STEADY_COUNTERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "measure/benchmark.h"

enum event_kind {
	EVENT_HARDWARE,	/* PERF_TYPE_HARDWARE: cycles, instructions, ... */
	EVENT_SOFTWARE,	/* PERF_TYPE_SOFTWARE: task-clock, page-faults, ... */
	EVENT_CACHE,	/* PERF_TYPE_HW_CACHE: L1-dcache-load-misses, ... */
	EVENT_RAW	/* PERF_TYPE_RAW: rNNNN, a CPU-specific code in hex */
};

/* One entry of the event table. */
struct event {
	const char *name;	/* perf's name: "cycles" */
	const char *alias;	/* another name perf accepts ("cpu-cycles"), or NULL */
	enum event_kind kind;
	uint32_t type;		/* perf_event_attr.type */
	uint64_t config;	/* perf_event_attr.config */
};

/* The whole table, in `perf list` order; *nr gets its length. */
const struct event *events_table(size_t *nr);
/* A table entry by name or alias, case-insensitively; NULL if none. */
const struct event *events_find(const char *name);
/* "Hardware event", "Software event", "Hardware cache event", "Raw hardware event". */
const char *event_kind_name(enum event_kind kind);

/* One event as the user asked for it. */
struct event_spec {
	char *name;		/* as written, modifiers included: "cycles:u" */
	enum event_kind kind;
	uint32_t type;
	uint64_t config;
	unsigned exclude_user : 1;	/* :k */
	unsigned exclude_kernel : 1;	/* :u */
	unsigned exclude_hv : 1;	/* any modifier: perf counts only what is named */
	unsigned modifiers : 1;		/* a modifier was given: never fall back to :u */
};

struct event_list {
	struct event_spec *ev;
	size_t nr, alloc;
};

void event_list_init(struct event_list *l);
void event_list_release(struct event_list *l);

/*
 * Appends the events of a comma-separated list to out: table names and
 * aliases, or raw events "r" + 1 to 16 hex digits, each optionally followed
 * by ":u" (user space only), ":k" (kernel only) or ":uk". 0 on success; -1
 * after one error line (an unknown name gets the close names, if any), with
 * out left as it was.
 */
int events_parse(const char *list, struct event_list *out);
/* perf stat's default set, as an -e list. */
#define EVENTS_DEFAULT_TEXT "task-clock,context-switches,cpu-migrations,page-faults," \
	"cycles,instructions,branches,branch-misses"

/*
 * 1 when two event names count the same thing: "faults" and "page-faults",
 * "TASK-CLOCK" and "task-clock", "cycles:ku" and "cpu-cycles:uk". Names
 * that are not events are the same only when equal. Prints nothing.
 */
int event_names_same(const char *a, const char *b);

/*
 * Drops every event that counts the same as an earlier one (same type,
 * config and modifiers: "faults" after "page-faults"), keeping the first
 * spelling: a results file names each count once.
 */
void event_list_dedup(struct event_list *l);

/*
 * 1 when e can be opened for the calling thread in user space (what
 * `steady list` shows); 0 when not, with errno saying why.
 */
int events_probe(const struct event *e);

/* At most this many events in one hardware group (see above). */
#define COUNTERS_GROUP_MAX 4

struct counter {
	struct event_spec ev;	/* a copy; name owned */
	int fd;			/* -1 when the event could not be opened */
	int err;		/* errno of the failed open; 0 when open */
	int leader;		/* index of its group's leader (itself when it leads); -1 when not open */
	unsigned user_only : 1;	/* opened as user space only after EACCES/EPERM */
};

struct counters {
	struct counter *ctr;	/* one per event of the list, in its order */
	size_t nr;
	int denied;		/* some event failed with EACCES/EPERM */
};

/*
 * Opens every event of ev on process pid (any CPU), disabled until pid
 * calls exec. Initialises c whatever happens. 0 when every event was either
 * opened or marked unsupported/denied; -1 after one error line when the
 * process cannot be counted at all, with c empty.
 */
int counters_open(struct counters *c, const struct event_list *ev, pid_t pid);
void counters_release(struct counters *c);


struct counter_reading {
	enum counter_status status;
	int err;		/* the open's errno for UNSUPPORTED and DENIED */
	uint64_t raw;		/* the count as the kernel gives it */
	uint64_t time_enabled;	/* ns the event was enabled */
	uint64_t time_running;	/* ns it was actually on a counter */
	double value;		/* raw * enabled / running; 0 unless COUNTED */
	double running_pct;	/* 100 * running / enabled; 0 unless COUNTED */
	int multiplexed;	/* running < enabled: value is an estimate */
};

/*
 * Reads every counter into out[0 .. c->nr - 1]. Read after the workload
 * has exited and been waited for: counts of inherited children are added
 * when they exit. 0, or -1 after one error line.
 */
int counters_read(struct counters *c, struct counter_reading *out);

/* Fills r from one read: status, scaling and multiplexing. */
void counter_reading_set(struct counter_reading *r, uint64_t raw,
			 uint64_t enabled, uint64_t running);

/* Why an event could not be opened, in words about counting: "no PMU
 * event of that kind here (ENOENT)". Static string. */
const char *counters_strerror(int err);

/*
 * What to do about EACCES/EPERM, with the current value of
 * /proc/sys/kernel/perf_event_paranoid: one line, no prefix, a new string
 * the caller frees.
 */
char *counters_paranoid_hint(void);

#endif
