/*
 * symbols: see symbols.h. The file is read once with libelf and closed;
 * only symtab_line() keeps it open, for libdw, from its first call on.
 */
#include "profile/symbols.h"
#include "lib/util.h"

#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct symcache_entry {
	char *path;
	struct symtab *tab;    /* its own allocation: stays put as entries grow */
	int failed;            /* the load failed; its error line was printed */
};

static int by_start(const void *a, const void *b)
{
	const struct symbol *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* At one start, the sized symbol first: it is the one kept. */
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* libelf's handle of path, opened on fd. NULL after one error line. */
static Elf *open_elf(const char *path, int *fd)
{
	Elf *elf;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		error("cannot read '%s': libelf is out of date", path);
		return NULL;
	}
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		error("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	elf = elf_begin(*fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		error("'%s' is not an ELF file", path);
		if (elf)
			elf_end(elf);
		close(*fd);
		return NULL;
	}
	return elf;
}

static int read_segments(Elf *elf, struct symtab *t)
{
	size_t n, alloc = 0;

	if (elf_getphdrnum(elf, &n))
		return error("'%s' is damaged: %s", t->path, elf_errmsg(-1));
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		struct segment *s;

		if (!gelf_getphdr(elf, (int)i, &ph))
			return error("'%s' is damaged: %s", t->path, elf_errmsg(-1));
		if (ph.p_type != PT_LOAD)
			continue;
		ALLOC_GROW(t->segs, t->nr_segs + 1, alloc);
		s = &t->segs[t->nr_segs++];
		s->offset = ph.p_offset;
		s->vaddr = ph.p_vaddr;
		s->filesz = ph.p_filesz;
		s->memsz = ph.p_memsz;
		s->exec = !!(ph.p_flags & PF_X);
		if (s->exec && !t->text_vaddr && !t->text_offset) {
			t->text_vaddr = s->vaddr;
			t->text_offset = s->offset;
		}
	}
	return 0;
}

/* The section of type, or NULL. */
static Elf_Scn *find_type(Elf *elf, Elf64_Word type)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == type)
			return scn;
	}
	return NULL;
}

static int read_symbols(Elf *elf, struct symtab *t)
{
	Elf_Scn *scn = find_type(elf, SHT_SYMTAB);
	size_t alloc = 0, kept = 0;
	GElf_Shdr sh;
	Elf_Data *data;

	if (!scn) {
		t->stripped = 1;
		scn = find_type(elf, SHT_DYNSYM);
		if (!scn)
			return 0;
	}
	if (!gelf_getshdr(scn, &sh) || !(data = elf_getdata(scn, NULL)) || !sh.sh_entsize)
		return error("'%s' is damaged: a bad symbol table", t->path);
	for (size_t i = 1; i < sh.sh_size / sh.sh_entsize; i++) {
		GElf_Sym sym;
		const char *name;
		int type;

		if (!gelf_getsym(data, (int)i, &sym))
			return error("'%s' is damaged: a bad symbol table", t->path);
		type = GELF_ST_TYPE(sym.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF ||
		    sym.st_shndx == SHN_ABS || !sym.st_value)
			continue;
		name = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		ALLOC_GROW(t->syms, t->nr + 1, alloc);
		t->syms[t->nr].start = sym.st_value;
		t->syms[t->nr].size = sym.st_size;
		t->syms[t->nr].name = xstrdup(name);
		t->nr++;
	}
	if (!t->nr)
		return 0;
	/* Aliases share a start: one name each, so the search finds one. */
	qsort(t->syms, t->nr, sizeof(*t->syms), by_start);
	for (size_t i = 0; i < t->nr; i++) {
		if (kept && t->syms[kept - 1].start == t->syms[i].start) {
			free(t->syms[i].name);
			continue;
		}
		t->syms[kept++] = t->syms[i];
	}
	t->nr = kept;
	return 0;
}

int symtab_load(const char *path, struct symtab *out)
{
	GElf_Ehdr eh;
	Elf *elf;
	int fd, ret;

	memset(out, 0, sizeof(*out));
	out->dw_fd = -1;
	elf = open_elf(path, &fd);
	if (!elf)
		return -1;
	out->path = xstrdup(path);
	if (!gelf_getehdr(elf, &eh))
		ret = error("'%s' is damaged: %s", path, elf_errmsg(-1));
	else {
		out->pie = eh.e_type == ET_DYN;
		ret = read_segments(elf, out);
		if (!ret)
			ret = read_symbols(elf, out);
	}
	elf_end(elf);
	close(fd);
	if (ret)
		symtab_release(out);
	return ret;
}

