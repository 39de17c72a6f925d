/*
 * helpers.h - what the unit tests of the rules share: parsing a rules
 * text that must succeed or must fail, the errors as lo_errors_print
 * writes them, and a lock's index by name.
 *
 * Every helper is static inline so that each test includes only this
 * header and uses what it needs.  They assert as they go (cmocka), so a
 * helper failing fails the test that called it.  A test file defines
 * _GNU_SOURCE (open_memstream) before any include.
 *
 * What it does NOT hold: fixtures of one concept (the KVM rules of
 * test_rules.c, the check context of test_check.c); those stay in the
 * test that reads them.
 */
#ifndef LOCKORDER_TEST_HELPERS_H
#define LOCKORDER_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lockorder.h"

/* TEXT as the rules file "t.lockorder", includes not allowed. */
static inline lo_rules *parse(const char *text, struct lo_errors *errs)
{
	return lo_rules_parse_string(text, strlen(text), "t.lockorder", 0, errs);
}

/* The errors as lo_errors_print writes them; the caller frees. */
static inline char *errors_text(const struct lo_errors *errs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	lo_errors_print(errs, f);
	fclose(f);
	return buf;
}

/* Parses TEXT, which must fail, and compares every error line with
 * WANT exactly. */
static inline void expect_errors(const char *text, const char *want)
{
	struct lo_errors errs = { 0 };
	lo_rules *r = parse(text, &errs);
	char *got;

	assert_null(r);
	got = errors_text(&errs);
	assert_string_equal(got, want);
	free(got);
	lo_errors_free(&errs);
}

/* Parses TEXT, which must succeed without a single error; the caller
 * frees the result with lo_rules_free(). */
static inline lo_rules *parse_ok(const char *text)
{
	struct lo_errors errs = { 0 };
	lo_rules *r = parse(text, &errs);

	if (!r) {
		char *got = errors_text(&errs);

		fprintf(stderr, "unexpected errors:\n%s", got);
		free(got);
	}
	assert_non_null(r);
	assert_int_equal(errs.n, 0);
	lo_errors_free(&errs);
	return r;
}

/* The index of the lock NAME, which must be declared. */
static inline int lock(const lo_rules *r, const char *name)
{
	int i = lo_rules_find_lock(r, name);

	if (i < 0)
		fprintf(stderr, "no lock '%s'\n", name);
	assert_true(i >= 0);
	return i;
}

#endif
