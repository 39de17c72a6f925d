#!/usr/bin/env python3
"""The installed man page and bash completion cover the installed command.

usage: docs.py --build BUILD --bindir D --libdir D --datadir D --mandir D

Installs BUILD into a temporary prefix P and takes the subcommands from
`P/bin/lockorder --help` and each one's options from `lockorder CMD
--help` (its usage lines and the options that start a line), then checks:

- P/MANDIR/man1/lockorder.1 gives no warning under `groff -man -ww -z`
  (and `man -l`, when man-db is installed), and its text names every
  subcommand and every option;
- the bash completion P/DATADIR/bash-completion/completions/lockorder is
  found by bash-completion's loader with P/DATADIR on XDG_DATA_DIRS (as
  /usr/local/share and ~/.local/share are), and its function, driven
  through COMP_WORDS/COMP_CWORD as bash drives it on <TAB>, completes
  `lockorder me` to merge, `lockorder ` to every subcommand and
  `lockorder CMD -` to every option of CMD.

Prints a line per check and ends with `N passed, N failed`.
"""
import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

passed = failed = 0
BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"


def expect(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok    " + what)
    else:
        failed += 1
        print("FAIL  " + what + ("\n      " + detail.replace("\n", "\n      ")
                                 if detail else ""))


def run(cmd, env=None, cwd=None, stdin=None):
    r = subprocess.run(cmd, env=env, cwd=cwd, input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    return r.returncode, r.stdout, r.stderr


# How the subcommands and their options are read from --help: one reader,
# the one test/tools/docs.test uses on the checkout's page and completion.
_spec = importlib.util.spec_from_file_location(
    "docs_cover", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               "..", "tools", "Inputs", "docs-cover.py"))
_cover = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_cover)
subcommands = _cover.subcommands
options = _cover.options


def man_text(page):
    rc, out, err = run(["groff", "-man", "-Tascii", "-rHY=0", "-rLL=250n", "-P-c", page])
    return re.sub(r".\x08", "", out)


def complete(script, words):
    """What the completion's function offers for WORDS, the last being the
    word the cursor is in, as bash calls it on <TAB>."""
    body = r"""
[ -r "$1" ] && . "$1"
. "$2"
shift 2
spec=$(complete -p lockorder) || exit 3
fn=${spec#*-F }; fn=${fn%% *}
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
"$fn" lockorder "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"""
    rc, out, err = run(["bash", "-c", body, "bash", BASH_COMPLETION, script] + words)
    return rc, [w for w in out.splitlines() if w], err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    for d in ("bindir", "libdir", "datadir", "mandir"):
        ap.add_argument("--" + d, required=True)
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="lockorder-docs-")
    prefix = os.path.join(tmp, "prefix")
    rc, out, err = run(["cmake", "--install", a.build, "--prefix", prefix])
    expect("cmake --install %s --prefix P" % a.build, rc == 0, err[-2000:])
    if rc != 0:
        return 1
    lockorder = os.path.join(prefix, a.bindir, "lockorder")
    page = os.path.join(prefix, a.mandir, "man1", "lockorder.1")
    script = os.path.join(prefix, a.datadir, "bash-completion", "completions", "lockorder")

    cmds = subcommands(lockorder)
    expect("lockorder --help lists subcommands (%s)" % " ".join(cmds), len(cmds) >= 6)
    opts = {c: options(lockorder, c) for c in cmds}

    # The man page.
    rc, out, err = run(["groff", "-man", "-ww", "-z", page])
    expect("groff -man -ww -z lockorder.1: no warnings", rc == 0 and not err.strip(), err)
    if shutil.which("man"):
        rc, out, err = run(["man", "--warnings", "-l", page],
                           env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat"))
        expect("man --warnings -l lockorder.1 renders without warnings",
               rc == 0 and out.strip() and not err.strip(), err)
    text = man_text(page)
    word = lambda w: re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", text)
    missing = [c for c in cmds if not word(c)]
    expect("the man page names every subcommand", not missing, "missing: %s" % missing)
    for c in cmds:
        missing = [o for o in opts[c] if not word(o)]
        expect("the man page names every option of %s (%s)" % (c, " ".join(opts[c])),
               not missing, "missing: %s" % missing)

    # The bash completion.
    if os.path.exists(BASH_COMPLETION):
        body = r'. "$1"; __load_completion lockorder && complete -p lockorder'
        rc, out, err = run(["bash", "-c", body, "bash", BASH_COMPLETION],
                           env=dict(os.environ,
                                    XDG_DATA_DIRS=os.path.join(prefix, a.datadir),
                                    XDG_DATA_HOME=os.path.join(tmp, "none")))
        expect("bash-completion loads P's completion on demand", rc == 0 and "lockorder" in out,
               "exit %d\n%s%s" % (rc, out, err))
    else:
        print("skip  the on-demand loader: %s is not installed (Debian package "
              "bash-completion)" % BASH_COMPLETION)
    rc, got, err = complete(script, ["lockorder", "me"])
    expect("lockorder me<TAB> -> merge", got == ["merge"], "got %s\n%s" % (got, err))
    rc, got, err = complete(script, ["lockorder", ""])
    missing = [c for c in cmds if c not in got]
    expect("lockorder <TAB> offers every subcommand", not missing,
           "missing %s; got %s\n%s" % (missing, got, err))
    for c in cmds:
        rc, got, err = complete(script, ["lockorder", c, "-"])
        missing = [o for o in opts[c] if o not in got]
        expect("lockorder %s -<TAB> offers every option of %s" % (c, c), not missing,
               "missing %s; got %s\n%s" % (missing, got, err))
    rc, got, err = complete(script, ["lockorder", "check", "--ru"])
    expect("lockorder check --ru<TAB> -> --rules", got == ["--rules"], "got %s\n%s" % (got, err))

    print("%d passed, %d failed" % (passed, failed))
    if failed:
        print("kept %s" % tmp)
    else:
        shutil.rmtree(tmp)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
