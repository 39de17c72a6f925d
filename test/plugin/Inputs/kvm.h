/*
 * kvm.h - KVM's structures, cut down to their locks, for the lockorder
 * plugin tests.
 *
 * The struct and field names are the real ones (include/linux/kvm_host.h,
 * arch/x86/include/asm/kvm_host.h), so that test.lockorder can spell the
 * locks as Documentation/virt/kvm/locking.rst does: kvm->lock, vcpu->mutex,
 * kvm->arch.xen.xen_lock.
 */
#ifndef LOCKORDER_TEST_KVM_H
#define LOCKORDER_TEST_KVM_H

#include "kernel.h"

struct kvm_xen {
	struct mutex xen_lock;
	unsigned int evtchn_pending_sel;
	unsigned long shinfo_gfn;
};

struct kvm_arch {
	struct kvm_xen xen;
	spinlock_t tdp_mmu_pages_lock;
	raw_spinlock_t tsc_write_lock;
	struct rw_semaphore apicv_update_lock;
	struct mutex apic_map_lock;		/* not in test.lockorder */
	unsigned long n_used_mmu_pages;
};

struct kvm {
	struct mutex lock;
	struct mutex slots_lock;
	struct mutex slots_arch_lock;
	struct mutex irq_lock;
	struct srcu_struct srcu;
	struct srcu_struct irq_srcu;		/* not in test.lockorder */
	rwlock_t mmu_lock;
	spinlock_t mn_invalidate_lock;
	struct kvm_arch arch;
	int created_vcpus;
	struct kvm_vcpu *vcpus[8];
};

struct kvm_vcpu {
	struct kvm *kvm;
	struct mutex mutex;
	int srcu_idx;
	int vcpu_id;
};

/* arch/x86/kvm/vmx/vmx.h: the VMX VM embeds struct kvm by value. */
struct kvm_vmx {
	struct kvm kvm;
	unsigned int tss_addr;
};

/* virt/kvm/kvm_main.c: protects vm_list. */
extern struct mutex kvm_lock;

/*
 * Functions with no body here and no rule in test.lockorder: the plugin
 * knows nothing about them and gives them no effect.
 */
void kvm_flush_remote_tlbs(struct kvm *kvm);
int kvm_arch_vcpu_setup(struct kvm_vcpu *vcpu);
int kvm_vcpu_check_block(struct kvm_vcpu *vcpu);
int kvm_vcpu_enter_guest(struct kvm_vcpu *vcpu);
void kvm_arch_sync_events(struct kvm *kvm);
int kvm_handle_exit(struct kvm_vcpu *vcpu);

#endif /* LOCKORDER_TEST_KVM_H */
