/*
 * compdb.c - read a compilation database (compile_commands.json): every C
 * entry's directory made absolute, its file named as the kernel's tools
 * name it, and its command as a list of words, whether the entry gave
 * `arguments` or a `command` string.
 *
 * What it does NOT do:
 * - rewrite the command for the plugin (plugin_cmd.c does) or run it
 *   (jobs.c does).
 * - expand anything in a `command` string.  It is split into words by
 *   quote removal only, as clang's JSONCompilationDatabase does: wordexp(3)
 *   would also expand $VARIABLES, ~ and globs (and refuse unquoted | ; &
 *   ( ) < >), none of which the compiler saw when the build ran.
 * - keep assembler or other entries that are not C: they hold no locks
 *   for the plugin to follow, and are only counted.
 */
#define _GNU_SOURCE /* realpath, and POSIX.1-2008 everywhere */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "compdb.h"

/* A growable string for the splitter. */
struct buf {
	char *s;
	size_t n, cap;
};

static void buf_add(struct buf *b, char c)
{
	if (b->n + 2 > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->s = xrealloc(b->s, b->cap);
	}
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
}

/*
 * Splits CMD into words the way sh(1) does with quote removal only (no
 * expansion of any kind): blanks separate words; a backslash quotes the
 * next character (and a backslash-newline disappears); '...' quotes
 * everything up to the next '; "..." quotes everything but \ before
 * $ ` " \ and newline.  This is also what clang's JSONCompilationDatabase
 * does with `command`, so both see the same arguments: the kernel's
 * -DKBUILD_MODNAME='"kvm"' becomes -DKBUILD_MODNAME="kvm".
 * Returns 0, or -1 with *WHY set on an unterminated quote.
 */
int split_command(const char *cmd, struct strv *out, const char **why)
{
	const char *p = cmd;
	struct buf w = { 0 };

	for (;;) {
		int have = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		w.n = 0;
		if (w.s)
			w.s[0] = '\0'; /* '' is an empty word */
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' &&
		       *p != '\r') {
			have = 1;
			if (*p == '\\') {
				p++;
				if (*p == '\n') {
					p++;
					continue;
				}
				if (!*p)
					break; /* a trailing backslash: dropped */
				buf_add(&w, *p++);
			} else if (*p == '\'') {
				p++;
				while (*p && *p != '\'')
					buf_add(&w, *p++);
				if (!*p)
					goto unterminated;
				p++;
			} else if (*p == '"') {
				p++;
				while (*p && *p != '"') {
					if (*p == '\\' && p[1] == '\n') {
						p += 2;
						continue;
					}
					if (*p == '\\' &&
					    (p[1] == '$' || p[1] == '`' ||
					     p[1] == '"' || p[1] == '\\'))
						p++;
					buf_add(&w, *p++);
				}
				if (!*p)
					goto unterminated;
				p++;
			} else {
				buf_add(&w, *p++);
			}
		}
		if (have)
			strv_push(out, w.s ? w.s : "");
	}
	free(w.s);
	return 0;
unterminated:
	free(w.s);
	*why = "unterminated quote";
	return -1;
}

/*
 * Splits the text of a response file (@FILE) into words as GCC's
 * buildargv() and clang's GNU tokenizer do, which is not the shell's way:
 * a backslash quotes the next character everywhere, inside quotes too;
 * '...' and "..." group blanks; nothing is expanded.  An unterminated
 * quote ends at the end of the text, as both compilers take it.
 */
void split_response_file(const char *text, struct strv *out)
{
	const char *p = text;
	struct buf w = { 0 };

	for (;;) {
		char quote = 0;
		int have = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		       *p == '\f' || *p == '\v')
			p++;
		if (!*p)
			break;
		w.n = 0;
		if (w.s)
			w.s[0] = '\0'; /* '' is an empty word */
		for (; *p; p++) {
			if (!quote && (*p == ' ' || *p == '\t' || *p == '\n' ||
				       *p == '\r' || *p == '\f' || *p == '\v'))
				break;
			have = 1;
			if (*p == '\\' && p[1]) {
				buf_add(&w, *++p);
			} else if (quote && *p == quote) {
				quote = 0;
			} else if (!quote && (*p == '\'' || *p == '"')) {
				quote = *p;
			} else {
				buf_add(&w, *p);
			}
		}
		if (have)
			strv_push(out, w.s ? w.s : "");
	}
	free(w.s);
}

/* The file as the kernel's tools name it: relative to the entry's
 * directory when it lies under it. */
