/*
 * linux/kvm_host.h - struct kvm and struct kvm_vcpu with their locks, and
 * the static inline SRCU helpers the run loop uses.  Names are the real
 * ones, so kvm.lockorder spells the locks as locking.rst does.
 */
#ifndef KVM_MINI_LINUX_KVM_HOST_H
#define KVM_MINI_LINUX_KVM_HOST_H

#include <linux/kernel.h>
#include <asm/kvm_host.h>

#define KVM_RUN 0xae80

struct kvm {
	struct mutex lock;
	struct mutex slots_lock;
	struct mutex slots_arch_lock;
	struct srcu_struct srcu;
	struct kvm_arch arch;
};

struct kvm_vcpu {
	struct kvm *kvm;
	struct mutex mutex;
	int srcu_idx;
	struct kvm_vcpu_arch arch;
};

/* Enters a kvm->srcu read-side critical section for the vCPU's VM. */
static inline void kvm_vcpu_srcu_read_lock(struct kvm_vcpu *vcpu)
{
	vcpu->srcu_idx = srcu_read_lock(&vcpu->kvm->srcu);
}

static inline void kvm_vcpu_srcu_read_unlock(struct kvm_vcpu *vcpu)
{
	srcu_read_unlock(&vcpu->kvm->srcu, vcpu->srcu_idx);
}

/* kvm_main.c */
long kvm_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned int ioctl);
const char *kvm_module_name(void);

/* x86.c */
int kvm_arch_vcpu_ioctl_run(struct kvm_vcpu *vcpu);

#endif /* KVM_MINI_LINUX_KVM_HOST_H */
