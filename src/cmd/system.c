/*
 * system: `steady system show|tune|reset` — the machine's sources of
 * noise (system_checks.c), applied fixes and their exact undo
 * (system_state.c). This file only parses, prints and decides exit codes.
 *
 * --root DIR runs everything against a copy of /sys and /proc under DIR
 * (for tests); the saved state then lives under DIR too.
 */
#include "cmd/builtin.h"
#include "system/checks.h"
#include "system/knobs.h"
#include "system/state.h"
#include "lib/util.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char system_usage_head[] =
"usage: steady system show [--json] [--check]\n"
"       steady system tune\n"
"       steady system reset\n"
"\n"
"show   checks every source of noise steady knows (CPU governor, turbo,\n"
"       minimum frequency, isolated CPUs, ASLR, perf sampling rate,\n"
"       irqbalance, IRQ affinity, SMT siblings, transparent huge pages, swap,\n"
"       load, hypervisor) and prints OK, WARNING or N/A with the value found\n"
"       and what to do. Exit code 0 when it could check; with --check,\n"
"       3 when any check warns (not tuned), for scripts.\n"
"tune   (root) applies what steady can change, saving every previous value\n"
"       in " SYSTEM_STATE_PATH "; reports every write.\n"
"reset  (root) writes back exactly the saved values and removes the file;\n"
"       without a saved state it changes nothing. Both write only the knobs\n"
"       tune manages, never through a symbolic link, and refuse a state file\n"
"       that root alone could not have written (steady-system(1)).\n"
"\n";

static const char system_usage_tail[] =
"\n"
"Exit codes: 0 done (show: whatever it found), 1 a write failed (tune,\n"
"reset), 2 bad usage, not root, or a saved state refused as unsafe,\n"
"3 not tuned (show --check).\n";

enum { OPT_JSON = 256, OPT_ROOT, OPT_CHECK };

static const struct option_doc system_options[] = {
	OPTDOC(NULL, "json", OPT_JSON, NULL, "show: print the checks as JSON"),
	OPTDOC(NULL, "check", OPT_CHECK, NULL, "show: exit 3 when the machine is not tuned"),
	OPTION_COLOR,
	OPTDOC(NULL, "root", OPT_ROOT, "DIR", "read and write DIR/sys, DIR/proc... instead (tests)"),
	OPTION_VERSION,
	OPTION_HELP,
	OPTDOC_END
};

/* Runs every check; results[i] for checks[i]. Returns the WARNING count. */
static size_t run_checks(const struct sysroot *r, struct check_result **results,
			 size_t *tunable_warnings)
{
	size_t n, warnings = 0;
	const struct system_check *checks = system_checks(&n);

	*results = xcalloc(n, sizeof(**results));
	*tunable_warnings = 0;
	for (size_t i = 0; i < n; i++) {
		checks[i].show(r, &(*results)[i]);
		if ((*results)[i].state == CHECK_WARNING) {
			warnings++;
			*tunable_warnings += (*results)[i].fixable;
		}
	}
	return warnings;
}

static void release_results(struct check_result *results)
{
	size_t n;

	system_checks(&n);
	for (size_t i = 0; i < n; i++)
		check_result_release(&results[i]);
	free(results);
}

static int print_json(const struct check_result *res, size_t warnings)
{
	size_t n;
	const struct system_check *checks = system_checks(&n);
	json_t *root = json_object(), *list = json_array();
	int ret = 0;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s,s:o,s:b}",
			"name", checks[i].name, "title", checks[i].title,
			"state", check_state_name(res[i].state), "value", res[i].value,
			"advice", res[i].advice ? json_string(res[i].advice) : json_null(),
			"tunable", res[i].fixable));
	json_object_set_new(root, "tuned", json_boolean(!warnings));
	json_object_set_new(root, "warnings", json_integer((json_int_t)warnings));
	json_object_set_new(root, "checks", list);
	if (json_dumpf(root, stdout, JSON_INDENT(2)) || putchar('\n') == EOF)
		ret = -1;
	json_decref(root);
	return ret;
}

