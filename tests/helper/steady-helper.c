/*
 * steady-helper: the program the test suite benchmarks, so every behaviour
 * steady has to measure or survive comes from a known input.
 *
 * Usage: steady-helper ACTION [ARG...] [ACTION [ARG...]...]
 *
 * Actions run left to right:
 *
 *   sleep MS              nanosleep for MS milliseconds
 *   burn MS               spin until this process has used MS ms of CPU time
 *   work N                a fixed CPU loop of N iterations (timing-independent)
 *   exit K                exit with status K (0-255) at once
 *   signal S              raise signal S with its default disposition; if that
 *                         disposition is to ignore it, carry on
 *   alloc BYTES           malloc BYTES and touch every page (max RSS, faults)
 *   print BYTES           write BYTES bytes of 'x' to stdout
 *   eprint BYTES          the same to stderr
 *   stdin FILE            read stdin to EOF, write the byte count into FILE
 *   env-size FILE         write the environment size (sum of strlen+1) to FILE
 *   getenv NAME FILE      write the length of $NAME, or -1 if unset, to FILE
 *   affinity FILE         write the allowed CPUs ("0,1,3") to FILE
 *   aslr FILE             write "on" or "off" (ADDR_NO_RANDOMIZE) to FILE
 *   pgid FILE             write "PID PGID" to FILE
 *   grandchild MS PIDFILE fork a child that writes its pid to PIDFILE and
 *                         sleeps MS ms; do not wait for it
 *   append FILE           append the line "x" to FILE (counts executions)
 *   writes N              N one-byte write(2) calls to /dev/null
 *   calls N               N calls to getppid() through the PLT
 *   fork                  fork a child that exits 0 and wait for it
 *   fork-calls N          fork a child that makes N getppid() calls and
 *                         returns through exit(0) (so exit handlers run, unlike
 *                         fork's child); wait for it
 *   threads N             start N threads that each make one write(2) to
 *                         /dev/null, and join them
 *
 * Every FILE gets one line of text ending in a newline; PIDFILE appears
 * atomically (written aside, then renamed), so a poller never reads it empty.
 *
 * Exit status: 0 after the last action, K for "exit K", 100 for bad usage
 * (the whole command line is checked before any action runs, so a typo has
 * no side effects), 101 when an action fails (cannot write FILE, fork fails).
 *
 * No stdio: output goes straight through write(2), so nothing is buffered
 * across exit, raise or fork and start-up stays minimal.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE 100
#define EXIT_FAILED 101

extern char **environ;

/* Sinks for results, so the compiler cannot drop the loops that make them. */
static volatile uint64_t sink;

static void say(const char *fmt, va_list ap)
{
	char msg[512];
	int n;

	n = vsnprintf(msg, sizeof(msg) - 1, fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(msg) - 2)
		n = sizeof(msg) - 2;
	msg[n++] = '\n';
	if (write(STDERR_FILENO, msg, n) < 0)
		return;
}

static void usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	_exit(EXIT_USAGE);
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	_exit(EXIT_FAILED);
}

/* Plain decimal only: no sign, no spaces, no hex, so typos are caught. */
static int parse_num(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

/* Replaces path with one line of formatted text. */
static void write_file(const char *path, const char *fmt, ...)
{
	char line[4096];
	va_list ap;
	int fd, n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		fail("steady-helper: output for %s too long", path);

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		fail("steady-helper: cannot open %s: %s", path, strerror(errno));
	if (write_all(fd, line, n) || close(fd))
		fail("steady-helper: cannot write %s: %s", path, strerror(errno));
}

static void sleep_ms(unsigned long long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	/* A stopped-and-continued process must still sleep the full time. */
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static void burn(unsigned long long ms)
{
	uint64_t end = cpu_ns() + ms * 1000000u;
	uint64_t x = 1;

	/* Check the clock only every so often: the loop should burn, not syscall. */
	while (cpu_ns() < end)
		for (int i = 0; i < 10000; i++)
			x = x * 6364136223846793005u + 1;
	sink = x;
}

/*
 * xorshift64: each step depends on the previous one and has no closed form,
 * so N iterations are N iterations at any optimisation level.
 */
static void work(unsigned long long n)
{
	uint64_t x = 88172645463325252u;

	for (unsigned long long i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	sink = x;
}

static void do_signal(int sig)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t set;

	/* The default action is the point; SIGKILL and SIGSTOP refuse this, harmlessly. */
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

static void alloc(unsigned long long bytes)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile char *p;

	if (!bytes)
		return;
	p = malloc(bytes);
	if (!p)
		fail("steady-helper: cannot allocate %llu bytes", bytes);
	/* volatile: otherwise stores followed by free() are dead and vanish. */
	for (unsigned long long off = 0; off < bytes; off += page)
		p[off] = 1;
	p[bytes - 1] = 1;
	/* Max RSS is a high-water mark, so freeing now does not lower it. */
	free((void *)p);
}

static void print(int fd, unsigned long long bytes)
{
	char buf[65536];

	memset(buf, 'x', sizeof(buf));
	while (bytes) {
		size_t n = bytes < sizeof(buf) ? bytes : sizeof(buf);

		if (write_all(fd, buf, n))
			fail("steady-helper: write to fd %d: %s", fd, strerror(errno));
		bytes -= n;
	}
}

static void count_stdin(const char *path)
{
	char buf[65536];
	unsigned long long total = 0;

	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail("steady-helper: read stdin: %s", strerror(errno));
		}
		if (!n)
			break;
		total += n;
	}
	write_file(path, "%llu\n", total);
}

