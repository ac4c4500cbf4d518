#!/usr/bin/env python3
"""Rule loading against upstream suricata-verify rules: usage:
test_sv_rules.py IDSD DATA_DIR

DATA_DIR (tests/data/sv-rules) holds the rules of upstream tests, one file
per test, and expected-failures.tsv: each rule line idsd must refuse, with
the reason it must print. idsd -T on each file must refuse exactly those
(file:line: reason) and load every other rule."""
import glob
import os
import re
import subprocess
import sys

from e2e_check import Checks


def rule_lines(path):
    """The line numbers where the rules of the file start."""
    starts, cont = [], False
    with open(path, encoding="utf-8") as f:
        for n, ln in enumerate(f, 1):
            s = ln.strip()
            if not cont and s and not s.startswith("#"):
                starts.append(n)
            cont = s.endswith("\\")
    return starts


def main():
    idsd, data = sys.argv[1], sys.argv[2]
    check = Checks()
    want = {}
    with open(os.path.join(data, "expected-failures.tsv"), encoding="utf-8") as f:
        for ln in f:
            if ln.startswith("#") or not ln.strip():
                continue
            name, line, reason = ln.rstrip("\n").split("\t")[:3]
            want[(name, int(line))] = reason
    files = sorted(glob.glob(os.path.join(data, "*.rules")))
    check(len(files) >= 40, f"{len(files)} rule files")
    got, nrules, loaded = {}, 0, 0
    for path in files:
        name = os.path.basename(path)
        nrules += len(rule_lines(path))
        p = subprocess.run([idsd, "-T", "-S", path], capture_output=True, text=True,
                           timeout=120)
        out = p.stdout + p.stderr
        for m in re.finditer(rf"^{re.escape(path)}:(\d+): (.*)$", out, re.M):
            if not m.group(2).startswith("warning:"):
                got[(name, int(m.group(1)))] = m.group(2)
        m = re.search(r"^rules: (\d+) loaded, (\d+) failed$", out, re.M)
        check(m is not None, f"{name}: -T summary")
        if m:
            loaded += int(m.group(1))
    for k in sorted(set(want) | set(got)):
        check(want.get(k) == got.get(k),
              f"{k[0]}:{k[1]}: want {want.get(k)!r}, got {got.get(k)!r}")
    check(loaded == nrules - len(want), f"{loaded} of {nrules} rules loaded, "
          f"{len(want)} refused as expected")
    return check.done("sv_rules")


if __name__ == "__main__":
    sys.exit(main())
