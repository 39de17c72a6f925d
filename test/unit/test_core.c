/*
 * test_core.c - unit tests of the C core: kinds, the rules language and
 * its errors, the order and its closure, the checks, the messages and the
 * observed-order graph.
 *
 * What it does NOT test: the `lockorder` command's output (lit tests in
 * test/tools) or anything about C code (the plugin's lit tests).  Each
 * test states its input and the exact output it wants.
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

/* ---- helpers ---------------------------------------------------------- */

static lo_rules *parse(const char *text, struct lo_errors *errs)
{
	return lo_rules_parse_string(text, strlen(text), "t.lockorder", 0, errs);
}

/* The errors as lo_errors_print writes them; the caller frees. */
static char *errors_text(const struct lo_errors *errs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	lo_errors_print(errs, f);
	fclose(f);
	return buf;
}

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

/* Parses TEXT, which must fail, and compares every error line with
 * WANT exactly. */
static void expect_errors(const char *text, const char *want)
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

static lo_rules *parse_ok(const char *text)
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

static int lock(const lo_rules *r, const char *name)
{
	int i = lo_rules_find_lock(r, name);

	if (i < 0)
		fprintf(stderr, "no lock '%s'\n", name);
	assert_true(i >= 0);
	return i;
}

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

/* ---- kinds ------------------------------------------------------------ */

static void test_kinds(void **state)
{
	(void)state;
	assert_string_equal(lo_kind_name(LO_KIND_NONE), "lock");
	assert_string_equal(lo_kind_name(LO_MUTEX), "mutex");
	assert_string_equal(lo_kind_name(LO_PERCPU_RWSEM), "percpu_rwsem");
	assert_string_equal(lo_kind_name(LO_RCU), "rcu");
	assert_string_equal(lo_kind_name((enum lo_kind)99), "lock");

	assert_int_equal(lo_kind_from_name("mutex"), LO_MUTEX);
	assert_int_equal(lo_kind_from_name("rwsem"), LO_RWSEM);
	assert_int_equal(lo_kind_from_name("percpu_rwsem"), LO_PERCPU_RWSEM);
	assert_int_equal(lo_kind_from_name("semaphore"), LO_SEMAPHORE);
	assert_int_equal(lo_kind_from_name("spinlock"), LO_SPINLOCK);
	assert_int_equal(lo_kind_from_name("raw_spinlock"), LO_RAW_SPINLOCK);
	assert_int_equal(lo_kind_from_name("rwlock"), LO_RWLOCK);
	assert_int_equal(lo_kind_from_name("srcu"), LO_SRCU);
	assert_int_equal(lo_kind_from_name("rcu"), LO_RCU);
	assert_int_equal(lo_kind_from_name("lock"), LO_KIND_NONE);
	assert_int_equal(lo_kind_from_name("mutexx"), LO_KIND_NONE);
	assert_int_equal(lo_kind_from_name(NULL), LO_KIND_NONE);

	assert_true(lo_kind_sleeps(LO_MUTEX));
	assert_true(lo_kind_sleeps(LO_RWSEM));
	assert_true(lo_kind_sleeps(LO_PERCPU_RWSEM));
	assert_true(lo_kind_sleeps(LO_SEMAPHORE));
	assert_false(lo_kind_sleeps(LO_SPINLOCK));
	assert_false(lo_kind_sleeps(LO_SRCU));
	assert_false(lo_kind_sleeps(LO_RCU));

	assert_true(lo_kind_atomic(LO_SPINLOCK));
	assert_true(lo_kind_atomic(LO_RAW_SPINLOCK));
	assert_true(lo_kind_atomic(LO_RWLOCK));
	assert_true(lo_kind_atomic(LO_RCU));
	assert_false(lo_kind_atomic(LO_SRCU));
	assert_false(lo_kind_atomic(LO_MUTEX));

	assert_true(lo_kind_recursive_read(LO_SRCU));
	assert_true(lo_kind_recursive_read(LO_RCU));
	assert_true(lo_kind_recursive_read(LO_RWLOCK));
	assert_false(lo_kind_recursive_read(LO_RWSEM));
	assert_false(lo_kind_recursive_read(LO_SPINLOCK));

	assert_int_equal(lo_kind_from_type("mutex"), LO_MUTEX);
	assert_int_equal(lo_kind_from_type("struct mutex"), LO_MUTEX);
	assert_int_equal(lo_kind_from_type("spinlock"), LO_SPINLOCK);
	assert_int_equal(lo_kind_from_type("spinlock_t"), LO_SPINLOCK);
	assert_int_equal(lo_kind_from_type("struct spinlock"), LO_SPINLOCK);
	assert_int_equal(lo_kind_from_type("raw_spinlock"), LO_RAW_SPINLOCK);
	assert_int_equal(lo_kind_from_type("raw_spinlock_t"), LO_RAW_SPINLOCK);
	assert_int_equal(lo_kind_from_type("rwlock_t"), LO_RWLOCK);
	assert_int_equal(lo_kind_from_type("struct rw_semaphore"), LO_RWSEM);
	assert_int_equal(lo_kind_from_type("percpu_rw_semaphore"), LO_PERCPU_RWSEM);
	assert_int_equal(lo_kind_from_type("struct semaphore"), LO_SEMAPHORE);
	assert_int_equal(lo_kind_from_type("struct srcu_struct"), LO_SRCU);
	assert_int_equal(lo_kind_from_type("struct kvm"), LO_KIND_NONE);
	assert_int_equal(lo_kind_from_type("structmutex"), LO_KIND_NONE);
	assert_int_equal(lo_kind_from_type(NULL), LO_KIND_NONE);
}

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

