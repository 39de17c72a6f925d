"""shift-lines.py N SRC_DIR DST_DIR: copies the summaries of SRC_DIR with
every location's line moved by N, as an unrelated edit above would."""
import json
import os
import sys


def shift(v, n):
    if isinstance(v, dict):
        return {k: (x[:1] + [x[1] + n] + x[2:] if k == "at" and isinstance(x, list) else shift(x, n))
                for k, x in v.items()}
    if isinstance(v, list):
        return [shift(x, n) for x in v]
    return v


n, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
os.makedirs(dst, exist_ok=True)
for name in sorted(os.listdir(src)):
    with open(os.path.join(src, name)) as f, open(os.path.join(dst, name), "w") as out:
        for line in f:
            out.write(json.dumps(shift(json.loads(line), n), separators=(",", ":")) + "\n")
