// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// never.c - `never L in F`: F, and everything F calls, never takes L.  F may
// end in `*`.
//
// From test.lockorder:
//
// - kvm->slots_lock and kvm->slots_arch_lock are taken on the waiting side
//   when modifying memslots, so MMU notifiers must not take either
//   kvm->slots_lock or kvm->slots_arch_lock.
//
// The rule names functions, so the functions here are named to match
// kvm_mmu_notifier_* (or not), with ok/bad in the rest of the name.

#include "kvm.h"

void kvm_mmu_notifier_bad_slots_lock(struct kvm *kvm)
{
	mutex_lock(&kvm->slots_lock);		// expected-warning{{'kvm->slots_lock' acquired from 'kvm_mmu_notifier_bad_slots_lock'; rules say 'kvm->slots_lock' is never taken in 'kvm_mmu_notifier_*'}}
						// expected-note@Inputs/test.lockorder:117 {{rule stated here}}
	mutex_unlock(&kvm->slots_lock);
}

void kvm_mmu_notifier_bad_slots_arch_lock(struct kvm *kvm)
{
	mutex_lock(&kvm->slots_arch_lock);	// expected-warning{{'kvm->slots_arch_lock' acquired from 'kvm_mmu_notifier_bad_slots_arch_lock'; rules say 'kvm->slots_arch_lock' is never taken in 'kvm_mmu_notifier_*'}}
						// expected-note@Inputs/test.lockorder:117 {{rule stated here}}
	mutex_unlock(&kvm->slots_arch_lock);
}

// The notifiers do take kvm->mmu_lock.
void kvm_mmu_notifier_ok_mmu_lock(struct kvm *kvm)
{
	write_lock(&kvm->mmu_lock);		// no-warning
	write_unlock(&kvm->mmu_lock);
}

// Anyone else may take kvm->slots_lock; kvm_mmu_notifier_bad_through_call's
// finding is here.
static void update_memslots(struct kvm *kvm)
{
	mutex_lock(&kvm->slots_lock);		// expected-warning{{'kvm->slots_lock' acquired from 'kvm_mmu_notifier_bad_through_call'; rules say 'kvm->slots_lock' is never taken in 'kvm_mmu_notifier_*'}}
						// expected-note@Inputs/test.lockorder:117 {{rule stated here}}
	kvm_flush_remote_tlbs(kvm);
	mutex_unlock(&kvm->slots_lock);
}

void ok_not_a_notifier(struct kvm *kvm)
{
	update_memslots(kvm);			// no-warning
}

// "Everything F calls": the finding is at the acquisition in the callee,
// and names the notifier; a note is at the notifier's call.
void kvm_mmu_notifier_bad_through_call(struct kvm *kvm)
{
	update_memslots(kvm);			// expected-note{{'kvm_mmu_notifier_bad_through_call' calls 'update_memslots' here}}
}

// The pattern is a prefix, not a substring.
void ok_kvm_mmu_notifier_lookalike(struct kvm *kvm)
{
	mutex_lock(&kvm->slots_lock);		// no-warning
	mutex_unlock(&kvm->slots_lock);
}
