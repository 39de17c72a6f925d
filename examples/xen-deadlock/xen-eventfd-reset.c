/*
 * xen-eventfd-reset.c - the deadlock the xen_lock fix itself left behind.
 *
 * The fix for xen-deadlock.c gave the Xen code its own leaf lock,
 * kvm->arch.xen.xen_lock, and kvm_xen_set_evtchn() took it instead of kvm->lock, from
 * a vCPU thread inside a kvm->srcu read-side section.  In the same change,
 * kvm_xen_eventfd_reset() (the KVM_XEN_HVM_SET_ATTR / KVM_XEN_EVTCHN_RESET VM ioctl)
 * called synchronize_srcu(&kvm->srcu) while holding xen_lock:
 *
 *   VM ioctl thread                        vCPU thread
 *   mutex_lock(&kvm->arch.xen.xen_lock)    srcu_read_lock(&kvm->srcu)   (run loop)
 *                                          mutex_lock(&kvm->arch.xen.xen_lock)  waits
 *   synchronize_srcu(&kvm->srcu)  waits for the vCPU to leave its read side
 *
 * It was fixed later by collecting the entries under xen_lock and calling
 * synchronize_srcu() after dropping it, as in xen-fixed.c and in 6.12.
 * locking.rst: "Everything else is a leaf: no other lock is taken inside the critical
 * sections"; synchronize_srcu() counts as taking kvm->srcu.
 *
 * The vCPU side is the hypercall path of xen-deadlock.c with xen_lock in place of
 * kvm->lock, as the fix had it; the exit handler is called directly (see
 * xen-deadlock.c).
 *
 *   clang -fsyntax-only -nostdinc -fplugin=lockorder.so \
 *       -fplugin-arg-lockorder-rules=../../rules/kvm.lockorder xen-eventfd-reset.c
 */
#include "kvm.h"

/* --- the VM ioctl side ------------------------------------------------------------ */

/* arch/x86/kvm/xen.c: kvm_xen_eventfd_reset(), as the xen_lock fix left it */
static int kvm_xen_eventfd_reset(struct kvm *kvm)
{
	struct evtchnfd *evtchnfd;
	int i;

	mutex_lock(&kvm->arch.xen.xen_lock);
	idr_for_each_entry(&kvm->arch.xen.evtchn_ports, evtchnfd, i) {
		idr_remove(&kvm->arch.xen.evtchn_ports, evtchnfd->send_port);
		synchronize_srcu(&kvm->srcu);	/* the finding: xen_lock is held */
		if (!evtchnfd->deliver.port.port)
			eventfd_ctx_put(evtchnfd->deliver.eventfd.ctx);
		kfree(evtchnfd);
	}
	mutex_unlock(&kvm->arch.xen.xen_lock);

	return 0;
}

/* arch/x86/kvm/xen.c: kvm_xen_setattr_evtchn() */
static int kvm_xen_setattr_evtchn(struct kvm *kvm, struct kvm_xen_hvm_attr *data)
{
	if (data->u.evtchn.flags == KVM_XEN_EVTCHN_RESET)
		return kvm_xen_eventfd_reset(kvm);
	return -EINVAL;
}

/* arch/x86/kvm/xen.c: kvm_xen_hvm_set_attr() */
int kvm_xen_hvm_set_attr(struct kvm *kvm, struct kvm_xen_hvm_attr *data)
{
	int r = -ENOENT;

	switch (data->type) {
	case KVM_XEN_ATTR_TYPE_EVTCHN:
		r = kvm_xen_setattr_evtchn(kvm, data);
		break;
	default:
		break;
	}
	return r;
}

/* arch/x86/kvm/x86.c: kvm_arch_vm_ioctl(), case KVM_XEN_HVM_SET_ATTR */
int kvm_arch_vm_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct kvm *kvm = filp->private_data;
	void *argp = (void *)arg;
	int r = -EINVAL;

	switch (ioctl) {
	case KVM_XEN_HVM_SET_ATTR: {
		struct kvm_xen_hvm_attr xha;

		r = -EFAULT;
		if (copy_from_user(&xha, argp, sizeof(xha)))
			break;
		r = kvm_xen_hvm_set_attr(kvm, &xha);
		break;
	}
	default:
		break;
	}
	return r;
}

/* --- the vCPU side ---------------------------------------------------------------- */

