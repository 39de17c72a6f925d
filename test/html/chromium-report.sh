#!/bin/bash
# test/html/chromium-report.sh BUILD_DIR: the HTML report renders in a real
# browser.  Opens reports made with `lockorder check --format html` in
# headless Chromium (Debian's package) and checks the rendered DOM, the
# index's script having run:
#
#  - test/html/Inputs/tree (7 findings of 4 kinds in 2 files): the counts
#    per kind and per file; filters and sorts given in the fragment
#    (index.html#kind=...&file=...&q=...&sort=...) show only, and in
#    order, the rows the JSON report of the same tree says they should;
#    the page's own controls clicked (click.js); the index without
#    JavaScript, a plain table;
#  - the code of a finding's page, measured where Chromium draws it
#    (measure.js): a tab indents to column 8 of the code and a tab after
#    text stops at the next multiple of 8, as spaces to the same columns
#    do; each site's mark is drawn at its column; a long line wraps with
#    its number on its first row; a copy of a snippet is the file's text;
#  - test/wholeprogram/kvm-mini: a finding across files, its page's text.
#
# Keeps a screenshot of the index as a test artifact
# (BUILD_DIR/test/html/index.png).  dom.py does the checking.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$SRC/test/html"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
	echo "html: skipped: $CHROMIUM is not installed (Debian package chromium)"
	exit 0
fi
OUT="$BUILD/test/html"
W="$OUT/work"
rm -rf "$W"
mkdir -p "$W"

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
dom() { python3 "$HERE/dom.py" "$@" || fail=1; }
# check NAME DB RULES FORMAT OUT: lockorder check, which finds something.
check() {
	local rc=0
	"$BUILD/tools/lockorder" check -p "$2" --rules "$3" \
		--plugin "$BUILD/plugin/lockorder.so" --format "$4" -o "$5" \
		2>/dev/null || rc=$?
	[ $rc -eq 1 ] || { echo "FAIL  $1: lockorder check exited $rc, expected 1"; exit 1; }
}
# with FILE SCRIPT NEW: a copy of the page FILE with SCRIPT run at its end.
with() {
	{ cat "$1"; printf '<script>\n'; cat "$2"; printf '</script>\n'; } > "$3"
}

# ---- a tree with several kinds in several files ----------------------
TREE="$HERE/Inputs/tree"
sed -e "s|@DIR@|$TREE|g" "$HERE/Inputs/tree.json.in" > "$W/tree.json"
check tree "$W/tree.json" "$HERE/Inputs/tree.lockorder" html "$W/report"
check tree "$W/tree.json" "$HERE/Inputs/tree.lockorder" json "$W/report.json"
R="$W/report"

i=0
for fragment in "" "kind=atomic&file=fs/inode.c" "file=mm/&sort=-line" \
		"q=S_UMOUNT&sort=kind" "kind=leaf"; do
	i=$((i + 1))
	chromium --dump-dom "file://$R/index.html${fragment:+#$fragment}" > "$W/index-$i.dom"
	dom index "$W/index-$i.dom" "$W/report.json" "$fragment"
done
# Without JavaScript: the page as it is without its script (--dump-dom
# needs scripts on).
sed -e '/<script>/,/<\/script>/d' "$R/index.html" > "$R/index-nojs.html"
grep -q '<script' "$R/index-nojs.html" && { echo "FAIL  the index's script not removed"; fail=1; }
chromium --dump-dom "file://$R/index-nojs.html#kind=atomic" > "$W/index-nojs.dom"
dom index "$W/index-nojs.dom" "$W/report.json" "kind=atomic" --js-off
with "$R/index.html" "$HERE/click.js" "$R/index-click.html"
chromium --dump-dom "file://$R/index-click.html" > "$W/index-click.dom"
dom click "$W/index-click.dom" "$W/report.json"

# The code: slab_grow() has the tab- and space-aligned lines, slab_shrink()
# the long one.  900 pixels wide, the long line wraps.
for page in slab_grow:--tabs slab_shrink:--long; do
	fn=${page%:*}
	n=$(python3 "$HERE/dom.py" page "$W/report.json" $fn)
	with "$R/finding-$n.html" "$HERE/measure.js" "$R/measure-$n.html"
	chromium --window-size=900,900 --dump-dom "file://$R/measure-$n.html" > "$W/measure-$fn.dom"
	echo "--    finding-$n.html ($fn)"
	dom tabs "$W/measure-$fn.dom" "$TREE/mm/slab.c" ${page#*:}
done

rm -f "$OUT/index.png"
chromium --screenshot="$OUT/index.png" --window-size=1200,800 \
	"file://$R/index.html" >/dev/null || true
if [ -s "$OUT/index.png" ]; then
	echo "ok    screenshot: $OUT/index.png"
else
	echo "FAIL  no screenshot"
	fail=1
fi

# ---- kvm-mini: a finding across files --------------------------------
sed -e "s|@DIR@|$SRC/test/wholeprogram/kvm-mini|g" -e 's|@V@|BUGGY|g' \
	"$SRC/test/wholeprogram/kvm-mini/compile_commands.json.in" \
	> "$W/compile_commands.json"
check kvm-mini "$W/compile_commands.json" "$SRC/test/wholeprogram/kvm-mini/kvm.lockorder" \
	html "$W/kvm"
chromium --dump-dom "file://$W/kvm/index.html" > "$W/kvm-index.dom"
expect "$W/kvm-index.dom" '2 findings in 1 file.'
expect "$W/kvm-index.dom" '<a href="finding-1.html">'
chromium --dump-dom "file://$W/kvm/finding-1.html" > "$W/kvm-finding-1.dom"
expect "$W/kvm-finding-1.dom" "acquired inside a 'kvm-&gt;srcu' read-side critical section"
expect "$W/kvm-finding-1.dom" '<a href="index.html">All findings</a>'
expect "$W/kvm-finding-1.dom" '<span class="at">mutex_lock</span>(&amp;kvm-&gt;lock)'

[ $fail -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail
