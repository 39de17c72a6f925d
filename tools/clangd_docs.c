/*
 * clangd_docs.c - the documents open in the editor, for `lockorder
 * clangd`: each one's text kept as the editor edits it (didOpen, didChange
 * full or incremental, didSave, didClose), when it is due for a plugin run
 * (at once when opened or saved, the debounce after its last change), and
 * where lockorder's findings on it go when an edit moves its lines.
 *
 * The table grows as documents open; didClose frees a document's place,
 * its text and its findings.
 *
 * What it does NOT do: run anything or publish findings (clangd.c), or
 * keep a document the editor did not open (clangd's diagnostics for any
 * other file pass through untouched).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clangd_server.h"
#include "util.h"

int doc_shows_ours(const struct doc *d)
{
	return json_array_size(d->ours) || d->status;
}

char *uri_path(const char *uri)
{
	char *p, *o;

	if (strncmp(uri, "file://", 7) != 0)
		return NULL;
	p = o = xstrdup(uri + 7);
	for (const char *s = uri + 7; *s; s++) {
		if (s[0] == '%' && isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2])) {
			char hex[3] = { s[1], s[2], 0 };

			*o++ = (char)strtol(hex, NULL, 16);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return p;
}

struct doc *doc_find(struct server *sv, const char *uri)
{
	char *path;
	size_t i;

	for (i = 0; i < sv->ndocs; i++)
		if (strcmp(sv->docs[i]->uri, uri) == 0)
			return sv->docs[i];
	/* clangd may spell a URI otherwise: the same file is the same doc */
	path = uri_path(uri);
	for (i = 0; path && i < sv->ndocs; i++)
		if (sv->docs[i]->path && strcmp(sv->docs[i]->path, path) == 0) {
			free(path);
			return sv->docs[i];
		}
	free(path);
	return NULL;
}

/* The open document of the file PATH (absolute), or NULL. */
struct doc *doc_of_path(struct server *sv, const char *path)
{
	size_t i;

	for (i = 0; i < sv->ndocs; i++)
		if (sv->docs[i]->path && strcmp(sv->docs[i]->path, path) == 0)
			return sv->docs[i];
	return NULL;
}

