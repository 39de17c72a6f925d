// RUN: rm -f %t.o
// RUN: %clang_lo%inputs/test.lockorder -c -I %inputs %s -o %t.o 2>&1 | FileCheck %s
// RUN: test -f %t.o
//
// object-file.c - the plugin runs beside code generation, not instead of
// it: with -c the findings are reported and the object file is written.

#include "kvm.h"

void bad_vcpu_mutex_then_kvm_lock(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	mutex_lock(&kvm->lock);
// CHECK: object-file.c:[[@LINE-1]]:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'
	mutex_unlock(&kvm->lock);
	mutex_unlock(&vcpu->mutex);
}
