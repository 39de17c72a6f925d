/*
 * arch/x86/kvm/vmx/vmx.c - the Intel vendor module: its exit handler
 * dispatches through an array of handlers indexed by exit reason, and the
 * VMCALL handler emulates the hypercall in x86.c.  Its ops reach x86.c
 * only through vmx_init_ops: nothing in x86.c names a vmx_* function.
 */
#include <linux/kvm_host.h>

#define EXIT_REASON_HLT		12
#define EXIT_REASON_VMCALL	18

static int handle_halt(struct kvm_vcpu *vcpu)
{
	return 1;
}

static int handle_vmcall(struct kvm_vcpu *vcpu)
{
	return kvm_emulate_hypercall(vcpu);
}

static int (*kvm_vmx_exit_handlers[])(struct kvm_vcpu *vcpu) = {
	[EXIT_REASON_HLT]	= handle_halt,
	[EXIT_REASON_VMCALL]	= handle_vmcall,
};

static const int kvm_vmx_max_exit_handlers = ARRAY_SIZE(kvm_vmx_exit_handlers);

static int vmx_vcpu_run(struct kvm_vcpu *vcpu)
{
	vcpu->arch.exit_reason = EXIT_REASON_VMCALL;
	return 1;
}

static int vmx_handle_exit(struct kvm_vcpu *vcpu)
{
	u32 exit_reason = vcpu->arch.exit_reason;

	if (exit_reason >= kvm_vmx_max_exit_handlers ||
	    !kvm_vmx_exit_handlers[exit_reason])
		return 0;
	return kvm_vmx_exit_handlers[exit_reason](vcpu);
}

static struct kvm_x86_ops vmx_x86_ops = {
	.name = KBUILD_MODNAME,
	.vcpu_run = vmx_vcpu_run,
	.handle_exit = vmx_handle_exit,
};

static struct kvm_x86_init_ops vmx_init_ops = {
	.runtime_ops = &vmx_x86_ops,
};

int vmx_init(void)
{
	return kvm_x86_vendor_init(&vmx_init_ops);
}
