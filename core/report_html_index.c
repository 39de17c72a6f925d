/*
 * report_html_index.c - index.html of the HTML report: how many findings
 * of each kind and in each file, a filter form, and the table of findings,
 * one row per finding linking to its page.
 *
 * The counts are written here, so that they read without the script.  The
 * rows carry what the script sorts and filters by (data-n, data-kind,
 * data-file, data-line, data-fn); the count tables' rows carry the filter
 * a click on them sets (data-filter="kind=atomic"), their links the same
 * state as a fragment (#kind=atomic), which is what the script reads from
 * location.hash.  The script itself is in report_html_page.c.
 *
 * What it does NOT do: order the findings (the merge has: the table comes
 * in its order, the script re-sorts it in the browser), or count anything
 * the findings do not say: a finding is counted in the file of its
 * warning, not in the files of its notes.
 */
#include <stdlib.h>
#include <string.h>

#include "report_html_internal.h"

#define NKINDS ((size_t)LO_V_INVERSION + 1)
/* More files than this and the table of files starts folded. */
#define FILES_OPEN 25

struct file_count {
	const char *file;
	size_t n;
};

static const char *file_of(const struct lo_finding *f)
{
	return f->at.file ? f->at.file : "?";
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int by_count(const void *a, const void *b)
{
	const struct file_count *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->file, y->file);
}

/* The files of M's findings by name, each with its count; *NFILES of
 * them.  Caller frees the array (not the names, which are M's). */
static struct file_count *count_files(const lo_merge *m, size_t *nfiles)
{
	size_t i, n = lo_merge_finding_count(m), k = 0;
	const char **names = lo_xmalloc((n ? n : 1) * sizeof(*names));
	struct file_count *files = lo_xmalloc((n ? n : 1) * sizeof(*files));

	for (i = 0; i < n; i++)
		names[i] = file_of(lo_merge_finding(m, i));
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		if (k && strcmp(files[k - 1].file, names[i]) == 0) {
			files[k - 1].n++;
			continue;
		}
		files[k].file = names[i];
		files[k++].n = 1;
	}
	free(names);
	*nfiles = k;
	return files;
}

/* The kinds with findings, most findings first, in *ORDER; returns how
 * many. */
