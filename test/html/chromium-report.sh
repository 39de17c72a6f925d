#!/bin/bash
# test/html/chromium-report.sh BUILD_DIR: the HTML report renders in a real
# browser.  Builds the report of test/wholeprogram/kvm-mini with `lockorder
# check --format html`, opens its index and first finding in headless
# Chromium (Debian's package), checks the rendered DOM, and keeps a
# screenshot of the index as a test artifact (BUILD_DIR/test/html/index.png).
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
	echo "html: skipped: $CHROMIUM is not installed (Debian package chromium)"
	exit 0
fi
OUT="$BUILD/test/html"
rm -rf "$OUT/work"
mkdir -p "$OUT/work"
sed -e "s|@DIR@|$SRC/test/wholeprogram/kvm-mini|g" -e 's|@V@|BUGGY|g' \
	"$SRC/test/wholeprogram/kvm-mini/compile_commands.json.in" \
	> "$OUT/work/compile_commands.json"
rc=0
"$BUILD/tools/lockorder" check -p "$OUT/work/compile_commands.json" \
	--rules "$SRC/test/wholeprogram/kvm-mini/kvm.lockorder" \
	--plugin "$BUILD/plugin/lockorder.so" --format html -o "$OUT/work/report" \
	2>/dev/null || rc=$?
[ $rc -eq 1 ] || { echo "html: lockorder check exited $rc, expected 1" >&2; exit 1; }

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium() {
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$profile" "$@" 2>/dev/null
}
fail=0
expect() { # expect FILE TEXT: the rendered DOM of FILE contains TEXT
	if grep -qF -- "$2" "$1"; then
		echo "ok    $(basename "$1"): $2"
	else
		echo "FAIL  $(basename "$1"): no '$2'"
		fail=1
	fi
}
chromium --dump-dom "file://$OUT/work/report/index.html" > "$OUT/work/index.dom"
expect "$OUT/work/index.dom" '<table id="findings">'
expect "$OUT/work/index.dom" '2 findings in 1 file.'
expect "$OUT/work/index.dom" '<a href="finding-1.html">'
chromium --dump-dom "file://$OUT/work/report/finding-1.html" > "$OUT/work/finding-1.dom"
expect "$OUT/work/finding-1.dom" "acquired inside a 'kvm-&gt;srcu' read-side critical section"
expect "$OUT/work/finding-1.dom" '<a href="index.html">All findings</a>'
expect "$OUT/work/finding-1.dom" 'mutex_lock(&amp;kvm-&gt;lock)'
rm -f "$OUT/index.png"
chromium --screenshot="$OUT/index.png" --window-size=1200,700 \
	"file://$OUT/work/report/index.html" >/dev/null || true
if [ -s "$OUT/index.png" ]; then
	echo "ok    screenshot: $OUT/index.png"
else
	echo "FAIL  no screenshot"
	fail=1
fi
[ $fail -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail
