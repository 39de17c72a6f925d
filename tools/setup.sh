#!/bin/bash
# tools/setup.sh - install what lockorder needs from Debian's packages,
# build it, and run it.
#
#   tools/setup.sh example   install, build, run the plugin on the bundled
#                            Xen deadlock example and print its diagnostics
#   tools/setup.sh test      install, build, run the whole test suite (ctest)
#   tools/setup.sh build     install and build only
#
# Environment: LLVM_VERSION (default 19) picks the LLVM/Clang to build the
# plugin against; BUILD_DIR (default build-$LLVM_VERSION) the build tree;
# SANITIZE=1 builds with AddressSanitizer and UBSan.
set -euo pipefail

cd "$(dirname "$0")/.."
LLVM_VERSION=${LLVM_VERSION:-19}
BUILD_DIR=${BUILD_DIR:-build-$LLVM_VERSION}
JOBS=$(nproc 2>/dev/null || echo 2)

PACKAGES="clang-$LLVM_VERSION llvm-$LLVM_VERSION-dev libclang-$LLVM_VERSION-dev
llvm-$LLVM_VERSION-tools libclang-rt-$LLVM_VERSION-dev libcmocka-dev
libjansson-dev pkg-config cmake make python3"

install_deps() {
	local missing=()
	for p in $PACKAGES; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		return
	fi
	echo "setup: installing ${missing[*]}"
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
}

build() {
	local llvm=/usr/lib/llvm-$LLVM_VERSION
	cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DClang_DIR="$llvm/lib/cmake/clang" \
		-DCMAKE_C_COMPILER="$llvm/bin/clang" \
		-DCMAKE_CXX_COMPILER="$llvm/bin/clang++" \
		-DLOCKORDER_SANITIZE="${SANITIZE:-OFF}" >/dev/null
	cmake --build "$BUILD_DIR" -j "$JOBS"
}

example() {
	local dir=examples/xen-deadlock
	local clang=/usr/lib/llvm-$LLVM_VERSION/bin/clang
	for f in "$dir"/*.c; do
		echo "== $clang -fplugin=$BUILD_DIR/plugin/lockorder.so -fplugin-arg-lockorder-rules=rules/kvm.lockorder -c $f"
		"$clang" -fplugin="$BUILD_DIR/plugin/lockorder.so" \
			-fplugin-arg-lockorder-rules=rules/kvm.lockorder \
			-fsyntax-only -I "$dir" "$f" || true
	done
}

case "${1:-}" in
example)
	install_deps
	build
	example
	;;
test)
	install_deps
	build
	cd "$BUILD_DIR"
	ctest --output-on-failure -j "$JOBS"
	;;
build)
	install_deps
	build
	;;
*)
	echo "usage: tools/setup.sh example|test|build" >&2
	exit 2
	;;
esac
