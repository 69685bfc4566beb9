/*
 * builtins.h: the rarely-run part of the interpreter (builtins.c): native
 * builtins, a disassembler, bytecode statistics, error reports. The default
 * run (fib(N)) calls none of it; `interp --builtins` and `interp --disasm`
 * do.
 */
#ifndef BUILTINS_H
#define BUILTINS_H

#include <stdint.h>
#include <stdio.h>

/* A native builtin: takes its arguments in a[0..arity), returns a value. */
struct builtin {
	const char *name;
	int arity;
	int64_t (*fn)(const int64_t *a);
	const char *help;
};

/* The builtins, ended by an entry whose name is NULL. */
extern const struct builtin builtins[];

/* Looks a builtin up by name; NULL if there is none. */
const struct builtin *builtin_find(const char *name);

/* Prints one line about b: its name, arity and help. */
void builtin_describe(FILE *out, const struct builtin *b);

/* Runs every builtin on sample arguments and prints what it returns;
 * returns the number of builtins whose result was not the expected one. */
int builtins_selftest(FILE *out);

/* Prints code[0..len) one instruction a line, with a histogram of the
 * opcodes. Returns 0, or -1 if the code is not well formed. */
int disasm(FILE *out, const int *code, int len);

#endif
