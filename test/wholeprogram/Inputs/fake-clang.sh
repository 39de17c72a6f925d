#!/bin/sh
# fake-clang.sh - a "clang" for check-bad-summary.test: it compiles
# nothing, succeeds, and leaves a summary no reader accepts.
#   FAKE_CLANG=garbage (default)  writes a line that is not JSON
#   FAKE_CLANG=none               writes no summary at all
for a in "$@"; do
	case "$a" in
	-fplugin-arg-lockorder-summary=*)
		out=${a#-fplugin-arg-lockorder-summary=}
		if [ "${FAKE_CLANG:-garbage}" = garbage ]; then
			printf 'this is not a lockorder summary\n' > "$out"
		fi
		;;
	esac
done
exit 0
