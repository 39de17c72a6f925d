// RUN: not %clang_lo%inputs/rules-errors.lockorder -fsyntax-only -I %inputs %s 2>&1 | FileCheck --implicit-check-not=warning: %s
//
// rules-errors.c - a rules file that does not parse stops the compile.
// Every problem is reported, not only the first, as RULES:LINE:COL: error:,
// and no function is checked against half a set of rules.

#include "kvm.h"

// CHECK: rules-errors.lockorder:8:{{[0-9]+}}: error: {{.*}}nosuch_lock
// CHECK: rules-errors.lockorder:11:{{[0-9]+}}: error:

// Would be reported under rules that parsed.
void bad_never_checked(struct kvm *kvm)
{
	mutex_lock(&kvm->slots_lock);
	mutex_lock(&kvm->lock);
	mutex_unlock(&kvm->lock);
	mutex_unlock(&kvm->slots_lock);
}
