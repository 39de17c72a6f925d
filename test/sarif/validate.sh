#!/bin/bash
# test/sarif/validate.sh BUILD_DIR: lockorder's SARIF validates against the
# SARIF 2.1.0 JSON schema.  The schema comes from the npm registry (the
# package @microsoft/jest-sarif ships sarif-2.1.0-rtm.5.json), cached in
# the build tree; the validator is Debian's python3-jsonschema.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CACHE="$BUILD/test/sarif"
SCHEMA="$CACHE/sarif-2.1.0-rtm.5.json"
PKG=@microsoft/jest-sarif@1.0.0-beta.0
mkdir -p "$CACHE"
if [ ! -s "$SCHEMA" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && npm pack --silent "$PKG" >/dev/null) || {
		echo "sarif: cannot fetch $PKG from the npm registry" >&2
		exit 1
	}
	tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/schemas/sarif-2.1.0-rtm.5.json
	mv "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$SCHEMA"
fi
out="$CACHE/xen.sarif"
rc=0
"$BUILD/tools/lockorder" merge --rules "$SRC/test/tools/Inputs/merge.lockorder" \
	--format sarif -o "$out" "$SRC/test/tools/Inputs/merge-xen" 2>/dev/null || rc=$?
[ $rc -eq 1 ] || { echo "sarif: lockorder merge exited $rc, expected 1" >&2; exit 1; }
exec /usr/bin/python3 - "$SCHEMA" "$out" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
jsonschema.validators.validator_for(schema)(schema).validate(log)
results = log["runs"][0]["results"]
flows = [r for r in results if r.get("codeFlows")]
assert results and len(flows) == len(results), "every result carries its call chain as a codeFlow"
steps = flows[0]["codeFlows"][0]["threadFlows"][0]["locations"]
assert len(steps) >= 3, steps
print("sarif: %d results valid against SARIF 2.1.0; first code flow has %d steps"
      % (len(results), len(steps)))
PY
