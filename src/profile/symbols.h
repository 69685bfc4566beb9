/*
 * symbols: from an address in a program or library to the function that
 * holds it (and, with debug information, its file and line) — what a
 * sampling profile needs to name its samples.
 *
 * The symbol table comes from elfutils' libelf (.symtab, else .dynsym:
 * a stripped file only names what it exports), the lines from libdw.
 * Addresses here are file-relative: virtual addresses as the ELF file
 * states them (what `nm` prints), not where a process mapped the file;
 * symtab_addr_of_ip() turns a runtime address into one.
 *
 * Ownership: a struct symtab owns everything it points to; symtab_load()
 * fills it and symtab_release() frees it all (and closes what
 * symtab_line() opened). A struct symcache owns its symtabs: a pointer
 * it hands out is valid until symcache_release().
 */
#ifndef STEADY_PROFILE_SYMBOLS_H
#define STEADY_PROFILE_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

/* A function: [start, start + size) in file-relative virtual addresses. */
struct symbol {
	uint64_t start, size;  /* size 0: unknown, covers up to the next symbol */
	char *name;
};

/* A PT_LOAD segment: file bytes [offset, offset + filesz) sit at vaddr. */
struct segment {
	uint64_t offset, vaddr, filesz, memsz;
	int exec;              /* PF_X */
};

struct symtab {
	char *path;
	struct symbol *syms;   /* functions sorted by start, one per start */
	size_t nr;
	struct segment *segs;  /* PT_LOAD segments in file order */
	size_t nr_segs;
	int stripped;          /* no .symtab: .dynsym only, or nothing */
	int pie;               /* ET_DYN: a PIE or a shared library */
	/* The first executable PT_LOAD segment's vaddr and file offset (0, 0: none). */
	uint64_t text_vaddr, text_offset;
	/* Opened by symtab_line() on first use, closed by symtab_release(). */
	int dw_fd;
	void *dw_elf, *dwarf;
	int dw_tried;
};

/*
 * Reads the functions and load segments of the ELF file path into *out
 * (overwritten, not released first). 0, or -1 after one error line (no
 * such file, not ELF, damaged); *out then holds nothing to release.
 * A file without any symbols loads: nr is 0 and stripped is 1.
 */
int symtab_load(const char *path, struct symtab *out);

/* Frees what *t owns and leaves it empty; an empty one may be released again. */
void symtab_release(struct symtab *t);

/*
 * The function holding the file-relative address addr, NULL when none.
 * A symbol of size 0 holds everything up to the next symbol's start (the
 * last one, up to the end of its executable segment).
 */
const struct symbol *symtab_find(const struct symtab *t, uint64_t addr);

/*
 * A runtime address ip inside a mapping of t's file that starts at
 * map_start and maps the file from offset map_pgoff (as PERF_RECORD_MMAP2
 * gives them) into *addr, the file-relative address: the file offset
 * ip - map_start + map_pgoff, taken through the PT_LOAD segment that holds
 * it. 0, or -1 without a message when no segment holds that offset (a
 * profile meets many such samples; the caller counts them).
 */
int symtab_addr_of_ip(const struct symtab *t, uint64_t ip, uint64_t map_start,
		      uint64_t map_pgoff, uint64_t *addr);

/*
 * "file:line" of addr, from the file's own DWARF line table, as a new
 * string the caller frees; the file is as the compiler recorded it
 * (often a full path). NULL without a message when there is no debug
 * information or no line for addr. Not const: the first call opens the
 * debug information, kept in *t until symtab_release().
 */
char *symtab_line(struct symtab *t, uint64_t addr);

/*
 * Symtabs by path, each file read once however many mappings name it.
 * Zero-initialised (SYMCACHE_INIT) is empty.
 */
struct symcache {
	struct symcache_entry *entries;
	size_t nr, alloc;
};
#define SYMCACHE_INIT { NULL, 0, 0 }

/*
 * The symtab of path, loaded on first request. NULL when it cannot be
 * loaded: the error line is printed on the first request only, later
 * ones return NULL silently.
 */
struct symtab *symcache_get(struct symcache *c, const char *path);

/* Frees every symtab and the cache's own memory; c is empty afterwards. */
void symcache_release(struct symcache *c);

#endif
