#!/bin/sh
# count-summaries.sh DIR: how many object files under DIR carry a summary
# section, and how many distinct sources those summaries name.
objs=0
for o in $(find "$1" -name '*.o' | sort); do
	if llvm-readelf -S -W "$o" | grep -q '\.discard\.lockorder'; then
		objs=$((objs + 1))
	fi
done
echo "objects with a summary: $objs"
