/*
 * report.c - the first and the last step of `lockorder merge` and
 * `lockorder check`: before the work, check that every output can be
 * written and read the baseline; after it, apply the baseline, or write
 * one, and write the report.
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
#include "util.h"

int report_prepare(const char *prog, struct report_options *o)
{
	if (o->baseline && o->update_baseline)
		return usage_error(prog, "--baseline and --update-baseline "
				   "cannot go together: write the baseline, "
				   "then check against it");
	if (o->format == LO_FORMAT_HTML && !o->output)
		return usage_error(prog, "the html format is a directory; pass -o DIR");
	if (o->output && check_output(prog, o->output,
				      o->format == LO_FORMAT_HTML) != 0)
		return 2;
	if (o->update_baseline && check_output(prog, o->update_baseline, 0) != 0)
		return 2;
	if (o->baseline) {
		struct lo_errors errs = { 0 };

		o->known = lo_baseline_read(o->baseline, &errs);
		print_errors(prog, &errs);
		lo_errors_free(&errs);
		if (!o->known)
			return 2;
	}
	return 0;
}

void report_options_free(struct report_options *o)
{
	lo_baseline_free(o->known);
	o->known = NULL;
}

/* The report of M to -o FILE or stdout.  Returns 0, or 2 after saying
 * why. */
static int write_report(const char *prog, lo_merge *m,
			const struct report_options *o)
{
	char *err = NULL;

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
	return 0;
}

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
		/* a report asked for as well is written; the baseline holds
		 * every finding, so none is new: exit 0 */
		return o->output ? write_report(prog, m, o) : 0;
	}
	if (o->known)
		known = lo_baseline_apply(o->known, m);
	n = lo_merge_finding_count(m);
	if (write_report(prog, m, o) != 0)
		return 2;
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
