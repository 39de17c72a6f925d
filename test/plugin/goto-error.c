// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// goto-error.c - the kernel's error unwinding: `goto out_unlock` labels that
// release in reverse order.  What is held after a label is what is held on
// the paths that reach it.
//
// The checks use `kvm_lock outside kvm->lock` (test.lockorder).

#include "kvm.h"

// kvm_vm_ioctl_create_vcpu() shape: every path to out_unlock releases.
int ok_goto_unwind(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	int r;

	mutex_lock(&kvm->lock);
	r = kvm_arch_vcpu_setup(vcpu);
	if (r)
		goto out_unlock;

	mutex_lock(&vcpu->mutex);		// no-warning
	r = kvm_arch_vcpu_setup(vcpu);
	if (r)
		goto out_unlock_vcpu;
	kvm->created_vcpus++;

out_unlock_vcpu:
	mutex_unlock(&vcpu->mutex);
out_unlock:
	mutex_unlock(&kvm->lock);
	mutex_lock(&kvm_lock);			// no-warning: kvm->lock released on every path
	mutex_unlock(&kvm_lock);
	return r;
}

// The error path jumps past the unlock.
int bad_goto_skips_unlock(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	int r;

	mutex_lock(&kvm->lock);			// expected-note{{'kvm->lock' acquired here}}
	r = kvm_arch_vcpu_setup(vcpu);
	if (r)
		goto out;
	mutex_unlock(&kvm->lock);
out:
	mutex_lock(&kvm_lock);			// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
						// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	return r;
}

// Retrying by jumping back must drop the lock first.
int ok_goto_retry(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	int r;

retry:
	mutex_lock(&kvm->lock);			// no-warning
	r = kvm_arch_vcpu_setup(vcpu);
	mutex_unlock(&kvm->lock);
	if (r == -EINTR)
		goto retry;
	return r;
}

int bad_goto_retry_held(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	int r;

retry:
	mutex_lock(&kvm->lock);			// expected-warning{{'kvm->lock' acquired while already holding 'kvm->lock'; possible recursive locking}} expected-note{{'kvm->lock' acquired here}}
	r = kvm_arch_vcpu_setup(vcpu);
	if (r == -EINTR)
		goto retry;
	mutex_unlock(&kvm->lock);
	return r;
}
