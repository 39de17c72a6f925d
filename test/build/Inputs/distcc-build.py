#!/usr/bin/env python3
"""distcc-build.py WORK CLANG PLUGIN MAKE-ARGS...: runs `make MAKE-ARGS`
with every compile sent through distcc to a distccd on 127.0.0.1 (a free
port, started here, stopped after), with no local fallback, and prints
how many compiles the daemon ran.

distccd refuses a command that loads a plugin with -fplugin= ("insecure
and not supported"), so the compile farm runs a wrapper compiler that
adds it, installed on every machine (here WORK/lockorder-clang); the
plugin's own arguments travel in CFLAGS like any other flag."""
import os
import socket
import subprocess
import sys
import time

work, clang, plugin = sys.argv[1:4]
make_args = sys.argv[4:]
wrapper = os.path.join(work, "lockorder-clang")
with open(wrapper, "w") as f:
    f.write('#!/bin/sh\nexec %s -fplugin=%s "$@"\n' % (clang, plugin))
os.chmod(wrapper, 0o755)

s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
log = os.path.join(work, "distccd.log")
os.makedirs(os.path.join(work, "distcc"), exist_ok=True)
# The log through stderr: run as root, distccd drops to its own user,
# which could not open a file here.
logf = open(log, "w")
daemon = subprocess.Popen(
    ["distccd", "--daemon", "--no-detach", "--listen", "127.0.0.1",
     "--port", str(port), "--allow", "127.0.0.1", "--jobs", "2",
     "--log-stderr", "--log-level", "info", "--enable-tcp-insecure"],
    stderr=logf, env=dict(os.environ, TMPDIR="/tmp"))  # lit's is private
try:
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    env = dict(os.environ, DISTCC_HOSTS="127.0.0.1:%d/2" % port,
               DISTCC_FALLBACK="0", DISTCC_SKIP_LOCAL_RETRY="1",
               DISTCC_DIR=os.path.join(work, "distcc"),
               DISTCC_IO_TIMEOUT="600")  # a loaded CI machine is slow
    rc = subprocess.call(["make"] + make_args + ["CC=distcc " + wrapper],
                         env=env)
finally:
    daemon.terminate()
    daemon.wait()
    logf.close()
lines = open(log).read().splitlines()
ok = sum(1 for line in lines if "COMPILE_OK" in line)
print("distccd compiled: %d" % ok)
if rc != 0:
    # what the daemon saw, for whoever reads the failed test
    sys.stderr.write("make exited %d; distccd's log ends:\n%s\n"
                     % (rc, "\n".join(lines[-30:])))
sys.exit(rc)
