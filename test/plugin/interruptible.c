// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// interruptible.c - mutex_lock_interruptible() and mutex_lock_killable()
// return 0 when they took the lock and -EINTR when a signal came first.
// The lock is held where the result was 0, tested directly, through a
// local variable, or with `< 0`.  Unlike a trylock they block, so they can
// break an order.
//
// The checks use `kvm_lock outside kvm->lock` and `kvm->lock outside
// vcpu->mutex` (test.lockorder).

#include "kvm.h"

int bad_interruptible_held(struct kvm *kvm)
{
	if (mutex_lock_interruptible(&kvm->lock))	// expected-note{{'kvm->lock' acquired here}}
		return -EINTR;
	mutex_lock(&kvm_lock);				// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
							// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
	return 0;
}

int ok_interruptible_interrupted(struct kvm *kvm)
{
	if (mutex_lock_interruptible(&kvm->lock)) {
		mutex_lock(&kvm_lock);			// no-warning: interrupted, kvm->lock not taken
		mutex_unlock(&kvm_lock);
		return -EINTR;
	}
	mutex_unlock(&kvm->lock);
	return 0;
}

int bad_interruptible_local(struct kvm *kvm)
{
	int r = mutex_lock_interruptible(&kvm->lock);	// expected-note{{'kvm->lock' acquired here}}

	if (r)
		return r;
	mutex_lock(&kvm_lock);				// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
							// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
	return 0;
}

int bad_interruptible_lt0(struct kvm *kvm)
{
	if (mutex_lock_interruptible(&kvm->lock) < 0)	// expected-note{{'kvm->lock' acquired here}}
		return -EINTR;
	mutex_lock(&kvm_lock);				// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
							// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
	return 0;
}

int ok_interruptible_local_lt0(struct kvm *kvm)
{
	int r = mutex_lock_interruptible(&kvm->lock);

	if (r < 0) {
		mutex_lock(&kvm_lock);			// no-warning: interrupted
		mutex_unlock(&kvm_lock);
		return r;
	}
	mutex_unlock(&kvm->lock);
	return 0;
}

// It may sleep until kvm->lock is free, so it breaks the order like
// mutex_lock() would.
int bad_interruptible_breaks_order(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);			// expected-note{{'vcpu->mutex' acquired here}}
	if (mutex_lock_interruptible(&kvm->lock)) {	// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
							// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
		mutex_unlock(&vcpu->mutex);
		return -EINTR;
	}
	mutex_unlock(&kvm->lock);
	mutex_unlock(&vcpu->mutex);
	return 0;
}

// kvm_vcpu_ioctl() takes vcpu->mutex with mutex_lock_killable().
long ok_killable_vcpu_ioctl(struct kvm_vcpu *vcpu)
{
	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	kvm_handle_exit(vcpu);				// no-warning
	mutex_unlock(&vcpu->mutex);
	return 0;
}

long bad_killable_unlikely(struct kvm_vcpu *vcpu)
{
	if (unlikely(mutex_lock_killable(&vcpu->mutex)))	// expected-note{{'vcpu->mutex' acquired here}}
		return -EINTR;
	mutex_lock(&vcpu->kvm->lock);				// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
								// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&vcpu->kvm->lock);
	mutex_unlock(&vcpu->mutex);
	return 0;
}