void symtab_release(struct symtab *t)
{
	for (size_t i = 0; i < t->nr; i++)
		free(t->syms[i].name);
	free(t->syms);
	free(t->segs);
	free(t->path);
	if (t->dwarf)
		dwarf_end(t->dwarf);
	if (t->dw_elf)
		elf_end(t->dw_elf);
	if (t->dw_tried && t->dw_fd >= 0)
		close(t->dw_fd);
	memset(t, 0, sizeof(*t));
	t->dw_fd = -1;
}

/* Where the executable segment holding addr ends, or addr itself when none does. */
static uint64_t segment_end(const struct symtab *t, uint64_t addr)
{
	for (size_t i = 0; i < t->nr_segs; i++) {
		const struct segment *s = &t->segs[i];

		if (s->exec && addr >= s->vaddr && addr - s->vaddr < s->memsz)
			return s->vaddr + s->memsz;
	}
	return addr;
}

static int holds(const struct symtab *t, size_t i, uint64_t addr)
{
	const struct symbol *s = &t->syms[i];
	uint64_t end;

	if (s->size)
		end = s->start + s->size;
	else if (i + 1 < t->nr)
		end = t->syms[i + 1].start;
	else
		end = segment_end(t, s->start);
	return addr >= s->start && addr < end;
}

/* A nested symbol may sit between addr and the one holding it: look this far back. */
#define LOOK_BACK 8

const struct symbol *symtab_find(const struct symtab *t, uint64_t addr)
{
	size_t lo = 0, hi = t->nr;

	/* The first symbol starting after addr; the one before it is the candidate. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->syms[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo, n = 0; i > 0 && n < LOOK_BACK; i--, n++) {
		if (holds(t, i - 1, addr))
			return &t->syms[i - 1];
	}
	return NULL;
}

int symtab_addr_of_ip(const struct symtab *t, uint64_t ip, uint64_t map_start,
		      uint64_t map_pgoff, uint64_t *addr)
{
	uint64_t off;

	if (ip < map_start)
		return -1;
	off = ip - map_start + map_pgoff;
	for (size_t i = 0; i < t->nr_segs; i++) {
		const struct segment *s = &t->segs[i];

		if (off >= s->offset && off - s->offset < s->filesz) {
			*addr = off - s->offset + s->vaddr;
			return 0;
		}
	}
	return -1;
}

/* Opens the debug information once; 0 when there is some. */
static int open_dwarf(struct symtab *t)
{
	if (t->dw_tried)
		return t->dwarf ? 0 : -1;
	t->dw_tried = 1;
	t->dw_fd = open(t->path, O_RDONLY | O_CLOEXEC);
	if (t->dw_fd < 0)
		return -1;
	t->dw_elf = elf_begin(t->dw_fd, ELF_C_READ, NULL);
	if (t->dw_elf)
		t->dwarf = dwarf_begin_elf(t->dw_elf, DWARF_C_READ, NULL);
	return t->dwarf ? 0 : -1;
}

/* The compile unit holding addr: by .debug_aranges, else by each unit's ranges. */
static int find_cu(Dwarf *dw, uint64_t addr, Dwarf_Die *cu)
{
	Dwarf_Off off = 0, next;
	size_t header;

	if (dwarf_addrdie(dw, addr, cu))
		return 0;
	while (!dwarf_nextcu(dw, off, &next, &header, NULL, NULL, NULL)) {
		if (dwarf_offdie(dw, off + header, cu) && dwarf_haspc(cu, addr) > 0)
			return 0;
		off = next;
	}
	return -1;
}

char *symtab_line(struct symtab *t, uint64_t addr)
{
	Dwarf_Die cu;
	Dwarf_Line *line;
	const char *file;
	int lineno;

	if (open_dwarf(t) || find_cu(t->dwarf, addr, &cu))
		return NULL;
	line = dwarf_getsrc_die(&cu, addr);
	if (!line || !(file = dwarf_linesrc(line, NULL, NULL)) || dwarf_lineno(line, &lineno))
		return NULL;
	return xasprintf("%s:%d", file, lineno);
}

struct symtab *symcache_get(struct symcache *c, const char *path)
{
	struct symcache_entry *e;

	for (size_t i = 0; i < c->nr; i++) {
		e = &c->entries[i];
		if (!strcmp(e->path, path))
			return e->failed ? NULL : e->tab;
	}
	ALLOC_GROW(c->entries, c->nr + 1, c->alloc);
	e = &c->entries[c->nr++];
	e->path = xstrdup(path);
	e->tab = xcalloc(1, sizeof(*e->tab));
	e->failed = symtab_load(path, e->tab) != 0;
	return e->failed ? NULL : e->tab;
}

void symcache_release(struct symcache *c)
{
	for (size_t i = 0; i < c->nr; i++) {
		free(c->entries[i].path);
		if (!c->entries[i].failed)
			symtab_release(c->entries[i].tab);
		free(c->entries[i].tab);
	}
	free(c->entries);
	c->entries = NULL;
	c->nr = c->alloc = 0;
}
