/*
 * libcalls: see libcalls.h.
 */
#include "trace/libcalls.h"
#include "lib/util.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

char *libcalls_find_audit_lib(void)
{
	char exe[PATH_MAX], *dir, *path;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	dir = dirname(exe);
	path = xasprintf("%s/" LIBCALLS_AUDIT_LIB, dir);
	if (is_file(path))
		return path;
	free(path);
	path = xasprintf("%s/../lib/steady/" LIBCALLS_AUDIT_LIB, dir);
	if (is_file(path))
		return path;
	free(path);
	return NULL;
}

/* Reads exactly size bytes at offset; 0, or -1 (short file or error). */
static int read_at(int fd, void *buf, size_t size, off_t offset)
{
	ssize_t n = pread(fd, buf, size, offset);

	return n == (ssize_t)size ? 0 : -1;
}

static int has_interp64(int fd)
{
	Elf64_Ehdr eh;

	if (read_at(fd, &eh, sizeof(eh), 0))
		return -1;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (read_at(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)))
			return -1;
		if (ph.p_type == PT_INTERP)
			return 1;
	}
	return 0;
}

static int has_interp32(int fd)
{
	Elf32_Ehdr eh;

	if (read_at(fd, &eh, sizeof(eh), 0))
		return -1;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf32_Phdr ph;

		if (read_at(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (uint32_t)i * eh.e_phentsize)))
			return -1;
		if (ph.p_type == PT_INTERP)
			return 1;
	}
	return 0;
}

int libcalls_is_static(const char *path)
{
	unsigned char ident[EI_NIDENT];
	int fd = open(path, O_RDONLY | O_CLOEXEC), interp;

	if (fd < 0)
		return error("cannot read '%s': %s", path, strerror(errno));
	if (read_at(fd, ident, sizeof(ident), 0) || memcmp(ident, ELFMAG, SELFMAG)) {
		close(fd);
		return 0;	/* a script, or too short to be ELF */
	}
	/* Only the byte order of this machine: a foreign ELF will not run anyway. */
	interp = ident[EI_CLASS] == ELFCLASS64 ? has_interp64(fd) :
		 ident[EI_CLASS] == ELFCLASS32 ? has_interp32(fd) : -1;
	close(fd);
	if (interp < 0)
		return error("cannot read '%s': not a valid ELF file", path);
	return !interp;
}

static int is_var(const char *entry, const char *name)
{
	size_t len = strlen(name);

	return !strncmp(entry, name, len) && entry[len] == '=';
}

char **libcalls_environment(char *const *envp, const char *lib, const char *out_prefix)
{
	size_t n = 0, k = 0;
	const char *audit = NULL;
	char **env;

	while (envp[n])
		n++;
	env = xcalloc(n + 3, sizeof(*env));
	for (size_t i = 0; i < n; i++) {
		if (is_var(envp[i], "LD_AUDIT")) {
			audit = envp[i] + strlen("LD_AUDIT=");
			continue;
		}
		if (is_var(envp[i], LIBCALLS_OUT_ENV))
			continue;
		env[k++] = xstrdup(envp[i]);
	}
	/* The program's own auditors keep working, ours comes after them. */
	env[k++] = audit && *audit ? xasprintf("LD_AUDIT=%s:%s", audit, lib) :
				     xasprintf("LD_AUDIT=%s", lib);
	env[k++] = xasprintf(LIBCALLS_OUT_ENV "=%s", out_prefix);
	env[k] = NULL;
	return env;
}

void libcalls_environment_free(char **env)
{
	if (!env)
		return;
	for (char **e = env; *e; e++)
		free(*e);
	free(env);
}

/* Parses a decimal count; 0 or -1. */
static int parse_count(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (!len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int libcalls_parse(const char *text, const char *what, struct call_table *t)
{
	size_t line = 0;

	for (const char *p = text; *p; ) {
		const char *end = strchr(p, '\n');
		const char *tab1, *tab2;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		uint64_t count;

		line++;
		tab1 = memchr(p, '\t', len);
		tab2 = tab1 ? memchr(tab1 + 1, '\t', len - (size_t)(tab1 + 1 - p)) : NULL;
		if (!tab2 || parse_count(p, (size_t)(tab1 - p), &count) ||
		    tab2 == tab1 + 1 || tab2 + 1 == p + len ||
		    memchr(tab2 + 1, '\t', len - (size_t)(tab2 + 1 - p))) {
			return error("cannot read '%s': line %zu is not 'count<TAB>symbol<TAB>library'",
				     what, line);
		}
		{
			char *name = xasprintf("%.*s@%.*s", (int)(tab2 - tab1 - 1), tab1 + 1,
					       (int)(p + len - tab2 - 1), tab2 + 1);

			call_table_add(t, name, count, 0, 0);
			free(name);
		}
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

/* The whole file as a string; NULL after one error line. */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, alloc = 0;

	if (!f) {
		error("cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t n;

		ALLOC_GROW(buf, len + 4097, alloc);
		n = fread(buf + len, 1, 4096, f);
		len += n;
		if (n < 4096)
			break;
	}
	if (ferror(f)) {
		error("cannot read '%s': %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

int libcalls_collect(const char *dir, const char *name, struct call_table *t,
		     pid_t **pids, size_t *nr)
{
	size_t name_len = strlen(name), alloc = 0;
	struct dirent *de;
	DIR *d = opendir(dir);
	int ret = 0;

	*pids = NULL;
	*nr = 0;
	if (!d)
		return error("cannot read '%s': %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		const char *suffix = de->d_name + name_len + 1;
		char *path, *text, *end;
		long pid;

		if (strncmp(de->d_name, name, name_len) || de->d_name[name_len] != '.')
			continue;
		errno = 0;
		pid = strtol(suffix, &end, 10);
		if (errno || end == suffix || *end || pid <= 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		text = read_text(path);
		if (!text || libcalls_parse(text, path, t))
			ret = -1;
		unlink(path);
		free(text);
		free(path);
		if (ret)
			break;
		ALLOC_GROW(*pids, *nr + 1, alloc);
		(*pids)[(*nr)++] = (pid_t)pid;
	}
	closedir(d);
	return ret;
}
