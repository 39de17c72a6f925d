#!/usr/bin/env python3
"""Parity: a compile with the plugin and `lockorder check` give the same
findings, at the same places, with the same words and notes.

usage: parity.py --lockorder TOOL --plugin SO --clang CLANG --src SRCDIR

For every test/plugin case that is checked with -verify against
Inputs/test.lockorder, this compiles the case once with the plugin writing
its findings as JSON (-fplugin-arg-lockorder-findings=FILE) and runs
`lockorder check` over a one-entry compile_commands.json of the same
command, then compares the two reports' findings field by field.  Both are
the core's machinery over the same summary, so any difference is a bug in
how one mode drives it.  Prints a line per case and ends with
`N passed, N failed`.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def findings(path):
    with open(path) as f:
        report = json.load(f)
    out = []
    for x in report["findings"]:
        # everything but where each mode was run from
        out.append({k: v for k, v in x.items() if k != "directory"})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lockorder", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--clang", required=True)
    ap.add_argument("--src", required=True)
    a = ap.parse_args()
    a.lockorder, a.plugin, a.src = (os.path.abspath(x) for x in (a.lockorder, a.plugin, a.src))
    cases_dir = os.path.join(a.src, "test", "plugin")
    inputs = os.path.join(cases_dir, "Inputs")
    rules = os.path.join(inputs, "test.lockorder")
    passed = failed = 0
    for name in sorted(os.listdir(cases_dir)):
        path = os.path.join(cases_dir, name)
        if not name.endswith(".c"):
            continue
        with open(path) as f:
            head = f.readline()
        if "test.lockorder" not in head or "-verify" not in head:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            mine = os.path.join(tmp, "plugin.json")
            cmd = [a.clang, "-fsyntax-only", "-I", inputs, path]
            subprocess.run(cmd[:1] + ["-fplugin=" + a.plugin,
                                      "-fplugin-arg-lockorder-rules=" + rules,
                                      "-fplugin-arg-lockorder-findings=" + mine]
                           + cmd[1:], cwd=tmp, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            db = [{"directory": tmp, "file": path,
                   "arguments": [a.clang, "-c", "-I", inputs, path]}]
            with open(os.path.join(tmp, "compile_commands.json"), "w") as f:
                json.dump(db, f)
            theirs = os.path.join(tmp, "check.json")
            r = subprocess.run([a.lockorder, "check", "-p", tmp, "--rules",
                                rules, "--plugin", a.plugin, "--clang",
                                a.clang, "-j", "1", "--format", "json", "-o",
                                theirs], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
            problem = None
            if not os.path.exists(mine):
                problem = "the plugin wrote no findings file"
            elif r.returncode >= 2 or not os.path.exists(theirs):
                problem = "lockorder check failed: " + r.stderr.strip()
            else:
                p, c = findings(mine), findings(theirs)
                if p != c:
                    problem = "findings differ:\n  plugin: %s\n  check:  %s" % (
                        json.dumps(p, indent=None), json.dumps(c, indent=None))
                elif not p and "expected-warning" in open(path).read():
                    problem = "no findings, but the case expects some"
            if problem:
                failed += 1
                print("FAIL  %s: %s" % (name, problem))
            else:
                passed += 1
                print("ok    %s: %d findings" % (name, len(findings(mine))))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
