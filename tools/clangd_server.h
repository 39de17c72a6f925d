/*
 * clangd_server.h - the state of `lockorder clangd` that its two halves
 * share: the server (clangd.c: the loop, the runs, what is published) and
 * the open documents (clangd_docs.c: the editor's notifications).
 */
#ifndef LOCKORDER_CLANGD_SERVER_H
#define LOCKORDER_CLANGD_SERVER_H

#include <jansson.h>

#include "clangd_run.h"
#include "doc_text.h"
#include "lsp.h"

#define PROG "lockorder clangd"
#define MAX_RUNS 2 /* plugin runs at once: the machine is clangd's too */

/* What we know of one open document. */
struct doc {
	char *uri;
	char *path;       /* its file, or NULL for a URI that is not file: */
	int c_file;       /* a .c file: the plugin runs on it */
	struct doc_text text;
	unsigned long gen; /* bumped by every change of the text */
	int dirty;        /* changed since it was opened or saved */
	char *text_file;  /* the text for clang, holding generation written */
	unsigned long written;
	json_t *clangd;   /* clangd's last publishDiagnostics params, or NULL */
	json_t *ours;     /* lockorder's findings, or NULL */
	json_t *status;   /* why lockorder could not analyse it, or NULL */
	double due;       /* when to run the plugin; 0: no run wanted */
	int run;          /* its run's slot, or -1 */
	unsigned long run_gen; /* the text its run analyses */
};

struct server {
	struct run_setup setup;
	int debounce_ms;
	struct lsp_out to_editor, to_clangd;
	struct doc **docs;
	size_t ndocs, capdocs;
	unsigned long next_doc;
	struct run runs[MAX_RUNS];
	struct doc *run_doc[MAX_RUNS];
	enum pos_encoding enc;
	json_t *init_id; /* the editor's initialize request, until answered */
};

/* clangd.c: ends D's run, if any, without a word: its text is gone. */
void cancel_run(struct server *sv, struct doc *d);

/* clangd_docs.c */
/* file:///a%20b/c.c -> /a b/c.c; NULL for other schemes. */
char *uri_path(const char *uri);
/* The open document of URI (or of the file it names), or NULL. */
struct doc *doc_find(struct server *sv, const char *uri);
/* The open document of the file PATH (absolute), or NULL. */
struct doc *doc_of_path(struct server *sv, const char *path);
/* Whether lockorder shows anything on D. */
int doc_shows_ours(const struct doc *d);
/* Writes D's text where clang reads it (d->text_file).  Returns 0 or -1. */
int doc_write_text(struct server *sv, struct doc *d);
void doc_free(struct doc *d);
/* The editor's notifications, given their params (didOpen's and
 * didClose's textDocument).  They keep the table of open documents and
 * their text, and say when each is due for a run. */
void did_open(struct server *sv, json_t *text_document);
void did_change(struct server *sv, json_t *params);
void did_save(struct server *sv, json_t *params);
void did_close(struct server *sv, json_t *text_document);

#endif
