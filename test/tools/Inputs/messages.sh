#!/bin/sh
# messages.sh LOCKORDER INPUTS: runs lockorder wrongly in many ways, in the
# working directory, and prints every line it says on stderr.
L=$1
X=$2/merge-xen
R=$2/merge.lockorder
B=$2/merge-bad
while read -r args; do
	[ -n "$args" ] || continue
	args=$(printf '%s\n' "$args" | sed -e "s|\\\$X|$X|g" -e "s|\\\$R|$R|g" -e "s|\\\$B|$B|g")
	# shellcheck disable=SC2086 # the words of ARGS are the arguments
	"$L" $args 2>&1 >/dev/null
done <<'LIST'
frobnicate
--frobnicate
help frobnicate
help a b
rules
rules missing.lockorder
rules bad.lockorder
rules --bogus
explain
explain --rules bad.lockorder
merge
merge $X
merge --rules $R
merge --rules $R --bogus $X
merge --rules $R --format xml $X
merge --rules $R -o
merge --rules $R $B missing.json
merge --rules $R empty
merge --rules $R empty $X
merge --rules $R -o missing/r.txt $X
merge --rules $R --format html $X
merge --rules $R --baseline missing.json $X
merge --rules $R --baseline x --update-baseline y $X
merge --rules bad.lockorder $X
graph
graph --rules $R --format gif
graph --rules $R -o g.jpg
graph --rules $R -o missing/g.dot
graph --rules $R -x
check
check -p missing.json
check -p missing.json --rules $R
check -j 0 -p x --rules $R
check --format yaml
check --rules R -- make
check stray
build
build --rules $R
build --rules bad.lockorder -- true
build --rules $R -o missing/r.txt -- true
build --rules $R --bogus -- true
build --rules $R -- sh -c false
build --rules $R -- true
LIST
exit 0
