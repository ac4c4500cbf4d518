#!/usr/bin/env python3
"""The events audit stays whole: usage: test_events_audit.py SRC_ROOT.

tests/data/suricata-events/AUDIT.md must have a row for every sid of the
seven Suricata 7.0.0 event rule files beside it (commented-out rules too),
each row must say yes or no, and every test file a row names must exist:
a rule file or a test renamed without the audit fails here."""
import glob
import os
import re
import sys

from e2e_check import check


def main():
    root = sys.argv[1]
    ev = os.path.join(root, "tests", "data", "suricata-events")
    sids = set()
    for f in glob.glob(os.path.join(ev, "*-events.rules")):
        with open(f, encoding="utf-8") as fh:
            sids |= {int(m) for m in re.findall(r"\bsid:\s*(\d+)\s*;", fh.read())}
    check(len(sids) >= 290, f"the seven rule files hold their ~300 sids ({len(sids)})")
    rows = {}
    with open(os.path.join(ev, "AUDIT.md"), encoding="utf-8") as fh:
        for ln in fh:
            m = re.match(r"\| (\d+)[^|]*\|[^|]*\| (\w+) \|[^|]*\| ([^|]*) \|", ln)
            if m:
                rows[int(m.group(1))] = (m.group(2), m.group(3).strip())
    missing = sorted(sids - set(rows))
    check(not missing, f"a row for every sid: missing {missing}")
    bad = sorted(s for s, (st, _) in rows.items() if st not in ("yes", "no"))
    check(not bad, f"every row says yes or no: {bad}")
    tests = {os.path.basename(p) for d in ("tests/e2e", "tests/unit", "tests/data/decode-events")
             for p in glob.glob(os.path.join(root, d, "*"))}
    gone = sorted({t for _, (_, ts) in rows.items() for t in ts.split(", ")
                   if t != "-" and t not in tests})
    check(not gone, f"every test named exists: {gone}")
    print(f"{len(rows)} rows, {len(sids)} sids")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
