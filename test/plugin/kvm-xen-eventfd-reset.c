// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// kvm-xen-eventfd-reset.c - the second deadlock of the story.  The fix that
// gave the Xen code kvm->arch.xen.xen_lock left kvm_xen_eventfd_reset()
// calling synchronize_srcu(&kvm->srcu) with xen_lock held, while a vCPU
// takes xen_lock inside a kvm->srcu read-side critical section.  xen_lock
// is a leaf, so the wait is reported at once, without the vCPU side in
// sight.  A later commit moved synchronize_srcu() out of the critical
// section (kvm-xen-6.12.c).

#include "kvm.h"

int kvm_xen_eventfd_reset(struct kvm *kvm)
{
	mutex_lock(&kvm->arch.xen.xen_lock);		// expected-note{{'kvm->arch.xen.xen_lock' acquired here}}
	kvm->arch.xen.evtchn_pending_sel = 0;
	synchronize_srcu(&kvm->srcu);			// expected-warning{{waiting for 'kvm->srcu' readers while holding 'kvm->arch.xen.xen_lock'; rules make 'kvm->arch.xen.xen_lock' a leaf lock}}
							// expected-note@Inputs/test.lockorder:108 {{rule stated here}}
	mutex_unlock(&kvm->arch.xen.xen_lock);
	return 0;
}
