/*
 * util.c - allocation that aborts, a growable argv, and saying the
 * core's errors and loading the rules the same way in every subcommand.
 *
 * What it does NOT do: parse or check anything itself (load_rules only
 * says what lo_rules_parse_file() found), or recover from out-of-memory
 * (see util.h).
 */
#define _GNU_SOURCE /* vasprintf */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
