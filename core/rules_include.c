/*
 * rules_include.c - the files of a rules file: reading one, and the
 * include statement, which reads another in its place.
 *
 * An include names a file relative to the including file's directory, as
 * C's #include "..." does.  Each file is read once (a second include of
 * it, by whatever path, adds nothing), an include of a file still being
 * read is an error that names the whole cycle, and a chain of includes
 * deeper than MAX_INCLUDE_DEPTH stops.
 *
 * What it does NOT do: parse the text it reads (rules_parse.c does), or
 * give an included file's locks any meaning of their own: 'leaf *' in
 * one file reaching only that file's locks is rules_resolve.c's rule.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* Deeper than any real include tree; stops a runaway chain of distinct
 * files before it exhausts the stack. */
#define MAX_INCLUDE_DEPTH 64

/* The contents of PATH (not NUL-terminated) and their length in *LEN; the
 * caller frees.  NULL with errno's value in *ERR when it cannot be read. */
char *lo_rules_read_file(const char *path, size_t *len, int *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f) {
		*err = errno;
		return NULL;
	}
	for (;;) {
		size_t got;

		lo_grow(&buf, &cap, n + 4096, 1);
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		*err = errno ? errno : EIO;
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* The key that makes "include once" work: the resolved path when there
 * is one, so that "a/../b.lockorder" and "b.lockorder" are one file.
 * The caller frees it. */
char *lo_rules_file_key(const char *name)
{
	char *rp = realpath(name, NULL);

	return rp ? rp : lo_xstrdup(name);
}

/* Parses TEXT as the file DISPLAY (owned by the lo_rules) whose key is
 * KEY (taken over). */
void lo_rules_parse_file_text(struct parser *p, const char *display,
			      char *key, const char *text, size_t len)
{
	const char *saved = p->file;

	lo_grow(&p->stack, &p->capstack, p->nstack + 1, sizeof(*p->stack));
	p->stack[p->nstack].key = key;
	p->stack[p->nstack].display = display;
	p->nstack++;
	lo_grow(&p->seen, &p->capseen, p->nseen + 1, sizeof(*p->seen));
	p->seen[p->nseen++] = lo_xstrdup(key);
	lo_grow(&p->files, &p->capfiles, p->nfiles + 1, sizeof(*p->files));
	p->files[p->nfiles++] = display;
	p->file = display;
	lo_rules_parse_text(p, text, len);
	p->file = saved;
	p->nstack--;
	free(p->stack[p->nstack].key);
}

void lo_rules_parse_include(struct parser *p)
{
	const struct token *t = peek(p);
	int line = t->line, col = t->col;
	const char *dir_end, *display;
	char *path, *key, *text;
	size_t i, len, dirlen;
	int err = 0;

	if (t->kind != T_STRING) {
		error_at(p, t, "expected a quoted file name after 'include'");
		return;
	}
	take(p);
	if (expect_eol(p, "end of line"))
		return;
	if (!p->allow_include) {
		error_at(p, t, "'include' is not allowed in rules read from a string");
		return;
	}
	if (t->len == 2) {
		error_at(p, t, "expected a file name inside the quotes");
		return;
	}
	/* Relative to the including file's directory, as C's "..." */
	dir_end = strrchr(p->file, '/');
	dirlen = t->s[1] == '/' || !dir_end ? 0 : (size_t)(dir_end - p->file) + 1;
	path = lo_xmalloc(dirlen + t->len - 1);
	memcpy(path, p->file, dirlen);
	memcpy(path + dirlen, t->s + 1, t->len - 2);
	path[dirlen + t->len - 2] = '\0';
	display = own(p->r, path);

	key = lo_rules_file_key(display);
	for (i = 0; i < p->nstack; i++) {
		if (strcmp(p->stack[i].key, key) == 0) {
			size_t j, n = 32;
			char *msg, *o;

			for (j = i; j < p->nstack; j++)
				n += strlen(p->stack[j].display) + 6;
			n += strlen(display);
			o = msg = lo_xmalloc(n);
			o += sprintf(o, "include cycle: ");
			for (j = i; j < p->nstack; j++)
				o += sprintf(o, "'%s' -> ", p->stack[j].display);
			sprintf(o, "'%s'", display);
			error_loc(p, p->file, line, col, "%s", msg);
			free(msg);
			free(key);
			return;
		}
	}
	for (i = 0; i < p->nseen; i++) {
		if (strcmp(p->seen[i], key) == 0) {
			free(key); /* included before: once is enough */
			return;
		}
	}
	if (p->nstack >= MAX_INCLUDE_DEPTH) {
		error_loc(p, p->file, line, col,
			  "includes nested too deeply (more than %d files)",
			  MAX_INCLUDE_DEPTH);
		free(key);
		return;
	}
	text = lo_rules_read_file(display, &len, &err);
	if (!text) {
		error_loc(p, p->file, line, col, "cannot open '%s': %s", display,
			  strerror(err));
		free(key);
		return;
	}
	lo_rules_parse_file_text(p, display, key, text, len);
	free(text);
}
