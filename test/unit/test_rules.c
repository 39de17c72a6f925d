/*
 * test_rules.c - unit tests of the rules language: every statement and
 * what it adds to the lo_rules, normalised statement text, continued
 * lines and comments, names used before they are declared, every syntax
 * and name error with its file:line:col, edge inputs, and the function
 * patterns' glob.
 *
 * What it does NOT test: includes (test_include.c), the declared order's
 * closure, cycles and leaves (test_order.c), or the `lockorder rules`
 * command (test/tools).  Each test states its input and the exact output
 * it wants.
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

static void test_glob(void **state)
{
	(void)state;
	assert_true(lo_glob_match("kvm_mmu_notifier_*", "kvm_mmu_notifier_invalidate_range_start"));
	assert_true(lo_glob_match("kvm_mmu_notifier_*", "kvm_mmu_notifier_"));
	assert_false(lo_glob_match("kvm_mmu_notifier_*", "kvm_mmu_notifier"));
	assert_true(lo_glob_match("f", "f"));
	assert_false(lo_glob_match("f", "fg"));
	assert_true(lo_glob_match("*", "anything"));
	assert_false(lo_glob_match("a*b", "axb"));  /* only a trailing '*' */
	assert_true(lo_glob_match("a*b", "a*b"));
	assert_false(lo_glob_match(NULL, "x"));
}

static const char kvm_rules[] =
	"# KVM, abridged\n"
	"type kvm  = struct kvm                 # any struct kvm\n"
	"type vcpu = struct kvm_vcpu\n"
	"type u = union thing\n"
	"mutex        kvm_lock, kvm->lock, vcpu->mutex, kvm->slots_lock, kvm->slots_arch_lock\n"
	"srcu         kvm->srcu\n"
	"rwlock       kvm->mmu_lock\n"
	"spinlock     kvm->arch.xen.xen_lock, kvm->arch.tdp_mmu_pages_lock, u->l\n"
	"percpu_rwsem cpus_read_lock\n"
	"function mutex_lock(lock)               acquires lock\n"
	"function mutex_lock_nested(lock, sub)   acquires lock nested sub\n"
	"function mutex_lock_interruptible(lock) acquires lock if returns 0\n"
	"function mutex_trylock(lock)            tries lock if returns nonzero\n"
	"function srcu_read_unlock(ssp, idx)     releases shared ssp\n"
	"function synchronize_srcu(ssp)          waits ssp\n"
	"function cpus_read_lock()               acquires shared cpus_read_lock\n"
	"function lockdep_assert_held(l)         asserts l\n"
	"function kvm_mmu_notifier_*(mn)         acquires kvm->mmu_lock, releases kvm->mmu_lock\n"
	"function kvm_mmu_*(x)\n"
	"function nothing()\n"
	"kvm->lock outside vcpu->mutex, kvm->slots_lock\n"
	"kvm->lock, vcpu->mutex, kvm->slots_lock outside kvm->srcu\n"
	"kvm->slots_arch_lock inside kvm->srcu\n"
	"leaf kvm->arch.xen.xen_lock\n"
	"kvm->arch.tdp_mmu_pages_lock requires kvm->mmu_lock\n"
	"never kvm->slots_lock, kvm->slots_arch_lock in kvm_mmu_notifier_*, foo\n";

