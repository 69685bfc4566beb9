/*
 * builtins.c: the rarely-run part of the interpreter: native builtins
 * (integer arithmetic, bit tricks, hashing, printing), string helpers, the
 * opcode tables, a disassembler with an opcode histogram, error reports.
 * The default run (fib(N)) calls none of it; `interp --builtins` and
 * `interp --disasm` do.
 *
 * It is here for the link order as much as for debugging: a real program
 * has hundreds of functions of all sizes, so when its functions are linked
 * in a random order (`steady layout`), where its hot function starts
 * relative to a 64-byte cache line is close to uniformly random. With only
 * the handful of functions of main.c, fib.c and interp.c, run() could land
 * at only a few offsets, and a 96-byte dead function changes which ones.
 * The functions here are many and of varied sizes, none static, so all of
 * them are compiled and linked (no --gc-sections).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "builtins.h"
#include "interp.h"

/* ---- opcode tables -------------------------------------------------- */

static const char *const op_names[] = {
	"HALT", "PUSH", "DUP", "SWAP", "ADD", "SUB",
	"LT", "JZ", "JMP", "CALL", "RET",
};

#define N_OPS ((int)(sizeof op_names / sizeof op_names[0]))

/* Name of an opcode, or "?" for an unknown one. */
const char *op_name(int op)
{
	return op >= 0 && op < N_OPS ? op_names[op] : "?";
}

/* 1 if the opcode is followed by an operand in the code. */
int op_has_operand(int op)
{
	return op == OP_PUSH || op == OP_JZ || op == OP_JMP || op == OP_CALL;
}

/* 1 if the operand of the opcode is a code address. */
int op_is_branch(int op)
{
	return op == OP_JZ || op == OP_JMP || op == OP_CALL;
}

/* Change of the value-stack depth when the opcode runs. */
int op_stack_effect(int op)
{
	switch (op) {
	case OP_PUSH:
	case OP_DUP:
		return 1;
	case OP_ADD:
	case OP_SUB:
	case OP_LT:
	case OP_JZ:
		return -1;
	default:
		return 0;
	}
}

/* ---- error reports -------------------------------------------------- */

/* Prints "interp: WHAT at pc PC" on stderr; returns -1. */
int report_error(const char *what, int pc)
{
	fprintf(stderr, "interp: %s at pc %d\n", what, pc);
	return -1;
}

int report_bad_opcode(int op, int pc)
{
	char what[48];

	snprintf(what, sizeof what, "bad opcode %d", op);
	return report_error(what, pc);
}

int report_bad_target(int target, int len, int pc)
{
	char what[64];

	snprintf(what, sizeof what, "bad target %d (code has %d ints)",
		 target, len);
	return report_error(what, pc);
}

/* ---- string helpers ------------------------------------------------- */

/* Writes v in decimal into buf (room for 21 chars); returns its length. */
int fmt_int(char *buf, int64_t v)
{
	char tmp[24];
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	int n = 0, len = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[len++] = '-';
	while (n)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}

/* Writes v in hexadecimal, at least width digits, into buf. */
int fmt_hex(char *buf, uint64_t v, int width)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[17];
	int n = 0, len = 0;

	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	while (n < width && n < 16)
		tmp[n++] = '0';
	while (n)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}

/* Pads s, of length n, with spaces on the right to width chars, in place
 * (s has room). */
void str_pad(char *s, int n, int width)
{
	while (n < width)
		s[n++] = ' ';
	s[n] = '\0';
}

/* ---- native builtins ------------------------------------------------ */

int64_t nat_abs(const int64_t *a)
{
	return a[0] < 0 ? -a[0] : a[0];
}

int64_t nat_min(const int64_t *a)
{
	return a[0] < a[1] ? a[0] : a[1];
}

int64_t nat_max(const int64_t *a)
{
	return a[0] > a[1] ? a[0] : a[1];
}

int64_t nat_clamp(const int64_t *a)
{
	return a[0] < a[1] ? a[1] : a[0] > a[2] ? a[2] : a[0];
}

int64_t nat_gcd(const int64_t *a)
{
	int64_t x = nat_abs(&a[0]), y = nat_abs(&a[1]);

	while (y) {
		int64_t t = x % y;

		x = y;
		y = t;
	}
	return x;
}

int64_t nat_lcm(const int64_t *a)
{
	int64_t g = nat_gcd(a);

	return g ? nat_abs(&a[0]) / g * nat_abs(&a[1]) : 0;
}

/* a[0] to the power a[1] (wrapping), by squaring. */
int64_t nat_pow(const int64_t *a)
{
	uint64_t b = (uint64_t)a[0], r = 1;
	int64_t e = a[1];

	if (e < 0)
		return 0;
	while (e) {
		if (e & 1)
			r *= b;
		b *= b;
		e >>= 1;
	}
	return (int64_t)r;
}

