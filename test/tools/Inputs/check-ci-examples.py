"""check-ci-examples.py LOCKORDER FILE...: the example CI configurations
parse as YAML, and every option they pass to a lockorder subcommand is one
that subcommand's --help lists."""
import re
import subprocess
import sys

import yaml

tool, files = sys.argv[1], sys.argv[2:]
helps = {}
bad = 0
for path in files:
    text = open(path).read()
    yaml.safe_load(text)
    for m in re.finditer(r"(?:lockorder|\$L) (check|merge|graph|explain)\b([^\n]*(?:\\\n[^\n]*)*)", text):
        sub, rest = m.group(1), m.group(2)
        if sub not in helps:
            r = subprocess.run([tool, sub, "--help"], capture_output=True, text=True)
            helps[sub] = r.stdout + r.stderr
        for opt in re.findall(r"(?<!\S)(--[a-z-]+)", rest):
            if opt not in helps[sub]:
                print("%s: 'lockorder %s' has no option %s" % (path, sub, opt))
                bad += 1
    print("%s: ok" % path if not bad else "%s: %d bad" % (path, bad))
sys.exit(1 if bad else 0)
