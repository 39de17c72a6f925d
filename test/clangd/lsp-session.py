#!/usr/bin/env python3
"""LSP sessions with `lockorder clangd` over Debian's clangd.

A small project (files with a lock-order bug and a plain C warning, the
mock kernel headers of test/plugin/Inputs) is edited as an editor edits it,
and after every step a request to clangd must still be answered:

- three files opened one after another, each with clangd's diagnostics and
  lockorder's (its notes as related information);
- a file saved fixed, then saved broken again;
- unsaved edits (incremental didChange): the findings follow the buffer's
  text, lines moved by an edit included; the time from an edit to
  lockorder's diagnostics for it is measured (median of several edits);
- positions counted in UTF-16 and, negotiated, in UTF-8;
- a file whose compile fails, then is fixed: one diagnostic at its top;
- a header changed in the editor and not saved, which the file needs;
- commands from compile_flags.txt (with the -I the file needs), and the
  fallback `clang FILE` with no database;
- 300 documents opened and closed (the wrapper's table must not fill);
- a broken rules file: one diagnostic saying what is wrong, with file:line;
- a plugin that cannot be loaded;
- a slow file (a clang that takes longer than --timeout): clangd answers
  meanwhile, and one diagnostic says lockorder gave up; an edit made while
  a slow run goes on never gets that run's findings.

The wrapper's stderr must hold no AddressSanitizer or UndefinedBehavior
report (the test sets halt_on_error for both, for a tool built with
LOCKORDER_SANITIZE) and it must exit 0.  Prints `N passed, N failed`.

usage: lsp-session.py --lockorder TOOL --plugin SO --clang CLANG --inputs DIR
"""
import argparse
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BODY_BAD = "\tmutex_lock(&vcpu->mutex);\n\tmutex_lock(&kvm->lock);\n\tmutex_unlock(&kvm->lock);\n\tmutex_unlock(&vcpu->mutex);\n"
BODY_FIXED = "\tmutex_lock(&kvm->lock);\n\tmutex_lock(&vcpu->mutex);\n\tmutex_unlock(&vcpu->mutex);\n\tmutex_unlock(&kvm->lock);\n"
TEMPLATE = """#include "kvm.h"

void bad_order(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
%s}

int plain_warning(void)
{
\tint unused_thing;
\treturn 0;
}
"""
BAD = TEMPLATE % BODY_BAD
FIXED = TEMPLATE % BODY_FIXED
BODY_LINE = 4         # 0-based: the body's first line
FINDING_LINE = 5      # 0-based: where the order violation is
BROKEN_COMPILE = BAD.replace("return 0;", "return undeclared_thing;")
# A line with characters that are one, two and four bytes in UTF-8, and one
# and two units in UTF-16; the finding sits after them.
PREFIX = "\t/* \u00e9\U0001F600 */ "
WIDE = BAD.replace("\tmutex_lock(&kvm->lock);\n", PREFIX + "mutex_lock(&kvm->lock_NOT);\n", 1)

HDR_USER = BAD + "\nstruct only_in_the_buffer used;\n"

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(("ok    " if ok else "FAIL  ") + name + ("" if ok or not detail else ": " + detail), flush=True)
    return ok


def units(s, enc):
    if enc == "utf-8":
        return len(s.encode())
    if enc == "utf-32":
        return len(s)
    return len(s.encode("utf-16-le")) // 2


