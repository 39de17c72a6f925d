// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// cleanup-guard.c - guard(mutex)(&lock) from include/linux/cleanup.h: a
// variable whose initializer, class_mutex_constructor(), takes the lock and
// whose cleanup function, class_mutex_destructor(), releases it when the
// variable goes out of scope, on every way out of the scope.
//
// Neither function is in test.lockorder: both are followed into kernel.h,
// so a guard that breaks a rule gets a note at the mutex_lock() inside the
// constructor.  The checks use `kvm_lock outside kvm->lock`, `kvm->lock
// outside vcpu->mutex` and the kvm->srcu rule (test.lockorder).

#include "kvm.h"

void bad_guard_then_outer(struct kvm *kvm)
{
	guard(mutex)(&kvm->lock);	// expected-note{{'kvm->lock' acquired here}}

	mutex_lock(&kvm_lock);		// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
					// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
}

void ok_guard_scope_ended(struct kvm *kvm)
{
	{
		guard(mutex)(&kvm->lock);
		kvm_flush_remote_tlbs(kvm);
	}
	mutex_lock(&kvm_lock);		// no-warning: the guard released kvm->lock at the end of its block
	mutex_unlock(&kvm_lock);
}

void ok_guard_early_return(struct kvm *kvm, int x)
{
	{
		guard(mutex)(&kvm->lock);
		if (x)
			return;		// no-warning: the guard releases kvm->lock here too
		kvm_flush_remote_tlbs(kvm);
	}
	mutex_lock(&kvm_lock);		// no-warning
	mutex_unlock(&kvm_lock);
}

void bad_guard_breaks_order(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);		// expected-note{{'vcpu->mutex' acquired here}}
	{
		guard(mutex)(&vcpu->kvm->lock);	// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
						// expected-note@Inputs/kernel.h:182 {{'kvm->lock' acquired here in 'class_mutex_constructor'}}
						// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
		kvm_flush_remote_tlbs(vcpu->kvm);
	}
	mutex_unlock(&vcpu->mutex);
}

void bad_guard_in_reader(struct kvm *kvm)
{
	int idx = srcu_read_lock(&kvm->srcu);	// expected-note{{'kvm->srcu' acquired here}}
	{
		guard(mutex)(&kvm->slots_lock);	// expected-warning{{'kvm->slots_lock' acquired inside a 'kvm->srcu' read-side critical section; rules put 'kvm->slots_lock' outside 'kvm->srcu'}}
						// expected-note@Inputs/kernel.h:182 {{'kvm->slots_lock' acquired here in 'class_mutex_constructor'}}
						// expected-note@Inputs/test.lockorder:92 {{rule stated here}}
		kvm_flush_remote_tlbs(kvm);
	}
	srcu_read_unlock(&kvm->srcu, idx);
}

void ok_guards_in_order(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	guard(mutex)(&kvm->lock);
	guard(mutex)(&vcpu->mutex);	// no-warning
	kvm_handle_exit(vcpu);
}

// Released at the end of each iteration's block.
void ok_guard_in_loop(struct kvm *kvm)
{
	for (int i = 0; i < kvm->created_vcpus; i++) {
		guard(mutex)(&kvm->lock);	// no-warning
		kvm_handle_exit(kvm->vcpus[i]);
	}
}

// The kernel's lock guards (DEFINE_LOCK_GUARD_1: raw_spinlock_irqsave,
// spinlock_irqsave, ...) are a struct holding the lock pointer, returned by
// value from the constructor; the destructor releases _T->lock.  A value
// returned from inside the guard's scope is computed before the lock is
// dropped, and the function returns with nothing held
// (arch/x86/kernel/apic/io_apic.c: ioapic_read_entry()).
extern raw_spinlock_t ioapic_lock;
int __ioapic_read_entry(int apic, int pin);

static int ioapic_read_entry(int apic, int pin)
{
	guard(raw_spinlock_irqsave)(&ioapic_lock);	// expected-warning{{'ioapic_lock' acquired while already holding 'ioapic_lock'; possible recursive locking}}
							// expected-note@Inputs/kernel.h:211 {{'ioapic_lock' acquired here in 'class_raw_spinlock_irqsave_constructor'}}
	return __ioapic_read_entry(apic, pin);
}

void ok_lock_guard_returned_value(int apic, int pin)
{
	if (ioapic_read_entry(apic, pin)) {
		guard(raw_spinlock_irqsave)(&ioapic_lock);	// no-warning: released on return
		__ioapic_read_entry(apic, pin);
	}
	ioapic_read_entry(apic, pin);			// no-warning: and at the end of the block
}

// Holding the guard across a call that takes it again: reported in the
// callee, at its guard.
void bad_lock_guard_twice(int apic, int pin)
{
	guard(raw_spinlock_irqsave)(&ioapic_lock);	// expected-note{{'ioapic_lock' acquired here in 'bad_lock_guard_twice'}}
	ioapic_read_entry(apic, pin);			// expected-note{{'bad_lock_guard_twice' calls 'ioapic_read_entry' here}}
}

// A guard class whose constructor takes the lock in a comma expression,
// `t = (mutex_lock(m), m)`, released at the end of an inner block.
typedef struct mutex *class_mutex_comma_t;

static inline void class_mutex_comma_destructor(class_mutex_comma_t *p)
{
	if (*p)
		mutex_unlock(*p);
}

static inline class_mutex_comma_t class_mutex_comma_constructor(struct mutex *m)
{
	class_mutex_comma_t t = (mutex_lock(m), m);
	return t;
}

void ok_comma_guard_inner_block(struct kvm *kvm)
{
	{
		guard(mutex_comma)(&kvm->lock);
		kvm_flush_remote_tlbs(kvm);
	}
	mutex_lock(&kvm_lock);		// no-warning: kvm->lock was released at the end of the block
	mutex_unlock(&kvm_lock);
}

void bad_comma_guard_held(struct kvm *kvm)
{
	guard(mutex_comma)(&kvm->lock);	// expected-note{{'kvm->lock' acquired here in 'bad_comma_guard_held'}}
	mutex_lock(&kvm_lock);		// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
					// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
}
