// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// early-return.c - a path that returns takes its locks with it; the paths
// that go on keep theirs.  Returning with a lock held is not itself
// reported (the callers see it), nor is a path that never returns.
//
// The checks use `kvm_lock outside kvm->lock` (test.lockorder).

#include "kvm.h"

int ok_unlock_before_each_return(struct kvm *kvm, int x)
{
	mutex_lock(&kvm->lock);
	if (x) {
		mutex_unlock(&kvm->lock);
		return -EINVAL;
	}
	mutex_unlock(&kvm->lock);
	mutex_lock(&kvm_lock);		// no-warning
	mutex_unlock(&kvm_lock);
	return 0;
}

// Only the path that returned released kvm->lock.
int bad_held_past_early_return(struct kvm *kvm, int x)
{
	mutex_lock(&kvm->lock);		// expected-note{{'kvm->lock' acquired here}}
	if (x) {
		mutex_unlock(&kvm->lock);
		return -EINVAL;
	}
	mutex_lock(&kvm_lock);		// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
					// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
	return 0;
}

// The path that holds kvm->lock returns before kvm_lock is taken.
int ok_return_while_held(struct kvm *kvm, int x)
{
	if (x) {
		mutex_lock(&kvm->lock);
		return 1;		// no-warning: returning with kvm->lock held
	}
	mutex_lock(&kvm_lock);		// no-warning
	mutex_unlock(&kvm_lock);
	return 0;
}

// Nor does a path that never returns.
void ok_noreturn_while_held(struct kvm *kvm, int x)
{
	if (x) {
		mutex_lock(&kvm->lock);
		BUG();
	}
	mutex_lock(&kvm_lock);		// no-warning
	mutex_unlock(&kvm_lock);
}

// Unlocking what is not held is not reported.
void ok_unlock_not_held(struct kvm *kvm)
{
	mutex_unlock(&kvm->lock);	// no-warning
}
