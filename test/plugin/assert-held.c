// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// assert-held.c - lockdep_assert_held(l) says the caller holds l: from there
// on l counts as held, as if this function had taken it.  It is not an
// acquisition: asserting a lock already held is no recursion.
//
// The checks use `kvm_lock outside kvm->lock`, `kvm->lock outside
// vcpu->mutex` and the spinlock kind of kvm->mn_invalidate_lock
// (test.lockorder).

#include "kvm.h"

void ok_asserted_then_inner(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	lockdep_assert_held(&kvm->lock);
	mutex_lock(&vcpu->mutex);		// no-warning
	mutex_unlock(&vcpu->mutex);
}

void bad_asserted_then_same(struct kvm *kvm)
{
	lockdep_assert_held(&kvm->lock);	// expected-note{{'kvm->lock' asserted held here}}
	mutex_lock(&kvm->lock);			// expected-warning{{'kvm->lock' acquired while already holding 'kvm->lock'; possible recursive locking}}
	mutex_unlock(&kvm->lock);
}

void bad_asserted_then_outer(struct kvm *kvm)
{
	lockdep_assert_held(&kvm->lock);	// expected-note{{'kvm->lock' asserted held here}}
	mutex_lock(&kvm_lock);			// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
						// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
}

void ok_assert_what_is_held(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&kvm->lock);
	lockdep_assert_held(&kvm->lock);	// no-warning
	mutex_lock(&vcpu->mutex);		// no-warning
	mutex_unlock(&vcpu->mutex);
	mutex_unlock(&kvm->lock);
}

// The assertion holds from where it is written on, not before.
void ok_assert_comes_later(struct kvm *kvm)
{
	mutex_lock(&kvm_lock);			// no-warning
	mutex_unlock(&kvm_lock);
	lockdep_assert_held(&kvm->lock);
}

// An asserted spinlock makes the function atomic.  spinlock_t's dep_map
// sits beside rlock in its anonymous union.
void bad_asserted_spinlock(struct kvm *kvm)
{
	lockdep_assert_held(&kvm->mn_invalidate_lock);	// expected-note{{'kvm->mn_invalidate_lock' asserted held here}}
	mutex_lock(&kvm->irq_lock);			// expected-warning{{sleeping lock 'kvm->irq_lock' acquired while holding spinlock 'kvm->mn_invalidate_lock'}}
	mutex_unlock(&kvm->irq_lock);
}
