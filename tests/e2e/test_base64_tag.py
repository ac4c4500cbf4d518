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
import json
import os
import shutil
import struct
import subprocess
import sys


def frame(payload, sport=40000, dport=5000):
    src, dst = bytes([10, 0, 0, 1]), bytes([192, 168, 1, 1])
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + len(payload), 1, 0x4000, 64, 17, 0,
                     src, dst)
    s = sum(struct.unpack("!10H", ip))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    ip = ip[:10] + struct.pack("!H", ~s & 0xFFFF) + ip[12:]
    eth = b"\x00\x00\x00\x00\x00\x02" + b"\x00\x00\x00\x00\x00\x01" + b"\x08\x00"
    return eth + ip + udp + payload


PAYLOADS = [b"x=SGVsbG8gV29ybGQ=", b"TAGME"] + [b"data %d" % i for i in range(6)]
RULES = [
    'alert udp any any -> any any (msg:"b64"; content:"x="; base64_decode:relative; '
    'base64_data; content:"Hello World"; startswith; sid:1;)',
    'alert udp any any -> any any (msg:"b64 miss"; base64_decode; base64_data; '
    'content:"Hello World"; sid:2;)',
    'alert udp any any -> any any (msg:"tag"; content:"TAGME"; tag:session,4,packets; sid:3;)',
]
CONFIG = """%YAML 1.1
---
outputs:
  - eve-log:
      enabled: yes
      filename: eve.json
      types:
        - alert:
            tagged-packets: {on}
"""


def run(idsd, out, pcap, rules, on):
    os.makedirs(out)
    cfg = os.path.join(out, "idsd.yaml")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(CONFIG.format(on="yes" if on else "no"))
    p = subprocess.run([idsd, "-c", cfg, "-r", pcap, "-S", rules, "-l", out,
                        "--strict-rules"], capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        return None, f"idsd rc {p.returncode}: {p.stderr[-500:]}"
    with open(os.path.join(out, "eve.json"), encoding="utf-8") as f:
        return [json.loads(line) for line in f], None


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    fails = []
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    pcap = os.path.join(out, "udp.pcap")
    rules = os.path.join(out, "b64tag.rules")
    frames = [frame(p) for p in PAYLOADS]
    with open(pcap, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, i * 1000, len(fr), len(fr)))
            f.write(fr)
    with open(rules, "w", encoding="utf-8") as f:
        f.write("\n".join(RULES) + "\n")

    recs, e = run(idsd, os.path.join(out, "on"), pcap, rules, True)
    if e:
        fails.append(e)
    else:
        sids = sorted(r["alert"]["signature_id"] for r in recs if r["event_type"] == "alert")
        if sids != [1, 3]:
            fails.append(f"alerts: got sids {sids}, want [1, 3]")
        pkts = [r for r in recs if r["event_type"] == "packet"]
        want = [base64.b64encode(fr).decode() for fr in frames[2:5]]
        if [r.get("packet") for r in pkts] != want:
            fails.append(f"packet records: got {len(pkts)} {[r.get('packet') for r in pkts]}, "
                         f"want the frames 3 to 5")
        for r in pkts:
            if r.get("packet_info", {}).get("linktype") != 1 or "flow_id" not in r:
                fails.append(f"packet record lacks linktype 1 or flow_id: {r}")
    recs, e = run(idsd, os.path.join(out, "off"), pcap, rules, False)
    if e:
        fails.append(e)
    elif any(r["event_type"] == "packet" for r in recs):
        fails.append("tagged-packets: no still logged packet records")

    bad = os.path.join(out, "bad.rules")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('alert udp any any -> any any (content:"a"; sid:1;)\n')
        f.write('alert udp any any -> any any (base64_data; content:"a"; sid:2;)\n')
        f.write('alert udp any any -> any any (tag:host,10,packets,both; sid:3;)\n')
    p = subprocess.run([idsd, "-T", "-S", bad], capture_output=True, text=True, timeout=120)
    msgs = p.stdout + p.stderr
    for want_msg in (f"{bad}:2: base64_data needs a preceding base64_decode",
                     f"{bad}:3: invalid tag direction 'both': src or dst",
                     "1 loaded, 2 failed"):
        if want_msg not in msgs:
            fails.append(f"-T output lacks {want_msg!r}: {msgs[-600:]}")
    for f_ in fails:
        print("not ok:", f_)
    print("ok" if not fails else "FAILED")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
