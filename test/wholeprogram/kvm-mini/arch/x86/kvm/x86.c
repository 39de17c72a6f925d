/*
 * arch/x86/kvm/x86.c - the vCPU run loop.  It is inside a kvm->srcu
 * read-side critical section except while the guest runs, and it reaches
 * the vendor's exit handler through kvm_x86_ops (or, with
 * -DVARIANT_STATIC_CALL, through the static call kvm_x86_handle_exit as
 * Linux 6.1 does).  kvm_emulate_hypercall() is what the vendor's VMCALL
 * handler comes back to.
 */
#include <linux/kvm_host.h>

struct kvm_x86_ops kvm_x86_ops;

DEFINE_STATIC_CALL_NULL(kvm_x86_handle_exit, *(((struct kvm_x86_ops *)0)->handle_exit));

/* The vendor's ops are copied in, and the static calls pointed at them. */
static void kvm_ops_update(struct kvm_x86_init_ops *ops)
{
	memcpy(&kvm_x86_ops, ops->runtime_ops, sizeof(kvm_x86_ops));
	static_call_update(kvm_x86_handle_exit, kvm_x86_ops.handle_exit);
}

int kvm_x86_vendor_init(struct kvm_x86_init_ops *ops)
{
	kvm_ops_update(ops);
	return 0;
}

int kvm_emulate_hypercall(struct kvm_vcpu *vcpu)
{
	if (vcpu->kvm->arch.xen.hypercall_enabled)
		return kvm_xen_hypercall(vcpu);
	return 1;
}

static int vcpu_enter_guest(struct kvm_vcpu *vcpu)
{
	int r;

	/* the guest runs outside the read-side section... */
	kvm_vcpu_srcu_read_unlock(vcpu);
	r = kvm_x86_ops.vcpu_run(vcpu);
	/* ...and its exit is handled inside it */
	kvm_vcpu_srcu_read_lock(vcpu);
	if (r <= 0)
		return r;
#ifdef VARIANT_STATIC_CALL
	return static_call(kvm_x86_handle_exit)(vcpu);
#else
	return kvm_x86_ops.handle_exit(vcpu);
#endif
}

static int vcpu_run(struct kvm_vcpu *vcpu)
{
	int r;

	kvm_vcpu_srcu_read_lock(vcpu);
	for (;;) {
		r = vcpu_enter_guest(vcpu);
		if (r <= 0)
			break;
	}
	kvm_vcpu_srcu_read_unlock(vcpu);
	return r;
}

int kvm_arch_vcpu_ioctl_run(struct kvm_vcpu *vcpu)
{
	return vcpu_run(vcpu);
}
