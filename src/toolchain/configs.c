/*
 * configs: see configs.h.
 */
#include "toolchain/configs.h"
#include "toolchain/build.h"
#include "toolchain/elf_text.h"
#include "toolchain/tree.h"
#include "toolchain/variants.h"
#include "lib/digest.h"
#include "lib/util.h"
#include "lib/words.h"
#include "measure/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bumped when what a key covers changes, so old entries are not taken for new ones. */
#define CONFIGS_KEY_VERSION "steady-sweep-build-1"

void config_build_release(struct config_build *b)
{
	free(b->dir);
	free(b->log);
	free(b->program);
	free(b->final_cflags);
	free(b->final_ldflags);
	b->dir = b->log = b->program = b->final_cflags = b->final_ldflags = NULL;
}

/* "a b" from two flag strings either of which may be empty or NULL: a new string. */
static char *join_flags(const char *a, const char *b)
{
	a = a ? a : "";
	b = b ? b : "";
	return xasprintf("%s%s%s", a, *a && *b ? " " : "", b);
}

/* 1 when path (resolved) is dir or lies below it. */
static int path_within(const char *path, const char *dir)
{
	char *rp = realpath(path, NULL), *rd = realpath(dir, NULL);
	int in = 0;

	if (rp && rd) {
		size_t len = strlen(rd);

		in = !strncmp(rp, rd, len) && (rp[len] == '\0' || rp[len] == '/' ||
					       !strcmp(rd, "/"));
	}
	free(rp);
	free(rd);
	return in;
}

/* mkdir -p of dir (mode 0755). 0, or -1 after one line. */
static int make_dirs(const char *dir)
{
	char *copy = xstrdup(dir);
	int ret = 0;

	for (char *p = copy + 1; ; p++) {
		if (*p != '/' && *p)
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(copy, 0755) && errno != EEXIST) {
			ret = error("cannot create '%s': %s", copy, strerror(errno));
			break;
		}
		*p = saved;
		if (!saved)
			break;
	}
	free(copy);
	return ret;
}

/*
 * The build directory to ourselves while building: two sweeps sharing it
 * would make the same entry at once. Waits (interruptibly) for another
 * sweep's builds to end. The lock's descriptor, or -1 after one line
 * (or on an interrupt).
 */
static int lock_builds(const char *builds)
{
	char *path = xasprintf("%s/.lock", builds);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644), said = 0;

	if (fd < 0) {
		error("cannot lock '%s': %s", path, strerror(errno));
		free(path);
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			error("cannot lock '%s': %s", path, strerror(errno));
			break;
		}
		if (spawn_interrupted())
			break;
		if (!said)
			note_on_terminal("waiting for another sweep building in %s", builds);
		said = 1;
		usleep(200 * 1000);
	}
	free(path);
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The compiler's identity in a key: its resolved path, size and time. */
static void digest_compiler(struct digest *d, const char *cc)
{
	char *found = strchr(cc, '/') ? xstrdup(cc) : spawn_find_program(cc);
	char *real = found ? realpath(found, NULL) : NULL;
	struct stat st;

	digest_string(d, cc);
	if (real && !stat(real, &st)) {
		int64_t id[3] = { (int64_t)st.st_size, (int64_t)st.st_mtim.tv_sec,
				  (int64_t)st.st_mtim.tv_nsec };

		digest_string(d, real);
		digest_bytes(d, id, sizeof(id));
	}
	free(real);
	free(found);
}

/* The key of b[i] (keys of earlier builds already made). */
static void make_key(const struct configs_request *req, const uint64_t side_digest[2][2],
		     struct config_build *b, size_t i)
{
	struct config_build *x = &b[i];
	struct digest d;
	uint64_t count;

	digest_init(&d);
	digest_string(&d, CONFIGS_KEY_VERSION);
	digest_bytes(&d, side_digest[x->side], sizeof(side_digest[x->side]));
	count = req->nr_build;
	digest_bytes(&d, &count, sizeof(count));
	for (size_t k = 0; k < req->nr_build; k++)
		digest_string(&d, req->build[k]);
	digest_bytes(&d, &req->shell, sizeof(req->shell));
	count = x->nr_values;
	digest_bytes(&d, &count, sizeof(count));
	for (size_t k = 0; k < x->nr_values; k++) {
		digest_string(&d, x->values[k].name);
		digest_string(&d, x->values[k].value);
	}
	digest_compiler(&d, x->cc);
	digest_string(&d, x->cflags);
	digest_string(&d, x->ldflags);
	digest_string(&d, x->variant_cflags);
	digest_bytes(&d, &x->pgo, sizeof(x->pgo));
	if (x->pgo && x->variant_cflags) {
		digest_string(&d, b[x->profile_of].key);
	} else if (x->pgo) {
		count = req->nr_train;
		digest_bytes(&d, &count, sizeof(count));
		for (size_t k = 0; k < req->nr_train; k++)
			digest_string(&d, req->train[k]);
		digest_string(&d, req->nr_train ? NULL : req->run);
	}
	digest_hex(&d, x->key);
}

