/*
 * util.h - what every file of the `lockorder` command shares: allocation,
 * a growable argv, two string tests, loading the rules, saying a usage
 * error, and checking an output path before the work.
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

/*
 * A usage error of PROG ("lockorder merge"): "PROG: MESSAGE" and a pointer
 * to the help ("see 'lockorder merge --help'") on stderr.  Returns 2, the
 * exit status of bad usage.
 */
int usage_error(const char *prog, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Says what getopt_long() (with opterr 0 and an option string starting
 * with ':') found wrong, C being what it returned (':' a value missing,
 * '?' an unknown option), and points to the help.  ARGV is the argv it
 * read.  Returns 2.
 */
int option_error(const char *prog, int c, char **argv);

/*
 * Checks, before the long work, that the output PATH (a file, or with
 * IS_DIR a directory replaced whole, the HTML report) can be written as
 * the core writes it: a temporary beside it renamed over it, so its
 * directory must exist and take a new file; an existing PATH must be a
 * file (a directory, with IS_DIR, and one holding a report or nothing).
 * Creates and removes a probe file, leaves nothing behind.  Returns 0, or
 * 2 after saying why, naming PATH as given.
 */
int check_output(const char *prog, const char *path, int is_dir);

/* Whether PROGRAM (no '/') is an executable on $PATH, as posix_spawnp()
 * would find it. */
int on_path(const char *program);

#endif
