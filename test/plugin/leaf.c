// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// leaf.c - `leaf L`: no declared lock is taken, and no srcu_struct waited
// for, while L is held.
//
// On x86 (test.lockorder):
//
// - kvm->arch.xen.xen_lock is a leaf: nothing else is taken while it is
//   held.  It was given to the Xen code because a vCPU reached kvm->lock
//   from a guest hypercall with vcpu->mutex held, inside kvm->srcu.

#include "kvm.h"

void ok_leaf_inside_kvm_lock(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);
	mutex_lock(&kvm->arch.xen.xen_lock);	// no-warning
	mutex_unlock(&kvm->arch.xen.xen_lock);
	mutex_unlock(&kvm->lock);
}

void bad_mutex_inside_leaf(struct kvm *kvm)
{
	mutex_lock(&kvm->arch.xen.xen_lock);	// expected-note{{'kvm->arch.xen.xen_lock' acquired here}}
	mutex_lock(&kvm->irq_lock);		// expected-warning{{'kvm->irq_lock' acquired while holding 'kvm->arch.xen.xen_lock'; rules make 'kvm->arch.xen.xen_lock' a leaf lock}}
						// expected-note@Inputs/test.lockorder:108 {{rule stated here}}
	mutex_unlock(&kvm->irq_lock);
	mutex_unlock(&kvm->arch.xen.xen_lock);
}

// A spinlock is a lock too.  spin_lock() is an inline of kernel.h, so the
// acquisition itself is noted there.
void bad_spinlock_inside_leaf(struct kvm *kvm)
{
	mutex_lock(&kvm->arch.xen.xen_lock);	// expected-note{{'kvm->arch.xen.xen_lock' acquired here}}
	spin_lock(&kvm->mn_invalidate_lock);	// expected-warning{{'kvm->mn_invalidate_lock' acquired while holding 'kvm->arch.xen.xen_lock'; rules make 'kvm->arch.xen.xen_lock' a leaf lock}}
						// expected-note@Inputs/kernel.h:72 {{'kvm->mn_invalidate_lock' acquired here in 'spin_lock'}}
						// expected-note@Inputs/test.lockorder:108 {{rule stated here}}
	spin_unlock(&kvm->mn_invalidate_lock);
	mutex_unlock(&kvm->arch.xen.xen_lock);
}

// kvm_xen_eventfd_reset() as first fixed: it waited for kvm->srcu readers
// with kvm->arch.xen.xen_lock held, and a vCPU takes xen_lock inside a
// kvm->srcu read-side critical section.
void bad_wait_inside_leaf(struct kvm *kvm)
{
	mutex_lock(&kvm->arch.xen.xen_lock);	// expected-note{{'kvm->arch.xen.xen_lock' acquired here}}
	synchronize_srcu(&kvm->srcu);		// expected-warning{{waiting for 'kvm->srcu' readers while holding 'kvm->arch.xen.xen_lock'; rules make 'kvm->arch.xen.xen_lock' a leaf lock}}
						// expected-note@Inputs/test.lockorder:108 {{rule stated here}}
	mutex_unlock(&kvm->arch.xen.xen_lock);
}

// Entering a read-side critical section never blocks, so it is never what
// breaks a rule; the Xen shared-info code does this with xen_lock held.
void ok_srcu_reader_inside_leaf(struct kvm *kvm)
{
	int idx;

	mutex_lock(&kvm->arch.xen.xen_lock);
	idx = srcu_read_lock(&kvm->srcu);	// no-warning
	srcu_read_unlock(&kvm->srcu, idx);
	mutex_unlock(&kvm->arch.xen.xen_lock);
}

// Nor does a trylock.
void ok_trylock_inside_leaf(struct kvm *kvm)
{
	mutex_lock(&kvm->arch.xen.xen_lock);
	if (mutex_trylock(&kvm->irq_lock))	// no-warning
		mutex_unlock(&kvm->irq_lock);
	mutex_unlock(&kvm->arch.xen.xen_lock);
}

// `leaf` speaks of declared locks only: apic_map_lock is not in the rules.
void ok_undeclared_inside_leaf(struct kvm *kvm)
{
	mutex_lock(&kvm->arch.xen.xen_lock);
	mutex_lock(&kvm->arch.apic_map_lock);	// no-warning
	mutex_unlock(&kvm->arch.apic_map_lock);
	mutex_unlock(&kvm->arch.xen.xen_lock);
}

// Released before anything else is taken.
void ok_after_leaf(struct kvm *kvm)
{
	mutex_lock(&kvm->arch.xen.xen_lock);
	mutex_unlock(&kvm->arch.xen.xen_lock);
	mutex_lock(&kvm->irq_lock);		// no-warning
	mutex_unlock(&kvm->irq_lock);
}
