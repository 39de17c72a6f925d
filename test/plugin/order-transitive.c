// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// order-transitive.c - `A outside B` and `B outside C` put A outside C.
//
// From test.lockorder:
//
// - cpus_read_lock() is taken outside kvm_lock
// - kvm_lock is taken outside kvm->lock
// - kvm->lock is taken outside vcpu->mutex
// - vcpu->mutex is taken outside kvm->srcu, and kvm->slots_arch_lock
//   inside it
//
// so cpus_read_lock() is taken outside kvm->lock, kvm_lock outside
// vcpu->mutex, and vcpu->mutex outside kvm->slots_arch_lock.  A finding
// that follows a chain of statements notes every statement of the chain,
// from the outer lock to the inner one, so that the reader sees why the
// order holds.

#include "kvm.h"

// The whole chain, in order: nothing to report.
void ok_whole_chain(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	cpus_read_lock();
	mutex_lock(&kvm_lock);
	mutex_lock(&kvm->lock);
	mutex_lock(&vcpu->mutex);		// no-warning
	mutex_unlock(&vcpu->mutex);
	mutex_unlock(&kvm->lock);
	mutex_unlock(&kvm_lock);
	cpus_read_unlock();
}

// Skipping links of the chain is fine too.
void ok_skip_links(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	cpus_read_lock();
	mutex_lock(&vcpu->mutex);		// no-warning
	mutex_lock(&kvm->slots_arch_lock);	// no-warning
	mutex_unlock(&kvm->slots_arch_lock);
	mutex_unlock(&vcpu->mutex);
	cpus_read_unlock();
}

void bad_cpus_read_lock_inside_kvm_lock(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);		// expected-note{{'kvm->lock' acquired here}}
	cpus_read_lock();		// expected-warning{{'cpus_read_lock' acquired while holding 'kvm->lock'; rules put 'cpus_read_lock' outside 'kvm->lock'}}
					// expected-note@Inputs/test.lockorder:74 {{rule stated here}}
					// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	cpus_read_unlock();
	mutex_unlock(&kvm->lock);
}

void bad_kvm_lock_inside_vcpu_mutex(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here}}
	mutex_lock(&kvm_lock);		// expected-warning{{'kvm_lock' acquired while holding 'vcpu->mutex'; rules put 'kvm_lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&vcpu->mutex);
}

// The chain runs through kvm->srcu, which neither function takes.
void bad_vcpu_mutex_inside_slots_arch_lock(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->kvm->slots_arch_lock);	// expected-note{{'kvm->slots_arch_lock' acquired here}}
	mutex_lock(&vcpu->mutex);			// expected-warning{{'vcpu->mutex' acquired while holding 'kvm->slots_arch_lock'; rules put 'vcpu->mutex' outside 'kvm->slots_arch_lock'}}
							// expected-note@Inputs/test.lockorder:92 {{rule stated here}}
							// expected-note@Inputs/test.lockorder:97 {{rule stated here}}
	mutex_unlock(&vcpu->mutex);
	mutex_unlock(&vcpu->kvm->slots_arch_lock);
}
