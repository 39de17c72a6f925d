#!/usr/bin/env python3
"""Check `lockorder check` on a real kernel tree against its triage file.

usage: check.py FINDINGS.json TRIAGE.txt

Every finding must be listed in the triage file (by key); every finding the
triage file calls a true bug must still be found.  Prints one line per
finding and ends with `N passed, N failed`.
"""
import json
import sys


def main():
    findings = json.load(open(sys.argv[1]))["findings"]
    triage = {}
    for line in open(sys.argv[2]):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, verdict, where, why = line.split(None, 3)
        triage[key] = (verdict, where, why)
    passed = failed = 0
    seen = set()
    for f in findings:
        where = "%s:%d" % (f["file"].replace("arch/x86/kvm/../../../", ""), f["line"])
        seen.add(f["key"])
        if f["key"] in triage:
            passed += 1
            print("ok    %-12s %s: %s" % (triage[f["key"]][0], where, f["message"]))
        else:
            failed += 1
            print("NEW   %s %s: %s  (not in %s)" % (f["key"], where, f["message"], sys.argv[2]))
    for key, (verdict, where, why) in sorted(triage.items()):
        if key in seen:
            continue
        if verdict == "true-bug":
            failed += 1
            print("LOST  %s %s: a true bug no longer found" % (key, where))
        else:
            passed += 1
            print("gone  %-12s %s (no longer reported)" % (verdict, where))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
