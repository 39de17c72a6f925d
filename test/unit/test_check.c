/*
 * test_check.c - unit tests of the checks of one acquisition against the
 * locks held (order, srcu, leaf, requires, never, atomic, recursive) and
 * of the warning text each violation is put in.
 *
 * What it does NOT test: the plugin that calls the checks (its lit
 * tests) or the merge's findings (test_merge.c).
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

/* ---- messages --------------------------------------------------------- */

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
	expect_message(&v, &a, NULL, "'A' acquired from 'kvm_mmu_notifier_change_pte'; rules say 'A' is never taken in 'kvm_mmu_notifier_*'");
	v.rule = 6;
	expect_message(&v, &a, NULL, "'A' acquired from 'kvm_mmu_notifier_change_pte'; rules say 'A' is never taken in 'kvm_mmu_notifier_change_pte'");
	a.function = "other";
	v.rule = 5;
	expect_message(&v, &a, NULL, "'A' acquired from 'other'; rules say 'A' is never taken in 'other'");

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_check_order, check_setup, check_teardown),
		cmocka_unit_test_setup_teardown(test_check_srcu, check_setup, check_teardown),
		cmocka_unit_test_setup_teardown(test_check_leaf_requires_never, check_setup, check_teardown),
		cmocka_unit_test_setup_teardown(test_check_atomic_recursive, check_setup, check_teardown),
		cmocka_unit_test_setup_teardown(test_messages, check_setup, check_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
