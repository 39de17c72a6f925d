#!/usr/bin/env python3
"""Measure lockorder on a real kernel tree (tools/kernel-tree.sh makes one).

For every C translation unit of TREE/compile_commands.json, runs its real
compile command (-c, -O2, the kernel's flags) without the plugin and with
it (writing a summary), RUNS times each, interleaved, and reports per-TU
medians: the plugin's extra time (median and worst) and peak RSS.  Then
merges all the summaries with `lockorder merge` and reports the summary
sizes, the merge's time and peak memory.

usage: bench/kvm.py TREE BUILD_DIR [--runs N] [--rules R]
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd, cwd):
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        r = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tf.name] + cmd,
                           cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode != 0:
            sys.exit("bench: failed in %s: %s\n%s" % (cwd, " ".join(cmd[:3]), r.stderr.decode()[-2000:]))
        secs, rss = tf.read().split()[-2:]
        return float(secs), int(rss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tree")
    ap.add_argument("build_dir")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rules", default=os.path.join(ROOT, "rules", "kvm.lockorder"))
    args = ap.parse_args()
    build = os.path.abspath(args.build_dir)
    plugin = os.path.join(build, "plugin", "lockorder.so")
    tool = os.path.join(build, "tools", "lockorder")
    clang = "/usr/lib/llvm-19/bin/clang"
    db = json.load(open(os.path.join(args.tree, "compile_commands.json")))
    sumdir = tempfile.mkdtemp(prefix="lockorder-bench-")
    obj = os.path.join(sumdir, "out.o")
    rows = []
    for i, e in enumerate(db):
        if not e["file"].endswith(".c"):
            continue
        argv = e["arguments"] if "arguments" in e else shlex.split(e["command"])
        base = [clang]
        skip = False
        for a in argv[1:]:
            if skip:
                skip = False
                base.append(obj)
                continue
            if a == "-o":
                skip = True
                base.append(a)
                continue
            if a.startswith("-Wp,-M"):
                continue
            base.append(a)
        summary = os.path.join(sumdir, "%04d.lockorder.json" % i)
        plug = base[:1] + ["-fplugin=" + plugin, "-fplugin-arg-lockorder-rules=" + args.rules,
                           "-fplugin-arg-lockorder-summary=" + summary] + base[1:]
        t0, t1, m0, m1 = [], [], [], []
        for _ in range(args.runs):
            s, m = timed(base, e["directory"]); t0.append(s); m0.append(m)
            s, m = timed(plug, e["directory"]); t1.append(s); m1.append(m)
        a, b = statistics.median(t0), statistics.median(t1)
        rows.append((os.path.relpath(e["file"], e["directory"]), a, b, max(m0), max(m1),
                     os.path.getsize(summary)))
        print("%-48s %6.2f s %6.2f s %+6.1f%%  %7d KiB %+6.1f%%  %6d B" %
              (rows[-1][0][-48:], a, b, 100 * (b - a) / a, max(m1),
               100.0 * (max(m1) - max(m0)) / max(m0), rows[-1][5]), flush=True)
    over = [100 * (b - a) / a for _, a, b, _, _, _ in rows]
    mem = [100.0 * (m1 - m0) / m0 for _, _, _, m0, m1, _ in rows]
    sizes = [r[5] for r in rows]
    print()
    print("translation units:        %d" % len(rows))
    print("plugin time overhead:     median %+.1f%%, worst %+.1f%% (%s)" %
          (statistics.median(over), max(over), rows[over.index(max(over))][0]))
    print("compile time, total:      %.1f s without, %.1f s with the plugin" %
          (sum(r[1] for r in rows), sum(r[2] for r in rows)))
    print("peak RSS overhead:        median %+.1f%%, worst %+.1f%%" % (statistics.median(mem), max(mem)))
    print("summary size:             median %d B, largest %d B, total %d B" %
          (statistics.median(sizes), max(sizes), sum(sizes)))
    t, m = [], []
    for _ in range(5):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tf.name, tool, "merge",
                            "--rules", args.rules, sumdir],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            s, r = tf.read().split()[-2:]
            t.append(float(s)); m.append(int(r))
    print("merge of all summaries:   median %.2f s, peak RSS %d KiB" % (statistics.median(t), max(m)))
    # No extrapolation to a whole tree: the merge's growth is not linear
    # (measured on 6.12: 1,000 summaries 1.7 s, 1,500 64 s).


if __name__ == "__main__":
    main()
