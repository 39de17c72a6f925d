/*
 * report_html.c - the HTML report, in the style of scan-build's: an index
 * of findings and a page per finding that shows the source lines of the
 * warning and of every note, the call chain numbered as steps.
 *
 * What it does NOT do: run scripts or fetch anything (the pages are
 * self-contained: inline CSS, no JavaScript), or make the report atomic
 * (lo_report_write_file() builds it beside its place and renames it).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define CONTEXT_LINES 3

static const char css[] =
	"body{font-family:sans-serif;margin:2em;color:#222}"
	"h1{font-size:1.4em}table{border-collapse:collapse}"
	"td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
	"th{background:#eee}code,pre{font-family:monospace}"
	".warning{color:#b00;font-weight:bold}.note{color:#555}"
	".src{background:#f8f8f8;border:1px solid #ddd;margin:.3em 0 1em 0;padding:.3em}"
	".src .hl{background:#ffe08a;display:block}.ln{color:#999;display:inline-block;width:4em}"
	".step{font-weight:bold;color:#06c}";

static void esc(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static const char *kind_word(enum lo_violation_kind k)
{
	return lo_violation_kind_name(k);
}

/* The file of AT as the finding's translation unit names it: relative
 * paths are relative to DIRECTORY when it is set. */
static char *source_path(const struct lo_finding *f, const struct lo_loc *at)
{
	size_t n;
	char *p;

	if (!at->file)
		return NULL;
	if (at->file[0] == '/' || !f->directory || !f->directory[0])
		return lo_xstrdup(at->file);
	n = strlen(f->directory) + strlen(at->file) + 2;
	p = lo_xmalloc(n);
	snprintf(p, n, "%s/%s", f->directory, at->file);
	return p;
}

/* The lines around AT, the line itself highlighted. */
static void snippet(FILE *out, const struct lo_finding *f, const struct lo_loc *at)
{
	char *path = source_path(f, at), *line = NULL;
	size_t cap = 0;
	FILE *in = path ? fopen(path, "r") : NULL;
	int no = 0, shown = 0;

	if (!in) {
		fputs("<div class=\"src\"><em>(source not available)</em></div>\n", out);
		free(path);
		return;
	}
	fputs("<pre class=\"src\">", out);
	while (getline(&line, &cap, in) > 0) {
		size_t len = strlen(line);

		no++;
		if (no < at->line - CONTEXT_LINES)
			continue;
		if (no > at->line + CONTEXT_LINES)
			break;
		if (len && line[len - 1] == '\n')
			line[len - 1] = '\0';
		fprintf(out, "<span%s><span class=\"ln\">%d</span>",
			no == at->line ? " class=\"hl\"" : "", no);
		esc(out, line);
		fputs(no == at->line ? "</span>" : "</span>\n", out);
		shown++;
	}
	if (!shown)
		fputs("<em>(line not in the file)</em>", out);
	fputs("</pre>\n", out);
	free(line);
	fclose(in);
	free(path);
}

static void where(FILE *out, const struct lo_loc *at)
{
	esc(out, at->file ? at->file : "?");
	fprintf(out, ":%d:%d", at->line, at->col);
}

static void head(FILE *out, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<title>", out);
	esc(out, title);
	fprintf(out, "</title><style>%s</style></head><body>\n", css);
}

static int finding_page(const char *path, const struct lo_finding *f, size_t i,
			size_t n)
{
	FILE *out = fopen(path, "w");
	size_t k, step = 0;

	if (!out)
		return -1;
	head(out, f->message);
	fprintf(out, "<p><a href=\"index.html\">All findings</a> &middot; finding %zu of %zu</p>\n",
		i + 1, n);
	fputs("<h1 class=\"warning\">", out);
	esc(out, f->message);
	fputs("</h1>\n<p><code>", out);
	where(out, &f->at);
	fputs("</code> in <code>", out);
	esc(out, f->fn);
	fprintf(out, "</code> &middot; %s%s</p>\n", kind_word(f->kind),
		f->cross_file ? " &middot; across translation units" : "");
	snippet(out, f, &f->at);
	for (k = 0; k < f->nnotes; k++) {
		const struct lo_note *note = &f->notes[k];

		fputs("<p class=\"note\">", out);
		if (note->hop)
			fprintf(out, "<span class=\"step\">step %zu</span> ", ++step);
		fputs("<code>", out);
		where(out, &note->at);
		fputs("</code>: ", out);
		esc(out, note->text);
		fputs("</p>\n", out);
		snippet(out, f, &note->at);
	}
	fputs("</body></html>\n", out);
	return fclose(out) == 0 ? 0 : -1;
}

static int index_page(const char *path, const lo_merge *m)
{
	FILE *out = fopen(path, "w");
	size_t i, n = lo_merge_finding_count(m), files = 0;

	if (!out)
		return -1;
	for (i = 0; i < n; i++) {
		const struct lo_finding *f = lo_merge_finding(m, i);
		size_t j;

		for (j = 0; j < i; j++) {
			const struct lo_finding *g = lo_merge_finding(m, j);

			if (f->at.file && g->at.file && strcmp(f->at.file, g->at.file) == 0)
				break;
		}
		files += j == i;
	}
	head(out, "lockorder report");
	fputs("<h1>lockorder report</h1>\n", out);
	if (!n) {
		fputs("<p>No findings.</p></body></html>\n", out);
		return fclose(out) == 0 ? 0 : -1;
	}
	fprintf(out, "<p>%zu finding%s in %zu file%s.</p>\n", n, n == 1 ? "" : "s",
		files, files == 1 ? "" : "s");
	fputs("<table id=\"findings\"><tr><th>#</th><th>kind</th><th>message</th>"
	      "<th>where</th><th>function</th><th>across files</th></tr>\n", out);
	for (i = 0; i < n; i++) {
		const struct lo_finding *f = lo_merge_finding(m, i);

		fprintf(out, "<tr><td>%zu</td><td>%s</td><td><a href=\"finding-%zu.html\">",
			i + 1, kind_word(f->kind), i + 1);
		esc(out, f->message);
		fputs("</a></td><td><code>", out);
		where(out, &f->at);
		fputs("</code></td><td><code>", out);
		esc(out, f->fn);
		fprintf(out, "</code></td><td>%s</td></tr>\n", f->cross_file ? "yes" : "no");
	}
	fputs("</table>\n</body></html>\n", out);
	return fclose(out) == 0 ? 0 : -1;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = lo_xmalloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static int fail(char **err, const char *what, const char *path)
{
	if (err) {
		const char *why = strerror(errno ? errno : EIO);
		size_t n = strlen(what) + strlen(path) + strlen(why) + 8;

		*err = lo_xmalloc(n);
		snprintf(*err, n, "%s '%s': %s", what, path, why);
	}
	return -1;
}

int lo_report_write_html(const lo_merge *m, const char *dir, char **err)
{
	size_t i, n = lo_merge_finding_count(m);
	char *path;
	int rc = 0;

	if (err)
		*err = NULL;
	if (mkdir(dir, 0777) != 0)
		return fail(err, "cannot create", dir);
	path = join(dir, "index.html");
	errno = 0;
	if (index_page(path, m) != 0)
		rc = fail(err, "cannot write", path);
	free(path);
	for (i = 0; rc == 0 && i < n; i++) {
		char name[64];

		snprintf(name, sizeof(name), "finding-%zu.html", i + 1);
		path = join(dir, name);
		errno = 0;
		if (finding_page(path, lo_merge_finding(m, i), i, n) != 0)
			rc = fail(err, "cannot write", path);
		free(path);
	}
	return rc;
}
