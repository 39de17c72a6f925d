#!/usr/bin/env python3
"""The plugin's overhead in instructions: the kernel's own compile of some
translation units, under valgrind --tool=callgrind, without the plugin and
with it (and, with --baseline-plugin, with another build of it), so that
the figure is the same on every run, unlike a time on a shared machine.

usage: bench/callgrind.py TREE BUILD_DIR [--file F]... [--rules R]
                          [--baseline-plugin SO]

TREE is a kernel tree with compile_commands.json (tools/kernel-tree.sh);
each --file is a path inside it (default: arch/x86/kvm/xen.c and
virt/kvm/kvm_main.c).  Prints, per file, the instructions of the plain
compile and of the compile with the plugin, the difference, and the
instructions of the plugin's own entry points (with all they call) as a
share of the plain compile: the steadier figure, since the total drifts by
a few million instructions between runs whose paths differ.

Debian 12's valgrind (3.19) cannot read the DWARF 5 that clang 19 writes
into a RelWithDebInfo plugin and gives up, so each plugin is measured from
a copy with its debug information stripped (its code is the same).
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# The plugin's entry points: what they cost, with everything they call, is
# the plugin's own cost, free of the run-to-run drift of the compile's
# total (Clang's pointer-keyed hash tables follow heap addresses, which
# shift with the paths and environment of a run).
ENTRIES = ("LockOrderConsumer::HandleTranslationUnit",
           "LockOrderAction::CreateASTConsumer", "LockOrderAction::ParseArgs")


def instructions(cmd, cwd):
    """(the compile's instructions, the plugin's inclusive instructions)"""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        r = subprocess.run(["valgrind", "--tool=callgrind",
                            "--callgrind-out-file=" + out] + cmd, cwd=cwd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True)
        if r.returncode != 0:
            sys.exit("callgrind: the compile failed:\n" + r.stderr[-2000:])
        m = re.search(r"Collected : (\d+)", r.stderr)
        if not m:
            sys.exit("callgrind: no instruction count in:\n" + r.stderr[-2000:])
        ann = subprocess.run(["callgrind_annotate", "--inclusive=yes",
                              "--threshold=100", out], capture_output=True,
                             text=True).stdout
        own = 0
        for line in ann.splitlines():
            if any(e + "(" in line for e in ENTRIES) and "'" not in line.split("(")[0]:
                own += int(line.split()[0].replace(",", ""))
        return int(m.group(1)), own


def stripped(so, tmp):
    out = os.path.join(tmp, "%d-%s" % (len(os.listdir(tmp)), os.path.basename(so)))
    subprocess.run(["strip", "--strip-debug", "-o", out, so], check=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tree")
    ap.add_argument("build")
    ap.add_argument("--file", action="append")
    ap.add_argument("--rules", default=os.path.join(ROOT, "rules", "kvm.lockorder"))
    ap.add_argument("--baseline-plugin")
    a = ap.parse_args()
    files = a.file or ["arch/x86/kvm/xen.c", "virt/kvm/kvm_main.c"]
    tree = os.path.abspath(a.tree)
    plugin = os.path.abspath(os.path.join(a.build, "plugin", "lockorder.so"))
    db = json.load(open(os.path.join(tree, "compile_commands.json")))
    tmp = tempfile.mkdtemp(prefix="lockorder-callgrind-")
    plugin = stripped(plugin, tmp)
    if a.baseline_plugin:
        a.baseline_plugin = stripped(os.path.abspath(a.baseline_plugin), tmp)
    for f in files:
        want = os.path.join(tree, f)
        e = next((x for x in db if os.path.normpath(os.path.join(
            x["directory"], x["file"])) == want), None)
        if not e:
            sys.exit("callgrind: %s is not in the compile database" % f)
        cmd = e["arguments"] if "arguments" in e else shlex.split(e["command"])
        cmd = ["/usr/lib/llvm-19/bin/clang" if c == "clang-19" else c for c in cmd]
        # the object goes nowhere; the rest is the kernel's own command
        if "-o" in cmd:
            i = cmd.index("-o")
            cmd = cmd[:i] + ["-o", "/dev/null"] + cmd[i + 2:]
        cmd = [c for c in cmd if not c.startswith("-Wp,-MMD")]
        rows = [("without lockorder", instructions(cmd, e["directory"]))]
        def with_plugin(so):
            return cmd[:1] + ["-fplugin=" + so,
                              "-fplugin-arg-lockorder-rules=" + os.path.abspath(a.rules)] + cmd[1:]
        if a.baseline_plugin:
            rows.append(("baseline plugin", instructions(
                with_plugin(a.baseline_plugin), e["directory"])))
        rows.append(("with lockorder", instructions(with_plugin(plugin), e["directory"])))
        base = rows[0][1][0]
        for name, (n, own) in rows:
            print("%-22s %-18s %14d  %+.2f%%  plugin %11d  %.2f%%" % (
                f, name, n, 100.0 * (n - base) / base, own, 100.0 * own / base))
        sys.stdout.flush()
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
