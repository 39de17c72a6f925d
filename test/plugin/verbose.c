// RUN: %clang_lo%inputs/test.lockorder -fplugin-arg-lockorder-verbose -fsyntax-only -I %inputs %s 2>&1 | FileCheck %s
// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s 2>&1 | FileCheck --check-prefix=QUIET --implicit-check-not=remark: %s
//
// verbose.c - -fplugin-arg-lockorder-verbose says what the analysis skipped,
// as remarks at the place it skipped it.  Here: a lock returned by a
// function the analysis cannot see into.  Without the flag there are no
// remarks, and findings are the same either way.

#include "kvm.h"

struct mutex *get_lock(void);

void skipped(void)
{
	mutex_lock(get_lock());
// CHECK: verbose.c:[[@LINE-1]]:2: remark: cannot tell which lock {{.*}}get_lock(){{.*}}
	mutex_unlock(get_lock());
}

void bad_still_reported(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	mutex_lock(&kvm->lock);
// CHECK: verbose.c:[[@LINE-1]]:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'
// QUIET: verbose.c:[[@LINE-2]]:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'
	mutex_unlock(&kvm->lock);
	mutex_unlock(&vcpu->mutex);
}

