// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// srcu-self.c - synchronize_srcu() inside a read-side critical section of
// the same srcu_struct waits for itself.
//
// No rule is needed for this one, so the finding has no "rule stated here"
// note; it points at the srcu_read_lock() that opened the section.

#include "kvm_host.h"

void bad_wait_in_own_reader(struct kvm *kvm)
{
	int idx = srcu_read_lock(&kvm->srcu);	// expected-note{{'kvm->srcu' acquired here}}

	synchronize_srcu(&kvm->srcu);		// expected-warning{{waiting for 'kvm->srcu' readers inside its own read-side critical section}}
	srcu_read_unlock(&kvm->srcu, idx);
}

// The read side entered by kvm_vcpu_srcu_read_lock(), an inline of
// kvm_host.h that returns inside it; the wait names the same lock another way.
void bad_wait_through_vcpu(struct kvm_vcpu *vcpu)
{
	kvm_vcpu_srcu_read_lock(vcpu);			// expected-note{{'kvm->srcu' acquired here}}
	synchronize_srcu_expedited(&vcpu->kvm->srcu);	// expected-warning{{waiting for 'kvm->srcu' readers inside its own read-side critical section}}
	kvm_vcpu_srcu_read_unlock(vcpu);
}

void ok_wait_after_reader(struct kvm *kvm)
{
	int idx = srcu_read_lock(&kvm->srcu);

	srcu_read_unlock(&kvm->srcu, idx);
	synchronize_srcu(&kvm->srcu);		// no-warning
}

// Waiting for a different srcu_struct is no self-deadlock.
struct srcu_struct other_srcu;

void ok_wait_for_other_srcu(struct kvm *kvm)
{
	int idx = srcu_read_lock(&kvm->srcu);

	synchronize_srcu(&other_srcu);		// no-warning
	srcu_read_unlock(&kvm->srcu, idx);
}
