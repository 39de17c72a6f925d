#!/usr/bin/env python3
"""How `lockorder merge` grows with the number of translation units.

Takes the summaries a kernel build embedded in its objects (every *.o
under TREE that has a .discard.lockorder section) and merges nested random
samples of them: the first N of one fixed shuffle, so each size holds the
smaller ones and no directory is favoured.  Past the tree's own size
(--sizes up to 30000: an allmodconfig tree) the driver-like units
(drivers/, sound/, net/ but net/core/, fs/SUBDIR/) are replicated: copy C
renames every function those units define (NAME__cC), so the copies are
more drivers calling the same core, registering into the same ops fields.
The core units appear once.

For each size it prints the merge's median wall time over --runs, its CPU
time, its peak RSS, and what `merge --stats` counts (functions, calls,
witnesses), then the growth between sizes as an exponent (1.0: linear).
A run past --max-seconds or --max-gib is stopped and shown as such.

usage: bench/merge_scale.py BUILD_DIR TREE [--rules R] [--sizes 250,500,...]
                            [--runs N] [--max-seconds S] [--max-gib G]
"""
import argparse
import json
import math
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTION = ".discard.lockorder"
LEAF = re.compile(r"^(drivers|sound)/|^net/(?!core/)|^fs/[^/]+/")


def objects(tree):
    """Every object under TREE the plugin left a summary in, sorted."""
    out = []
    for d, dirs, files in os.walk(tree):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith(".o") or f.endswith(".mod.o") or f == "vmlinux.o":
                continue
            p = os.path.join(d, f)
            r = subprocess.run(["llvm-readelf-19", "-S", "-W", p],
                               capture_output=True, text=True)
            if SECTION in r.stdout:
                out.append(p)
    return out


def dump(obj, dest):
    subprocess.run(["llvm-objcopy-19", "--dump-section", SECTION + "=" + dest,
                    obj, os.devnull], check=True)


def source_of(path):
    with open(path) as f:
        return json.loads(f.readline()).get("source") or ""


def rename(records, names, suffix):
    """RECORDS (dicts) with every function in NAMES renamed."""
    def fix(v):
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                if k in ("fn", "callee") and isinstance(x, str) and x in names:
                    out[k] = x + suffix
                else:
                    out[k] = fix(x)
            return out
        if isinstance(v, list):
            return [fix(x) for x in v]
        return v
    out = []
    for r in records:
        r = fix(r)
        if r.get("r") == "function" and r.get("name") in names:
            r["name"] = r["name"] + suffix
        if r.get("r") == "lockorder-summary":
            r["producer"] = "%s (copy%s)" % (r.get("producer", ""), suffix)
        out.append(r)
    return out


def replicate(summaries, leaves, copies, outdir):
    """Writes COPIES renamed copies of the LEAVES summaries into OUTDIR."""
    recs = {}
    names = set()
    for p in leaves:
        with open(summaries[p]) as f:
            recs[p] = [json.loads(l) for l in f if l.strip()]
        for r in recs[p]:
            if r.get("r") == "function" and not r.get("static"):
                names.add(r["name"])
    made = []
    for c in range(1, copies + 1):
        for i, p in enumerate(leaves):
            dest = os.path.join(outdir, "c%d-%d.lockorder.json" % (c, i))
            with open(dest, "w") as f:
                for r in rename(recs[p], names, "__c%d" % c):
                    f.write(json.dumps(r, separators=(",", ":")) + "\n")
            made.append(dest)
    return made


def run(cmd, max_seconds, max_gib):
    """(wall s, user s, peak MiB, stderr) of CMD, or None past the limits."""
    def limit():
        b = int(max_gib * (1 << 30))
        resource.setrlimit(resource.RLIMIT_AS, (b, b))
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err,
                             preexec_fn=limit)
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > max_seconds:
                p.kill()
                os.wait4(p.pid, 0)
                return None
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode not in (0, 1):
            return None
        err.seek(0)
        return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, err.read().decode()


def measure(cmd, runs, max_seconds, max_gib):
    rs = []
    for _ in range(runs):
        r = run(cmd, max_seconds, max_gib)
        if r is None:
            return None
        rs.append(r)
    return (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs),
            max(r[2] for r in rs), rs[-1][3])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build")
    ap.add_argument("tree")
    ap.add_argument("--rules", default=os.path.join(ROOT, "rules", "kvm.lockorder"))
    ap.add_argument("--sizes", default="250,500,1000,2000,all")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--max-seconds", type=float, default=600)
    ap.add_argument("--max-gib", type=float, default=8)
    a = ap.parse_args()
    tool = os.path.join(a.build, "tools", "lockorder")
    work = tempfile.mkdtemp(prefix="lockorder-scale-")
    try:
        objs = objects(a.tree)
        if not objs:
            sys.exit("merge_scale: no objects with summaries under %s" % a.tree)
        summaries = {}
        for i, o in enumerate(objs):
            summaries[o] = os.path.join(work, "%d.lockorder.json" % i)
            dump(o, summaries[o])
        total = sum(os.path.getsize(p) for p in summaries.values())
        print("tree: %d translation units with summaries, %.1f MB of summaries"
              % (len(objs), total / 1e6))
        order = list(objs)
        random.Random(0).shuffle(order)
        leaves = [o for o in order if LEAF.search(source_of(summaries[o]))]
        sizes = [len(order) if s == "all" else int(s) for s in a.sizes.split(",")]
        copies = max(0, max(-(-(s - len(order)) // max(len(leaves), 1))
                            for s in sizes))
        extra = replicate(summaries, leaves, copies, work) if copies else []
        pool = [summaries[o] for o in order] + extra
        print("%8s %9s %9s %9s %10s %10s %11s  %s" % (
            "units", "wall s", "cpu s", "peak MB", "functions", "calls",
            "witnesses", "findings"))
        prev = None
        for n in sizes:
            sub = os.path.join(work, "set-%d" % n)
            os.makedirs(sub)
            for i, p in enumerate(pool[:n]):
                os.symlink(p, os.path.join(sub, "%d.lockorder.json" % i))
            cmd = [tool, "merge", "--stats", "--rules", a.rules, sub, "-o", os.devnull]
            r = measure(cmd, a.runs, a.max_seconds, a.max_gib)
            if r is None:
                print("%8d  over the limit (%g s, %g GiB)" % (n, a.max_seconds, a.max_gib))
                shutil.rmtree(sub)
                continue
            wall, user, peak, err = r
            st = re.search(r"(\d+) functions .* (\d+) calls .* (\d+) witnesses", err)
            nf = re.search(r"^(\d+|no) findings?$", err, re.M)
            print("%8d %9.2f %9.2f %9.0f %10s %10s %11s  %s" % (
                n, wall, user, peak, st.group(1) if st else "?",
                st.group(2) if st else "?", st.group(3) if st else "?",
                nf.group(1) if nf else "?"), end="")
            if prev:
                g = math.log(n / prev[0])
                print("   growth: time n^%.2f, memory n^%.2f" % (
                    math.log(max(user, 1e-3) / max(prev[1], 1e-3)) / g,
                    math.log(peak / prev[2]) / g))
            else:
                print()
            prev = (n, user, peak)
            shutil.rmtree(sub)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
