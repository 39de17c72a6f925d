/*
 * report_html.c - the HTML report, in the style of scan-build's: an index
 * of findings (report_html_index.c) and a page per finding that shows the
 * source lines of the warning and of every note, the call chain numbered
 * as steps, the column of each site marked.
 *
 * Source lines are written as they are, tabs included: the style sheet
 * (report_html_page.c) puts tab stops every 8 columns from the code's
 * first column, which is what the kernel's code is indented for, and a
 * copy from the page is the file's text.  Expanding tabs here would break
 * the copy; counting stops from the line-number gutter, as the first
 * version did, broke the indentation.
 *
 * What it does NOT do: fetch anything (the pages are self-contained:
 * inline CSS, and inline script only in the index), rewrite paths (files
 * are named as the findings name them), or make the report atomic
 * (lo_report_write_file() builds it beside its place and renames it).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report_html_internal.h"

#define CONTEXT_LINES 3

#define CONTEXT_LINES 3

void lo_html_esc(FILE *out, const char *s)
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

void lo_html_url(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c))
			fputc(c, out);
		else
			fprintf(out, "%%%02X", c);
	}
}

void lo_html_head(FILE *out, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width\"><title>", out);
	lo_html_esc(out, title);
	fprintf(out, "</title><style>%s</style></head><body>\n", lo_html_css);
}

static const char *const kind_titles[] = {
	[LO_V_ORDER] = "lock order the rules forbid",
	[LO_V_SRCU_READER] = "lock taken inside an SRCU read side",
	[LO_V_SRCU_SYNC] = "synchronize_srcu() under a lock inside it",
	[LO_V_SRCU_SELF] = "synchronize_srcu() inside its own read side",
	[LO_V_LEAF] = "lock taken under a leaf lock",
	[LO_V_REQUIRES] = "lock taken without the lock it requires",
	[LO_V_NEVER] = "lock taken where the rules say never",
	[LO_V_ATOMIC] = "sleeping while atomic",
	[LO_V_RECURSIVE] = "recursive locking",
	[LO_V_INVERSION] = "circular locking dependency",
};

const char *lo_html_kind_title(enum lo_violation_kind k)
{
	if ((size_t)k >= sizeof(kind_titles) / sizeof(kind_titles[0]))
		return NULL;
	return kind_titles[k];
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

static int ident_char(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* LINE escaped, the token at byte column COL (1-based, as Clang counts:
 * a tab is one column) marked; COL 0 marks nothing. */
static void code_line(FILE *out, char *line, int col)
{
	size_t len = strlen(line), start, end;
	char c;

	if (col < 1 || (size_t)col > len) {
		lo_html_esc(out, line);
		return;
	}
	start = (size_t)col - 1;
	end = start + 1;
	if (ident_char((unsigned char)line[start]))
		while (end < len && ident_char((unsigned char)line[end]))
			end++;
	else
		while (end < len && ((unsigned char)line[end] & 0xc0) == 0x80)
			end++;
	c = line[start];
	line[start] = '\0';
	lo_html_esc(out, line);
	line[start] = c;
	fputs("<span class=\"at\">", out);
	c = line[end];
	line[end] = '\0';
	lo_html_esc(out, line + start);
	line[end] = c;
	fputs("</span>", out);
	lo_html_esc(out, line + end);
}

/* The lines around AT, the line itself highlighted, each line a box of
 * its own with its number outside the code's flow (see
 * report_html_page.c). */
static void snippet(FILE *out, const struct lo_finding *f, const struct lo_loc *at)
{
	char *path = source_path(f, at), *line = NULL;
	size_t cap = 0;
	FILE *in = path ? fopen(path, "r") : NULL;
	int no = 0, shown = 0;
	ssize_t got;

	if (!in) {
		fputs("<div class=\"src\"><em>(source not available)</em></div>\n", out);
		free(path);
		return;
	}
	fputs("<pre class=\"src\">", out);
	while ((got = getline(&line, &cap, in)) > 0) {
		size_t len = strlen(line);

		no++;
		if (no < at->line - CONTEXT_LINES)
			continue;
		if (no > at->line + CONTEXT_LINES)
			break;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		fprintf(out, "%s<span class=\"l%s\" data-line=\"%d\"><span class=\"ln\">%d</span>",
			shown ? "\n" : "", no == at->line ? " hl" : "", no, no);
		code_line(out, line, no == at->line ? at->col : 0);
		fputs("</span>", out);
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
	lo_html_esc(out, at->file ? at->file : "?");
	fprintf(out, ":%d:%d", at->line, at->col);
}

static int finding_page(const char *path, const struct lo_finding *f, size_t i,
			size_t n)
{
	FILE *out = fopen(path, "w");
	const char *title = lo_html_kind_title(f->kind);
	size_t k, step = 0;

	if (!out)
		return -1;
	lo_html_head(out, f->message);
	fputs("<p class=\"nav\"><a href=\"index.html\">All findings</a>", out);
	fprintf(out, " &middot; finding %zu of %zu", i + 1, n);
	if (i > 0)
		fprintf(out, " &middot; <a href=\"finding-%zu.html\" rel=\"prev\">previous</a>", i);
	if (i + 1 < n)
		fprintf(out, " &middot; <a href=\"finding-%zu.html\" rel=\"next\">next</a>", i + 2);
	fputs("</p>\n<h1 class=\"warning\">", out);
	lo_html_esc(out, f->message);
	fputs("</h1>\n<p><code>", out);
	where(out, &f->at);
	fputs("</code> in <code>", out);
	lo_html_esc(out, f->fn);
	fprintf(out, "</code> &middot; <span class=\"kind\">%s</span>",
		lo_violation_kind_name(f->kind));
	if (title)
		fprintf(out, " (%s)", title);
	fprintf(out, "%s</p>\n", f->cross_file ? " &middot; across translation units" : "");
	snippet(out, f, &f->at);
	for (k = 0; k < f->nnotes; k++) {
		const struct lo_note *note = &f->notes[k];

		fputs("<p class=\"note\">", out);
		if (note->hop)
			fprintf(out, "<span class=\"step\">step %zu</span> ", ++step);
		fputs("<code>", out);
		where(out, &note->at);
		fputs("</code>: ", out);
		lo_html_esc(out, note->text);
		fputs("</p>\n", out);
		snippet(out, f, &note->at);
	}
	fputs("</body></html>\n", out);
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
	if (lo_html_index_page(path, m) != 0)
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
