/*
 * helpers_summary.h - what the unit tests of summaries, the merge and the
 * reports share: the rules they are checked against, summaries built by
 * hand one record at a time, and a merge's report as a string.
 *
 * Every helper is static inline so that each test includes only this
 * header and uses what it needs.  They assert as they go (cmocka), so a
 * helper failing fails the test that called it.  A test file defines
 * _GNU_SOURCE (open_memstream) before any include.
 *
 * What it does NOT hold: files on disk (test_summary.c's temporary
 * directory) or the comparison of a merge's text report
 * (test_merge.c's expect()).
 */
#ifndef LOCKORDER_TEST_HELPERS_SUMMARY_H
#define LOCKORDER_TEST_HELPERS_SUMMARY_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lockorder.h"

static const char rules_text[] =
	"type kvm  = struct kvm\n"
	"type vcpu = struct kvm_vcpu\n"
	"mutex kvm->lock, vcpu->mutex, kvm->slots_lock\n"
	"srcu kvm->srcu\n"
	"spinlock kvm->arch.xen.xen_lock\n"
	"function mutex_lock(lock) acquires lock\n"
	"kvm->lock outside vcpu->mutex\n"                          /* 7 */
	"kvm->lock, vcpu->mutex, kvm->slots_lock outside kvm->srcu\n" /* 8 */
	"leaf kvm->arch.xen.xen_lock\n"
	"never kvm->slots_lock in kvm_mmu_notifier_*\n"
	"rwlock kvm->mmu_lock\n"
	"spinlock kvm->tdp_lock\n"
	"kvm->tdp_lock requires kvm->mmu_lock\n";                  /* 13 */

/* The rules above, parsed; the caller frees with lo_rules_free(). */
static inline lo_rules *rules(void)
{
	struct lo_errors errs = { 0 };
	lo_rules *r = lo_rules_parse_string(rules_text, strlen(rules_text),
					    "t.lockorder", 0, &errs);

	assert_non_null(r);
	lo_errors_free(&errs);
	return r;
}

/* ---- building summaries ------------------------------------------------ */

static inline struct lo_sref cls(const char *key, const char *name,
				 enum lo_kind k, int declared)
{
	struct lo_sref r = { key, name, k, declared, -1, 0, NULL };

	return r;
}

static inline struct lo_sref param(int i, int deref)
{
	struct lo_sref r = { NULL, "lock", LO_MUTEX, 0, i, deref, NULL };

	return r;
}

#define KVM_LOCK cls("kvm.lock", "kvm->lock", LO_MUTEX, 1)
#define VCPU_MUTEX cls("kvm_vcpu.mutex", "vcpu->mutex", LO_MUTEX, 1)
#define SRCU cls("kvm.srcu", "kvm->srcu", LO_SRCU, 1)
#define MMU_LOCK cls("kvm.mmu_lock", "kvm->mmu_lock", LO_RWLOCK, 1)
#define TDP_LOCK cls("kvm.tdp_lock", "kvm->tdp_lock", LO_SPINLOCK, 1)
#define LOCK_A cls("foo.a", "foo->a", LO_MUTEX, 0)
#define LOCK_B cls("foo.b", "foo->b", LO_MUTEX, 0)
#define LOCK_C cls("foo.c", "foo->c", LO_MUTEX, 0)

static inline struct lo_loc at(const char *file, int line)
{
	struct lo_loc l = { file, line, 2 };

	return l;
}

static inline void fn(lo_summary *s, const char *name, int is_static)
{
	struct lo_sfunc f = { name, is_static, 1, at(lo_summary_source(s), 1), 1 };

	lo_summary_add_function(s, &f);
}

/* NAME takes LOCK at LINE (holding HELD, or nothing). */
static inline void acq(lo_summary *s, const char *name, int is_static,
		       struct lo_sref lock, int line,
		       const struct lo_sheld *held)
{
	struct lo_sacq a;

	memset(&a, 0, sizeof(a));
	a.fn = name;
	a.fn_static = is_static;
	a.lock = lock;
	a.op = LO_ACQUIRE;
	a.at = at(lo_summary_source(s), line);
	a.held = held;
	a.nheld = held ? 1 : 0;
	lo_summary_add_acq(s, &a);
}

/* NAME calls CALLEE (or through TARGET) at LINE holding HELD (or
 * nothing), with one argument ARG (or none). */
static inline void call(lo_summary *s, const char *name, int is_static,
			const char *callee, const char *target, int line,
			const struct lo_sheld *held, const struct lo_sarg *arg)
{
	struct lo_scall c;

	memset(&c, 0, sizeof(c));
	c.fn = name;
	c.fn_static = is_static;
	c.callee = callee;
	c.target = target;
	c.at = at(lo_summary_source(s), line);
	c.held = held;
	c.nheld = held ? 1 : 0;
	c.args = arg;
	c.nargs = arg ? 1 : 0;
	lo_summary_add_call(s, &c);
}

static inline struct lo_sheld held(lo_summary *s, struct lo_sref lock,
				   int line)
{
	struct lo_sheld h;

	memset(&h, 0, sizeof(h));
	h.lock = lock;
	h.at = at(lo_summary_source(s), line);
	return h;
}

/* M's findings as lo_report_write() writes them in FMT; the caller
 * frees. */
static inline char *report(const lo_merge *m, enum lo_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(lo_report_write(m, fmt, f), 0);
	fclose(f);
	return buf;
}


#endif
