// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// recursive.c - taking a lock of a class already held, as lockdep sees it:
// two locks of one class held at once without distinct subclasses are a
// possible self-deadlock.
//
// mutex_lock(l) is mutex_lock_nested(l, 0) under CONFIG_PROVE_LOCKING, and
// subclass 0 is the class itself; a non-zero constant subclass such as
// SINGLE_DEPTH_NESTING is a class of its own.  Read sides that may nest
// (srcu, rcu, rwlock readers) nest.

#include "kvm.h"

void bad_same_lock_twice(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);		// expected-note{{'kvm->lock' acquired here}}
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while already holding 'kvm->lock'; possible recursive locking}}
	mutex_unlock(&kvm->lock);
	mutex_unlock(&kvm->lock);
}

// Two VMs' kvm->lock are one class.
void bad_two_vms(struct kvm *src, struct kvm *dst)
{
	mutex_lock(&src->lock);		// expected-note{{'kvm->lock' acquired here}}
	mutex_lock(&dst->lock);		// expected-warning{{'kvm->lock' acquired while already holding 'kvm->lock'; possible recursive locking}}
	mutex_unlock(&dst->lock);
	mutex_unlock(&src->lock);
}

// sev_lock_two_vms(): the second VM's lock gets its own subclass.
void ok_two_vms_nested(struct kvm *src, struct kvm *dst)
{
	mutex_lock(&src->lock);
	mutex_lock_nested(&dst->lock, SINGLE_DEPTH_NESTING);	// no-warning
	mutex_unlock(&dst->lock);
	mutex_unlock(&src->lock);
}

// Subclass 0 spelled out is still the class itself.
void bad_two_vms_subclass_zero(struct kvm *src, struct kvm *dst)
{
	mutex_lock(&src->lock);			// expected-note{{'kvm->lock' acquired here}}
	mutex_lock_nested(&dst->lock, 0);	// expected-warning{{'kvm->lock' acquired while already holding 'kvm->lock'; possible recursive locking}}
	mutex_unlock(&dst->lock);
	mutex_unlock(&src->lock);
}

void ok_lock_unlock_lock(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);
	mutex_unlock(&kvm->lock);
	mutex_lock(&kvm->lock);		// no-warning
	mutex_unlock(&kvm->lock);
}

// Locks the rules do not declare are named as the code spells them.
void bad_undeclared_twice(struct kvm *kvm)
{
	mutex_lock(&kvm->arch.apic_map_lock);	// expected-note{{'kvm->arch.apic_map_lock' acquired here}}
	mutex_lock(&kvm->arch.apic_map_lock);	// expected-warning{{'kvm->arch.apic_map_lock' acquired while already holding 'kvm->arch.apic_map_lock'; possible recursive locking}}
	mutex_unlock(&kvm->arch.apic_map_lock);
	mutex_unlock(&kvm->arch.apic_map_lock);
}

void bad_write_lock_twice(struct kvm *kvm)
{
	write_lock(&kvm->mmu_lock);	// expected-note{{'kvm->mmu_lock' acquired here}}
	write_lock(&kvm->mmu_lock);	// expected-warning{{'kvm->mmu_lock' acquired while already holding 'kvm->mmu_lock'; possible recursive locking}}
	write_unlock(&kvm->mmu_lock);
	write_unlock(&kvm->mmu_lock);
}

// Read-side critical sections nest.
void ok_srcu_readers_nest(struct kvm *kvm)
{
	int idx1, idx2;

	idx1 = srcu_read_lock(&kvm->srcu);
	idx2 = srcu_read_lock(&kvm->srcu);	// no-warning
	srcu_read_unlock(&kvm->srcu, idx2);
	srcu_read_unlock(&kvm->srcu, idx1);
}

void ok_rcu_readers_nest(void)
{
	rcu_read_lock();
	rcu_read_lock();			// no-warning
	rcu_read_unlock();
	rcu_read_unlock();
}

void ok_rwlock_readers_nest(struct kvm *kvm)
{
	read_lock(&kvm->mmu_lock);
	read_lock(&kvm->mmu_lock);		// no-warning
	read_unlock(&kvm->mmu_lock);
	read_unlock(&kvm->mmu_lock);
}

// virt/kvm/kvm_main.c kvm_create_vm(): every VM's kvm->lock gets the one
// key of this mutex_init(), so two VMs' locks are one lockdep class and
// bad_two_vms() above is recursive locking (without the key in sight it
// would not be proven: lock-class-objects.c).
void kvm_create_vm_lock(struct kvm *kvm)
{
	mutex_init(&kvm->lock);
}
