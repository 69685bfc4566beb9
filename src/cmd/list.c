/*
 * list: `steady list` — every event steady knows, grouped like perf
 * list, each probed on this machine (opened for steady itself, user space
 * only, then closed) and marked supported or not. --json gives the same as
 * one JSON document for scripts.
 */
#include "cmd/builtin.h"
#include "measure/counters.h"
#include "lib/util.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char list_usage_head[] =
"usage: steady list [--json]\n"
"\n"
"Lists the events steady stat -e and --metric accept, grouped, and whether\n"
"each can be counted on this machine (probed now, in user space, as the\n"
"current user). Raw events are given as rNNNN (hex, CPU-specific); any\n"
"event takes :u (user space only) or :k (kernel only).\n"
"\n";

static const char list_usage_tail[] =
"\n"
"Exit codes: 0 done, 2 bad usage.\n";

enum { OPT_JSON = 256 };

static const struct option_doc list_options[] = {
	OPTDOC(NULL, "json", OPT_JSON, NULL, "print the list as JSON"),
	OPTION_VERSION,
	OPTION_HELP,
	OPTDOC_END
};

static const enum event_kind kinds[] = { EVENT_HARDWARE, EVENT_SOFTWARE, EVENT_CACHE };

static int print_text(const struct event *table, const int *ok, const int *err, size_t nr)
{
	size_t supported = 0;

	for (size_t g = 0; g < sizeof(kinds) / sizeof(*kinds); g++) {
		printf("%s%ss:\n", g ? "\n" : "", event_kind_name(kinds[g]));
		for (size_t i = 0; i < nr; i++) {
			char name[64];

			if (table[i].kind != kinds[g])
				continue;
			if (table[i].alias)
				snprintf(name, sizeof(name), "%s OR %s", table[i].name, table[i].alias);
			else
				snprintf(name, sizeof(name), "%s", table[i].name);
			if (ok[i])
				printf("  %-48s supported\n", name);
			else
				printf("  %-48s not supported: %s\n", name, counters_strerror(err[i]));
			supported += ok[i] != 0;
		}
	}
	printf("\n%s:\n  %-48s a CPU-specific event code, e.g. r01c2 (see the CPU's manual)\n",
	       event_kind_name(EVENT_RAW), "rNNNN");
	printf("\n%zu of %zu events can be counted here.\n", supported, nr);
	return 0;
}

static int print_json(const struct event *table, const int *ok, const int *err, size_t nr)
{
	json_t *root = json_object(), *events = json_array();
	int ret = 0;

	for (size_t i = 0; i < nr; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "name", json_string(table[i].name));
		json_object_set_new(e, "alias", table[i].alias ? json_string(table[i].alias) : json_null());
		json_object_set_new(e, "kind", json_string(event_kind_name(table[i].kind)));
		json_object_set_new(e, "type", json_integer(table[i].type));
		json_object_set_new(e, "config", json_integer((json_int_t)table[i].config));
		json_object_set_new(e, "supported", json_boolean(ok[i]));
		json_object_set_new(e, "error", ok[i] ? json_null() : json_string(counters_strerror(err[i])));
		json_array_append_new(events, e);
	}
	json_object_set_new(root, "events", events);
	/* A write error is reported once, by steady.c when stdout is flushed. */
	if (json_dumpf(root, stdout, JSON_INDENT(2)) || putchar('\n') == EOF)
		ret = -1;
	json_decref(root);
	return ret;
}

static int list_main(int argc, char **argv, const struct option_table *t)
{
	size_t nr;
	const struct event *table = events_table(&nr);
	int *ok, *err, opt, json = 0, ret;

	opterr = 0;
	optind = 1;
	while ((opt = option_next(argc, argv, t->shortopts, t->longopts)) != -1) {
		switch (opt) {
		case OPT_JSON:
			json = 1;
			break;
		case 'V':
			print_version();
			return EXIT_OK;
		case 'h':
			fputs(list_usage_head, stdout);
			option_docs_print(stdout, list_options);
			fputs(list_usage_tail, stdout);
			return EXIT_OK;
		default:
			option_error("list", opt, argc, argv);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		error("list takes no arguments, not '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	ok = xcalloc(nr, sizeof(*ok));
	err = xcalloc(nr, sizeof(*err));
	for (size_t i = 0; i < nr; i++) {
		ok[i] = events_probe(&table[i]);
		err[i] = ok[i] ? 0 : errno;
	}
	ret = json ? print_json(table, ok, err, nr) : print_text(table, ok, err, nr);
	free(ok);
	free(err);
	return ret ? EXIT_USAGE : EXIT_OK;
}

int cmd_list(int argc, char **argv)
{
	struct option_table t;
	int ret;

	option_table_init(&t, "+", list_options);
	ret = list_main(argc, argv, &t);
	option_table_release(&t);
	return ret;
}
