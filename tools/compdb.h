/*
 * compdb.h - a compilation database (compile_commands.json), read into
 * one compile command per C translation unit.  compdb.c
 */
#ifndef LOCKORDER_COMPDB_H
#define LOCKORDER_COMPDB_H

#include <stddef.h>

#include "util.h"

/* One C translation unit of the database. */
struct compdb_entry {
	size_t index;    /* its place among all entries, skipped ones too */
	char *directory; /* absolute */
	char *display;   /* the file as progress and errors name it */
	struct strv argv; /* the recorded command, compiler first */
};

/* The C translation units of a database, in its order.  Zero-initialise
 * it; free with compdb_free(). */
struct compdb {
	struct compdb_entry *v;
	size_t n;
	size_t skipped; /* entries that are not C */
};

/*
 * Reads the database at PATH into DB, keeping the entries whose file is
 * C (a `.c` file).  Returns 0, or 2 after saying on stderr, after PROG,
 * what is wrong with which entry; DB then holds what was read so far and
 * still wants compdb_free().
 */
int compdb_read(const char *prog, const char *path, struct compdb *db);
void compdb_free(struct compdb *db);

/* Splits a compilation database's `command` string as clang's own reader
 * does (quotes removed, nothing expanded), appending the words to OUT.
 * Returns 0, or -1 and *WHY. */
int split_command(const char *cmd, struct strv *out, const char **why);

/* Splits the text of a response file (@FILE) into words as GCC and clang
 * do (a backslash quotes anything, quotes group), appending them to OUT. */
void split_response_file(const char *text, struct strv *out);

#endif
