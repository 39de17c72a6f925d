#!/bin/sh
# exit-status.sh LOCKORDER INPUTS: runs lockorder with each line of
# arguments below (X: INPUTS/merge-xen, R: INPUTS/merge.lockorder), in the
# working directory, and prints "STATUS lockorder ARGS" for each.
L=$1
X=$2/merge-xen
R=$2/merge.lockorder
while read -r args; do
	[ -n "$args" ] || continue
	args=$(printf '%s\n' "$args" | sed -e "s|\\\$X|$X|g" -e "s|\\\$R|$R|g")
	# shellcheck disable=SC2086 # the words of ARGS are the arguments
	"$L" $args > /dev/null 2>&1
	echo "$? lockorder $args" | sed -e "s|$X|X|g" -e "s|$R|R|g"
done <<'LIST'
merge --rules $R $X/x86.lockorder.json $X/vmx.lockorder.json
merge --rules $R $X
merge $X
merge --rules $R
merge --rules $R --bogus $X
merge --rules $R missing.json
merge --rules $R bad.lockorder.json
merge --rules bad.lockorder $X
merge --rules missing.lockorder $X
merge --rules $R nothing-here
rules $R
rules bad.lockorder
rules missing.lockorder
rules
explain --rules $R
explain --rules bad.lockorder
graph --rules $R $X
graph --rules bad.lockorder
graph
check --rules $R
check -p missing.json --rules $R
help merge
help frobnicate
frobnicate
--version
LIST
