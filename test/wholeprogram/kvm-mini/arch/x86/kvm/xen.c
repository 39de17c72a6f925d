/*
 * arch/x86/kvm/xen.c - a guest's EVTCHNOP_send hypercall sets an event
 * channel.  Linux 6.1 (commit 2fd6df2f2b47) took kvm->lock here, from a
 * vCPU thread holding vcpu->mutex inside a kvm->srcu read-side section;
 * the fix (built with -DVARIANT_FIXED) takes the Xen code's own leaf lock,
 * kvm->arch.xen.xen_lock, instead.
 */
#include <linux/kvm_host.h>

#define EVTCHNOP_send		4
#define __HYPERVISOR_event_channel_op 32

int kvm_xen_set_evtchn(struct kvm *kvm, u32 port)
{
#ifdef VARIANT_FIXED
	mutex_lock(&kvm->arch.xen.xen_lock);
#else
	mutex_lock(&kvm->lock);
#endif
	kvm->arch.xen.evtchn_pending_sel |= 1ULL << (port & 63);
#ifdef VARIANT_FIXED
	mutex_unlock(&kvm->arch.xen.xen_lock);
#else
	mutex_unlock(&kvm->lock);
#endif
	return 0;
}

static int kvm_xen_hcall_evtchn_send(struct kvm_vcpu *vcpu, u64 param)
{
	return kvm_xen_set_evtchn(vcpu->kvm, (u32)param);
}

int kvm_xen_hypercall(struct kvm_vcpu *vcpu)
{
	u64 input = vcpu->arch.regs[0];

	if (input == __HYPERVISOR_event_channel_op &&
	    vcpu->arch.regs[1] == EVTCHNOP_send)
		return kvm_xen_hcall_evtchn_send(vcpu, vcpu->arch.regs[2]);
	return 1;
}