/* ---- the language ----------------------------------------------------- */

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
	"function mutex_trylock(lock)            acquires lock if returns nonzero\n"
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
	f = lo_rules_find_function(r, "mutex_trylock");
	assert_int_equal(f->effects[0].cond, LO_IF_RETURNS_NONZERO);
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
		"function k(a) acquires a nested\n",         /* 40 */
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
		"t.lockorder:24:15: error: expected 'acquires', 'releases', 'waits' or 'asserts'\n"
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
		"t.lockorder:40:32: error: expected a parameter name after 'nested'\n");
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

/* ---- includes --------------------------------------------------------- */

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

/* ---- errors ----------------------------------------------------------- */

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

/* ---- checks ----------------------------------------------------------- */

static const char check_rules[] =
	"type kvm = struct kvm\n"
	"type vcpu = struct kvm_vcpu\n"
	"mutex kvm->lock, vcpu->mutex, kvm->slots_lock, kvm->slots_arch_lock\n"
	"srcu kvm->srcu\n"
	"spinlock kvm->xen_lock, kvm->mmu_lock\n"
	"rcu rcu\n"
	"rwlock kvm->rw\n"
	"kvm->lock outside vcpu->mutex\n"                              /* 0 */
	"kvm->lock, vcpu->mutex, kvm->slots_lock outside kvm->srcu\n"  /* 1 */
	"kvm->slots_arch_lock inside kvm->srcu\n"                      /* 2 */
	"leaf kvm->xen_lock\n"                                         /* 3 */
	"kvm->xen_lock requires kvm->mmu_lock\n"                       /* 4 */
	"never kvm->slots_lock in kvm_mmu_notifier_*, other\n"         /* 5 */
	"never kvm->slots_lock, kvm->lock in kvm_mmu_notifier_change_pte\n"; /* 6 */

struct ctx {
	lo_rules *r;
	int lock, vcpu, slots, arch, srcu, xen, mmu, rcu, rw;
};

static struct ctx cx;

static int check_setup(void **state)
{
	(void)state;
	cx.r = parse_ok(check_rules);
	cx.lock = lock(cx.r, "kvm->lock");
	cx.vcpu = lock(cx.r, "vcpu->mutex");
	cx.slots = lock(cx.r, "kvm->slots_lock");
	cx.arch = lock(cx.r, "kvm->slots_arch_lock");
	cx.srcu = lock(cx.r, "kvm->srcu");
	cx.xen = lock(cx.r, "kvm->xen_lock");
	cx.mmu = lock(cx.r, "kvm->mmu_lock");
	cx.rcu = lock(cx.r, "rcu");
	cx.rw = lock(cx.r, "kvm->rw");
	return 0;
}

