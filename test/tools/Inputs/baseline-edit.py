"""baseline-edit.py route|acquisition SRC_DIR DST_DIR: copies the summaries
of SRC_DIR (Inputs/merge-xen) with one edit.

route: another function, kvm_vcpu_compat_ioctl(), holds vcpu->mutex and
       calls kvm_arch_vcpu_ioctl_run(): a new route to the acquisition a
       baseline knows.
acquisition: kvm_xen_set_evtchn() also calls take_again(), which takes
       the lock it is passed (kvm->lock): a new bad acquisition."""
import json
import os
import shutil
import sys

mode, src, dst = sys.argv[1:]
shutil.copytree(src, dst)


def edit(name, fn):
    path = os.path.join(dst, name)
    recs = [json.loads(l) for l in open(path)]
    recs = recs[:-1] + fn(recs)
    recs.append({"r": "end", "records": len(recs)})
    with open(path, "w") as out:
        for r in recs:
            out.write(json.dumps(r) + "\n")


def route(recs):
    new = []
    for r in recs:
        if r.get("name") == "kvm_vcpu_ioctl" or r.get("fn") == "kvm_vcpu_ioctl":
            r = json.loads(json.dumps(r).replace("kvm_vcpu_ioctl", "kvm_vcpu_compat_ioctl"))
            r["at"][1] += 100
            for h in r.get("held", []):
                h["at"][1] += 100
            new.append(r)
    return new


def acquisition(recs):
    take = [r for r in recs if r.get("name") == "take" or r.get("fn") == "take"]
    call = [r for r in recs if r.get("callee") == "take"]
    new = []
    for r in take + call:
        r = json.loads(json.dumps(r))
        if r.get("name") == "take":
            r["name"] = "take_again"
        if r.get("fn") == "take":
            r["fn"] = "take_again"
        if r.get("callee") == "take":
            r["callee"] = "take_again"
        r["at"][1] += 40
        new.append(r)
    return new


if mode == "route":
    edit("kvm_main.lockorder.json", route)
else:
    edit("xen.lockorder.json", acquisition)
