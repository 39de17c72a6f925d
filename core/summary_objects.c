/*
 * summary_objects.c - finding the summaries a build left behind: in
 * summary files, in the object files the plugin embedded them in, in
 * archives of those objects (the kernel's thin built-in.a), and in
 * relocatable links of them (vmlinux.o).
 *
 * The plugin writes a translation unit's summary, the same JSON Lines as
 * a summary file (docs/summary-format.md), into the object's section
 * LO_SUMMARY_SECTION, which is SHF_EXCLUDE: every final link drops it,
 * `ld -r` keeps it and concatenates the sections of its inputs.  So one
 * section may hold several summaries, one after the other; each starts
 * with its header record and ends with its `end` record.  Because the
 * section holds nothing but summaries, `objcopy --dump-section` of it is
 * a summary file.
 *
 * The loader reads each summary once, however often the build put it in
 * front of us (slub.o, mm/built-in.a and vmlinux.o all hold slub.o's):
 * a summary whose bytes it has already seen is counted as a duplicate and
 * not added again.  A summary whose source is gone (the recorded
 * directory exists on this machine, the source in it does not) is stale,
 * an object left behind by a build that no longer compiles it: it is
 * reported as a warning and not used.
 *
 * What it does NOT do: read LLVM bitcode (an LTO build's objects: build
 * without LTO for the summaries, or use summary-dir=), or follow archive
 * symbol tables.  Regular archives and ELF go through libelf; thin
 * archives, which libelf does not read, are walked here (the ar header is
 * 60 bytes, the members are files named relative to the archive).
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gelf.h>
#include <libelf.h>

#include "internal.h"

#define HEADER_START "{\"r\":\"lockorder-summary\""
#define MAX_ARCHIVE_DEPTH 8

struct lo_loader {
	lo_merge *m;
	uint64_t *seen; /* open addressing, 0 = empty */
	size_t nseen, capseen;
	size_t added, duplicates, stale;
};

lo_loader *lo_loader_new(lo_merge *m)
{
	lo_loader *l = lo_xmalloc(sizeof(*l));

	memset(l, 0, sizeof(*l));
	l->m = m;
	(void)elf_version(EV_CURRENT); /* EV_NONE only for a libelf older than its headers */
	return l;
}

void lo_loader_free(lo_loader *l)
{
	if (!l)
		return;
	free(l->seen);
	free(l);
}

size_t lo_loader_added(const lo_loader *l) { return l->added; }
size_t lo_loader_duplicates(const lo_loader *l) { return l->duplicates; }
size_t lo_loader_stale(const lo_loader *l) { return l->stale; }

static uint64_t fnv1a(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;

	while (n--)
		h = (h ^ (unsigned char)*p++) * 1099511628211ULL;
	return h ? h : 1;
}

/* Records H; returns 1 when it was already there. */
static int seen_before(lo_loader *l, uint64_t h)
{
	size_t i;

	if (2 * (l->nseen + 1) > l->capseen) {
		size_t cap = l->capseen ? 2 * l->capseen : 1024, k;
		uint64_t *v = lo_xmalloc(cap * sizeof(*v));

		memset(v, 0, cap * sizeof(*v));
		for (k = 0; k < l->capseen; k++) {
			if (!l->seen[k])
				continue;
			for (i = l->seen[k] & (cap - 1); v[i]; i = (i + 1) & (cap - 1))
				;
			v[i] = l->seen[k];
		}
		free(l->seen);
		l->seen = v;
		l->capseen = cap;
	}
	for (i = h & (l->capseen - 1); l->seen[i]; i = (i + 1) & (l->capseen - 1))
		if (l->seen[i] == h)
			return 1;
	l->seen[i] = h;
	l->nseen++;
	return 0;
}

/* 1 when S's source is known to be gone: the directory it was compiled
 * in is on this machine (so this is the build's machine, not a copy of
 * its summaries elsewhere), and the source in it is not. */
static int is_stale(const lo_summary *s)
{
	const char *src = lo_summary_source(s), *dir = lo_summary_directory(s);
	struct stat st;
	char *p, *slash;
	int gone;

	if (!src || !*src)
		return 0;
	if (src[0] == '/') {
		p = lo_xstrdup(src);
	} else {
		if (!dir || !*dir)
			return 0; /* compiled where we cannot know (distcc) */
		p = lo_xasprintf("%s/%s", dir, src);
	}
	gone = stat(p, &st) != 0 && errno == ENOENT;
	slash = strrchr(p, '/');
	if (gone && slash) {
		*slash = '\0';
		/* the whole tree gone: summaries moved to another machine */
		if (src[0] == '/' ? stat(*p ? p : "/", &st) != 0
				  : stat(dir, &st) != 0)
			gone = 0;
	}
	free(p);
	return gone;
}

