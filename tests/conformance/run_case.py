#!/usr/bin/env python3
"""Run one suricata-verify case through idsd and compare the EVE records.

usage: run_case.py IDSD CASE_DIR [WORK_DIR]

The case is described by the collection's expected.json (the checks of its
upstream test.yaml, with version requirements already applied) or, for a
folder dropped in later without an expected.json entry, by its test.yaml
(needs python3-yaml). idsd runs as Suricata's runner runs Suricata:
  idsd -r PCAP -S RULES -l OUT [-c suricata.yaml] [args] [--simulate-ips]
Prints one line, PASS or FAIL with expected vs actual per check, and exits
0 or 1.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile


def find_root(case_dir):
    """The collection root: the nearest parent holding expected.json or INDEX.tsv."""
    d = os.path.abspath(case_dir)
    while d != os.path.dirname(d):
        d = os.path.dirname(d)
        if os.path.exists(os.path.join(d, "INDEX.tsv")):
            return d
    return os.path.dirname(os.path.abspath(case_dir))


# Event types whose checks are compared: alerts and drops, the counters of
# the stats record idsd writes at exit (as Suricata's after a capture), and
# flow and anomaly records. App-layer record checks are left out.
CHECKED_TYPES = ("alert", "drop", "stats", "flow", "anomaly")

# The record types of Suricata 7's stock suricata.yaml eve-log that idsd
# writes, for a case without a config of its own whose checks count flow or
# anomaly records: upstream runs such a case with the stock config, and
# idsd without one writes alerts and stats only.
STOCK_EVE = """%YAML 1.1
---
outputs:
  - eve-log:
      enabled: yes
      filetype: regular
      filename: eve.json
      types:
        - alert
        - anomaly:
            enabled: yes
        - http
        - dns
        - tls
        - files
        - ftp
        - stats
        - flow
"""


def case_from_yaml(case_dir, name):
    import yaml  # only for cases without an expected.json entry

    with open(os.path.join(case_dir, "test.yaml"), encoding="utf-8") as f:
        t = yaml.safe_load(f)
    rules = [r for r in os.listdir(case_dir) if r.endswith(".rules")]
    pcap = os.path.basename(t.get("pcap", "")) or next(
        p for p in os.listdir(case_dir) if p.endswith((".pcap", ".pcapng")))
    args = t.get("args", [])
    args = " ".join(args) if isinstance(args, list) else str(args or "")
    checks = []
    for c in t.get("checks", []):
        flt = c.get("filter")
        if not flt:
            continue
        match = dict(flt.get("match", {}))
        et = match.pop("event_type", None)
        if et is None and match and all(k.startswith("alert.") for k in match):
            et = "alert"  # only alert records have these fields
        if et not in CHECKED_TYPES:
            continue
        sid = match.pop("alert.signature_id", None)
        checks.append({"event_type": et, "sid": sid, "count": flt.get("count"),
                       "extra": match})
    return {"pcap": pcap, "rules": rules, "checks": checks, "args": args}


def load_case(case_dir):
    root = find_root(case_dir)
    name = os.path.relpath(os.path.abspath(case_dir), root)
    exp = os.path.join(root, "expected.json")
    if os.path.exists(exp):
        with open(exp, encoding="utf-8") as f:
            tests = json.load(f)["tests"]
        if name in tests:
            return name, tests[name]
    return name, case_from_yaml(case_dir, name)


def field(rec, path):
    """The value at a dotted path; "name[i]" indexes a list, as upstream."""
    cur = rec
    for part in path.split("."):
        name, _, index = part.partition("[")
        if not isinstance(cur, dict) or name not in cur:
            return None
        cur = cur[name]
        if index:
            i = int(index.rstrip("]"))
            if not isinstance(cur, list) or not -len(cur) <= i < len(cur):
                return None
            cur = cur[i]
    return cur


def matches(rec, check):
    if rec.get("event_type") != check["event_type"]:
        return False
    if check.get("sid") is not None:
        if field(rec, "alert.signature_id") != check["sid"]:
            return False
    for k, v in check.get("extra", {}).items():
        if field(rec, k) != v:
            return False
    return True


def describe(check):
    what = check["event_type"]
    if what in ("alert", "drop"):
        what += " sid " + (str(check["sid"]) if check.get("sid") is not None else "*")
    if check.get("extra"):
        what += " [" + ",".join(f"{k}={str(v)[:24]}" for k, v in check["extra"].items()) + "]"
    return what


def local_includes(cfg, out):
    """Upstream configs include shared files by their place in the upstream
    tree (`include: ../../etc/suricata-4.0.3.yaml`); the collection copies
    such a file into the case folder instead. When an include is missing and
    the case has a file of that name, run a copy of the config that includes
    the case's file. Anything else is left for idsd to report."""
    case_dir = os.path.dirname(cfg)
    with open(cfg, encoding="utf-8") as f:
        lines = f.readlines()
    changed = False
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*-?\s*include:\s*)(\S+)\s*$", line)
        if not m or os.path.exists(os.path.join(case_dir, m.group(2))):
            continue
        local = os.path.join(case_dir, os.path.basename(m.group(2)))
        if os.path.exists(local):
            lines[i] = m.group(1) + os.path.abspath(local) + "\n"
            changed = True
    if not changed:
        return cfg
    copy = os.path.join(out, "suricata.yaml")
    with open(copy, "w", encoding="utf-8") as f:
        f.writelines(lines)
    return copy


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    idsd, case_dir = sys.argv[1], sys.argv[2]
    name, case = load_case(case_dir)
    out = sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(prefix="ids-conf-")
    os.makedirs(out, exist_ok=True)
    eve = os.path.join(out, "eve.json")
    if os.path.exists(eve):
        os.unlink(eve)

    cmd = [idsd, "-r", os.path.join(case_dir, case["pcap"]), "-l", out]
    for r in case["rules"]:
        cmd += ["-S", os.path.join(case_dir, r)]
    cfg = os.path.join(case_dir, "suricata.yaml")
    if os.path.exists(cfg):
        cmd += ["-c", local_includes(cfg, out)]
    elif any(c["event_type"] in ("flow", "anomaly") for c in case["checks"]):
        cfg = os.path.join(out, "suricata.yaml")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write(STOCK_EVE)
        cmd += ["-c", cfg]
    # As Suricata's runner, point the configs at the engine's own tables.
    rules_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "rules")
    cmd += ["--set", "classification-file=" + os.path.join(rules_dir, "classification.config"),
            "--set", "reference-config-file=" + os.path.join(rules_dir, "reference.config")]
    cmd += shlex.split(case.get("args") or "")
    if "ips" in os.path.basename(name) and "--simulate-ips" not in cmd:
        cmd.append("--simulate-ips")

    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        print(f"FAIL {name}: idsd exited {proc.returncode}")
        print("  command:", " ".join(shlex.quote(c) for c in cmd))
        print(proc.stderr[-3000:])
        return 1

    records = []
    if os.path.exists(eve):
        with open(eve, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as e:
                    print(f"FAIL {name}: eve.json line {n} is not JSON: {e}")
                    return 1

    bad = []
    for check in case["checks"]:
        got = sum(1 for r in records if matches(r, check))
        if got != check["count"]:
            bad.append(f"{describe(check)}: expected {check['count']}, got {got}")
    if bad:
        print(f"FAIL {name}: " + "; ".join(bad))
        print("  command:", " ".join(shlex.quote(c) for c in cmd))
        return 1
    print(f"PASS {name}: {len(case['checks'])} checks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
