#!/usr/bin/env python3
"""The man page and the bash completion cover every option of the command.

usage: docs-cover.py LOCKORDER MANPAGE COMPLETION

Takes the subcommands from `LOCKORDER --help` and each one's options from
`LOCKORDER CMD --help` (those of its usage lines, and those that start a
line of its option list, "-o, --output FILE" giving both), then says, one
line each:
  groff: the warnings of `groff -man -ww -z MANPAGE` (none expected)
  man CMD OPTION: an option the page's text does not name
  complete CMD OPTION: an option `lockorder CMD -<TAB>` does not offer
  complete: what `lockorder <TAB>`, `lockorder me<TAB>`, `lockorder check
  --format <TAB>` and `lockorder graph --format=<TAB>` give
and ends with "N options checked", so that FileCheck sees the counts.
The completion is driven as bash drives it on <TAB>, through COMP_WORDS
and COMP_CWORD, in a bash without bash-completion loaded.
"""
import re
import subprocess
import sys


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return r.returncode, r.stdout, r.stderr


def subcommands(lockorder):
    out = run([lockorder, "--help"])[1]
    names, inside = [], False
    for line in out.splitlines():
        if re.match(r"^\S.*:$", line):
            inside = line.startswith("commands")
        elif inside:
            m = re.match(r"^  ([a-z][a-z-]*)\s{2,}\S", line)
            if m:
                names.append(m.group(1))
    return names


OPT = r"(?<![\w-])(--?[a-zA-Z][\w-]*)"


def options(lockorder, cmd):
    rc, out, err = run([lockorder, cmd, "--help"])
    if rc != 0:
        print("help %s: exit %d" % (cmd, rc))
    found, usage = [], True
    for line in out.splitlines():
        if not line.strip():
            usage = False
            continue
        if usage:
            words = re.findall(OPT, line)
        else:
            m = re.match(r"^\s+((?:--?[a-zA-Z][\w-]*)(?:, --?[a-zA-Z][\w-]*)*)", line)
            words = re.findall(OPT, m.group(1)) if m else []
        for w in words:
            if w not in found:
                found.append(w)
    return found


def complete(script, words):
    body = r"""
. "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
_lockorder lockorder "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"""
    rc, out, err = run(["bash", "--norc", "--noprofile", "-c", body, "bash", script] + words)
    if err.strip():
        print("complete %s: %s" % (" ".join(words), err.strip()))
    return sorted(set(w for w in out.splitlines() if w))


def main():
    lockorder, page, script = sys.argv[1:4]
    rc, out, err = run(["groff", "-man", "-ww", "-z", page])
    for line in (err.strip().splitlines() or []):
        print("groff: " + line)
    if rc != 0:
        print("groff: exit %d" % rc)
    out = run(["groff", "-man", "-Tascii", "-rLL=250n", "-P-c", page])[1]
    text = re.sub(r".\x08", "", out)

    cmds = subcommands(lockorder)
    print("commands: " + " ".join(cmds))
    n = 0
    for cmd in cmds:
        if not re.search(r"(?<![\w-])" + re.escape(cmd) + r"(?![\w-])", text):
            print("man %s" % cmd)
        offered = complete(script, ["lockorder", cmd, "-"])
        for o in options(lockorder, cmd):
            n += 1
            if not re.search(r"(?<![\w-])" + re.escape(o) + r"(?![\w-])", text):
                print("man %s %s" % (cmd, o))
            if o not in offered:
                print("complete %s %s" % (cmd, o))
    print("complete lockorder: " + " ".join(complete(script, ["lockorder", ""])))
    print("complete lockorder me: " + " ".join(complete(script, ["lockorder", "me"])))
    print("complete lockorder help c: " + " ".join(complete(script, ["lockorder", "help", "c"])))
    print("complete check --format: " +
          " ".join(complete(script, ["lockorder", "check", "--format", ""])))
    print("complete graph --format=: " +
          " ".join(complete(script, ["lockorder", "graph", "--format", "=", ""])))
    print("complete merge --ru: " + " ".join(complete(script, ["lockorder", "merge", "--ru"])))
    print("%d options checked" % n)


if __name__ == "__main__":
    main()
