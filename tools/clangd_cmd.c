/*
 * clangd_cmd.c - where `lockorder clangd` finds the compile command of a
 * file: where clangd finds it, so that the plugin compiles the file as
 * clangd parses it.
 *
 * clangd walks up from the file and takes the first directory that holds
 * compile_commands.json or compile_flags.txt (also in a build/
 * subdirectory); --compile-commands-dir names the one directory instead.
 * A compile_commands.json that does not list the file lends it the
 * command of its nearest neighbour (clangd's interpolation, simplified to
 * the entry whose path shares the longest directory prefix, with the file
 * name swapped in).  compile_flags.txt holds one argument a line, run
 * in its own directory, as clang's FixedCompilationDatabase reads it.
 * With neither, clangd's fallback: `clang FILE`.
 *
 * What it does NOT do:
 * - read clangd's .clangd configuration (CompileFlags: Add/Remove).
 * - rewrite the command for the plugin (plugin_cmd.c) or run it.
 * - say a database's errors itself: compdb_read() says them, and they
 *   are handed back to the caller to show in the editor.
 */
#define _GNU_SOURCE /* realpath, memmem */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clangd_cmd.h"
#include "compdb.h"

#define PROG "lockorder clangd"
#define CACHED_DBS 4

/* A compile_commands.json read, with its entries' real paths. */
struct cached_db {
	char *path;
	struct timespec mtime;
	off_t size;
	struct compdb db;
	char **real; /* of each entry's file */
	char *err;   /* what compdb_read said, when it failed */
};

static struct cached_db cache[CACHED_DBS];
static unsigned cache_next;

static int exists(const char *path, struct stat *st)
{
	return stat(path, st) == 0 && S_ISREG(st->st_mode);
}

static char *real_or_copy(const char *path)
{
	char *r = realpath(path, NULL);

	return r ? r : xstrdup(path);
}

/* The file an entry compiles, as an absolute path. */
static char *entry_file(const struct compdb_entry *e)
{
	return e->display[0] == '/' ? xstrdup(e->display)
				    : xasprintf("%s/%s", e->directory, e->display);
}

static void cached_free(struct cached_db *c)
{
	size_t i;

	for (i = 0; c->real && i < c->db.n; i++)
		free(c->real[i]);
	free(c->real);
	compdb_free(&c->db);
	free(c->path);
	free(c->err);
	memset(c, 0, sizeof(*c));
}

/*
 * compdb_read() with what it says on stderr caught, so that the editor
 * can show it: stderr points at a temporary file meanwhile.  The server
 * is one thread, so nothing else writes there in between.
 */
static int read_db(const char *path, struct compdb *db, char **err)
{
	char tmpl[] = "/tmp/lockorder-clangd-err-XXXXXX";
	int fd = mkstemp(tmpl), saved, rc;

	*err = NULL;
	if (fd < 0) {
		rc = compdb_read(PROG, path, db);
		if (rc != 0)
			*err = xasprintf(PROG ": cannot read '%s'", path);
		return rc;
	}
	unlink(tmpl);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	rc = compdb_read(PROG, path, db);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	if (rc != 0) {
		off_t n = lseek(fd, 0, SEEK_END);
		char *msg = xrealloc(NULL, (size_t)(n > 0 ? n : 0) + 1);
		ssize_t r = n > 0 ? pread(fd, msg, (size_t)n, 0) : 0;

		msg[r > 0 ? r : 0] = '\0';
		while (r > 0 && msg[r - 1] == '\n')
			msg[--r] = '\0';
		if (!*msg) {
			free(msg);
			msg = xasprintf(PROG ": cannot read '%s'", path);
		}
		fprintf(stderr, "%s\n", msg); /* the server's log too */
		*err = msg;
	}
	close(fd);
	return rc;
}

/* The database at PATH, read now or when it last changed. */
static struct cached_db *load_db(const char *path, const struct stat *st)
{
	struct cached_db *c = NULL;
	unsigned i;

	for (i = 0; i < CACHED_DBS; i++)
		if (cache[i].path && strcmp(cache[i].path, path) == 0)
			c = &cache[i];
	if (c && c->size == st->st_size &&
	    c->mtime.tv_sec == st->st_mtim.tv_sec &&
	    c->mtime.tv_nsec == st->st_mtim.tv_nsec)
		return c;
	if (!c)
		c = &cache[cache_next++ % CACHED_DBS];
	cached_free(c);
	c->path = xstrdup(path);
	c->mtime = st->st_mtim;
	c->size = st->st_size;
	if (read_db(path, &c->db, &c->err) == 0) {
		c->real = xcalloc(c->db.n, sizeof(*c->real));
		for (i = 0; i < c->db.n; i++) {
			char *f = entry_file(&c->db.v[i]);

			c->real[i] = real_or_copy(f);
			free(f);
		}
	}
	return c;
}

/* How many leading bytes A and B share, up to a '/' of both. */
static size_t shared_dirs(const char *a, const char *b)
{
	size_t i, last = 0;

	for (i = 0; a[i] && a[i] == b[i]; i++)
		if (a[i] == '/')
			last = i + 1;
	return last;
}