/* Reads the build time a done file recorded: 0 with *seconds, or -1. */
static int read_done(const char *path, double *seconds)
{
	FILE *f = fopen(path, "re");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "seconds %lf", seconds) == 1 && isfinite(*seconds);
	fclose(f);
	return ok ? 0 : -1;
}

/* Records a finished build: done written last, atomically. 0 or -1 after one line. */
static int write_done(const char *entry, double seconds)
{
	char *tmp = xasprintf("%s/done.tmp", entry), *path = xasprintf("%s/done", entry);
	FILE *f = fopen(tmp, "we");
	int ret = 0;

	if (!f || fprintf(f, "seconds %.6f\n", seconds) < 0 || fclose(f) || rename(tmp, path)) {
		ret = error("cannot record the build in '%s': %s", entry, strerror(errno));
		if (f)
			unlink(tmp);
	}
	free(tmp);
	free(path);
	return ret;
}

/* What one build needs done this time. */
struct pending {
	char *entry;                /* DIR/KEY */
	char *gen, *profile;        /* PGO base: the instrumented tree, the profile */
	char *gen_name;             /* the instrumented build in messages */
	struct build_request req;   /* the build being run (the fields it borrows below) */
	char *cflags, *ldflags;
	char *train_env[2];
	int todo;                   /* not cached: to build */
	int failed;
	int completed;              /* its last step ended (done written if it built) */
};

static void pending_release(struct pending *p)
{
	free(p->entry);
	free(p->gen);
	free(p->profile);
	free(p->gen_name);
	free(p->cflags);
	free(p->ldflags);
	free(p->train_env[0]);
}

/*
 * A build whose last step ended: ok when every step was and it made its
 * program, and then recorded at once (an interrupt later keeps it).
 */
static void complete(struct config_build *x, struct pending *q)
{
	q->completed = 1;
	x->ok = !q->failed;
	if (x->ok && x->program && access(x->program, X_OK)) {
		error("build of %s did not make the program '%s' (log: %s)", x->label, x->program,
		      x->log);
		x->ok = 0;
	}
	if (x->ok && write_done(q->entry, x->seconds))
		x->ok = 0;
}

struct progress_count {
	size_t done, total;
};

static void build_done(void *ctx, const struct build_request *r)
{
	struct progress_count *c = ctx;

	c->done++;
	if (r->ok)
		note_on_terminal("build %zu of %zu: %s (%.1f s)", c->done, c->total, r->name, r->seconds);
	else if (!r->interrupted)
		note_on_terminal("build %zu of %zu: %s FAILED", c->done, c->total, r->name);
}

static void fill_request(const struct configs_request *req, struct config_build *x,
			 struct pending *p, const char *dir, const char *name)
{
	memset(&p->req, 0, sizeof(p->req));
	p->req.name = name;
	p->req.commands = (const char *const *)req->build;
	p->req.ncommands = req->nr_build;
	p->req.shell = req->shell;
	p->req.dir = dir;
	p->req.cc = x->cc;
	p->req.cflags = p->cflags;
	p->req.ldflags = p->ldflags;
	p->req.log_path = x->log;
	p->req.values = x->values;
	p->req.nr_values = x->nr_values;
}

/*
 * Runs the requests of the builds marked in pick (phase one or three) at
 * once. Returns -1 when interrupted, else 0; each failure marks its build.
 */
static int run_phase(const struct configs_request *req, struct config_build *b,
		     struct pending *p, size_t n, const unsigned char *pick,
		     struct progress_count *count)
{
	struct build_request *reqs = xcalloc(n + 1, sizeof(*reqs));
	size_t *which = xcalloc(n + 1, sizeof(*which)), m = 0;
	enum build_result r;

	for (size_t i = 0; i < n; i++)
		if (pick[i]) {
			which[m] = i;
			reqs[m++] = p[i].req;
		}
	r = m ? build_run_all_progress(reqs, m, req->jobs, build_done, count) : BUILD_OK;
	for (size_t k = 0; k < m; k++) {
		struct pending *q = &p[which[k]];

		q->req = reqs[k];
		if (!q->req.ok)
			q->failed = 1;
		b[which[k]].seconds += q->req.seconds;
	}
	free(reqs);
	free(which);
	return r == BUILD_INTERRUPTED ? -1 : 0;
}

