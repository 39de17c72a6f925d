/*
 * util.c - allocation that aborts, a growable argv, and what every
 * subcommand does the same way: saying the core's errors, loading the
 * rules, saying a usage error, checking an output path before the work.
 *
 * What it does NOT do: parse or check anything itself (load_rules only
 * says what lo_rules_parse_file() found), write an output (the core
 * writes each atomically), or recover from out-of-memory (see util.h).
 */
#define _GNU_SOURCE /* vasprintf */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "util.h"

static void out_of_memory(void)
{
	fputs("lockorder: out of memory\n", stderr);
	abort();
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		out_of_memory();
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory();
	return s;
}

void strv_push(struct strv *sv, const char *s)
{
	if (sv->n + 2 > sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 16;
		sv->v = xrealloc(sv->v, sv->cap * sizeof(*sv->v));
	}
	sv->v[sv->n++] = xstrdup(s);
	sv->v[sv->n] = NULL;
}

void strv_free(struct strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static const char *severity_word(enum lo_severity sev)
{
	switch (sev) {
	case LO_SEV_ERROR:
		return ""; /* git's voice: an error needs no label */
	case LO_SEV_WARNING:
		return "warning: ";
	default:
		return "note: ";
	}
}

void print_errors(const char *prog, const struct lo_errors *errs)
{
	size_t i;

	for (i = 0; i < errs->n; i++) {
		struct lo_errors one = { &errs->v[i], 1, 1, 0 };

		if (errs->v[i].line <= 0)
			fprintf(stderr, "%s: %s%s\n", prog,
				severity_word(errs->v[i].severity),
				errs->v[i].msg);
		else
			lo_errors_print(&one, stderr);
	}
}

lo_rules *load_rules(const char *prog, const char *name)
{
	struct lo_errors errs = { 0 };
	char *path = rules_path(prog, name);
	lo_rules *r;

	if (!path)
		return NULL;
	r = lo_rules_parse_file(path, &errs);
	free(path);
	print_errors(prog, &errs);
	lo_errors_free(&errs);
	return r;
}

int usage_error(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nsee '%s --help'\n", prog);
	return 2;
}

int option_error(const char *prog, int c, char **argv)
{
	const char *arg = argv[optind - 1];
	size_t n = strcspn(arg, "=");

	if (c == ':') {
		if (starts_with(arg, "--"))
			return usage_error(prog, "option '%.*s' needs a value",
					   (int)n, arg);
		return usage_error(prog, "option '-%c' needs a value", optopt);
	}
	if (optopt)
		return usage_error(prog, "unknown option '-%c'", optopt);
	return usage_error(prog, "unknown option '%.*s'", (int)n, arg);
}

/* Whether DIR is empty or holds an HTML report (its index.html). */
static int replaceable_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int ok = 1;

	if (!d)
		return 1; /* the write says why */
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		ok = 0;
		if (strcmp(e->d_name, "index.html") == 0) {
			ok = 1;
			break;
		}
	}
	closedir(d);
	return ok;
}

int check_output(const char *prog, const char *path, int is_dir)
{
	const char *slash = strrchr(path, '/');
	struct stat st;
	char *dir, *probe;
	int fd, e;

	if (!*path) {
		fprintf(stderr, "%s: an empty output path\n", prog);
		return 2;
	}
	if (stat(path, &st) == 0) {
		if (!is_dir && S_ISDIR(st.st_mode)) {
			fprintf(stderr, "%s: cannot write '%s': Is a directory\n",
				prog, path);
			return 2;
		}
		if (is_dir && !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "%s: cannot write '%s': "
				"Not a directory\n", prog, path);
			return 2;
		}
		/* the report replaces the directory whole: never a tree
		 * that is not one */
		if (is_dir && !replaceable_dir(path)) {
			fprintf(stderr, "%s: '%s' is not empty and holds no report "
				"(no index.html); name a new directory\n", prog,
				path);
			return 2;
		}
	}
	if (!slash)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xasprintf("%.*s", (int)(slash - path), path);
	probe = xasprintf("%s/.lockorder-probe.XXXXXX", dir);
	fd = mkstemp(probe);
	e = errno;
	if (fd >= 0) {
		close(fd);
		unlink(probe);
	} else if (e == ENOENT) {
		fprintf(stderr, "%s: cannot write '%s': no directory '%s'\n",
			prog, path, dir);
	} else if (e == ENOTDIR) {
		fprintf(stderr, "%s: cannot write '%s': '%s' is not a directory\n",
			prog, path, dir);
	} else {
		fprintf(stderr, "%s: cannot write '%s': %s\n", prog, path,
			strerror(e));
	}
	free(probe);
	free(dir);
	return fd >= 0 ? 0 : 2;
}

int on_path(const char *program)
{
	const char *path = getenv("PATH"), *p, *end;
	int found = 0;

	if (!path)
		path = "/usr/bin:/bin"; /* posix_spawnp()'s default */
	for (p = path; !found; p = end + 1) {
		char *f;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		/* an empty entry is the working directory */
		f = end == p ? xasprintf("./%s", program)
			     : xasprintf("%.*s/%s", (int)(end - p), p, program);
		found = access(f, X_OK) == 0;
		free(f);
		if (!*end)
			break;
	}
	return found;
}
