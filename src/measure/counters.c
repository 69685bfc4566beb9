/*
 * counters: see counters.h. perf_event_open(2) through syscall(2): glibc
 * has no wrapper.
 */
#include "measure/counters.h"
#include "lib/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PARANOID_PATH "/proc/sys/kernel/perf_event_paranoid"

#define HW(name, alias, id) \
	{ name, alias, EVENT_HARDWARE, PERF_TYPE_HARDWARE, PERF_COUNT_HW_##id }
#define SW(name, alias, id) \
	{ name, alias, EVENT_SOFTWARE, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_##id }

/*
 * The cache matrix: config = cache | op << 8 | result << 16. Names are
 * glued by the preprocessor so the table stays plain static data.
 */
#define CACHE_CONFIG(cache, op, result) \
	(PERF_COUNT_HW_CACHE_##cache | \
	 (uint64_t)PERF_COUNT_HW_CACHE_OP_##op << 8 | \
	 (uint64_t)PERF_COUNT_HW_CACHE_RESULT_##result << 16)
#define CACHE(name, cache, op, result) \
	{ name, NULL, EVENT_CACHE, PERF_TYPE_HW_CACHE, CACHE_CONFIG(cache, op, result) }
#define CACHE_OP(prefix, cache, op, accesses, one) \
	CACHE(prefix "-" accesses, cache, op, ACCESS), \
	CACHE(prefix "-" one "-misses", cache, op, MISS)
#define LOADS(prefix, cache)      CACHE_OP(prefix, cache, READ, "loads", "load")
#define STORES(prefix, cache)     CACHE_OP(prefix, cache, WRITE, "stores", "store")
#define PREFETCHES(prefix, cache) CACHE_OP(prefix, cache, PREFETCH, "prefetches", "prefetch")

static const struct event event_table[] = {
	HW("cycles", "cpu-cycles", CPU_CYCLES),
	HW("instructions", NULL, INSTRUCTIONS),
	HW("cache-references", NULL, CACHE_REFERENCES),
	HW("cache-misses", NULL, CACHE_MISSES),
	HW("branches", "branch-instructions", BRANCH_INSTRUCTIONS),
	HW("branch-misses", NULL, BRANCH_MISSES),
	HW("bus-cycles", NULL, BUS_CYCLES),
	HW("stalled-cycles-frontend", "idle-cycles-frontend", STALLED_CYCLES_FRONTEND),
	HW("stalled-cycles-backend", "idle-cycles-backend", STALLED_CYCLES_BACKEND),
	HW("ref-cycles", NULL, REF_CPU_CYCLES),

	SW("cpu-clock", NULL, CPU_CLOCK),
	SW("task-clock", NULL, TASK_CLOCK),
	SW("page-faults", "faults", PAGE_FAULTS),
	SW("minor-faults", NULL, PAGE_FAULTS_MIN),
	SW("major-faults", NULL, PAGE_FAULTS_MAJ),
	SW("context-switches", "cs", CONTEXT_SWITCHES),
	SW("cpu-migrations", "migrations", CPU_MIGRATIONS),
	SW("alignment-faults", NULL, ALIGNMENT_FAULTS),
	SW("emulation-faults", NULL, EMULATION_FAULTS),

	/* Only the combinations perf accepts: an instruction cache is not
	 * stored to, a branch predictor neither stored to nor prefetched. */
	LOADS("L1-dcache", L1D), STORES("L1-dcache", L1D), PREFETCHES("L1-dcache", L1D),
	LOADS("L1-icache", L1I), PREFETCHES("L1-icache", L1I),
	LOADS("LLC", LL), STORES("LLC", LL), PREFETCHES("LLC", LL),
	LOADS("dTLB", DTLB), STORES("dTLB", DTLB), PREFETCHES("dTLB", DTLB),
	LOADS("iTLB", ITLB),
	LOADS("branch", BPU),
	LOADS("node", NODE), STORES("node", NODE), PREFETCHES("node", NODE),
};

const struct event *events_table(size_t *nr)
{
	*nr = ARRAY_SIZE(event_table);
	return event_table;
}

const struct event *events_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(event_table); i++) {
		const struct event *e = &event_table[i];

		if (!strcasecmp(name, e->name) ||
		    (e->alias && !strcasecmp(name, e->alias)))
			return e;
	}
	return NULL;
}

const char *event_kind_name(enum event_kind kind)
{
	switch (kind) {
	case EVENT_HARDWARE:
		return "Hardware event";
	case EVENT_SOFTWARE:
		return "Software event";
	case EVENT_CACHE:
		return "Hardware cache event";
	case EVENT_RAW:
		return "Raw hardware event";
	}
	return "event";
}

void event_list_init(struct event_list *l)
{
	l->ev = NULL;
	l->nr = l->alloc = 0;
}

void event_list_release(struct event_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->ev[i].name);
	free(l->ev);
	event_list_init(l);
}

