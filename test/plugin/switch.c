// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// switch.c - each case is a path of its own; what is held after the switch
// depends on the case that got there, fall-through included.
//
// The checks use `kvm->lock outside vcpu->mutex` and `leaf
// kvm->arch.xen.xen_lock` (test.lockorder).

#include "kvm.h"

// One line, two cases, two findings: vcpu->mutex is held after case 1,
// xen_lock after case 2.
void bad_switch_paths(struct kvm *kvm, struct kvm_vcpu *vcpu, int cmd)
{
	switch (cmd) {
	case 1:
		mutex_lock(&vcpu->mutex);		// expected-note{{'vcpu->mutex' acquired here}}
		break;
	case 2:
		mutex_lock(&kvm->arch.xen.xen_lock);	// expected-note{{'kvm->arch.xen.xen_lock' acquired here}}
		break;
	default:
		return;
	}
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}} expected-warning{{'kvm->lock' acquired while holding 'kvm->arch.xen.xen_lock'; rules make 'kvm->arch.xen.xen_lock' a leaf lock}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
					// expected-note@Inputs/test.lockorder:108 {{rule stated here}}
	mutex_unlock(&kvm->lock);
}

void ok_switch_cases_unlock(struct kvm *kvm, struct kvm_vcpu *vcpu, int cmd)
{
	switch (cmd) {
	case 1:
		mutex_lock(&vcpu->mutex);
		kvm_handle_exit(vcpu);
		mutex_unlock(&vcpu->mutex);
		break;
	case 2:
		mutex_lock(&kvm->arch.xen.xen_lock);
		kvm->arch.xen.evtchn_pending_sel = 0;
		mutex_unlock(&kvm->arch.xen.xen_lock);
		break;
	default:
		break;
	}
	mutex_lock(&kvm->lock);		// no-warning
	mutex_unlock(&kvm->lock);
}

// Case 1 falls into case 2 with vcpu->mutex held; entered at case 2,
// nothing is held.
void bad_fallthrough(struct kvm *kvm, struct kvm_vcpu *vcpu, int cmd)
{
	switch (cmd) {
	case 1:
		mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here}}
		/* fall through */
	case 2:
		mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
						// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
		mutex_unlock(&kvm->lock);
		break;
	}
	if (cmd == 1)
		mutex_unlock(&vcpu->mutex);
}

void ok_fallthrough_after_unlock(struct kvm *kvm, struct kvm_vcpu *vcpu, int cmd)
{
	switch (cmd) {
	case 1:
		mutex_lock(&vcpu->mutex);
		kvm_handle_exit(vcpu);
		mutex_unlock(&vcpu->mutex);
		/* fall through */
	case 2:
		mutex_lock(&kvm->lock);		// no-warning
		mutex_unlock(&kvm->lock);
		break;
	}
}
