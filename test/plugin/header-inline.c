// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// header-inline.c - static inline functions of a header (Inputs/kvm_host.h)
// are followed like the main file's own: their notes point into the
// header.  Functions defined in headers are not checked on their own; only
// the main file's functions are.
//
// The checks use `kvm->lock outside vcpu->mutex, kvm->slots_lock` and the
// kvm->srcu rule (test.lockorder).

#include "kvm_host.h"

void bad_inline_takes_kvm_lock(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);		// expected-note{{'vcpu->mutex' acquired here}}
	kvm_arch_flush_locked(vcpu->kvm);	// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
						// expected-note@Inputs/kvm_host.h:27 {{'kvm->lock' acquired here in 'kvm_arch_flush_locked'}}
						// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&vcpu->mutex);
}

void bad_two_inline_levels(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);		// expected-note{{'vcpu->mutex' acquired here}}
	kvm_arch_flush_all(vcpu->kvm);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
						// expected-note@Inputs/kvm_host.h:36 {{'kvm_arch_flush_all' calls 'kvm_arch_flush_locked' here}}
						// expected-note@Inputs/kvm_host.h:27 {{'kvm->lock' acquired here in 'kvm_arch_flush_locked'}}
						// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&vcpu->mutex);
}

void ok_inline_in_order(struct kvm *kvm)
{
	mutex_lock(&kvm_lock);
	kvm_arch_flush_locked(kvm);		// no-warning
	kvm_arch_flush_all(kvm);		// no-warning
	mutex_unlock(&kvm_lock);
}

// kvm_vcpu_srcu_read_lock() returns inside a kvm->srcu read-side critical
// section; the held lock's note is at the call.
void bad_inline_returns_in_reader(struct kvm_vcpu *vcpu)
{
	kvm_vcpu_srcu_read_lock(vcpu);		// expected-note{{'kvm->srcu' acquired here}}
	mutex_lock(&vcpu->mutex);		// expected-warning{{'vcpu->mutex' acquired inside a 'kvm->srcu' read-side critical section; rules put 'vcpu->mutex' outside 'kvm->srcu'}}
						// expected-note@Inputs/test.lockorder:92 {{rule stated here}}
	mutex_unlock(&vcpu->mutex);
	kvm_vcpu_srcu_read_unlock(vcpu);
}

void ok_inline_reader_left(struct kvm_vcpu *vcpu)
{
	kvm_vcpu_srcu_read_lock(vcpu);
	kvm_vcpu_srcu_read_unlock(vcpu);
	mutex_lock(&vcpu->mutex);		// no-warning
	mutex_unlock(&vcpu->mutex);
}

void bad_inline_returns_holding(struct kvm *kvm)
{
	kvm_slots_lock(kvm);			// expected-note{{'kvm->slots_lock' acquired here}}
	mutex_lock(&kvm->lock);			// expected-warning{{'kvm->lock' acquired while holding 'kvm->slots_lock'; rules put 'kvm->lock' outside 'kvm->slots_lock'}}
						// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&kvm->lock);
	kvm_slots_unlock(kvm);
}

void ok_inline_releases(struct kvm *kvm)
{
	kvm_slots_lock(kvm);
	kvm_slots_unlock(kvm);
	mutex_lock(&kvm->lock);			// no-warning
	mutex_unlock(&kvm->lock);
}
