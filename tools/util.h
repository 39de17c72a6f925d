/*
 * util.h - what every file of the `lockorder` command shares: allocation,
 * a growable argv, two string tests, and loading the rules.
 *
 * Out of memory: every allocation here prints "lockorder: out of memory"
 * and aborts, as the core's lo_xmalloc() aborts.  No caller checks for
 * NULL, and none tries to recover: a command that cannot allocate a few
 * bytes has nothing sensible left to report.
 */
#ifndef LOCKORDER_UTIL_H
#define LOCKORDER_UTIL_H

#include <stddef.h>

#include "lockorder.h"

/* realloc(P, N), N == 0 counting as 1.  Never returns NULL. */
void *xrealloc(void *p, size_t n);
/* calloc(N, SIZE).  Never returns NULL. */
void *xcalloc(size_t n, size_t size);
/* A copy of S, which must not be NULL; the caller frees it. */
char *xstrdup(const char *s);
/* The formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A NULL-terminated, growable argv.  Zero-initialise it; it owns its
 * strings; free with strv_free(), which leaves it empty and reusable. */
struct strv {
	char **v;
	size_t n, cap;
};
/* Appends a copy of S. */
void strv_push(struct strv *sv, const char *s);
void strv_free(struct strv *sv);

int starts_with(const char *s, const char *prefix);
int ends_with(const char *s, const char *suffix);

/*
 * Writes every entry of ERRS to stderr: those with a line in a file as
 * lo_errors_print() writes them ("FILE:LINE:COL: error: ..."), the others
 * in git's voice after PROG ("lockorder check: cannot open 'x.lockorder':
 * No such file or directory"), because their message already names the
 * file and "FILE: error: cannot open 'FILE'" would say it twice.
 */
void print_errors(const char *prog, const struct lo_errors *errs);

/*
 * Parses the rules file --rules NAME stands for (a path, or the name of an
 * installed one: rules_path() in paths.h) for the subcommand PROG
 * ("lockorder check") and says every error, warning and note
 * (print_errors()).  Returns the
 * rules (the caller frees them with lo_rules_free()), or NULL when they
 * have errors.
 */
lo_rules *load_rules(const char *prog, const char *name);

#endif
