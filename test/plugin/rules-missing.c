// RUN: rm -f %t.missing.lockorder
// RUN: not %clang_lo%t.missing.lockorder -fsyntax-only -I %inputs %s 2>&1 | FileCheck --implicit-check-not=warning: %s
//
// rules-missing.c - a rules file that cannot be read is an error naming
// the file, and the compile fails.

// CHECK: error: {{.*}}cannot open{{.*}}missing.lockorder

#include "kvm.h"

void bad_never_checked(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	mutex_lock(&kvm->lock);
	mutex_unlock(&kvm->lock);
	mutex_unlock(&vcpu->mutex);
}
