/*
 * test_order.c - unit tests of the declared order: the closure and the
 * shortest path of rules between two locks, lo_rules_print's normalised
 * relation, cycles in the declared order and leaves.
 *
 * What it does NOT test: the order statements' syntax (test_rules.c) or
 * what the checks do with the order (test_check.c).
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

/* The rules as lo_rules_print writes them; the caller frees. */
static char *rules_text(const lo_rules *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	lo_rules_print(r, f);
	fclose(f);
	return buf;
}

static void test_closure_and_paths(void **state)
{
	lo_rules *r = parse_ok("mutex a, b, c, d, e\n"
			       "a outside b\n"    /* rule 0 */
			       "c inside b\n"     /* rule 1 */
			       "c outside d\n"    /* rule 2 */
			       "a outside d\n"    /* rule 3 */
			       "e requires d\n"); /* rule 4 */
	int a = 0, b = 1, c = 2, d = 3, e = 4;
	int path[8];
	size_t np;

	(void)state;
	assert_true(lo_rules_outside(r, a, b, path, 8, &np));
	assert_int_equal(np, 1);
	assert_int_equal(path[0], 0);
	assert_true(lo_rules_outside(r, a, c, path, 8, &np));
	assert_int_equal(np, 2);
	assert_int_equal(path[0], 0);
	assert_int_equal(path[1], 1);
	/* shortest path: a -> d -> e, not a -> b -> c -> d -> e */
	assert_true(lo_rules_outside(r, a, e, path, 8, &np));
	assert_int_equal(np, 2);
	assert_int_equal(path[0], 3);
	assert_int_equal(path[1], 4);
	assert_true(lo_rules_outside(r, b, e, path, 8, &np));
	assert_int_equal(np, 3);
	assert_int_equal(path[0], 1);
	assert_int_equal(path[1], 2);
	assert_int_equal(path[2], 4);
	/* MAX truncates */
	assert_true(lo_rules_outside(r, b, e, path, 1, &np));
	assert_int_equal(np, 1);
	assert_int_equal(path[0], 1);
	assert_false(lo_rules_outside(r, c, a, path, 8, &np));
	assert_int_equal(np, 0);
	assert_false(lo_rules_outside(r, a, a, NULL, 0, NULL));
	assert_false(lo_rules_outside(r, e, d, NULL, 0, NULL));
	assert_false(lo_rules_outside(r, -1, a, NULL, 0, NULL));
	assert_false(lo_rules_outside(r, a, 5, NULL, 0, NULL));
	assert_false(lo_rules_outside(NULL, 0, 1, NULL, 0, NULL));
	lo_rules_free(r);
}

static void test_print(void **state)
{
	lo_rules *r = parse_ok("type k = struct kvm\n"
			       "mutex b, a, c, d, e\n"
			       "spinlock k->x\n"
			       "function unlock(l) releases shared l\n"
			       "function lock(l, s) acquires l nested s if returns 0, waits k->x\n"
			       "a outside b\n"
			       "c inside b\n"
			       "c outside d\n"
			       "a outside d\n"
			       "e requires d\n"
			       "leaf *\n"
			       "never e in f*, g\n");
	char *got = rules_text(r);

	(void)state;
	assert_string_equal(got,
		"# types\n"
		"type k = struct kvm\n"
		"\n"
		"# locks\n"
		"mutex        a\n"
		"mutex        b\n"
		"mutex        c\n"
		"mutex        d\n"
		"mutex        e\n"
		"spinlock     k->x\n"
		"\n"
		"# functions\n"
		"function lock(l, s) acquires l nested s if returns 0, waits k->x\n"
		"function unlock(l) releases shared l\n"
		"\n"
		"# order: every pair of the closure, outer lock first\n"
		"a outside b    # t.lockorder:6\n"
		"a outside c    # via b\n"
		"a outside d    # t.lockorder:9\n"
		"a outside e    # via d\n"
		"b outside c    # t.lockorder:7\n"
		"b outside d    # via c\n"
		"b outside e    # via c, d\n"
		"c outside d    # t.lockorder:8\n"
		"c outside e    # via d\n"
		"d outside e    # t.lockorder:10\n"
		"\n"
		"# leaves\n"
		"leaf e    # t.lockorder:11 (leaf *)\n"
		"leaf k->x    # t.lockorder:11 (leaf *)\n"
		"\n"
		"# requires\n"
		"e requires d    # t.lockorder:10\n"
		"\n"
		"# never\n"
		"never e in f*, g    # t.lockorder:12\n");
	free(got);
	lo_rules_free(r);
}

static void test_cycles(void **state)
{
	(void)state;
	expect_errors("mutex a, b, c, d\n"
		      "a outside b\n"
		      "b outside c\n"
		      "  c outside a\n"
		      "d outside d\n",
		      "t.lockorder:2:1: error: cycle in the declared lock order: 'a' -> 'b' -> 'c' -> 'a'\n"
		      "t.lockorder:2:1: note: 'a' outside 'b' stated here\n"
		      "t.lockorder:3:1: note: 'b' outside 'c' stated here\n"
		      "t.lockorder:4:3: note: 'c' outside 'a' stated here\n"
		      "t.lockorder:5:1: error: cycle in the declared lock order: 'd' -> 'd'\n"
		      "t.lockorder:5:1: note: 'd' outside 'd' stated here\n");
	/* the story starts at the first statement, whatever edge found it;
	 * inside and requires are edges too */
	expect_errors("mutex a, b, c\n"
		      "b outside c\n"
		      "a inside c\n"
		      "b requires a\n",
		      "t.lockorder:2:1: error: cycle in the declared lock order: 'b' -> 'c' -> 'a' -> 'b'\n"
		      "t.lockorder:2:1: note: 'b' outside 'c' stated here\n"
		      "t.lockorder:3:1: note: 'c' outside 'a' stated here\n"
		      "t.lockorder:4:1: note: 'a' outside 'b' stated here\n");
}

static void test_leaf(void **state)
{
	lo_rules *r;

	(void)state;
	expect_errors("mutex a, b\nleaf a\na outside b\n",
		      "t.lockorder:2:6: error: 'a' cannot be a leaf lock: the rule at t.lockorder:3 puts it outside 'b'\n");
	/* requires puts the required lock outside */
	expect_errors("mutex a, b\nleaf x, b\na requires b\nmutex x\n",
		      "t.lockorder:2:9: error: 'b' cannot be a leaf lock: the rule at t.lockorder:3 puts it outside 'a'\n");

	r = parse_ok("mutex a, b, c\nleaf c\na outside b\nleaf *\n");
	assert_false(lo_rules_lock(r, 0)->leaf);
	assert_true(lo_rules_lock(r, 1)->leaf);
	assert_int_equal(lo_rules_lock(r, 1)->leaf_rule, 2);
	assert_true(lo_rules_lock(r, 2)->leaf);
	assert_int_equal(lo_rules_lock(r, 2)->leaf_rule, 0);
	assert_string_equal(lo_rules_rule(r, 2)->text, "leaf *");
	assert_int_equal(lo_rules_rule(r, 2)->kind, LO_RULE_LEAF);
	lo_rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_closure_and_paths),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_leaf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
