#!/bin/bash
# test/kernel/run-slice.sh VERSION BUILD_DIR DIR...: lockorder as a
# maintainer runs it, in KCFLAGS of a build of part of the kernel.
# Prepares Debian's linux-source-VERSION under BUILD_DIR/kernels/VERSION,
# builds the DIRs (kernel/ mm/ fs/ net/core/ in CI) with the plugin and
# rules/kvm.lockorder (tools/kernel-tree.sh --with), collects every
# finding (collect.py) and checks them against
# test/kernel/triage-slice-VERSION.txt: no crash, no compile failure the
# plugin causes, every finding triaged, every true bug still found.
# Skips (exit 0, saying so) only where the source package cannot be
# installed.
set -euo pipefail
VERSION=$1
BUILD=$(cd "$2" && pwd)
shift 2
SRC=$(cd "$(dirname "$0")/../.." && pwd)
TREE="$BUILD/kernels/$VERSION"
rc=0
"$SRC/tools/kernel-tree.sh" --with "$BUILD/plugin/lockorder.so" \
	"$SRC/rules/kvm.lockorder" "$VERSION" "$TREE" "$@" || rc=$?
if [ $rc -eq 3 ]; then
	echo "kernel $VERSION slice: skipped: linux-source-$VERSION cannot be installed here"
	exit 0
elif [ $rc -ne 0 ]; then
	exit $rc
fi
res="$TREE/.lockorder"
out="$BUILD/kernels/findings-slice-$VERSION.json"
python3 "$SRC/test/kernel/collect.py" "$res/findings" "$out"
python3 - "$res/stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print("kernel slice: %d translation units in %.0f s, %d crashes, %d failed objects"
      % (s["translation_units"], s["seconds"], s["crashes"], len(s["failed_objects"])))
sys.exit(1 if s["crashes"] or s["failed_objects"] or s["make_status"]
         or not s["translation_units"] else 0)
PY
exec python3 "$SRC/test/kernel/check.py" "$out" "$SRC/test/kernel/triage-slice-$VERSION.txt"
