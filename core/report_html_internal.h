/*
 * report_html_internal.h - what the HTML report's files share:
 *
 *   report_html.c        the report directory and a page per finding
 *   report_html_index.c  index.html: counts per kind and per file, the
 *                        table of findings
 *   report_html_page.c   the CSS both pages carry and the index's script
 *
 * This is NOT a public header: lockorder.h has lo_report_write_html().
 */
#ifndef LOCKORDER_REPORT_HTML_INTERNAL_H
#define LOCKORDER_REPORT_HTML_INTERNAL_H

#include <stdio.h>

#include "internal.h"

/* The style sheet of every page, and the index's script (sorting and
 * filtering; the page reads as a plain table without it). */
extern const char lo_html_css[];
extern const char lo_html_index_js[];

/* Writes S to OUT with &, <, >, " and ' as character references. */
void lo_html_esc(FILE *out, const char *s);
/* Writes S to OUT percent-encoded for a URL's fragment, '/' kept. */
void lo_html_url(FILE *out, const char *s);
/* The doctype, the head with TITLE and the style sheet, and <body>. */
void lo_html_head(FILE *out, const char *title);
/* A few words for kind K ("recursive locking"), for people; NULL for a
 * kind without them.  lo_violation_kind_name() is the kind's name. */
const char *lo_html_kind_title(enum lo_violation_kind k);

/* Writes index.html of M's findings to PATH.  Returns 0, or -1 with
 * errno set. */
int lo_html_index_page(const char *path, const lo_merge *m);

#endif /* LOCKORDER_REPORT_HTML_INTERNAL_H */