class Client:
    def __init__(self, argv, cwd, log):
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = "halt_on_error=1:abort_on_error=0:detect_leaks=1"
        env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1"
        self.log_path = log
        self.p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=open(log, "w"), env=env)
        self.buf = b""
        self.next_id = 1
        self.published = []  # (time, uri, diagnostics), in order
        self.responses = {}

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def request(self, method, params):
        i = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        return i

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def read_one(self, deadline):
        """Reads and files the next message; False at the deadline or the end."""
        while True:
            head_end = self.buf.find(b"\r\n\r\n")
            if head_end >= 0:
                head = self.buf[:head_end].decode()
                n = int([l.split(":")[1] for l in head.split("\r\n") if l.lower().startswith("content-length")][0])
                if len(self.buf) >= head_end + 4 + n:
                    m = json.loads(self.buf[head_end + 4:head_end + 4 + n])
                    self.buf = self.buf[head_end + 4 + n:]
                    self.file(m)
                    return True
            left = deadline - time.time()
            if left <= 0:
                return False
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if not r:
                return False
            chunk = os.read(self.p.stdout.fileno(), 1 << 20)
            if not chunk:
                return False
            self.buf += chunk

    def file(self, m):
        if "id" in m and "method" in m:  # clangd asks the editor
            self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
        elif "id" in m:
            self.responses[m["id"]] = m
        elif m.get("method") == "textDocument/publishDiagnostics":
            self.published.append((time.time(), m["params"]["uri"], m["params"]["diagnostics"]))

    def call(self, method, params, seconds=30):
        i = self.request(method, params)
        deadline = time.time() + seconds
        while i not in self.responses:
            if not self.read_one(deadline):
                return None
        return self.responses.pop(i)

    def mark(self):
        return len(self.published)

    def wait_diags(self, uri, pred, seconds, since):
        """The first diagnostics for URI published since SINCE that PRED
        accepts, and when they came; (None, None) at the deadline."""
        deadline = time.time() + seconds
        i = since
        while True:
            while i < len(self.published):
                t, u, ds = self.published[i]
                i += 1
                if u == uri and pred(ds):
                    return ds, t
            if not self.read_one(deadline):
                return None, None

    def settle(self, seconds):
        deadline = time.time() + seconds
        while self.read_one(deadline):
            pass

    def last(self, uri):
        for t, u, ds in reversed(self.published):
            if u == uri:
                return ds
        return None

    def close(self):
        try:
            self.call("shutdown", None, 10)
            self.notify("exit", None)
            self.p.stdin.close()
            self.p.wait(timeout=20)
        except Exception:
            self.p.kill()
            self.p.wait()


def ours(ds):
    return [d for d in ds or [] if d.get("source") == "lockorder"]


def findings(ds):
    return [d for d in ours(ds) if not is_status(d)]


def statuses(ds):
    return [d for d in ours(ds) if is_status(d)]


def is_status(d):
    return d["message"].startswith("lockorder could not") or d["message"].startswith("lockorder gave up")


def clangd_own(ds):
    return any("unused_thing" in d["message"] for d in ds or [])


def has_finding_at(line):
    return lambda ds: any(d["range"]["start"]["line"] == line and
                          "'kvm->lock' acquired while holding 'vcpu->mutex'" in d["message"]
                          for d in findings(ds))


def uri_of(path):
    return "file://" + path


def start(args, work, rules, extra=(), name="server", clang=None, encodings=None):
    log = os.path.join(work, name + ".log")
    argv = [args.lockorder, "clangd", "--rules", rules, "--plugin", args.plugin,
            "--clang", clang or args.clang] + list(extra) + ["--", "--log=error"]
    c = Client(argv, work, log)
    caps = {"textDocument": {"publishDiagnostics": {"relatedInformation": True}}}
    if encodings:
        # LSP 3.17's field, and clangd's own extension (what clangd 19 reads)
        caps["general"] = {"positionEncodings": encodings}
        caps["offsetEncoding"] = encodings
    init = c.call("initialize", {"processId": os.getpid(), "rootUri": uri_of(work), "capabilities": caps}, 60)
    check("%s: initialize answered" % name, init is not None and "capabilities" in init.get("result", {}))
    result = (init or {}).get("result", {})
    c.enc = result.get("capabilities", {}).get("positionEncoding") or result.get("offsetEncoding") or "utf-16"
    c.notify("initialized", {})
    c.version = {}
    return c


def open_doc(c, path, text):
    c.version[path] = 1
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri_of(path), "languageId": "c",
                                                       "version": 1, "text": text}})


def change(c, path, changes):
    c.version[path] += 1
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri_of(path), "version": c.version[path]},
                                        "contentChanges": changes})


def replace_lines(first, last, text):
    """An incremental change: lines FIRST..LAST-1 (0-based) become TEXT."""
    return {"range": {"start": {"line": first, "character": 0}, "end": {"line": last, "character": 0}},
            "text": text}


