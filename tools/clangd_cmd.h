/*
 * clangd_cmd.h - the compile command of one file, found as clangd finds
 * it, for `lockorder clangd`.  clangd_cmd.c
 */
#ifndef LOCKORDER_CLANGD_CMD_H
#define LOCKORDER_CLANGD_CMD_H

#include "util.h"

/* One file's command. */
struct file_command {
	struct strv argv; /* compiler first, as recorded */
	char *dir;        /* the directory it runs in, absolute */
	char *origin;     /* the database it came from; NULL: the fallback */
	int guessed;      /* the database does not list the file: the
			     command of its nearest neighbour there */
};

/*
 * The command of the C file PATH (absolute), into FC: from the nearest
 * directory above PATH that holds compile_commands.json, build/
 * compile_commands.json, compile_flags.txt or build/compile_flags.txt,
 * in that order (only CCDIR/compile_commands.json when CCDIR, clangd's
 * --compile-commands-dir, is not NULL); else clangd's fallback, a plain
 * `clang PATH` in PATH's directory.  Databases are read once and again
 * when they change.  Returns 0, or -1 with *ERR (the caller frees it)
 * saying what is wrong with the database; FC then still wants
 * file_command_free().
 */
int file_command_find(const char *path, const char *ccdir,
		      struct file_command *fc, char **err);
void file_command_free(struct file_command *fc);

/* Forgets the databases read so far. */
void file_command_forget(void);

#endif
