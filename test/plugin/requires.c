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
// The requirement is checked inside each function: a function that relies
// on its caller to hold kvm->mmu_lock says so with lockdep_assert_held().

#include "kvm.h"

// spin_lock() is an inline of kernel.h: the acquisition is noted there.
void bad_without_mmu_lock(struct kvm *kvm)
{
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// expected-warning{{'kvm->arch.tdp_mmu_pages_lock' acquired without holding 'kvm->mmu_lock'; rules say 'kvm->arch.tdp_mmu_pages_lock' requires 'kvm->mmu_lock'}}
							// expected-note@Inputs/kernel.h:72 {{'kvm->arch.tdp_mmu_pages_lock' acquired here in 'spin_lock'}}
							// expected-note@Inputs/test.lockorder:112 {{rule stated here}}
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
void ok_mmu_lock_asserted(struct kvm *kvm)
{
	lockdep_assert_held(&kvm->mmu_lock);
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// no-warning
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
}

void bad_mmu_lock_dropped(struct kvm *kvm)
{
	read_lock(&kvm->mmu_lock);
	read_unlock(&kvm->mmu_lock);
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// expected-warning{{'kvm->arch.tdp_mmu_pages_lock' acquired without holding 'kvm->mmu_lock'; rules say 'kvm->arch.tdp_mmu_pages_lock' requires 'kvm->mmu_lock'}}
							// expected-note@Inputs/kernel.h:72 {{'kvm->arch.tdp_mmu_pages_lock' acquired here in 'spin_lock'}}
							// expected-note@Inputs/test.lockorder:112 {{rule stated here}}
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
}

// The requirement puts kvm->mmu_lock outside kvm->arch.tdp_mmu_pages_lock.
void bad_mmu_lock_inside(struct kvm *kvm)
{
	read_lock(&kvm->mmu_lock);
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// expected-note{{'kvm->arch.tdp_mmu_pages_lock' acquired here}}
	read_unlock(&kvm->mmu_lock);
	write_lock(&kvm->mmu_lock);			// expected-warning{{'kvm->mmu_lock' acquired while holding 'kvm->arch.tdp_mmu_pages_lock'; rules put 'kvm->mmu_lock' outside 'kvm->arch.tdp_mmu_pages_lock'}}
							// expected-note@Inputs/test.lockorder:112 {{rule stated here}}
	write_unlock(&kvm->mmu_lock);
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
}

// A helper that neither holds nor asserts kvm->mmu_lock is reported in the
// helper, once, however its callers are locked.
static void bad_helper_without_assert(struct kvm *kvm)
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
	bad_helper_without_assert(kvm);			// no-warning
	read_unlock(&kvm->mmu_lock);
}

// The helper asserts what it needs, and its caller provides it.
static void ok_helper_with_assert(struct kvm *kvm)
{
	lockdep_assert_held(&kvm->mmu_lock);
	spin_lock(&kvm->arch.tdp_mmu_pages_lock);	// no-warning
	kvm->arch.n_used_mmu_pages--;
	spin_unlock(&kvm->arch.tdp_mmu_pages_lock);
}

void ok_caller_of_asserting_helper(struct kvm *kvm)
{
	write_lock(&kvm->mmu_lock);
	ok_helper_with_assert(kvm);			// no-warning
	write_unlock(&kvm->mmu_lock);
}
