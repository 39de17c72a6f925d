/*
 * test_returns.c - unit tests of a function's ways of returning
 * (lo_returns): what each way returns holding and releases of its
 * caller's, and how ways are joined.
 *
 * Modelled on the kernel: a trylock wrapper holds its lock only on the
 * way that returns nonzero; find_lock_task_mm() holds task_lock only when
 * it returns non-NULL; a guard destructor's `if (_T) unlock` releases on
 * one way of two.
 *
 * What it does NOT test: how the plugin applies them at a call
 * (test/plugin/calls-returns-holding.c, trylock.c, cleanup-guard.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lockorder.h"

static const struct lo_lockref A = { 1, -1, 0 }, B = { 2, -1, 0 };
static const struct lo_lockref P0 = { -1, 0, 0 }, P0D = { -1, 0, 1 };

static struct lo_rhold hold(struct lo_lockref l, int shared)
{
	struct lo_rhold h = { l, shared, 0, 7, NULL };

	return h;
}

/* The trylock wrapper: two ways, told apart by the return value. */
static void test_ways_by_value(void **state)
{
	lo_returns *r = lo_returns_new();
	struct lo_rhold h = hold(A, 0);
	const struct lo_return *w;

	(void)state;
	lo_returns_add(r, LO_RET_NONZERO, &h, 1, NULL, 0);
	lo_returns_add(r, LO_RET_ZERO, NULL, 0, NULL, 0);
	assert_int_equal(lo_returns_count(r), 2);
	w = lo_returns_get(r, 0);
	assert_int_equal(w->ret, LO_RET_NONZERO);
	assert_int_equal(w->nholds, 1);
	assert_true(lo_lockref_eq(&w->holds[0].lock, &A));
	assert_int_equal(w->holds[0].site, 7);
	w = lo_returns_get(r, 1);
	assert_int_equal(w->ret, LO_RET_ZERO);
	assert_int_equal(w->nholds, 0);
	assert_null(lo_returns_get(r, 2));
	lo_returns_free(r);
	lo_returns_free(NULL);
}

/* Ways that hold the same locks are one; their values, if they differ,
 * are unknown, and what any releases of the caller's counts. */
static void test_same_locks_join(void **state)
{
	lo_returns *r = lo_returns_new();
	struct lo_rhold h[2] = { hold(A, 0), hold(P0, 1) };
	struct lo_rhold g[2] = { hold(P0, 1), hold(A, 0) };
	const struct lo_return *w;

	(void)state;
	lo_returns_add(r, LO_RET_ZERO, h, 2, &B, 1);
	lo_returns_add(r, LO_RET_NEGATIVE, g, 2, &P0D, 1);
	lo_returns_add(r, LO_RET_NEGATIVE, g, 2, &B, 1);
	assert_int_equal(lo_returns_count(r), 1);
	w = lo_returns_get(r, 0);
	assert_int_equal(w->ret, LO_RET_UNKNOWN);
	assert_int_equal(w->nholds, 2);
	assert_int_equal(w->nreleases, 2);
	assert_true(lo_lockref_eq(&w->releases[0], &B));
	assert_true(lo_lockref_eq(&w->releases[1], &P0D));
	lo_returns_free(r);
}

/* A shared hold is not an exclusive one, and a parameter's lock is not
 * the lock its pointee points to. */
static void test_distinct_holds(void **state)
{
	lo_returns *r = lo_returns_new();
	struct lo_rhold s = hold(A, 1), x = hold(A, 0);
	struct lo_rhold p = hold(P0, 0), pd = hold(P0D, 0);

	(void)state;
	lo_returns_add(r, LO_RET_UNKNOWN, &s, 1, NULL, 0);
	lo_returns_add(r, LO_RET_UNKNOWN, &x, 1, NULL, 0);
	lo_returns_add(r, LO_RET_UNKNOWN, &p, 1, NULL, 0);
	lo_returns_add(r, LO_RET_UNKNOWN, &pd, 1, NULL, 0);
	assert_int_equal(lo_returns_count(r), 4);
	lo_returns_free(r);
}

/* Past the bound the last way keeps what it and each new way hold: we
 * prefer missing a report to a false one. */
static void test_bound_intersects(void **state)
{
	lo_returns *r = lo_returns_new();
	struct lo_rhold ab[2] = { hold(A, 0), hold(B, 0) };
	struct lo_rhold a = hold(A, 0), b = hold(B, 0), p = hold(P0, 0);
	const struct lo_return *w;

	(void)state;
	lo_returns_add(r, LO_RET_ZERO, NULL, 0, NULL, 0);
	lo_returns_add(r, LO_RET_ZERO, &b, 1, NULL, 0);
	lo_returns_add(r, LO_RET_ZERO, &p, 1, NULL, 0);
	lo_returns_add(r, LO_RET_ZERO, ab, 2, NULL, 0);
	assert_int_equal(lo_returns_count(r), LO_MAX_RETURNS);
	lo_returns_add(r, LO_RET_NONZERO, &a, 1, NULL, 0);
	assert_int_equal(lo_returns_count(r), LO_MAX_RETURNS);
	w = lo_returns_get(r, LO_MAX_RETURNS - 1);
	assert_int_equal(w->ret, LO_RET_UNKNOWN);
	assert_int_equal(w->nholds, 1);
	assert_true(lo_lockref_eq(&w->holds[0].lock, &A));
	lo_returns_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ways_by_value),
		cmocka_unit_test(test_same_locks_join),
		cmocka_unit_test(test_distinct_holds),
		cmocka_unit_test(test_bound_intersects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