/* The training runs of a PGO base build, in its instrumented tree, then the profile. */
static int train(const struct configs_request *req, struct config_build *x, struct pending *p)
{
	char *const default_train[] = { (char *)req->run, NULL };
	char *name = xasprintf("the training of %s", x->label);
	struct build_request t = {
		.name = name,
		.commands = (const char *const *)(req->nr_train ? req->train : default_train),
		.ncommands = req->nr_train ? req->nr_train : 1,
		.shell = req->shell,
		.dir = p->gen,
		.cc = x->cc,
		.cflags = p->cflags,
		.ldflags = p->ldflags,
		.log_path = x->log,
		.values = x->values,
		.nr_values = x->nr_values,
		.env_add = p->train_env[0] ? p->train_env : NULL,
	};
	enum build_result r;

	note_on_terminal("training %s", x->label);
	r = build_run(&t);
	free(name);
	x->seconds += t.seconds;
	if (r == BUILD_INTERRUPTED)
		return -1;
	if (!t.ok || pgo_finish_profile(x->family, x->cc, p->profile))
		p->failed = 1;
	return 0;
}

/* Sets up the entry of build i: its directories, sources and flags. 0, or an exit code. */
static int prepare(const struct configs_request *req, const char *ws, struct config_build *b,
		   struct pending *p, size_t i)
{
	struct config_build *x = &b[i];
	struct pending *q = &p[i];
	char *src = xasprintf("%s/src-%c", ws, 'A' + x->side);
	char *done = xasprintf("%s/done", q->entry);
	double seconds;
	int ret = 0;

	x->dir = xasprintf("%s/tree", q->entry);
	x->log = xasprintf("%s/build.log", q->entry);
	x->program = build_program_path(req->run, req->shell, req->binary, x->dir);
	if (x->pgo && !x->variant_cflags) {
		q->gen = xasprintf("%s/gen", q->entry);
		q->profile = xasprintf("%s/profile", q->entry);
	}
	if (!req->rebuild && !read_done(done, &seconds) &&
	    (!x->program || !access(x->program, X_OK))) {
		x->cached = 1;
		x->ok = 1;
		x->seconds = seconds;
		goto out;
	}
	q->todo = 1;
	x->seconds = 0;
	if ((!access(q->entry, F_OK) && tree_remove(q->entry)) || make_dirs(q->entry) ||
	    tree_copy_all(src, x->dir) || (q->gen && tree_copy_all(src, q->gen)) ||
	    (q->profile && mkdir(q->profile, 0755) &&
	     error("cannot create '%s': %s", q->profile, strerror(errno))))
		ret = spawn_exit_code(EXIT_FAILED);
out:
	free(done);
	free(src);
	return ret;
}

/* The flags of the build each pending one runs next. 0, or -1 after one line. */
static int plan_flags(struct config_build *b, struct pending *p, size_t i, int phase)
{
	struct config_build *x = &b[i];
	struct pending *q = &p[i];
	struct pgo_flags f = { NULL, NULL };
	char *base = join_flags(x->cflags, x->variant_cflags);

	free(q->cflags);
	free(q->ldflags);
	q->cflags = q->ldflags = NULL;
	if (!x->pgo) {
		q->cflags = base;
		q->ldflags = xstrdup(x->ldflags ? x->ldflags : "");
		return 0;
	}
	if (phase == 1 ? pgo_generate_flags(x->family, q->profile, q->gen, &f) :
	    pgo_use_flags(x->family, x->variant_cflags ? p[x->profile_of].profile : q->profile,
			  x->dir, &f)) {
		free(base);
		return -1;
	}
	q->cflags = join_flags(base, f.cflags);
	q->ldflags = join_flags(x->ldflags, f.ldflags);
	free(base);
	pgo_flags_release(&f);
	return 0;
}

