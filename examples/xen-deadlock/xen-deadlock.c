/*
 * xen-deadlock.c - the Linux 6.1 Xen event-channel deadlock, in one translation unit.
 *
 * A guest's EVTCHNOP_send hypercall reaches mutex_lock(&kvm->lock) in
 * kvm_xen_set_evtchn() on a vCPU thread that holds vcpu->mutex (kvm_vcpu_ioctl) and is
 * inside a kvm->srcu read-side critical section (the vCPU run loop).  locking.rst puts
 * kvm->lock outside vcpu->mutex, and outside kvm->srcu because synchronize_srcu() is
 * called with kvm->lock held: two rules broken.  Introduced in 5.19/6.0 by commit
 * 2fd6df2f2b47 ("KVM: x86/xen: intercept EVTCHNOP_send from guests"); still present in
 * Debian's linux-source-6.1 (6.1.192).
 *
 * Each function keeps the shape and name of the real one (file:function in the
 * comment), cut down to the calls that matter for locking.  Two hops are direct calls
 * here that are indirect in the kernel, because one translation unit cannot resolve
 * them: static_call(kvm_x86_handle_exit) in vcpu_enter_guest() and
 * kvm_vmx_exit_handlers[exit_reason] in __vmx_handle_exit().  `lockorder check` over
 * the whole tree resolves both (the static-call key and the handler table are
 * function-pointer stores it records).
 *
 *   clang -fsyntax-only -nostdinc -fplugin=lockorder.so \
 *       -fplugin-arg-lockorder-rules=../../rules/kvm.lockorder xen-deadlock.c
 */
#include "kvm.h"

/* arch/x86/kvm/xen.c: kvm_xen_set_evtchn() (6.1) */
static int kvm_xen_set_evtchn(struct kvm_xen_evtchn *xe, struct kvm *kvm)
{
	int rc;

	rc = kvm_xen_set_evtchn_fast(xe, kvm);
	if (rc != -EWOULDBLOCK)
		return rc;

	/*
	 * For the irqfd workqueue, using the main kvm->lock mutex is
	 * fine since this function is invoked from kvm_set_irq() with
	 * no other lock held, no srcu. In future if it will be called
	 * directly from a vCPU thread (e.g. on hypercall for an IPI)
	 * then it may need to switch to using a leaf-node mutex for
	 * serializing the shared_info mapping.
	 */
	mutex_lock(&kvm->lock);	/* the finding: vcpu->mutex and kvm->srcu are held */

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

	mutex_unlock(&kvm->lock);

	return rc;
}

/* arch/x86/kvm/xen.c: kvm_xen_hcall_evtchn_send() (6.1) */
static bool kvm_xen_hcall_evtchn_send(struct kvm_vcpu *vcpu, u64 param, u64 *r)
{
	struct evtchnfd *evtchnfd;
	struct evtchn_send send;
	int idx;

	idx = srcu_read_lock(&vcpu->kvm->srcu);
	if (kvm_read_guest_virt(vcpu, param, &send, sizeof(send))) {
		srcu_read_unlock(&vcpu->kvm->srcu, idx);
		*r = -EFAULT;
		return true;
	}
	srcu_read_unlock(&vcpu->kvm->srcu, idx);

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
		return 0;	/* kvm_xen_hypercall_complete_userspace */
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

/*
 * arch/x86/kvm/vmx/vmx.c: __vmx_handle_exit().  The kernel calls
 * kvm_vmx_exit_handlers[exit_handler_index](vcpu), where
 * [EXIT_REASON_VMCALL] = kvm_emulate_hypercall.
 */
static int __vmx_handle_exit(struct kvm_vcpu *vcpu, int exit_fastpath)
{
	switch (vcpu->exit_reason) {
	case EXIT_REASON_VMCALL:
		return kvm_emulate_hypercall(vcpu);
	default:
		return 1;
	}
}

/* arch/x86/kvm/vmx/vmx.c: vmx_handle_exit() */
static int vmx_handle_exit(struct kvm_vcpu *vcpu, int exit_fastpath)
{
	return __vmx_handle_exit(vcpu, exit_fastpath);
}

/* arch/x86/kvm/x86.c: vcpu_enter_guest() */
static int vcpu_enter_guest(struct kvm_vcpu *vcpu)
{
	int exit_fastpath;

	/* The read side is dropped while the guest runs ... */
	kvm_vcpu_srcu_read_unlock(vcpu);
	exit_fastpath = vmx_vcpu_run(vcpu);	/* static_call(kvm_x86_vcpu_run)(vcpu) */
	/* ... and taken again before the exit is handled. */
	kvm_vcpu_srcu_read_lock(vcpu);

	/* static_call(kvm_x86_handle_exit)(vcpu, exit_fastpath) */
	return vmx_handle_exit(vcpu, exit_fastpath);
}

/* arch/x86/kvm/x86.c: vcpu_run() */
static int vcpu_run(struct kvm_vcpu *vcpu)
{
	int r;

	for (;;) {
		r = vcpu_enter_guest(vcpu);
		if (r <= 0)
			break;
	}
	return r;
}

/* arch/x86/kvm/x86.c: kvm_arch_vcpu_ioctl_run() */
int kvm_arch_vcpu_ioctl_run(struct kvm_vcpu *vcpu)
{
	int r;

	kvm_vcpu_srcu_read_lock(vcpu);
	r = vcpu_run(vcpu);
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
