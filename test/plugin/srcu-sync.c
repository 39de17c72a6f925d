// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// srcu-sync.c - synchronize_srcu() waits for every reader, so it counts as
// taking the srcu_struct exclusively: it must not be called while holding
// a lock that readers take.
//
// For SRCU (test.lockorder):
//
// - synchronize_srcu(&kvm->srcu) is called inside critical sections for
//   kvm->lock, vcpu->mutex and kvm->slots_lock.
// - kvm->slots_arch_lock instead is released before the call to
//   synchronize_srcu().  It _can_ therefore be taken inside a kvm->srcu
//   read-side critical section, for example while processing a vmexit.

#include "kvm.h"

// kvm_swap_active_memslots(): the wait happens inside kvm->slots_lock.
void ok_wait_inside_slots_lock(struct kvm *kvm)
{
	mutex_lock(&kvm->slots_lock);
	synchronize_srcu_expedited(&kvm->srcu);	// no-warning
	mutex_unlock(&kvm->slots_lock);
}

void ok_wait_inside_kvm_lock_and_vcpu_mutex(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&kvm->lock);
	mutex_lock(&vcpu->mutex);
	synchronize_srcu(&kvm->srcu);		// no-warning
	mutex_unlock(&vcpu->mutex);
	mutex_unlock(&kvm->lock);
}

// A vCPU may hold kvm->srcu and wait for kvm->slots_arch_lock: waiting for
// that vCPU with kvm->slots_arch_lock held never ends.
void bad_wait_inside_slots_arch_lock(struct kvm *kvm)
{
	mutex_lock(&kvm->slots_arch_lock);	// expected-note{{'kvm->slots_arch_lock' acquired here}}
	synchronize_srcu(&kvm->srcu);		// expected-warning{{waiting for 'kvm->srcu' readers while holding 'kvm->slots_arch_lock'; rules put 'kvm->slots_arch_lock' inside 'kvm->srcu'}}
						// expected-note@Inputs/test.lockorder:97 {{rule stated here}}
	mutex_unlock(&kvm->slots_arch_lock);
}

// Only the lock the readers may take is reported, not kvm->slots_lock.
void bad_expedited_inside_both(struct kvm *kvm)
{
	mutex_lock(&kvm->slots_lock);
	mutex_lock(&kvm->slots_arch_lock);	// expected-note{{'kvm->slots_arch_lock' acquired here}}
	synchronize_srcu_expedited(&kvm->srcu);	// expected-warning{{waiting for 'kvm->srcu' readers while holding 'kvm->slots_arch_lock'; rules put 'kvm->slots_arch_lock' inside 'kvm->srcu'}}
						// expected-note@Inputs/test.lockorder:97 {{rule stated here}}
	mutex_unlock(&kvm->slots_arch_lock);
	mutex_unlock(&kvm->slots_lock);
}

// What kvm_swap_active_memslots() does: drop kvm->slots_arch_lock, then wait.
void ok_slots_arch_lock_released_first(struct kvm *kvm)
{
	mutex_lock(&kvm->slots_lock);
	mutex_lock(&kvm->slots_arch_lock);
	mutex_unlock(&kvm->slots_arch_lock);
	synchronize_srcu_expedited(&kvm->srcu);	// no-warning
	mutex_unlock(&kvm->slots_lock);
}

// No rule relates kvm->irq_lock to kvm->srcu.
void ok_wait_inside_irq_lock(struct kvm *kvm)
{
	mutex_lock(&kvm->irq_lock);
	synchronize_srcu(&kvm->srcu);		// no-warning
	mutex_unlock(&kvm->irq_lock);
}
