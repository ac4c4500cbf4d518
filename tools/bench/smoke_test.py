#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Smoke test of ids-bench: a very short run on generated traffic with the
small rule set. Asserts only that the last line is JSON with the contract's
keys; benchmark figures are printed, never checked against a time."""
import json
import subprocess
import sys

KEYS = ("rx_pps", "decode_pps", "full_pps", "full_bps", "hs_ceiling_bps", "workers",
        "rules_loaded")


def main():
    bench, srcdir = sys.argv[1], sys.argv[2]
    cmd = [bench, "-g", "http:200", "-g", "imix:2000", "-S", srcdir + "/small.rules",
           "--seconds", "0.2", "--warmup", "0.05", "--no-progress", "--json"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    sys.stdout.write(res.stdout)
    sys.stderr.write(res.stderr)
    if res.returncode != 0:
        print(f"FAIL: exit status {res.returncode}")
        return 1
    lines = res.stdout.strip().splitlines()
    try:
        fig = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError) as e:
        print(f"FAIL: last line is not JSON: {e}")
        return 1
    missing = [k for k in KEYS if k not in fig]
    if missing:
        print(f"FAIL: missing keys {missing}")
        return 1
    if fig["workers"] != 1 or fig["rules_loaded"] != 12:
        print(f"FAIL: workers {fig['workers']}, rules_loaded {fig['rules_loaded']} (want 1, 12)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
