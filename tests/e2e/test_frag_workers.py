#!/usr/bin/env python3
"""IP fragments with 1, 2 and 4 workers: usage: test_frag_workers.py IDSD OUT_DIR.

autofp's reader gives a frame to a worker by its flow; a later fragment
carries no ports, so without the reader remembering where its datagram's
first fragment went it lands on another worker and the datagram is never
reassembled. A crafted capture of UDP datagrams split in two fragments
(IPv4 and IPv6; most in order, some with the later fragment first), each
from its own source port, each answered by an unfragmented datagram on the
same ports, is read with pcap-file.threads 1, 2 and 4: a content rule that
spans the fragments fires on every datagram with every worker count, at
the same packets; each answer meets its request in one flow, with every
worker count for datagrams whose first fragment came first. (A datagram
whose later fragment comes first is sent by its address pair, as the
reader cannot know its ports yet: reassembled and inspected all the same,
but its flow may be another worker's than its answer's.)"""
import collections
import os
import shutil
import struct
import sys

from e2e_check import check, eve_conf, run_idsd
from pcapgen import csum, ipv4, ipv6, write_pcap

DATAGRAMS = 48
RULES = [
    'alert udp any any -> any any (msg:"spans the fragments"; content:"FRAG-SPANNING-SECRET"; '
    'sid:1;)',
    'alert udp any any -> any any (msg:"answer"; content:"ANSWER"; sid:2;)',
]
A4, B4 = bytes([10, 9, 0, 1]), bytes([10, 9, 0, 2])
A6 = bytes.fromhex("20010db8000900000000000000000001")
B6 = bytes.fromhex("20010db8000900000000000000000002")


def udp(src, dst, sp, dp, payload):
    u = struct.pack("!HHHH", sp, dp, 8 + len(payload), 0)
    if len(src) == 16:
        pseudo = struct.pack("!16s16sIxxxB", src, dst, len(u) + len(payload), 17)
    else:
        pseudo = struct.pack("!4s4sBBH", src, dst, 0, 17, len(u) + len(payload))
    return u[:6] + struct.pack("!H", csum(pseudo + u + payload) or 0xffff) + payload


def frag4(src, dst, ident, off, mf, chunk):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(chunk), ident,
                     (0x2000 if mf else 0) | off // 8, 64, 17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + chunk


def frag6(src, dst, ident, off, mf, chunk):
    fh = struct.pack("!BBHI", 17, 0, off | (1 if mf else 0), ident)
    return ipv6(src, dst, 44, fh + chunk)


def reversed_first(i):
    """Whether datagram i's later fragment comes first."""
    return i % 4 == 1


def capture():
    frames = []
    for i in range(DATAGRAMS):
        v6 = i % 3 == 2
        src, dst = (A6, B6) if v6 else (A4, B4)
        sp = 30000 + i
        payload = b"X" * 60 + b"FRAG-SPANNING-SECRET" + b"Y" * 60
        d = udp(src, dst, sp, 5353, payload)
        cut = 72          # a multiple of 8, inside the secret
        make = frag6 if v6 else frag4
        first = make(src, dst, 500 + i, 0, True, d[:cut])
        later = make(src, dst, 500 + i, cut, False, d[cut:])
        frames += [later, first] if reversed_first(i) else [first, later]
        answer = udp(dst, src, 5353, sp, b"ANSWER %d" % i)
        frames.append(ipv6(dst, src, 17, answer) if v6 else ipv4(dst, src, 17, answer))
    return frames


WORKERS_CONF = eve_conf("""
- alert
- flow
- stats
""")


def run(idsd, pcap, rules, out, workers):
    log = os.path.join(out, f"w{workers}")
    os.makedirs(log)
    recs = run_idsd(idsd, log, pcap, [rules], WORKERS_CONF,
                    ["-k", "all", "--set", f"pcap-file.threads={workers}"], loaded=len(RULES),
                    timeout=280)
    alerts, flows = collections.Counter(), {}
    for e in recs:
        if e["event_type"] == "alert":
            alerts[(e["alert"]["signature_id"], e["timestamp"], e["src_ip"],
                    e["src_port"])] += 1
        elif e["event_type"] == "flow":
            key = (e["src_ip"], e["src_port"], e["dest_ip"], e["dest_port"])
            check(key not in flows, f"{workers} worker(s): {key} is one flow")
            flows[key] = (e["flow"]["pkts_toserver"], e["flow"]["pkts_toclient"])
    return alerts, flows


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    pcap, rules = os.path.join(out, "frag.pcap"), os.path.join(out, "frag.rules")
    write_pcap(pcap, capture())
    with open(rules, "w", encoding="utf-8") as f:
        f.write("\n".join(RULES) + "\n")
    alerts, flows = run(idsd, pcap, rules, out, 1)
    by_sid = collections.Counter()
    for (sid, *_), n in alerts.items():
        by_sid[sid] += n
    check(by_sid[1] == DATAGRAMS and by_sid[2] == DATAGRAMS,
          f"1 worker: every datagram reassembled and answered: {dict(by_sid)}")
    check(len(flows) == DATAGRAMS and all(v[1] == 1 for v in flows.values()),
          f"1 worker: each answer in its request's flow: {len(flows)} flows")
    for workers in (2, 4):
        a, f = run(idsd, pcap, rules, out, workers)
        check(a == alerts, f"{workers} workers: the same alerts as 1 "
              f"(missing {sorted((alerts - a).elements())[:3]}, "
              f"extra {sorted((a - alerts).elements())[:3]})")
        in_order = {k: v for k, v in flows.items() if not reversed_first(k[1] - 30000)}
        got = {k: v for k, v in f.items() if k in in_order}
        check(got == in_order, f"{workers} workers: the same flows as 1 "
              f"{sorted(set(got.items()) ^ set(in_order.items()))[:4]}")


if __name__ == "__main__":
    main()
