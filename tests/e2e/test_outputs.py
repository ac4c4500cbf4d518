#!/usr/bin/env python3
"""End-to-end tests of idsd's EVE outputs on the bundled demo capture.

usage: test_outputs.py IDSD SRC_ROOT TEST OUT_DIR

types:    outputs.eve-log.types is honoured (only listed types are written),
          several eve-log outputs at once, each with its own options, an
          absolute filename used as it is and a relative one in the log
          directory, a disabled output writes nothing, a type idsd does not
          write is warned about with file:line.
"""
import json
import os
import shutil
import subprocess
import sys

IDSD = SRC = OUT = None
FAILS = []


def check(cond, what):
    print(("  ok: " if cond else "  not ok: ") + what, flush=True)
    if not cond:
        FAILS.append(what)
    return cond


def read_eve(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_idsd(config, extra=(), pcap=None, rules=None):
    """Run idsd on a capture with config (text) in OUT; (returncode, stderr)."""
    cfg = os.path.join(OUT, "idsd.yaml")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(config)
    pcap = pcap or os.path.join(SRC, "tests/data/demo.pcap")
    rules = rules or os.path.join(SRC, "rules/examples/demo.rules")
    p = subprocess.run([IDSD, "-c", cfg, "-r", pcap, "-S", rules, "-l", OUT] + list(extra),
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stderr


def kinds(recs):
    return {r.get("event_type") for r in recs}


def test_types():
    absdir = os.path.join(OUT, "elsewhere")
    os.makedirs(absdir)
    absfile = os.path.join(absdir, "stats-abs.json")
    config = f"""%YAML 1.1
---
outputs:
  - eve-log:
      enabled: yes
      filename: alerts.json
      types:
        - alert:
            payload: yes
            metadata: no
  - eve-log:
      enabled: yes
      filename: {absfile}
      types:
        - stats
  - eve-log:
      enabled: no
      filename: disabled.json
      types:
        - alert
  - eve-log:
      filename: both.json
      types:
        - alert
        - stats
        - smtp
"""
    rc, err = run_idsd(config)
    check(rc == 0, f"idsd runs with four eve-log outputs: rc {rc} {err[-300:]}")
    alerts = read_eve(os.path.join(OUT, "alerts.json"))
    check(len(alerts) > 0 and kinds(alerts) == {"alert"},
          f"alerts.json (relative, in the log dir) holds only alerts: {kinds(alerts)}")
    check(all("payload" in a and "flow" not in a for a in alerts),
          "its own options: payload on, metadata (flow object) off")
    stats = read_eve(absfile)
    check(len(stats) > 0 and kinds(stats) == {"stats"},
          f"an absolute filename is used as it is, with only stats: {kinds(stats)}")
    check(not os.path.exists(os.path.join(OUT, absfile.lstrip("/"))),
          "the absolute filename is not joined to the log directory")
    check(not os.path.exists(os.path.join(OUT, "disabled.json")),
          "a disabled eve-log writes nothing")
    both = read_eve(os.path.join(OUT, "both.json"))
    check(kinds(both) == {"alert", "stats"} and
          len([r for r in both if r["event_type"] == "alert"]) == len(alerts),
          f"both.json: the same alerts and stats: {kinds(both)}")
    check(all("payload" not in a and "flow" in a for a in both
              if a["event_type"] == "alert"),
          "both.json keeps the default options (no payload, the flow object)")
    check(not os.path.exists(os.path.join(OUT, "eve.json")),
          "no eve.json besides the configured outputs")
    check("idsd.yaml:" in err and "'smtp' accepted, has no effect" in err,
          f"a type idsd does not write is warned about with file:line: {err[-400:]}")


def main():
    global IDSD, SRC, OUT
    IDSD, SRC, name, OUT = sys.argv[1:5]
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    globals()["test_" + name]()
    print(f"{name}: {len(FAILS)} failures")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
