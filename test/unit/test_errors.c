/*
 * test_errors.c - unit tests of the error list: lo_errors_add's counts
 * and lo_errors_print's "file:line:col: severity: message" lines, with
 * what is left out when the line or column is unknown.
 *
 * What it does NOT test: the errors of a rules file (test_rules.c,
 * test_include.c) or of a summary (test_summary.c).
 */
#define _GNU_SOURCE /* open_memstream */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lockorder.h"
#include "helpers.h"

static void test_errors_print(void **state)
{
	struct lo_errors errs = { 0 };
	char *got;

	(void)state;
	lo_errors_add(&errs, LO_SEV_ERROR, "f.lockorder", 3, 4, "bad '%s'", "x");
	lo_errors_add(&errs, LO_SEV_WARNING, "f.lockorder", 3, 0, "odd");
	lo_errors_add(&errs, LO_SEV_NOTE, "f.lockorder", 0, 0, "see %d", 42);
	lo_errors_add(&errs, LO_SEV_ERROR, NULL, 0, 0, "no file");
	assert_int_equal(errs.n, 4);
	assert_int_equal(errs.n_errors, 2);
	got = errors_text(&errs);
	assert_string_equal(got,
			    "f.lockorder:3:4: error: bad 'x'\n"
			    "f.lockorder:3: warning: odd\n"
			    "f.lockorder: note: see 42\n"
			    "error: no file\n");
	free(got);
	lo_errors_free(&errs);
	assert_int_equal(errs.n, 0);
	assert_null(errs.v);
	lo_errors_free(&errs); /* twice is harmless */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
