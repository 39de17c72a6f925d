#!/bin/bash
# tools/kernel-tree.sh VERSION OUTDIR - a real kernel tree to check, from
# Debian's packages only.
#
# Unpacks linux-source-VERSION (6.1 or 6.12) into OUTDIR, configures
# x86_64_defconfig with KVM, KVM_INTEL, KVM_AMD, KVM_XEN and PROVE_LOCKING,
# runs `make LLVM=-19 prepare`, builds arch/x86/kvm/ and writes
# OUTDIR/compile_commands.json (scripts/clang-tools/gen_compile_commands.py;
# virt/kvm objects are built from arch/x86/kvm as ../../../virt/kvm/*.o).
# Each step leaves a stamp, so a second run only redoes what is missing.
#
# tools/kernel-tree.sh --with PLUGIN RULES VERSION OUTDIR [DIR...] - the
# same tree, then built as a maintainer would run lockorder over it: `make
# LLVM=-19 -k` with the plugin in KCFLAGS (-fplugin-arg-lockorder-findings=
# a directory: one JSON report per compile), the whole defconfig tree or
# only the DIRs given (a slice: kernel/ mm/ ...).  Every object of what it
# builds is compiled again, so the reports are all of this run's.  Writes
# OUTDIR/.lockorder/{findings/,build.log,failed.txt,stats.json}:
# translation units compiled, seconds, objects that failed and whether
# the compiler crashed.
#
# Exit status: 0 done, 1 a step failed (its log's tail is printed),
# 3 the source package cannot be installed here (a CI may skip on 3).
set -euo pipefail

PLUGIN= RULES=
if [ "${1:-}" = --with ]; then
	PLUGIN=$(realpath "${2:?usage: tools/kernel-tree.sh --with PLUGIN RULES VERSION OUTDIR [DIR...]}")
	RULES=$(realpath "${3:?usage: tools/kernel-tree.sh --with PLUGIN RULES VERSION OUTDIR [DIR...]}")
	shift 3
	for f in "$PLUGIN" "$RULES"; do
		[ -r "$f" ] || { echo "kernel-tree: cannot read $f" >&2; exit 1; }
	done
fi
VERSION=${1:?usage: tools/kernel-tree.sh [--with PLUGIN RULES] 6.1|6.12 OUTDIR [DIR...]}
OUT=${2:?usage: tools/kernel-tree.sh [--with PLUGIN RULES] 6.1|6.12 OUTDIR [DIR...]}
shift 2
DIRS=("$@")
JOBS=$(nproc 2>/dev/null || echo 2)
LOGS="$OUT/.lockorder-logs"
MAKE=(make -s LLVM=-19 -j"$JOBS")

step() { # step NAME COMMAND...: run once, timed, logged
	local name=$1 t0 rc=0
	shift
	if [ -e "$LOGS/$name.done" ]; then
		echo "kernel-tree: $name: already done"
		return
	fi
	t0=$(date +%s.%N)
	"$@" >"$LOGS/$name.log" 2>&1 || rc=$?
	if [ $rc -ne 0 ]; then
		echo "kernel-tree: $name failed; the end of $LOGS/$name.log:" >&2
		tail -20 "$LOGS/$name.log" >&2
		exit 1
	fi
	touch "$LOGS/$name.done"
	printf 'kernel-tree: %s: %.1f s\n' "$name" "$(echo "$(date +%s.%N) - $t0" | bc)"
}

install() {
	local missing=()
	for p in "linux-source-$VERSION" bc bison flex libelf-dev libssl-dev cpio \
		kmod python3 clang-19 lld-19 llvm-19; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends "${missing[@]}"; then
		return 3
	fi
}

unpack() {
	tar -xf "/usr/src/linux-source-$VERSION.tar.xz" -C "$OUT" --strip-components=1
}