int configs_build(const struct configs_request *req, struct config_build *b, size_t n)
{
	struct pending *p = xcalloc(n + 1, sizeof(*p));
	unsigned char *pick = xcalloc(n + 1, 1);
	uint64_t side_digest[2][2] = { { 0, 0 }, { 0, 0 } };
	struct progress_count count = { 0, 0 };
	int two = req->two_sides;
	char *ws = NULL, *builds = NULL;
	size_t cached = 0;
	int ret = EXIT_FAILED, interrupted, lock = -1;

	for (size_t i = 0; i < n; i++) {
		b[i].ok = b[i].cached = 0;
		b[i].seconds = 0;
		b[i].text_bytes = -1;
	}
	if (make_dirs(req->builds_dir))
		goto out;
	/* {dir} and PGO's prefix paths must be absolute and physical */
	builds = realpath(req->builds_dir, NULL);
	if (!builds) {
		error("cannot use '%s': %s", req->builds_dir, strerror(errno));
		goto out;
	}
	lock = lock_builds(builds);
	if (lock < 0) {
		ret = spawn_exit_code(EXIT_FAILED);
		goto out;
	}
	for (int side = 0; side < 1 + two; side++) {
		const char *src = side ? (req->src_b ? req->src_b : req->src_a) : req->src_a;

		if (path_within(req->builds_dir, src)) {
			error("the build directory '%s' lies inside the sources '%s': every copy would take it along (give --builds DIR elsewhere)",
			      req->builds_dir, src);
			ret = EXIT_USAGE;
			goto out;
		}
	}
	ws = tree_workspace_new("sweep");
	if (!ws)
		goto out;
	for (int side = 0; side < 1 + two; side++) {
		char *src = xasprintf("%s/src-%c", ws, 'A' + side);
		int bad = variants_side_sources(side && req->src_b ? req->src_b : req->src_a,
						side ? req->rev_b : req->rev_a,
						side ? req->patch : NULL, src);

		if (!bad && tree_digest(src, side_digest[side]))
			bad = 1;
		free(src);
		if (bad) {
			ret = spawn_exit_code(EXIT_USAGE);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		make_key(req, (const uint64_t (*)[2])side_digest, b, i);
		p[i].entry = xasprintf("%s/%s", builds, b[i].key);
		ret = prepare(req, ws, b, p, i);
		if (ret)
			goto out;
		cached += b[i].cached;
		if (p[i].todo)
			count.total += b[i].pgo && !b[i].variant_cflags ? 2 : 1;
	}
	ret = EXIT_FAILED;
	note_on_terminal("%zu builds: %zu kept from earlier sweeps in %s, %zu to build, up to %u at once",
	    n, cached, builds, n - cached, req->jobs);

	/* phase one: plain builds and PGO's instrumented ones */
	for (size_t i = 0; i < n; i++) {
		if (!p[i].todo || (b[i].pgo && b[i].variant_cflags))
			continue;
		if (plan_flags(b, p, i, 1)) {
			ret = EXIT_USAGE;
			goto out;
		}
		if (b[i].pgo) {
			p[i].gen_name = xasprintf("%s (instrumented)", b[i].label);
			fill_request(req, &b[i], &p[i], p[i].gen, p[i].gen_name);
			p[i].train_env[0] = pgo_training_env(b[i].family, p[i].profile);
		} else {
			fill_request(req, &b[i], &p[i], b[i].dir, b[i].label);
		}
		pick[i] = 1;
	}
	interrupted = run_phase(req, b, p, n, pick, &count);
	for (size_t i = 0; i < n; i++)
		if (pick[i] && !b[i].pgo)
			complete(&b[i], &p[i]);
	if (interrupted) {
		ret = EXIT_INTERRUPTED;
		goto out;
	}

	/* phase two: training, one at a time */
	for (size_t i = 0; i < n; i++)
		if (p[i].todo && b[i].pgo && !b[i].variant_cflags && !p[i].failed &&
		    train(req, &b[i], &p[i])) {
			ret = EXIT_INTERRUPTED;
			goto out;
		}

	/* phase three: the builds that use a profile */
	memset(pick, 0, n);
	for (size_t i = 0; i < n; i++) {
		size_t base = b[i].variant_cflags ? b[i].profile_of : i;

		if (!p[i].todo || !b[i].pgo)
			continue;
		if (p[i].failed || (base != i && p[base].failed)) {
			p[i].failed = 1;
			continue;
		}
		if (plan_flags(b, p, i, 3)) {
			ret = EXIT_USAGE;
			goto out;
		}
		fill_request(req, &b[i], &p[i], b[i].dir, b[i].label);
		pick[i] = 1;
	}
	interrupted = run_phase(req, b, p, n, pick, &count);
	for (size_t i = 0; i < n; i++)
		if (pick[i])
			complete(&b[i], &p[i]);
	if (interrupted) {
		ret = EXIT_INTERRUPTED;
		goto out;
	}

	for (size_t i = 0; i < n; i++) {
		struct config_build *x = &b[i];

		if (p[i].todo) {
			/* a step before its last failed */
			if (!p[i].completed)
				x->ok = 0;
		} else if (plan_flags(b, p, i, 3)) {
			ret = EXIT_USAGE;
			goto out;
		}
		/* the flags of its last build, as recorded */
		x->final_cflags = p[i].cflags;
		x->final_ldflags = p[i].ldflags;
		p[i].cflags = p[i].ldflags = NULL;
		x->text_bytes = x->ok ? elf_program_text_bytes(x->program) : -1;
	}
	ret = 0;
out:
	for (size_t i = 0; i < n; i++)
		pending_release(&p[i]);
	free(p);
	free(pick);
	free(builds);
	if (lock >= 0)
		close(lock);
	if (ws) {
		tree_remove(ws);
		free(ws);
	}
	return ret;
}

char *configs_default_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (xdg && *xdg == '/')
		return xasprintf("%s/steady/sweep", xdg);
	if (home && *home == '/')
		return xasprintf("%s/.cache/steady/sweep", home);
	return NULL;
}
