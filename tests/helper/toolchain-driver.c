/*
 * toolchain-driver: the tests' hook into src/toolchain/, one library call
 * per action (tests/t0011-toolchain-tree.sh, t0012-toolchain-build.sh).
 * Linked against libsteady.a with the library's flags and sanitizers, so
 * the shell tests run the library's own copies, patching, build runner,
 * flags and ELF reader on real git, tar, patch, compilers and processes.
 *
 *   toolchain-driver workspace WHAT          make a workspace, print its path
 *   toolchain-driver copy-sources SRC DST    tree_copy_sources()
 *   toolchain-driver copy-all SRC DST        tree_copy_all()
 *   toolchain-driver export REPO REV DST     tree_export_rev()
 *   toolchain-driver apply DIR PATCH         patch_apply()
 *   toolchain-driver remove PATH             tree_remove()
 *   toolchain-driver build [-j N] REQUEST [--next REQUEST]...
 *       REQUEST: --name N --dir D --log L [--cc CC] [--cflags F]
 *                [--ldflags F] [--seed S] [--shell] --build CMD [--build CMD]...
 *       builds them with build_run_all(); one line per request on stdout,
 *       "NAME ok", "NAME failed: STATUS" or "NAME interrupted"; exit 0 when
 *       all built, 1 when some failed, 130 when interrupted
 *   toolchain-driver flags PERTURBATION SEED I   variant I's cflags= and ldflags= lines
 *   toolchain-driver base PERTURBATION           the base build's cflags= and ldflags=
 *   toolchain-driver check PERTURBATION CC       perturb_check: exit 0 or 1
 *   toolchain-driver default CC                  the default perturbation's name
 *   toolchain-driver check-template [--shell] CMD
 *   toolchain-driver forget TREE BINARY          build_forget_binary
 *   toolchain-driver section-size FILE SECTION   the size in decimal
 *   toolchain-driver symbol FILE NAME            the address in hex, 0x-less
 *
 * Exit code 2 for a usage error or a library error (its line on stderr).
 */
#include "lib/util.h"
#include "measure/spawn.h"
#include "toolchain/build.h"
#include "toolchain/elf_text.h"
#include "toolchain/patch.h"
#include "toolchain/perturb.h"
#include "toolchain/tree.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(const char *why)
{
	fprintf(stderr, "toolchain-driver: %s\n", why);
	return 2;
}

/* The requests of `build`, each with its own list of commands. */
struct requests {
	struct build_request *reqs;
	const char ***commands;
	size_t n, alloc;
};

static struct build_request *new_request(struct requests *r)
{
	ALLOC_GROW(r->reqs, r->n + 1, r->alloc);
	r->commands = xrealloc(r->commands, r->alloc * sizeof(*r->commands));
	memset(&r->reqs[r->n], 0, sizeof(r->reqs[r->n]));
	r->commands[r->n] = NULL;
	return &r->reqs[r->n++];
}

static int cmd_build(int argc, char **argv)
{
	struct requests r = { 0 };
	struct build_request *req;
	unsigned long jobs = 1;
	enum build_result res;
	int i = 0;

	if (argc > 1 && !strcmp(argv[0], "-j")) {
		if (parse_uint(argv[1], SPAWN_MAX_RUNNING, &jobs))
			return usage("bad -j");
		i = 2;
	}
	req = new_request(&r);
	for (; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		size_t k = r.n - 1;

		if (!strcmp(opt, "--next")) {
			req = new_request(&r);
			continue;
		}
		if (!strcmp(opt, "--shell")) {
			req->shell = 1;
			continue;
		}
		if (!val)
			return usage("an option without its value");
		i++;
		if (!strcmp(opt, "--name"))
			req->name = val;
		else if (!strcmp(opt, "--dir"))
			req->dir = val;
		else if (!strcmp(opt, "--log"))
			req->log_path = val;
		else if (!strcmp(opt, "--cc"))
			req->cc = val;
		else if (!strcmp(opt, "--cflags"))
			req->cflags = val;
		else if (!strcmp(opt, "--ldflags"))
			req->ldflags = val;
		else if (!strcmp(opt, "--seed"))
			req->seed = strtoull(val, NULL, 10);
		else if (!strcmp(opt, "--build")) {
			r.commands[k] = xrealloc(r.commands[k], (req->ncommands + 1) * sizeof(char *));
			r.commands[k][req->ncommands++] = val;
		} else
			return usage("unknown build option");
	}
	for (size_t k = 0; k < r.n; k++) {
		r.reqs[k].commands = r.commands[k];
		if (!r.reqs[k].name || !r.reqs[k].log_path)
			return usage("a request needs --name and --log");
	}
	res = build_run_all(r.reqs, r.n, (unsigned)jobs);
	for (size_t k = 0; k < r.n; k++) {
		const struct build_request *q = &r.reqs[k];

		if (q->ok)
			printf("%s ok\n", q->name);
		else if (q->interrupted)
			printf("%s interrupted\n", q->name);
		else
			printf("%s failed: %s\n", q->name, q->status);
		free(r.commands[k]);
	}
	free(r.commands);
	free(r.reqs);
	return res == BUILD_OK ? 0 : res == BUILD_INTERRUPTED ? EXIT_INTERRUPTED : 1;
}

