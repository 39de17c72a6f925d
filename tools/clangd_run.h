/*
 * clangd_run.h - one run of the plugin on one file for `lockorder clangd`,
 * and what the editor is shown of it.  clangd_run.c
 */
#ifndef LOCKORDER_CLANGD_RUN_H
#define LOCKORDER_CLANGD_RUN_H

#include <sys/types.h>

#include <jansson.h>

/* What every run shares: the server's settings. */
struct run_setup {
	const char *clang, *plugin, *rules; /* absolute where they exist */
	const char *ccdir;  /* clangd's --compile-commands-dir, or NULL */
	const char *tmpdir; /* the server's private directory */
	int timeout;        /* seconds one run may take */
};

/* A file whose text the editor has and the disk may not: clang reads
 * TEXT_FILE wherever it would read PATH (cc1's -remap-file), so every
 * location still names PATH. */
struct remap {
	const char *path, *text_file;
};

/* Turns a clang column (BYTE, 0-based, on LINE, 0-based, of the file
 * PATH) into an LSP `character`. */
typedef long (*character_fn)(void *ctx, const char *path, long line,
			     long byte);

struct run {
	pid_t pid;          /* 0: no run */
	int fd;             /* clang's stdout and stderr */
	unsigned long id;   /* names its findings file */
	char *path;         /* the file, absolute */
	char *dir;          /* where clang runs */
	char *findings;     /* the plugin's JSON report */
	char *out;          /* the first bytes clang said */
	size_t outlen, outcap;
	double start;       /* monotonic seconds */
	int guessed;        /* the command is a neighbour's */
};

/* Monotonic seconds. */
double now_seconds(void);

/*
 * Starts the plugin on PATH in the background, clang reading the files
 * of REMAPS (N of them) from the editor's text.  Returns 0, or -1 with
 * *WHY (the caller frees it) saying why lockorder cannot analyse PATH.
 */
int run_start(struct run *r, const struct run_setup *s, const char *path,
	      const struct remap *remaps, size_t n, char **why);

/* Reads what clang says (when poll(2) says r->fd is readable).  Returns
 * 1 once its output has ended: then call run_finish(). */
int run_read(struct run *r);

enum run_end { RUN_DONE, RUN_TIMED_OUT, RUN_CANCELLED };

/*
 * Ends run R (killing clang unless it ended by itself: HOW == RUN_DONE)
 * and sets *DIAGS to lockorder's findings on R's file as LSP diagnostics
 * (NULL when the run did not analyse it) and *STATUS to the one
 * diagnostic that says why lockorder could not analyse the file (NULL
 * when it did).  CHARACTER converts columns.  A cancelled run sets both to
 * NULL.  R is then empty again; the caller owns both arrays.
 */
void run_finish(struct run *r, const struct run_setup *s, enum run_end how,
		character_fn character, void *ctx, json_t **diags,
		json_t **status);

/* The status diagnostic: MESSAGE at the top of the file, from lockorder,
 * with SEVERITY (2 warning, 3 information), and where the cause is
 * (RELATED: an LSP relatedInformation array, consumed; may be NULL). */
json_t *status_diagnostic(const char *message, int severity, json_t *related);

#endif
