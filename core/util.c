/*
 * util.c - allocation that aborts on failure, and a string -> int map.
 *
 * What it does NOT do: recover from out-of-memory.  The core has one
 * policy (lockorder.h): it says so on stderr and aborts, here, for every
 * allocation of every file.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "internal.h"

/* The core's one out-of-memory policy (lockorder.h). */
static void out_of_memory(void)
{
	fputs("lockorder: out of memory\n", stderr);
	abort();
}

void *lo_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *lo_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *lo_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *lo_xstrndup(const char *s, size_t n)
{
	char *d = lo_xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *lo_xvasprintf(const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *s;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		n = 0;
	s = lo_xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *lo_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = lo_xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

char *lo_xstrdup(const char *s)
{
	return lo_xstrndup(s, strlen(s));
}

void lo_grow(void *v, size_t *cap, size_t n, size_t size)
{
	void **vp = v;
	size_t c = *cap;

	if (n <= c)
		return;
	if (c < 8)
		c = 8;
	while (c < n)
		c *= 2;
	if (c > SIZE_MAX / size)
		out_of_memory();
	*vp = lo_xrealloc(*vp, c * size);
	*cap = c;
}

/* FNV-1a: short names, no adversary worth a keyed hash. */
static size_t hash_str(const char *s)
{
	size_t h = (size_t)14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * (size_t)1099511628211ULL;
	return h;
}

int lo_strmap_get(const struct lo_strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return -1;
	for (i = hash_str(key) & (m->cap - 1); m->keys[i];
	     i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], key) == 0)
			return m->vals[i];
	return -1;
}

static void strmap_insert(struct lo_strmap *m, const char *key, int val)
{
	size_t i;

	for (i = hash_str(key) & (m->cap - 1); m->keys[i];
	     i = (i + 1) & (m->cap - 1)) {
		if (strcmp(m->keys[i], key) == 0) {
			m->vals[i] = val;
			return;
		}
	}
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
}

void lo_strmap_put(struct lo_strmap *m, const char *key, int val)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct lo_strmap old = *m;
		size_t i;

		m->cap = old.cap ? old.cap * 2 : 16;
		m->keys = lo_xcalloc(m->cap, sizeof(*m->keys));
		m->vals = lo_xcalloc(m->cap, sizeof(*m->vals));
		m->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.keys[i])
				strmap_insert(m, old.keys[i], old.vals[i]);
		free(old.keys);
		free(old.vals);
	}
	strmap_insert(m, key, val);
}

