// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// order.c - `A outside B`: B may be taken while A is held, never A while B
// is held.
//
// The acquisition orders for mutexes are as follows (test.lockorder):
//
// - kvm_lock is taken outside kvm->lock
// - kvm->lock is taken outside vcpu->mutex, kvm->slots_lock and kvm->irq_lock
// - kvm->slots_lock is taken outside kvm->slots_arch_lock
//
// The warning sits on the acquisition that breaks the order; a note points
// at the acquisition of the lock held and one at the rule.  Chains of
// rules are order-transitive.c's business.

#include "kvm.h"

void ok_kvm_lock_then_vcpu_mutex(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&kvm->lock);
	mutex_lock(&vcpu->mutex);	// no-warning
	mutex_unlock(&vcpu->mutex);
	mutex_unlock(&kvm->lock);
}

void bad_vcpu_mutex_then_kvm_lock(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here}}
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&kvm->lock);
	mutex_unlock(&vcpu->mutex);
}

void ok_global_then_kvm_lock(struct kvm *kvm)
{
	mutex_lock(&kvm_lock);
	mutex_lock(&kvm->lock);		// no-warning
	mutex_unlock(&kvm->lock);
	mutex_unlock(&kvm_lock);
}

void bad_kvm_lock_then_global(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);		// expected-note{{'kvm->lock' acquired here}}
	mutex_lock(&kvm_lock);		// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
					// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
}

void ok_slots_lock_then_slots_arch_lock(struct kvm *kvm)
{
	mutex_lock(&kvm->slots_lock);
	mutex_lock(&kvm->slots_arch_lock);	// no-warning
	mutex_unlock(&kvm->slots_arch_lock);
	mutex_unlock(&kvm->slots_lock);
}

// The rules order these two twice: directly, and through kvm->srcu (slots_lock
// outside kvm->srcu, slots_arch_lock inside it).  The note names the direct
// statement.
void bad_slots_arch_lock_then_slots_lock(struct kvm *kvm)
{
	mutex_lock(&kvm->slots_arch_lock);	// expected-note{{'kvm->slots_arch_lock' acquired here}}
	mutex_lock(&kvm->slots_lock);		// expected-warning{{'kvm->slots_lock' acquired while holding 'kvm->slots_arch_lock'; rules put 'kvm->slots_lock' outside 'kvm->slots_arch_lock'}}
						// expected-note@Inputs/test.lockorder:101 {{rule stated here}}
	mutex_unlock(&kvm->slots_lock);
	mutex_unlock(&kvm->slots_arch_lock);
}

// Released before the next one is taken: nothing is held, nothing to order.
void ok_released_first(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	mutex_unlock(&vcpu->mutex);
	mutex_lock(&kvm->lock);		// no-warning
	mutex_unlock(&kvm->lock);
}

// No rule orders vcpu->mutex and kvm->irq_lock: either may be taken inside
// the other.
void ok_unordered(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	mutex_lock(&kvm->irq_lock);	// no-warning
	mutex_unlock(&kvm->irq_lock);
	mutex_unlock(&vcpu->mutex);
}

// The order is checked against every lock held, not only the last one: one
// warning for each held lock the acquisition breaks the order with.
void bad_two_held(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here}}
	mutex_lock(&kvm->irq_lock);	// expected-note{{'kvm->irq_lock' acquired here}}
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}} expected-warning{{'kvm->lock' acquired while holding 'kvm->irq_lock'; rules put 'kvm->lock' outside 'kvm->irq_lock'}}
					// expected-note@Inputs/test.lockorder:81 2 {{rule stated here}}
	mutex_unlock(&kvm->lock);
	mutex_unlock(&kvm->irq_lock);
	mutex_unlock(&vcpu->mutex);
}

// Locks the rules do not declare are not ordered by them.
struct foo { struct mutex lock; };

void ok_undeclared(struct kvm *kvm, struct foo *foo)
{
	mutex_lock(&kvm->lock);
	mutex_lock(&foo->lock);		// no-warning
	mutex_unlock(&foo->lock);
	mutex_unlock(&kvm->lock);
}
