// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// loops.c - what a loop body holds when it comes round again, and what is
// held after the loop.
//
// A lock left held at the end of the body is held at its top on the next
// iteration; the warning and the note are then on the same line.  The
// checks use `kvm_lock outside kvm->lock` and `kvm->lock outside
// vcpu->mutex` (test.lockorder).

#include "kvm.h"

void ok_lock_in_loop(struct kvm *kvm, int n)
{
	for (int i = 0; i < n; i++) {
		mutex_lock(&kvm->lock);		// no-warning: released before the next iteration
		kvm_flush_remote_tlbs(kvm);
		mutex_unlock(&kvm->lock);
	}
}

void bad_lock_left_held_in_loop(struct kvm *kvm, int n)
{
	for (int i = 0; i < n; i++)
		mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while already holding 'kvm->lock'; possible recursive locking}} expected-note{{'kvm->lock' acquired here}}
}

// `continue` skips the unlock.
void bad_continue_skips_unlock(struct kvm *kvm, int n)
{
	for (int i = 0; i < n; i++) {
		mutex_lock(&kvm->lock);		// expected-warning{{'kvm->lock' acquired while already holding 'kvm->lock'; possible recursive locking}} expected-note{{'kvm->lock' acquired here}}
		if (kvm->created_vcpus > i)
			continue;
		mutex_unlock(&kvm->lock);
	}
}

// kvm_for_each_vcpu() inside kvm->lock, in the documented order.
void ok_each_vcpu(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);
	for (int i = 0; i < kvm->created_vcpus; i++) {
		mutex_lock(&kvm->vcpus[i]->mutex);	// no-warning
		kvm_handle_exit(kvm->vcpus[i]);
		mutex_unlock(&kvm->vcpus[i]->mutex);
	}
	mutex_unlock(&kvm->lock);
}

// Spinning on a trylock: after the loop the lock is held.
void bad_held_after_trylock_loop(struct kvm *kvm)
{
	while (!mutex_trylock(&kvm->lock))	// expected-note{{'kvm->lock' acquired here}}
		cond_resched();
	mutex_lock(&kvm_lock);			// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
						// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
}

// `break` with the lock held.
void bad_break_holding(struct kvm *kvm)
{
	for (;;) {
		mutex_lock(&kvm->lock);		// expected-note{{'kvm->lock' acquired here}}
		if (kvm->created_vcpus)
			break;
		mutex_unlock(&kvm->lock);
		cond_resched();
	}
	mutex_lock(&kvm_lock);			// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
						// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
}

void ok_break_after_unlock(struct kvm *kvm)
{
	do {
		mutex_lock(&kvm->lock);
		if (kvm->created_vcpus) {
			mutex_unlock(&kvm->lock);
			break;
		}
		mutex_unlock(&kvm->lock);
		cond_resched();
	} while (1);
	mutex_lock(&kvm_lock);			// no-warning
	mutex_unlock(&kvm_lock);
}
