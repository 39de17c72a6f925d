#!/usr/bin/env python3
"""An installed lockorder works on its own, relative to itself.

usage: install.py --build BUILD --src SRC --llvm-major N --bindir D
                  --libdir D --datadir D --mandir D [--no-plugin]
                  [--also OTHER_BUILD]...

Installs the OTHER_BUILDs (build trees against other LLVMs) and then BUILD
into one temporary prefix P with `cmake --install --prefix P`, checks the
layout (P/bin/lockorder, P/LIBDIR/lockorder/llvm-N/lockorder.so for every
LLVM installed, P/DATADIR/lockorder/rules/*.lockorder, the man page, the
bash completion), then runs P/bin/lockorder from a directory outside the
source and build trees, with no LOCKORDER_* variable set:

- `--rules kvm` finds P's kvm.lockorder; a name not found says where it
  looked and which names are there; a path and a file here work as before;
- `lockorder check` over a copy of test/wholeprogram/kvm-mini loads P's
  plugin (the -v lines name it) even though the build tree's plugin, whose
  path the binary has compiled in, is still there; after P is moved, the
  moved prefix's plugin;
- with --clang of another installed LLVM, that LLVM's plugin; with a clang
  of an LLVM not installed, exit 2 naming what it looked for;
- the build tree's lockorder still uses the build tree's plugin and the
  source tree's rules, and LOCKORDER_PLUGIN still overrides.

--no-plugin (the sanitizer build) leaves out what needs the plugin.
Prints a line per check and ends with `N passed, N failed`.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

passed = failed = 0


def expect(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok    " + what)
    else:
        failed += 1
        print("FAIL  " + what + ("\n      " + detail.replace("\n", "\n      ")
                                 if detail else ""))


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCKORDER_")}
    env.update(extra)
    return env


def run(cmd, cwd, env=None):
    r = subprocess.run(cmd, cwd=cwd, env=env or clean_env(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return r.returncode, r.stdout, r.stderr


def llvm_major_of(tree):
    """The LLVM a build tree was configured against, from its cache."""
    try:
        with open(os.path.join(tree, "CMakeCache.txt")) as f:
            m = re.search(r"^LLVM_DIR:PATH=.*/llvm-(\d+)/", f.read(), re.M)
    except OSError:
        return None
    return m.group(1) if m else None


def used(stdout, stderr):
    """The plugins the -v command lines load, and the rules files the
    findings' notes cite."""
    plugins = set(re.findall(r"-fplugin=(\S+)", stderr))
    rules = set(re.findall(r"^(\S+\.lockorder):\d+:\d+: note: rule stated here",
                           stdout, re.M))
    return ({os.path.realpath(p.strip("'")) for p in plugins},
            {os.path.realpath(r) for r in rules})


