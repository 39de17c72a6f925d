/*
 * xen-fixed.c - the same paths as in Linux 6.12, where the Xen code has its own leaf
 * lock, kvm->arch.xen.xen_lock, and never takes kvm->lock from a vCPU.  lockorder
 * must report nothing here.
 *
 * The vCPU thread still holds vcpu->mutex and is inside a kvm->srcu read-side section
 * when it handles an exit; now:
 * - the EVTCHNOP_send hypercall reaches kvm_xen_set_evtchn(), which in 6.12 takes no
 *   mutex at all (the idr lookup is under rcu_read_lock());
 * - a guest write to the Xen hypercall-page MSR takes xen_lock, which locking.rst
 *   allows: "vcpu->mutex is taken outside ... kvm->arch.xen.xen_lock", and nothing
 *   forbids a leaf inside a kvm->srcu read side.  Inside xen_lock it only enters
 *   another read side of kvm->srcu, which never blocks;
 * - the VM ioctl that resets the event channels drops xen_lock before
 *   synchronize_srcu(), as the later fix did (compare xen-eventfd-reset.c).
 *
 * As in xen-deadlock.c, the exit handler is called directly where the kernel goes
 * through static_call(kvm_x86_handle_exit) / kvm_x86_call(handle_exit) and
 * kvm_vmx_exit_handlers[]; `lockorder check` resolves those over the whole tree.
 *
 *   clang -fsyntax-only -nostdinc -fplugin=lockorder.so \
 *       -fplugin-arg-lockorder-rules=../../rules/kvm.lockorder xen-fixed.c
 */
#include "kvm.h"

/* arch/x86/kvm/xen.c: kvm_xen_set_evtchn() (6.12) */
static int kvm_xen_set_evtchn(struct kvm_xen_evtchn *xe, struct kvm *kvm)
{
	int rc;

	rc = kvm_xen_set_evtchn_fast(xe, kvm);
	if (rc != -EWOULDBLOCK)
		return rc;

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

	return rc;
}

/* arch/x86/kvm/xen.c: kvm_xen_hcall_evtchn_send() (6.12) */
static bool kvm_xen_hcall_evtchn_send(struct kvm_vcpu *vcpu, u64 param, u64 *r)
{
	struct evtchnfd *evtchnfd;
	struct evtchn_send send;

	if (kvm_read_guest_virt(vcpu, param, &send, sizeof(send))) {
		*r = -EFAULT;
		return true;
	}

	/*
	 * evtchnfd is protected by kvm->srcu; the idr lookup instead
	 * is protected by RCU.
	 */
	rcu_read_lock();
	evtchnfd = idr_find(&vcpu->kvm->arch.xen.evtchn_ports, send.port);
	rcu_read_unlock();
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

/* arch/x86/kvm/xen.c: kvm_xen_shared_info_init() (6.12) */
static int kvm_xen_shared_info_init(struct kvm *kvm)
{
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
	int ret = 0;
	int idx = srcu_read_lock(&kvm->srcu);

	if (!gpc->active)
		ret = kvm_gpc_refresh(gpc, 4096);

	srcu_read_unlock(&kvm->srcu, idx);
	return ret;
}

/* arch/x86/kvm/xen.c: kvm_xen_write_hypercall_page() (6.12) */
int kvm_xen_write_hypercall_page(struct kvm_vcpu *vcpu, u64 data)
{
	struct kvm *kvm = vcpu->kvm;
	bool lm = data & 1;	/* is_long_mode(vcpu) */
	int r = 0;

	mutex_lock(&kvm->arch.xen.xen_lock);	/* no-warning: a leaf, under vcpu->mutex */
	if (kvm->arch.xen.long_mode != lm) {
		kvm->arch.xen.long_mode = lm;

		/*
		 * Re-initialize shared_info to put the wallclock in the
		 * correct place.
		 */
		if (kvm->arch.xen.shinfo_cache.active &&
		    kvm_xen_shared_info_init(kvm))
			r = 1;
	}
	mutex_unlock(&kvm->arch.xen.xen_lock);

	return r;
}

/*
 * arch/x86/kvm/x86.c: kvm_emulate_wrmsr() -> ... -> kvm_set_msr_common().  The kernel
 * goes through kvm_set_msr_with_filter(), __kvm_set_msr() and
 * kvm_x86_call(set_msr) = vmx_set_msr(), which falls back to kvm_set_msr_common().
 */
static int kvm_set_msr_common(struct kvm_vcpu *vcpu, u32 msr, u64 data)
{
	if (msr && msr == vcpu->kvm->arch.xen_hvm_config.msr)
		return kvm_xen_write_hypercall_page(vcpu, data);
	return 0;
}

int kvm_emulate_wrmsr(struct kvm_vcpu *vcpu)
{
	u32 ecx = (u32)kvm_rdi_read(vcpu);	/* kvm_rcx_read(vcpu) */
	u64 data = kvm_rsi_read(vcpu);		/* kvm_read_edx_eax(vcpu) */

	return kvm_set_msr_common(vcpu, ecx, data) == 0;
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
 * [EXIT_REASON_MSR_WRITE] = kvm_emulate_wrmsr and
 * [EXIT_REASON_VMCALL] = kvm_emulate_hypercall.
 */
static int __vmx_handle_exit(struct kvm_vcpu *vcpu, int exit_fastpath)
{
	switch (vcpu->exit_reason) {
	case EXIT_REASON_MSR_WRITE:
		return kvm_emulate_wrmsr(vcpu);
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

	kvm_vcpu_srcu_read_unlock(vcpu);
	exit_fastpath = vmx_vcpu_run(vcpu);	/* kvm_x86_call(vcpu_run)(vcpu, ...) */
	kvm_vcpu_srcu_read_lock(vcpu);

	/* kvm_x86_call(handle_exit)(vcpu, exit_fastpath) */
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

/* arch/x86/kvm/xen.c: kvm_xen_eventfd_reset() (6.12: synchronize_srcu() moved out) */
static int kvm_xen_eventfd_reset(struct kvm *kvm)
{
	struct evtchnfd *evtchnfd, **all_evtchnfds;
	int i;
	int n = 0;

	mutex_lock(&kvm->arch.xen.xen_lock);

	/*
	 * Because synchronize_srcu() cannot be called inside the
	 * critical section, first collect all the evtchnfd objects
	 * in an array as they are removed from evtchn_ports.
	 */
	idr_for_each_entry(&kvm->arch.xen.evtchn_ports, evtchnfd, i)
		n++;

	all_evtchnfds = kmalloc_array(n, sizeof(struct evtchnfd *));
	if (!all_evtchnfds) {
		mutex_unlock(&kvm->arch.xen.xen_lock);
		return -ENOMEM;
	}

	n = 0;
	idr_for_each_entry(&kvm->arch.xen.evtchn_ports, evtchnfd, i) {
		all_evtchnfds[n++] = evtchnfd;
		idr_remove(&kvm->arch.xen.evtchn_ports, evtchnfd->send_port);
	}
	mutex_unlock(&kvm->arch.xen.xen_lock);

	synchronize_srcu(&kvm->srcu);	/* no-warning: xen_lock was dropped */

	while (n--) {
		evtchnfd = all_evtchnfds[n];
		if (!evtchnfd->deliver.port.port)
			eventfd_ctx_put(evtchnfd->deliver.eventfd.ctx);
		kfree(evtchnfd);
	}
	kfree(all_evtchnfds);

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