/* One summary's text, found in WHERE. */
static int add_one(lo_loader *l, const char *text, size_t len,
		   const char *where, struct lo_errors *errs)
{
	lo_summary *s;

	if (seen_before(l, fnv1a(text, len))) {
		l->duplicates++;
		return 0;
	}
	s = lo_summary_read_string(text, len, where, errs);
	if (!s)
		return -1;
	if (is_stale(s)) {
		lo_errors_add(errs, LO_SEV_WARNING, where, 0, 0,
			      "summary of '%s' in '%s' not used: the source no "
			      "longer exists (remove the stale object or rebuild)",
			      lo_summary_source(s), where);
		lo_summary_free(s);
		l->stale++;
		return 0;
	}
	lo_merge_add(l->m, s);
	l->added++;
	return 0;
}

/* Cuts TEXT (a section, or a summary file) at each header record and adds
 * the summaries.  NUL bytes (padding between linked sections) are
 * skipped. */
static int add_text(lo_loader *l, const char *text, size_t len,
		    const char *where, struct lo_errors *errs)
{
	size_t i = 0, start;
	int rc = 0;

	while (i < len && text[i] == '\0')
		i++;
	if (i == len)
		return 0;
	if (len - i < sizeof(HEADER_START) - 1 ||
	    memcmp(text + i, HEADER_START, sizeof(HEADER_START) - 1) != 0)
		/* not ours: let the reader say what is wrong with it */
		return add_one(l, text + i, len - i, where, errs);
	while (i < len) {
		start = i;
		for (;;) {
			const char *nl = memchr(text + i, '\n', len - i);

			i = nl ? (size_t)(nl - text) + 1 : len;
			if (i >= len || text[i] == '\0' ||
			    (len - i >= sizeof(HEADER_START) - 1 &&
			     memcmp(text + i, HEADER_START,
				    sizeof(HEADER_START) - 1) == 0))
				break;
		}
		if (add_one(l, text + start, i - start, where, errs))
			rc = -1;
		while (i < len && text[i] == '\0')
			i++;
	}
	return rc;
}

static int add_path(lo_loader *l, const char *path, const char *where,
		    int depth, struct lo_errors *errs);

/* The summaries in the ELF object E (named WHERE); 0 when it has none. */
static int add_elf(lo_loader *l, Elf *e, const char *where,
		   struct lo_errors *errs)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int rc = 0;

	if (elf_getshdrstrndx(e, &shstrndx) != 0) {
		lo_errors_add(errs, LO_SEV_ERROR, where, 0, 0,
			      "cannot read the sections of '%s': %s", where,
			      elf_errmsg(-1));
		return -1;
	}
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		const char *name;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS)
			continue;
		name = elf_strptr(e, shstrndx, sh.sh_name);
		if (!name || strcmp(name, LO_SUMMARY_SECTION) != 0)
			continue;
		d = elf_rawdata(scn, NULL);
		if (!d || !d->d_buf) {
			lo_errors_add(errs, LO_SEV_ERROR, where, 0, 0,
				      "cannot read section %s of '%s': %s",
				      LO_SUMMARY_SECTION, where, elf_errmsg(-1));
			rc = -1;
			continue;
		}
		if (add_text(l, d->d_buf, d->d_size, where, errs))
			rc = -1;
	}
	return rc;
}

/* A regular archive, or an ELF object, open as E. */
static int add_elf_or_archive(lo_loader *l, int fd, Elf *e, const char *where,
			      int depth, struct lo_errors *errs)
{
	int rc = 0;

	if (elf_kind(e) == ELF_K_ELF)
		return add_elf(l, e, where, errs);
	if (elf_kind(e) != ELF_K_AR)
		return 1; /* neither */
	for (;;) {
		Elf *m = elf_begin(fd, ELF_C_READ_MMAP, e);
		Elf_Arhdr *h;
		char *name;

		if (!m)
			break;
		h = elf_getarhdr(m);
		if (h && h->ar_name && h->ar_name[0] != '/') {
			name = lo_xmalloc(strlen(where) + strlen(h->ar_name) + 3);
			sprintf(name, "%s(%s)", where, h->ar_name);
			if (depth < MAX_ARCHIVE_DEPTH &&
			    add_elf_or_archive(l, fd, m, name, depth + 1, errs) < 0)
				rc = -1;
			free(name);
		}
		elf_next(m);
		elf_end(m);
	}
	return rc;
}

/* The long-name table's entry at OFF: up to "/\n". */
static char *long_name(const char *tab, size_t tablen, size_t off)
{
	size_t end = off;

	if (!tab || off >= tablen)
		return NULL;
	while (end < tablen && tab[end] != '\n')
		end++;
	if (end > off && tab[end - 1] == '/')
		end--;
	return lo_xstrndup(tab + off, end - off);
}