def check_kvm_mini(what, lockorder, work, plugin, rules, extra=(), env=None):
    """`lockorder check --rules kvm` over kvm-mini: both deadlocks found,
    with PLUGIN loaded and RULES cited."""
    rc, out, err = run([lockorder, "check", "-p", "compile_commands.json",
                        "--rules", "kvm", "-v", "-j", "2"] + list(extra),
                       work, env)
    plugins, cited = used(out, err)
    want = ({os.path.realpath(plugin)}, {os.path.realpath(rules)})
    expect(what, rc == 1 and "2 findings" in err and (plugins, cited) == want,
           "exit %d; plugins %s, rules %s; expected exit 1, 2 findings, "
           "plugin %s, rules %s\nstderr (end): %s"
           % (rc, sorted(plugins), sorted(cited), want[0], want[1], err[-1500:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--llvm-major", required=True)
    for d in ("bindir", "libdir", "datadir", "mandir"):
        ap.add_argument("--" + d, required=True)
    ap.add_argument("--no-plugin", action="store_true")
    ap.add_argument("--also", action="append", default=[])
    a = ap.parse_args()
    build, src = os.path.realpath(a.build), os.path.realpath(a.src)

    tmp = os.path.realpath(tempfile.mkdtemp(prefix="lockorder-install-"))
    for tree in (src, build):
        if (tmp + "/").startswith(tree + "/"):
            print("FAIL  the temporary directory %s is inside %s; set TMPDIR "
                  "outside the source and build trees" % (tmp, tree))
            return 1
    prefix = os.path.join(tmp, "prefix")
    work = os.path.join(tmp, "work")
    os.makedirs(work)

    # Other LLVMs first, then this build: bin/lockorder is this build's.
    majors = {a.llvm_major}
    for tree in a.also + [build]:
        rc, out, err = run(["cmake", "--install", tree, "--prefix", prefix], tmp)
        expect("cmake --install %s --prefix P" % tree, rc == 0, err[-2000:])
        if rc != 0:
            return 1
        if tree != build:
            m = llvm_major_of(tree)
            expect("%s was built against an LLVM (%s)" % (tree, m), m is not None)
            if m:
                majors.add(m)

    P = lambda *p: os.path.join(prefix, *p)
    lockorder = P(a.bindir, "lockorder")
    rulesdir = P(a.datadir, "lockorder", "rules")
    plugin = lambda m: P(a.libdir, "lockorder", "llvm-" + m, "lockorder.so")
    expect("P/%s/lockorder is executable" % a.bindir, os.access(lockorder, os.X_OK))
    names = sorted(os.path.basename(f) for f in glob.glob(src + "/rules/*.lockorder"))
    have = sorted(os.listdir(rulesdir)) if os.path.isdir(rulesdir) else []
    expect("P/%s/lockorder/rules/ holds every rules file (%s)"
           % (a.datadir, " ".join(names)), have == names, "has %s" % have)
    expect("P/%s/man1/lockorder.1" % a.mandir,
           os.path.isfile(P(a.mandir, "man1", "lockorder.1")))
    expect("P/%s/bash-completion/completions/lockorder" % a.datadir,
           os.path.isfile(P(a.datadir, "bash-completion", "completions", "lockorder")))
    if not a.no_plugin:
        got = sorted(os.listdir(P(a.libdir, "lockorder")))
        want = sorted("llvm-" + m for m in majors)
        expect("P/%s/lockorder/ holds one plugin per LLVM installed (%s)"
               % (a.libdir, " ".join(want)),
               got == want and all(os.path.isfile(plugin(m)) for m in majors),
               "has %s" % got)

    # The rules by name, from P.
    rc, out, err = run([lockorder, "explain", "--rules", "kvm-6.1"], work)
    expect("explain --rules kvm-6.1 reads P's kvm-6.1.lockorder",
           rc == 0 and os.path.join(rulesdir, "kvm-6.1.lockorder") in out,
           "exit %d\n%s%s" % (rc, out[:500], err))
    rc, out, err = run([lockorder, "rules", "nope"], work)
    expect("rules nope: exit 2, says where it looked and what is there",
           rc == 2 and os.path.join(rulesdir, "nope.lockorder") in err
           and "kvm-6.1" in err, "exit %d\n%s" % (rc, err))
    rc, out, err = run([lockorder, "rules", os.path.join(src, "rules", "kvm.lockorder")], work)
    expect("rules PATH reads that file", rc == 0, err)
    shutil.copy(os.path.join(rulesdir, "linux.lockorder"), os.path.join(work, "mine"))
    rc, out, err = run([lockorder, "rules", "mine"], work)
    expect("rules mine reads ./mine, a file here", rc == 0, err)

    if a.no_plugin:
        print("skip  lockorder check: this build has no plugin")
    else:
        shutil.copytree(os.path.join(src, "test", "wholeprogram", "kvm-mini"),
                        os.path.join(work, "kvm-mini"))
        with open(os.path.join(work, "kvm-mini", "compile_commands.json.in")) as f:
            db = f.read().replace("@DIR@", os.path.join(work, "kvm-mini")).replace("@V@", "BUGGY")
        json.loads(db)
        with open(os.path.join(work, "compile_commands.json"), "w") as f:
            f.write(db)

        check_kvm_mini("installed check --rules kvm: P's plugin for LLVM %s and "
                       "P's kvm.lockorder" % a.llvm_major, lockorder, work,
                       plugin(a.llvm_major), os.path.join(rulesdir, "kvm.lockorder"))
        moved = os.path.join(tmp, "moved")
        os.rename(prefix, moved)
        try:
            rel = lambda p: os.path.join(moved, os.path.relpath(p, prefix))
            check_kvm_mini("moved prefix: the moved plugin and rules",
                           rel(lockorder), work, rel(plugin(a.llvm_major)),
                           rel(os.path.join(rulesdir, "kvm.lockorder")))
        finally:
            os.rename(moved, prefix)
        for m in sorted(majors - {a.llvm_major}):
            clang = "/usr/lib/llvm-%s/bin/clang" % m
            check_kvm_mini("--clang %s: P's plugin for LLVM %s" % (clang, m),
                           lockorder, work, plugin(m),
                           os.path.join(rulesdir, "kvm.lockorder"), ["--clang", clang])
        if len(majors) == 1:
            print("skip  other LLVMs' plugins: no --also build tree "
                  "(tools/setup.sh test installs build-19 before build-22)")

        fake = os.path.join(tmp, "clang-99")
        with open(fake, "w") as f:
            f.write('#!/bin/sh\n[ "$1" = -dumpversion ] && echo 99.1.0 && exit 0\nexit 1\n')
        os.chmod(fake, 0o755)
        rc, out, err = run([lockorder, "check", "-p", "compile_commands.json",
                            "--rules", "kvm", "--clang", fake], work)
        expect("--clang of an LLVM not installed (99): exit 2, names what it looked for",
               rc == 2 and "LLVM 99" in err and plugin("99") in err,
               "exit %d\n%s" % (rc, err))

        check_kvm_mini("build tree's check --rules kvm: its plugin and the source's rules",
                       os.path.join(build, "tools", "lockorder"), work,
                       os.path.join(build, "plugin", "lockorder.so"),
                       os.path.join(src, "rules", "kvm.lockorder"))
        check_kvm_mini("installed, LOCKORDER_PLUGIN=the build tree's plugin: that one",
                       lockorder, work, os.path.join(build, "plugin", "lockorder.so"),
                       os.path.join(rulesdir, "kvm.lockorder"),
                       env=clean_env(LOCKORDER_PLUGIN=os.path.join(build, "plugin",
                                                                   "lockorder.so")))

    print("%d passed, %d failed" % (passed, failed))
    if failed:
        print("kept %s" % tmp)
    else:
        shutil.rmtree(tmp)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
