/*
 * elf_text: what `layout` records of each built variant's code — the size
 * of a section (.text) and the address of a function — read from the
 * binary itself with a minimal ELF64 little-endian reader (x86_64, the
 * binaries steady builds and runs), so no binutils are needed.
 *
 * Every offset, size and count in the file is checked against the file's
 * size before it is used: a truncated or garbage file is one error line,
 * never a read out of bounds. Nothing is kept open; nothing to free.
 */
#ifndef STEADY_ELF_TEXT_H
#define STEADY_ELF_TEXT_H

#include <stdint.h>

/*
 * The size in bytes of the section named section (".text") of the ELF
 * file path, in *size. 0, or -1 after one error line (not ELF64
 * little-endian, damaged, or no such section).
 */
int elf_section_size(const char *path, const char *section, uint64_t *size);

/*
 * A digest (lib/digest) of the bytes of section (".text"): two builds
 * whose code is the same byte for byte have the same one, wherever their
 * paths or debug information differ. 0, or -1 after one error line.
 */
int elf_section_digest(const char *path, const char *section, uint64_t digest[2]);

/*
 * The address of the symbol name (a function, an object) in path's symbol
 * table (.symtab: a stripped binary has none), in *addr. 0, or -1 after
 * one error line.
 */
int elf_symbol_address(const char *path, const char *name, uint64_t *addr);

/*
 * The size of .text of the program at path when it is a 64-bit
 * little-endian ELF file with one, else -1 without a message (NULL, a
 * script, a file not there: nothing to say).
 */
int64_t elf_program_text_bytes(const char *path);

/*
 * For a linked file (a program or a shared library: ELF64 little-endian of
 * type ET_EXEC or ET_DYN), the digest of its .text as elf_section_digest()
 * gives it, and 1. 0 without a message for anything else (an object file,
 * a script, a link, a FIFO: never opened to wait). -1 after one error line
 * for a linked file without a readable .text.
 */
int elf_linked_text_digest(const char *path, uint64_t digest[2]);

#endif