static void spec_from_event(struct event_spec *s, const struct event *e)
{
	s->kind = e->kind;
	s->type = e->type;
	s->config = e->config;
}

/* "r" and 1 to 16 hex digits: the config of a PERF_TYPE_RAW event. */
static int parse_raw(const char *name, uint64_t *config)
{
	const char *p = name + 1;
	uint64_t v = 0;

	if (name[0] != 'r' || !*p || strlen(p) > 16)
		return -1;
	for (; *p; p++) {
		if (!isxdigit((unsigned char)*p))
			return -1;
		v = v << 4 | (uint64_t)(isdigit((unsigned char)*p) ?
					*p - '0' : tolower((unsigned char)*p) - 'a' + 10);
	}
	*config = v;
	return 0;
}

/* Case-insensitive edit distance, for suggestions; long input is far. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[65];

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) !=
				      tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* How close name is to candidate: 0 = not close. A typo of one or two
 * letters, or the start of a longer name ("L1-dcache"), counts. */
static size_t closeness(const char *name, const char *candidate)
{
	size_t len = strlen(name), clen = strlen(candidate);
	size_t d;

	if (len >= 3 && !strncasecmp(name, candidate, len))
		return 1;
	/*
	 * An edit distance is at least the difference of the lengths: a name
	 * 3 or more letters off is not close, and skipping the table keeps a
	 * long unknown name (a 1 KiB --metric) from costing a millisecond a
	 * candidate.
	 */
	if ((len > clen ? len - clen : clen - len) > 2)
		return 0;
	d = distance(name, candidate);
	if (d <= 2 && d < len)
		return d;
	return 0;
}

static int unknown_event(const char *name)
{
	char list[256] = "";
	size_t found = 0;

	for (size_t d = 1; d <= 2; d++) {
		for (size_t i = 0; i < ARRAY_SIZE(event_table) && found < 4; i++) {
			const struct event *e = &event_table[i];
			const char *hit = NULL;

			if (closeness(name, e->name) == d)
				hit = e->name;
			else if (e->alias && closeness(name, e->alias) == d)
				hit = e->alias;
			if (!hit)
				continue;
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
				 "%s%s", found ? ", " : "", hit);
			found++;
		}
	}
	if (found)
		return error("unknown event '%s'; did you mean: %s", name, list);
	return error("unknown event '%s' ('steady list' shows the known events)", name);
}

/*
 * The event a base name (no modifiers) stands for, from the table or raw
 * "rNNNN", into s; 0, or -1 (nothing printed) when it is neither.
 */
static int spec_from_base(const char *base, struct event_spec *s)
{
	const struct event *e = events_find(base);

	if (e) {
		spec_from_event(s, e);
	} else if (!parse_raw(base, &s->config)) {
		s->kind = EVENT_RAW;
		s->type = PERF_TYPE_RAW;
	} else {
		return -1;
	}
	return 0;
}

/*
 * Applies modifiers "u", "k", "uk"...: as in perf, naming a privilege level
 * excludes the ones not named. Returns 0, or the first character that is
 * not a modifier.
 */
static char apply_modifiers(const char *mods, struct event_spec *s)
{
	s->exclude_user = s->exclude_kernel = s->exclude_hv = 1;
	for (; *mods; mods++) {
		if (*mods == 'u')
			s->exclude_user = 0;
		else if (*mods == 'k')
			s->exclude_kernel = 0;
		else
			return *mods;
	}
	return 0;
}

