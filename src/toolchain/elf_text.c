/*
 * elf_text: see elf_text.h. The fields are decoded from bytes at their
 * offsets in the ELF64 specification, not by casting to <elf.h> structs,
 * so no alignment or host byte order is assumed; every read goes through
 * read_at(), which refuses anything past the end of the file.
 */
#include "toolchain/elf_text.h"
#include "lib/digest.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Sizes and offsets of the ELF64 structures used (System V gABI). */
#define EHDR_SIZE 64
#define SHDR_SIZE 64
#define SYM_SIZE 24
#define SHT_SYMTAB 2
#define SHN_UNDEF 0
#define SHN_XINDEX 0xffff

/* Section and symbol names longer than this are taken as damage. */
#define MAX_NAME 4096

struct elf {
	const char *path;
	int fd;
	uint64_t file_size;
	uint64_t shoff;
	uint64_t shnum;
	uint64_t shstrndx;
};

struct section {
	uint32_t name;     /* offset in the section-name table */
	uint32_t type;
	uint64_t offset, size;
	uint32_t link;
	uint64_t entsize;
};

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* len bytes at off, all inside the file. 0, or -1 after one line. */
static int read_at(const struct elf *e, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;

	if (off > e->file_size || len > e->file_size - off)
		return error("'%s' is not a valid ELF file: truncated or damaged", e->path);
	while (done < len) {
		ssize_t n = pread(e->fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return error("cannot read '%s': %s", e->path,
				     n < 0 ? strerror(errno) : "file shrank while read");
		done += (size_t)n;
	}
	return 0;
}

static int read_section(const struct elf *e, uint64_t index, struct section *s)
{
	unsigned char b[SHDR_SIZE];

	if (index >= e->shnum)
		return error("'%s' is not a valid ELF file: section %llu out of range", e->path,
			     (unsigned long long)index);
	if (read_at(e, e->shoff + index * SHDR_SIZE, b, sizeof(b)))
		return -1;
	s->name = le32(b);
	s->type = le32(b + 4);
	s->offset = le64(b + 24);
	s->size = le64(b + 32);
	s->link = le32(b + 40);
	s->entsize = le64(b + 56);
	return 0;
}

/*
 * The NUL-terminated string at off in the string table tab, compared with
 * want: 1 equal, 0 not, -1 after one line (outside the table, unterminated).
 */
static int string_is(const struct elf *e, const struct section *tab, uint64_t off,
		     const char *want)
{
	size_t len = strlen(want);
	char buf[MAX_NAME + 1];
	uint64_t avail;

	if (off >= tab->size)
		return error("'%s' is not a valid ELF file: a name outside its string table", e->path);
	avail = tab->size - off;
	/* Only len + 1 bytes decide: want and its terminating NUL. */
	if (len > MAX_NAME)
		return 0;
	if (avail < len + 1)
		return 0;
	if (read_at(e, tab->offset + off, buf, len + 1))
		return -1;
	return !memcmp(buf, want, len) && buf[len] == '\0';
}

/* Opens path and checks its header. 0, or -1 after one line. */
static int elf_open(struct elf *e, const char *path)
{
	unsigned char h[EHDR_SIZE];
	struct stat st;
	uint16_t shentsize;

	memset(e, 0, sizeof(*e));
	e->path = path;
	e->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (e->fd < 0)
		return error("cannot open '%s': %s", path, strerror(errno));
	if (fstat(e->fd, &st) || !S_ISREG(st.st_mode)) {
		close(e->fd);
		return error("cannot read '%s': not a regular file", path);
	}
	e->file_size = (uint64_t)st.st_size;
	if (e->file_size < EHDR_SIZE || read_at(e, 0, h, sizeof(h)) ||
	    memcmp(h, "\177ELF", 4)) {
		close(e->fd);
		return error("'%s' is not an ELF file", path);
	}
	if (h[4] != 2 || h[5] != 1) {
		close(e->fd);
		return error("'%s' is not a 64-bit little-endian ELF file", path);
	}
	e->shoff = le64(h + 40);
	shentsize = le16(h + 58);
	e->shnum = le16(h + 60);
	e->shstrndx = le16(h + 62);
	if (e->shoff == 0 || shentsize != SHDR_SIZE) {
		close(e->fd);
		return error("'%s' has no section headers", path);
	}
	/* Many sections: the real count and name-table index sit in section 0. */
	if (e->shnum == 0 || e->shstrndx == SHN_XINDEX) {
		struct section zero;

		e->shnum = 1;
		if (read_section(e, 0, &zero)) {
			close(e->fd);
			return -1;
		}
		e->shnum = le16(h + 60) ? le16(h + 60) : zero.size;
		if (e->shstrndx == SHN_XINDEX)
			e->shstrndx = zero.link;
	}
	if (e->shoff > e->file_size || e->shnum > (e->file_size - e->shoff) / SHDR_SIZE) {
		close(e->fd);
		return error("'%s' is not a valid ELF file: truncated or damaged", path);
	}
	if (e->shstrndx == SHN_UNDEF || e->shstrndx >= e->shnum) {
		close(e->fd);
		return error("'%s' has no section names", path);
	}
	return 0;
}

/*
 * The first section named name (or, name NULL, of the given type) into
 * *found: 1 found, 0 not, -1 after one line.
 */
static int find_section(const struct elf *e, const char *name, uint32_t type,
			struct section *found)
{
	struct section names;

	if (read_section(e, e->shstrndx, &names))
		return -1;
	if (names.offset > e->file_size || names.size > e->file_size - names.offset)
		return error("'%s' is not a valid ELF file: truncated or damaged", e->path);
	for (uint64_t i = 1; i < e->shnum; i++) {
		int same;

		if (read_section(e, i, found))
			return -1;
		if (!name) {
			if (found->type == type)
				return 1;
			continue;
		}
		same = string_is(e, &names, found->name, name);
		if (same)
			return same;
	}
	return 0;
}

int elf_section_size(const char *path, const char *section, uint64_t *size)
{
	struct elf e;
	struct section s;
	int found;

	if (elf_open(&e, path))
		return -1;
	found = find_section(&e, section, 0, &s);
	close(e.fd);
	if (found < 0)
		return -1;
	if (!found)
		return error("'%s' has no section '%s'", path, section);
	*size = s.size;
	return 0;
}

int elf_section_digest(const char *path, const char *section, uint64_t digest[2])
{
	struct elf e;
	struct section s;
	struct digest d;
	unsigned char buf[65536];
	int found;

	if (elf_open(&e, path))
		return -1;
	found = find_section(&e, section, 0, &s);
	if (found <= 0) {
		close(e.fd);
		return found < 0 ? -1 : error("'%s' has no section '%s'", path, section);
	}
	if (s.offset > e.file_size || s.size > e.file_size - s.offset) {
		close(e.fd);
		return error("'%s' is not a valid ELF file: section '%s' lies past its end",
			     path, section);
	}
	digest_init(&d);
	for (uint64_t done = 0; done < s.size;) {
		size_t len = s.size - done < sizeof(buf) ? (size_t)(s.size - done) : sizeof(buf);

		if (read_at(&e, s.offset + done, buf, len)) {
			close(e.fd);
			return -1;
		}
		digest_bytes(&d, buf, len);
		done += len;
	}
	close(e.fd);
	digest[0] = d.h[0];
	digest[1] = d.h[1];
	return 0;
}

int elf_symbol_address(const char *path, const char *name, uint64_t *addr)
{
	struct section symtab, strtab;
	struct elf e;
	uint64_t count;
	int found;

	if (elf_open(&e, path))
		return -1;
	found = find_section(&e, NULL, SHT_SYMTAB, &symtab);
	if (found <= 0) {
		close(e.fd);
		return found < 0 ? -1 : error("'%s' has no symbol table (stripped?)", path);
	}
	if (symtab.entsize != SYM_SIZE || read_section(&e, symtab.link, &strtab) ||
	    symtab.offset > e.file_size || symtab.size > e.file_size - symtab.offset ||
	    strtab.offset > e.file_size || strtab.size > e.file_size - strtab.offset) {
		close(e.fd);
		return error("'%s' is not a valid ELF file: a damaged symbol table", path);
	}
	count = symtab.size / SYM_SIZE;
	for (uint64_t i = 1; i < count; i++) {
		unsigned char b[SYM_SIZE];
		int same;

		if (read_at(&e, symtab.offset + i * SYM_SIZE, b, sizeof(b))) {
			close(e.fd);
			return -1;
		}
		/* A defined symbol only: an undefined one has no address of its own. */
		if (le16(b + 6) == SHN_UNDEF)
			continue;
		same = string_is(&e, &strtab, le32(b), name);
		if (same < 0) {
			close(e.fd);
			return -1;
		}
		if (same) {
			*addr = le64(b + 8);
			close(e.fd);
			return 0;
		}
	}
	close(e.fd);
	return error("no symbol '%s' in '%s'", name, path);
}

int64_t elf_program_text_bytes(const char *path)
{
	unsigned char magic[6];
	uint64_t size;
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	ssize_t got;

	if (fd < 0)
		return -1;
	got = read(fd, magic, sizeof(magic));
	close(fd);
	/* 64-bit little-endian ELF: what the reader knows (a script has no .text) */
	if (got != sizeof(magic) || memcmp(magic, "\177ELF\2\1", sizeof(magic)) ||
	    elf_section_size(path, ".text", &size))
		return -1;
	return (int64_t)size;
}

int elf_linked_text_digest(const char *path, uint64_t digest[2])
{
	unsigned char head[18];
	struct stat st;
	ssize_t got;
	uint16_t type;
	int fd;

	/* lstat: a link is another file's name, a FIFO would block the open */
	if (lstat(path, &st) || !S_ISREG(st.st_mode) || st.st_size < 64)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	got = read(fd, head, sizeof(head));
	close(fd);
	if (got != sizeof(head) || memcmp(head, "\177ELF\2\1", 6))
		return 0;
	type = le16(head + 16);
	/* ET_EXEC or ET_DYN: a program or a shared library, not an object */
	if (type != 2 && type != 3)
		return 0;
	return elf_section_digest(path, ".text", digest) ? -1 : 1;
}
