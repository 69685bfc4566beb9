/*
 * valgrind_ir: the valgrind-ir metric — each measured run executed under
 * Cachegrind with instruction counting only (no cache simulation), and the
 * program's total instruction count (Ir) read back from Cachegrind's output
 * file. The count does not depend on the machine's load, so it is exact and
 * repeatable where wall time is not; it still moves with the environment
 * size (the stack) and what the program itself reads.
 *
 * Ownership: struct ir_meter owns the path of valgrind, a private temporary
 * directory and the output file in it; ir_meter_release() removes both.
 * ir_meter_argv() returns a new argv the caller frees with words_free().
 */
#ifndef STEADY_VALGRIND_IR_H
#define STEADY_VALGRIND_IR_H

#include "measure/benchmark.h"

struct ir_meter {
	char *valgrind;  /* resolved path of valgrind */
	char *dir;       /* private directory for the output file */
	char *out;       /* valgrind's pattern: dir/cachegrind.out.%p, % escaped */
};

/* Finds valgrind and makes the directory. 0, or -1 after one error line
 * (valgrind not installed says how to install it). */
int ir_meter_init(struct ir_meter *m);
void ir_meter_release(struct ir_meter *m);

/* argv running path with argv[1..] under Cachegrind; spawn m->valgrind with it. */
char **ir_meter_argv(const struct ir_meter *m, const char *path, char *const argv[]);

/* s with every % doubled, for valgrind's file-name patterns (new string). */
char *percent_escape(const char *s);

/*
 * After a run: the Ir total of every process of the command (valgrind
 * follows children, one file each) into out (COUNTED), and the files
 * removed. A run that left no readable file (killed, failed under
 * valgrind) gives NOT_COUNTED. Never fails.
 */
void ir_meter_read(const struct ir_meter *m, struct run_count *out);

#endif
