#!/usr/bin/env python3
"""frame:dns.pdu on the real idsd: usage: test_frame.py IDSD OUT_DIR

A crafted capture (pcapgen): a DNS query and its answer over UDP, the same
over TCP (two messages in one segment, each behind its 2-byte length), and
a UDP datagram on another port that holds the same bytes but is no DNS.
Suricata 7's dns.pdu frame is a DNS message: over UDP the datagram's
payload, over TCP the message without its length prefix, so one rule
(suricata-verify's dns-frames, sids 1 and 2) matches both at the same
offsets; a frame is inspected in its own direction; bytes that are no DNS
message are no frame. Rules that Suricata 7 refuses are refused with its
reasons, and frames idsd does not implement are refused, not ignored.
Transaction rules keep their header's transport (alert tcp ... dns.query
is DNS over TCP only)."""
import os
import shutil
import struct
import sys

from e2e_check import check, check_rule_errors, run_capture
from pcapgen import Tcp, udp_frame

CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 53])


def qname(name):
    return b"".join(bytes([len(p)]) + p for p in name.split(b".")) + b"\x00"


def query(tid, name):
    return struct.pack("!HHHHHH", tid, 0x0120, 1, 0, 0, 0) + qname(name) + b"\x00\x01\x00\x01"


def answer(tid, name):
    return (struct.pack("!HHHHHH", tid, 0x8180, 1, 1, 0, 0) + qname(name) +
            b"\x00\x01\x00\x01" + b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04" +
            bytes([192, 0, 2, 1]))


RULES = [
    # (rule, alerts wanted)
    # suricata-verify dns/dns-frames: the query over TCP, the query over UDP
    ('alert tcp any any -> any any (msg:"DNS TCP Frame"; flow:to_server; frame:dns.pdu; '
     'content:"|01 20 00 01|"; offset:2; content:"suricata"; offset:13; sid:1; rev:1;)', 1),
    ('alert udp any any -> any any (msg:"DNS UDP Frame"; flow:to_server; frame:dns.pdu; '
     'content:"|01 20 00 01|"; offset:2; content:"suricata"; offset:13; sid:2; rev:1;)', 1),
    # the short form in a dns rule: both answers, in their own direction
    ('alert dns any any -> any any (msg:"answers"; frame:pdu; content:"|81 80|"; offset:2; '
     'depth:2; sid:3;)', 2),
    # the TCP frame starts at the message's id, not at its length prefix
    ('alert tcp any any -> any any (msg:"tcp id"; frame:dns.pdu; content:"|ab cd|"; '
     'depth:2; sid:4;)', 2),
    # UDP only: the query and the answer (both hold the name); the other
    # port's datagram is no DNS
    ('alert udp any any -> any any (msg:"udp name"; frame:dns.pdu; content:"suricata"; '
     'sid:5;)', 2),
    ('alert dns any any -> any any (msg:"query to client"; flow:to_client; frame:dns.pdu; '
     'content:"|01 20 00 01|"; offset:2; depth:4; sid:6;)', 0),
    # the bytes of the other port's datagram, as a frame: no DNS, no frame
    ('alert udp any any -> any any (msg:"not dns"; frame:dns.pdu; content:"not dns"; '
     'sid:7;)', 0),
    # a transaction rule keeps its header's transport: DNS runs over both
    ('alert tcp any any -> any any (msg:"tcp query"; dns.query; content:"suricata.io"; '
     'sid:8;)', 1),
    ('alert udp any any -> any any (msg:"udp query"; dns.query; content:"suricata.io"; '
     'sid:9;)', 1),
]


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = [udp_frame(CLI, SRV, 40000, 53, query(0x1111, b"suricata.io")),
              udp_frame(SRV, CLI, 53, 40000, answer(0x1111, b"suricata.io")),
              udp_frame(CLI, SRV, 40001, 9999, query(0x2222, b"suricata.io") + b"not dns")]
    t = Tcp(frames, CLI, SRV, 40002, 53)
    q, a = query(0xabcd, b"www.suricata.io"), answer(0xabcd, b"www.suricata.io")
    t.send(0, struct.pack("!H", len(q)) + q)
    t.send(1, struct.pack("!H", len(a)) + a + struct.pack("!H", len(a)) + a[:6] + b"\x00" * 6)
    t.close()
    eve = run_capture(idsd, out, "frame", frames, [r for r, _ in RULES])
    alerts = [e for e in eve if e.get("event_type") == "alert"]
    for sid, (rule, n) in enumerate(RULES, 1):
        got = sum(1 for a in alerts if a["alert"]["signature_id"] == sid)
        check(got == n, f"sid {sid}: {got} alerts, want {n}")
    check_rule_errors(idsd, out, [
        'alert icmp any any -> any any (frame:dns.pdu; content:"a"; sid:1;)',
        'alert udp any any -> any any (frame:tls.pdu; content:"a"; sid:2;)',
        'alert smb any any -> any any (frame:tls.pdu; content:"a"; sid:3;)',
        'alert tcp any any -> any any (frame:pdu; content:"a"; sid:4;)',
        'alert dns any any -> any any (content:"abc"; frame:dns.pdu; content:"a"; sid:5;)',
        'alert dns any any -> any any (dns.opcode:0; frame:dns.pdu; content:"a"; sid:6;)',
        'alert tls any any -> any any (frame:tls.pdu; content:"a"; sid:7;)',
        'alert dns any any -> any any (frame:dns.nope; content:"a"; sid:8;)',
        'alert dns any any -> any any (frame:dns.pdu; content:"a"; dns.query; '
        'content:"b"; sid:9;)',
    ], ["BAD:1: 'frame' keyword only supported for TCP and UDP",
        "BAD:2: unknown frame 'pdu' for protocol 'tls'",
        "BAD:3: frame 'tls.pdu' protocol 'tls' mismatch with rule protocol 'smb'",
        "BAD:4: rule protocol unknown, can't use shorthand notation for frame 'pdu'",
        "BAD:5: a frame rule inspects its frame only",
        "BAD:6: a frame rule inspects its frame only",
        "BAD:7: frame 'tls.pdu' is not supported (idsd implements dns.pdu)",
        "BAD:8: unknown frame 'nope' for protocol 'dns'",
        "BAD:9: a frame rule inspects its frame only"])


if __name__ == "__main__":
    main()