/* Integer square root (Newton), -1 for a negative argument. */
int64_t nat_isqrt(const int64_t *a)
{
	uint64_t n = (uint64_t)a[0], x, y;

	if (a[0] < 0)
		return -1;
	if (n < 2)
		return a[0];
	x = n;
	y = (x + 1) / 2;
	while (y < x) {
		x = y;
		y = (x + n / x) / 2;
	}
	return (int64_t)x;
}

int64_t nat_popcount(const int64_t *a)
{
	uint64_t v = (uint64_t)a[0];
	int64_t n = 0;

	while (v) {
		v &= v - 1;
		n++;
	}
	return n;
}

int64_t nat_bitrev(const int64_t *a)
{
	uint64_t v = (uint64_t)a[0], r = 0;

	for (int i = 0; i < 64; i++) {
		r = (r << 1) | (v & 1);
		v >>= 1;
	}
	return (int64_t)r;
}

/* splitmix64 of a[0]: a well-mixed 64-bit hash. */
int64_t nat_hash(const int64_t *a)
{
	uint64_t z = (uint64_t)a[0] + 0x9e3779b97f4a7c15u;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return (int64_t)(z ^ (z >> 31));
}

/* fib(a[0]) the fast way, to check the slow one. */
int64_t nat_fib(const int64_t *a)
{
	int64_t x = 0, y = 1;

	for (int64_t i = 0; i < a[0]; i++) {
		int64_t t = x + y;

		x = y;
		y = t;
	}
	return x;
}

int64_t nat_is_prime(const int64_t *a)
{
	int64_t n = a[0];

	if (n < 2)
		return 0;
	if (n % 2 == 0)
		return n == 2;
	for (int64_t d = 3; d <= n / d; d += 2)
		if (n % d == 0)
			return 0;
	return 1;
}

/* Steps of the Collatz sequence from a[0] down to 1 (at most 10000). */
int64_t nat_collatz(const int64_t *a)
{
	uint64_t n = (uint64_t)a[0];
	int64_t steps = 0;

	if (a[0] < 1)
		return -1;
	while (n != 1 && steps < 10000) {
		n = n & 1 ? 3 * n + 1 : n / 2;
		steps++;
	}
	return steps;
}

/* Number of decimal digits of a[0]. */
int64_t nat_digits(const int64_t *a)
{
	char buf[24];
	int n = fmt_int(buf, a[0]);

	return a[0] < 0 ? n - 1 : n;
}

int64_t nat_print(const int64_t *a)
{
	char buf[24];

	fmt_int(buf, a[0]);
	fputs(buf, stdout);
	fputc('\n', stdout);
	return a[0];
}

int64_t nat_print_hex(const int64_t *a)
{
	char buf[20];

	fmt_hex(buf, (uint64_t)a[0], 16);
	printf("0x%s\n", buf);
	return a[0];
}

int64_t nat_putc(const int64_t *a)
{
	fputc((int)(a[0] & 0xff), stdout);
	return a[0];
}

int64_t nat_sign(const int64_t *a)
{
	return (a[0] > 0) - (a[0] < 0);
}

/* a[0] modulo a[1], never negative; 0 for a zero modulus. */
int64_t nat_mod(const int64_t *a)
{
	int64_t m;

	if (a[1] == 0)
		return 0;
	m = a[0] % a[1];
	return m < 0 ? m + nat_abs(&a[1]) : m;
}

/* ---- the table ------------------------------------------------------ */

const struct builtin builtins[] = {
	{ "abs",      1, nat_abs,       "absolute value" },
	{ "min",      2, nat_min,       "the smaller of two" },
	{ "max",      2, nat_max,       "the larger of two" },
	{ "clamp",    3, nat_clamp,     "x clamped to [lo, hi]" },
	{ "gcd",      2, nat_gcd,       "greatest common divisor" },
	{ "lcm",      2, nat_lcm,       "least common multiple" },
	{ "pow",      2, nat_pow,       "x to the power e (wrapping)" },
	{ "isqrt",    1, nat_isqrt,     "integer square root" },
	{ "popcount", 1, nat_popcount,  "bits set" },
	{ "bitrev",   1, nat_bitrev,    "bits reversed" },
	{ "hash",     1, nat_hash,      "splitmix64 hash" },
	{ "fib",      1, nat_fib,       "fib(n), iteratively" },
	{ "prime?",   1, nat_is_prime,  "1 if n is prime" },
	{ "collatz",  1, nat_collatz,   "Collatz steps down to 1" },
	{ "digits",   1, nat_digits,    "decimal digits" },
	{ "print",    1, nat_print,     "print in decimal" },
	{ "printx",   1, nat_print_hex, "print in hexadecimal" },
	{ "putc",     1, nat_putc,      "print one character" },
	{ "sign",     1, nat_sign,      "-1, 0 or 1" },
	{ "mod",      2, nat_mod,       "x modulo m, never negative" },
	{ NULL, 0, NULL, NULL },
};