static void test_parse_everything(void **state)
{
	lo_rules *r = parse_ok(kvm_rules);
	const struct lo_lock *l;
	const struct lo_function *f;
	const struct lo_rule *ru;

	(void)state;
	assert_int_equal(lo_rules_type_count(r), 3);
	assert_string_equal(lo_rules_type_alias(r, 1), "vcpu");
	assert_string_equal(lo_rules_type_tag(r, 1), "kvm_vcpu");
	assert_string_equal(lo_rules_type_tag(r, 2), "thing");
	assert_null(lo_rules_type_alias(r, 3));

	assert_int_equal(lo_rules_lock_count(r), 11);
	l = lo_rules_lock(r, (size_t)lock(r, "kvm->arch.xen.xen_lock"));
	assert_string_equal(l->name, "kvm->arch.xen.xen_lock");
	assert_int_equal(l->kind, LO_SPINLOCK);
	assert_string_equal(l->root, "kvm");
	assert_string_equal(l->root_tag, "kvm");
	assert_int_equal(l->nfields, 3);
	assert_string_equal(l->fields[0], "arch");
	assert_string_equal(l->fields[1], "xen");
	assert_string_equal(l->fields[2], "xen_lock");
	assert_string_equal(l->file, "t.lockorder");
	assert_int_equal(l->line, 8);
	assert_int_equal(l->col, 14);
	assert_true(l->leaf);
	assert_int_equal(l->leaf_rule, 3);

	l = lo_rules_lock(r, (size_t)lock(r, "vcpu->mutex"));
	assert_string_equal(l->root_tag, "kvm_vcpu");
	assert_int_equal(l->nfields, 1);
	assert_false(l->leaf);
	assert_int_equal(l->leaf_rule, -1);

	l = lo_rules_lock(r, (size_t)lock(r, "cpus_read_lock"));
	assert_null(l->root);
	assert_null(l->root_tag);
	assert_int_equal(l->nfields, 0);
	assert_int_equal(l->kind, LO_PERCPU_RWSEM);
	assert_int_equal(lo_rules_find_lock(r, "nope"), -1);
	assert_null(lo_rules_lock(r, 99));

	assert_int_equal(lo_rules_function_count(r), 11);
	f = lo_rules_find_function(r, "mutex_lock_nested");
	assert_non_null(f);
	assert_int_equal(f->nparams, 2);
	assert_string_equal(f->params[1], "sub");
	assert_int_equal(f->neffects, 1);
	assert_int_equal(f->effects[0].op, LO_ACQUIRE);
	assert_int_equal(f->effects[0].param, 0);
	assert_int_equal(f->effects[0].lock, -1);
	assert_int_equal(f->effects[0].nested_param, 1);
	assert_int_equal(f->effects[0].cond, LO_ALWAYS);
	assert_int_equal(f->line, 11);

	f = lo_rules_find_function(r, "mutex_lock_interruptible");
	assert_int_equal(f->effects[0].cond, LO_IF_RETURNS_ZERO);
	assert_false(f->effects[0].trylock); /* it blocks, and may fail */
	f = lo_rules_find_function(r, "mutex_trylock");
	assert_int_equal(f->effects[0].cond, LO_IF_RETURNS_NONZERO);
	assert_true(f->effects[0].trylock);
	assert_int_equal(f->effects[0].nest_param, -1);
	f = lo_rules_find_function(r, "srcu_read_unlock");
	assert_int_equal(f->effects[0].op, LO_RELEASE);
	assert_true(f->effects[0].shared);
	f = lo_rules_find_function(r, "synchronize_srcu");
	assert_int_equal(f->effects[0].op, LO_WAIT);
	f = lo_rules_find_function(r, "cpus_read_lock");
	assert_int_equal(f->nparams, 0);
	assert_int_equal(f->effects[0].param, -1);
	assert_int_equal(f->effects[0].lock, lock(r, "cpus_read_lock"));
	assert_true(f->effects[0].shared);
	f = lo_rules_find_function(r, "lockdep_assert_held");
	assert_int_equal(f->effects[0].op, LO_ASSERT);
	f = lo_rules_find_function(r, "nothing");
	assert_int_equal(f->neffects, 0);

	/* an exact name first, then the longest matching pattern */
	f = lo_rules_find_function(r, "kvm_mmu_notifier_release");
	assert_non_null(f);
	assert_string_equal(f->name, "kvm_mmu_notifier_*");
	assert_int_equal(f->neffects, 2);
	assert_int_equal(f->effects[1].op, LO_RELEASE);
	assert_int_equal(f->effects[1].lock, lock(r, "kvm->mmu_lock"));
	f = lo_rules_find_function(r, "kvm_mmu_load");
	assert_string_equal(f->name, "kvm_mmu_*");
	assert_null(lo_rules_find_function(r, "spin_lock"));

	assert_int_equal(lo_rules_rule_count(r), 6);
	ru = lo_rules_rule(r, 0);
	assert_int_equal(ru->kind, LO_RULE_OUTSIDE);
	assert_int_equal(ru->line, 21);
	assert_string_equal(ru->text, "kvm->lock outside vcpu->mutex, kvm->slots_lock");
	assert_int_equal(lo_rules_rule(r, 2)->kind, LO_RULE_OUTSIDE);
	assert_string_equal(lo_rules_rule(r, 2)->text, "kvm->slots_arch_lock inside kvm->srcu");
	assert_int_equal(lo_rules_rule(r, 3)->kind, LO_RULE_LEAF);
	assert_int_equal(lo_rules_rule(r, 4)->kind, LO_RULE_REQUIRES);
	assert_int_equal(lo_rules_rule(r, 5)->kind, LO_RULE_NEVER);
	assert_string_equal(lo_rules_rule(r, 5)->text,
			    "never kvm->slots_lock, kvm->slots_arch_lock in kvm_mmu_notifier_*, foo");
	assert_null(lo_rules_rule(r, 6));
	lo_rules_free(r);
}

