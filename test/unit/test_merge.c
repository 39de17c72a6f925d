/*
 * test_merge.c - unit tests of the whole-program merge on hand-built
 * summaries: linking, indirect calls, parameter substitution, the
 * fixpoint, the shortest witness, cross_file, one finding per deadlock
 * and cycles.
 *
 * What it does NOT test: summaries on disk (test_summary.c), the report
 * formats and finding keys (test_report.c) or the command line
 * (test/tools/merge-*.test).
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
#include "helpers_summary.h"

/* Runs a merge of the summaries S[0..N) and compares the text report. */
static void expect(lo_summary **s, size_t n, int flags, const char *want)
{
	lo_rules *r = rules();
	lo_merge *m = lo_merge_new(r);
	size_t i;
	char *got;

	for (i = 0; i < n; i++)
		lo_merge_add(m, s[i]);
	lo_merge_run(m, flags);
	got = report(m, LO_FORMAT_TEXT);
	assert_string_equal(got, want);
	free(got);
	lo_merge_free(m);
	lo_rules_free(r);
}

/* ---- the merge --------------------------------------------------------- */

/* f holds vcpu->mutex and calls g, which takes kvm->lock in another file:
 * the finding is at g's acquisition, its path from f's lock down. */
static void test_direct_call_across_files(void **state)
{
	lo_summary *s[2];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new("a.c", "/src", NULL);
	s[1] = lo_summary_new("b.c", "/src", NULL);
	fn(s[0], "f", 0);
	h = held(s[0], VCPU_MUTEX, 3);
	acq(s[0], "f", 0, VCPU_MUTEX, 3, NULL);
	call(s[0], "f", 0, "g", NULL, 4, &h, NULL);
	fn(s[1], "g", 0);
	acq(s[1], "g", 0, KVM_LOCK, 10, NULL);
	expect(s, 2, 0,
	       "b.c:10:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "a.c:3:2: note: 'vcpu->mutex' acquired here in 'f'\n"
	       "a.c:4:2: note: 'f' calls 'g' here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* Within one translation unit: only with LO_MERGE_ALL.  f's own
 * acquisition (a.c:5) and g's (a.c:10) are two bugs, each reported at its
 * acquisition, in the report's order. */
static void test_one_file_needs_all(void **state)
{
	lo_summary *s[1];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new("a.c", "/src", NULL);
	h = held(s[0], VCPU_MUTEX, 3);
	call(s[0], "f", 0, "g", NULL, 4, &h, NULL);
	acq(s[0], "g", 1, KVM_LOCK, 10, NULL);
	acq(s[0], "f", 0, KVM_LOCK, 5, &h);
	expect(s, 1, 0, "");

	s[0] = lo_summary_new("a.c", "/src", NULL);
	h = held(s[0], VCPU_MUTEX, 3);
	call(s[0], "f", 0, "g", NULL, 4, &h, NULL);
	acq(s[0], "g", 1, KVM_LOCK, 10, NULL);
	acq(s[0], "f", 0, KVM_LOCK, 5, &h);
	expect(s, 1, LO_MERGE_ALL,
	       "a.c:5:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "a.c:3:2: note: 'vcpu->mutex' acquired here in 'f'\n"
	       "t.lockorder:7:1: note: rule stated here\n"
	       "a.c:10:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "a.c:3:2: note: 'vcpu->mutex' acquired here in 'f'\n"
	       "a.c:4:2: note: 'f' calls 'g' here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* A static g of the caller's file wins over an external g elsewhere; a
 * third file's call to g reaches the external one: one finding, at the
 * external g's acquisition, with k's path (not f's). */
static void test_static_names(void **state)
{
	lo_summary *s[3];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	s[2] = lo_summary_new("c.c", NULL, NULL);
	fn(s[0], "g", 1);
	h = held(s[0], VCPU_MUTEX, 3);
	call(s[0], "f", 0, "g", NULL, 4, &h, NULL);
	fn(s[1], "g", 0);
	acq(s[1], "g", 0, KVM_LOCK, 10, NULL);
	h = held(s[2], VCPU_MUTEX, 3);
	call(s[2], "k", 0, "g", NULL, 4, &h, NULL);
	expect(s, 3, 0,
	       "b.c:10:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "c.c:3:2: note: 'vcpu->mutex' acquired here in 'k'\n"
	       "c.c:4:2: note: 'k' calls 'g' here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* ops->run(...) reaches every function stored into ops.run; a call to a
 * static-call trampoline reaches its alias's slot.  Both calls reach the
 * one acquisition in vmx_run: one finding there, with the first call's
 * path in full and the trampoline's call as "also reached from". */
static void test_store_target_alias(void **state)
{
	lo_summary *s[2];
	struct lo_sheld h;
	struct lo_sstore st = { "ops.run", "vmx_run", 1, at("b.c", 30) };
	struct lo_salias al = { "__SCT__run", "ops.run" };

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	h = held(s[0], SRCU, 3);
	h.shared = 1;
	call(s[0], "f", 0, NULL, "ops.run", 4, &h, NULL);
	call(s[0], "f", 0, "__SCT__run", NULL, 5, &h, NULL);
	lo_summary_add_alias(s[0], &al);
	lo_summary_add_store(s[1], &st);
	acq(s[1], "vmx_run", 1, KVM_LOCK, 10, NULL);
	expect(s, 2, 0,
	       "b.c:10:2: warning: 'kvm->lock' acquired inside a 'kvm->srcu' read-side critical section; rules put 'kvm->lock' outside 'kvm->srcu'\n"
	       "a.c:3:2: note: 'kvm->srcu' acquired here in 'f'\n"
	       "a.c:4:2: note: 'f' calls 'vmx_run' here\n"
	       "t.lockorder:8:1: note: rule stated here\n"
	       "a.c:5:2: note: also reached from 'f' (a.c:5)\n");
}

/* A function passed as an argument is stored in the callee's parameter
 * slot; the callee's call through it reaches it, even in one file, and
 * the indirect call makes it cross_file.  The finding is at handler's
 * acquisition, its path from do_access's lock. */
static void test_function_argument(void **state)
{
	lo_summary *s[1];
	struct lo_sheld h;
	struct lo_sarg a;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	memset(&a, 0, sizeof(a));
	a.kind = LO_ARG_FUNCTION;
	a.fn = "handler";
	a.fn_static = 1;
	call(s[0], "f", 0, "do_access", NULL, 4, NULL, &a);
	h = held(s[0], VCPU_MUTEX, 19);
	call(s[0], "do_access", 0, NULL, "param:do_access:0", 20, &h, NULL);
	acq(s[0], "handler", 1, KVM_LOCK, 10, NULL);
	expect(s, 1, 0,
	       "a.c:10:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "a.c:19:2: note: 'vcpu->mutex' acquired here in 'do_access'\n"
	       "a.c:20:2: note: 'do_access' calls 'handler' here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* A call through a function-pointer parameter reaches only the function
 * the caller passes: kvm_do_msr_access(..., kvm_set_msr_locked) takes
 * kvm->lock, kvm_do_msr_access(..., kvm_get_msr) does not.  One finding,
 * at set_locked's acquisition, with f's path and no note for g. */
static void test_function_argument_bound(void **state)
{
	lo_summary *s[1];
	struct lo_sheld h, h2;
	struct lo_sarg a, b;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	memset(&a, 0, sizeof(a));
	a.kind = LO_ARG_FUNCTION;
	a.fn = "set_locked";
	a.fn_static = 1;
	b = a;
	b.fn = "get_plain";
	fn(s[0], "f", 0);
	fn(s[0], "g", 0);
	fn(s[0], "do_access", 0);
	fn(s[0], "set_locked", 1);
	fn(s[0], "get_plain", 1);
	h = held(s[0], VCPU_MUTEX, 3);
	call(s[0], "f", 0, "do_access", NULL, 4, &h, &a);
	h2 = held(s[0], VCPU_MUTEX, 6);
	call(s[0], "g", 0, "do_access", NULL, 7, &h2, &b);
	call(s[0], "do_access", 0, NULL, "param:do_access:0", 20, NULL, NULL);
	acq(s[0], "set_locked", 1, KVM_LOCK, 10, NULL);
	expect(s, 1, LO_MERGE_ALL,
	       "a.c:10:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "a.c:3:2: note: 'vcpu->mutex' acquired here in 'f'\n"
	       "a.c:4:2: note: 'f' calls 'do_access' here\n"
	       "a.c:20:2: note: 'do_access' calls 'set_locked' here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* `A requires B` goes up the callers and is checked where nothing can call
 * the function holding B for it: a static function nothing calls, which
 * takes the lock itself or through a header's inline wrapper (spin_lock,
 * reported at the call of it, counting what the wrapper held).  An extern
 * function nothing calls, and a helper whose callers hold B, are not
 * reported. */
static void test_requires_where_checked(void **state)
{
	lo_summary *s[1];
	struct lo_sheld m1, m2, m3;
	struct lo_sfunc hdr = { "wrap_lock", 1, 0, at("kernel.h", 1), 1 };

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	lo_summary_add_function(s[0], &hdr);
	acq(s[0], "wrap_lock", 1, TDP_LOCK, 30, NULL);
	/* static and called by nothing: where the requirement is checked */
	fn(s[0], "bad_direct", 1);
	acq(s[0], "bad_direct", 1, TDP_LOCK, 3, NULL);
	fn(s[0], "ok_direct", 1);
	m1 = held(s[0], MMU_LOCK, 5);
	acq(s[0], "ok_direct", 1, TDP_LOCK, 6, &m1);
	fn(s[0], "bad_wrapped", 1);
	call(s[0], "bad_wrapped", 1, "wrap_lock", NULL, 8, NULL, NULL);
	fn(s[0], "ok_wrapped", 1);
	m2 = held(s[0], MMU_LOCK, 10);
	call(s[0], "ok_wrapped", 1, "wrap_lock", NULL, 11, &m2, NULL);
	/* extern and called by nothing here: its callers may hold it */
	fn(s[0], "ok_extern", 0);
	acq(s[0], "ok_extern", 0, TDP_LOCK, 14, NULL);
	/* a helper whose one caller holds kvm->mmu_lock */
	fn(s[0], "ok_helper", 1);
	acq(s[0], "ok_helper", 1, TDP_LOCK, 17, NULL);
	fn(s[0], "ok_caller", 1);
	m3 = held(s[0], MMU_LOCK, 19);
	call(s[0], "ok_caller", 1, "ok_helper", NULL, 20, &m3, NULL);
	expect(s, 1, LO_MERGE_ALL,
	       "a.c:3:2: warning: 'kvm->tdp_lock' acquired without holding 'kvm->mmu_lock'; rules say 'kvm->tdp_lock' requires 'kvm->mmu_lock'\n"
	       "t.lockorder:13:1: note: rule stated here\n"
	       "a.c:8:2: warning: 'kvm->tdp_lock' acquired without holding 'kvm->mmu_lock'; rules say 'kvm->tdp_lock' requires 'kvm->mmu_lock'\n"
	       "a.c:30:2: note: 'kvm->tdp_lock' acquired here in 'wrap_lock'\n"
	       "t.lockorder:13:1: note: rule stated here\n");
}

/* take(lock) locks its parameter: the caller's argument says which.  The
 * finding is at take's acquisition, its path from f's lock through wrap. */
static void test_param_substitution(void **state)
{
	lo_summary *s[2];
	struct lo_sheld h;
	struct lo_sarg a, p;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	memset(&a, 0, sizeof(a));
	a.kind = LO_ARG_LOCK;
	a.lock = KVM_LOCK;
	memset(&p, 0, sizeof(p));
	p.kind = LO_ARG_LOCK;
	p.lock = param(0, 0);
	h = held(s[0], VCPU_MUTEX, 3);
	/* f -> wrap(&kvm->lock) -> take(lock): substituted twice */
	call(s[0], "f", 0, "wrap", NULL, 4, &h, &a);
	call(s[1], "wrap", 0, "take", NULL, 20, NULL, &p);
	acq(s[1], "take", 0, param(0, 0), 10, NULL);
	/* g -> take_deref(&kvm->lock): *lock is not known, nothing taken */
	call(s[0], "g", 0, "take_deref", NULL, 6, &h, &a);
	acq(s[1], "take_deref", 0, param(0, 1), 12, NULL);
	/* k -> take() with no argument: nothing known */
	call(s[0], "k", 0, "take", NULL, 7, &h, NULL);
	expect(s, 2, 0,
	       "b.c:10:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "a.c:3:2: note: 'vcpu->mutex' acquired here in 'f'\n"
	       "a.c:4:2: note: 'f' calls 'wrap' here\n"
	       "b.c:20:2: note: 'wrap' calls 'take' here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* Mutual recursion reaches a fixpoint; each function keeps the witness
 * with the shortest chain.  One finding at take's acquisition with the
 * short path (r1 -> take) in full; the long route through r2, r3, r4 is
 * a note at the call where it leaves the short one (r1's, b.c:20). */
static void test_recursion_and_shortest(void **state)
{
	lo_summary *s[2];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	h = held(s[0], VCPU_MUTEX, 3);
	call(s[0], "f", 0, "r1", NULL, 4, &h, NULL);
	call(s[1], "r1", 0, "r2", NULL, 20, NULL, NULL);
	call(s[1], "r2", 0, "r1", NULL, 30, NULL, NULL);
	call(s[1], "r2", 0, "r3", NULL, 31, NULL, NULL);
	call(s[1], "r3", 0, "r4", NULL, 40, NULL, NULL);
	call(s[1], "r4", 0, "take", NULL, 50, NULL, NULL);
	call(s[1], "r1", 0, "take", NULL, 21, NULL, NULL); /* the short way */
	acq(s[1], "take", 0, KVM_LOCK, 10, NULL);
	expect(s, 2, 0,
	       "b.c:10:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "a.c:3:2: note: 'vcpu->mutex' acquired here in 'f'\n"
	       "a.c:4:2: note: 'f' calls 'r1' here\n"
	       "b.c:21:2: note: 'r1' calls 'take' here\n"
	       "t.lockorder:7:1: note: rule stated here\n"
	       "b.c:20:2: note: also reached from 'r1' (b.c:20)\n");
}

/* A deadlock is reported once, at the acquisition in take: f's path, the
 * shortest, in full, and e (another holder, whose call reaches f's) as
 * "also reached from 'e'" at its call. */
static void test_one_per_deadlock(void **state)
{
	lo_summary *s[2];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	h = held(s[0], VCPU_MUTEX, 3);
	call(s[0], "e", 0, "f", NULL, 4, &h, NULL);
	h = held(s[0], VCPU_MUTEX, 8);
	call(s[0], "f", 0, "take", NULL, 9, &h, NULL);
	acq(s[1], "take", 0, KVM_LOCK, 10, NULL);
	expect(s, 2, 0,
	       "b.c:10:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "a.c:8:2: note: 'vcpu->mutex' acquired here in 'f'\n"
	       "a.c:9:2: note: 'f' calls 'take' here\n"
	       "t.lockorder:7:1: note: rule stated here\n"
	       "a.c:4:2: note: also reached from 'e' (a.c:4)\n");
}

/* A header's static inline is in every translation unit that includes
 * it: the same finding twice is reported once, at take's acquisition in
 * c.c, with no note for the second copy of the same path. */
static void test_identical_once(void **state)
{
	lo_summary *s[3];
	struct lo_sheld h;
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		s[i] = lo_summary_new(i ? "b.c" : "a.c", NULL, NULL);
		h = held(s[i], VCPU_MUTEX, 3);
		h.at.file = "kvm_host.h";
		call(s[i], "inl", 1, "take", NULL, 4, &h, NULL);
		lo_summary_call(s[i], 0);
	}
	s[2] = lo_summary_new("c.c", NULL, NULL);
	acq(s[2], "take", 0, KVM_LOCK, 10, NULL);
	/* the calls are at a.c:4 and b.c:4: make them the header's */
	{
		struct lo_scall *c0 = (struct lo_scall *)lo_summary_call(s[0], 0);
		struct lo_scall *c1 = (struct lo_scall *)lo_summary_call(s[1], 0);

		c0->at.file = c1->at.file = "kvm_host.h";
	}
	expect(s, 3, 0,
	       "c.c:10:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'\n"
	       "kvm_host.h:3:2: note: 'vcpu->mutex' acquired here in 'inl'\n"
	       "kvm_host.h:4:2: note: 'inl' calls 'take' here\n"
	       "t.lockorder:7:1: note: rule stated here\n");
}

/* never L in F: F and everything it calls, with nothing held.  The
 * finding is at g's acquisition, the path from F's call. */
static void test_never(void **state)
{
	lo_summary *s[2];

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	call(s[0], "kvm_mmu_notifier_x", 0, "g", NULL, 4, NULL, NULL);
	acq(s[1], "g", 0, cls("kvm.slots_lock", "kvm->slots_lock", LO_MUTEX, 1),
	    10, NULL);
	expect(s, 2, 0,
	       "b.c:10:2: warning: 'kvm->slots_lock' acquired from 'kvm_mmu_notifier_x'; rules say 'kvm->slots_lock' is never taken in 'kvm_mmu_notifier_*'\n"
	       "a.c:4:2: note: 'kvm_mmu_notifier_x' calls 'g' here\n"
	       "t.lockorder:10:1: note: rule stated here\n");
}

/* Locks no rule orders, taken both ways round in two files: reported at
 * the acquisition that closes the cycle (k's of foo->a, b.c:21), with
 * k's held lock, the other edge's acquisition (g's of foo->b), its held
 * lock and path from f, and the two CPUs' scenario. */
static void test_two_cycle(void **state)
{
	lo_summary *s[2];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	h = held(s[0], LOCK_A, 3);
	call(s[0], "f", 0, "g", NULL, 4, &h, NULL);
	acq(s[1], "g", 0, LOCK_B, 10, NULL);
	h = held(s[1], LOCK_B, 20);
	acq(s[1], "k", 0, LOCK_A, 21, &h);
	expect(s, 2, 0,
	       "b.c:21:2: warning: 'foo->a' acquired while holding 'foo->b', and elsewhere 'foo->b' while holding 'foo->a'; no rule orders them: possible circular locking dependency\n"
	       "b.c:20:2: note: 'foo->b' acquired here in 'k'\n"
	       "b.c:10:2: note: 'foo->b' acquired while holding 'foo->a' here, in 'g'\n"
	       "a.c:3:2: note: 'foo->a' acquired here in 'f'\n"
	       "a.c:4:2: note: 'f' calls 'g' here\n"
	       "b.c:21:2: note: possible scenario: CPU0 holds 'foo->b' (b.c:20) and waits for 'foo->a' (b.c:21) while CPU1 holds 'foo->a' (a.c:3) and waits for 'foo->b' (b.c:10): deadlock\n");
}

/* a -> b -> c -> a, one edge per file; a two-lock cycle elsewhere is
 * reported on its own.  A longer cycle is placed at the acquisition of
 * the edge first in the report's order (fa's, a.c:4); each other edge's
 * acquisition is a note naming its function. */
static void test_three_cycle(void **state)
{
	lo_summary *s[3];
	struct lo_sheld h;
	lo_rules *r = rules();
	lo_merge *m = lo_merge_new(r);
	const struct lo_finding *f;

	(void)state;
	s[0] = lo_summary_new("a.c", NULL, NULL);
	s[1] = lo_summary_new("b.c", NULL, NULL);
	s[2] = lo_summary_new("c.c", NULL, NULL);
	h = held(s[0], LOCK_A, 3);
	acq(s[0], "fa", 0, LOCK_B, 4, &h);
	h = held(s[1], LOCK_B, 3);
	acq(s[1], "fb", 0, LOCK_C, 4, &h);
	h = held(s[2], LOCK_C, 3);
	acq(s[2], "fc", 0, LOCK_A, 4, &h);
	lo_merge_add(m, s[0]);
	lo_merge_add(m, s[1]);
	lo_merge_add(m, s[2]);
	assert_int_equal(lo_merge_run(m, 0), 1);
	f = lo_merge_finding(m, 0);
	assert_int_equal(f->kind, LO_V_INVERSION);
	assert_int_equal(f->cross_file, 1);
	assert_string_equal(f->message,
			    "possible circular locking dependency: 'foo->a' -> 'foo->b' -> 'foo->c' -> 'foo->a'; no rule orders them");
	assert_string_equal(f->at.file, "a.c");
	assert_int_equal(f->at.line, 4);
	assert_int_equal(f->nnotes, 5);
	assert_string_equal(f->notes[1].text,
			    "'foo->c' acquired while holding 'foo->b' here, in 'fb'");
	assert_string_equal(f->notes[1].at.file, "b.c");
	assert_int_equal(strlen(f->key), 16);
	/* the same cycle in one file is not cross-file */
	lo_merge_free(m);
	lo_rules_free(r);
}

/* Nonsense a reader lets through (it checks shapes, not meaning) does
 * not crash the merge: unknown callees, huge parameter indexes. */
static void test_merge_robust(void **state)
{
	lo_summary *s[1];
	struct lo_sheld h;

	(void)state;
	s[0] = lo_summary_new(NULL, NULL, NULL);
	h = held(s[0], VCPU_MUTEX, 3);
	call(s[0], "f", 0, "nowhere", NULL, 4, &h, NULL);
	call(s[0], "f", 0, NULL, "no.slot", 5, &h, NULL);
	call(s[0], "f", 0, "g", NULL, 6, &h, NULL);
	acq(s[0], "g", 0, param(1000000000, 0), 10, NULL);
	acq(s[0], "g", 0, param(3, 1), 11, NULL);
	expect(s, 1, LO_MERGE_ALL, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct_call_across_files),
		cmocka_unit_test(test_one_file_needs_all),
		cmocka_unit_test(test_static_names),
		cmocka_unit_test(test_store_target_alias),
		cmocka_unit_test(test_function_argument),
		cmocka_unit_test(test_function_argument_bound),
		cmocka_unit_test(test_requires_where_checked),
		cmocka_unit_test(test_param_substitution),
		cmocka_unit_test(test_recursion_and_shortest),
		cmocka_unit_test(test_one_per_deadlock),
		cmocka_unit_test(test_identical_once),
		cmocka_unit_test(test_never),
		cmocka_unit_test(test_two_cycle),
		cmocka_unit_test(test_three_cycle),
		cmocka_unit_test(test_merge_robust),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
