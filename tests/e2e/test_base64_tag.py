#!/usr/bin/env python3
"""End-to-end test of base64_decode/base64_data and tag:session.

usage: test_base64_tag.py IDSD OUT_DIR

Writes a capture of one UDP flow: a base64 payload, a packet that fires a
tag:session,4,packets rule, then six more. With alert tagged-packets on,
eve.json must hold one alert of each rule and exactly 3 "packet" records
(Suricata counts the alerting packet as the first of the 4 and does not tag
it), the frames that followed the alert; with it off, none. -T on a rule
with base64_data and no base64_decode must name the file and line."""
import base64
import os
import shutil
import sys

from e2e_check import Checks, alert_sids, check_rule_errors, eve_conf, run_capture
from pcapgen import udp_frame


PAYLOADS = [b"x=SGVsbG8gV29ybGQ=", b"TAGME"] + [b"data %d" % i for i in range(6)]
RULES = [
    'alert udp any any -> any any (msg:"b64"; content:"x="; base64_decode:relative; '
    'base64_data; content:"Hello World"; startswith; sid:1;)',
    'alert udp any any -> any any (msg:"b64 miss"; base64_decode; base64_data; '
    'content:"Hello World"; sid:2;)',
    'alert udp any any -> any any (msg:"tag"; content:"TAGME"; tag:session,4,packets; sid:3;)',
]


def conf(tagged):
    return eve_conf("""
- alert:
    tagged-packets: %s
""" % ("yes" if tagged else "no"))


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    check = Checks()
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    cli, srv = bytes([10, 0, 0, 1]), bytes([192, 168, 1, 1])
    frames = [udp_frame(cli, srv, 40000, 5000, p) for p in PAYLOADS]
    os.makedirs(os.path.join(out, "on"))
    recs = run_capture(idsd, os.path.join(out, "on"), "udp", frames, RULES, conf(True),
                       ["--strict-rules"])
    sids = alert_sids(recs)
    check(sids == [1, 3], f"alerts: got sids {sids}, want [1, 3]")
    pkts = [r for r in recs if r["event_type"] == "packet"]
    want = [base64.b64encode(fr).decode() for fr in frames[2:5]]
    check([r.get("packet") for r in pkts] == want,
          f"packet records: got {len(pkts)} {[r.get('packet') for r in pkts]}, "
          f"want the frames 3 to 5")
    for r in pkts:
        check(r.get("packet_info", {}).get("linktype") == 1 and "flow_id" in r,
              f"packet record has linktype 1 and a flow_id: {r}")
    os.makedirs(os.path.join(out, "off"))
    recs = run_capture(idsd, os.path.join(out, "off"), "udp", frames, RULES, conf(False),
                       ["--strict-rules"])
    check(not any(r["event_type"] == "packet" for r in recs),
          "tagged-packets: no: no packet records")

    check_rule_errors(idsd, out, [
        'alert udp any any -> any any (content:"a"; sid:1;)',
        'alert udp any any -> any any (base64_data; content:"a"; sid:2;)',
        'alert udp any any -> any any (tag:host,10,packets,both; sid:3;)',
    ], ["BAD:2: base64_data needs a preceding base64_decode",
        "BAD:3: invalid tag direction 'both': src or dst", "1 loaded, 2 failed"], check)
    return check.done("base64/tag")


if __name__ == "__main__":
    sys.exit(main())
