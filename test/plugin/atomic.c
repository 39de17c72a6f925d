// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// atomic.c - no sleeping while atomic: a mutex, an rw_semaphore,
// cpus_read_lock() or synchronize_srcu() may sleep, so none may be taken
// while a spinlock, raw spinlock or rwlock is held or inside an RCU
// read-side critical section.
//
// The kinds come from test.lockorder:
//
//     spinlock     kvm->arch.tdp_mmu_pages_lock, kvm->mn_invalidate_lock
//     raw_spinlock kvm->arch.tsc_write_lock
//     rwlock       kvm->mmu_lock
//     rcu          rcu
//
// No rule needs stating, so there is no "rule stated here" note.

#include "kvm.h"

void bad_mutex_under_spinlock(struct kvm *kvm)
{
	spin_lock(&kvm->mn_invalidate_lock);	// expected-note{{'kvm->mn_invalidate_lock' acquired here}}
	mutex_lock(&kvm->lock);			// expected-warning{{sleeping lock 'kvm->lock' acquired while holding spinlock 'kvm->mn_invalidate_lock'}}
	mutex_unlock(&kvm->lock);
	spin_unlock(&kvm->mn_invalidate_lock);
}

void bad_mutex_under_irqsave(struct kvm *kvm)
{
	unsigned long flags;

	spin_lock_irqsave(&kvm->mn_invalidate_lock, flags);	// expected-note{{'kvm->mn_invalidate_lock' acquired here}}
	mutex_lock(&kvm->irq_lock);				// expected-warning{{sleeping lock 'kvm->irq_lock' acquired while holding spinlock 'kvm->mn_invalidate_lock'}}
	mutex_unlock(&kvm->irq_lock);
	spin_unlock_irqrestore(&kvm->mn_invalidate_lock, flags);
}

void bad_mutex_under_raw_spinlock(struct kvm *kvm)
{
	raw_spin_lock(&kvm->arch.tsc_write_lock);	// expected-note{{'kvm->arch.tsc_write_lock' acquired here}}
	mutex_lock(&kvm->slots_lock);			// expected-warning{{sleeping lock 'kvm->slots_lock' acquired while holding raw_spinlock 'kvm->arch.tsc_write_lock'}}
	mutex_unlock(&kvm->slots_lock);
	raw_spin_unlock(&kvm->arch.tsc_write_lock);
}

// Holding an rwlock for read is as atomic as holding it for write.
void bad_mutex_under_read_lock(struct kvm *kvm)
{
	read_lock(&kvm->mmu_lock);			// expected-note{{'kvm->mmu_lock' acquired here}}
	mutex_lock(&kvm->slots_arch_lock);		// expected-warning{{sleeping lock 'kvm->slots_arch_lock' acquired while holding rwlock 'kvm->mmu_lock'}}
	mutex_unlock(&kvm->slots_arch_lock);
	read_unlock(&kvm->mmu_lock);
}

void bad_mutex_under_rcu(struct kvm_vcpu *vcpu)
{
	rcu_read_lock();				// expected-note{{'rcu' acquired here}}
	mutex_lock(&vcpu->mutex);			// expected-warning{{sleeping lock 'vcpu->mutex' acquired while holding rcu 'rcu'}}
	mutex_unlock(&vcpu->mutex);
	rcu_read_unlock();
}

// Taking an rw_semaphore for read sleeps too.
void bad_rwsem_under_spinlock(struct kvm *kvm)
{
	spin_lock(&kvm->mn_invalidate_lock);		// expected-note{{'kvm->mn_invalidate_lock' acquired here}}
	down_read(&kvm->arch.apicv_update_lock);	// expected-warning{{sleeping lock 'kvm->arch.apicv_update_lock' acquired while holding spinlock 'kvm->mn_invalidate_lock'}}
	up_read(&kvm->arch.apicv_update_lock);
	spin_unlock(&kvm->mn_invalidate_lock);
}

void bad_cpus_read_lock_under_spinlock(struct kvm *kvm)
{
	spin_lock(&kvm->mn_invalidate_lock);		// expected-note{{'kvm->mn_invalidate_lock' acquired here}}
	cpus_read_lock();				// expected-warning{{sleeping lock 'cpus_read_lock' acquired while holding spinlock 'kvm->mn_invalidate_lock'}}
	cpus_read_unlock();
	spin_unlock(&kvm->mn_invalidate_lock);
}

void bad_wait_under_spinlock(struct kvm *kvm)
{
	spin_lock(&kvm->mn_invalidate_lock);		// expected-note{{'kvm->mn_invalidate_lock' acquired here}}
	synchronize_srcu(&kvm->srcu);			// expected-warning{{waiting for 'kvm->srcu' readers sleeps while holding spinlock 'kvm->mn_invalidate_lock'}}
	spin_unlock(&kvm->mn_invalidate_lock);
}

// A spinlock inside a mutex is the usual way round.
void ok_spinlock_under_mutex(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	spin_lock(&vcpu->kvm->mn_invalidate_lock);	// no-warning
	spin_unlock(&vcpu->kvm->mn_invalidate_lock);
	mutex_unlock(&vcpu->mutex);
}

// A spinlock inside an RCU read-side critical section does not sleep.
void ok_spinlock_under_rcu(struct kvm *kvm)
{
	rcu_read_lock();
	spin_lock(&kvm->mn_invalidate_lock);		// no-warning
	spin_unlock(&kvm->mn_invalidate_lock);
	rcu_read_unlock();
}

// The SRCU read side never sleeps to enter.
void ok_srcu_reader_under_spinlock(struct kvm *kvm)
{
	int idx;

	spin_lock(&kvm->mn_invalidate_lock);
	idx = srcu_read_lock(&kvm->srcu);		// no-warning
	srcu_read_unlock(&kvm->srcu, idx);
	spin_unlock(&kvm->mn_invalidate_lock);
}

// Atomic only until the spinlock is released.
void ok_mutex_after_unlock(struct kvm *kvm)
{
	unsigned long flags;

	spin_lock_irqsave(&kvm->mn_invalidate_lock, flags);
	spin_unlock_irqrestore(&kvm->mn_invalidate_lock, flags);
	mutex_lock(&kvm->lock);				// no-warning
	mutex_unlock(&kvm->lock);
}

// Holding a mutex does not make anyone atomic.
void ok_mutex_under_mutex(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);
	mutex_lock(&kvm->irq_lock);			// no-warning
	mutex_unlock(&kvm->irq_lock);
	mutex_unlock(&kvm->lock);
}
