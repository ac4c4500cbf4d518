#!/usr/bin/env python3
"""The requires keyword on the real idsd: usage:
test_rule_requires.py IDSD OUT_DIR

idsd follows Suricata 7.0's rule language: a rule whose "requires" it meets
loads and alerts; one that requires a later version, a feature it does not
provide, or a requirement it does not know is skipped (said as
"file:line: skipped: ...", counted apart, not a failure, so -T and
--strict-rules still exit 0), even when it holds keywords idsd does not
know; a requires that does not parse fails the rule with file:line."""
import os
import shutil
import subprocess
import sys

from e2e_check import alert_sids, check, run_idsd
from pcapgen import udp_frame, write_pcap

RULES = [
    'alert udp any any -> any 9999 (msg:"7.0"; requires: version >= 7.0.3 < 8; '
    'content:"ping"; sid:1;)',
    'alert udp any any -> any 9999 (msg:"8.0"; requires: version >= 8; '
    'content:"ping"; sid:2;)',
    'alert udp any any -> any 9999 (msg:"8.0 keyword"; requires: version >= 8.0.0; '
    'udp.payload_new; content:"ping"; sid:3;)',
    'alert udp any any -> any 9999 (msg:"either"; requires: version >= 8 | >= 7 < 7.1; '
    'content:"ping"; sid:4;)',
    'alert udp any any -> any 9999 (msg:"lua"; requires: feature lua; lua:x.lua; sid:5;)',
    'alert udp any any -> any 9999 (msg:"ja3"; requires: feature ja3; content:"ping"; '
    'sid:6;)',
]


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    pcap, rules = os.path.join(out, "req.pcap"), os.path.join(out, "req.rules")
    write_pcap(pcap, [udp_frame(bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]), 5000, 9999,
                                b"ping")])
    with open(rules, "w", encoding="utf-8") as f:
        f.write("\n".join(RULES) + "\n")
    p = subprocess.run([idsd, "-T", "--strict-rules", "-S", rules], capture_output=True,
                       text=True, timeout=120)
    msgs = p.stdout + p.stderr
    check(p.returncode == 0, f"-T --strict-rules exits 0 with skipped rules: {p.returncode}")
    check("rules: 3 loaded, 0 failed" in msgs and
          "rules skipped (requires not met): 3" in msgs, f"3 loaded, 3 skipped: {msgs[-500:]}")
    for line, why in ((2, "requires version >= 8 (this engine follows Suricata 7.0.10)"),
                      (3, "requires version >= 8.0.0 (this engine follows Suricata 7.0.10)"),
                      (5, "requires feature lua, which this engine does not provide")):
        check(f"{rules}:{line}: skipped: {why}" in msgs, f"line {line} skipped: {why}")
    eve = run_idsd(idsd, out, pcap, [rules], loaded=3)
    check(alert_sids(eve) == [1, 4, 6], f"only the rules whose requires hold alert: "
          f"{alert_sids(eve)}")
    bad = os.path.join(out, "bad.rules")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('alert udp any any -> any any (requires: version 7; sid:1;)\n')
    p = subprocess.run([idsd, "-T", "-S", bad], capture_output=True, text=True, timeout=120)
    check(p.returncode == 1 and f"{bad}:1: invalid requires version: '7'" in p.stderr,
          f"a bad requires fails its rule: {p.returncode} {p.stderr[-300:]}")


if __name__ == "__main__":
    main()
