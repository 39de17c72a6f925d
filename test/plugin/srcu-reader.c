// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// srcu-reader.c - locks that synchronize_srcu() is called inside cannot be
// taken inside a read-side critical section of the same srcu_struct.
//
// For SRCU (test.lockorder):
//
// - synchronize_srcu(&kvm->srcu) is called inside critical sections for
//   kvm->lock, vcpu->mutex and kvm->slots_lock.  These locks _cannot_ be
//   taken inside a kvm->srcu read-side critical section; that is, the
//   following is broken:
//
//       srcu_read_lock(&kvm->srcu);
//       mutex_lock(&kvm->slots_lock);
//
// - kvm->slots_arch_lock instead is released before the call to
//   synchronize_srcu().  It _can_ therefore be taken inside a kvm->srcu
//   read-side critical section, for example while processing a vmexit.

#include "kvm.h"

void bad_slots_lock_in_reader(struct kvm *kvm)
{
	int idx = srcu_read_lock(&kvm->srcu);	// expected-note{{'kvm->srcu' acquired here}}

	mutex_lock(&kvm->slots_lock);		// expected-warning{{'kvm->slots_lock' acquired inside a 'kvm->srcu' read-side critical section; rules put 'kvm->slots_lock' outside 'kvm->srcu'}}
						// expected-note@Inputs/test.lockorder:92 {{rule stated here}}
	mutex_unlock(&kvm->slots_lock);
	srcu_read_unlock(&kvm->srcu, idx);
}

void bad_kvm_lock_in_reader(struct kvm *kvm)
{
	int idx = srcu_read_lock(&kvm->srcu);	// expected-note{{'kvm->srcu' acquired here}}

	mutex_lock(&kvm->lock);			// expected-warning{{'kvm->lock' acquired inside a 'kvm->srcu' read-side critical section; rules put 'kvm->lock' outside 'kvm->srcu'}}
						// expected-note@Inputs/test.lockorder:92 {{rule stated here}}
	mutex_unlock(&kvm->lock);
	srcu_read_unlock(&kvm->srcu, idx);
}

void bad_vcpu_mutex_in_reader(struct kvm_vcpu *vcpu)
{
	int idx = srcu_read_lock(&vcpu->kvm->srcu);	// expected-note{{'kvm->srcu' acquired here}}

	mutex_lock(&vcpu->mutex);			// expected-warning{{'vcpu->mutex' acquired inside a 'kvm->srcu' read-side critical section; rules put 'vcpu->mutex' outside 'kvm->srcu'}}
							// expected-note@Inputs/test.lockorder:92 {{rule stated here}}
	mutex_unlock(&vcpu->mutex);
	srcu_read_unlock(&vcpu->kvm->srcu, idx);
}

// A killable lock blocks as well as mutex_lock() does.
int bad_killable_in_reader(struct kvm *kvm)
{
	int idx = srcu_read_lock(&kvm->srcu);	// expected-note{{'kvm->srcu' acquired here}}

	if (mutex_lock_killable(&kvm->slots_lock)) {	// expected-warning{{'kvm->slots_lock' acquired inside a 'kvm->srcu' read-side critical section; rules put 'kvm->slots_lock' outside 'kvm->srcu'}}
							// expected-note@Inputs/test.lockorder:92 {{rule stated here}}
		srcu_read_unlock(&kvm->srcu, idx);
		return -EINTR;
	}
	mutex_unlock(&kvm->slots_lock);
	srcu_read_unlock(&kvm->srcu, idx);
	return 0;
}

// kvm->slots_arch_lock is taken inside the read side while handling a vmexit.
void ok_slots_arch_lock_in_reader(struct kvm *kvm)
{
	int idx = srcu_read_lock(&kvm->srcu);

	mutex_lock(&kvm->slots_arch_lock);	// no-warning
	mutex_unlock(&kvm->slots_arch_lock);
	srcu_read_unlock(&kvm->srcu, idx);
}

// No rule puts kvm->irq_lock outside kvm->srcu.
void ok_irq_lock_in_reader(struct kvm *kvm)
{
	int idx = srcu_read_lock(&kvm->srcu);

	mutex_lock(&kvm->irq_lock);		// no-warning
	mutex_unlock(&kvm->irq_lock);
	srcu_read_unlock(&kvm->srcu, idx);
}

// The read-side critical section ends at srcu_read_unlock().
void ok_after_reader(struct kvm *kvm)
{
	int idx = srcu_read_lock(&kvm->srcu);

	srcu_read_unlock(&kvm->srcu, idx);
	mutex_lock(&kvm->slots_lock);		// no-warning
	mutex_unlock(&kvm->slots_lock);
}

// Entering the read side inside kvm->slots_lock is the documented order.
void ok_reader_inside_slots_lock(struct kvm *kvm)
{
	int idx;

	mutex_lock(&kvm->slots_lock);
	idx = srcu_read_lock(&kvm->srcu);	// no-warning
	srcu_read_unlock(&kvm->srcu, idx);
	mutex_unlock(&kvm->slots_lock);
}

// A trylock cannot block, so it cannot wait for a synchronize_srcu() that
// waits for this reader.
void ok_trylock_in_reader(struct kvm *kvm)
{
	int idx = srcu_read_lock(&kvm->srcu);

	if (mutex_trylock(&kvm->slots_lock))	// no-warning
		mutex_unlock(&kvm->slots_lock);
	srcu_read_unlock(&kvm->srcu, idx);
}
