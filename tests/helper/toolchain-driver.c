/*
 * toolchain-driver: the shell tests' way into src/toolchain/ (tree.c,
 * patch.c) before a command uses them: each action is one library call,
 * so tests/t0011-toolchain-tree.sh drives real copies with real git, tar
 * and patch. Linked against libsteady.a with the library's own flags (and
 * sanitizers), unlike steady-helper, which is benchmarked.
 *
 * Usage: toolchain-driver ACTION ARG...
 *
 *   workspace WHAT          make a workspace, print its path
 *   copy-sources SRC DST    tree_copy_sources()
 *   copy-all SRC DST        tree_copy_all()
 *   export REPO REV DST     tree_export_rev()
 *   apply DIR PATCH         patch_apply()
 *   remove PATH             tree_remove()
 *
 * Exit status: 0 when the call succeeded, 2 (EXIT_USAGE) when it failed
 * (its error line on stderr), 100 for bad usage of the driver itself.
 */
#include "lib/util.h"
#include "toolchain/patch.h"
#include "toolchain/tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct action {
	const char *name;
	int nargs;
	int (*two)(const char *, const char *);
	int (*three)(const char *, const char *, const char *);
	int (*one)(const char *);
};

static int workspace(const char *what)
{
	char *path = tree_workspace_new(what);

	if (!path)
		return -1;
	printf("%s\n", path);
	free(path);
	return 0;
}

static const struct action actions[] = {
	{ "workspace", 1, NULL, NULL, workspace },
	{ "copy-sources", 2, tree_copy_sources, NULL, NULL },
	{ "copy-all", 2, tree_copy_all, NULL, NULL },
	{ "export", 3, NULL, tree_export_rev, NULL },
	{ "apply", 2, patch_apply, NULL, NULL },
	{ "remove", 1, NULL, NULL, tree_remove },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc >= 2 && i < sizeof(actions) / sizeof(*actions); i++) {
		const struct action *a = &actions[i];
		int ret;

		if (strcmp(argv[1], a->name))
			continue;
		if (argc != a->nargs + 2)
			break;
		if (a->nargs == 1)
			ret = a->one(argv[2]);
		else if (a->nargs == 2)
			ret = a->two(argv[2], argv[3]);
		else
			ret = a->three(argv[2], argv[3], argv[4]);
		if (fflush(stdout))
			ret = -1;
		return ret ? EXIT_USAGE : EXIT_OK;
	}
	fprintf(stderr, "usage: toolchain-driver workspace WHAT | copy-sources SRC DST | "
		"copy-all SRC DST | export REPO REV DST | apply DIR PATCH | remove PATH\n");
	return 100;
}
