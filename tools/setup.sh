#!/bin/bash
# tools/setup.sh - install what lockorder needs from Debian's packages,
# build it, and run it.
#
#   tools/setup.sh example   install, build, run the plugin on the bundled
#                            Xen deadlock example and print its diagnostics
#   tools/setup.sh test      install, build, run the whole test suite (ctest)
#                            against LLVM 19 (with the real KVM trees of
#                            linux-source-6.1 and -6.12; LOCKORDER_KERNEL_TESTS=OFF
#                            skips them) and 22, and the C core under
#                            ASan/UBSan; ends with "N passed, N failed"
#   tools/setup.sh build     install and build only
#
# build() passes its arguments on to cmake.
# Environment: LLVM_VERSION (default 19) picks the LLVM/Clang to build the
# plugin against; BUILD_DIR (default build-$LLVM_VERSION) the build tree;
# SANITIZE=ON builds the core and the tool with ASan and UBSan; GENERATOR
# the CMake generator (default: Ninja for LLVM 22, Make for the others, so
# that CI builds and tests with both).
set -euo pipefail

cd "$(dirname "$0")/.."
LLVM_VERSION=${LLVM_VERSION:-19}
BUILD_DIR=${BUILD_DIR:-build-$LLVM_VERSION}
JOBS=$(nproc 2>/dev/null || echo 2)

# What a build against LLVM $1 needs from Debian.
packages() {
	echo "clang-$1 clangd-$1 llvm-$1-dev libclang-$1-dev llvm-$1-tools" \
		"libclang-rt-$1-dev libcmocka-dev libjansson-dev pkg-config" \
		"libelf-dev ccache distcc cmake make ninja-build python3" \
		"python3-jsonschema python3-yaml graphviz chromium groff-base" \
		"bash-completion"
}

install_deps() {
	local missing=()
	for p in $(packages "$LLVM_VERSION"); do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		return
	fi
	echo "setup: installing ${missing[*]}"
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq ||
		echo "setup: apt-get update failed; trying the package lists already here" >&2
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
}

# The generator of a build tree; a tree made by another one is made again
# from scratch (CMake refuses to switch a tree's generator).
generator() {
	local gen=${GENERATOR:-}
	if [ -z "$gen" ]; then
		gen="Unix Makefiles"
		[ "$LLVM_VERSION" = 22 ] && [ "${SANITIZE:-OFF}" != ON ] && gen=Ninja
	fi
	local cache="$BUILD_DIR/CMakeCache.txt" old
	if [ -f "$cache" ]; then
		old=$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$cache")
		if [ -n "$old" ] && [ "$old" != "$gen" ]; then
			echo "setup: $BUILD_DIR was made for $old; making it again for $gen" >&2
			rm -rf "$BUILD_DIR"
		fi
	fi
	echo "$gen"
}

build() {
	local llvm=/usr/lib/llvm-$LLVM_VERSION gen
	gen=$(generator)
	cmake -S . -B "$BUILD_DIR" -G "$gen" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DClang_DIR="$llvm/lib/cmake/clang" \
		-DCMAKE_C_COMPILER="$llvm/bin/clang" \
		-DCMAKE_CXX_COMPILER="$llvm/bin/clang++" \
		-DLOCKORDER_SANITIZE="${SANITIZE:-OFF}" \
		-DLOCKORDER_KERNEL_TESTS="${KERNEL_TESTS:-OFF}" \
		-DLOCKORDER_INSTALL_TEST_ALSO="${INSTALL_ALSO:-}" "$@" >/dev/null
	cmake --build "$BUILD_DIR" -j "$JOBS"
}

example() {
	local dir=examples/xen-deadlock
	local clang=/usr/lib/llvm-$LLVM_VERSION/bin/clang
	for f in "$dir"/*.c; do
		echo "== $clang -fplugin=$BUILD_DIR/plugin/lockorder.so -fplugin-arg-lockorder-rules=rules/kvm.lockorder -fsyntax-only -I $dir $f"
		"$clang" -fplugin="$BUILD_DIR/plugin/lockorder.so" \
			-fplugin-arg-lockorder-rules=rules/kvm.lockorder \
			-fsyntax-only -I "$dir" "$f" || true
	done
}

# Runs ctest in build tree $1 and adds its counts to the totals.
PASSED=0
FAILED=0
run_ctest() {
	local out rc=0
	out=$(cd "$1" && ctest --output-on-failure -j "$JOBS" 2>&1) || rc=$?
	echo "$out"
	local line
	line=$(echo "$out" | grep -E 'tests passed, [0-9]+ tests? failed out of' | tail -1)
	if [ -n "$line" ]; then
		local failed total
		failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
		total=$(echo "$line" | sed -E 's/.* failed out of ([0-9]+).*/\1/')
		PASSED=$((PASSED + total - failed))
		FAILED=$((FAILED + failed))
	elif [ $rc -ne 0 ]; then
		FAILED=$((FAILED + 1))
	fi
}

case "${1:-}" in
example)
	install_deps
	build
	example
	;;
test)
	# The whole suite: against LLVM 19 (the reference; Make), against
	# LLVM 22 (the same sources; Ninja), and the core and tool under ASan
	# and UBSan.  Each tree's install test first installs the trees built
	# before it into its prefix, as a user building against 19 and then 22.
	built=()
	for v in ${TEST_LLVM_VERSIONS:-19 22}; do
		LLVM_VERSION=$v
		BUILD_DIR=build-$v
		install_deps
		echo "== build and test against LLVM $v"
		# The real kernel trees are checked once, with the reference LLVM.
		KERNEL_TESTS=OFF
		[ "$v" = 19 ] && KERNEL_TESTS=${LOCKORDER_KERNEL_TESTS:-ON}
		INSTALL_ALSO=$(IFS=';'; echo "${built[*]}")
		build
		run_ctest "$BUILD_DIR"
		built+=("$PWD/$BUILD_DIR")
	done
	INSTALL_ALSO=
	echo "== build and test the core and the tool with ASan and UBSan"
	# (the clangd test runs the sanitized tool with build-19's plugin)
	LLVM_VERSION=19 BUILD_DIR=build-sanitize SANITIZE=ON build \
		-DLOCKORDER_TEST_PLUGIN="$PWD/build-19/plugin/lockorder.so"
	run_ctest build-sanitize
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
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
