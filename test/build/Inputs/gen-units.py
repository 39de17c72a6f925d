#!/usr/bin/env python3
"""gen-units.py DIR N: N more translation units under DIR/gen/, each with a
function that takes and drops kvm->lock (no finding of its own), so that a
build has many units to lose or keep."""
import os
import sys

root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(os.path.join(root, "gen"), exist_ok=True)
for k in range(n):
    with open(os.path.join(root, "gen", "unit_%d.c" % k), "w") as f:
        f.write('#include <linux/kvm_host.h>\n\n'
                'void gen_unit_%d(struct kvm *kvm)\n{\n'
                '\tmutex_lock(&kvm->lock);\n'
                '\tmutex_unlock(&kvm->lock);\n}\n' % k)
