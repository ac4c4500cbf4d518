#!/usr/bin/env python3
"""Decoder events end to end: usage: test_decode_events.py IDSD SRC_ROOT OUT_DIR.

Runs idsd over tests/data/decode-events/events.pcap (Ethernet) and ppp.pcap
(LINKTYPE_PPP), crafted with scapy by make_decode_events.py, one frame per
Suricata 7 decoder event of IPv4 options, IPv6 extension headers, ICMP
quoted headers, UDP lengths, VLAN, 802.1ah, DCE, ERSPAN and PPP, with
Suricata 7.0.0's own decoder-events.rules (tests/data/suricata-events,
unchanged; the four rules it ships commented out enabled from a copy of
their lines) and anomaly records of type decode on. For every frame, the
anomaly records written for it must name exactly the events expected.json
lists (so a clean frame raises none), and the alerts on it must be exactly
the sids of the rules for those events. Datagrams carried by 802.1ah, DCE
and PPP must be decoded and inspected (a content rule fires on each)."""
import json
import os
import re
import shutil
import sys

from e2e_check import Checks, eve_conf, run_idsd

check = Checks()

CONFIG = eve_conf("""
- alert
- anomaly:
    enabled: yes
    types: {decode: yes}
- stats:
    totals: yes
""")

LOCAL = """\
alert udp any any -> any 9999 (msg:"pbb inner"; content:"pbb-marker"; sid:9101;)
alert udp any any -> any 9999 (msg:"dce inner"; content:"dce-marker"; sid:9102;)
alert udp any any -> any 9999 (msg:"ppp inner"; content:"ppp-marker"; sid:9103;)
"""
# frame (1-based) -> the local sid it must fire, per capture
INNER = {"events.pcap": {40: 9101, 41: 9102}, "ppp.pcap": {7: 9103}}


def rule_sids(path):
    """decode-event name -> sid of the rules of Suricata's file, those it
    ships commented out included; and those commented-out lines."""
    sids, disabled = {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r'(#?)alert .*decode-event:\s*([^;]+);.*sid:(\d+);', line)
            if m:
                sids[m.group(2).strip().replace("decoder.", "")] = int(m.group(3))
                if m.group(1):
                    disabled.append(line[1:])
    return sids, disabled


def run(idsd, out, pcap, rules):
    os.makedirs(out)
    return run_idsd(idsd, out, pcap, rules, CONFIG, ["--strict-rules"])


def main():
    idsd, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
    data = os.path.join(root, "tests", "data", "decode-events")
    suri = os.path.join(root, "tests", "data", "suricata-events", "decoder-events.rules")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    local = os.path.join(out, "local.rules")
    with open(local, "w", encoding="utf-8") as f:
        f.write(LOCAL)
    # the rules Suricata ships commented out (ipv4.opt_pad_required,
    # ipv6.zero_len_padn, ipv6.unknown_next_header, icmpv6.unknown_type),
    # enabled as an operator would: its file stays unchanged
    sids, disabled = rule_sids(suri)
    check(len(disabled) == 4, f"commented-out decoder rules: {len(disabled)}, want 4")
    enabled = os.path.join(out, "enabled.rules")
    with open(enabled, "w", encoding="utf-8") as f:
        f.writelines(disabled)
    with open(os.path.join(data, "expected.json"), encoding="utf-8") as f:
        expected = json.load(f)
    named = set()
    for pcap, frames in expected.items():
        recs = run(idsd, os.path.join(out, pcap), os.path.join(data, pcap),
                   (suri, enabled, local))
        anomalies, alerts = {}, {}
        for r in recs:
            n = r.get("pcap_cnt")
            if r.get("event_type") == "anomaly" and r["anomaly"].get("type") == "decode":
                anomalies.setdefault(n, set()).add(r["anomaly"]["event"])
            elif r.get("event_type") == "alert":
                alerts.setdefault(n, set()).add(r["alert"]["signature_id"])
        for i, want in enumerate(frames, 1):
            named.update(want)
            got = anomalies.get(i, set())
            check(got == {"decoder." + e for e in want},
                  f"{pcap} frame {i}: anomalies {sorted(got)}, want {want}")
            want_sids = {sids[e] for e in want}
            if i in INNER[pcap]:
                want_sids.add(INNER[pcap][i])
            check(alerts.get(i, set()) == want_sids,
                  f"{pcap} frame {i}: alerts {sorted(alerts.get(i, set()))}, "
                  f"want {sorted(want_sids)} ({want})")
        extra = set(anomalies) - set(range(1, len(frames) + 1))
        check(not extra, f"{pcap}: anomalies on packets that are no frame: {extra}")
    missing = [e for e in named if e not in sids]
    check(not missing, f"events without a rule in decoder-events.rules: {missing}")
    return check.done("decode events")


if __name__ == "__main__":
    sys.exit(main())
