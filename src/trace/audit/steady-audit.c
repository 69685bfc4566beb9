/*
 * steady-audit: the LD_AUDIT library `steady trace` loads into the traced
 * programs to count their calls into shared libraries (rtld-audit(7)).
 *
 * How it counts: la_objopen asks for bindings from and to every object;
 * la_symbind64 leaves la_pltenter enabled for each binding, and the dynamic
 * linker then calls la_x86_64_gnu_pltenter on every call through a PLT
 * (with a pltenter auditor glibc keeps lazy PLT resolution even for objects
 * linked with -z now). glibc passes the index of the symbol in the defining
 * object's symbol table and that object's cookie, which points to our
 * struct object: each call is one atomic increment of the counter at
 * (object, index), found without a lookup.
 *
 * Where the counts go: the file named by $STEADY_AUDIT_OUT with ".PID"
 * appended, one line per symbol, "count<TAB>symbol<TAB>library" (library
 * is the file name of the defining object, "main" for the program). Lines
 * are appended, each flush writing only what was counted since the last
 * one, so a reader sums the lines of a symbol. Flushes happen when the
 * program's objects close at exit (from _dl_fini) and just before an exec*
 * call, whose new image would otherwise lose the old one's counts. A forked
 * child writes its own file without what its parent counted before the
 * fork (see fork_snapshot). A process that ends in _exit(2) or by a signal
 * writes nothing since its last flush: steady says so.
 *
 * This library lives in the auditor's own link namespace with its own libc,
 * so malloc and friends are ours; pltenter may run on many threads at once,
 * so the tables only grow (never move) and counters are atomic. Nothing here
 * prints: a traced program's output must stay its own.
 */
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK_BITS 10
#define CHUNK_SIZE (1u << CHUNK_BITS)
#define MAX_CHUNKS 1024   /* 1M symbols per object; beyond that, not counted */

enum { PLAIN, FORKS, VFORKS, EXECS };

struct binding {
	unsigned long count;
	unsigned long done;   /* written already, or the parent's before a fork */
	unsigned long snap;   /* count when this process last called fork() */
	char *name;           /* our copy: the object's string table may be unmapped */
	int kind;
};

struct object {
	char *name;
	int in_base;          /* of the main namespace (LM_ID_BASE) */
	int is_main;          /* the program itself */
	struct object *next;
	struct binding *chunks[MAX_CHUNKS];
};

static struct object *objects;   /* every object ever opened; never freed */
static int seen_main;
static int main_closed;          /* the program's own object has closed: exit */
static pid_t snapshot_pid;       /* who took the snapshots in snap, 0 if nobody */
static pid_t owner_pid;          /* whose counts these are (set at start, forks, flushes) */
static pid_t vfork_parent;       /* the last process that called vfork(), 0 if none */

unsigned int la_version(unsigned int version)
{
	(void)version;
	return LAV_CURRENT;
}

static char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!*path)
		return strdup("main");
	return strdup(slash ? slash + 1 : path);
}

unsigned int la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie)
{
	struct object *o = calloc(1, sizeof(*o));

	if (!o)
		return 0;
	o->name = base_name(map->l_name ? map->l_name : "");
	if (!o->name) {
		free(o);
		return 0;
	}
	o->in_base = lmid == LM_ID_BASE;
	/* The first object of the main namespace is the program. */
	o->is_main = o->in_base && !seen_main;
	seen_main |= o->in_base;
	/* objopen runs under the loader's lock: a plain push is safe. */
	o->next = objects;
	__atomic_store_n(&objects, o, __ATOMIC_RELEASE);
	*cookie = (uintptr_t)o;
	return LA_FLG_BINDTO | LA_FLG_BINDFROM;
}

uintptr_t la_symbind64(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook,
		       uintptr_t *defcook, unsigned int *flags, const char *symname)
{
	(void)ndx;
	(void)refcook;
	(void)defcook;
	(void)symname;
	/* Counting happens at every call in pltenter; there is no pltexit. */
	*flags &= ~(unsigned int)LA_SYMB_NOPLTENTER;
	*flags |= LA_SYMB_NOPLTEXIT;
	return sym->st_value;
}

