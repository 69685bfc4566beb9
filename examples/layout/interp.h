/*
 * interp.h: a tiny stack-machine bytecode and the interpreter that runs it.
 *
 * The bytecode is an array of ints: an opcode, then its operand where it
 * has one. Values are 64-bit; CALL pushes a return address on a separate
 * call stack, RET pops it.
 */
#ifndef INTERP_H
#define INTERP_H

#include <stdint.h>

enum op {
	OP_HALT,	/* stop; the result is the top of the stack */
	OP_PUSH,	/* PUSH k: push the constant k */
	OP_DUP,		/* duplicate the top */
	OP_SWAP,	/* swap the top two */
	OP_ADD,		/* a b -> a+b */
	OP_SUB,		/* a b -> a-b */
	OP_LT,		/* a b -> a<b (1 or 0) */
	OP_JZ,		/* JZ t: pop; jump to t if it was 0 */
	OP_JMP,		/* JMP t: jump to t */
	OP_CALL,	/* CALL t: push the return address, jump to t */
	OP_RET,		/* return to the address on top of the call stack */
};

struct vm_stats {
	uint64_t steps;		/* instructions executed */
	uint64_t calls;		/* CALLs executed */
};

/* Checks code[0..len) before it runs: known opcodes, jump and call targets
 * inside the code. Returns 0, or -1 with a message on stderr. */
int check(const int *code, int len);

/* Runs code from instruction 0 until HALT; returns the value on top of the
 * stack, or -1 (with a message on stderr) on a stack overflow or a bad
 * opcode. */
int64_t run(const int *code, struct vm_stats *stats);

/* The bytecode of fib(n), computed the slow recursive way, in code[]
 * (room for at least PROG_MAX ints). Returns its length. */
#define PROG_MAX 64
int fib_program(int *code, int n);

#endif
