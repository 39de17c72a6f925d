// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// requires.c - `A requires B`: A may only be taken while B is held, which
// also puts B outside A.
//
// On x86 (test.lockorder):
//
// - kvm->arch.tdp_mmu_pages_lock protects the TDP MMU's page lists.  It is
//   taken with kvm->mmu_lock held, for read or for write.
//
// Who holds B is often the caller's business: a helper that takes A is
// fine when every caller holds B.  The requirement is therefore followed
// up the callers and checked where nothing can call the function holding
// B for it: a static function no code calls (a callback the kernel
// invokes).  An extern function no analysed code calls may be called from
// another file with B held; it gets the benefit of the doubt, in the
// plugin and in `lockorder check` alike.  The finding is at the
// acquisition; when that is a header's inline (spin_lock() of kernel.h),
// at the call of it in this file.

#include "kvm.h"

struct tdp_ops {
	void (*zap)(struct kvm *kvm);
	void (*account)(struct kvm *kvm);
	void (*inside)(struct kvm *kvm);
	void (*free_pages)(struct kvm *kvm);
};

// A callback the MMU core invokes with nothing held.
static void bad_callback_without_mmu_lock(struct kvm *kvm)
{
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// expected-warning{{'kvm->arch.tdp_mmu_pages_lock' acquired without holding 'kvm->mmu_lock'; rules say 'kvm->arch.tdp_mmu_pages_lock' requires 'kvm->mmu_lock'}}
							// expected-note@Inputs/kernel.h:72 {{'kvm->arch.tdp_mmu_pages_lock' acquired here in 'spin_lock'}}
							// expected-note@Inputs/test.lockorder:112 {{rule stated here}}
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
}

// Taken, dropped, and the requirement is no longer met.
static void bad_mmu_lock_dropped(struct kvm *kvm)
{
	read_lock(&kvm->mmu_lock);
	read_unlock(&kvm->mmu_lock);
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// expected-warning{{'kvm->arch.tdp_mmu_pages_lock' acquired without holding 'kvm->mmu_lock'; rules say 'kvm->arch.tdp_mmu_pages_lock' requires 'kvm->mmu_lock'}}
							// expected-note@Inputs/kernel.h:72 {{'kvm->arch.tdp_mmu_pages_lock' acquired here in 'spin_lock'}}
							// expected-note@Inputs/test.lockorder:112 {{rule stated here}}
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
}

// The requirement puts kvm->mmu_lock outside kvm->arch.tdp_mmu_pages_lock.
static void bad_mmu_lock_inside(struct kvm *kvm)
{
	read_lock(&kvm->mmu_lock);
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// expected-note{{'kvm->arch.tdp_mmu_pages_lock' acquired here in 'bad_mmu_lock_inside'}}
	read_unlock(&kvm->mmu_lock);
	write_lock(&kvm->mmu_lock);			// expected-warning{{'kvm->mmu_lock' acquired while holding 'kvm->arch.tdp_mmu_pages_lock'; rules put 'kvm->mmu_lock' outside 'kvm->arch.tdp_mmu_pages_lock'}}
							// expected-note@Inputs/test.lockorder:112 {{rule stated here}}
	write_unlock(&kvm->mmu_lock);
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
}

void ok_mmu_lock_for_read(struct kvm *kvm)
{
	read_lock(&kvm->mmu_lock);
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// no-warning
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
	read_unlock(&kvm->mmu_lock);
}

void ok_mmu_lock_for_write(struct kvm *kvm)
{
	write_lock(&kvm->mmu_lock);
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// no-warning
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
	write_unlock(&kvm->mmu_lock);
}

// The caller holds kvm->mmu_lock, and the function says so.
static void ok_mmu_lock_asserted(struct kvm *kvm)
{
	lockdep_assert_held(&kvm->mmu_lock);
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// no-warning
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
}

// An extern function nothing here calls: its callers are in other files
// (kvm_tdp_mmu_get_vcpu_root_hpa() runs under kvm_mmu_load()'s
// write_lock(&kvm->mmu_lock) in mmu.c).
void ok_extern_caller_unknown(struct kvm *kvm)
{
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// no-warning
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
}

// A helper that neither holds nor asserts kvm->mmu_lock: fine where every
// caller holds it, reported at its acquisition when one caller does not,
// with the path from that caller.
static void helper_without_assert(struct kvm *kvm)
{
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// expected-warning{{'kvm->arch.tdp_mmu_pages_lock' acquired without holding 'kvm->mmu_lock'; rules say 'kvm->arch.tdp_mmu_pages_lock' requires 'kvm->mmu_lock'}}
							// expected-note@Inputs/kernel.h:72 {{'kvm->arch.tdp_mmu_pages_lock' acquired here in 'spin_lock'}}
							// expected-note@Inputs/test.lockorder:112 {{rule stated here}}
	kvm->arch.n_used_mmu_pages++;
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
}

void ok_caller_holds_mmu_lock(struct kvm *kvm)
{
	read_lock(&kvm->mmu_lock);
	helper_without_assert(kvm);			// no-warning
	read_unlock(&kvm->mmu_lock);
}

static void bad_account_callback(struct kvm *kvm)
{
	helper_without_assert(kvm);			// expected-note{{'bad_account_callback' calls 'helper_without_assert' here}}
}

// Only caller holds kvm->mmu_lock, two levels up: nothing to report.
static void ok_helper_only_under_mmu_lock(struct kvm *kvm)
{
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// no-warning
	kvm->arch.n_used_mmu_pages--;
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
}

static void ok_middle(struct kvm *kvm)
{
	ok_helper_only_under_mmu_lock(kvm);
}

static void ok_free_pages_callback(struct kvm *kvm)
{
	write_lock(&kvm->mmu_lock);
	ok_middle(kvm);					// no-warning
	ok_mmu_lock_asserted(kvm);			// no-warning
	write_unlock(&kvm->mmu_lock);
}

const struct tdp_ops tdp_ops = {
	.zap = bad_callback_without_mmu_lock,
	.account = bad_account_callback,
	.inside = bad_mmu_lock_inside,
	.free_pages = ok_free_pages_callback,
};

void (*const dropped_cb)(struct kvm *) = bad_mmu_lock_dropped;
