// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// calls-indirect.c - calls through function pointers are followed within
// one file as `lockorder merge` follows them across files: a call through
// a struct field reaches every function stored into that field of any
// object of that struct type (an ops table's initialiser, an assignment),
// a call through an array of handlers every function in its initialiser,
// and a call through a function-pointer parameter every function passed
// to it.  The finding is at the acquisition in the function reached, and
// the chain of notes goes through the indirect call.
//
// Modelled on KVM: kvm_x86_ops and its vendors' initialisers,
// kvm_vmx_exit_handlers[] and kvm_do_msr_access()'s msr_access_fn.

#include "kvm.h"

struct x86_ops {
	int (*handle_exit)(struct kvm_vcpu *vcpu);
	int (*vcpu_run)(struct kvm_vcpu *vcpu);
};

static int vmx_handle_exit(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->kvm->lock);	// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&vcpu->kvm->lock);
	return 0;
}

static int vmx_vcpu_run(struct kvm_vcpu *vcpu)
{
	return 0;
}

static struct x86_ops vmx_ops = {
	.handle_exit = vmx_handle_exit,
	.vcpu_run = vmx_vcpu_run,
};

struct x86_ops *ops = &vmx_ops;

void bad_through_ops(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_through_ops'}}
	ops->handle_exit(vcpu);		// expected-note{{'bad_through_ops' calls 'vmx_handle_exit' here}}
	mutex_unlock(&vcpu->mutex);
}

// Only what is stored in the field called is reached.
void ok_other_field(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	ops->vcpu_run(vcpu);		// no-warning
	mutex_unlock(&vcpu->mutex);
}

static int handle_io(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->kvm->slots_lock);	// expected-warning{{'kvm->slots_lock' acquired inside a 'kvm->srcu' read-side critical section; rules put 'kvm->slots_lock' outside 'kvm->srcu'}}
						// expected-note@Inputs/test.lockorder:92 {{rule stated here}}
	mutex_unlock(&vcpu->kvm->slots_lock);
	return 0;
}

static int handle_nop(struct kvm_vcpu *vcpu)
{
	return 1;
}

static int (*const exit_handlers[])(struct kvm_vcpu *vcpu) = {
	[0] = handle_nop,
	[1] = handle_io,
};

void bad_through_handler_array(struct kvm_vcpu *vcpu, int reason)
{
	int idx = srcu_read_lock(&vcpu->kvm->srcu);	// expected-note{{'kvm->srcu' acquired here in 'bad_through_handler_array'}}
	exit_handlers[reason](vcpu);	// expected-note{{'bad_through_handler_array' calls 'handle_io' here}}
	srcu_read_unlock(&vcpu->kvm->srcu, idx);
}

typedef int (*access_fn)(struct kvm_vcpu *vcpu);

static int do_access(struct kvm_vcpu *vcpu, access_fn fn)
{
	return fn(vcpu);		// expected-note{{'do_access' calls 'set_msr_locked' here}}
}

static int set_msr_locked(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->kvm->lock);	// expected-warning{{'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'}}
					// expected-note@Inputs/test.lockorder:81 {{rule stated here}}
	mutex_unlock(&vcpu->kvm->lock);
	return 0;
}

static int get_msr(struct kvm_vcpu *vcpu)
{
	return 0;
}

void bad_through_parameter(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);	// expected-note{{'vcpu->mutex' acquired here in 'bad_through_parameter'}}
	do_access(vcpu, set_msr_locked);	// expected-note{{'bad_through_parameter' calls 'do_access' here}}
	mutex_unlock(&vcpu->mutex);
}

void ok_parameter_without_lock(struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	do_access(vcpu, get_msr);	// no-warning
	mutex_unlock(&vcpu->mutex);
}