static void print_text(const struct check_result *res, size_t warnings, size_t tunable)
{
	size_t n;
	const struct system_check *checks = system_checks(&n);
	int color = use_color(STDOUT_FILENO);

	for (size_t i = 0; i < n; i++) {
		const char *c = !color ? "" : res[i].state == CHECK_OK ? "\033[32m" :
				res[i].state == CHECK_WARNING ? "\033[33m" : "";

		printf("%s%-8s%s %-46s %s\n", c, check_state_name(res[i].state),
		       color ? "\033[0m" : "", checks[i].title, res[i].value);
		if (res[i].state != CHECK_OK && res[i].advice)
			printf("         -> %s\n", res[i].advice);
	}
	if (!warnings)
		printf("\nTuned: no warnings.\n");
	else
		printf("\nNot tuned: %zu warning%s; steady system tune can fix %zu of them.\n",
		       warnings, warnings == 1 ? "" : "s", tunable);
}

/* --check: "not tuned" becomes EXIT_NOT_TUNED, for scripts. */
static int system_show(const struct sysroot *r, int json, int check)
{
	struct check_result *res;
	size_t tunable, warnings = run_checks(r, &res, &tunable);
	int ret = check && warnings ? EXIT_NOT_TUNED : EXIT_OK;

	if (json) {
		if (print_json(res, warnings))
			ret = EXIT_USAGE;
	} else {
		print_text(res, warnings, tunable);
	}
	release_results(res);
	return ret;
}

static void report_write(void *ctx, const char *path, const char *old_value,
			 const char *new_value, const char *failure)
{
	const char *check = ctx;

	if (failure)
		printf("  %-16s cannot write %s to %s: %s\n", check, new_value, path, failure);
	else
		printf("  %-16s %s: %s -> %s\n", check, path, old_value ? old_value : "?", new_value);
}

static int need_root(const char *what)
{
	if (geteuid() != 0)
		return error("steady system %s needs root: it writes to /sys and /proc (run it with sudo)",
			     what);
	return 0;
}

static int cmd_tune(const struct sysroot *r)
{
	struct system_state state;
	size_t n, writes = 0, failed = 0, tunable, warnings;
	const struct system_check *checks = system_checks(&n);
	struct check_result *res;
	int ret = EXIT_OK;

	system_state_init(&state);
	/*
	 * Values saved by an earlier tune stay: they are the originals. A
	 * state that could not be saved safely is refused before any knob
	 * changes, so no change is left without its undo.
	 */
	if (system_state_check_writable(r) || system_state_load(&state, r) < 0) {
		system_state_release(&state);
		return EXIT_USAGE;
	}
	printf("Tuning:\n");
	for (size_t i = 0; i < n; i++) {
		struct tune_ctx t = { r, checks[i].name, &state, report_write,
				      (void *)checks[i].name, 0, 0 };

		if (!checks[i].tune)
			continue;
		checks[i].tune(&t);
		writes += t.writes;
		failed += t.failed;
	}
	if (!writes)
		printf("  nothing to change\n");
	if (state.nr && system_state_save(&state, r))
		ret = EXIT_FAILED;
	else if (state.nr)
		printf("Previous values saved in %s%s (steady system reset restores them).\n",
		       r->dir ? r->dir : "", SYSTEM_STATE_PATH);
	if (failed) {
		error("%zu of %zu writes failed (see above)", failed, writes);
		ret = EXIT_FAILED;
	}
	system_state_release(&state);

	warnings = run_checks(r, &res, &tunable);
	printf("\n");
	print_text(res, warnings, tunable);
	release_results(res);
	return ret;
}

/*
 * Every saved knob is opened before any is written: a state file or tree
 * that names one unsafe knob (system/knobs.h) is refused whole, with
 * nothing written. A knob that is merely missing or unwritable is reported
 * among the writes, as tune does.
 */
