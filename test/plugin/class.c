// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// class.c - what makes two locks one class.  A field lock's class is the
// struct that directly contains it plus the field, however it was reached:
// kvm->arch.xen.xen_lock is field xen_lock of struct kvm_xen, whether the
// code says &kvm->arch.xen.xen_lock or &xen->xen_lock.  A global lock is its
// variable (kvm_lock); cpus_read_lock is named by the function that takes
// it.
//
// The checks use `leaf kvm->arch.xen.xen_lock`, `cpus_read_lock outside
// kvm_lock`, `kvm_lock outside kvm->lock` and `kvm->lock outside
// vcpu->mutex` (test.lockorder).

#include "kvm.h"

void bad_xen_lock_through_pointer(struct kvm *kvm)
{
	struct kvm_xen *xen = &kvm->arch.xen;

	mutex_lock(&xen->xen_lock);	// expected-note{{'kvm->arch.xen.xen_lock' acquired here}}
	mutex_lock(&kvm->irq_lock);	// expected-warning{{'kvm->irq_lock' acquired while holding 'kvm->arch.xen.xen_lock'; rules make 'kvm->arch.xen.xen_lock' a leaf lock}}
					// expected-note@Inputs/test.lockorder:108 {{rule stated here}}
	mutex_unlock(&kvm->irq_lock);
	mutex_unlock(&xen->xen_lock);
}

// No struct kvm in sight: the class is still struct kvm_xen's xen_lock.
void bad_xen_lock_parameter(struct kvm_xen *xen, struct kvm *kvm)
{
	mutex_lock(&xen->xen_lock);	// expected-note{{'kvm->arch.xen.xen_lock' acquired here}}
	mutex_lock(&kvm->slots_lock);	// expected-warning{{'kvm->slots_lock' acquired while holding 'kvm->arch.xen.xen_lock'; rules make 'kvm->arch.xen.xen_lock' a leaf lock}}
					// expected-note@Inputs/test.lockorder:108 {{rule stated here}}
	mutex_unlock(&kvm->slots_lock);
	mutex_unlock(&xen->xen_lock);
}

void ok_xen_lock_inside_kvm_lock(struct kvm *kvm)
{
	struct kvm_xen *xen = &kvm->arch.xen;

	mutex_lock(&kvm->lock);
	mutex_lock(&xen->xen_lock);	// no-warning
	mutex_unlock(&xen->xen_lock);
	mutex_unlock(&kvm->lock);
}

// struct kvm_vmx embeds struct kvm by value: &vmx->kvm.lock is kvm->lock.
void bad_embedded_kvm(struct kvm_vmx *vmx, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here}}
	mutex_lock(&vmx->kvm.lock);	// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&vmx->kvm.lock);
	mutex_unlock(&vcpu->mutex);
}

// A global variable.
void bad_global_inside(struct kvm *kvm)
{
	mutex_lock(&kvm->lock);		// expected-note{{'kvm->lock' acquired here}}
	mutex_lock(&kvm_lock);		// expected-warning{{'kvm_lock' acquired while holding 'kvm->lock'; rules put 'kvm_lock' outside 'kvm->lock'}}
					// expected-note@Inputs/test.lockorder:77 {{rule stated here}}
	mutex_unlock(&kvm_lock);
	mutex_unlock(&kvm->lock);
}

// A lock named by the function that takes it: hardware_enable_all() takes
// cpus_read_lock() and then kvm_lock.
void ok_cpus_read_lock_then_kvm_lock(void)
{
	cpus_read_lock();
	mutex_lock(&kvm_lock);		// no-warning
	mutex_unlock(&kvm_lock);
	cpus_read_unlock();
}

void bad_cpus_read_lock_inside_kvm_lock(void)
{
	mutex_lock(&kvm_lock);		// expected-note{{'kvm_lock' acquired here}}
	cpus_read_lock();		// expected-warning{{'cpus_read_lock' acquired while holding 'kvm_lock'; rules put 'cpus_read_lock' outside 'kvm_lock'}}
					// expected-note@Inputs/test.lockorder:74 {{rule stated here}}
	cpus_read_unlock();
	mutex_unlock(&kvm_lock);
}
