/*
 * kvm_host.h - static inline helpers of the kind include/linux/kvm_host.h
 * is full of.  They have bodies and no rule, so the plugin follows them
 * into this header when a function of the main file calls them.
 *
 * header-inline.c points notes at lines of this file: add at the end.
 */
#ifndef LOCKORDER_TEST_KVM_HOST_H
#define LOCKORDER_TEST_KVM_HOST_H

#include "kvm.h"

/* Enters a kvm->srcu read-side critical section for the vCPU's VM. */
static inline void kvm_vcpu_srcu_read_lock(struct kvm_vcpu *vcpu)
{
	vcpu->srcu_idx = srcu_read_lock(&vcpu->kvm->srcu);
}

static inline void kvm_vcpu_srcu_read_unlock(struct kvm_vcpu *vcpu)
{
	srcu_read_unlock(&vcpu->kvm->srcu, vcpu->srcu_idx);
}

/* Takes and drops kvm->lock around a flush. */
static inline void kvm_arch_flush_locked(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);
	kvm_flush_remote_tlbs(kvm);
	mutex_unlock(&kvm->lock);
}

/* Two inline levels: reaches kvm->lock through kvm_arch_flush_locked(). */
static inline void kvm_arch_flush_all(struct kvm *kvm)
{
	kvm_arch_sync_events(kvm);
	kvm_arch_flush_locked(kvm);
}

/* Returns with kvm->slots_lock held; kvm_slots_unlock() drops it. */
static inline void kvm_slots_lock(struct kvm *kvm)
{
	mutex_lock(&kvm->slots_lock);
}

static inline void kvm_slots_unlock(struct kvm *kvm)
{
	mutex_unlock(&kvm->slots_lock);
}

#endif /* LOCKORDER_TEST_KVM_HOST_H */
