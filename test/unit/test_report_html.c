/*
 * test_report_html.c - unit tests of the HTML report's files as written:
 * the counts per kind and per file, file names that need escaping in
 * attributes and in fragments, source lines with tabs and CRLF, sites
 * past a line's end, lines past a file's end, sources that are missing,
 * an empty report, and a directory that already exists.  Under ASan and
 * UBSan in CI, where the Chromium test does not run.
 *
 * What it does NOT test: how a browser renders or scripts the pages
 * (test/html/chromium-report.sh).
 */
#define _GNU_SOURCE /* open_memstream, mkdtemp */

#include "helpers_summary.h"

#include <sys/stat.h>
#include <unistd.h>

static char tmp[] = "/tmp/lockorder-html-XXXXXX";

static char *path_of(const char *a, const char *b)
{
	char *p = malloc(strlen(a) + strlen(b) + 2);

	assert_non_null(p);
	sprintf(p, "%s/%s", a, b);
	return p;
}

static void put(const char *name, const char *text)
{
	char *p = path_of(tmp, name);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static char *slurp(const char *dir, const char *name)
{
	char *p = path_of(dir, name), *buf;
	FILE *f = fopen(p, "r");
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	free(p);
	return buf;
}

#define HAS(text, s) assert_non_null(strstr(text, s))

/* Four findings: an order broken across a.c and b.c, reported in b.c; a
 * mutex taken under a leaf spinlock in b.c (a leaf broken, sleeping while
 * atomic); an srcu reader in a file with a name to escape, whose source
 * is missing. */
static void test_pages(void **state)
{
	static const char odd[] = "x&y \"z\".c";
	lo_summary *s[3];
	struct lo_sheld h, leaf, rd;
	lo_rules *r = rules();
	lo_merge *m = lo_merge_new(r);
	char *err = NULL, *dir, *index, *page;
	size_t i, n;

	(void)state;
	/* Line 10 of b.c: a tab, the call at column 2, CRLF. */
	put("a.c", "1\n2\n3\n\tmutex_lock(&vcpu->mutex);\n4\n5\n");
	put("b.c", "1\n2\n3\n4\n5\n6\n7\n8\n9\n\tmutex_lock(&kvm->lock);\r\n11\n12\n13\n"
		   "14\n15\n16\n17\n18\n19\n\tx\n");
	s[0] = lo_summary_new("a.c", tmp, NULL);
	s[1] = lo_summary_new("b.c", tmp, NULL);
	s[2] = lo_summary_new(odd, tmp, NULL);
	h = held(s[0], VCPU_MUTEX, 4);
	call(s[0], "f", 0, "g", NULL, 5, &h, NULL);
	acq(s[1], "g", 0, KVM_LOCK, 10, NULL);
	/* Line 20 is "\tx": column 2 is its last byte; line 40 is past the
	 * end of the file. */
	leaf = held(s[1], cls("kvm.arch.xen.xen_lock", "kvm->arch.xen.xen_lock", LO_SPINLOCK, 1), 20);
	acq(s[1], "h", 0, KVM_LOCK, 40, &leaf);
	rd = held(s[2], SRCU, 3);
	acq(s[2], "k", 0, KVM_LOCK, 4, &rd);
	for (i = 0; i < 3; i++)
		lo_merge_add(m, s[i]);
	n = lo_merge_run(m, LO_MERGE_ALL);
	assert_int_equal(n, 4);

	dir = path_of(tmp, "report");
	assert_int_equal(lo_report_write_html(m, dir, &err), 0);
	assert_null(err);
	index = slurp(dir, "index.html");
	HAS(index, "4 findings in 2 files.");
	HAS(index, "<tr data-filter=\"kind=order\" data-kind=\"order\"><td><a href=\"#kind=order\">order</a>");
	HAS(index, "<tr data-filter=\"kind=leaf\" data-kind=\"leaf\">");
	HAS(index, "<tr data-filter=\"kind=atomic\" data-kind=\"atomic\"><td><a href=\"#kind=atomic\">atomic</a>: sleeping while atomic</td><td class=\"count\">1</td></tr>");
	HAS(index, "<tr data-filter=\"kind=srcu-reader\" data-kind=\"srcu-reader\">");
	/* Most findings first: b.c has three. */
	HAS(index, "<tr data-filter=\"file=b.c\" data-file=\"b.c\"><td><a href=\"#file=b.c\"><code>b.c</code></a></td><td class=\"count\">3</td></tr>\n"
		   "<tr data-filter=\"file=x%26y%20%22z%22.c\" data-file=\"x&amp;y &quot;z&quot;.c\">"
		   "<td><a href=\"#file=x%26y%20%22z%22.c\"><code>x&amp;y &quot;z&quot;.c</code></a></td><td class=\"count\">1</td></tr>");
	HAS(index, "<option value=\"x&amp;y &quot;z&quot;.c\">x&amp;y &quot;z&quot;.c (1)</option>");
	HAS(index, "<table id=\"findings\" data-visible-count=\"4\">");
	HAS(index, "<form id=\"filter\" hidden>");
	HAS(index, "<script>(function () {");
	assert_null(strstr(index, "http"));
	free(index);

	for (i = 0; i < n; i++) {
		char name[32];
		const struct lo_finding *f = lo_merge_finding(m, i);

		snprintf(name, sizeof(name), "finding-%zu.html", i + 1);
		page = slurp(dir, name);
		assert_null(strstr(page, "<script"));
		assert_null(strstr(page, "\r"));
		if (f->kind == LO_V_ORDER) {
			HAS(page, "<span class=\"l hl\" data-line=\"10\"><span class=\"ln\">10</span>\t"
				  "<span class=\"at\">mutex_lock</span>(&amp;kvm-&gt;lock);</span>");
			HAS(page, "<span class=\"l hl\" data-line=\"4\"><span class=\"ln\">4</span>\t"
				  "<span class=\"at\">mutex_lock</span>(&amp;vcpu-&gt;mutex);</span>");
			HAS(page, "rel=\"next\"");
		} else if (f->kind == LO_V_LEAF || f->kind == LO_V_ATOMIC) {
			HAS(page, "<em>(line not in the file)</em>");
			HAS(page, "<span class=\"ln\">20</span>\t<span class=\"at\">x</span></span>");
		} else {
			assert_int_equal(f->kind, LO_V_SRCU_READER);
			HAS(page, "<em>(source not available)</em>");
			HAS(page, "x&amp;y &quot;z&quot;.c:4:2");
		}
		free(page);
	}

	/* The directory exists now: refused, and named. */
	assert_int_equal(lo_report_write_html(m, dir, &err), -1);
	assert_non_null(err);
	HAS(err, "cannot create '");
	HAS(err, "/report': File exists");
	free(err);
	free(dir);
	lo_merge_free(m);
	lo_rules_free(r);
}

static void test_no_findings(void **state)
{
	lo_rules *r = rules();
	lo_merge *m = lo_merge_new(r);
	char *err = NULL, *dir = path_of(tmp, "empty"), *index;

	(void)state;
	lo_merge_add(m, lo_summary_new("a.c", tmp, NULL));
	assert_int_equal(lo_merge_run(m, LO_MERGE_ALL), 0);
	assert_int_equal(lo_report_write_html(m, dir, &err), 0);
	index = slurp(dir, "index.html");
	HAS(index, "<p>No findings.</p>");
	assert_null(strstr(index, "<script"));
	free(index);
	free(dir);
	lo_merge_free(m);
	lo_rules_free(r);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[64];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_no_findings),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
