// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// calls-returns-holding.c - a helper may return with a lock held (its
// caller then holds it, from the call on), or release a lock its caller
// took.  Neither is reported by itself; the caller's later acquisitions are
// checked against what it holds after the call, and a lock held that way
// is noted at the call that returned holding it.
//
// The checks use `kvm_lock outside kvm->lock` and `kvm->lock outside
// vcpu->mutex` (test.lockorder).

#include "kvm.h"

// Taken again by bad_lock_helper_twice's second call: the finding is here.
static void lock_vm(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while already holding 'kvm->lock'; possible recursive locking}}
}

static void unlock_vm(struct kvm *kvm)
{
	mutex_unlock(&kvm->lock);
}

static void lock_mutex(struct mutex *m)
{
	mutex_lock(m);
}

static void unlock_mutex(struct mutex *m)
{
	mutex_unlock(m);
}

// The held lock's note is at the call that returned holding it.
void bad_after_lock_helper(struct kvm *kvm)
{
	lock_vm(kvm);			// expected-note{{'kvm->lock' acquired here in 'bad_after_lock_helper'}}
	mutex_lock(&kvm_lock);		// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
					// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	unlock_vm(kvm);
}

void ok_unlock_helper(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);
	unlock_vm(kvm);
	mutex_lock(&kvm_lock);		// no-warning: the helper released kvm->lock
	mutex_unlock(&kvm_lock);
}

void ok_lock_and_unlock_helpers(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	lock_vm(kvm);
	mutex_lock(&vcpu->mutex);	// no-warning
	mutex_unlock(&vcpu->mutex);
	unlock_vm(kvm);
	mutex_lock(&kvm_lock);		// no-warning
	mutex_unlock(&kvm_lock);
}

// Through a parameter: the caller holds what it passed.
void bad_param_returns_holding(struct kvm_vcpu *vcpu)
{
	lock_mutex(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_param_returns_holding'}}
	mutex_lock(&vcpu->kvm->lock);	// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&vcpu->kvm->lock);
	unlock_mutex(&vcpu->mutex);
}

void ok_param_unlock_helper(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	unlock_mutex(&vcpu->mutex);
	mutex_lock(&vcpu->kvm->lock);	// no-warning: the helper released vcpu->mutex
	mutex_unlock(&vcpu->kvm->lock);
}

// The second call takes what the first returned holding: reported at
// lock_vm()'s acquisition, with the first call as where kvm->lock was taken
// and the second as the way there.
void bad_lock_helper_twice(struct kvm *kvm)
{
	lock_vm(kvm);			// expected-note{{'kvm->lock' acquired here in 'bad_lock_helper_twice'}}
	lock_vm(kvm);			// expected-note{{'bad_lock_helper_twice' calls 'lock_vm' here}}
	unlock_vm(kvm);
	unlock_vm(kvm);
}