static void test_outside_in_kvm_rules(void **state)
{
	lo_rules *r = parse_ok(kvm_rules);
	int path[4];
	size_t np = 9;

	(void)state;
	assert_true(lo_rules_outside(r, lock(r, "kvm->lock"), lock(r, "kvm->slots_arch_lock"),
				     path, 4, &np));
	assert_int_equal(np, 2);
	assert_int_equal(path[0], 1);
	assert_int_equal(path[1], 2);
	/* requires also orders */
	assert_true(lo_rules_outside(r, lock(r, "kvm->mmu_lock"),
				     lock(r, "kvm->arch.tdp_mmu_pages_lock"), NULL, 0, NULL));
	assert_false(lo_rules_outside(r, lock(r, "vcpu->mutex"), lock(r, "kvm->lock"),
				      path, 4, &np));
	assert_int_equal(np, 0);
	lo_rules_free(r);
}

static void test_normalised_text_and_spaces(void **state)
{
	lo_rules *r = parse_ok("type k = struct kvm\n"
			       "mutex   k -> a . b ,k->c, d\n"
			       "  k->a.b  ,k->c   outside\td   # a comment\n"
			       "never d in f*,  g\n");
	const struct lo_lock *l;

	(void)state;
	l = lo_rules_lock(r, 0);
	assert_string_equal(l->name, "k->a.b");
	assert_int_equal(l->col, 9);
	assert_int_equal(lo_rules_rule(r, 0)->line, 3);
	assert_string_equal(lo_rules_rule(r, 0)->text, "k->a.b, k->c outside d");
	assert_string_equal(lo_rules_rule(r, 1)->text, "never d in f*, g");
	lo_rules_free(r);
}

static void test_continuation_lines(void **state)
{
	lo_rules *r = parse_ok("mutex a, \\\n"
			       "      b # a comment\n"
			       "a outside \\   # why it continues\n"
			       "   b\n"
			       "# a comment ending in a backslash does not continue \\\n"
			       "mutex c\n"
			       "\n"
			       "   \t\r\n"
			       "mutex d\\\n"
			       "e");
	(void)state;
	assert_int_equal(lo_rules_lock_count(r), 4);
	assert_int_equal(lo_rules_lock(r, 1)->line, 2);
	assert_int_equal(lo_rules_lock(r, 1)->col, 7);
	assert_int_equal(lo_rules_rule(r, 0)->line, 3);
	assert_string_equal(lo_rules_rule(r, 0)->text, "a outside b");
	assert_int_equal(lo_rules_lock(r, 2)->line, 6);
	/* backslash-newline is removed as in C: "d\" + "e" is "de" */
	assert_string_equal(lo_rules_lock(r, 3)->name, "de");
	lo_rules_free(r);

	/* an error on a continued line has that line's column */
	expect_errors("mutex x, \\\n   y z\n",
		      "t.lockorder:2:6: error: expected ',' or end of line\n");
	/* a '#' inside a string is not a comment */
	expect_errors("include \"a#b\" extra\n",
		      "t.lockorder:1:15: error: expected end of line\n");
}

