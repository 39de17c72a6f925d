#!/usr/bin/env python3
"""An LSP session with `lockorder clangd` over Debian's clangd.

Starts the wrapper in a small project (a file with a lock-order bug and a
plain C warning, the mock kernel headers of test/plugin/Inputs, a
compile_commands.json), opens the file and checks that clangd's diagnostic
and lockorder's (with its notes as related information) both arrive, saves
a fixed version and checks lockorder's goes away, then runs a session with a
broken rules file and checks clangd's diagnostics still arrive and requests
are still answered.  Prints `N passed, N failed`.

usage: lsp-session.py --lockorder TOOL --plugin SO --inputs DIR
"""
import argparse
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

BAD = """#include "kvm.h"

void bad_order(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
\tmutex_lock(&vcpu->mutex);
\tmutex_lock(&kvm->lock);
\tmutex_unlock(&kvm->lock);
\tmutex_unlock(&vcpu->mutex);
}

int plain_warning(void)
{
\tint unused_thing;
\treturn 0;
}
"""
FIXED = BAD.replace("\tmutex_lock(&vcpu->mutex);\n\tmutex_lock(&kvm->lock);\n\tmutex_unlock(&kvm->lock);\n\tmutex_unlock(&vcpu->mutex);",
                    "\tmutex_lock(&kvm->lock);\n\tmutex_lock(&vcpu->mutex);\n\tmutex_unlock(&vcpu->mutex);\n\tmutex_unlock(&kvm->lock);")

results = []


def check(name, ok):
    results.append(ok)
    print(("ok    " if ok else "FAIL  ") + name, flush=True)


class Client:
    def __init__(self, argv, cwd):
        self.p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=open(os.path.join(cwd, "server.log"), "w"))
        self.buf = b""
        self.next_id = 1

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

    def read(self, deadline):
        """The next message, or None at the deadline."""
        while True:
            head_end = self.buf.find(b"\r\n\r\n")
            if head_end >= 0:
                head = self.buf[:head_end].decode()
                n = int([l.split(":")[1] for l in head.split("\r\n") if l.lower().startswith("content-length")][0])
                if len(self.buf) >= head_end + 4 + n:
                    body = self.buf[head_end + 4:head_end + 4 + n]
                    self.buf = self.buf[head_end + 4 + n:]
                    return json.loads(body)
            left = deadline - time.time()
            if left <= 0:
                return None
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if not r:
                return None
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if not chunk:
                return None
            self.buf += chunk

    def wait_for(self, pred, seconds):
        deadline = time.time() + seconds
        while True:
            m = self.read(deadline)
            if m is None:
                return None
            if m.get("method") in ("window/workDoneProgress/create", "client/registerCapability") and "id" in m:
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
            if pred(m):
                return m

    def close(self):
        try:
            i = self.request("shutdown", None)
            self.wait_for(lambda m: m.get("id") == i, 10)
            self.notify("exit", None)
            self.p.wait(timeout=10)
        except Exception:
            self.p.kill()


def diags_for(uri):
    return lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri


def session(tool, plugin, rules, work, expect_lockorder):
    uri = "file://" + os.path.join(work, "bad.c")
    c = Client([tool, "clangd", "--rules", rules, "--plugin", plugin, "--", "--log=error"], work)
    i = c.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + work, "capabilities": {}})
    init = c.wait_for(lambda m: m.get("id") == i, 30)
    check("initialize answered", init is not None and "capabilities" in init.get("result", {}))
    c.notify("initialized", {})
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "c", "version": 1, "text": BAD}})
    seen_clangd = seen_ours = False
    ours = None
    deadline = time.time() + 60
    while time.time() < deadline and not (seen_clangd and (seen_ours or not expect_lockorder)):
        m = c.wait_for(diags_for(uri), max(1, deadline - time.time()))
        if m is None:
            break
        ds = m["params"]["diagnostics"]
        seen_clangd |= any("unused_thing" in d["message"] for d in ds)
        mine = [d for d in ds if d.get("source") == "lockorder"]
        if mine:
            seen_ours, ours = True, mine
    check("clangd's own diagnostic arrives", seen_clangd)
    if expect_lockorder:
        check("lockorder's diagnostic arrives", seen_ours)
        if ours:
            d = ours[0]
            check("it is the order violation at line 6",
                  "'kvm->lock' acquired while holding 'vcpu->mutex'" in d["message"] and d["range"]["start"]["line"] == 5)
            rel = d.get("relatedInformation", [])
            check("its notes are related information",
                  any("'vcpu->mutex' acquired here" in r["message"] for r in rel) and
                  any("rule stated here" in r["message"] and r["location"]["uri"].endswith("test.lockorder") for r in rel))
        # Fix the file, save: lockorder's finding goes, clangd's stays.
        with open(os.path.join(work, "bad.c"), "w") as f:
            f.write(FIXED)
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                            "contentChanges": [{"text": FIXED}]})
        c.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        gone = False
        deadline = time.time() + 60
        while time.time() < deadline:
            m = c.wait_for(diags_for(uri), max(1, deadline - time.time()))
            if m is None:
                break
            ds = m["params"]["diagnostics"]
            if not any(d.get("source") == "lockorder" for d in ds) and any("unused_thing" in d["message"] for d in ds):
                gone = True
                break
        check("after the fix is saved, lockorder's diagnostic is gone and clangd's stays", gone)
    else:
        check("no lockorder diagnostic from a broken setup", not seen_ours)
    t0 = time.time()
    i = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 4, "character": 3}})
    answered = c.wait_for(lambda m: m.get("id") == i, 15)
    check("a request is answered promptly (%.1f s)" % (time.time() - t0), answered is not None)
    c.close()
    check("the server exits on exit", c.p.poll() is not None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lockorder", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--inputs", required=True)
    args = ap.parse_args()
    if not (shutil.which("clangd-19") or shutil.which("clangd")):
        print("clangd: skipped: no clangd installed")
        return 0
    with tempfile.TemporaryDirectory() as work:
        for f in ("kernel.h", "kvm.h", "kvm_host.h", "test.lockorder"):
            shutil.copy(os.path.join(args.inputs, f), work)
        with open(os.path.join(work, "bad.c"), "w") as f:
            f.write(BAD)
        with open(os.path.join(work, "compile_commands.json"), "w") as f:
            json.dump([{"directory": work, "file": "bad.c",
                        "command": "clang -c -Wall -I %s -o bad.o bad.c" % work}], f)
        with open(os.path.join(work, "broken.lockorder"), "w") as f:
            f.write("mutex kvm->lock\nthis is not a statement\n")
        print("-- a working setup")
        session(args.lockorder, args.plugin, os.path.join(work, "test.lockorder"), work, True)
        with open(os.path.join(work, "bad.c"), "w") as f:
            f.write(BAD)
        print("-- a broken rules file: clangd goes on")
        session(args.lockorder, args.plugin, os.path.join(work, "broken.lockorder"), work, False)
    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