static void env_size(const char *path)
{
	unsigned long long total = 0;

	for (char **e = environ; e && *e; e++)
		total += strlen(*e) + 1;
	write_file(path, "%llu\n", total);
}

static void get_env(const char *name, const char *path)
{
	const char *v = getenv(name);

	write_file(path, "%lld\n", v ? (long long)strlen(v) : -1LL);
}

static void affinity(const char *path)
{
	char list[4096];
	size_t len = 0;
	cpu_set_t *set;
	size_t size;
	int ncpu;

	/* The kernel's mask may be larger than cpu_set_t: grow until it fits. */
	for (ncpu = 1024;; ncpu *= 2) {
		set = CPU_ALLOC(ncpu);
		if (!set)
			fail("steady-helper: out of memory");
		size = CPU_ALLOC_SIZE(ncpu);
		if (!sched_getaffinity(0, size, set))
			break;
		CPU_FREE(set);
		if (errno != EINVAL || ncpu > 1 << 20)
			fail("steady-helper: sched_getaffinity: %s", strerror(errno));
	}

	list[0] = '\0';
	for (int cpu = 0; cpu < ncpu; cpu++) {
		if (!CPU_ISSET_S(cpu, size, set))
			continue;
		int n = snprintf(list + len, sizeof(list) - len, "%s%d",
				 len ? "," : "", cpu);
		if (n < 0 || (size_t)n >= sizeof(list) - len)
			fail("steady-helper: CPU list too long");
		len += n;
	}
	CPU_FREE(set);
	write_file(path, "%s\n", list);
}

static void aslr(const char *path)
{
	int persona = personality(0xffffffff);

	if (persona < 0)
		fail("steady-helper: personality: %s", strerror(errno));
	write_file(path, "%s\n", persona & ADDR_NO_RANDOMIZE ? "off" : "on");
}

static void grandchild(unsigned long long ms, const char *path)
{
	char tmp[PATH_MAX];
	pid_t pid;

	pid = fork();
	if (pid < 0)
		fail("steady-helper: fork: %s", strerror(errno));
	if (pid)
		return;

	/* Write aside and rename, so whoever polls PIDFILE sees all or nothing. */
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= sizeof(tmp))
		fail("steady-helper: path too long: %s", path);
	write_file(tmp, "%d\n", (int)getpid());
	if (rename(tmp, path))
		fail("steady-helper: rename %s: %s", tmp, strerror(errno));
	sleep_ms(ms);
	_exit(0);
}

static void append(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);

	/* One write(2) of the whole line: O_APPEND keeps concurrent runs intact. */
	if (fd < 0)
		fail("steady-helper: cannot open %s: %s", path, strerror(errno));
	if (write_all(fd, "x\n", 2) || close(fd))
		fail("steady-helper: cannot write %s: %s", path, strerror(errno));
}

static void writes(unsigned long long n)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		fail("steady-helper: cannot open /dev/null: %s", strerror(errno));
	for (unsigned long long i = 0; i < n; i++)
		if (write(fd, "x", 1) != 1)
			fail("steady-helper: write /dev/null: %s", strerror(errno));
	close(fd);
}

static void calls(unsigned long long n)
{
	uint64_t sum = 0;

	/* getppid() has side effects as far as the compiler knows: no call is elided. */
	for (unsigned long long i = 0; i < n; i++)
		sum += getppid();
	sink = sum;
}

static void fork_one(void)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		fail("steady-helper: fork: %s", strerror(errno));
	if (!pid)
		_exit(0);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			fail("steady-helper: waitpid: %s", strerror(errno));
}

static void fork_calls(unsigned long long n)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		fail("steady-helper: fork: %s", strerror(errno));
	if (!pid) {
		calls(n);
		exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			fail("steady-helper: waitpid: %s", strerror(errno));
}

static void *thread_write(void *arg)
{
	int fd = *(int *)arg;

	if (write(fd, "x", 1) != 1)
		fail("steady-helper: write /dev/null: %s", strerror(errno));
	return NULL;
}

static void threads(unsigned long long n)
{
	pthread_t *ids = calloc(n ? n : 1, sizeof(*ids));
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC), err;

	if (!ids || fd < 0)
		fail("steady-helper: cannot start threads: %s", strerror(errno));
	for (unsigned long long i = 0; i < n; i++)
		if ((err = pthread_create(&ids[i], NULL, thread_write, &fd)) != 0)
			fail("steady-helper: pthread_create: %s", strerror(err));
	for (unsigned long long i = 0; i < n; i++)
		pthread_join(ids[i], NULL);
	close(fd);
	free(ids);
}

