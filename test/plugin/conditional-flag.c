// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// conditional-flag.c - `if (flag) mutex_lock(); ... if (flag) mutex_unlock();`
// is common kernel code.  The two tests of one local variable or parameter
// are correlated: no path takes the lock under one value of the flag and
// skips the unlock under the other.  Tests through !, == 0, likely() and
// && are correlated too.  Different variables are not.
//
// The checks use `kvm_lock outside kvm->lock` (test.lockorder): kvm_lock is
// taken where kvm->lock would be held if the flags were not correlated.

#include "kvm.h"

void ok_flag_param(struct kvm *kvm, int flag)
{
	if (flag)
		mutex_lock(&kvm->lock);
	kvm_flush_remote_tlbs(kvm);
	if (flag)
		mutex_unlock(&kvm->lock);
	mutex_lock(&kvm_lock);		// no-warning
	mutex_unlock(&kvm_lock);
}

void ok_flag_local(struct kvm *kvm)
{
	int locked = kvm->created_vcpus > 0;

	if (locked)
		mutex_lock(&kvm->lock);
	kvm_flush_remote_tlbs(kvm);
	if (locked)
		mutex_unlock(&kvm->lock);
	mutex_lock(&kvm_lock);		// no-warning
	mutex_unlock(&kvm_lock);
}

void ok_flag_negated(struct kvm *kvm, int unlocked)
{
	if (!unlocked)
		mutex_lock(&kvm->lock);
	kvm_flush_remote_tlbs(kvm);
	if (unlocked == 0)
		mutex_unlock(&kvm->lock);
	mutex_lock(&kvm_lock);		// no-warning
	mutex_unlock(&kvm_lock);
}

void ok_flag_likely(struct kvm *kvm, int flag)
{
	if (likely(flag))
		mutex_lock(&kvm->lock);
	kvm_flush_remote_tlbs(kvm);
	if (flag)
		mutex_unlock(&kvm->lock);
	mutex_lock(&kvm_lock);		// no-warning
	mutex_unlock(&kvm_lock);
}

void ok_flag_and(struct kvm *kvm, int flag, int more)
{
	if (flag && more)
		mutex_lock(&kvm->lock);
	kvm_flush_remote_tlbs(kvm);
	if (flag && more)
		mutex_unlock(&kvm->lock);
	mutex_lock(&kvm_lock);		// no-warning
	mutex_unlock(&kvm_lock);
}

// The flag also decides what else is taken: kvm_lock is taken only where
// kvm->lock is not held.
void ok_flag_exclusive(struct kvm *kvm, int flag)
{
	if (flag)
		mutex_lock(&kvm->lock);
	if (!flag)
		mutex_lock(&kvm_lock);	// no-warning
	if (flag)
		mutex_unlock(&kvm->lock);
	else
		mutex_unlock(&kvm_lock);
}

// Two different flags: when flag is set and other is not, kvm->lock is
// still held.
void bad_flag_different(struct kvm *kvm, int flag, int other)
{
	if (flag)
		mutex_lock(&kvm->lock);	// expected-note{{'kvm->lock' acquired here}}
	if (other)
		mutex_unlock(&kvm->lock);
	mutex_lock(&kvm_lock);		// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
					// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
}

// Held on some path is enough.
void bad_flag_held_on_one_path(struct kvm *kvm, int flag)
{
	if (flag)
		mutex_lock(&kvm->lock);	// expected-note{{'kvm->lock' acquired here}}
	mutex_lock(&kvm_lock);		// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
					// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	if (flag)
		mutex_unlock(&kvm->lock);
}
