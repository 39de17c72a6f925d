#!/usr/bin/env python3
"""Measure the plugin's cost: extra time and peak memory of a compile.

For each input, compiles it with `clang -c -O2` without and with the
plugin, RUNS times each, interleaved, and prints the medians, the ratio
and the peak RSS (the compile's own rusage).  Inputs: a large generated file
(bench/gen_large.py) and the bundled Xen example.

usage: bench/run.py BUILD_DIR [--runs N] [--functions N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measure(cmd):
    """Runs CMD; returns (wall seconds, peak RSS in KiB) of that process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("bench: compile failed: %s\n%s" % (" ".join(cmd), err.decode()))
    return secs, ru.ru_maxrss


def bench(name, clang, plugin, rules, src, incs, runs):
    base = [clang, "-c", "-O2", "-o", os.devnull] + sum([["-I", i] for i in incs], []) + [src]
    with_plugin = base[:1] + ["-fplugin=" + plugin, "-fplugin-arg-lockorder-rules=" + rules] + base[1:]
    t0, t1, m0, m1 = [], [], [], []
    measure(base)  # warm the page cache
    for _ in range(runs):
        s, m = measure(base); t0.append(s); m0.append(m)
        s, m = measure(with_plugin); t1.append(s); m1.append(m)
    a, b = statistics.median(t0), statistics.median(t1)
    ma, mb = max(m0), max(m1)
    print("%-24s %8.3f s %8.3f s  %+6.1f%%   %7d KiB %7d KiB  %+6.1f%%" %
          (name, a, b, 100.0 * (b - a) / a, ma, mb, 100.0 * (mb - ma) / ma))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build_dir")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--functions", type=int, default=3000)
    ap.add_argument("--llvm", default="19")
    args = ap.parse_args()
    clang = "/usr/lib/llvm-%s/bin/clang" % args.llvm
    plugin = os.path.join(os.path.abspath(args.build_dir), "plugin", "lockorder.so")
    inputs = os.path.join(ROOT, "test", "plugin", "Inputs")
    with tempfile.TemporaryDirectory() as tmp:
        large = os.path.join(tmp, "large.c")
        with open(large, "w") as f:
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_large.py"),
                            str(args.functions)], stdout=f, check=True)
        print("%-24s %10s %10s %8s   %11s %11s %8s" %
              ("input (median of %d)" % args.runs, "clang -c", "+plugin", "time", "peak RSS", "+plugin", "memory"))
        bench("large.c (%d fns)" % args.functions, clang, plugin,
              os.path.join(inputs, "test.lockorder"), large, [inputs], args.runs)
        ex = os.path.join(ROOT, "examples", "xen-deadlock")
        for src in sorted(os.listdir(ex)):
            if src.endswith(".c"):
                bench(src, clang, plugin, os.path.join(ROOT, "rules", "kvm.lockorder"),
                      os.path.join(ex, src), [ex], args.runs)


if __name__ == "__main__":
    main()
