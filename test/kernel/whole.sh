#!/bin/bash
# test/kernel/whole.sh VERSION BUILD_DIR [TREE]: the whole x86_64 defconfig
# tree of Debian's linux-source-VERSION (+ KVM, KVM_INTEL, KVM_AMD, KVM_XEN,
# PROVE_LOCKING) built with the plugin in KCFLAGS and rules/kvm.lockorder,
# as a maintainer would add it.  Not part of ctest (about half an hour per
# tree on 2 cores): its figures are in the README.  TREE defaults to
# BUILD_DIR/kernels/whole-VERSION.  Prints the build's figures (translation
# units, seconds, crashes, failed objects) and checks every finding against
# test/kernel/triage-whole-VERSION.txt (check.py: N passed, N failed).
set -euo pipefail
VERSION=$1
BUILD=$(cd "$2" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
TREE=${3:-$BUILD/kernels/whole-$VERSION}
"$SRC/tools/kernel-tree.sh" --with "$BUILD/plugin/lockorder.so" \
	"$SRC/rules/kvm.lockorder" "$VERSION" "$TREE"
out="$BUILD/kernels/findings-whole-$VERSION.json"
python3 "$SRC/test/kernel/collect.py" "$TREE/.lockorder/findings" "$out"
triage="$SRC/test/kernel/triage-whole-$VERSION.txt"
[ -e "$triage" ] || { echo "no $triage yet"; exit 1; }
exec python3 "$SRC/test/kernel/check.py" "$out" "$triage"