/*
 * A thin archive ("!<thin>\n"): 60-byte member headers whose data lives
 * in the files they name (relative to the archive's directory), except
 * the symbol table "/" and the long-name table "//", which are inline.
 */
static int add_thin(lo_loader *l, const char *path, const char *buf,
		    size_t len, int depth, struct lo_errors *errs)
{
	size_t off = 8, tablen = 0;
	const char *tab = NULL, *slash = strrchr(path, '/');
	int rc = 0;

	while (off + 60 <= len) {
		const char *h = buf + off;
		char sizebuf[11], *name = NULL, *member;
		size_t size;

		memcpy(sizebuf, h + 48, 10);
		sizebuf[10] = '\0';
		size = strtoull(sizebuf, NULL, 10);
		off += 60;
		if (h[0] == '/' && (h[1] == ' ' || memcmp(h, "/SYM64/", 7) == 0)) {
			off += size + (size & 1); /* symbol table, inline */
			continue;
		}
		if (h[0] == '/' && h[1] == '/') {
			tab = buf + off; /* long names, inline */
			tablen = size < len - off ? size : len - off;
			off += size + (size & 1);
			continue;
		}
		if (h[0] == '/')
			name = long_name(tab, tablen, strtoull(h + 1, NULL, 10));
		else {
			const char *end = memchr(h, '/', 16);

			name = lo_xstrndup(h, end ? (size_t)(end - h) : 16);
		}
		if (!name) {
			lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
				      "'%s': a thin archive member with no name",
				      path);
			return -1;
		}
		if (name[0] == '/' || !slash)
			member = lo_xstrdup(name);
		else {
			member = lo_xmalloc((size_t)(slash - path) + strlen(name) + 2);
			sprintf(member, "%.*s/%s", (int)(slash - path), path, name);
		}
		/* data not inline: nothing to skip */
		if (add_path(l, member, member, depth + 1, errs) < 0)
			rc = -1;
		free(member);
		free(name);
	}
	return rc;
}

static int add_path(lo_loader *l, const char *path, const char *where,
		    int depth, struct lo_errors *errs)
{
	char magic[8];
	int fd, rc;
	ssize_t got;
	Elf *e;

	if (depth > MAX_ARCHIVE_DEPTH) {
		lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
			      "'%s': archives nested too deeply", path);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
			      "cannot open summary '%s': %s", path,
			      strerror(errno));
		return -1;
	}
	got = pread(fd, magic, sizeof(magic), 0);
	if (got == 8 && memcmp(magic, "!<thin>\n", 8) == 0) {
		struct stat st;
		char *buf;

		if (fstat(fd, &st) != 0 ||
		    !(buf = lo_xmalloc((size_t)st.st_size + 1)) ||
		    pread(fd, buf, (size_t)st.st_size, 0) != st.st_size) {
			lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
				      "cannot read '%s': %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
		rc = add_thin(l, path, buf, (size_t)st.st_size, depth, errs);
		free(buf);
		return rc;
	}
	if ((got >= 4 && memcmp(magic, "\177ELF", 4) == 0) ||
	    (got == 8 && memcmp(magic, "!<arch>\n", 8) == 0)) {
		e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		if (!e) {
			lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
				      "cannot read '%s': %s", path, elf_errmsg(-1));
			close(fd);
			return -1;
		}
		rc = add_elf_or_archive(l, fd, e, where, depth, errs);
		elf_end(e);
		close(fd);
		return rc < 0 ? -1 : 0;
	}
	{
		/* a summary file: through the same gate as embedded ones */
		struct stat st;
		char *buf;

		if (fstat(fd, &st) != 0) {
			lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
				      "cannot read summary '%s': %s", path,
				      strerror(errno));
			close(fd);
			return -1;
		}
		buf = lo_xmalloc((size_t)st.st_size + 1);
		got = st.st_size ? pread(fd, buf, (size_t)st.st_size, 0) : 0;
		close(fd);
		if (got != st.st_size) {
			lo_errors_add(errs, LO_SEV_ERROR, path, 0, 0,
				      "cannot read summary '%s': %s", path,
				      got < 0 ? strerror(errno) : "file shrank while read");
			free(buf);
			return -1;
		}
		rc = got ? add_text(l, buf, (size_t)got, where, errs)
			 : add_one(l, buf, 0, where, errs);
		free(buf);
		return rc;
	}
}

int lo_loader_add(lo_loader *l, const char *path, struct lo_errors *errs)
{
	size_t before = l->added;

	if (add_path(l, path, path, 0, errs) < 0)
		return -1;
	return (int)(l->added - before);
}
