// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// alias.c - one lock, many spellings.  A local pointer to the lock, a cast,
// spinlock_check(), the raw_spinlock inside a spinlock_t and the dep_map
// inside any lock all name the lock itself; &vcpu->kvm->lock is kvm->lock.
// Findings name the lock as the rules spell it, whatever the code says.
//
// The checks use `kvm_lock outside kvm->lock`, `kvm->lock outside
// vcpu->mutex` and the spinlock kind of kvm->mn_invalidate_lock
// (test.lockorder).

#include "kvm.h"

void bad_local_alias(struct kvm *kvm)
{
	struct mutex *m = &kvm->lock;

	mutex_lock(m);			// expected-note{{'kvm->lock' acquired here}}
	mutex_lock(&kvm_lock);		// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
					// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(m);
}

// Released through the alias.
void ok_unlock_through_alias(struct kvm *kvm)
{
	struct mutex *m = &kvm->lock;

	mutex_lock(&kvm->lock);
	mutex_unlock(m);
	mutex_lock(&kvm_lock);		// no-warning
	mutex_unlock(&kvm_lock);
}

// The alias names what it was last set to.
void bad_alias_reassigned(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	struct mutex *m = &vcpu->mutex;

	mutex_lock(m);			// expected-note{{'vcpu->mutex' acquired here}}
	m = &kvm->lock;
	mutex_lock(m);			// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(m);
	mutex_unlock(&vcpu->mutex);
}

void bad_casts(struct kvm *kvm)
{
	mutex_lock((struct mutex *)(void *)&kvm->lock);	// expected-note{{'kvm->lock' acquired here}}
	mutex_lock((struct mutex *)&kvm_lock);		// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
							// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
}

// &vcpu->kvm->lock and a local struct kvm * are kvm->lock.
void bad_through_vcpu(struct kvm_vcpu *vcpu)
{
	struct kvm *kvm = vcpu->kvm;

	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here}}
	mutex_lock(&vcpu->kvm->lock);	// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&kvm->lock);
	mutex_unlock(&vcpu->mutex);
}

void bad_same_lock_two_spellings(struct kvm_vcpu *vcpu)
{
	struct kvm *kvm = vcpu->kvm;

	mutex_lock(&vcpu->kvm->lock);	// expected-note{{'kvm->lock' acquired here}}
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while already holding 'kvm->lock'; possible recursive locking}}
	mutex_unlock(&kvm->lock);
	mutex_unlock(&kvm->lock);
}

// spin_lock_irqsave() passes the lock through spinlock_check().
void bad_irqsave_spinlock_check(struct kvm *kvm)
{
	unsigned long flags;

	spin_lock_irqsave(&kvm->mn_invalidate_lock, flags);	// expected-note{{'kvm->mn_invalidate_lock' acquired here}}
	mutex_lock(&kvm->lock);					// expected-warning{{sleeping lock 'kvm->lock' acquired while holding spinlock 'kvm->mn_invalidate_lock'}}
	mutex_unlock(&kvm->lock);
	spin_unlock_irqrestore(&kvm->mn_invalidate_lock, flags);
}

// The raw_spinlock inside a spinlock_t is the spinlock_t.
void bad_rlock_field(struct kvm *kvm)
{
	raw_spin_lock(&kvm->mn_invalidate_lock.rlock);	// expected-note{{'kvm->mn_invalidate_lock' acquired here}}
	mutex_lock(&kvm->irq_lock);			// expected-warning{{sleeping lock 'kvm->irq_lock' acquired while holding spinlock 'kvm->mn_invalidate_lock'}}
	mutex_unlock(&kvm->irq_lock);
	raw_spin_unlock(&kvm->mn_invalidate_lock.rlock);
}

// Taken as a spinlock_t, released through its rlock.
void ok_unlock_through_rlock(struct kvm *kvm)
{
	spin_lock(&kvm->mn_invalidate_lock);
	raw_spin_unlock(&kvm->mn_invalidate_lock.rlock);
	mutex_lock(&kvm->irq_lock);			// no-warning
	mutex_unlock(&kvm->irq_lock);
}

// A lock's dep_map is the lock: lock_is_held_type() on it, as
// lockdep_assert_held() expands, asserts the lock.
void bad_dep_map(struct kvm *kvm)
{
	(void)lock_is_held_type(&kvm->lock.dep_map, -1);	// expected-note{{'kvm->lock' asserted held here}}
	mutex_lock(&kvm_lock);					// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
								// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
}