int doc_write_text(struct server *sv, struct doc *d)
{
	FILE *f;

	if (d->text_file && d->written == d->gen)
		return 0;
	if (!d->text_file)
		d->text_file = xasprintf("%s/text-%lu", sv->setup.tmpdir, ++sv->next_doc);
	f = fopen(d->text_file, "w");
	if (!f || fwrite(d->text.s ? d->text.s : "", 1, d->text.len, f) != d->text.len) {
		fprintf(stderr, PROG ": cannot write '%s': %s\n", d->text_file,
			strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	if (fclose(f) != 0)
		return -1;
	d->written = d->gen;
	return 0;
}

void doc_free(struct doc *d)
{
	if (d->text_file)
		unlink(d->text_file);
	free(d->text_file);
	free(d->uri);
	free(d->path);
	doc_text_free(&d->text);
	json_decref(d->clangd);
	json_decref(d->ours);
	json_decref(d->status);
	free(d);
}

void did_open(struct server *sv, json_t *td)
{
	const char *uri = json_string_value(json_object_get(td, "uri"));
	const char *text = json_string_value(json_object_get(td, "text"));
	struct doc *d;
	size_t n;

	if (!uri || !text)
		return;
	d = doc_find(sv, uri);
	if (d) { /* opened twice: the newer text wins */
		cancel_run(sv, d);
	} else {
		if (sv->ndocs == sv->capdocs) {
			sv->capdocs = sv->capdocs ? sv->capdocs * 2 : 16;
			sv->docs = xrealloc(sv->docs, sv->capdocs * sizeof(*sv->docs));
		}
		d = xcalloc(1, sizeof(*d));
		d->uri = xstrdup(uri);
		d->path = uri_path(uri);
		d->run = -1;
		n = d->path ? strlen(d->path) : 0;
		d->c_file = n > 2 && strcmp(d->path + n - 2, ".c") == 0;
		sv->docs[sv->ndocs++] = d;
	}
	doc_text_set(&d->text, text, json_string_length(json_object_get(td, "text")));
	d->gen++;
	d->dirty = 0;
	json_decref(d->ours); /* another text: the next run says */
	d->ours = NULL;
	if (d->c_file)
		d->due = now_seconds();
}

void did_close(struct server *sv, json_t *td)
{
	const char *uri = json_string_value(json_object_get(td, "uri"));
	struct doc *d = uri ? doc_find(sv, uri) : NULL;
	size_t i;

	if (!d)
		return;
	cancel_run(sv, d);
	if (doc_shows_ours(d)) {
		/* clangd clears its own; ours go with them */
		json_t *msg = json_pack("{s:s, s:s, s:{s:s, s:[]}}", "jsonrpc", "2.0",
					"method", "textDocument/publishDiagnostics",
					"params", "uri", d->uri, "diagnostics");

		lsp_out_json(&sv->to_editor, msg);
		json_decref(msg);
	}
	for (i = 0; i < sv->ndocs; i++)
		if (sv->docs[i] == d) {
			sv->docs[i] = sv->docs[--sv->ndocs];
			break;
		}
	doc_free(d);
}

/* Moves LSP range R's lines after line END by DELTA. */
static void shift_range(json_t *r, long end, long delta)
{
	const char *ends[] = { "start", "end" };

	for (int k = 0; k < 2; k++) {
		json_t *p = json_object_get(r, ends[k]);
		json_int_t l = json_integer_value(json_object_get(p, "line"));

		if (l > end)
			json_object_set_new(p, "line", json_integer(l + delta));
	}
}

/*
 * An edit replaced lines START..END with text holding ADDED line breaks:
 * the findings shown move with their lines, and those on the lines the
 * edit touched go (their code changed; the next run says).
 */
static void shift_ours(struct doc *d, long start, long end, long added)
{
	long delta = added - (end - start);
	json_t *kept = json_array(), *f, *rel;
	size_t i, k;

	json_array_foreach(d->ours, i, f) {
		json_t *r = json_object_get(f, "range");
		json_int_t l = json_integer_value(json_object_get(json_object_get(r, "start"), "line"));

		if (l >= start && l <= end)
			continue;
		shift_range(r, end, delta);
		json_array_foreach(json_object_get(f, "relatedInformation"), k, rel) {
			json_t *loc = json_object_get(rel, "location");
			char *p = uri_path(json_string_value(json_object_get(loc, "uri")) ?
						   json_string_value(json_object_get(loc, "uri")) : "");

			if (p && d->path && strcmp(p, d->path) == 0)
				shift_range(json_object_get(loc, "range"), end, delta);
			free(p);
		}
		json_array_append(kept, f);
	}
	json_decref(d->ours);
	d->ours = kept;
}

void did_change(struct server *sv, json_t *params)
{
	json_t *td = json_object_get(params, "textDocument"), *c;
	const char *uri = json_string_value(json_object_get(td, "uri"));
	struct doc *d = uri ? doc_find(sv, uri) : NULL;
	size_t i;

	if (!d)
		return;
	json_array_foreach(json_object_get(params, "contentChanges"), i, c) {
		json_t *r = json_object_get(c, "range"), *s, *e;
		const char *text = json_string_value(json_object_get(c, "text"));
		size_t n = json_string_length(json_object_get(c, "text"));

		if (!text)
			continue;
		if (!json_is_object(r)) {
			doc_text_set(&d->text, text, n);
			json_decref(d->ours); /* no telling where they went */
			d->ours = NULL;
			continue;
		}
		s = json_object_get(r, "start");
		e = json_object_get(r, "end");
		{
			long sl = (long)json_integer_value(json_object_get(s, "line"));
			long el = (long)json_integer_value(json_object_get(e, "line"));
			size_t from = doc_text_offset(&d->text, sl,
						      (long)json_integer_value(json_object_get(s, "character")),
						      sv->enc);
			size_t to = doc_text_offset(&d->text, el,
						    (long)json_integer_value(json_object_get(e, "character")),
						    sv->enc);

			doc_text_replace(&d->text, from, to, text, n);
			if (d->ours)
				shift_ours(d, sl, el, count_line_breaks(text, n));
		}
	}
	d->gen++;
	d->dirty = 1;
	cancel_run(sv, d);
	if (d->c_file)
		d->due = now_seconds() + sv->debounce_ms / 1000.0;
}

void did_save(struct server *sv, json_t *params)
{
	json_t *td = json_object_get(params, "textDocument");
	const char *uri = json_string_value(json_object_get(td, "uri"));
	json_t *text = json_object_get(params, "text");
	struct doc *d = uri ? doc_find(sv, uri) : NULL;

	if (!d)
		return;
	if (json_is_string(text) &&
	    (json_string_length(text) != d->text.len ||
	     memcmp(json_string_value(text), d->text.s, d->text.len) != 0)) {
		doc_text_set(&d->text, json_string_value(text), json_string_length(text));
		d->gen++;
		json_decref(d->ours);
		d->ours = NULL;
		cancel_run(sv, d);
	}
	d->dirty = 0;
	/* Saved: run now, the headers on disk may have changed too. */
	if (d->c_file && d->run < 0)
		d->due = now_seconds();
}
