#!/bin/bash
# test/install/deb.sh BUILD_DIR LLVM_MAJOR: the Debian package.  `cpack -G
# DEB` of the build tree (into a temporary folder, not the tree) gives
# lockorder_VERSION_ARCH.deb whose control fields name the clang the plugin
# needs and whose files are what `cmake --install` lays out under /usr; the
# lockorder unpacked from it, anywhere, finds its own plugin and rules.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
MAJOR=$2
if ! command -v dpkg-deb >/dev/null; then
	echo "deb: skipped: no dpkg-deb"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
check() { # check WHAT COMMAND...: the command succeeds
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "ok    $what"
	else
		echo "FAIL  $what"
		fail=1
	fi
}
cpack -G DEB -B "$work/out" --config "$BUILD/CPackConfig.cmake" >"$work/cpack.log" 2>&1 ||
	{ cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/lockorder_*.deb)
echo "ok    built $(basename "$deb")"
fields=$(dpkg-deb -f "$deb" Package Depends Section)
check "Package: lockorder" grep -qx 'Package: lockorder' <<<"$fields"
check "Depends: clang-$MAJOR" grep -q "^Depends: clang-$MAJOR, " <<<"$fields"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./||' | grep -v '/$' | sort >"$work/files"
for f in usr/bin/lockorder "usr/lib/lockorder/llvm-$MAJOR/lockorder.so" \
	usr/share/lockorder/rules/kvm.lockorder usr/share/man/man1/lockorder.1 \
	usr/share/bash-completion/completions/lockorder; do
	check "holds /$f" grep -qx "$f" "$work/files"
done
dpkg-deb -x "$deb" "$work/root"
check "the unpacked lockorder reads its own kvm rules" \
	env -u LOCKORDER_PLUGIN -u LOCKORDER_RULES "$work/root/usr/bin/lockorder" rules kvm
check "and has its man page" groff -man -ww -z "$work/root/usr/share/man/man1/lockorder.1"
[ $fail -eq 0 ] && echo "deb: all passed"
exit $fail