/* The command of entry E of C, for the file REAL: its own, or, when it
 * compiles another file, that one's with REAL swapped in.  Returns 0, or
 * -1 when no word of the command names the entry's file. */
static int take_entry(const struct cached_db *c, size_t e, const char *real,
		      struct file_command *fc)
{
	const struct compdb_entry *t = &c->db.v[e];
	int swapped = 0;
	size_t i;

	for (i = 0; i < t->argv.n; i++) {
		const char *w = t->argv.v[i];

		if (i > 0 && strcmp(c->real[e], real) != 0 && w[0] != '-') {
			char *full = w[0] == '/' ? xstrdup(w)
						 : xasprintf("%s/%s", t->directory, w);
			char *r = real_or_copy(full);

			free(full);
			if (strcmp(r, c->real[e]) == 0) {
				strv_push(&fc->argv, real);
				swapped = 1;
				free(r);
				continue;
			}
			free(r);
		}
		strv_push(&fc->argv, w);
	}
	if (strcmp(c->real[e], real) != 0 && !swapped) {
		strv_free(&fc->argv);
		return -1;
	}
	fc->dir = xstrdup(t->directory);
	fc->origin = xstrdup(c->path);
	fc->guessed = strcmp(c->real[e], real) != 0;
	return 0;
}

/* The command for REAL from the compile_commands.json at PATH. */
static int from_json(const char *path, const struct stat *st, const char *real,
		     struct file_command *fc, char **err)
{
	struct cached_db *c = load_db(path, st);
	size_t i, best = 0, best_len = 0;
	int found = 0;

	if (c->err) {
		*err = xstrdup(c->err);
		return -1;
	}
	for (i = 0; i < c->db.n; i++)
		if (strcmp(c->real[i], real) == 0 && take_entry(c, i, real, fc) == 0)
			return 0;
	for (i = 0; i < c->db.n; i++) {
		size_t n = shared_dirs(c->real[i], real);

		if (!found || n > best_len) {
			best = i;
			best_len = n;
			found = 1;
		}
	}
	if (found && take_entry(c, best, real, fc) == 0)
		return 0;
	return 1; /* nothing to lend: the fallback */
}

/* The command for REAL from the compile_flags.txt at PATH. */
static int from_flags(const char *path, const char *real,
		      struct file_command *fc, char **err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *slash;
	size_t cap = 0;
	ssize_t n;

	if (!f) {
		*err = xasprintf(PROG ": cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	strv_push(&fc->argv, "clang");
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *s = line, *e = line + n;

		while (s < e && strchr(" \t\r\n\v\f", *s))
			s++;
		while (e > s && strchr(" \t\r\n\v\f", e[-1]))
			e--;
		*e = '\0';
		if (*s)
			strv_push(&fc->argv, s);
	}
	free(line);
	fclose(f);
	strv_push(&fc->argv, real);
	fc->dir = xstrdup(path);
	slash = strrchr(fc->dir, '/');
	if (slash)
		*(slash == fc->dir ? slash + 1 : slash) = '\0';
	fc->origin = xstrdup(path);
	return 0;
}

/* Looks in the directory DIR; 1 when it holds no database. */
static int in_dir(const char *dir, const char *real, int only_json,
		  struct file_command *fc, char **err)
{
	static const char *const names[] = {
		"compile_commands.json", "build/compile_commands.json",
		"compile_flags.txt", "build/compile_flags.txt",
	};
	size_t i;

	for (i = 0; i < (only_json ? 1u : 4u); i++) {
		char *p = xasprintf("%s/%s", strcmp(dir, "/") == 0 ? "" : dir, names[i]);
		struct stat st;
		int rc = 1;

		if (exists(p, &st))
			rc = i < 2 ? from_json(p, &st, real, fc, err)
				   : from_flags(p, real, fc, err);
		free(p);
		if (rc != 1)
			return rc;
	}
	return 1;
}

int file_command_find(const char *path, const char *ccdir,
		      struct file_command *fc, char **err)
{
	char *real = real_or_copy(path), *dir = xstrdup(real), *slash;
	int rc = 1;

	*err = NULL;
	memset(fc, 0, sizeof(*fc));
	if (ccdir) {
		rc = in_dir(ccdir, real, 1, fc, err);
	} else {
		while (rc == 1 && (slash = strrchr(dir, '/')) != NULL) {
			*(slash == dir ? slash + 1 : slash) = '\0';
			rc = in_dir(dir, real, 0, fc, err);
			if (slash == dir)
				break;
		}
	}
	if (rc == 1) {
		/* clangd's fallback */
		strv_free(&fc->argv);
		strv_push(&fc->argv, "clang");
		strv_push(&fc->argv, real);
		free(dir);
		dir = xstrdup(real);
		slash = strrchr(dir, '/');
		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
		fc->dir = dir;
		dir = NULL;
		rc = 0;
	}
	free(dir);
	free(real);
	return rc;
}

void file_command_free(struct file_command *fc)
{
	strv_free(&fc->argv);
	free(fc->dir);
	free(fc->origin);
	memset(fc, 0, sizeof(*fc));
}

void file_command_forget(void)
{
	unsigned i;

	for (i = 0; i < CACHED_DBS; i++)
		cached_free(&cache[i]);
}
