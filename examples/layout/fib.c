/*
 * fib.c: the bytecode the example runs, fib(n) the slow recursive way.
 * About ten bytecode instructions per call, one call per node of the
 * recursion tree: fib(30) makes 2.7 million calls.
 */
#include "interp.h"

int fib_program(int *code, int n)
{
	int len = 0;
	int fib, rec;

#define EMIT(x) (code[len++] = (x))
	/* main: fib(n), then stop */
	EMIT(OP_PUSH); EMIT(n);
	EMIT(OP_CALL); int call_main = len; EMIT(0);
	EMIT(OP_HALT);

	/* fib: n -> n < 2 ? n : fib(n-1) + fib(n-2) */
	fib = len;
	EMIT(OP_DUP); EMIT(OP_PUSH); EMIT(2); EMIT(OP_LT);
	EMIT(OP_JZ); int jz = len; EMIT(0);
	EMIT(OP_RET);
	rec = len;
	EMIT(OP_DUP); EMIT(OP_PUSH); EMIT(1); EMIT(OP_SUB);
	EMIT(OP_CALL); EMIT(fib);
	EMIT(OP_SWAP); EMIT(OP_PUSH); EMIT(2); EMIT(OP_SUB);
	EMIT(OP_CALL); EMIT(fib);
	EMIT(OP_ADD);
	EMIT(OP_RET);
#undef EMIT

	code[call_main] = fib;
	code[jz] = rec;
	return len;
}