enum arg { NONE, NUM, FILE_ARG, NAME };

static const struct action {
	const char *name;
	enum arg args[2];
	unsigned long long max;  /* limit for NUM arguments */
} actions[] = {
	{ "sleep",      { NUM },            ULLONG_MAX / 1000000 },
	{ "burn",       { NUM },            ULLONG_MAX / 1000000000 },
	{ "work",       { NUM },            ULLONG_MAX },
	{ "exit",       { NUM },            255 },
	{ "signal",     { NUM },            NSIG - 1 },
	{ "alloc",      { NUM },            SIZE_MAX },
	{ "print",      { NUM },            ULLONG_MAX },
	{ "eprint",     { NUM },            ULLONG_MAX },
	{ "stdin",      { FILE_ARG },       0 },
	{ "env-size",   { FILE_ARG },       0 },
	{ "getenv",     { NAME, FILE_ARG }, 0 },
	{ "affinity",   { FILE_ARG },       0 },
	{ "aslr",       { FILE_ARG },       0 },
	{ "pgid",       { FILE_ARG },       0 },
	{ "grandchild", { NUM, FILE_ARG },  ULLONG_MAX / 1000000 },
	{ "append",     { FILE_ARG },       0 },
	{ "writes",     { NUM },            ULLONG_MAX },
	{ "calls",      { NUM },            ULLONG_MAX },
	{ "fork",       { NONE },           0 },
	{ "fork-calls", { NUM },            ULLONG_MAX },
	{ "threads",    { NUM },            1000 },
};

static const struct action *find_action(const char *name)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].name, name))
			return &actions[i];
	return NULL;
}

/*
 * Checks argv[*i] and its arguments, advances *i past them and returns the
 * action; exits with EXIT_USAGE on any mistake.
 */
static const struct action *parse(int argc, char **argv, int *i,
				  unsigned long long *num)
{
	const struct action *a = find_action(argv[*i]);
	unsigned long long v;

	if (!a)
		usage("steady-helper: unknown action '%s'", argv[*i]);
	(*i)++;
	for (int k = 0; k < 2 && a->args[k] != NONE; k++, (*i)++) {
		if (*i >= argc)
			usage("steady-helper: %s: missing argument", a->name);
		if (a->args[k] != NUM)
			continue;
		/* Signal 0 is a probe, not a signal: raising it would do nothing. */
		if (parse_num(argv[*i], a->max, &v) ||
		    (!v && !strcmp(a->name, "signal")))
			usage("steady-helper: %s: bad number '%s'", a->name, argv[*i]);
		*num = v;
	}
	return a;
}

static void run(const struct action *a, char **args, unsigned long long num)
{
	const char *name = a->name;

	if (!strcmp(name, "sleep"))
		sleep_ms(num);
	else if (!strcmp(name, "burn"))
		burn(num);
	else if (!strcmp(name, "work"))
		work(num);
	else if (!strcmp(name, "exit"))
		_exit(num);
	else if (!strcmp(name, "signal"))
		do_signal(num);
	else if (!strcmp(name, "alloc"))
		alloc(num);
	else if (!strcmp(name, "print"))
		print(STDOUT_FILENO, num);
	else if (!strcmp(name, "eprint"))
		print(STDERR_FILENO, num);
	else if (!strcmp(name, "stdin"))
		count_stdin(args[0]);
	else if (!strcmp(name, "env-size"))
		env_size(args[0]);
	else if (!strcmp(name, "getenv"))
		get_env(args[0], args[1]);
	else if (!strcmp(name, "affinity"))
		affinity(args[0]);
	else if (!strcmp(name, "aslr"))
		aslr(args[0]);
	else if (!strcmp(name, "pgid"))
		write_file(args[0], "%d %d\n", (int)getpid(), (int)getpgrp());
	else if (!strcmp(name, "grandchild"))
		grandchild(num, args[1]);
	else if (!strcmp(name, "append"))
		append(args[0]);
	else if (!strcmp(name, "writes"))
		writes(num);
	else if (!strcmp(name, "calls"))
		calls(num);
	else if (!strcmp(name, "fork"))
		fork_one();
	else if (!strcmp(name, "fork-calls"))
		fork_calls(num);
	else if (!strcmp(name, "threads"))
		threads(num);
}

int main(int argc, char **argv)
{
	unsigned long long num = 0;
	int i;

	if (argc < 2)
		usage("usage: steady-helper ACTION [ARG...] [ACTION [ARG...]...]\n"
		      "(actions are listed in tests/helper/steady-helper.c)");

	/* First pass: the whole command line must be valid before anything runs. */
	for (i = 1; i < argc;)
		parse(argc, argv, &i, &num);

	for (i = 1; i < argc;) {
		int start = i;
		const struct action *a = parse(argc, argv, &i, &num);

		run(a, argv + start + 1, num);
	}
	return 0;
}