def alive(c, step, path):
    """clangd's answers keep coming: a request on PATH gets its response."""
    t0 = time.time()
    r = c.call("textDocument/documentSymbol", {"textDocument": {"uri": uri_of(path)}}, 15)
    ok = r is not None and isinstance(r.get("result"), list) and \
        any(s.get("name") == "bad_order" for s in r["result"])
    check("%s: clangd still answers (documentSymbol in %.2f s)" % (step, time.time() - t0), ok)


def end(c, name):
    c.close()
    check("%s: the server exits 0 after exit" % name, c.p.returncode == 0, "exit %s" % c.p.returncode)
    with open(c.log_path) as f:
        log = f.read()
    bad = [l for l in log.splitlines()
           if "AddressSanitizer" in l or "LeakSanitizer" in l or "runtime error:" in l or "realloc()" in l]
    check("%s: no sanitizer report or crash in the wrapper's stderr" % name, not bad, "; ".join(bad[:3]))


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def main_session(args, work):
    print("-- a working setup: compile_commands.json", flush=True)
    proj = os.path.join(work, "proj")
    a, b, c3 = (os.path.join(proj, n) for n in ("a.c", "b.c", "c.c"))
    c = start(args, work, os.path.join(work, "test.lockorder"), name="main")

    # Open three files one after another.
    m = c.mark()
    open_doc(c, a, BAD)
    open_doc(c, b, BAD)
    open_doc(c, c3, FIXED)
    for path, bad in ((a, True), (b, True), (c3, False)):
        want = (lambda ds: clangd_own(ds) and has_finding_at(FINDING_LINE)(ds)) if bad else \
            (lambda ds: clangd_own(ds))
        ds, _ = c.wait_diags(uri_of(path), want, 60, m)
        check("open-open-open: %s gets clangd's diagnostics%s" % (os.path.basename(path),
              " and lockorder's" if bad else ""), ds is not None)
    c.settle(1.5)
    check("open-open-open: c.c (fixed) has no lockorder diagnostic", not ours(c.last(uri_of(c3))))
    ds = c.last(uri_of(a))
    f = findings(ds)
    if check("a.c: one finding, with its notes as related information", len(f) == 1):
        rel = f[0].get("relatedInformation", [])
        check("a.c: the notes name the other acquisition and the rule",
              any("'vcpu->mutex' acquired here" in r["message"] and r["location"]["range"]["start"]["line"] == 4
                  for r in rel) and
              any("rule stated here" in r["message"] and r["location"]["uri"].endswith("test.lockorder") for r in rel))
        check("a.c: the finding's range is on 'mutex_lock' (character 1)",
              f[0]["range"]["start"]["character"] == 1)
    alive(c, "open-open-open", a)

    # Save fixed, then save broken again.
    for text, name in ((FIXED, "save fixed"), (BAD, "save broken again"), (FIXED, "save fixed again")):
        m = c.mark()
        write(a, text)
        change(c, a, [{"text": text}])
        c.notify("textDocument/didSave", {"textDocument": {"uri": uri_of(a)}})
        if text is BAD:
            ds, _ = c.wait_diags(uri_of(a), has_finding_at(FINDING_LINE), 30, m)
            check("%s: lockorder's finding is back" % name, ds is not None)
        else:
            ds, _ = c.wait_diags(uri_of(a), lambda ds: clangd_own(ds) and not ours(ds), 30, m)
            check("%s: lockorder's finding is gone, clangd's stays" % name, ds is not None)
        alive(c, name, a)

    # Unsaved edits on b.c: the disk keeps BAD, the buffer changes.
    m = c.mark()
    change(c, b, [replace_lines(BODY_LINE, BODY_LINE + 4, BODY_FIXED)])
    ds, _ = c.wait_diags(uri_of(b), lambda ds: clangd_own(ds) and not ours(ds), 30, m)
    check("unsaved fix: the finding goes though the disk still has the bug", ds is not None)
    c.settle(1.5)
    check("unsaved fix: and stays gone once lockorder ran on the buffer", not ours(c.last(uri_of(b))))
    alive(c, "unsaved fix", b)

    # Edit to diagnostics: each edit breaks the order again; the finding
    # can only come from a run on the new text.
    times = []
    for k in range(7):
        m = c.mark()
        t0 = time.time()
        change(c, b, [replace_lines(BODY_LINE, BODY_LINE + 4, BODY_BAD)])
        ds, t = c.wait_diags(uri_of(b), has_finding_at(FINDING_LINE), 30, m)
        if ds is None:
            check("edit %d: lockorder's finding follows the edit" % k, False)
            break
        times.append(t - t0)
        m = c.mark()
        change(c, b, [replace_lines(BODY_LINE, BODY_LINE + 4, BODY_FIXED)])
        c.wait_diags(uri_of(b), lambda ds: not ours(ds), 30, m)
        c.settle(1.2)  # the fix's own run ends before the next edit
    if times:
        med = statistics.median(times)
        print("edit-to-diagnostics: median %.0f ms over %d edits (%s ms; debounce 300 ms)" %
              (med * 1000, len(times), ", ".join("%.0f" % (x * 1000) for x in times)), flush=True)
        check("edit-to-diagnostics: median under 1 s", med < 1.0, "%.2f s" % med)
    alive(c, "edits", b)

    # Lines inserted above move the finding; a fresh run agrees.
    m = c.mark()
    change(c, b, [replace_lines(BODY_LINE, BODY_LINE + 4, BODY_BAD)])
    c.wait_diags(uri_of(b), has_finding_at(FINDING_LINE), 30, m)
    c.settle(0.5)
    m = c.mark()
    change(c, b, [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                   "text": "/* two */\n/* lines */\n"}])
    ds, _ = c.wait_diags(uri_of(b), has_finding_at(FINDING_LINE + 2), 30, m)
    check("insert two lines above: the finding moves to line %d" % (FINDING_LINE + 3), ds is not None)
    c.settle(1.5)
    ds = c.last(uri_of(b))
    check("insert two lines above: after lockorder ran again, one finding, at the new line",
          len(findings(ds)) == 1 and has_finding_at(FINDING_LINE + 2)(ds))
    alive(c, "insert lines", b)

    # Positions in UTF-16 (clangd's default here): an edit after a
    # non-ASCII comment, and the finding's column after it.
    wide_session_steps(c, os.path.join(proj, "wide.c"), "utf-16 (%s)" % c.enc)

    # A file whose compile fails: one diagnostic at its top, then fixed.
    broken = os.path.join(proj, "broken.c")
    m = c.mark()
    open_doc(c, broken, BROKEN_COMPILE)
    ds, _ = c.wait_diags(uri_of(broken), lambda ds: statuses(ds), 30, m)
    st = statuses(ds)
    check("compile fails: exactly one lockorder diagnostic, at line 0", st and len(ours(ds)) == 1 and
          st[0]["range"]["start"]["line"] == 0)
    if st:
        check("compile fails: it says why (the compile failed, and clang's error)",
              "the compile failed" in st[0]["message"] and "undeclared_thing" in st[0]["message"] and
              st[0]["severity"] in (2, 3), st[0]["message"])
    alive(c, "compile fails", broken)
    m = c.mark()
    change(c, broken, [{"text": BAD}])
    ds, _ = c.wait_diags(uri_of(broken), lambda ds: has_finding_at(FINDING_LINE)(ds) and not statuses(ds), 30, m)
    check("compile fixed (unsaved): the diagnostic goes, the finding comes", ds is not None)
    alive(c, "compile fixed", broken)

    # compile_flags.txt with the -I the file needs, and the fallback.
    for sub, what in (("flags", "compile_flags.txt"), ("fallback", "no database: clangd's fallback")):
        path = os.path.join(work, sub, "f.c")
        m = c.mark()
        open_doc(c, path, BAD)
        ds, _ = c.wait_diags(uri_of(path), has_finding_at(FINDING_LINE), 30, m)
        check("%s: lockorder's finding arrives" % what, ds is not None and not statuses(ds))
        alive(c, what, path)

    # An unsaved header: the .c file needs what only the editor's text of
    # kvm.h declares.
    hdr, hc = os.path.join(work, "kvm.h"), os.path.join(proj, "hdr.c")
    with open(hdr) as f:
        header_text = f.read()
    m = c.mark()
    open_doc(c, hdr, header_text)
    change(c, hdr, [{"text": header_text + "\nstruct only_in_the_buffer { int x; };\n"}])
    open_doc(c, hc, HDR_USER)
    ds, _ = c.wait_diags(uri_of(hc), has_finding_at(FINDING_LINE), 30, m)
    check("unsaved header: the .c file compiles against the editor's text of it", ds is not None and
          not statuses(ds), json.dumps(statuses(ds)) if ds else "")
    c.notify("textDocument/didClose", {"textDocument": {"uri": uri_of(hc)}})
    c.notify("textDocument/didClose", {"textDocument": {"uri": uri_of(hdr)}})
    alive(c, "unsaved header", a)

    # Many documents: the table grows, and closing frees their places.
    m = c.mark()
    hdrs = []
    for k in range(300):
        h = os.path.join(proj, "many", "h%d.h" % k)
        hdrs.append(h)
        open_doc(c, h, "int many_%d;\n" % k)
    late = os.path.join(proj, "late.c")
    open_doc(c, late, BAD)
    ds, _ = c.wait_diags(uri_of(late), has_finding_at(FINDING_LINE), 60, m)
    check("300 documents open: the 302nd still gets lockorder's finding", ds is not None)
    for h in hdrs:
        c.notify("textDocument/didClose", {"textDocument": {"uri": uri_of(h)}})
    alive(c, "300 documents", late)
    m = c.mark()
    c.notify("textDocument/didClose", {"textDocument": {"uri": uri_of(late)}})
    ds, _ = c.wait_diags(uri_of(late), lambda ds: ds == [], 30, m)
    check("didClose: the file's diagnostics are cleared", ds is not None)
    m = c.mark()
    open_doc(c, late, FIXED)
    ds, _ = c.wait_diags(uri_of(late), clangd_own, 30, m)
    c.settle(1.5)
    check("reopened with other text: no old finding", ds is not None and not ours(c.last(uri_of(late))))
    alive(c, "close and reopen", late)
    end(c, "main")


