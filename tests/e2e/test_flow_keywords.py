#!/usr/bin/env python3
"""Suricata 7's flow counter keywords and icmpv6.mtu on the real idsd: usage:
test_flow_keywords.py IDSD OUT_DIR

A crafted capture (pcapgen): one TCP session to port 9000 whose client
sends "hello" 1 s after the handshake and "later" 12 s after it, and an
ICMPv6 Packet Too Big (MTU 1280). Each rule is a packet rule (dsize, no
content), so the expected alerts are the packets whose flow counters hold:
flow.age (whole seconds since the flow's first packet), flow.pkts_* and
flow.bytes_* (the current packet counted, whole frames as Suricata counts
them), icmpv6.mtu (type 2 code 0 only). Bad values fail with file:line and
the reason."""
import os
import shutil
import struct
import sys

from e2e_check import alert_sids, check, check_rule_errors, run_capture
from pcapgen import Tcp, csum, ipv6

CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
V6A = bytes.fromhex("20010db8000000000000000000000001")
V6B = bytes.fromhex("20010db8000000000000000000000002")

RULES = [
    # the "later" segment only: 12 s into the flow
    'alert tcp any any -> any 9000 (msg:"old flow"; flow.age:>10; dsize:>0; sid:1;)',
    # the "hello" segment only
    'alert tcp any any -> any 9000 (msg:"young flow"; flow.age:<=10; dsize:>0; sid:2;)',
    # SYN, ACK, hello, later: the 4th packet to the server is "later"
    'alert tcp any any -> any 9000 (msg:"4th to server"; flow.pkts_toserver:4; sid:3;)',
    # at "later": SYN/ACK and the ack of hello came back (2), the client sent
    # 54 + 54 + 59 + 59 = 226 bytes of frames
    'alert tcp any any -> any 9000 (msg:"bytes"; flow.pkts_toclient:2; '
    'flow.bytes_toserver:>200; dsize:>0; sid:4;)',
    # never: no direction of this flow sees 100 packets
    'alert tcp any any -> any 9000 (msg:"many"; flow.pkts_toclient:>=100; sid:5;)',
    'alert icmpv6 any any -> any any (msg:"small mtu"; icmpv6.mtu:<1500; sid:6;)',
    'alert icmpv6 any any -> any any (msg:"mtu 1500"; icmpv6.mtu:1500; sid:7;)',
    # not an IP-only rule: checked on each packet (the two at 12 s), not once per side
    'alert ip any any -> any any (msg:"age ip"; flow.age:12; sid:8;)',
]


def packet_too_big(mtu):
    inner = ipv6(V6B, V6A, 17, struct.pack("!HHHH", 5000, 53, 8, 0))[14:]
    body = struct.pack("!BBHI", 2, 0, 0, mtu) + inner
    pseudo = struct.pack("!16s16sIxxxB", V6A, V6B, len(body), 58)
    body = body[:2] + struct.pack("!H", csum(pseudo + body)) + body[4:]
    return ipv6(V6A, V6B, 58, body)


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    t = Tcp(frames, CLI, SRV, 40000, 9000)
    secs = [0, 0, 0]
    t.send(0, b"hello")
    secs += [1, 1]
    t.send(0, b"later")
    secs += [12, 12]
    t.close()
    secs += [13, 13, 13]
    frames.append(packet_too_big(1280))
    secs.append(14)
    eve = run_capture(idsd, out, "flowkw", frames, RULES, secs=secs)
    check(alert_sids(eve) == [1, 2, 3, 4, 6, 8, 8],
          f"alerts as the counters say: {alert_sids(eve)}")
    check_rule_errors(idsd, out, [
        'alert tcp any any -> any any (flow.age:x; sid:1;)',
        'alert tcp any any -> any any (flow.bytes_toserver:>5000000000; sid:2;)',
        'alert icmpv6 any any -> any any (icmpv6.mtu:-1; sid:3;)',
    ], ["BAD:1: invalid flow.age: 'x'",
        "BAD:2: invalid flow.bytes_toserver: '>5000000000' (an integer comparison up to "
        "4294967295)",
        "BAD:3: invalid icmpv6.mtu: '-1'"])


if __name__ == "__main__":
    main()