static int check_teardown(void **state)
{
	(void)state;
	lo_rules_free(cx.r);
	return 0;
}

/* A held entry for declared lock D (class = D + 100). */
static struct lo_held H(int d, int shared)
{
	struct lo_held h = { d + 100, d, lo_rules_lock(cx.r, (size_t)d)->kind,
			     shared, 0 };
	return h;
}

static struct lo_acq A(int d, enum lo_effect_op op, int shared)
{
	struct lo_acq a = { d + 100, d, lo_rules_lock(cx.r, (size_t)d)->kind,
			    shared, 0, op, 0, "f" };
	return a;
}

static size_t check(const struct lo_held *h, size_t nh, const struct lo_acq *a,
		    struct lo_violation *v)
{
	return lo_check_acquire(cx.r, h, nh, a, v, 8);
}

static void test_check_order(void **state)
{
	struct lo_violation v[8];
	struct lo_held h[2];
	struct lo_acq a;

	(void)state;
	h[0] = H(cx.vcpu, 0);
	a = A(cx.lock, LO_ACQUIRE, 0);
	assert_int_equal(check(h, 1, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_ORDER);
	assert_int_equal(v[0].held, 0);
	assert_int_equal(v[0].rule, 0);
	assert_int_equal(v[0].other, -1);

	/* the right way round is fine */
	h[0] = H(cx.lock, 0);
	a = A(cx.vcpu, LO_ACQUIRE, 0);
	assert_int_equal(check(h, 1, &a, v), 0);

	/* transitive: rule is the first on the path */
	h[0] = H(cx.arch, 0);
	a = A(cx.lock, LO_ACQUIRE, 0);
	assert_int_equal(check(h, 1, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_ORDER);
	assert_int_equal(v[0].rule, 1);

	/* undeclared locks are not ordered */
	h[0] = H(cx.vcpu, 0);
	h[0].decl = -1;
	a = A(cx.lock, LO_ACQUIRE, 0);
	assert_int_equal(check(h, 1, &a, v), 0);

	/* the second held lock is the one that breaks it */
	h[0] = H(cx.lock, 0);
	h[1] = H(cx.vcpu, 0);
	a = A(cx.lock, LO_ACQUIRE, 0);
	a.cls = 999; /* another kvm's lock: not recursive */
	assert_int_equal(check(h, 2, &a, v), 1);
	assert_int_equal(v[0].held, 1);

	/* a trylock never breaks an order */
	h[0] = H(cx.vcpu, 0);
	a = A(cx.lock, LO_ACQUIRE, 0);
	a.trylock = 1;
	assert_int_equal(check(h, 1, &a, v), 0);

	/* MAX caps what is written, not what is counted */
	h[0] = H(cx.vcpu, 0);
	a = A(cx.lock, LO_ACQUIRE, 0);
	assert_int_equal(lo_check_acquire(cx.r, h, 1, &a, NULL, 0), 1);
	/* releases are not checked; no rules means only rule-free checks */
	a.op = LO_RELEASE;
	assert_int_equal(check(h, 1, &a, v), 0);
	a.op = LO_ACQUIRE;
	assert_int_equal(lo_check_acquire(NULL, h, 1, &a, v, 8), 0);
}

static void test_check_srcu(void **state)
{
	struct lo_violation v[8];
	struct lo_held h[2];
	struct lo_acq a;

	(void)state;
	/* taking kvm->lock inside a kvm->srcu read-side section */
	h[0] = H(cx.srcu, 1);
	a = A(cx.lock, LO_ACQUIRE, 0);
	assert_int_equal(check(h, 1, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_SRCU_READER);
	assert_int_equal(v[0].rule, 1);

	/* synchronize_srcu while holding a lock taken inside readers */
	h[0] = H(cx.arch, 0);
	a = A(cx.srcu, LO_WAIT, 0);
	assert_int_equal(check(h, 1, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_SRCU_SYNC);
	assert_int_equal(v[0].rule, 2);

	/* ...and while holding kvm->lock is fine */
	h[0] = H(cx.lock, 0);
	assert_int_equal(check(h, 1, &a, v), 0);

	/* synchronize_srcu inside its own read side */
	h[0] = H(cx.srcu, 1);
	assert_int_equal(check(h, 1, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_SRCU_SELF);
	assert_int_equal(v[0].held, 0);
	/* same declared lock, another class number */
	h[0].cls = 5;
	assert_int_equal(check(h, 1, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_SRCU_SELF);
	/* undeclared, same class */
	h[0] = H(cx.srcu, 1);
	h[0].decl = -1;
	a.decl = -1;
	assert_int_equal(check(h, 1, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_SRCU_SELF);

	/* a shared srcu acquisition never blocks: no order violation
	 * (kvm->srcu outside kvm->slots_arch_lock) */
	h[0] = H(cx.arch, 0);
	a = A(cx.srcu, LO_ACQUIRE, 1);
	assert_int_equal(check(h, 1, &a, v), 0);
	/* taken exclusively it would */
	a.shared = 0;
	assert_int_equal(check(h, 1, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_ORDER);

	/* nested srcu readers are not recursive locking */
	h[0] = H(cx.srcu, 1);
	a = A(cx.srcu, LO_ACQUIRE, 1);
	assert_int_equal(check(h, 1, &a, v), 0);
}

static void test_check_leaf_requires_never(void **state)
{
	struct lo_violation v[8];
	struct lo_held h[2];
	struct lo_acq a;

	(void)state;
	/* anything declared inside a leaf; a mutex also sleeps in a spinlock */
	h[0] = H(cx.xen, 0);
	a = A(cx.arch, LO_ACQUIRE, 0);
	assert_int_equal(check(h, 1, &a, v), 2);
	assert_int_equal(v[0].kind, LO_V_LEAF);
	assert_int_equal(v[0].rule, 3);
	assert_int_equal(v[0].held, 0);
	assert_int_equal(v[1].kind, LO_V_ATOMIC);
	assert_int_equal(v[1].held, 0);

	/* waiting inside a leaf */
	a = A(cx.srcu, LO_WAIT, 0);
	assert_int_equal(check(h, 1, &a, v), 2);
	assert_int_equal(v[0].kind, LO_V_LEAF);
	assert_int_equal(v[1].kind, LO_V_ATOMIC);

	/* an undeclared lock inside a leaf is not the rules' business */
	a = A(cx.mmu, LO_ACQUIRE, 0);
	a.decl = -1;
	assert_int_equal(check(h, 1, &a, v), 0);

	/* requires */
	a = A(cx.xen, LO_ACQUIRE, 0);
	assert_int_equal(check(NULL, 0, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_REQUIRES);
	assert_int_equal(v[0].held, -1);
	assert_int_equal(v[0].rule, 4);
	assert_int_equal(v[0].other, cx.mmu);
	h[0] = H(cx.mmu, 0);
	assert_int_equal(check(h, 1, &a, v), 0);
	/* a trylock still requires */
	a.trylock = 1;
	assert_int_equal(check(NULL, 0, &a, v), 1);

	/* never, once per rule that matches */
	a = A(cx.slots, LO_ACQUIRE, 0);
	a.function = "kvm_mmu_notifier_invalidate_range_start";
	assert_int_equal(check(NULL, 0, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_NEVER);
	assert_int_equal(v[0].rule, 5);
	assert_int_equal(v[0].held, -1);
	a.function = "kvm_mmu_notifier_change_pte";
	assert_int_equal(check(NULL, 0, &a, v), 2);
	assert_int_equal(v[0].rule, 5);
	assert_int_equal(v[1].rule, 6);
	a.function = "other";
	assert_int_equal(check(NULL, 0, &a, v), 1);
	a.function = "kvm_vm_ioctl";
	assert_int_equal(check(NULL, 0, &a, v), 0);
	a.function = NULL;
	assert_int_equal(check(NULL, 0, &a, v), 0);
	a = A(cx.lock, LO_ACQUIRE, 0);
	a.function = "kvm_mmu_notifier_release";
	assert_int_equal(check(NULL, 0, &a, v), 0);
}

static void test_check_atomic_recursive(void **state)
{
	struct lo_violation v[8];
	struct lo_held h[3];
	struct lo_acq a;

	(void)state;
	/* one report per acquisition, at the first atomic lock */
	h[0] = H(cx.lock, 0);
	h[1] = H(cx.mmu, 0);
	h[2] = H(cx.rcu, 1);
	a = A(cx.slots, LO_ACQUIRE, 0);
	assert_int_equal(check(h, 3, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_ATOMIC);
	assert_int_equal(v[0].held, 1);

	/* undeclared locks: kinds still count */
	{
		struct lo_held u = { 1, -1, LO_RAW_SPINLOCK, 0, 0 };
		struct lo_acq q = { 2, -1, LO_SEMAPHORE, 0, 0, LO_ACQUIRE, 0, "f" };

		assert_int_equal(check(&u, 1, &q, v), 1);
		assert_int_equal(v[0].kind, LO_V_ATOMIC);
		q.kind = LO_SPINLOCK;
		assert_int_equal(check(&u, 1, &q, v), 0);
		/* a trylock of a mutex does not sleep */
		q.kind = LO_MUTEX;
		q.trylock = 1;
		assert_int_equal(check(&u, 1, &q, v), 0);
	}

	/* waiting inside an rcu read section */
	h[0] = H(cx.rcu, 1);
	a = A(cx.srcu, LO_WAIT, 0);
	assert_int_equal(check(h, 1, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_ATOMIC);
	/* srcu readers may sleep */
	h[0] = H(cx.srcu, 1);
	a = A(cx.slots, LO_ACQUIRE, 0);
	a.decl = -1;
	assert_int_equal(check(h, 1, &a, v), 0);

	/* recursive locking */
	h[0] = H(cx.lock, 0);
	a = A(cx.lock, LO_ACQUIRE, 0);
	assert_int_equal(check(h, 1, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_RECURSIVE);
	assert_int_equal(v[0].held, 0);
	/* a distinct subclass is not */
	a.subclass = 1;
	assert_int_equal(check(h, 1, &a, v), 0);
	/* a trylock is not */
	a.subclass = 0;
	a.trylock = 1;
	assert_int_equal(check(h, 1, &a, v), 0);
	/* rwlock readers nest; a writer inside a reader does not */
	h[0] = H(cx.rw, 1);
	a = A(cx.rw, LO_ACQUIRE, 1);
	assert_int_equal(check(h, 1, &a, v), 0);
	a.shared = 0;
	assert_int_equal(check(h, 1, &a, v), 1);
	assert_int_equal(v[0].kind, LO_V_RECURSIVE);
	/* rwsem readers do not nest */
	{
		struct lo_held s = { 9, -1, LO_RWSEM, 1, 0 };
		struct lo_acq q = { 9, -1, LO_RWSEM, 1, 0, LO_ACQUIRE, 0, "f" };

		assert_int_equal(check(&s, 1, &q, v), 1);
		assert_int_equal(v[0].kind, LO_V_RECURSIVE);
	}
}

static void expect_message(const struct lo_violation *v, const struct lo_acq *a,
			   const struct lo_held *h, const char *want)
{
	char *got = lo_violation_message(cx.r, v, a, "A", h, h ? "H" : NULL);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_messages(void **state)
{
	struct lo_violation v = { LO_V_ORDER, 0, 0, -1 };
	struct lo_held h = H(cx.mmu, 0);
	struct lo_acq a = A(cx.slots, LO_ACQUIRE, 0);
	char *got;

	(void)state;
	expect_message(&v, &a, &h, "'A' acquired while holding 'H'; rules put 'A' outside 'H'");
	v.kind = LO_V_SRCU_READER;
	expect_message(&v, &a, &h, "'A' acquired inside a 'H' read-side critical section; rules put 'A' outside 'H'");
	v.kind = LO_V_SRCU_SYNC;
	expect_message(&v, &a, &h, "waiting for 'A' readers while holding 'H'; rules put 'H' inside 'A'");
	v.kind = LO_V_SRCU_SELF;
	expect_message(&v, &a, &h, "waiting for 'A' readers inside its own read-side critical section");
	v.kind = LO_V_LEAF;
	expect_message(&v, &a, &h, "'A' acquired while holding 'H'; rules make 'H' a leaf lock");
	v.kind = LO_V_ATOMIC;
	expect_message(&v, &a, &h, "sleeping lock 'A' acquired while holding spinlock 'H'");
	v.kind = LO_V_RECURSIVE;
	expect_message(&v, &a, &h, "'A' acquired while already holding 'A'; possible recursive locking");
	v.kind = LO_V_INVERSION;
	expect_message(&v, &a, &h, "'A' acquired while holding 'H', and elsewhere 'H' while holding 'A'; no rule orders them: possible circular locking dependency");

	a.op = LO_WAIT;
	v.kind = LO_V_LEAF;
	expect_message(&v, &a, &h, "waiting for 'A' readers while holding 'H'; rules make 'H' a leaf lock");
	v.kind = LO_V_ATOMIC;
	h = H(cx.rcu, 1);
	expect_message(&v, &a, &h, "waiting for 'A' readers sleeps while holding rcu 'H'");

	a = A(cx.xen, LO_ACQUIRE, 0);
	v.kind = LO_V_REQUIRES;
	v.held = -1;
	v.rule = 4;
	v.other = cx.mmu;
	expect_message(&v, &a, NULL, "'A' acquired without holding 'kvm->mmu_lock'; rules say 'A' requires 'kvm->mmu_lock'");

	a = A(cx.slots, LO_ACQUIRE, 0);
	a.function = "kvm_mmu_notifier_change_pte";
	v.kind = LO_V_NEVER;
	v.rule = 5;
	v.other = -1;
	expect_message(&v, &a, NULL, "'A' acquired in 'kvm_mmu_notifier_change_pte'; rules say 'A' is never taken in 'kvm_mmu_notifier_*'");
	v.rule = 6;
	expect_message(&v, &a, NULL, "'A' acquired in 'kvm_mmu_notifier_change_pte'; rules say 'A' is never taken in 'kvm_mmu_notifier_change_pte'");
	a.function = "other";
	v.rule = 5;
	expect_message(&v, &a, NULL, "'A' acquired in 'other'; rules say 'A' is never taken in 'other'");

	/* real names, from a real check */
	{
		struct lo_violation out[4];
		struct lo_held hv = H(cx.vcpu, 0);
		struct lo_acq al = A(cx.lock, LO_ACQUIRE, 0);

		assert_int_equal(lo_check_acquire(cx.r, &hv, 1, &al, out, 4), 1);
		got = lo_violation_message(cx.r, &out[0], &al, "kvm->lock", &hv,
					   "vcpu->mutex");
		assert_string_equal(got, "'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'");
		free(got);
	}
	/* a name containing '%' is copied, not interpreted */
	v.kind = LO_V_ORDER;
	got = lo_violation_message(cx.r, &v, &a, "%H", &h, "x");
	assert_string_equal(got, "'%H' acquired while holding 'x'; rules put '%H' outside 'x'");
	free(got);
	assert_null(lo_violation_message(cx.r, NULL, &a, "a", &h, "b"));
}

/* ---- graph ------------------------------------------------------------ */

static void test_graph(void **state)
{
	lo_graph *g = lo_graph_new();
	struct lo_inversion *inv;
	size_t n;

	(void)state;
	assert_non_null(g);
	n = lo_graph_inversions(g, NULL, &inv);
	assert_int_equal(n, 0);
	assert_null(inv);

	lo_graph_add(g, 1, -1, 2, -1, 10);
	lo_graph_add(g, 2, -1, 1, -1, 5);
	lo_graph_add(g, 1, -1, 2, -1, 99); /* the first site stays */
	lo_graph_add(g, 3, -1, 4, -1, 1);
	lo_graph_add(g, 4, -1, 3, -1, 20);
	lo_graph_add(g, 5, -1, 6, -1, 2);  /* one way only */
	lo_graph_add(g, 7, -1, 7, -1, 3);  /* not a pair */
	lo_graph_add(g, 100000000, -1, -5, -1, 7);
	lo_graph_add(g, -5, -1, 100000000, -1, 8);
	n = lo_graph_inversions(g, NULL, &inv);
	assert_int_equal(n, 3);
	assert_int_equal(inv[0].a, 100000000);
	assert_int_equal(inv[0].b, -5);
	assert_int_equal(inv[0].site_ab, 7);
	assert_int_equal(inv[0].site_ba, 8);
	assert_int_equal(inv[1].a, 2);
	assert_int_equal(inv[1].b, 1);
	assert_int_equal(inv[1].site_ab, 5);
	assert_int_equal(inv[1].site_ba, 10);
	assert_int_equal(inv[2].a, 3);
	assert_int_equal(inv[2].b, 4);
	assert_int_equal(inv[2].site_ab, 1);
	assert_int_equal(inv[2].site_ba, 20);
	free(inv);
	lo_graph_free(g);
	lo_graph_free(NULL);
}

static void test_graph_rules(void **state)
{
	lo_rules *r = parse_ok("mutex a, b, c, d\na outside b\nb outside d\n");
	lo_graph *g = lo_graph_new();
	struct lo_inversion *inv;
	size_t n, i;

	(void)state;
	/* classes 10, 11, 12, 13 are locks a, b, c, d */
	lo_graph_add(g, 10, 0, 11, 1, 1);
	lo_graph_add(g, 11, 1, 10, 0, 2);   /* ordered by the rules: skipped */
	lo_graph_add(g, 13, 3, 10, 0, 3);
	lo_graph_add(g, 10, 0, 13, 3, 4);   /* ordered through b: skipped */
	lo_graph_add(g, 10, 0, 12, 2, 5);
	lo_graph_add(g, 12, 2, 10, 0, 6);   /* c is not ordered: reported */
	lo_graph_add(g, 20, -1, 11, 1, 7);
	lo_graph_add(g, 11, 1, 20, -1, 8);  /* undeclared: reported */
	n = lo_graph_inversions(g, r, &inv);
	assert_int_equal(n, 2);
	assert_int_equal(inv[0].a, 10);
	assert_int_equal(inv[0].b, 12);
	assert_int_equal(inv[1].a, 20);
	assert_int_equal(inv[1].b, 11);
	free(inv);
	/* without rules every pair counts */
	n = lo_graph_inversions(g, NULL, &inv);
	assert_int_equal(n, 4);
	free(inv);
	lo_graph_free(g);

	/* many edges: the table grows */
	g = lo_graph_new();
	for (i = 0; i < 3000; i++) {
		lo_graph_add(g, (int)i * 7919, -1, (int)i * 7919 + 1, -1, (int)i);
		lo_graph_add(g, (int)i * 7919 + 1, -1, (int)i * 7919, -1, 5000 - (int)i);
	}
	n = lo_graph_inversions(g, NULL, &inv);
	assert_int_equal(n, 3000);
	for (i = 1; i < n; i++)
		assert_true(inv[i - 1].site_ba <= inv[i].site_ba);
	assert_int_equal(inv[0].site_ba, 2500);
	free(inv);
	lo_graph_free(g);
	lo_rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_parse_everything),
		cmocka_unit_test(test_outside_in_kvm_rules),
		cmocka_unit_test(test_normalised_text_and_spaces),
		cmocka_unit_test(test_continuation_lines),
		cmocka_unit_test(test_every_error),
		cmocka_unit_test(test_names_resolved_late),
		cmocka_unit_test(test_closure_and_paths),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_leaf),
		cmocka_unit_test(test_errors_print),
		cmocka_unit_test(test_parse_edge_inputs),
		cmocka_unit_test_setup_teardown(test_include, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_include_errors, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_check_order, check_setup, check_teardown),
		cmocka_unit_test_setup_teardown(test_check_srcu, check_setup, check_teardown),
		cmocka_unit_test_setup_teardown(test_check_leaf_requires_never, check_setup, check_teardown),
		cmocka_unit_test_setup_teardown(test_check_atomic_recursive, check_setup, check_teardown),
		cmocka_unit_test_setup_teardown(test_messages, check_setup, check_teardown),
		cmocka_unit_test(test_graph),
		cmocka_unit_test(test_graph_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
