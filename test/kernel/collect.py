#!/usr/bin/env python3
"""Collect the findings of a build with the plugin in KCFLAGS.

usage: collect.py FINDINGS_DIR OUT.json

FINDINGS_DIR holds one JSON report per compile
(-fplugin-arg-lockorder-findings=DIR/, tools/kernel-tree.sh --with).  Writes
one report in the shape of `lockorder check --format json` (so check.py
reads it), each finding once, sorted by place; prints a summary by kind.
"""
import collections
import json
import os
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    seen = {}
    reports = 0
    for name in sorted(os.listdir(src)):
        if not name.endswith(".json"):
            continue
        reports += 1
        with open(os.path.join(src, name)) as f:
            for x in json.load(f)["findings"]:
                seen.setdefault((x["key"], x["file"], x["line"]), x)
    findings = sorted(seen.values(), key=lambda x: (x["file"], x["line"], x["col"], x["message"]))
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"findings": findings, "version": 1}, f, indent=1, sort_keys=True)
    os.replace(tmp, out)
    kinds = collections.Counter(x["kind"] for x in findings)
    print("%d reports, %d findings: %s" % (reports, len(findings),
          ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))


if __name__ == "__main__":
    main()
