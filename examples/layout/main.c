/*
 * main.c: builds the bytecode of fib(N) and runs it.
 *
 * Usage: interp [N]              (N from 1 to 40, default 30)
 *        interp --disasm [N]     print the bytecode of fib(N)
 *        interp --builtins       list the native builtins and test them
 *
 * Prints fib(N) and a checksum of the work done (the instructions and calls
 * executed); the same N gives the same line on every machine. Exit status
 * 0, 1 if the interpreter failed (or a builtin gave a wrong result), 2 for
 * bad usage. The two options run the rarely-used code of builtins.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "interp.h"

int main(int argc, char **argv)
{
	int code[PROG_MAX];
	struct vm_stats st = { 0, 0 };
	int n = 30, disasm_mode = 0;
	int64_t r;

	if (argc == 2 && strcmp(argv[1], "--builtins") == 0) {
		for (const struct builtin *b = builtins; b->name; b++)
			builtin_describe(stdout, b);
		return builtins_selftest(stdout) ? 1 : 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--disasm") == 0) {
		argc--;
		argv++;
		disasm_mode = 1;
	}
	if (argc > 2 || (argc == 2 && (n = atoi(argv[1])) < 1) || n > 40) {
		fprintf(stderr, "usage: interp [--disasm] [N]   (fib(N), N from 1 to 40, default 30)\n"
			"       interp --builtins\n");
		return 2;
	}
	if (disasm_mode)
		return disasm(stdout, code, fib_program(code, n)) < 0;
	if (check(code, fib_program(code, n)) < 0)
		return 1;
	r = run(code, &st);
	if (r < 0)
		return 1;
	/* The checksum mixes what must be the same on every build. */
	printf("fib(%d) = %" PRId64 "  steps %" PRIu64 "  calls %" PRIu64
	       "  checksum %016" PRIx64 "\n", n, r, st.steps, st.calls,
	       (st.steps * 0x9e3779b97f4a7c15u) ^ (st.calls << 17) ^ (uint64_t)r);
	return 0;
}
