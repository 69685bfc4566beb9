/*
 * annotate: the evidence for `steady profile --annotate FUNC` that a hot
 * loop moved — where FUNC starts in its cache line, which instructions
 * hold its samples, and how many cache lines and 32-byte fetch windows
 * (the unit the decoder and the µop cache fetch) the hot part touches.
 * When A and B run the same instructions at different speeds, a changed
 * offset or a span that now crosses one more window is often the reason.
 *
 * Three parts, used in this order by the command:
 *   annotate_disassemble()  the function's instructions, from objdump
 *                           (run through spawn, never a shell);
 *   annotation_compute()    pure: a histogram of sample addresses in,
 *                           the hottest instructions and the hot span out;
 *   annotate_print(), annotation_to_json()   the report and its JSON.
 *
 * Addresses are file-relative, as in symbols.h (what `nm` and objdump
 * print), never where a process mapped the file.
 *
 * Ownership: a struct disasm owns its instructions and their text;
 * disasm_release() frees them. A struct annotation owns its arrays and
 * strings (copied from the disasm, which may be released once the
 * annotation is computed); annotation_release() frees them. Both are
 * empty when zero-initialised, and an empty one may be released again.
 */
#ifndef STEADY_PROFILE_ANNOTATE_H
#define STEADY_PROFILE_ANNOTATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "profile/symbols.h"

/* The fetch unit of the decoder and the µop cache on x86 cores. */
#define ANNOTATE_WINDOW_SIZE 32
/* The hot span is the fewest hottest instructions holding this share. */
#define ANNOTATE_SPAN_PERCENT 80
/* The most instructions of the span listed (the rest are only counted). */
#define ANNOTATE_MAX_ROWS 64

/* One instruction as objdump prints it. */
struct insn {
	uint64_t addr;
	char *text;     /* "add    $0x1,%eax", symbolic comments ("<f+0x12>") kept */
};

struct disasm {
	struct insn *insns;   /* sorted by address, one per address */
	size_t nr;
};

/*
 * Disassembles [start, start + size) of the ELF file path with
 * `objdump -d --no-show-raw-insn -w` into *out (overwritten, not released
 * first). objdump's output goes through a temporary file in $TMPDIR (else
 * /tmp) that is gone when this returns. 0, or -1 after one error line:
 * size 0, objdump not installed (naming Debian's binutils), objdump
 * failing (its own first line quoted), or no instruction in the range
 * (not code, or not in this file); *out then holds nothing to release.
 */
int annotate_disassemble(const char *path, uint64_t start, uint64_t size,
			 struct disasm *out);

void disasm_release(struct disasm *d);

/*
 * 1 when a and b are the same instruction sequence: as many instructions,
 * each with the same mnemonic (operands are left out: jump targets and
 * rip-relative addresses change when code moves). 0 otherwise, or when
 * either is empty.
 */
int disasm_same_sequence(const struct disasm *a, const struct disasm *b);

/* How many samples fell on one address. */
struct addr_count {
	uint64_t addr;
	uint64_t count;
};

struct hot_insn {
	uint64_t addr;
	unsigned offset;   /* addr % line_size */
	uint64_t samples;
	double share;      /* of the function's samples, 0..1 */
	char *text;        /* NULL without disassembly */
};

/* One instruction of the hot span's listing. */
struct span_row {
	uint64_t addr;
	uint64_t size;      /* bytes; 0 without disassembly */
	unsigned offset;    /* addr % line_size */
	uint64_t samples;
	char *text;         /* NULL without disassembly */
	/*
	 * A cache line (a window) begins at this instruction or inside it,
	 * after the span's first byte; so the listing can draw the boundary
	 * before it. Without disassembly, a boundary after the previous
	 * row's address and up to this one's.
	 */
	int new_line, new_window;
	/* That boundary falls inside the instruction: it is split across two. */
	int split_line, split_window;
};

/*
 * The span [lo, hi]: from the lowest to the highest address among the
 * fewest hottest instructions that hold ANNOTATE_SPAN_PERCENT of the
 * function's samples. end is where the instruction at hi ends (hi + 1
 * without disassembly); the span's bytes are [lo, end).
 */
struct hot_span {
	uint64_t lo, hi, end;
	unsigned offset;        /* lo % line_size */
	size_t hottest;         /* how many hottest instructions it took */
	uint64_t samples;       /* every sample in [lo, hi], those between too */
	double share;           /* samples / the function's, 0..1 */
	unsigned lines;         /* cache lines [lo, end) touches */
	unsigned windows;       /* ANNOTATE_WINDOW_SIZE-byte windows it touches */
	struct span_row *rows;  /* in address order: the instructions in [lo, hi]
				 * (every sampled address, without disassembly) */
	size_t nr_rows;         /* at most ANNOTATE_MAX_ROWS */
	size_t nr_insns;        /* all of them, nr_rows or more */
	size_t rows_skipped;    /* before rows[0]: a span longer than the
				 * listing is listed around its hottest */
};

struct annotation {
	uint64_t start, size;   /* the function, file-relative */
	unsigned line_size;
	unsigned offset;        /* start % line_size */
	uint64_t samples;       /* samples inside the function */
	struct hot_insn *hot;   /* hottest first, ties by address */
	size_t nr_hot;
	int has_span;           /* 0 when the function has no samples */
	struct hot_span span;
};

/*
 * Annotates fn (its size 0: no upper bound) from hist, nr sample counts
 * in any order (an address may come more than once: they add up; those
 * outside fn are left out). d, when not NULL, is fn's disassembly: each
 * sample then counts for the instruction that holds its address, and the
 * span's listing shows every instruction. line_size is the cache line in
 * bytes; top how many hottest instructions to keep. Fills *out
 * (overwritten, not released first); 0, or -1 after one error line when
 * line_size is 0, with nothing to release.
 */
int annotation_compute(const struct symbol *fn, unsigned line_size,
		       const struct addr_count *hist, size_t nr,
		       const struct disasm *d, size_t top, struct annotation *out);

void annotation_release(struct annotation *a);

/*
 * The annotation of function on side label ("A" or "B") for a person:
 *     A: hot_loop at 0x1190 (offset 16 in its 64-byte line), 2,940 samples
 *       hottest:  0x11a4 (offset 36)  812  27.6%  add    $0x1,%eax
 *       hot span 0x11a0-0x11c3: 36 bytes from offset 32, 2 cache lines, ...
 * then the span's instructions with their samples, the cache line and
 * window boundaries drawn between them.
 */
void annotate_print(FILE *out, const char *label, const char *function,
		    const struct annotation *a);

/*
 * The annotation as a new JSON object the caller owns (addresses as
 * integers; "span" null when there are no samples).
 */
json_t *annotation_to_json(const struct annotation *a);

#endif