def wide_session_steps(c, path, name):
    """Opens WIDE (which does not compile: 'lock_NOT'), removes '_NOT'
    with an incremental edit counted in the session's encoding, and checks
    the finding's column after the non-ASCII comment."""
    m = c.mark()
    open_doc(c, path, WIDE)
    ds, _ = c.wait_diags(uri_of(path), lambda ds: statuses(ds), 30, m)
    check("%s: the file with 'lock_NOT' does not compile" % name, ds is not None)
    line = WIDE.splitlines()[FINDING_LINE]
    at = line.index("_NOT")
    col = units(line[:at], c.enc)
    m = c.mark()
    change(c, path, [{"range": {"start": {"line": FINDING_LINE, "character": col},
                                "end": {"line": FINDING_LINE, "character": col + 4}}, "text": ""}])
    ds, _ = c.wait_diags(uri_of(path), has_finding_at(FINDING_LINE), 30, m)
    check("%s: the incremental edit after the non-ASCII comment lands where meant" % name, ds is not None)
    if ds:
        f = [d for d in findings(ds) if d["range"]["start"]["line"] == FINDING_LINE][0]
        want = units(PREFIX, c.enc)
        check("%s: the finding's character is %d, after the comment" % (name, want),
              f["range"]["start"]["character"] == want, str(f["range"]))
    alive(c, name, path)


