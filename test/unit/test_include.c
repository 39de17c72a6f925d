/*
 * test_include.c - unit tests of include in rules files, on files in a
 * temporary directory: paths relative to the including file, each file
 * once, 'leaf *' reaching only its own file's locks, include cycles,
 * missing and unreadable files.
 *
 * What it does NOT test: the statements of the included files
 * (test_rules.c).
 */
#define _GNU_SOURCE /* open_memstream, mkdtemp */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lockorder.h"
#include "helpers.h"

/* ---- temporary files for includes ------------------------------------- */

static char tmpdir[64];

static int tmp_setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/lo-unit-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int tmp_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *tmp_path(const char *rel)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	return path;
}

static void test_include(void **state)
{
	struct lo_errors errs = { 0 };
	lo_rules *r;
	char want[1024];
	int api, more, a, later;

	(void)state;
	mkdir(tmp_path("sub"), 0755);
	write_file("sub/api.lockorder", "include \"more.lockorder\"\nmutex api_lock\n");
	write_file("sub/more.lockorder", "mutex more_lock # no edges: still no leaf\n");
	write_file("main.lockorder",
		   "include \"sub/api.lockorder\"\n"
		   "include \"sub/api.lockorder\"      # once is enough\n"
		   "include \"sub/../sub/more.lockorder\"\n"
		   "mutex a\n"
		   "a outside api_lock, later\n"
		   "leaf *\n"
		   "mutex later, alone\n");
	r = lo_rules_parse_file(tmp_path("main.lockorder"), &errs);
	assert_int_equal(errs.n, 0);
	assert_non_null(r);
	assert_int_equal(lo_rules_lock_count(r), 5);
	api = lock(r, "api_lock");
	more = lock(r, "more_lock");
	a = lock(r, "a");
	later = lock(r, "later");
	snprintf(want, sizeof(want), "%s/sub/api.lockorder", tmpdir);
	assert_string_equal(lo_rules_lock(r, (size_t)api)->file, want);
	snprintf(want, sizeof(want), "%s/sub/more.lockorder", tmpdir);
	assert_string_equal(lo_rules_lock(r, (size_t)more)->file, want);
	/* leaf * makes leaves of this file's locks only */
	assert_false(lo_rules_lock(r, (size_t)api)->leaf);
	assert_false(lo_rules_lock(r, (size_t)more)->leaf);
	assert_false(lo_rules_lock(r, (size_t)a)->leaf);
	assert_true(lo_rules_lock(r, (size_t)later)->leaf);
	assert_true(lo_rules_lock(r, (size_t)lock(r, "alone"))->leaf);
	assert_true(lo_rules_outside(r, a, api, NULL, 0, NULL));
	lo_rules_free(r);

	/* a string may include, relative to its name */
	snprintf(want, sizeof(want), "%s/str.lockorder", tmpdir);
	{
		const char *text = "include \"sub/api.lockorder\"\nleaf *\n";

		r = lo_rules_parse_string(text, strlen(text), want, 1, &errs);
	}
	assert_non_null(r);
	assert_int_equal(lo_rules_lock_count(r), 2);
	assert_false(lo_rules_lock(r, 0)->leaf);
	lo_rules_free(r);
	lo_errors_free(&errs);
}

static void test_include_errors(void **state)
{
	struct lo_errors errs = { 0 };
	lo_rules *r;
	char want[2048];
	char *got;

	(void)state;
	write_file("c1.lockorder", "include \"c2.lockorder\"\nmutex a\n");
	write_file("c2.lockorder", "mutex b\n\ninclude \"c1.lockorder\"\n");
	r = lo_rules_parse_file(tmp_path("c1.lockorder"), &errs);
	assert_null(r);
	got = errors_text(&errs);
	snprintf(want, sizeof(want),
		 "%s/c2.lockorder:3:9: error: include cycle: '%s/c1.lockorder' -> '%s/c2.lockorder' -> '%s/c1.lockorder'\n",
		 tmpdir, tmpdir, tmpdir, tmpdir);
	assert_string_equal(got, want);
	free(got);
	lo_errors_free(&errs);

	write_file("self.lockorder", "include \"self.lockorder\"\n");
	r = lo_rules_parse_file(tmp_path("self.lockorder"), &errs);
	assert_null(r);
	got = errors_text(&errs);
	snprintf(want, sizeof(want),
		 "%s/self.lockorder:1:9: error: include cycle: '%s/self.lockorder' -> '%s/self.lockorder'\n",
		 tmpdir, tmpdir, tmpdir);
	assert_string_equal(got, want);
	free(got);
	lo_errors_free(&errs);

	/* a missing include is an error at the include line; parsing goes on */
	write_file("miss.lockorder", "mutex a\n  include \"nothere.lockorder\"\nmutex a\n");
	r = lo_rules_parse_file(tmp_path("miss.lockorder"), &errs);
	assert_null(r);
	got = errors_text(&errs);
	snprintf(want, sizeof(want),
		 "%s/miss.lockorder:2:11: error: cannot open '%s/nothere.lockorder': No such file or directory\n"
		 "%s/miss.lockorder:3:7: error: redeclaration of lock 'a'; first declared at %s/miss.lockorder:1\n",
		 tmpdir, tmpdir, tmpdir, tmpdir);
	assert_string_equal(got, want);
	free(got);
	lo_errors_free(&errs);

	/* an unreadable top file: line 0 */
	r = lo_rules_parse_file(tmp_path("absent.lockorder"), &errs);
	assert_null(r);
	assert_int_equal(errs.n, 1);
	assert_int_equal(errs.n_errors, 1);
	assert_int_equal(errs.v[0].line, 0);
	got = errors_text(&errs);
	snprintf(want, sizeof(want),
		 "%s/absent.lockorder: error: cannot open '%s/absent.lockorder': No such file or directory\n",
		 tmpdir, tmpdir);
	assert_string_equal(got, want);
	free(got);
	lo_errors_free(&errs);

	/* a directory cannot be read either */
	r = lo_rules_parse_file(tmpdir, &errs);
	assert_null(r);
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(errs.v[0].msg, "Is a directory"));
	lo_errors_free(&errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_include, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_include_errors, tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
