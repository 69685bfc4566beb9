/*
 * valgrind_ir: the valgrind-ir metric — each measured run executed under
 * Cachegrind with instruction counting only (no cache simulation), and the
 * program's total instruction count (Ir) read back from Cachegrind's output
 * file. The count does not depend on the machine's load, so it is exact and
 * repeatable where wall time is not; it still moves with the environment
 * size (the stack) and what the program itself reads.
 *
 * cachegrind_argv() builds every Cachegrind command line steady runs, this
 * metric's and `steady cache`'s; cachegrind_run() is one whole run of a
 * command under Cachegrind into a parsed profile (`cache`, `profile
 * --with-cache`).
 *
 * Ownership: struct ir_meter owns the path of valgrind and a private
 * temporary directory with the output files in it; ir_meter_release()
 * removes them. The argv functions return a new argv the caller frees with
 * words_free().
 */
#ifndef STEADY_VALGRIND_IR_H
#define STEADY_VALGRIND_IR_H

#include "measure/benchmark.h"

struct ir_meter {
	char *valgrind;  /* resolved path of valgrind */
	char *dir;       /* private directory: cachegrind.out.<pid> per process */
};

/* Finds valgrind and makes the directory. 0, or -1 after one error line
 * (valgrind not installed says how to install it). */
int ir_meter_init(struct ir_meter *m);
void ir_meter_release(struct ir_meter *m);

/* argv running path with argv[1..] under Cachegrind; spawn m->valgrind with it. */
char **ir_meter_argv(const struct ir_meter *m, const char *path, char *const argv[]);

struct cachegrind_invocation {
	const char *valgrind;    /* resolved path */
	char *const *options;    /* Cachegrind's options, NULL-terminated */
	const char *dir;         /* where its files go, as is (% escaped here) */
	const char *out_name;    /* --cachegrind-out-file in dir: a valgrind pattern (%p) */
	const char *log_name;    /* --log-file in dir likewise, or NULL for stderr */
};

/*
 * valgrind --tool=cachegrind --vgdb=no OPTIONS FILES path argv[1..]: runs
 * the resolved path under Cachegrind, leaving no vgdb FIFOs behind.
 */
char **cachegrind_argv(const struct cachegrind_invocation *inv, const char *path,
		       char *const argv[]);

/*
 * Runs the command argv (argv[0] is looked up as execvp would) once under
 * Cachegrind with inv's options, files and valgrind, and parses its
 * output into *p (cachegrind.h; the caller releases it). label ('A', 'B')
 * names the side in messages; show_output lets the program's output
 * through. The output and log files stay in inv->dir for the caller.
 * 0; -1 after an error line; -2 interrupted; -3 the program failed under
 * valgrind (said, with the reason valgrind logged).
 */
struct cg_profile;
int cachegrind_run(const struct cachegrind_invocation *inv, char *const argv[], char label,
		   int show_output, struct cg_profile *p);

/*
 * After a run: the Ir total of every process of the command (valgrind
 * follows children, one file each) into out (COUNTED), and the files
 * removed. A run that left no readable file (killed, failed under
 * valgrind) gives NOT_COUNTED. Never fails.
 */
void ir_meter_read(const struct ir_meter *m, struct run_count *out);

#endif