static size_t count_kinds(const lo_merge *m, size_t counts[NKINDS],
			  size_t order[NKINDS])
{
	size_t i, j, n = lo_merge_finding_count(m), k = 0;

	memset(counts, 0, NKINDS * sizeof(counts[0]));
	for (i = 0; i < n; i++) {
		size_t kind = (size_t)lo_merge_finding(m, i)->kind;

		if (kind < NKINDS)
			counts[kind]++;
	}
	for (i = 0; i < NKINDS; i++) {
		if (!counts[i])
			continue;
		/* Insertion: a stable sort by count, kinds in the enum's order
		 * among equals. */
		for (j = k; j > 0 && counts[order[j - 1]] < counts[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
		k++;
	}
	return k;
}

static void kind_table(FILE *out, const size_t counts[NKINDS],
		       const size_t order[NKINDS], size_t nkinds)
{
	size_t i;

	fputs("<table id=\"by-kind\"><caption>By kind</caption>\n"
	      "<thead><tr><th>kind</th><th>findings</th></tr></thead><tbody>\n", out);
	for (i = 0; i < nkinds; i++) {
		const char *name = lo_violation_kind_name((enum lo_violation_kind)order[i]);
		const char *title = lo_html_kind_title((enum lo_violation_kind)order[i]);

		fprintf(out, "<tr data-filter=\"kind=%s\" data-kind=\"%s\"><td>"
			"<a href=\"#kind=%s\">%s</a>", name, name, name, name);
		if (title) {
			fputs(": ", out);
			lo_html_esc(out, title);
		}
		fprintf(out, "</td><td class=\"count\">%zu</td></tr>\n", counts[order[i]]);
	}
	fputs("</tbody></table>\n", out);
}

static void file_table(FILE *out, const struct file_count *files, size_t nfiles)
{
	struct file_count *by = lo_xmalloc((nfiles ? nfiles : 1) * sizeof(*by));
	size_t i;

	memcpy(by, files, nfiles * sizeof(*by));
	qsort(by, nfiles, sizeof(*by), by_count);
	fprintf(out, "<details id=\"files\"%s><summary>By file (%zu)</summary>\n",
		nfiles <= FILES_OPEN ? " open" : "", nfiles);
	fputs("<table id=\"by-file\">\n"
	      "<thead><tr><th>file</th><th>findings</th></tr></thead><tbody>\n", out);
	for (i = 0; i < nfiles; i++) {
		fputs("<tr data-filter=\"file=", out);
		lo_html_url(out, by[i].file);
		fputs("\" data-file=\"", out);
		lo_html_esc(out, by[i].file);
		fputs("\"><td><a href=\"#file=", out);
		lo_html_url(out, by[i].file);
		fputs("\"><code>", out);
		lo_html_esc(out, by[i].file);
		fprintf(out, "</code></a></td><td class=\"count\">%zu</td></tr>\n", by[i].n);
	}
	fputs("</tbody></table></details>\n", out);
	free(by);
}

/* The filter form: hidden until the script shows it, useless without. */
static void filter_form(FILE *out, const size_t counts[NKINDS], const size_t order[NKINDS],
			size_t nkinds, const struct file_count *files, size_t nfiles)
{
	size_t i;

	fputs("<form id=\"filter\" hidden>\n<label>kind <select name=\"kind\">"
	      "<option value=\"\">any</option>", out);
	for (i = 0; i < nkinds; i++) {
		const char *name = lo_violation_kind_name((enum lo_violation_kind)order[i]);

		fprintf(out, "<option value=\"%s\">%s (%zu)</option>", name, name,
			counts[order[i]]);
	}
	fputs("</select></label>\n<label>file <select name=\"file\">"
	      "<option value=\"\">any</option>", out);
	for (i = 0; i < nfiles; i++) {
		fputs("<option value=\"", out);
		lo_html_esc(out, files[i].file);
		fputs("\">", out);
		lo_html_esc(out, files[i].file);
		fprintf(out, " (%zu)</option>", files[i].n);
	}
	fputs("</select></label>\n<label>text <input type=\"search\" name=\"q\" "
	      "placeholder=\"lock, function, message\"></label>\n"
	      "<button type=\"button\" name=\"clear\">show all</button>\n"
	      "<span id=\"shown\"></span>\n</form>\n", out);
}

static void findings_table(FILE *out, const lo_merge *m)
{
	size_t i, n = lo_merge_finding_count(m);

	fprintf(out, "<table id=\"findings\" data-visible-count=\"%zu\"><thead><tr>"
		"<th data-sort=\"n\">#</th><th data-sort=\"kind\">kind</th>"
		"<th data-sort=\"file\">file</th><th data-sort=\"line\">line</th>"
		"<th data-sort=\"fn\">function</th><th>message</th>"
		"<th>across files</th></tr></thead>\n<tbody>\n", n);
	for (i = 0; i < n; i++) {
		const struct lo_finding *f = lo_merge_finding(m, i);
		const char *kind = lo_violation_kind_name(f->kind);

		fprintf(out, "<tr data-n=\"%zu\" data-kind=\"%s\" data-file=\"", i + 1, kind);
		lo_html_esc(out, file_of(f));
		fprintf(out, "\" data-line=\"%d\" data-fn=\"", f->at.line);
		lo_html_esc(out, f->fn ? f->fn : "");
		fprintf(out, "\"><td>%zu</td><td>%s</td><td><code>", i + 1, kind);
		lo_html_esc(out, file_of(f));
		fprintf(out, "</code></td><td>%d</td><td><code>", f->at.line);
		lo_html_esc(out, f->fn);
		fprintf(out, "</code></td><td class=\"msg\"><a href=\"finding-%zu.html\">", i + 1);
		lo_html_esc(out, f->message);
		fprintf(out, "</a></td><td>%s</td></tr>\n", f->cross_file ? "yes" : "no");
	}
	fputs("</tbody></table>\n", out);
}

int lo_html_index_page(const char *path, const lo_merge *m)
{
	FILE *out = fopen(path, "w");
	size_t n = lo_merge_finding_count(m), nfiles, nkinds;
	size_t counts[NKINDS], order[NKINDS];
	struct file_count *files;

	if (!out)
		return -1;
	lo_html_head(out, "lockorder report");
	fputs("<h1>lockorder report</h1>\n", out);
	if (!n) {
		fputs("<p>No findings.</p></body></html>\n", out);
		return fclose(out) == 0 ? 0 : -1;
	}
	files = count_files(m, &nfiles);
	nkinds = count_kinds(m, counts, order);
	fprintf(out, "<p>%zu finding%s in %zu file%s.</p>\n", n, n == 1 ? "" : "s",
		nfiles, nfiles == 1 ? "" : "s");
	fputs("<div class=\"counts\">\n", out);
	kind_table(out, counts, order, nkinds);
	file_table(out, files, nfiles);
	fputs("</div>\n", out);
	filter_form(out, counts, order, nkinds, files, nfiles);
	findings_table(out, m);
	fprintf(out, "<script>%s</script>\n</body></html>\n", lo_html_index_js);
	free(files);
	return fclose(out) == 0 ? 0 : -1;
}