def utf8_session(args, work):
    print("-- positions in UTF-8, negotiated", flush=True)
    c = start(args, work, os.path.join(work, "test.lockorder"), name="utf8", encodings=["utf-8", "utf-16"])
    check("utf8: clangd chose utf-8", c.enc == "utf-8", c.enc)
    wide_session_steps(c, os.path.join(work, "proj", "wide8.c"), "utf-8")
    end(c, "utf8")


def broken_rules_session(args, work):
    print("-- a broken rules file", flush=True)
    a = os.path.join(work, "proj", "a.c")
    write(a, BAD)
    c = start(args, work, os.path.join(work, "broken.lockorder"), name="rules")
    m = c.mark()
    open_doc(c, a, BAD)
    ds, _ = c.wait_diags(uri_of(a), lambda ds: statuses(ds) and clangd_own(ds), 60, m)
    st = statuses(ds)
    check("broken rules: clangd's diagnostics and exactly one lockorder diagnostic",
          ds is not None and len(ours(ds)) == 1)
    if st:
        msg = st[0]["message"]
        check("broken rules: it says the rules are invalid, with file:line", "the rules are invalid" in msg and
              "broken.lockorder:3:" in msg, msg)
        rel = st[0].get("relatedInformation", [])
        check("broken rules: its related location is the rules file's line 3",
              any(r["location"]["uri"].endswith("broken.lockorder") and r["location"]["range"]["start"]["line"] == 2
                  for r in rel), json.dumps(rel))
    alive(c, "broken rules", a)
    end(c, "rules")

    print("-- a plugin that cannot be loaded", flush=True)
    no_plugin = os.path.join(work, "no-such-plugin.so")
    argv_plugin, args.plugin = args.plugin, no_plugin
    c = start(args, work, os.path.join(work, "test.lockorder"), name="noplugin")
    args.plugin = argv_plugin
    m = c.mark()
    open_doc(c, a, BAD)
    ds, _ = c.wait_diags(uri_of(a), lambda ds: statuses(ds), 60, m)
    st = statuses(ds)
    check("no plugin: one diagnostic saying clang cannot load the plugin",
          len(st) == 1 and "cannot load the plugin" in st[0]["message"] and "no-such-plugin.so" in st[0]["message"],
          st[0]["message"] if st else "")
    alive(c, "no plugin", a)
    end(c, "noplugin")


