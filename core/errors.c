/*
 * errors.c - the list of problems found in a rules file, and how it is
 * printed: "FILE:LINE:COL: error: MSG", as Clang prints diagnostics.
 *
 * What it does NOT do: sort or deduplicate.  Entries stay in the order the
 * parser found them, because a note belongs right after its error.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void lo_errors_add(struct lo_errors *errs, enum lo_severity sev,
		   const char *file, int line, int col, const char *fmt, ...)
{
	struct lo_error *e;
	va_list ap;
	int n;

	lo_grow(&errs->v, &errs->cap, errs->n + 1, sizeof(*errs->v));
	e = &errs->v[errs->n];
	e->severity = sev;
	e->file = file ? lo_xstrdup(file) : NULL;
	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	e->msg = lo_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(e->msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	errs->n++;
	if (sev == LO_SEV_ERROR)
		errs->n_errors++;
}

void lo_errors_free(struct lo_errors *errs)
{
	size_t i;

	if (!errs)
		return;
	for (i = 0; i < errs->n; i++) {
		free(errs->v[i].file);
		free(errs->v[i].msg);
	}
	free(errs->v);
	memset(errs, 0, sizeof(*errs));
}

static const char *severity_name(enum lo_severity sev)
{
	switch (sev) {
	case LO_SEV_WARNING:
		return "warning";
	case LO_SEV_NOTE:
		return "note";
	case LO_SEV_ERROR:
	default:
		return "error";
	}
}

void lo_errors_print(const struct lo_errors *errs, FILE *out)
{
	size_t i;

	for (i = 0; i < errs->n; i++) {
		const struct lo_error *e = &errs->v[i];

		if (e->file) {
			fputs(e->file, out);
			if (e->line > 0) {
				fprintf(out, ":%d", e->line);
				if (e->col > 0)
					fprintf(out, ":%d", e->col);
			}
			fputs(": ", out);
		}
		fprintf(out, "%s: %s\n", severity_name(e->severity), e->msg);
	}
}