static int kind_of(const char *name)
{
	static const char *const forks[] = { "fork", "_Fork" };
	static const char *const execs[] = {
		"execve", "execv", "execvp", "execvpe", "execl", "execlp", "execle",
		"fexecve", "execveat"
	};

	for (size_t i = 0; i < sizeof(forks) / sizeof(forks[0]); i++)
		if (!strcmp(name, forks[i]))
			return FORKS;
	if (!strcmp(name, "vfork"))
		return VFORKS;
	for (size_t i = 0; i < sizeof(execs) / sizeof(execs[0]); i++)
		if (!strcmp(name, execs[i]))
			return EXECS;
	return PLAIN;
}

static struct binding *binding_of(struct object *o, unsigned int ndx, const char *symname)
{
	unsigned int c = ndx >> CHUNK_BITS;
	struct binding *chunk, *b;

	if (c >= MAX_CHUNKS)
		return NULL;
	chunk = __atomic_load_n(&o->chunks[c], __ATOMIC_ACQUIRE);
	if (!chunk) {
		struct binding *expected = NULL, *fresh = calloc(CHUNK_SIZE, sizeof(*fresh));

		if (!fresh)
			return NULL;
		if (__atomic_compare_exchange_n(&o->chunks[c], &expected, fresh, 0,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			chunk = fresh;
		} else {
			free(fresh);
			chunk = expected;
		}
	}
	b = &chunk[ndx & (CHUNK_SIZE - 1)];
	if (!__atomic_load_n(&b->name, __ATOMIC_ACQUIRE)) {
		char *expected = NULL, *copy = strdup(symname);

		if (!copy)
			return NULL;
		b->kind = kind_of(copy);
		if (!__atomic_compare_exchange_n(&b->name, &expected, copy, 0,
						 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			free(copy);
	}
	return b;
}

/* Calls f on every binding that has a name, with the name of its object. */
static void each_binding(void (*f)(struct binding *b, const char *object, void *arg), void *arg)
{
	for (struct object *o = __atomic_load_n(&objects, __ATOMIC_ACQUIRE); o; o = o->next)
		for (unsigned int c = 0; c < MAX_CHUNKS; c++) {
			struct binding *chunk = __atomic_load_n(&o->chunks[c], __ATOMIC_ACQUIRE);

			if (!chunk)
				continue;
			for (unsigned int i = 0; i < CHUNK_SIZE; i++)
				if (__atomic_load_n(&chunk[i].name, __ATOMIC_ACQUIRE))
					f(&chunk[i], o->name, arg);
		}
}

static void take_inherited(struct binding *b, const char *object, void *arg)
{
	(void)object;
	(void)arg;
	b->done = b->snap;
}

static void take_snap(struct binding *b, const char *object, void *arg)
{
	(void)object;
	(void)arg;
	b->snap = __atomic_load_n(&b->count, __ATOMIC_RELAXED);
}

/*
 * A forked child starts with a copy of its parent's counters. Just before
 * fork() runs, every count is copied to snap with this process's pid; a
 * process that finds a snapshot taken under another pid is that fork's
 * child, and the counts up to it are its parent's to write, not its own.
 * getpid() is a real system call (glibc caches nothing), so it is only
 * made at forks and flushes.
 */
static void take_all(struct binding *b, const char *object, void *arg)
{
	(void)object;
	(void)arg;
	b->done = __atomic_load_n(&b->count, __ATOMIC_RELAXED);
}

static void settle_inheritance(void)
{
	pid_t me = getpid();

	if (snapshot_pid && snapshot_pid != me) {
		each_binding(take_inherited, NULL);
		snapshot_pid = 0;
	} else if (owner_pid && owner_pid != me) {
		/*
		 * A child of a fork that did not go through a PLT (a raw
		 * clone or fork system call): no snapshot says where its
		 * parent's counts end. Leaving them all to the parent loses
		 * the child's calls so far; writing them would count the
		 * parent's twice.
		 */
		each_binding(take_all, NULL);
	}
	owner_pid = me;
}

static void fork_snapshot(void)
{
	settle_inheritance();
	each_binding(take_snap, NULL);
	snapshot_pid = owner_pid;
}

/*
 * A vfork child shares its parent's memory until it execs or exits: its
 * calls land in the parent's counters, and it must not flush them (that
 * would mark them written in the parent too). They stay the parent's.
 */
static int in_vfork_child(void)
{
	return vfork_parent && vfork_parent != getpid();
}

void la_preinit(uintptr_t *cookie)
{
	(void)cookie;
	owner_pid = getpid();
}

struct writer {
	const char *path;
	int fd;       /* opened at the first line, so an empty flush opens nothing */
	int failed;
	char buf[8192];
	size_t len;
};

static void write_out(struct writer *w)
{
	size_t off = 0;

	if (!w->len || w->failed)
		return;
	if (w->fd < 0) {
		w->fd = open(w->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (w->fd < 0) {
			w->failed = 1;
			return;
		}
	}
	while (off < w->len) {
		ssize_t n = write(w->fd, w->buf + off, w->len - off);

		if (n <= 0) {
			w->failed = 1;
			break;
		}
		off += (size_t)n;
	}
	w->len = 0;
}

static void write_binding(struct binding *b, const char *object, void *arg)
{
	struct writer *w = arg;
	unsigned long now = __atomic_load_n(&b->count, __ATOMIC_RELAXED);
	size_t need = strlen(b->name) + strlen(object) + 32;
	int len;

	if (now == b->done || need > sizeof(w->buf))
		return;   /* nothing new, or an 8 KiB name: not worth a line */
	if (w->len + need > sizeof(w->buf))
		write_out(w);
	len = snprintf(w->buf + w->len, sizeof(w->buf) - w->len, "%lu\t%s\t%s\n",
		       now - b->done, b->name, object);
	if (len > 0)
		w->len += (size_t)len;
	b->done = now;
}

static void find_news(struct binding *b, const char *object, void *arg)
{
	(void)object;
	*(int *)arg |= __atomic_load_n(&b->count, __ATOMIC_RELAXED) != b->done;
}

static void flush_counts(void)
{
	const char *prefix = getenv("STEADY_AUDIT_OUT");
	struct writer *w;
	char path[4096];
	int news = 0;

	if (!prefix || !*prefix)
		return;
	/*
	 * Nothing new, nothing to do: not even getpid(), whose calls would
	 * show in the traced program's system calls. (A forked child always
	 * has news before settling: its parent's counts.)
	 */
	each_binding(find_news, &news);
	if (!news || in_vfork_child())
		return;
	settle_inheritance();
	if ((size_t)snprintf(path, sizeof(path), "%s.%d", prefix, (int)getpid()) >= sizeof(path))
		return;
	w = calloc(1, sizeof(*w));
	if (!w)
		return;
	w->path = path;
	w->fd = -1;
	each_binding(write_binding, w);
	write_out(w);
	if (w->fd >= 0)
		close(w->fd);
	free(w);
}

Elf64_Addr la_x86_64_gnu_pltenter(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook,
				  uintptr_t *defcook, La_x86_64_regs *regs,
				  unsigned int *flags, const char *symname,
				  long int *framesizep)
{
	struct object *o = (struct object *)*defcook;
	struct binding *b = o ? binding_of(o, ndx, symname) : NULL;

	(void)refcook;
	(void)regs;
	(void)flags;
	(void)framesizep;
	if (b) {
		__atomic_fetch_add(&b->count, 1, __ATOMIC_RELAXED);
		if (b->kind == FORKS)
			fork_snapshot();
		else if (b->kind == VFORKS)
			vfork_parent = getpid();
		else if (b->kind == EXECS)
			flush_counts();
	}
	return sym->st_value;
}

unsigned int la_objclose(uintptr_t *cookie)
{
	struct object *o = (struct object *)*cookie;

	/*
	 * _dl_fini closes the program's object right after its destructors,
	 * then the libraries one by one (dlclose closes libraries earlier,
	 * never the program). Each close from the program's on flushes what
	 * is new, usually nothing after the first: the vDSO is never closed,
	 * so "the last close" cannot be waited for.
	 */
	if (!o || !o->in_base)
		return 0;
	main_closed |= o->is_main;
	if (main_closed)
		flush_counts();
	return 0;
}
