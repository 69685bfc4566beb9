/*
 * optdoc: one table per command that is both its getopt_long options and
 * the options part of its --help, so the two cannot drift apart.
 *
 * An array of struct option_doc, ended by OPTDOC_END, is read in order:
 *  - OPTDOC(shorts, name, val, arg, help) is an option. name is the long
 *    name (without "--"; NULL for a short option only) and returns val;
 *    every character of shorts (NULL for none) is a short option that
 *    returns itself ("rn": -r and -n). arg names the value ("N", "FILE"),
 *    NULL for an option without one. help is its description, lines
 *    separated by '\n'; NULL prints the option on the next entry's line
 *    ("--src-a DIR, --src-b DIR  two source trees").
 *  - OPTDOC(NULL, NULL, 0, "RUN", help) is an operand described among
 *    the options; it is no option.
 *  - OPTDOC_TEXT(text) prints text and a newline: a heading, or "" for
 *    a blank line.
 *  - OPTDOC_INCLUDE(docs) is another array (the shared options of
 *    measure/run_options.h), in place.
 * Nothing here is copied: the strings must outlive the tables.
 */
#ifndef STEADY_OPTDOC_H
#define STEADY_OPTDOC_H

#include <getopt.h>
#include <stdio.h>

struct option_doc {
	const char *shorts;
	const char *name;
	int val;
	const char *arg;
	const char *help;
	const struct option_doc *include;
};

#define OPTDOC(s, n, v, a, h) \
	{ .shorts = (s), .name = (n), .val = (v), .arg = (a), .help = (h) }
#define OPTDOC_TEXT(text) { .help = (text) }
#define OPTDOC_INCLUDE(docs) { .include = (docs) }
#define OPTDOC_END { .name = NULL }

/* The column of the descriptions in --help. */
#define OPTDOC_COLUMN 25

/*
 * What getopt_long needs, built from docs: longopts (ended by a zero
 * entry) and shortopts (prefix, e.g. "+:", then every short option, ':'
 * after one that takes a value). option_table_release() frees both.
 */
struct option_table {
	struct option *longopts;
	char *shortopts;
};
void option_table_init(struct option_table *t, const char *prefix,
		       const struct option_doc *docs);
void option_table_release(struct option_table *t);

/*
 * The options part of a --help, from the same docs:
 *   "  -n, --runs N           text", "      --seed N           text",
 *   "  -o FILE                text": descriptions at OPTDOC_COLUMN (two
 *   spaces after a longer left part), continuation lines indented to it.
 */
void option_docs_print(FILE *out, const struct option_doc *docs);

#endif