/* Parses one entry of the list ("cycles:u") into s; s->name is set by the caller. */
static int parse_one(const char *entry, struct event_spec *s)
{
	char *base = xstrdup(entry);
	char *mods = strchr(base, ':');
	char bad;
	int ret = 0;

	if (mods)
		*mods++ = '\0';
	if (!*base) {
		ret = error("event '%s' has no name", entry);
		goto out;
	}
	if (spec_from_base(base, s)) {
		ret = unknown_event(base);
		goto out;
	}
	if (!mods)
		goto out;
	if (!*mods) {
		ret = error("event '%s' has an empty modifier (u: user space, k: kernel)", entry);
		goto out;
	}
	s->modifiers = 1;
	bad = apply_modifiers(mods, s);
	if (bad)
		ret = error("event '%s' has an unknown modifier '%c' (u: user space, k: kernel)",
			    entry, bad);
out:
	free(base);
	return ret;
}

int events_parse(const char *list, struct event_list *out)
{
	size_t old_nr = out->nr;
	const char *p = list;

	if (!list || !*list)
		return error("empty event list");
	for (;;) {
		const char *end = strchrnul(p, ',');
		struct event_spec s;

		memset(&s, 0, sizeof(s));
		if (end == p) {
			error("empty event name in '%s'", list);
			goto fail;
		}
		s.name = xasprintf("%.*s", (int)(end - p), p);
		if (parse_one(s.name, &s)) {
			free(s.name);
			goto fail;
		}
		ALLOC_GROW(out->ev, out->nr + 1, out->alloc);
		out->ev[out->nr++] = s;
		if (!*end)
			return 0;
		p = end + 1;
	}
fail:
	while (out->nr > old_nr)
		free(out->ev[--out->nr].name);
	return -1;
}

/* name into s without printing; 0, or -1 when it is not an event. */
static int spec_quietly(const char *name, struct event_spec *s)
{
	char base[128];
	const char *mods = strchr(name, ':');
	size_t len = mods ? (size_t)(mods - name) : strlen(name);

	memset(s, 0, sizeof(*s));
	if (!len || len >= sizeof(base))
		return -1;
	memcpy(base, name, len);
	base[len] = '\0';
	if (spec_from_base(base, s))
		return -1;
	if (!mods)
		return 0;
	return mods[1] && !apply_modifiers(mods + 1, s) ? 0 : -1;
}

static int same_count(const struct event_spec *a, const struct event_spec *b);

int event_names_same(const char *a, const char *b)
{
	struct event_spec x, y;

	if (!strcmp(a, b))
		return 1;
	if (spec_quietly(a, &x) || spec_quietly(b, &y))
		return 0;
	return same_count(&x, &y);
}

static int same_count(const struct event_spec *a, const struct event_spec *b)
{
	return a->type == b->type && a->config == b->config &&
	       a->exclude_user == b->exclude_user && a->exclude_kernel == b->exclude_kernel &&
	       a->exclude_hv == b->exclude_hv;
}

void event_list_dedup(struct event_list *l)
{
	size_t kept = 0;

	for (size_t i = 0; i < l->nr; i++) {
		int dup = 0;

		for (size_t j = 0; j < kept && !dup; j++)
			dup = same_count(&l->ev[j], &l->ev[i]);
		if (dup)
			free(l->ev[i].name);
		else
			l->ev[kept++] = l->ev[i];
	}
	l->nr = kept;
}

