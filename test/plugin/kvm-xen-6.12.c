// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// kvm-xen-6.12.c - the code of kvm-xen-6.1.c as Linux 6.12 has it, after
// the fix: the Xen code takes its own leaf lock, kvm->arch.xen.xen_lock,
// which may be taken inside vcpu->mutex and inside kvm->srcu, and
// kvm_xen_eventfd_reset() calls synchronize_srcu() after dropping it.
// Nothing is reported.

#include "kvm_host.h"

/* arch/x86/kvm/xen.c */
static int kvm_xen_set_evtchn(struct kvm *kvm)
{
	mutex_lock(&kvm->arch.xen.xen_lock);		// no-warning
	kvm->arch.xen.evtchn_pending_sel |= 1;
	mutex_unlock(&kvm->arch.xen.xen_lock);
	return 0;
}

static int kvm_xen_hcall_evtchn_send(struct kvm_vcpu *vcpu)
{
	return kvm_xen_set_evtchn(vcpu->kvm);		// no-warning
}

static int kvm_xen_hypercall(struct kvm_vcpu *vcpu)
{
	return kvm_xen_hcall_evtchn_send(vcpu);		// no-warning
}

/* The VM ioctl path resets the event channels. */
int kvm_xen_eventfd_reset(struct kvm *kvm)
{
	mutex_lock(&kvm->arch.xen.xen_lock);
	kvm->arch.xen.evtchn_pending_sel = 0;
	mutex_unlock(&kvm->arch.xen.xen_lock);
	synchronize_srcu(&kvm->srcu);			// no-warning
	return 0;
}

/* arch/x86/kvm/x86.c */
static int vcpu_run(struct kvm_vcpu *vcpu)
{
	int r;

	kvm_vcpu_srcu_read_lock(vcpu);
	for (;;) {
		kvm_vcpu_srcu_read_unlock(vcpu);
		r = kvm_vcpu_enter_guest(vcpu);
		kvm_vcpu_srcu_read_lock(vcpu);
		if (r <= 0)
			break;
		r = kvm_xen_hypercall(vcpu);		// no-warning
		if (r <= 0)
			break;
	}
	kvm_vcpu_srcu_read_unlock(vcpu);
	return r;
}

static int kvm_arch_vcpu_ioctl_run(struct kvm_vcpu *vcpu)
{
	return vcpu_run(vcpu);				// no-warning
}

/* virt/kvm/kvm_main.c */
long kvm_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned int ioctl)
{
	long r = -EINVAL;

	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	switch (ioctl) {
	case 0xae80: /* KVM_RUN */
		r = kvm_arch_vcpu_ioctl_run(vcpu);	// no-warning
		break;
	}
	mutex_unlock(&vcpu->mutex);
	return r;
}

// -verify must be told that no diagnostic at all is expected.
// expected-no-diagnostics
