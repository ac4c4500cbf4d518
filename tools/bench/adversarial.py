#!/usr/bin/env python3
"""The adversarial benchmark: per-packet cost of each hostile traffic class
against benign traffic, through ids-bench's full pipeline (mode c).

usage: adversarial.py [--bench PATH] [--rules FILE] [--seconds N] [--out DIR]
                      [--classes a,b,...]

Each class is written as a capture (hostile.py), run alone by
`ids-bench -r CAPTURE -S RULES --workers 1 --json`, and reported as cycles
and nanoseconds per packet and as a multiple of the benign figure; the last
line names the worst class. ids-bench replays a capture in a loop, so a
class is measured over its whole capture and over replays of it (a replayed
fragment of a datagram given up stays cheap; a replayed flow is a
retransmission): the figures are means per packet, not single worst packets.
It prints figures and asserts nothing about time."""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile  # noqa: E402


def fragment_floods():
    """200 datagrams, each with 500 copies of its first fragment."""
    out = []
    for d in range(200):
        out += hostile.fragment_flood(500, ident=d + 1, start_us=d * 1000)
    return out


def pipelined():
    """20 connections of 5,000 pipelined requests each (past max-tx)."""
    reqs = b"GET /p HTTP/1.1\r\nHost: a\r\n\r\n" * 5000
    out = []
    for i in range(20):
        out += hostile.tcp_session(reqs, sport=30000 + i, start_us=i * 10**6)
    return out


CLASSES = {
    "benign": lambda: hostile.benign_http(2000),
    "fragment-flood": fragment_floods,
    "pipelined-requests": pipelined,
    "overlapping-retransmissions": lambda: hostile.overlap_retransmissions(400),
    "flow-flood": lambda: hostile.flow_flood(200000),
    "deep-header-chains": lambda: hostile.deep_headers(20000),
}


def measure(bench, pcap, rules, seconds):
    p = subprocess.run([bench, "-r", pcap, "-S", rules, "--workers", "1",
                        "--seconds", str(seconds), "--json"],
                       capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        raise RuntimeError(f"ids-bench {pcap}: rc {p.returncode}: {p.stderr[-400:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", default=os.path.join(here, "..", "..", "build", "tools",
                                                    "bench", "ids-bench"))
    ap.add_argument("--rules", default=os.path.join(here, "small.rules"))
    ap.add_argument("--seconds", type=float, default=2)
    ap.add_argument("--out", default="adversarial-out")
    ap.add_argument("--classes", default=",".join(CLASSES))
    a = ap.parse_args()
    names = a.classes.split(",")
    unknown = [n for n in names if n not in CLASSES]
    if unknown:
        ap.error("unknown class: " + ", ".join(unknown))
    if "benign" not in names:
        names.insert(0, "benign")
    os.makedirs(a.out, exist_ok=True)
    rows = {}
    for name in names:
        pcap = os.path.join(a.out, name + ".pcap")
        frames = CLASSES[name]()
        hostile.write_pcap(pcap, frames)
        r = measure(a.bench, pcap, a.rules, a.seconds)
        rows[name] = (len(frames), r["full_pps"], r["full_cycles_per_pkt"])
    base = rows["benign"][2] or 1.0
    print(f"{'class':30} {'frames':>9} {'full pkt/s':>12} {'cycles/pkt':>11} {'ns/pkt':>9} "
          f"{'x benign':>9}")
    for name, (n, pps, cyc) in rows.items():
        ns = 1e9 / pps if pps else float("inf")
        print(f"{name:30} {n:9d} {pps:12.0f} {cyc:11.1f} {ns:9.1f} {cyc / base:9.2f}")
    worst = max((k for k in rows if k != "benign"), key=lambda k: rows[k][2], default=None)
    if worst is not None:
        print(f"worst: {worst}, {rows[worst][2] / base:.2f} x the benign cost per packet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
