// RUN: not %clang_lo%inputs/test.lockorder -fplugin-arg-lockorder-werror -fsyntax-only -I %inputs %s 2>&1 | FileCheck %s
// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s 2>&1 | FileCheck --check-prefix=WARN %s
// RUN: %clang_lo%inputs/test.lockorder -Werror -fsyntax-only -I %inputs %s 2>&1 | FileCheck --check-prefix=WARN %s
//
// werror.c - -fplugin-arg-lockorder-werror makes findings errors (and the
// compile fail); their text and notes do not change.  Without it they are
// warnings and the compile succeeds, even under the kernel's -Werror:
// adding lockorder to a kernel build must not break it by surprise.

#include "kvm.h"

void bad_vcpu_mutex_then_kvm_lock(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	mutex_lock(&vcpu->mutex);
	mutex_lock(&kvm->lock);
// CHECK: werror.c:[[@LINE-1]]:2: error: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'
// CHECK: werror.c:[[@LINE-3]]:2: note: 'vcpu->mutex' acquired here
// CHECK: test.lockorder:81:1: note: rule stated here
// WARN: werror.c:[[@LINE-4]]:2: warning: 'kvm->lock' acquired while holding 'vcpu->mutex'; rules put 'kvm->lock' outside 'vcpu->mutex'
// WARN: werror.c:[[@LINE-6]]:2: note: 'vcpu->mutex' acquired here
// WARN: test.lockorder:81:1: note: rule stated here
	mutex_unlock(&kvm->lock);
	mutex_unlock(&vcpu->mutex);
}

// CHECK-NOT: warning:
// CHECK: 1 error generated.
// WARN-NOT: error:
// WARN: 1 warning generated.