static void test_every_error(void **state)
{
	(void)state;
	expect_errors(
		"type kvm = struct kvm\n"                    /* 1 */
		"mutex kvm->lock, kvm->lock\n"               /* 2 */
		"mutex foo->x\n"                             /* 3 */
		"mutx a\n"                                   /* 4 */
		"mutex b c\n"                                /* 5 */
		"function f(x, y) acquires x nested z\n"     /* 6 */
		"function g(x) acquires q\n"                 /* 7 */
		"function g() releases kvm->lock\n"          /* 8 */
		"type kvm = union k\n"                       /* 9 */
		"include \"x.lockorder\"\n"                  /* 10 */
		"kvm->lock outside nope\n"                   /* 11 */
		"type = struct\n"                            /* 12 */
		"\"str\"\n"                                  /* 13 */
		"mutex a$b\n"                                /* 14 */
		"mutex \"unterminated\n"                     /* 15 */
		"never b in\n"                               /* 16 */
		"c inside\n"                                 /* 17 */
		"type t = struct\n"                          /* 18 */
		"type t struct t\n"                          /* 19 */
		"type t = class t\n"                         /* 20 */
		"function h(a,) acquires a\n"                /* 21 */
		"function h(a b) acquires a\n"               /* 22 */
		"function h a\n"                             /* 23 */
		"function h(a) grabs a\n"                    /* 24 */
		"function h(a) acquires a if 1\n"            /* 25 */
		"function h(a) acquires a if returns 1\n"    /* 26 */
		"function h(a) acquires a, \n"               /* 27 */
		"function h(a, a)\n"                         /* 28 */
		"a b\n"                                      /* 29 */
		"kvm->lock kvm->lock\n"                      /* 30 */
		"kvm->\n"                                    /* 31 */
		"leaf\n"                                     /* 32 */
		"leaf * x\n"                                 /* 33 */
		"never b\n"                                  /* 34 */
		"include x\n"                                /* 35 */
		"mutex\n"                                    /* 36 */
		"function (a)\n"                             /* 37 */
		"kvm->lock outside kvm->lock extra\n"        /* 38 */
		"mutex \x01\n"                               /* 39 */
		"function k(a) acquires a nested\n"          /* 40 */
		"function m(a) tries a\n"                    /* 41 */
		"function n(a) acquires a under\n"           /* 42 */
		"function o(a, k) keys a k\n",               /* 43 */
		/* every problem, in the order of the file */
		"t.lockorder:2:18: error: redeclaration of lock 'kvm->lock'; first declared at t.lockorder:2\n"
		"t.lockorder:3:7: error: unknown type 'foo' in 'foo->x'; declare it with 'type foo = struct ...'\n"
		"t.lockorder:4:1: error: unknown statement 'mutx'\n"
		"t.lockorder:5:9: error: expected ',' or end of line\n"
		"t.lockorder:6:36: error: 'z' is not a parameter of 'f'\n"
		"t.lockorder:7:24: error: 'q' is neither a parameter of 'g' nor a declared lock\n"
		"t.lockorder:8:10: error: redeclaration of function 'g'; first declared at t.lockorder:7\n"
		"t.lockorder:9:6: error: redeclaration of type 'kvm'; first declared at t.lockorder:1\n"
		"t.lockorder:10:9: error: 'include' is not allowed in rules read from a string\n"
		"t.lockorder:11:19: error: undeclared lock 'nope'; declare it with its kind, e.g. 'mutex nope'\n"
		"t.lockorder:12:6: error: expected a type alias name after 'type'\n"
		"t.lockorder:13:1: error: expected a statement\n"
		"t.lockorder:14:8: error: invalid character '$'\n"
		"t.lockorder:15:7: error: missing terminating '\"' character\n"
		"t.lockorder:16:11: error: expected a function name or pattern\n"
		"t.lockorder:17:9: error: expected a lock name after 'inside'\n"
		"t.lockorder:18:16: error: expected a tag after 'struct'\n"
		"t.lockorder:19:8: error: expected '=' after 'type t'\n"
		"t.lockorder:20:10: error: expected 'struct' or 'union'\n"
		"t.lockorder:21:14: error: expected a parameter name\n"
		"t.lockorder:22:14: error: expected ',' or ')'\n"
		"t.lockorder:23:12: error: expected '(' after 'h'\n"
		"t.lockorder:24:15: error: expected 'acquires', 'tries', 'releases', 'waits', 'asserts' or 'keys'\n"
		"t.lockorder:25:29: error: expected 'returns' after 'if'\n"
		"t.lockorder:26:37: error: expected '0' or 'nonzero' after 'returns'\n"
		"t.lockorder:27:26: error: expected an effect after ','\n"
		"t.lockorder:28:15: error: duplicate parameter 'a'\n"
		"t.lockorder:29:1: error: unknown statement 'a'\n"
		"t.lockorder:30:11: error: expected 'outside', 'inside' or 'requires'\n"
		"t.lockorder:31:6: error: expected a field name after '->'\n"
		"t.lockorder:32:5: error: expected a lock name or '*' after 'leaf'\n"
		"t.lockorder:33:8: error: expected end of line after 'leaf *'\n"
		"t.lockorder:34:8: error: expected ',' or 'in'\n"
		"t.lockorder:35:9: error: expected a quoted file name after 'include'\n"
		"t.lockorder:36:6: error: expected a lock name\n"
		"t.lockorder:37:10: error: expected a function name after 'function'\n"
		"t.lockorder:38:29: error: expected ',' or end of line\n"
		"t.lockorder:39:7: error: invalid character '\\x01'\n"
		"t.lockorder:40:32: error: expected a parameter name after 'nested'\n"
		"t.lockorder:41:22: error: a lock that is tried is taken only on success: say 'if returns 0' or 'if returns nonzero'\n"
		"t.lockorder:42:31: error: expected a parameter name after 'under'\n"
		"t.lockorder:43:25: error: expected 'with KEY' after 'keys a'\n");
}

