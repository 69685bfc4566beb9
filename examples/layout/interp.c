/*
 * interp.c: the interpreter loop, the hot code of the example.
 *
 * A switch on the opcode in a loop: one indirect jump per bytecode
 * instruction, a few loads and stores on the value stack. Nearly all the
 * time of the program is spent in run(), so where run() lands in memory
 * (its alignment relative to cache lines and the CPU's fetch and decoded-uop
 * windows) can change the speed of the whole program.
 */
#include <stdio.h>

#include "interp.h"

#define STACK_MAX 4096

/* Checks the bytecode before it runs: known opcodes, and jump and call
 * targets inside the code. Returns 0, or -1 with a message on stderr. */
int check(const int *code, int len)
{
	for (int pc = 0; pc < len; pc++) {
		int op = code[pc];

		if (op < OP_HALT || op > OP_RET) {
			fprintf(stderr, "interp: bad opcode %d at pc %d\n", op, pc);
			return -1;
		}
		if (op == OP_PUSH)
			pc++;
		else if (op >= OP_JZ && op <= OP_CALL &&
			 (++pc == len || code[pc] < 0 || code[pc] >= len)) {
			fprintf(stderr, "interp: bad target at pc %d\n", pc - 1);
			return -1;
		}
	}
	return 0;
}

int64_t run(const int *code, struct vm_stats *stats)
{
	int64_t stack[STACK_MAX];
	int rstack[STACK_MAX];
	int64_t *sp = stack;	/* next free slot */
	int *rp = rstack;
	int pc = 0;
	uint64_t steps = 0, calls = 0;

	for (;;) {
		int op = code[pc++];

		steps++;
		switch (op) {
		case OP_HALT:
			stats->steps = steps;
			stats->calls = calls;
			return sp[-1];
		case OP_PUSH:
			*sp++ = code[pc++];
			break;
		case OP_DUP:
			sp[0] = sp[-1];
			sp++;
			break;
		case OP_SWAP: {
			int64_t t = sp[-1];

			sp[-1] = sp[-2];
			sp[-2] = t;
			break;
		}
		case OP_ADD:
			sp--;
			sp[-1] += sp[0];
			break;
		case OP_SUB:
			sp--;
			sp[-1] -= sp[0];
			break;
		case OP_LT:
			sp--;
			sp[-1] = sp[-1] < sp[0];
			break;
		case OP_JZ:
			if (*--sp == 0)
				pc = code[pc];
			else
				pc++;
			break;
		case OP_JMP:
			pc = code[pc];
			break;
		case OP_CALL:
			if (rp == rstack + STACK_MAX || sp >= stack + STACK_MAX - 4) {
				fprintf(stderr, "interp: stack overflow at pc %d\n", pc - 1);
				return -1;
			}
			calls++;
			*rp++ = pc + 1;
			pc = code[pc];
			break;
		case OP_RET:
			pc = *--rp;
			break;
		default:
			fprintf(stderr, "interp: bad opcode %d at pc %d\n", op, pc - 1);
			return -1;
		}
	}
}