static void print_flags(const struct perturb_flags *f)
{
	printf("cflags=%s\nldflags=%s\n", f->cflags, f->ldflags);
}

static int cmd_flags(int argc, char **argv)
{
	enum perturbation p;
	struct perturb_flags f;
	unsigned long i;

	if (argc != 3 || perturb_parse(argv[0], &p) || parse_uint(argv[2], 1000000, &i))
		return usage("flags PERTURBATION SEED I");
	perturb_variant(p, strtoull(argv[1], NULL, 10), i, &f);
	print_flags(&f);
	return 0;
}

static int workspace(const char *what)
{
	char *path = tree_workspace_new(what);

	if (!path)
		return -1;
	printf("%s\n", path);
	free(path);
	return 0;
}

/* The tree and patch actions: -1 when cmd is none of them, else the exit code. */
static int tree_action(const char *cmd, int argc, char **argv)
{
	int ret;

	if (!strcmp(cmd, "workspace") && argc == 1)
		ret = workspace(argv[0]);
	else if (!strcmp(cmd, "copy-sources") && argc == 2)
		ret = tree_copy_sources(argv[0], argv[1]);
	else if (!strcmp(cmd, "copy-all") && argc == 2)
		ret = tree_copy_all(argv[0], argv[1]);
	else if (!strcmp(cmd, "export") && argc == 3)
		ret = tree_export_rev(argv[0], argv[1], argv[2]);
	else if (!strcmp(cmd, "apply") && argc == 2)
		ret = patch_apply(argv[0], argv[1]);
	else if (!strcmp(cmd, "remove") && argc == 1)
		ret = tree_remove(argv[0]);
	else
		return -1;
	if (fflush(stdout))
		ret = -1;
	return ret ? EXIT_USAGE : EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	enum perturbation p;
	uint64_t value;

	spawn_catch_signals();
	argc -= 2;
	argv += 2;
	if (argc >= 0) {
		int ret = tree_action(cmd, argc, argv);

		if (ret >= 0)
			return ret;
	}
	if (!strcmp(cmd, "build"))
		return cmd_build(argc, argv);
	if (!strcmp(cmd, "flags"))
		return cmd_flags(argc, argv);
	if (!strcmp(cmd, "base") && argc == 1) {
		struct perturb_flags f;

		if (perturb_parse(argv[0], &p))
			return 2;
		perturb_base(p, &f);
		print_flags(&f);
		return 0;
	}
	if (!strcmp(cmd, "check") && argc == 2) {
		if (perturb_parse(argv[0], &p))
			return 2;
		return perturb_check(p, argv[1]) ? 1 : 0;
	}
	if (!strcmp(cmd, "default") && argc == 1) {
		printf("%s\n", perturb_name(perturb_default(argv[0])));
		return 0;
	}
	if (!strcmp(cmd, "check-template") && (argc == 1 || argc == 2))
		return build_check_template(argv[argc - 1], argc == 2) ? 2 : 0;
	if (!strcmp(cmd, "forget") && argc == 2)
		return build_forget_binary(argv[0], argv[1]) ? 2 : 0;
	if (!strcmp(cmd, "section-size") && argc == 2) {
		if (elf_section_size(argv[0], argv[1], &value))
			return 2;
		printf("%" PRIu64 "\n", value);
		return 0;
	}
	if (!strcmp(cmd, "symbol") && argc == 2) {
		if (elf_symbol_address(argv[0], argv[1], &value))
			return 2;
		printf("%" PRIx64 "\n", value);
		return 0;
	}
	return usage("workspace | copy-sources | copy-all | export | apply | remove | build | flags | base | check | default | check-template | forget | "
		     "section-size | symbol (see the comment at the top)");
}
