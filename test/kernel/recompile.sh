#!/bin/bash
# test/kernel/recompile.sh BUILD_DIR TREE UNITS TRIAGE: compile again, with
# BUILD_DIR's plugin and rules/kvm.lockorder, each translation unit listed in
# UNITS (paths relative to TREE, a kernel tree already built once, whose
# DIR/.NAME.o.cmd hold each unit's kbuild command), -fsyntax-only, two at a
# time; then collect the findings and check them against TRIAGE.  For
# measuring a change on the units that had findings (units-whole-6.12.txt:
# the 75 of the whole 6.12 tree) in two minutes instead of a whole build.
# It does not see a finding new in a unit not listed.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
TREE=$(cd "$2" && pwd)
UNITS=$(realpath "$3")
TRIAGE=$(realpath "$4")
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export PLUGIN="$BUILD/plugin/lockorder.so" RULES="$SRC/rules/kvm.lockorder" TREE OUT
one() {
	local d b cmd
	d=$(dirname "$1"); b=$(basename "$1" .c)
	cmd=$(sed -n 's/^savedcmd_[^ ]* := //p' "$TREE/$d/.$b.o.cmd" | head -1)
	cmd=$(echo "$cmd" | sed -E 's/ -fplugin[^ ]*//g; s/ -o [^ ]+/ /; s/ -c / /; s/-Wp,-MMD,[^ ]*//')
	(cd "$TREE" && eval "$cmd -fsyntax-only -fplugin=$PLUGIN -fplugin-arg-lockorder-rules=$RULES -fplugin-arg-lockorder-findings=$OUT/findings/") >/dev/null 2>&1 ||
		echo "recompile: $1 failed to compile" >&2
}
export -f one
mkdir -p "$OUT/findings"
start=$(date +%s)
xargs -P 2 -n 1 bash -c 'one "$0"' < "$UNITS"
echo "recompiled $(wc -l < "$UNITS") units in $(( $(date +%s) - start )) s"
python3 "$SRC/test/kernel/collect.py" "$OUT/findings" "$OUT/findings.json"
python3 "$SRC/test/kernel/check.py" "$OUT/findings.json" "$TRIAGE" | tail -1