configure() {
	cd "$OUT"
	"${MAKE[@]}" x86_64_defconfig
	scripts/config -e VIRTUALIZATION -e KVM -e KVM_INTEL -e KVM_AMD \
		-e KVM_XEN -e KVM_HYPERV -e DEBUG_KERNEL -e PROVE_LOCKING \
		-e DEBUG_LOCK_ALLOC -d WERROR
	"${MAKE[@]}" olddefconfig
	local o
	for o in KVM KVM_INTEL KVM_AMD KVM_XEN PROVE_LOCKING; do
		if ! grep -Eq "^CONFIG_$o=(y|m)" .config; then
			echo "CONFIG_$o did not stay enabled" >&2
			return 1
		fi
	done
}

prepare() {
	cd "$OUT"
	"${MAKE[@]}" prepare
}

build_kvm() {
	cd "$OUT"
	"${MAKE[@]}" arch/x86/kvm/
}

compdb() {
	cd "$OUT"
	python3 scripts/clang-tools/gen_compile_commands.py -d . \
		-o compile_commands.json arch/x86/kvm virt/kvm
}

# The build with the plugin: every object of the DIRS (or the tree)
# compiled again, -k so one failure does not hide the rest.
build_with() {
	cd "$OUT"
	local res="$OUT/.lockorder" rc=0 t0 t1 tus
	rm -rf "$res"
	mkdir -p "$res/findings"
	if [ ${#DIRS[@]} -gt 0 ]; then
		find "${DIRS[@]}" -name '*.o' -delete
	else
		find . -name '*.o' -not -path './.lockorder/*' -delete
	fi
	# kbuild builds a directory named with its trailing slash
	local targets=() d
	for d in "${DIRS[@]}"; do
		targets+=("${d%/}/")
	done
	t0=$(date +%s.%N)
	"${MAKE[@]}" -k KCFLAGS="-fplugin=$PLUGIN -fplugin-arg-lockorder-rules=$RULES -fplugin-arg-lockorder-findings=$res/findings/" \
		"${targets[@]}" >"$res/build.log" 2>&1 || rc=$?
	t1=$(date +%s.%N)
	tus=$(find "$res/findings" -name '*.json' | wc -l)
	# An object make tried and could not build.
	grep -oE "\[[^]]*: ([^ ]+\.o)\] Error [0-9]+" "$res/build.log" |
		sed -E 's/^\[[^]]*: //; s/\] Error.*//' | sort -u >"$res/failed.txt" || true
	python3 - "$res" "$rc" "$tus" "$t0" "$t1" <<'PY'
import json, sys
res, rc, tus, t0, t1 = sys.argv[1:]
log = open(res + "/build.log", errors="replace").read()
failed = [l for l in open(res + "/failed.txt").read().split("\n") if l]
json.dump({"make_status": int(rc), "translation_units": int(tus),
           "seconds": round(float(t1) - float(t0), 1),
           "failed_objects": failed,
           "crashes": log.count("PLEASE submit a bug report"),
           "functions_skipped": log.count("internal error while analysing"),
           "warnings": log.count(": warning: ")},
          open(res + "/stats.json", "w"), indent=1)
PY
	cat "$res/stats.json"
	[ "$rc" -eq 0 ] || echo "kernel-tree: make exited $rc; see $res/failed.txt" >&2
}

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
mkdir -p "$LOGS"
if [ ! -e "$LOGS/install.done" ]; then
	rc=0
	install >"$LOGS/install.log" 2>&1 || rc=$?
	if [ $rc -eq 3 ]; then
		echo "kernel-tree: cannot install linux-source-$VERSION here; skipping" >&2
		exit 3
	elif [ $rc -ne 0 ]; then
		tail -20 "$LOGS/install.log" >&2
		exit 1
	fi
	touch "$LOGS/install.done"
fi
step unpack unpack
step configure configure
step prepare prepare
if [ -n "$PLUGIN" ]; then
	echo "kernel-tree: building ${DIRS[*]:-the whole tree} with lockorder"
	build_with
	exit 0
fi
step build-kvm build_kvm
step compdb compdb
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' \
	"$OUT/compile_commands.json")
echo "kernel-tree: $OUT/compile_commands.json: $n translation units"