const struct builtin *builtin_find(const char *name)
{
	for (const struct builtin *b = builtins; b->name; b++)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

/* Prints one line about b: name, arity, help. */
void builtin_describe(FILE *out, const struct builtin *b)
{
	char name[24];

	str_pad(name, snprintf(name, sizeof name, "%s/%d", b->name, b->arity), 12);
	fprintf(out, "  %s %s\n", name, b->help);
}

int builtins_selftest(FILE *out)
{
	static const struct {
		const char *name;
		int64_t args[3];
		int64_t want;
	} cases[] = {
		{ "abs", { -7 }, 7 },           { "min", { 3, -2 }, -2 },
		{ "max", { 3, -2 }, 3 },        { "clamp", { 9, 0, 5 }, 5 },
		{ "gcd", { 84, -36 }, 12 },     { "lcm", { 4, 6 }, 12 },
		{ "pow", { 3, 13 }, 1594323 },  { "isqrt", { 1000000 }, 1000 },
		{ "popcount", { 255 }, 8 },     { "bitrev", { 1 }, INT64_MIN },
		{ "hash", { 0 }, (int64_t)0xe220a8397b1dcdafu },
		{ "fib", { 30 }, 832040 },      { "prime?", { 7919 }, 1 },
		{ "collatz", { 27 }, 111 },     { "digits", { -12345 }, 5 },
	};
	int bad = 0;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct builtin *b = builtin_find(cases[i].name);
		int64_t got = b ? b->fn(cases[i].args) : -1;

		if (!b || got != cases[i].want)
			bad++;
		fprintf(out, "  %-10s -> %" PRId64 "%s\n", cases[i].name, got,
			b && got == cases[i].want ? "" : "  WRONG");
	}
	return bad;
}

/* ---- disassembler and statistics ------------------------------------ */

/* Counts each opcode of code[0..len) into counts[0..N_OPS); returns the
 * number of instructions, or -1 if an opcode is unknown. */
int count_opcodes(const int *code, int len, int *counts)
{
	int n = 0;

	memset(counts, 0, N_OPS * sizeof *counts);
	for (int pc = 0; pc < len; pc++, n++) {
		if (code[pc] < 0 || code[pc] >= N_OPS)
			return report_bad_opcode(code[pc], pc);
		counts[code[pc]]++;
		if (op_has_operand(code[pc]))
			pc++;
	}
	return n;
}

/* The deepest value stack along straight-line code (branches ignored). */
int straight_line_depth(const int *code, int len)
{
	int depth = 0, max = 0;

	for (int pc = 0; pc < len; pc++) {
		depth += op_stack_effect(code[pc]);
		if (depth > max)
			max = depth;
		if (code[pc] == OP_RET || code[pc] == OP_HALT)
			depth = 0;
		if (op_has_operand(code[pc]))
			pc++;
	}
	return max;
}

/* 1 if some branch of code[0..len) jumps to pc. */
int is_branch_target(const int *code, int len, int pc)
{
	for (int i = 0; i < len; i++) {
		if (op_is_branch(code[i]) && i + 1 < len && code[i + 1] == pc)
			return 1;
		if (op_has_operand(code[i]))
			i++;
	}
	return 0;
}

/* Prints the instruction at pc; returns the pc of the next one. */
int disasm_one(FILE *out, const int *code, int len, int pc)
{
	int op = code[pc];
	char name[16];

	fprintf(out, "%c%4d  ", is_branch_target(code, len, pc) ? '>' : ' ', pc);
	if (!op_has_operand(op)) {
		fprintf(out, "%s\n", op_name(op));
		return pc + 1;
	}
	str_pad(name, snprintf(name, sizeof name, "%s", op_name(op)), 6);
	if (pc + 1 >= len) {
		fprintf(out, "%s(missing operand)\n", name);
		return len;
	}
	fprintf(out, "%s%d", name, code[pc + 1]);
	if (op_is_branch(op) && (code[pc + 1] < 0 || code[pc + 1] >= len)) {
		fputs("  (outside the code)", out);
		report_bad_target(code[pc + 1], len, pc);
	}
	fputc('\n', out);
	return pc + 2;
}

void print_histogram(FILE *out, const int *counts, int total)
{
	for (int op = 0; op < N_OPS; op++) {
		if (!counts[op])
			continue;
		fprintf(out, "  %-5s %3d ", op_name(op), counts[op]);
		for (int i = 0; i < counts[op] * 40 / (total ? total : 1); i++)
			fputc('#', out);
		fputc('\n', out);
	}
}

int disasm(FILE *out, const int *code, int len)
{
	int counts[N_OPS];
	int n;

	for (int pc = 0; pc < len;)
		pc = disasm_one(out, code, len, pc);
	n = count_opcodes(code, len, counts);
	if (n < 0)
		return -1;
	fprintf(out, "%d instructions in %d ints, straight-line depth %d\n",
		n, len, straight_line_depth(code, len));
	print_histogram(out, counts, n);
	return 0;
}
