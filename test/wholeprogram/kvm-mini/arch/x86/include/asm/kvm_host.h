/*
 * asm/kvm_host.h - x86's part of KVM, cut down to what the Xen deadlock
 * needs: the Xen state with its own lock, and the vendor operations
 * (struct kvm_x86_ops), called through the global kvm_x86_ops and through
 * the static call kvm_x86_handle_exit, as in Linux 6.1.
 */
#ifndef KVM_MINI_ASM_KVM_HOST_H
#define KVM_MINI_ASM_KVM_HOST_H

#include <linux/kernel.h>

struct kvm;
struct kvm_vcpu;

struct kvm_xen {
	struct mutex xen_lock;
	u64 evtchn_pending_sel;
	int hypercall_enabled;
};

struct kvm_arch {
	struct kvm_xen xen;
};

struct kvm_vcpu_arch {
	u32 exit_reason;
	u64 regs[16];
};

/* The vendor module's operations (vmx.c fills one, svm.c another). */
struct kvm_x86_ops {
	const char *name;
	int (*vcpu_run)(struct kvm_vcpu *vcpu);
	int (*handle_exit)(struct kvm_vcpu *vcpu);
};

struct kvm_x86_init_ops {
	struct kvm_x86_ops *runtime_ops;
};

/* x86.c: the vendor's ops are copied in here by kvm_ops_update(). */
extern struct kvm_x86_ops kvm_x86_ops;

/* KVM_X86_OP(handle_exit) in kvm-x86-ops.h */
DECLARE_STATIC_CALL(kvm_x86_handle_exit, *(((struct kvm_x86_ops *)0)->handle_exit));

int kvm_x86_vendor_init(struct kvm_x86_init_ops *ops);
int kvm_emulate_hypercall(struct kvm_vcpu *vcpu);

/* xen.c */
int kvm_xen_hypercall(struct kvm_vcpu *vcpu);

#endif /* KVM_MINI_ASM_KVM_HOST_H */