static int perf_event_open(struct perf_event_attr *attr, pid_t pid, int group_fd)
{
	long fd;

	/* CLOEXEC: counters of one run must not leak into the next workload. */
	do
		fd = syscall(SYS_perf_event_open, attr, pid, -1, group_fd,
			     PERF_FLAG_FD_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return (int)fd;
}

int events_probe(const struct event *e)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = e->type;
	attr.config = e->config;
	attr.disabled = 1;
	/* User space only: what an unprivileged user may count with the
	 * default perf_event_paranoid of 2, so the answer holds for them. */
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	fd = perf_event_open(&attr, 0, -1);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static int is_denied(int err)
{
	return err == EACCES || err == EPERM;
}

/* Errors that say this event cannot be counted here, not that counting failed. */
static int is_unsupported(int err)
{
	switch (err) {
	case ENOENT:	 /* no such event on this PMU, or no PMU for the type */
	case EOPNOTSUPP: /* the PMU cannot do it (e.g. no exclude_* filtering) */
	case ENODEV:
	case EINVAL:	 /* bad config for this CPU, or the group cannot fit */
	case ENOSYS:	 /* kernel without perf events, or a seccomp filter */
	case EBUSY:	 /* the PMU is held exclusively by someone else */
	case ENOSPC:
	case E2BIG:
	case EOVERFLOW:
		return 1;
	}
	return is_denied(err);
}

static void attr_init(struct perf_event_attr *attr, const struct event_spec *s,
		      int leader)
{
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->type = s->type;
	attr->config = s->config;
	attr->read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			    PERF_FORMAT_TOTAL_TIME_RUNNING;
	attr->inherit = 1;
	attr->exclude_user = s->exclude_user;
	attr->exclude_kernel = s->exclude_kernel;
	attr->exclude_hv = s->exclude_hv;
	/*
	 * Only the leader is disabled and enabled on exec; members stay
	 * enabled and count whenever their leader does, so the whole group
	 * starts at the same instant.
	 */
	if (leader) {
		attr->disabled = 1;
		attr->enable_on_exec = 1;
	}
}

/*
 * One attempt at a placement (group member or leader). Without modifiers a
 * denied event is retried as user space only, the one thing
 * perf_event_paranoid 2 allows unprivileged users.
 */
static int open_placed(const struct event_spec *s, pid_t pid, int group_fd,
		       int *user_only)
{
	struct perf_event_attr attr;
	int fd;

	attr_init(&attr, s, group_fd < 0);
	*user_only = 0;
	fd = perf_event_open(&attr, pid, group_fd);
	if (fd < 0 && is_denied(errno) && !s->modifiers) {
		attr.exclude_kernel = 1;
		attr.exclude_hv = 1;
		fd = perf_event_open(&attr, pid, group_fd);
		*user_only = fd >= 0;
	}
	return fd;
}

struct group {
	int fd;		/* the leader's, -1 before the first */
	int leader;	/* its index */
	size_t size, max;
};

static int open_counter(struct counters *c, size_t i, pid_t pid, struct group *g)
{
	struct counter *k = &c->ctr[i];
	int fd = -1, user_only = 0;

	if (g->fd >= 0 && g->size < g->max) {
		fd = open_placed(&k->ev, pid, g->fd, &user_only);
		if (fd >= 0) {
			k->leader = g->leader;
			g->size++;
		} else if (!is_unsupported(errno)) {
			goto fatal;
		}
	}
	/* Alone, or not fitting beside its group: lead a new one. */
	if (fd < 0) {
		fd = open_placed(&k->ev, pid, -1, &user_only);
		if (fd < 0) {
			if (!is_unsupported(errno))
				goto fatal;
			k->err = errno;
			if (is_denied(errno))
				c->denied = 1;
			return 0;
		}
		k->leader = (int)i;
		g->fd = fd;
		g->leader = (int)i;
		g->size = 1;
	}
	k->fd = fd;
	k->user_only = user_only;
	return 0;
fatal:
	/* Gone before it ran: the caller knows why (a signal killed it). */
	if (errno == ESRCH)
		return -1;
	return error("cannot count '%s' in process %d: %s", k->ev.name, (int)pid,
		     strerror(errno));
}

int counters_open(struct counters *c, const struct event_list *ev, pid_t pid)
{
	struct group hw = { -1, -1, 0, COUNTERS_GROUP_MAX };
	struct group sw = { -1, -1, 0, SIZE_MAX };

	c->nr = ev->nr;
	c->denied = 0;
	c->ctr = xcalloc(ev->nr, sizeof(*c->ctr));
	for (size_t i = 0; i < ev->nr; i++) {
		c->ctr[i].ev = ev->ev[i];
		c->ctr[i].ev.name = xstrdup(ev->ev[i].name);
		c->ctr[i].fd = -1;
		c->ctr[i].leader = -1;
	}
	for (size_t i = 0; i < ev->nr; i++) {
		struct group *g = ev->ev[i].kind == EVENT_SOFTWARE ? &sw : &hw;

		if (open_counter(c, i, pid, g)) {
			int err = errno;

			counters_release(c);
			errno = err;
			return -1;
		}
	}
	return 0;
}

void counters_release(struct counters *c)
{
	/* Members before their leaders, though the kernel copes either way. */
	for (size_t i = c->nr; i-- > 0;) {
		if (c->ctr[i].fd >= 0)
			close(c->ctr[i].fd);
		free(c->ctr[i].ev.name);
	}
	free(c->ctr);
	c->ctr = NULL;
	c->nr = 0;
	c->denied = 0;
}

void counter_reading_set(struct counter_reading *r, uint64_t raw,
			 uint64_t enabled, uint64_t running)
{
	memset(r, 0, sizeof(*r));
	r->raw = raw;
	r->time_enabled = enabled;
	r->time_running = running;
	if (!running) {
		/* Never on a counter (or never enabled: the workload did not
		 * exec): a zero here would be a lie, not a measurement. */
		r->status = COUNTER_NOT_COUNTED;
		return;
	}
	r->status = COUNTER_COUNTED;
	if (running >= enabled) {
		r->value = (double)raw;
		r->running_pct = 100.0;
		return;
	}
	/* Multiplexed: assume the rate while running held while not. */
	r->value = (double)raw * ((double)enabled / (double)running);
	r->running_pct = 100.0 * (double)running / (double)enabled;
	r->multiplexed = 1;
}

int counters_read(struct counters *c, struct counter_reading *out)
{
	for (size_t i = 0; i < c->nr; i++) {
		struct counter *k = &c->ctr[i];
		uint64_t buf[3]; /* value, time_enabled, time_running */
		ssize_t n;

		if (k->fd < 0) {
			memset(&out[i], 0, sizeof(out[i]));
			out[i].status = is_denied(k->err) ? COUNTER_DENIED :
							    COUNTER_UNSUPPORTED;
			out[i].err = k->err;
			continue;
		}
		do
			n = read(k->fd, buf, sizeof(buf));
		while (n < 0 && errno == EINTR);
		if (n != (ssize_t)sizeof(buf))
			return error("cannot read counter '%s': %s", k->ev.name,
				     n < 0 ? strerror(errno) : "short read");
		counter_reading_set(&out[i], buf[0], buf[1], buf[2]);
	}
	return 0;
}

const char *counters_strerror(int err)
{
	switch (err) {
	case ENOENT:
		return "no such event here (ENOENT): no PMU, as on most VMs, or not on this CPU";
	case EOPNOTSUPP:
		return "the PMU cannot count it as asked (EOPNOTSUPP)";
	case ENODEV:
		return "no PMU for this kind of event (ENODEV)";
	case EINVAL:
		return "invalid for this CPU or kernel (EINVAL)";
	case EACCES:
	case EPERM:
		return "not permitted (see /proc/sys/kernel/perf_event_paranoid)";
	case ENOSYS:
		return "the kernel has no perf events (ENOSYS)";
	case EBUSY:
		return "the PMU is in use by someone else (EBUSY)";
	}
	return strerror(err);
}

char *counters_paranoid_hint(void)
{
	FILE *f = fopen(PARANOID_PATH, "r");
	int level, ok;

	ok = f && fscanf(f, "%d", &level) == 1;
	if (f)
		fclose(f);
	if (!ok)
		return xstrdup("counting was refused and " PARANOID_PATH
			       " cannot be read: counting may need root or CAP_PERFMON");
	if (level >= 3)
		return xasprintf(PARANOID_PATH " is %d: only root or CAP_PERFMON may count events; "
				 "as root, 'sysctl kernel.perf_event_paranoid=2' lets users count "
				 "their own processes in user space", level);
	if (level == 2)
		return xasprintf(PARANOID_PATH " is 2: without root or CAP_PERFMON only user space "
				 "can be counted (the :u modifier); as root, "
				 "'sysctl kernel.perf_event_paranoid=1' allows kernel counts too");
	return xasprintf(PARANOID_PATH " is %d, which allows counting: the refusal comes from "
			 "elsewhere (a container's seccomp filter or a security module)", level);
}
