/*
 * builtin: the commands of steady, one file each (src/cmd/<name>.c).
 *
 * To add a command: write `int cmd_foo(int argc, char **argv)` in
 * src/cmd/foo.c (argv[0] is "foo"; return an exit code from util.h, never
 * call exit()), declare it here and add a row to the table in steady.c. It
 * appears in `steady --help` only once it is finished.
 */
#ifndef STEADY_BUILTIN_H
#define STEADY_BUILTIN_H

int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_cache(int argc, char **argv);
int cmd_system(int argc, char **argv);
int cmd_layout(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_bisect(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_history(int argc, char **argv);

#endif