static char *display_name(const char *file, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (file[0] == '/' && strncmp(file, dir, n) == 0 && file[n] == '/')
		return xstrdup(file + n + 1);
	if (starts_with(file, "./"))
		return xstrdup(file + 2);
	return xstrdup(file);
}

static const char *json_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The words of entry E (number I of PATH) into OUT.  Returns 0, or 2
 * after saying what is wrong. */
static int entry_words(const char *prog, const char *path, size_t i,
		       json_t *e, struct strv *out)
{
	const char *command = json_str(e, "command");
	json_t *args = json_object_get(e, "arguments");
	const char *why = NULL;

	if (json_is_array(args)) {
		size_t k;
		json_t *a;

		json_array_foreach(args, k, a) {
			if (!json_is_string(a)) {
				fprintf(stderr,
					"%s: '%s': entry %zu: 'arguments' holds a non-string\n",
					prog, path, i + 1);
				return 2;
			}
			strv_push(out, json_string_value(a));
		}
	} else if (split_command(command, out, &why) != 0) {
		fprintf(stderr, "%s: '%s': entry %zu: %s in 'command'\n",
			prog, path, i + 1, why);
		return 2;
	}
	if (out->n == 0) {
		fprintf(stderr, "%s: '%s': entry %zu has an empty command\n",
			prog, path, i + 1);
		return 2;
	}
	return 0;
}

/* The entries of ROOT, an array read from PATH, into DB; a relative
 * `directory` is taken relative to DBDIR. */
static int read_entries(const char *prog, const char *path,
			const char *dbdir, json_t *root, struct compdb *db)
{
	size_t i;
	json_t *e;

	db->v = xcalloc(json_array_size(root), sizeof(*db->v));
	json_array_foreach(root, i, e) {
		const char *dir = json_str(e, "directory");
		const char *file = json_str(e, "file");
		size_t flen = file ? strlen(file) : 0;
		struct compdb_entry *t = &db->v[db->n];

		if (!json_is_object(e) || !dir || !file ||
		    (!json_str(e, "command") &&
		     !json_is_array(json_object_get(e, "arguments")))) {
			fprintf(stderr,
				"%s: '%s': entry %zu needs 'directory', 'file' and 'arguments' or 'command'\n",
				prog, path, i + 1);
			return 2;
		}
		/* Assembler (arch/x86/kvm/vmx/vmenter.S) and anything else
		 * that is not C has no locks for the plugin to follow. */
		if (flen < 2 || strcmp(file + flen - 2, ".c") != 0) {
			db->skipped++;
			continue;
		}
		if (entry_words(prog, path, i, e, &t->argv) != 0) {
			strv_free(&t->argv);
			return 2;
		}
		t->index = i;
		t->directory = dir[0] == '/' ? xstrdup(dir)
					     : xasprintf("%s/%s", dbdir, dir);
		t->display = display_name(file, t->directory);
		db->n++;
	}
	return 0;
}

int compdb_read(const char *prog, const char *path, struct compdb *db)
{
	json_error_t jerr;
	json_t *root;
	FILE *f;
	char *dbdir, *slash;
	int ret;

	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: cannot open '%s': %s\n", prog, path,
			strerror(errno));
		return 2;
	}
	root = json_loadf(f, 0, &jerr);
	fclose(f);
	if (!root) {
		fprintf(stderr, "%s: '%s' is not valid JSON: line %d: %s\n",
			prog, path, jerr.line, jerr.text);
		return 2;
	}
	if (!json_is_array(root)) {
		fprintf(stderr,
			"%s: '%s' is not a compilation database: expected an array of entries\n",
			prog, path);
		json_decref(root);
		return 2;
	}
	if (json_array_size(root) == 0) {
		fprintf(stderr, "%s: '%s' lists no translation units\n", prog,
			path);
		json_decref(root);
		return 2;
	}

	/* A relative `directory` is taken relative to the database. */
	dbdir = realpath(path, NULL);
	if (!dbdir)
		dbdir = xstrdup(".");
	slash = strrchr(dbdir, '/');
	if (slash)
		*(slash == dbdir ? slash + 1 : slash) = '\0';

	ret = read_entries(prog, path, dbdir, root, db);
	free(dbdir);
	json_decref(root);
	return ret;
}

void compdb_free(struct compdb *db)
{
	size_t i;

	for (i = 0; i < db->n; i++) {
		free(db->v[i].directory);
		free(db->v[i].display);
		strv_free(&db->v[i].argv);
	}
	free(db->v);
	db->v = NULL;
	db->n = db->skipped = 0;
}
