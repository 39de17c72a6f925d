#!/usr/bin/env python3
"""Generate a large kernel-style C file for benchmarking the plugin.

Each of N functions mixes what a KVM file does: locks taken and released
on several paths, trylock and interruptible locks, an SRCU read section,
loops, a switch, goto error paths and calls to the functions before it
(deep call chains: f(i) calls f(i-1) and f(i/2)).  The code follows the
rules, so the measurement is of analysis, not of printing warnings.
The file includes the test suite's mock kernel headers, so it compiles
with no system headers.

usage: gen_large.py N > large.c
"""
import sys

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    out = ['#include "kernel.h"', '#include "kvm.h"', "",
           "int work(int x);", "extern int flags;", ""]
    for i in range(n):
        callee = f"f{i - 1}(kvm, vcpu, x + 1)" if i > 0 else "work(x)"
        far = f"f{i // 2}(kvm, vcpu, x)" if i > 2 else "work(x + 2)"
        body = f"""
static int f{i}(struct kvm *kvm, struct kvm_vcpu *vcpu, int x)
{{
	int r = 0, idx, i;
	unsigned long fl;

	if (mutex_lock_interruptible(&kvm->lock))
		return -EINTR;
	for (i = 0; i < x; i++) {{
		r += work(i * {i % 7 + 1});
		if (r > {i})
			break;
	}}
	switch (x & 3) {{
	case 0:
		mutex_lock(&kvm->slots_lock);
		r += work(x);
		mutex_unlock(&kvm->slots_lock);
		break;
	case 1:
		read_lock(&kvm->mmu_lock);
		spin_lock_irqsave(&kvm->arch.tdp_mmu_pages_lock, fl);
		r += work(x);
		spin_unlock_irqrestore(&kvm->arch.tdp_mmu_pages_lock, fl);
		read_unlock(&kvm->mmu_lock);
		break;
	default:
		if (mutex_trylock(&vcpu->mutex)) {{
			r += work(r);
			mutex_unlock(&vcpu->mutex);
		}}
	}}
	mutex_unlock(&kvm->lock);
	r += {callee};

	idx = srcu_read_lock(&kvm->srcu);
	if (flags & {1 << (i % 8)})
		goto out;
	r += work(r);
out:
	srcu_read_unlock(&kvm->srcu, idx);
	if (r & 1)
		r += {far};
	return r;
}}
"""
        out.append(body)
    out.append("int entry(struct kvm *kvm, struct kvm_vcpu *vcpu)")
    out.append("{")
    out.append("\tint r = 0;")
    for i in range(0, n, max(1, n // 50)):
        out.append(f"\tr += f{i}(kvm, vcpu, r);")
    out.append("\treturn r;")
    out.append("}")
    sys.stdout.write("\n".join(out) + "\n")

if __name__ == "__main__":
    main()