def slow_session(args, work):
    print("-- a slow file", flush=True)
    proj = os.path.join(work, "proj")
    slow_clang = os.path.join(work, "slow-clang")
    # Slow to compile, as a huge file is; `clang -###` (how the wrapper
    # asks which flags clang accepts) compiles nothing and stays fast.
    write(slow_clang, "#!/bin/sh\ncase \" $* \" in *' -### '*) exec %s \"$@\";; esac\n"
          "for a; do case \"$a\" in\n"
          "  *slow.c) sleep 60;;\n  *stale.c) sleep 1.5;;\nesac; done\nexec %s \"$@\"\n"
          % (args.clang, args.clang))
    os.chmod(slow_clang, 0o755)
    c = start(args, work, os.path.join(work, "test.lockorder"), extra=["--timeout", "3"],
              name="slow", clang=slow_clang)
    slow, stale, a = (os.path.join(proj, n) for n in ("slow.c", "stale.c", "a.c"))
    m = c.mark()
    t0 = time.time()
    open_doc(c, slow, BAD)
    open_doc(c, a, BAD)
    ds, _ = c.wait_diags(uri_of(slow), clangd_own, 30, m)
    check("slow: clangd's diagnostics arrive while lockorder runs", ds is not None and time.time() - t0 < 3)
    r = c.call("textDocument/hover", {"textDocument": {"uri": uri_of(slow)}, "position": {"line": 5, "character": 3}}, 5)
    check("slow: hover is answered while lockorder runs (%.1f s after open)" % (time.time() - t0),
          r is not None and time.time() - t0 < 3)
    alive(c, "slow, meanwhile", slow)
    ds, _ = c.wait_diags(uri_of(a), has_finding_at(FINDING_LINE), 30, m)
    check("slow: another file is analysed meanwhile", ds is not None and time.time() - t0 < 3)
    ds, t = c.wait_diags(uri_of(slow), lambda ds: statuses(ds), 30, m)
    st = statuses(ds)
    check("slow: after the timeout, one diagnostic says lockorder gave up and why",
          len(ours(ds)) == 1 and "gave up" in st[0]["message"] and "3 s" in st[0]["message"] and
          st[0]["range"]["start"]["line"] == 0, st[0]["message"] if st else "")
    check("slow: it came at the timeout (%.1f s)" % (t - t0) if t else "slow: it came", t and 2.5 < t - t0 < 10)
    alive(c, "slow, after", slow)

    # Stale runs: an edit while the run of the older text goes on.
    m = c.mark()
    open_doc(c, stale, FIXED)
    c.wait_diags(uri_of(stale), clangd_own, 30, m)
    c.settle(2.5)
    change(c, stale, [replace_lines(BODY_LINE, BODY_LINE + 4, BODY_BAD)])
    time.sleep(0.6)  # past the debounce: its run is sleeping in clang
    change(c, stale, [replace_lines(BODY_LINE, BODY_LINE + 4, BODY_FIXED)])
    m = c.mark()
    c.settle(4)
    got = [ds for t, u, ds in c.published[m:] if u == uri_of(stale) and findings(ds)]
    check("stale run: the findings of the replaced text are never published", not got)
    check("stale run: the text analysed last has none", not ours(c.last(uri_of(stale))))
    alive(c, "stale run", stale)
    end(c, "slow")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lockorder", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--clang", required=True)
    ap.add_argument("--inputs", required=True)
    args = ap.parse_args()
    if not (shutil.which("clangd-19") or shutil.which("clangd")):
        print("clangd: skipped: no clangd installed")
        return 0
    if not os.path.exists(args.plugin):
        print("clangd: no plugin at '%s' (the sanitizer build takes build-19's: build it first)" % args.plugin)
        return 1
    with tempfile.TemporaryDirectory() as work:
        headers = ("kernel.h", "kvm.h", "kvm_host.h")
        for f in headers + ("test.lockorder",):
            shutil.copy(os.path.join(args.inputs, f), work)
        proj = os.path.join(work, "proj")
        os.makedirs(os.path.join(proj, "many"))
        for n, text in (("a.c", BAD), ("b.c", BAD), ("c.c", FIXED), ("broken.c", BROKEN_COMPILE),
                        ("wide.c", WIDE), ("wide8.c", WIDE), ("late.c", BAD), ("slow.c", BAD),
                        ("stale.c", FIXED), ("hdr.c", HDR_USER)):
            write(os.path.join(proj, n), text)
        for k in range(300):
            write(os.path.join(proj, "many", "h%d.h" % k), "int many_%d;\n" % k)
        with open(os.path.join(proj, "compile_commands.json"), "w") as f:
            json.dump([{"directory": proj, "file": n, "command": "clang -c -Wall -I %s -o x.o %s" % (work, n)}
                       for n in ("a.c", "b.c", "c.c", "broken.c", "wide.c", "wide8.c", "slow.c", "stale.c", "hdr.c")], f)
        # late.c is not listed: it borrows its neighbours' command.
        # compile_flags.txt: the headers only through its -I.
        flags = os.path.join(work, "flags")
        os.makedirs(os.path.join(flags, "inc"))
        for h in headers:
            shutil.copy(os.path.join(args.inputs, h), os.path.join(flags, "inc"))
        write(os.path.join(flags, "compile_flags.txt"), "-Wall\n  -Iinc  \n\n")
        write(os.path.join(flags, "f.c"), BAD)
        # The fallback: the headers beside the file, nothing above it.
        fallback = os.path.join(work, "fallback")
        os.makedirs(fallback)
        for h in headers:
            shutil.copy(os.path.join(args.inputs, h), fallback)
        write(os.path.join(fallback, "f.c"), BAD)
        write(os.path.join(work, "broken.lockorder"), "type kvm = struct kvm\nmutex kvm->lock\nthis is not a statement\n")

        for session in (main_session, utf8_session, broken_rules_session, slow_session):
            try:
                session(args, work)
            except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
                check("%s ran to its end" % session.__name__, False, "%s: %s" % (type(e).__name__, e))
        if not all(results):
            for log in sorted(f for f in os.listdir(work) if f.endswith(".log")):
                with open(os.path.join(work, log)) as f:
                    lines = f.read().splitlines()
                print("-- the last lines of %s (the wrapper's stderr)" % log)
                print("\n".join(lines[-40:]))
    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