static int refuse_unsafe(const struct sysroot *r, const struct system_state *state)
{
	for (size_t i = 0; i < state->nr; i++) {
		char *refused;
		int fd = knob_open(r, state->v[i].path, &refused);

		if (fd >= 0)
			close(fd);
		if (refused) {
			error("refusing to reset: %s%s: %s; nothing was written",
			      r->dir ? r->dir : "", state->v[i].path, refused);
			free(refused);
			return -1;
		}
	}
	return 0;
}

static int cmd_reset(const struct sysroot *r)
{
	struct system_state state;
	size_t failed = 0;
	int loaded;

	system_state_init(&state);
	loaded = system_state_load(&state, r);
	if (loaded < 0 || (loaded && refuse_unsafe(r, &state))) {
		system_state_release(&state);
		return EXIT_USAGE;
	}
	if (!loaded) {
		printf("Nothing to reset: no saved state in %s%s (steady system tune saves one); nothing changed.\n",
		       r->dir ? r->dir : "", SYSTEM_STATE_PATH);
		system_state_release(&state);
		return EXIT_OK;
	}
	printf("Restoring:\n");
	for (size_t i = 0; i < state.nr; i++) {
		const struct saved_value *v = &state.v[i];
		char *refused;

		/* Checked again: the tree may have changed since refuse_unsafe(). */
		if (knob_write(r, v->path, v->value, &refused)) {
			printf("  %-16s cannot write %s to %s: %s\n", v->check, v->value, v->path,
			       refused ? refused : strerror(errno));
			free(refused);
			failed++;
		} else {
			printf("  %-16s %s: %s\n", v->check, v->path, v->value);
		}
	}
	system_state_release(&state);
	if (failed) {
		error("%zu values could not be restored; the saved state is kept", failed);
		return EXIT_FAILED;
	}
	return system_state_remove(r) ? EXIT_FAILED : EXIT_OK;
}

static int system_main(int argc, char **argv, const struct option_table *t)
{
	struct sysroot root = { "" };
	int opt, json = 0, check = 0;
	const char *action;

	opterr = 0;
	optind = 1;
	/* Options may come before or after the action. */
	while ((opt = option_next(argc, argv, t->shortopts, t->longopts)) != -1) {
		switch (opt) {
		case OPT_JSON:
			json = 1;
			break;
		case OPT_CHECK:
			check = 1;
			break;
		case OPT_COLOR:
			if (color_option(optarg))
				return EXIT_USAGE;
			break;
		case 'V':
			print_version();
			return EXIT_OK;
		case OPT_ROOT:
			if (!*optarg) {
				error("--root needs a directory");
				return EXIT_USAGE;
			}
			root.dir = optarg;
			break;
		case 'h':
			fputs(system_usage_head, stdout);
			option_docs_print(stdout, system_options);
			fputs(system_usage_tail, stdout);
			return EXIT_OK;
		default:
			option_error("system", opt, argc, argv);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		error("system needs one action: show, tune or reset (see 'steady system --help')");
		return EXIT_USAGE;
	}
	action = argv[optind];
	/* Root first: whatever else is wrong, a user must learn that. */
	if ((!strcmp(action, "tune") || !strcmp(action, "reset")) && need_root(action))
		return EXIT_USAGE;
	if (*root.dir && access(root.dir, F_OK)) {
		error("--root '%s' is not a directory", root.dir);
		return EXIT_USAGE;
	}
	if ((json || check) && strcmp(action, "show")) {
		error("%s is for 'steady system show'", json ? "--json" : "--check");
		return EXIT_USAGE;
	}
	if (!strcmp(action, "show"))
		return system_show(&root, json, check);
	if (!strcmp(action, "tune"))
		return cmd_tune(&root);
	if (!strcmp(action, "reset"))
		return cmd_reset(&root);
	error("unknown action '%s': show, tune or reset", action);
	return EXIT_USAGE;
}

int cmd_system(int argc, char **argv)
{
	struct option_table t;
	int ret;

	option_table_init(&t, ":", system_options);
	ret = system_main(argc, argv, &t);
	option_table_release(&t);
	return ret;
}