void lo_strmap_free(struct lo_strmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- writing files atomically ----------------------------------------- */

static char *file_err(const char *what, const char *path, int e)
{
	size_t n = strlen(what) + strlen(path) + strlen(strerror(e)) + 16;
	char *m = lo_xmalloc(n);

	snprintf(m, n, "%s '%s': %s", what, path, strerror(e));
	return m;
}

int lo_write_atomic(const char *path, int (*write)(FILE *out, const void *ctx),
		    const void *ctx, char **err)
{
	size_t len = strlen(path) + 32;
	char *tmp = lo_xmalloc(len);
	FILE *f;
	int e = 0;

	if (err)
		*err = NULL;
	snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f) {
		if (err)
			*err = file_err("cannot create", path, errno);
		free(tmp);
		return -1;
	}
	errno = 0;
	if (write(f, ctx) != 0 || ferror(f))
		e = errno ? errno : EIO;
	if (fclose(f) != 0 && !e)
		e = errno ? errno : EIO;
	if (e) {
		if (err)
			*err = file_err("cannot write", path, e);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		if (err)
			*err = file_err("cannot rename a temporary file to", path,
					errno);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/* ---- JSON ------------------------------------------------------------- */

struct json_t *lo_json_str(const char *s)
{
	json_t *j;
	char *c;
	size_t i;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	c = lo_xstrdup(s);
	for (i = 0; c[i]; i++)
		if ((unsigned char)c[i] >= 0x80)
			c[i] = '?';
	j = json_string(c);
	free(c);
	return j ? j : json_null();
}

void lo_json_set(struct json_t *o, const char *key, struct json_t *v)
{
	json_object_set_new(o, key, v ? v : json_null());
}

/* ---- directories ------------------------------------------------------ */

void lo_remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	d = opendir(path);
	if (d) {
		while ((e = readdir(d)) != NULL) {
			size_t n;
			char *p;

			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			n = strlen(path) + strlen(e->d_name) + 2;
			p = lo_xmalloc(n);
			snprintf(p, n, "%s/%s", path, e->d_name);
			lo_remove_tree(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(path);
}

int lo_replace_dir(const char *tmp, const char *dir, char **err)
{
	struct stat st;

	if (err)
		*err = NULL;
	if (lstat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			if (err)
				*err = file_err("cannot replace", dir, ENOTDIR);
			return -1;
		}
		lo_remove_tree(dir);
	}
	if (rename(tmp, dir) != 0) {
		if (err)
			*err = file_err("cannot rename a temporary directory to", dir,
					errno);
		return -1;
	}
	return 0;
}

char *lo_path_normal(const char *path)
{
	size_t n = strlen(path), len = 0, keep = 0, i = 0;
	char *out;
	int abs = path[0] == '/';

	if (!strstr(path, "/./") && !strstr(path, "/../") &&
	    !strstr(path, "//") && strncmp(path, "./", 2) != 0 &&
	    strncmp(path, "../", 3) != 0 &&
	    !(n >= 2 && strcmp(path + n - 2, "/.") == 0) &&
	    !(n >= 3 && strcmp(path + n - 3, "/..") == 0))
		return NULL;
	out = lo_xmalloc(n + 1);
	if (abs)
		out[len++] = '/';
	/* KEEP: how much of OUT is leading ".." of a relative path, which
	 * no later ".." can take back */
	keep = len;
	while (i < n) {
		size_t j = i, seg;

		while (j < n && path[j] != '/')
			j++;
		seg = j - i;
		if (seg == 0 || (seg == 1 && path[i] == '.')) {
			/* nothing */
		} else if (seg == 2 && path[i] == '.' && path[i + 1] == '.') {
			if (len > keep) {
				while (len > keep && out[len - 1] != '/')
					len--;
				if (len > keep)
					len--; /* the '/' before it */
				if (len < keep || (abs && len == 0))
					len = keep;
			} else if (!abs) {
				if (len)
					out[len++] = '/';
				memcpy(out + len, "..", 2);
				len += 2;
				keep = len;
			}
		} else {
			if (len && out[len - 1] != '/')
				out[len++] = '/';
			memcpy(out + len, path + i, seg);
			len += seg;
		}
		i = j + 1;
	}
	if (len == 0)
		out[len++] = '.';
	out[len] = '\0';
	return out;
}

char *lo_path_absolute(const char *dir, const char *path)
{
	char *joined, *n, *cwd = NULL;

	if (path[0] == '/') {
		joined = lo_xstrdup(path);
	} else {
		if (!dir || dir[0] != '/') {
			size_t cap = 256;

			/* DIR (or PATH itself) is relative to where we run */
			for (;;) {
				cwd = lo_xmalloc(cap);
				if (getcwd(cwd, cap))
					break;
				free(cwd);
				cwd = NULL;
				if (errno != ERANGE)
					break;
				cap *= 2;
			}
		}
		if (dir && dir[0] == '/')
			joined = lo_xasprintf("%s/%s", dir, path);
		else if (cwd && dir && dir[0])
			joined = lo_xasprintf("%s/%s/%s", cwd, dir, path);
		else if (cwd)
			joined = lo_xasprintf("%s/%s", cwd, path);
		else
			joined = lo_xstrdup(path); /* no way to know better */
		free(cwd);
	}
	n = lo_path_normal(joined);
	if (n) {
		free(joined);
		joined = n;
	}
	/* lo_path_normal() keeps a trailing '/' away only when it rewrites */
	n = joined + strlen(joined);
	while (n > joined + 1 && n[-1] == '/')
		*--n = '\0';
	return joined;
}

const char *lo_path_under(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (n == 1 && root[0] == '/')
		return path[0] == '/' && path[1] ? path + 1 : NULL;
	if (strncmp(path, root, n) != 0)
		return NULL;
	if (path[n] == '\0')
		return ".";
	if (path[n] != '/' || !path[n + 1])
		return NULL;
	return path + n + 1;
}
