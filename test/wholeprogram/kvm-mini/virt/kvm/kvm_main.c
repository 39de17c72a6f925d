/*
 * virt/kvm/kvm_main.c - the vCPU ioctl: KVM_RUN holds vcpu->mutex for as
 * long as the vCPU runs, guest exits included.
 *
 * The kernel builds this file from arch/x86/kvm/ as
 * arch/x86/kvm/../../../virt/kvm/kvm_main.c; compile_commands.json.in
 * names it that way too.
 */
#include <linux/kvm_host.h>

/* KBUILD_MODNAME comes from the compile command as -DKBUILD_MODNAME='"kvm"':
 * this only compiles if lockorder split the command as a shell would. */
const char *kvm_module_name(void)
{
	return KBUILD_MODNAME;
}

long kvm_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned int ioctl)
{
	long r = -EINVAL;

	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	switch (ioctl) {
	case KVM_RUN:
		r = kvm_arch_vcpu_ioctl_run(vcpu);
		break;
	}
	mutex_unlock(&vcpu->mutex);
	return r;
}
