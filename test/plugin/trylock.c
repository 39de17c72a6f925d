// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// trylock.c - mutex_trylock() returns nonzero when it took the lock.  The
// lock is held on the success edge only, however the result is tested:
// directly, through !, == 0, != 0, likely()/unlikely(), && and ||, or
// through a local variable.  A trylock never blocks, so taking one breaks
// no order (as with lockdep); holding one can.
//
// The checks below use `kvm_lock outside kvm->lock` (test.lockorder): with
// kvm->lock held, taking kvm_lock is reported.

#include "kvm.h"

void bad_trylock_succeeded(struct kvm *kvm)
{
	if (mutex_trylock(&kvm->lock)) {	// expected-note{{'kvm->lock' acquired here}}
		mutex_lock(&kvm_lock);		// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
						// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
		mutex_unlock(&kvm_lock);
		mutex_unlock(&kvm->lock);
	}
}

void ok_trylock_failed(struct kvm *kvm)
{
	if (!mutex_trylock(&kvm->lock)) {
		mutex_lock(&kvm_lock);		// no-warning: the trylock failed
		mutex_unlock(&kvm_lock);
		return;
	}
	mutex_unlock(&kvm->lock);
}

void bad_trylock_early_return(struct kvm *kvm)
{
	if (!mutex_trylock(&kvm->lock))		// expected-note{{'kvm->lock' acquired here}}
		return;
	mutex_lock(&kvm_lock);			// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
						// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
}

void bad_trylock_eq0(struct kvm *kvm)
{
	if (mutex_trylock(&kvm->lock) == 0) {	// expected-note{{'kvm->lock' acquired here}}
		mutex_lock(&kvm_lock);		// no-warning: the trylock failed
		mutex_unlock(&kvm_lock);
		return;
	}
	mutex_lock(&kvm_lock);			// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
						// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
}

void bad_trylock_ne0(struct kvm *kvm)
{
	if (mutex_trylock(&kvm->lock) != 0) {	// expected-note{{'kvm->lock' acquired here}}
		mutex_lock(&kvm_lock);		// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
						// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
		mutex_unlock(&kvm_lock);
		mutex_unlock(&kvm->lock);
		return;
	}
	mutex_lock(&kvm_lock);			// no-warning: the trylock failed
	mutex_unlock(&kvm_lock);
}

int bad_trylock_unlikely(struct kvm *kvm)
{
	if (unlikely(!mutex_trylock(&kvm->lock))) {	// expected-note{{'kvm->lock' acquired here}}
		mutex_lock(&kvm_lock);			// no-warning: the trylock failed
		mutex_unlock(&kvm_lock);
		return -EINTR;
	}
	mutex_lock(&kvm_lock);				// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
							// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
	return 0;
}

void bad_trylock_local(struct kvm *kvm)
{
	int locked = mutex_trylock(&kvm->lock);	// expected-note{{'kvm->lock' acquired here}}

	if (!locked) {
		mutex_lock(&kvm_lock);		// no-warning: the trylock failed
		mutex_unlock(&kvm_lock);
		return;
	}
	mutex_lock(&kvm_lock);			// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
					// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
}

void bad_trylock_and(struct kvm *kvm, int want)
{
	if (want && mutex_trylock(&kvm->lock)) {	// expected-note{{'kvm->lock' acquired here}}
		mutex_lock(&kvm_lock);			// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
							// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
		mutex_unlock(&kvm_lock);
		mutex_unlock(&kvm->lock);
		return;
	}
	mutex_lock(&kvm_lock);				// no-warning: not wanted, or the trylock failed
	mutex_unlock(&kvm_lock);
}

void bad_trylock_or(struct kvm *kvm, int skip)
{
	if (skip || !mutex_trylock(&kvm->lock)) {	// expected-note{{'kvm->lock' acquired here}}
		mutex_lock(&kvm_lock);			// no-warning: skipped, or the trylock failed
		mutex_unlock(&kvm_lock);
		return;
	}
	mutex_lock(&kvm_lock);				// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
							// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
}

// With vcpu->mutex held, mutex_lock(&kvm->lock) would break `kvm->lock
// outside vcpu->mutex`; a trylock cannot wait, so it breaks nothing.
void ok_trylock_against_order(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	if (mutex_trylock(&kvm->lock))		// no-warning
		mutex_unlock(&kvm->lock);
	mutex_unlock(&vcpu->mutex);
}

// down_trylock() returns 0 when it took the semaphore (the opposite of
// mutex_trylock()); it never sleeps, so it is no sleeping acquisition under
// a spinlock, and trying a semaphore already held is no recursive locking
// (it fails).  kernel/printk: console_trylock() with console_sem held.
static struct semaphore console_sem;
static spinlock_t logbuf_lock;

void ok_down_trylock_under_spinlock(void)
{
	spin_lock(&logbuf_lock);
	if (!down_trylock(&console_sem))	// no-warning: does not sleep
		up(&console_sem);
	spin_unlock(&logbuf_lock);
}

void ok_down_trylock_already_held(void)
{
	down(&console_sem);
	if (!down_trylock(&console_sem))	// no-warning: it fails, it does not wait
		up(&console_sem);
	up(&console_sem);
}

// down() does sleep: under a spinlock it is reported, where down_trylock()
// above is not.
void bad_down_under_spinlock(void)
{
	spin_lock(&logbuf_lock);		// expected-note{{'logbuf_lock' acquired here in 'bad_down_under_spinlock'}}
	down(&console_sem);			// expected-warning{{sleeping lock 'console_sem' acquired while holding spinlock 'logbuf_lock'}}
	up(&console_sem);
	spin_unlock(&logbuf_lock);
}

// A semaphore may count more than one: taken twice is no recursive
// locking (lockdep does not track semaphores; dm's swap_bios_semaphore).
void ok_down_twice(void)
{
	down(&console_sem);
	down(&console_sem);			// no-warning
	up(&console_sem);
	up(&console_sem);
}

// atomic_dec_and_mutex_lock() may block on the mutex: a real acquisition,
// reported under kvm->lock.
void bad_dec_and_lock_blocks(struct kvm *kvm, int *users)
{
	mutex_lock(&kvm->lock);			// expected-note{{'kvm->lock' acquired here in 'bad_dec_and_lock_blocks'}}
	if (atomic_dec_and_mutex_lock(users, &kvm_lock)) {	// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
						// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
		mutex_unlock(&kvm_lock);
	}
	mutex_unlock(&kvm->lock);
}

// spin_trylock_irqsave(l, f) is ({ local_irq_save(f);
// _raw_spin_trylock(l) ? 1 : ({ local_irq_restore(f); 0; }); }): the
// result is the trylock's through the conditional (security/selinux/avc.c
// avc_reclaim_node()).  A macro's parenthesised argument, &(p)->lock, names
// the lock p->lock.
#define trylock_irqsave(p)	({ mutex_trylock(&(p)->lock) ? 1 : ({ 0; }); })

static void reclaim_one(struct kvm *kvm)
{
	if (!trylock_irqsave(kvm))
		return;
	mutex_unlock(&kvm->lock);
}

void ok_trylock_conditional(struct kvm *kvm)
{
	reclaim_one(kvm);
	mutex_lock(&kvm->lock);			// no-warning: reclaim_one() dropped it
	mutex_unlock(&kvm->lock);
}

void bad_trylock_conditional_kept(struct kvm *kvm)
{
	if (!trylock_irqsave(kvm))		// expected-note{{'kvm->lock' acquired here in 'bad_trylock_conditional_kept'}}
		return;
	mutex_lock(&kvm_lock);			// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
						// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
}
