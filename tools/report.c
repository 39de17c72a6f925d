/*
 * report.c - the last step of `lockorder merge` and `lockorder check`:
 * apply a baseline, or write one, and write the report.
 *
 * What it does NOT do: compute findings (the core's merge does) or word
 * them (the core's report writers do).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "commands.h"
#include "lockorder.h"

int report_findings(const char *prog, lo_merge *m,
		    const struct report_options *o)
{
	size_t n, known = 0, i;
	char *err = NULL;

	/* Not findings about the code: said on stderr, never in the report. */
	for (i = 0; i < lo_merge_unresolved_count(m); i++) {
		const struct lo_sname *u = lo_merge_unresolved(m, i);

		fprintf(stderr, "%s: warning: rules lock '%s' names no field in any "
			"translation unit: %s\n", prog, u->lock,
			u->why ? u->why : "no such field");
	}

	if (o->update_baseline) {
		n = lo_merge_finding_count(m);
		if (lo_baseline_write(m, o->update_baseline, &err) != 0) {
			fprintf(stderr, "%s: %s\n", prog, err ? err : "cannot write the baseline");
			free(err);
			return 2;
		}
		fprintf(stderr, "%s: wrote baseline '%s' with %zu finding%s\n", prog,
			o->update_baseline, n, n == 1 ? "" : "s");
		return 0;
	}
	if (o->baseline) {
		struct lo_errors errs = { 0 };
		lo_baseline *b = lo_baseline_read(o->baseline, &errs);
		size_t i;

		if (!b) {
			for (i = 0; i < errs.n; i++)
				fprintf(stderr, "%s: %s\n", prog, errs.v[i].msg);
			lo_errors_free(&errs);
			return 2;
		}
		known = lo_baseline_apply(b, m);
		lo_baseline_free(b);
	}
	n = lo_merge_finding_count(m);
	if (o->format == LO_FORMAT_HTML && !o->output) {
		fprintf(stderr, "%s: the html format is a directory; pass -o DIR\n", prog);
		return 2;
	}
	if (o->output) {
		if (lo_report_write_file(m, o->format, o->output, &err) != 0) {
			fprintf(stderr, "%s: %s\n", prog, err ? err : "cannot write the report");
			free(err);
			return 2;
		}
	} else if (lo_report_write(m, o->format, stdout) != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "%s: cannot write the report: %s\n", prog,
			strerror(errno ? errno : EIO));
		return 2;
	}
	if (n == 0)
		fprintf(stderr, "no %sfindings", known ? "new " : "");
	else
		fprintf(stderr, "%zu %sfinding%s", n, o->baseline ? "new " : "",
			n == 1 ? "" : "s");
	if (known)
		fprintf(stderr, " (%zu in the baseline)", known);
	fputc('\n', stderr);
	return n ? 1 : 0;
}
