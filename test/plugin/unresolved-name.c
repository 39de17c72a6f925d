// RUN: %clang_lo%inputs/unresolved-name.lockorder -fplugin-arg-lockorder-verbose -fsyntax-only -I %inputs %s 2>&1 | FileCheck --implicit-check-not=warning: %s
// RUN: %clang_lo%inputs/unresolved-name.lockorder -fplugin-arg-lockorder-verbose -fsyntax-only -I %inputs -DKVM_INCOMPLETE %s 2>&1 | FileCheck --allow-empty --check-prefix=INCOMPLETE %s
// RUN: %clang_lo%inputs/unresolved-name.lockorder -fsyntax-only -I %inputs %s 2>&1 | FileCheck --allow-empty --check-prefix=QUIET %s
//
// unresolved-name.c - a rules lock whose field path names no field, in a
// translation unit where the root struct is complete, is a warning at the
// rules line in verbose mode: locking.rst's names do not always match the
// code.  Without -fplugin-arg-lockorder-verbose it is quiet, because a
// field that exists only under some configuration (xen_lock needs
// CONFIG_KVM_XEN) would warn in every translation unit of a kernel build.  Where
// struct kvm is incomplete nothing can be said, and nothing is.  Names that
// resolve draw no warning.

// CHECK-DAG: unresolved-name.lockorder:7:{{[0-9]+}}: warning: rules lock 'kvm->nolock' names no field: 'struct kvm' has no field 'nolock'
// CHECK-DAG: unresolved-name.lockorder:8:{{[0-9]+}}: warning: rules lock 'kvm->arch.nope' names no field: 'struct kvm_arch' has no field 'nope'
// INCOMPLETE-NOT: warning:
// QUIET-NOT: names no field

#ifdef KVM_INCOMPLETE
#include "kernel.h"
struct kvm;
#else
#include "kvm.h"
#endif

void ok_uses_kvm(struct kvm *kvm);
