// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// calls-param.c - a helper that locks `struct mutex *m` takes whatever lock
// its caller passes.  The summary is parametrised: each call is checked
// with the lock of that call.  The finding is at the helper's acquisition
// and names the lock passed, as the rules do; different locks passed to
// one helper are different findings on the same line.
//
// The checks use `kvm_lock outside kvm->lock`, `kvm->lock outside
// vcpu->mutex` and the kvm->srcu rule (test.lockorder).

#include "kvm.h"

// Three findings here, one for each lock passed below: kvm->lock by
// bad_param_kvm_lock, kvm_lock by bad_param_global, kvm->slots_lock by
// bad_param_two_hops.
static void lock_unlock(struct mutex *m)
{
	mutex_lock(m);			// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}} expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}} expected-warning{{'kvm->slots_lock' acquired inside a 'kvm->srcu' read-side critical section; rules put 'kvm->slots_lock' outside 'kvm->srcu'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
					// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
					// expected-note@Inputs/test.lockorder:92 {{rule stated here}}
	cond_resched();
	mutex_unlock(m);
}

static void lock_unlock_indirect(struct mutex *m)
{
	lock_unlock(m);			// expected-note{{'lock_unlock_indirect' calls 'lock_unlock' here}}
}

void ok_param_in_order(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&kvm->lock);
	lock_unlock(&vcpu->mutex);	// no-warning
	lock_unlock(&kvm->irq_lock);	// no-warning
	mutex_unlock(&kvm->lock);
}

void bad_param_kvm_lock(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_param_kvm_lock'}}
	lock_unlock(&vcpu->kvm->lock);	// expected-note{{'bad_param_kvm_lock' calls 'lock_unlock' here}}
	mutex_unlock(&vcpu->mutex);
}

void bad_param_global(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);		// expected-note{{'kvm->lock' acquired here in 'bad_param_global'}}
	lock_unlock(&kvm_lock);		// expected-note{{'bad_param_global' calls 'lock_unlock' here}}
	mutex_unlock(&kvm->lock);
}

// Passed down two levels.
void bad_param_two_hops(struct kvm *kvm)
{
	int idx = srcu_read_lock(&kvm->srcu);	// expected-note{{'kvm->srcu' acquired here in 'bad_param_two_hops'}}

	lock_unlock_indirect(&kvm->slots_lock);	// expected-note{{'bad_param_two_hops' calls 'lock_unlock_indirect' here}}
	srcu_read_unlock(&kvm->srcu, idx);
}

// In a read-side critical section kvm->slots_arch_lock is fine.
void ok_param_two_hops(struct kvm *kvm)
{
	int idx = srcu_read_lock(&kvm->srcu);

	lock_unlock_indirect(&kvm->slots_arch_lock);	// no-warning
	srcu_read_unlock(&kvm->srcu, idx);
}

// A struct pointer parameter: the lock is a field of whatever the caller
// passes.
static void lock_vm(struct kvm *k)
{
	mutex_lock(&k->lock);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&k->lock);
}

void bad_struct_param(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_struct_param'}}
	lock_vm(vcpu->kvm);		// expected-note{{'bad_struct_param' calls 'lock_vm' here}}
	mutex_unlock(&vcpu->mutex);
}

// Two parameters, taken in the order the rules want when the caller passes
// them the right way round.
static void lock_both(struct mutex *outer, struct mutex *inner)
{
	mutex_lock(outer);
	mutex_lock(inner);
	mutex_unlock(inner);
	mutex_unlock(outer);
}

void ok_lock_both(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	lock_both(&kvm->lock, &vcpu->mutex);	// no-warning
}
