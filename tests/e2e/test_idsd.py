#!/usr/bin/env python3
"""End-to-end tests of idsd: usage: test_idsd.py IDSD SRC_ROOT TEST OUT_DIR."""
import json
import os
import shutil
import subprocess
import sys

IDSD = SRC = OUT = None
FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("  not ok:", what)
    return cond


def run(args, timeout=300):
    p = subprocess.run([IDSD] + args, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def out_dir(name):
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def read_eve(d):
    recs = []
    with open(os.path.join(d, "eve.json"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                recs.append(json.loads(line))
            except json.JSONDecodeError as e:
                check(False, f"eve.json line {n} is not JSON: {e}: {line[:120]}")
    return recs


def alerts_by_sid(recs):
    c = {}
    for r in recs:
        if r.get("event_type") == "alert":
            sid = r["alert"]["signature_id"]
            c[sid] = c.get(sid, 0) + 1
    return c


def data(*p):
    return os.path.join(SRC, "tests", "data", *p)


def test_usage():
    rc, out, _ = run(["--help"])
    check(rc == 0 and "usage: idsd" in out, f"--help: rc {rc}")
    rc, _, err = run(["--no-such-option"])
    check(rc == 2 and "unknown option" in err, f"bad option: rc {rc}, {err!r}")
    rc, _, err = run([])
    check(rc == 2 and "nothing to do" in err, f"no arguments: rc {rc}, {err!r}")
    rc, _, err = run(["-k", "maybe", "-r", data("demo.pcap")])
    check(rc == 2 and "-k" in err, f"-k maybe: rc {rc}, {err!r}")
    rc, _, err = run(["--runmode", "fast", "-r", data("demo.pcap")])
    check(rc == 2 and "--runmode" in err, f"--runmode fast: rc {rc}, {err!r}")


def tests_main():
    name = sys.argv[3]
    fn = globals().get("test_" + name)
    if fn is None:
        print("no such test:", name)
        return 2
    fn()
    print(f"{name}: {'FAIL' if FAILS else 'ok'} ({len(FAILS)} problems)")
    return 1 if FAILS else 0


if __name__ == "__main__":
    IDSD, SRC, _, OUT = sys.argv[1:5]
    os.makedirs(OUT, exist_ok=True)
    sys.exit(tests_main())
