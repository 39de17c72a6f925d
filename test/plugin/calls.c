// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// calls.c - what a callee takes counts against what its caller holds.  The
// finding is at the acquisition that breaks the rule, in the callee; its
// notes go down from the caller: "acquired here in 'f'" where the held lock
// was taken, then "'f' calls 'g' here" at each call on the way.
//
// An acquisition is reported once per rule, however many callers reach it
// with the lock held: the shortest chain in full, and an "also reached from
// 'f'" note at each other caller's call.  A violation inside a callee of
// this file is reported once, in the callee; its callers are only told
// about what they hold themselves.  Functions with no body and no rule do
// nothing.  Recursion is cut.
//
// The checks use `kvm->lock outside vcpu->mutex` and the kvm->srcu rule
// (test.lockorder).

#include "kvm.h"

// bad_call_one_hop and bad_call_three_hops both reach this acquisition with
// vcpu->mutex held: one finding, here, with the shorter chain in full and
// the other caller as a note.
static void take_kvm_lock(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	kvm_flush_remote_tlbs(kvm);
	mutex_unlock(&kvm->lock);
}

static void via_one(struct kvm *kvm)
{
	take_kvm_lock(kvm);
}

static void via_two(struct kvm *kvm)
{
	via_one(kvm);
}

void ok_call_in_order(struct kvm *kvm)
{
	mutex_lock(&kvm_lock);
	take_kvm_lock(kvm);		// no-warning
	via_two(kvm);			// no-warning
	mutex_unlock(&kvm_lock);
}

void bad_call_one_hop(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_call_one_hop'}}
	take_kvm_lock(vcpu->kvm);	// expected-note{{'bad_call_one_hop' calls 'take_kvm_lock' here}}
	mutex_unlock(&vcpu->mutex);
}

// The same acquisition under the same rule, by a longer chain: a note at the
// call, on take_kvm_lock()'s finding.
void bad_call_three_hops(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	via_two(vcpu->kvm);		// expected-note-re{{also reached from 'bad_call_three_hops' ({{.*}}calls.c:61)}}
	mutex_unlock(&vcpu->mutex);
}

// The callee breaks the order itself: reported here, once, whoever calls it.
// The two kvm->srcu findings of bad_calls_helper_in_reader are here too.
static void bad_helper_inverted(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_helper_inverted'}} expected-warning{{'vcpu->mutex' acquired inside a 'kvm->srcu' read-side critical section; rules put 'vcpu->mutex' outside 'kvm->srcu'}}
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}} expected-warning{{'kvm->lock' acquired inside a 'kvm->srcu' read-side critical section; rules put 'kvm->lock' outside 'kvm->srcu'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
					// expected-note@Inputs/test.lockorder:92 2 {{rule stated here}}
	mutex_unlock(&kvm->lock);
	mutex_unlock(&vcpu->mutex);
}

void ok_calls_bad_helper(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	bad_helper_inverted(kvm, vcpu);		// no-warning: reported in the helper
	bad_helper_inverted(kvm, vcpu);		// no-warning
}

// The caller's own read-side critical section against what the helper
// takes: two findings, one per lock, at the helper's two acquisitions, and
// none more for the helper's own inversion.
void bad_calls_helper_in_reader(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	int idx = srcu_read_lock(&kvm->srcu);	// expected-note 2 {{'kvm->srcu' acquired here in 'bad_calls_helper_in_reader'}}

	bad_helper_inverted(kvm, vcpu);		// expected-note 2 {{'bad_calls_helper_in_reader' calls 'bad_helper_inverted' here}}
	srcu_read_unlock(&kvm->srcu, idx);
}

// Recursion is cut; what the function takes itself still counts.
static void walk(struct kvm *kvm, int depth)
{
	if (depth)
		walk(kvm, depth - 1);
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&kvm->lock);
}

void bad_call_recursive(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_call_recursive'}}
	walk(vcpu->kvm, 3);		// expected-note{{'bad_call_recursive' calls 'walk' here}}
	mutex_unlock(&vcpu->mutex);
}

// Mutual recursion that takes nothing: the analysis ends and says nothing.
static void pong(struct kvm *kvm, int n);

static void ping(struct kvm *kvm, int n)
{
	if (n)
		pong(kvm, n - 1);
}

static void pong(struct kvm *kvm, int n)
{
	if (n)
		ping(kvm, n - 1);
}

void ok_call_mutual_recursion(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);
	ping(kvm, 4);			// no-warning
	mutex_unlock(&kvm->lock);
}

// No body and no rule: no effect.
void ok_call_unknown(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	kvm_arch_sync_events(kvm);	// no-warning
	mutex_unlock(&vcpu->mutex);
}
