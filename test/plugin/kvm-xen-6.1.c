// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// kvm-xen-6.1.c - the deadlock lockorder exists for, cut down from Linux
// 6.1 (still in Debian's linux-source-6.1).
//
// Commit 2fd6df2f2b47 ("KVM: x86/xen: intercept EVTCHNOP_send from guests")
// let a vCPU thread reach mutex_lock(&kvm->lock) in kvm_xen_set_evtchn()
// from a guest hypercall.  That thread holds vcpu->mutex (taken in
// kvm_vcpu_ioctl()) and is inside a kvm->srcu read-side critical section
// (the run loop).  locking.rst says:
//
// - kvm->lock is taken outside vcpu->mutex
// - synchronize_srcu(&kvm->srcu) is called inside critical sections for
//   kvm->lock ...  These locks _cannot_ be taken inside a kvm->srcu
//   read-side critical section
//
// so two rules are broken, both reported at the mutex_lock() in
// kvm_xen_set_evtchn(), each with the call chain down from the function
// that holds the lock.  kvm-xen-6.12.c is the fixed code.

#include "kvm_host.h"

/* arch/x86/kvm/xen.c */
static int kvm_xen_set_evtchn(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);				// expected-warning{{'kvm->lock' acquired inside a 'kvm->srcu' read-side critical section; rules put 'kvm->lock' outside 'kvm->srcu'}} expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
							// expected-note@Inputs/test.lockorder:92 {{rule stated here}}
							// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	kvm->arch.xen.evtchn_pending_sel |= 1;
	mutex_unlock(&kvm->lock);
	return 0;
}

static int kvm_xen_hcall_evtchn_send(struct kvm_vcpu *vcpu)
{
	return kvm_xen_set_evtchn(vcpu->kvm);		// expected-note 2 {{'kvm_xen_hcall_evtchn_send' calls 'kvm_xen_set_evtchn' here}}
}

static int kvm_xen_hypercall(struct kvm_vcpu *vcpu)
{
	return kvm_xen_hcall_evtchn_send(vcpu);		// expected-note 2 {{'kvm_xen_hypercall' calls 'kvm_xen_hcall_evtchn_send' here}}
}

/*
 * arch/x86/kvm/x86.c: the run loop leaves kvm->srcu to enter the guest and
 * comes back into it before it handles the exit.
 */
static int vcpu_run(struct kvm_vcpu *vcpu)
{
	int r;

	kvm_vcpu_srcu_read_lock(vcpu);
	for (;;) {
		kvm_vcpu_srcu_read_unlock(vcpu);
		r = kvm_vcpu_enter_guest(vcpu);
		kvm_vcpu_srcu_read_lock(vcpu);		// expected-note{{'kvm->srcu' acquired here in 'vcpu_run'}}
		if (r <= 0)
			break;
		r = kvm_xen_hypercall(vcpu);		// expected-note 2 {{'vcpu_run' calls 'kvm_xen_hypercall' here}}
		if (r <= 0)
			break;
	}
	kvm_vcpu_srcu_read_unlock(vcpu);
	return r;
}

static int kvm_arch_vcpu_ioctl_run(struct kvm_vcpu *vcpu)
{
	return vcpu_run(vcpu);				// expected-note{{'kvm_arch_vcpu_ioctl_run' calls 'vcpu_run' here}}
}

/* virt/kvm/kvm_main.c */
long kvm_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned int ioctl)
{
	long r = -EINVAL;

	if (mutex_lock_killable(&vcpu->mutex))		// expected-note{{'vcpu->mutex' acquired here in 'kvm_vcpu_ioctl'}}
		return -EINTR;
	switch (ioctl) {
	case 0xae80: /* KVM_RUN */
		r = kvm_arch_vcpu_ioctl_run(vcpu);	// expected-note{{'kvm_vcpu_ioctl' calls 'kvm_arch_vcpu_ioctl_run' here}}
		break;
	}
	mutex_unlock(&vcpu->mutex);
	return r;
}
