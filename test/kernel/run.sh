#!/bin/bash
# test/kernel/run.sh VERSION BUILD_DIR: the real-code check.  Prepares
# Debian's linux-source-VERSION under BUILD_DIR/kernels/VERSION
# (tools/kernel-tree.sh), runs `lockorder check` over its KVM translation
# units with rules/kvm.lockorder, and checks the findings against
# test/kernel/triage-VERSION.txt.  Skips (exit 0, saying so) only where the
# source package cannot be installed.
set -euo pipefail
VERSION=$1
BUILD=$(cd "$2" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
TREE="$BUILD/kernels/$VERSION"
rc=0
"$SRC/tools/kernel-tree.sh" "$VERSION" "$TREE" || rc=$?
if [ $rc -eq 3 ]; then
	echo "kernel $VERSION: skipped: linux-source-$VERSION cannot be installed here"
	exit 0
elif [ $rc -ne 0 ]; then
	exit $rc
fi
out="$BUILD/kernels/findings-$VERSION.json"
rc=0
"$BUILD/tools/lockorder" check -p "$TREE/compile_commands.json" \
	--rules "$SRC/rules/kvm.lockorder" --format json -o "$out" || rc=$?
if [ $rc -ge 2 ]; then
	echo "kernel $VERSION: lockorder check failed (exit $rc)" >&2
	exit 1
fi
exec python3 "$SRC/test/kernel/check.py" "$out" "$SRC/test/kernel/triage-$VERSION.txt"
