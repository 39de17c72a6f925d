// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// dedup.c - one finding per offending acquisition and message, however
// many paths reach it; -verify fails on any duplicate.  The shortest path
// is given in full; one that reaches the acquisition through another call
// is an "also reached from" note at that call.  Different messages on one
// line are different findings, and so are different acquisitions.
//
// The checks use `kvm->lock outside vcpu->mutex, kvm->irq_lock` and the
// kvm->srcu rule (test.lockorder).

#include "kvm.h"

// Two paths reach the last mutex_lock() with vcpu->mutex held (they differ
// in kvm->irq_lock): one finding for vcpu->mutex, one for kvm->irq_lock.
void bad_two_paths(struct kvm *kvm, struct kvm_vcpu *vcpu, int x)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_two_paths'}}
	if (x)
		mutex_lock(&kvm->irq_lock);	// expected-note{{'kvm->irq_lock' acquired here in 'bad_two_paths'}}
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}} expected-warning{{'kvm->lock' acquired while holding 'kvm->irq_lock'; rules put 'kvm->lock' outside 'kvm->irq_lock'}}
					// expected-note@Inputs/test.lockorder:81 2 {{rule stated here}}
	mutex_unlock(&kvm->lock);
	if (x)
		mutex_unlock(&kvm->irq_lock);
	mutex_unlock(&vcpu->mutex);
}

// Every iteration reaches the same acquisition: one finding.
void bad_in_loop(struct kvm *kvm, struct kvm_vcpu *vcpu, int n)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_in_loop'}}
	for (int i = 0; i < n; i++) {
		mutex_lock(&kvm->lock);	// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
		mutex_unlock(&kvm->lock);
	}
	mutex_unlock(&vcpu->mutex);
}

// Two messages on one line: an order and an SRCU finding.
void bad_two_messages(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	int idx;

	mutex_lock(&vcpu->mutex);		// expected-note{{'vcpu->mutex' acquired here in 'bad_two_messages'}}
	idx = srcu_read_lock(&kvm->srcu);	// expected-note{{'kvm->srcu' acquired here in 'bad_two_messages'}}
	mutex_lock(&kvm->lock);			// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}} expected-warning{{'kvm->lock' acquired inside a 'kvm->srcu' read-side critical section; rules put 'kvm->lock' outside 'kvm->srcu'}}
						// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
						// expected-note@Inputs/test.lockorder:92 {{rule stated here}}
	mutex_unlock(&kvm->lock);
	srcu_read_unlock(&kvm->srcu, idx);
	mutex_unlock(&vcpu->mutex);
}

// Two calls, one acquisition: one finding, at the helper's acquisition,
// with the first call's chain in full and the second call as a note.
static void take_kvm_lock(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&kvm->lock);
}

void bad_two_calls(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_two_calls'}}
	take_kvm_lock(vcpu->kvm);	// expected-note{{'bad_two_calls' calls 'take_kvm_lock' here}}
	take_kvm_lock(vcpu->kvm);	// expected-note-re{{also reached from 'bad_two_calls' ({{.*}}dedup.c:69)}}
	mutex_unlock(&vcpu->mutex);
}

// A helper with its own violation, called from two places: reported once,
// in the helper.
static void bad_helper(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_helper'}}
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&kvm->lock);
	mutex_unlock(&vcpu->mutex);
}

void ok_caller_one(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	bad_helper(kvm, vcpu);		// no-warning
}

void ok_caller_two(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	bad_helper(kvm, vcpu);		// no-warning
	bad_helper(kvm, vcpu);		// no-warning
}
