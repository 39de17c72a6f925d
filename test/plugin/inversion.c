// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// inversion.c - two locks that no rule orders, taken in both orders in one
// file: a possible circular locking dependency, as lockdep would say once
// it had seen both.
//
// The warning is at the later of the two acquisitions in the file, where
// the second order closes the cycle; notes point at the earlier one and at
// where each held lock was taken, each naming its function, and a last
// note gives lockdep's "possible scenario" of two CPUs.  No rule is
// involved, so no "rule stated here".  `lockorder merge` words and places
// it the same way across files.

#include "kvm.h"

struct foo {
	struct mutex a_lock;
	struct mutex b_lock;
	struct mutex c_lock;
	struct mutex d_lock;
};

void first_a_then_b(struct foo *foo)
{
	mutex_lock(&foo->a_lock);	// expected-note{{'foo->a_lock' acquired here in 'first_a_then_b'}}
	mutex_lock(&foo->b_lock);	// expected-note{{'foo->b_lock' acquired while holding 'foo->a_lock' here, in 'first_a_then_b'}}
	mutex_unlock(&foo->b_lock);
	mutex_unlock(&foo->a_lock);
}

void bad_b_then_a(struct foo *foo)
{
	mutex_lock(&foo->b_lock);	// expected-note{{'foo->b_lock' acquired here in 'bad_b_then_a'}}
	mutex_lock(&foo->a_lock);	// expected-warning{{'foo->a_lock' acquired while holding 'foo->b_lock', and elsewhere 'foo->b_lock' while holding 'foo->a_lock'; no rule orders them: possible circular locking dependency}}
					// expected-note-re@-1 {{possible scenario: CPU0 holds 'foo->b_lock' ({{.*}}inversion.c:33) and waits for 'foo->a_lock' ({{.*}}inversion.c:34) while CPU1 holds 'foo->a_lock' ({{.*}}inversion.c:25) and waits for 'foo->b_lock' ({{.*}}inversion.c:26): deadlock}}
	mutex_unlock(&foo->a_lock);
	mutex_unlock(&foo->b_lock);
}

// Declared locks that no rule orders are named as the rules spell them.
void first_irq_lock_then_apicv(struct kvm *kvm)
{
	mutex_lock(&kvm->irq_lock);			// expected-note{{'kvm->irq_lock' acquired here in 'first_irq_lock_then_apicv'}}
	down_write(&kvm->arch.apicv_update_lock);	// expected-note{{'kvm->arch.apicv_update_lock' acquired while holding 'kvm->irq_lock' here, in 'first_irq_lock_then_apicv'}}
	up_write(&kvm->arch.apicv_update_lock);
	mutex_unlock(&kvm->irq_lock);
}

void bad_apicv_then_irq_lock(struct kvm *kvm)
{
	down_write(&kvm->arch.apicv_update_lock);	// expected-note{{'kvm->arch.apicv_update_lock' acquired here in 'bad_apicv_then_irq_lock'}}
	mutex_lock(&kvm->irq_lock);			// expected-warning{{'kvm->irq_lock' acquired while holding 'kvm->arch.apicv_update_lock', and elsewhere 'kvm->arch.apicv_update_lock' while holding 'kvm->irq_lock'; no rule orders them: possible circular locking dependency}}
							// expected-note-re@-1 {{possible scenario: CPU0 holds 'kvm->arch.apicv_update_lock' ({{.*}}inversion.c:51) and waits for 'kvm->irq_lock' ({{.*}}inversion.c:52) while CPU1 holds 'kvm->irq_lock' ({{.*}}inversion.c:43) and waits for 'kvm->arch.apicv_update_lock' ({{.*}}inversion.c:44): deadlock}}
	mutex_unlock(&kvm->irq_lock);
	up_write(&kvm->arch.apicv_update_lock);
}

// When a rule orders the pair, the wrong order is an order violation, and
// only that.
void ok_ordered_pair(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&kvm->lock);
	mutex_lock(&vcpu->mutex);	// no-warning
	mutex_unlock(&vcpu->mutex);
	mutex_unlock(&kvm->lock);
}

void bad_ordered_pair_reversed(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_ordered_pair_reversed'}}
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&kvm->lock);
	mutex_unlock(&vcpu->mutex);
}

// A trylock cannot block: c_lock then d_lock in one function, and d_lock
// then a trylock of c_lock in the other, is no circular dependency (lockdep
// adds no edge for a trylock either).
void ok_c_then_d(struct foo *foo)
{
	mutex_lock(&foo->c_lock);
	mutex_lock(&foo->d_lock);	// no-warning
	mutex_unlock(&foo->d_lock);
	mutex_unlock(&foo->c_lock);
}

void ok_d_then_trylock_c(struct foo *foo)
{
	mutex_lock(&foo->d_lock);
	if (mutex_trylock(&foo->c_lock))	// no-warning
		mutex_unlock(&foo->c_lock);
	mutex_unlock(&foo->d_lock);
}

// One order only: nothing to report.
void ok_one_order(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	mutex_lock(&kvm->irq_lock);	// no-warning
	mutex_unlock(&kvm->irq_lock);
	mutex_unlock(&vcpu->mutex);
}