static void test_names_resolved_late(void **state)
{
	/* used before declared, in any order */
	lo_rules *r = parse_ok("a outside k->b\n"
			       "function f() acquires a\n"
			       "mutex a, k->b\n"
			       "type k = struct kk\n");
	(void)state;
	assert_string_equal(lo_rules_lock(r, 1)->root_tag, "kk");
	assert_int_equal(lo_rules_find_function(r, "f")->effects[0].lock, 0);
	assert_true(lo_rules_outside(r, 0, 1, NULL, 0, NULL));
	lo_rules_free(r);

	/* a parameter wins over a lock of the same name */
	r = parse_ok("mutex l\nfunction f(l) acquires l\n");
	assert_int_equal(lo_rules_function(r, 0)->effects[0].param, 0);
	assert_int_equal(lo_rules_function(r, 0)->effects[0].lock, -1);
	lo_rules_free(r);

	/* "shared" is the lock when nothing follows it */
	r = parse_ok("function f(shared) acquires shared\n");
	assert_int_equal(lo_rules_function(r, 0)->effects[0].param, 0);
	assert_false(lo_rules_function(r, 0)->effects[0].shared);
	lo_rules_free(r);

	expect_errors("mutex a\nleaf a, b, c\n",
		      "t.lockorder:2:9: error: undeclared lock 'b'; declare it with its kind, e.g. 'mutex b'\n"
		      "t.lockorder:2:12: error: undeclared lock 'c'; declare it with its kind, e.g. 'mutex c'\n");
	expect_errors("mutex a\nnever a, x in f\n",
		      "t.lockorder:2:10: error: undeclared lock 'x'; declare it with its kind, e.g. 'mutex x'\n");
	expect_errors("mutex a\nfunction f(p) waits q->r\n",
		      "t.lockorder:2:21: error: 'q->r' is neither a parameter of 'f' nor a declared lock\n");
}

static void test_parse_edge_inputs(void **state)
{
	struct lo_errors errs = { 0 };
	lo_rules *r;
	const char nul[] = "mutex a\0b\n";

	(void)state;
	r = lo_rules_parse_string("", 0, "e.lockorder", 0, &errs);
	assert_non_null(r);
	assert_int_equal(lo_rules_lock_count(r), 0);
	assert_int_equal(lo_rules_rule_count(r), 0);
	lo_rules_free(r);
	r = lo_rules_parse_string(NULL, 0, NULL, 0, &errs);
	assert_non_null(r);
	lo_rules_free(r);
	/* not NUL-terminated: only LEN bytes count */
	r = lo_rules_parse_string("mutex abc", 7, "e.lockorder", 0, &errs);
	assert_non_null(r);
	assert_string_equal(lo_rules_lock(r, 0)->name, "a");
	lo_rules_free(r);
	r = lo_rules_parse_string(nul, sizeof(nul) - 1, "e.lockorder", 0, &errs);
	assert_null(r);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.v[0].msg, "invalid character '\\x00'");
	assert_int_equal(errs.v[0].col, 8);
	lo_errors_free(&errs);
	lo_rules_free(NULL);
	assert_int_equal(lo_rules_lock_count(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_parse_everything),
		cmocka_unit_test(test_outside_in_kvm_rules),
		cmocka_unit_test(test_normalised_text_and_spaces),
		cmocka_unit_test(test_continuation_lines),
		cmocka_unit_test(test_every_error),
		cmocka_unit_test(test_names_resolved_late),
		cmocka_unit_test(test_parse_edge_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