/* arch/x86/kvm/xen.c: kvm_xen_set_evtchn(), as the xen_lock fix had it */
static int kvm_xen_set_evtchn(struct kvm_xen_evtchn *xe, struct kvm *kvm)
{
	int rc;

	rc = kvm_xen_set_evtchn_fast(xe, kvm);
	if (rc != -EWOULDBLOCK)
		return rc;

	mutex_lock(&kvm->arch.xen.xen_lock);	/* allowed: a leaf, inside the read side */

	do {
		struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
		int idx;

		rc = kvm_xen_set_evtchn_fast(xe, kvm);
		if (rc != -EWOULDBLOCK)
			break;

		idx = srcu_read_lock(&kvm->srcu);
		rc = kvm_gpc_refresh(gpc, 4096);
		srcu_read_unlock(&kvm->srcu, idx);
	} while (!rc);

	mutex_unlock(&kvm->arch.xen.xen_lock);

	return rc;
}

/* arch/x86/kvm/xen.c: kvm_xen_hcall_evtchn_send() */
static bool kvm_xen_hcall_evtchn_send(struct kvm_vcpu *vcpu, u64 param, u64 *r)
{
	struct evtchnfd *evtchnfd;
	struct evtchn_send send;

	if (kvm_read_guest_virt(vcpu, param, &send, sizeof(send))) {
		*r = -EFAULT;
		return true;
	}

	/* The evtchn_ports idr is protected by vcpu->kvm->srcu */
	evtchnfd = idr_find(&vcpu->kvm->arch.xen.evtchn_ports, send.port);
	if (!evtchnfd)
		return false;

	if (evtchnfd->deliver.port.port) {
		int ret = kvm_xen_set_evtchn(&evtchnfd->deliver.port, vcpu->kvm);
		if (ret < 0 && ret != -ENOTCONN)
			return false;
	} else {
		eventfd_signal(evtchnfd->deliver.eventfd.ctx);
	}

	*r = 0;
	return true;
}

/* arch/x86/kvm/xen.c: kvm_xen_hypercall() */
int kvm_xen_hypercall(struct kvm_vcpu *vcpu)
{
	u64 input, params[6], r = -ENOSYS;
	bool handled = false;

	input = vcpu->regs_rax;	/* kvm_register_read(vcpu, VCPU_REGS_RAX) */
	params[0] = kvm_rdi_read(vcpu);
	params[1] = kvm_rsi_read(vcpu);

	switch (input) {
	case __HYPERVISOR_event_channel_op:
		if (params[0] == EVTCHNOP_send)
			handled = kvm_xen_hcall_evtchn_send(vcpu, params[1], &r);
		break;
	default:
		break;
	}

	if (!handled)
		return 0;
	vcpu->regs_rax = r;
	return 1;
}

/* arch/x86/kvm/x86.c: kvm_emulate_hypercall() */
int kvm_emulate_hypercall(struct kvm_vcpu *vcpu)
{
	if (kvm_xen_hypercall_enabled(vcpu->kvm))
		return kvm_xen_hypercall(vcpu);
	return 1;
}

/* arch/x86/kvm/vmx/vmx.c: vmx_handle_exit() -> __vmx_handle_exit(), VMCALL only */
static int vmx_handle_exit(struct kvm_vcpu *vcpu, int exit_fastpath)
{
	if (vcpu->exit_reason == EXIT_REASON_VMCALL)
		return kvm_emulate_hypercall(vcpu);
	return 1;
}

/* arch/x86/kvm/x86.c: vcpu_enter_guest() */
static int vcpu_enter_guest(struct kvm_vcpu *vcpu)
{
	int exit_fastpath;

	kvm_vcpu_srcu_read_unlock(vcpu);
	exit_fastpath = vmx_vcpu_run(vcpu);
	kvm_vcpu_srcu_read_lock(vcpu);

	return vmx_handle_exit(vcpu, exit_fastpath);
}

/* arch/x86/kvm/x86.c: kvm_arch_vcpu_ioctl_run() -> vcpu_run() */
int kvm_arch_vcpu_ioctl_run(struct kvm_vcpu *vcpu)
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

/* virt/kvm/kvm_main.c: kvm_vcpu_ioctl() */
static long kvm_vcpu_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct kvm_vcpu *vcpu = filp->private_data;
	long r;

	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	switch (ioctl) {
	case KVM_RUN:
		r = kvm_arch_vcpu_ioctl_run(vcpu);
		break;
	default:
		r = -EINVAL;
		break;
	}
	mutex_unlock(&vcpu->mutex);
	return r;
}

/* virt/kvm/kvm_main.c: kvm_vcpu_fops */
struct file_operations kvm_vcpu_fops = {
	.unlocked_ioctl = kvm_vcpu_ioctl,
};
