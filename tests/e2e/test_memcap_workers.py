#!/usr/bin/env python3
"""Memcaps are one budget for the process, as Suricata's: usage:
test_memcap_workers.py IDSD OUT_DIR.

Three crafted captures, each read with pcap-file.threads 1, 2 and 4 and a
memcap small enough to be reached about half way, with nothing freed
before the end (no flow ends, no datagram completes), so the count of
what the memcap refused depends only on the budget, not on which worker
asked first:
- flows: single-datagram UDP flows under flow.memcap (each new flow past
  it forces one out, flow.get_used, or, all still alive, gets none,
  flow.get_used_failed: their sum);
- sessions: TCP handshakes and one data segment each under stream.memcap
  and stream.reassembly.memcap (tcp.ssn_memcap_drop, tcp.segment_memcap_drop);
- fragments: first fragments of datagrams whose rest never comes, from 64
  sources, under defrag.memcap (defrag.memcap_exceeded).
With one budget per worker (the old behaviour) two workers would hold
twice as much and refuse far fewer; here each count is the same with 1, 2
and 4 workers, and non-zero."""
import os
import shutil
import subprocess
import sys

from e2e_check import check, last_stats
from pcapgen import Tcp, udp_frame, write_pcap
from test_frag_workers import frag4, udp

RULES = ['alert ip any any -> any any (msg:"never"; content:"NEVER-IN-THIS-CAPTURE"; sid:1;)']


def flows():
    return [udp_frame(bytes([10, 2, i >> 8 & 0xff, i & 0xff]), bytes([192, 168, 7, 1]),
                      1024 + i, 53, b"flow %d" % i) for i in range(3000)]


def sessions():
    frames = []
    for i in range(600):
        t = Tcp(frames, bytes([10, 3, i >> 8, i & 0xff]), bytes([192, 168, 8, 1]),
                20000 + i, 80, handshake=True)
        t.send(0, b"DATA %05d " % i + b"x" * 200)
    return frames


def fragments():
    frames = []
    for i in range(800):
        src, dst = bytes([10, 4, 0, i % 64]), bytes([192, 168, 9, 1])
        d = udp(src, dst, 40000 + i, 5353, b"F" * 1200)
        frames.append(frag4(src, dst, 100 + i, 0, True, d[:1000]))
    return frames


SCENARIOS = {
    "flows": (flows, ["flow.memcap=600kb"], ["flow.get_used+flow.get_used_failed"]),
    "sessions": (sessions, ["stream.memcap=150kb", "stream.reassembly.memcap=64kb"],
                 ["tcp.ssn_memcap_drop", "tcp.segment_memcap_drop"]),
    "fragments": (fragments, ["defrag.memcap=400kb"], ["defrag.memcap_exceeded"]),
}


def counter(stats, name):
    """The counter NAME, or the sum of the counters A+B+..."""
    total = 0
    for one in name.split("+"):
        v = stats
        for part in one.split("."):
            v = v.get(part, {}) if isinstance(v, dict) else {}
        total += v if isinstance(v, int) else 0
    return total


def run(idsd, out, name, pcap, rules, sets, nframes, workers):
    log = os.path.join(out, f"{name}-w{workers}")
    os.makedirs(log)
    cmd = [idsd, "-r", pcap, "-S", rules, "-l", log, "--set", f"pcap-file.threads={workers}"]
    for s in sets:
        cmd += ["--set", s]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, f"{name}, {workers} worker(s): idsd rc {p.returncode}: "
          f"{p.stderr[-500:]}")
    check(f"processed: {nframes} packets" in p.stdout,
          f"{name}, {workers} worker(s): every frame inspected")
    return last_stats(os.path.join(log, "eve.json"))


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    rules = os.path.join(out, "memcap.rules")
    with open(rules, "w", encoding="utf-8") as f:
        f.write("\n".join(RULES) + "\n")
    for name, (make, sets, counters) in SCENARIOS.items():
        frames = make()
        pcap = os.path.join(out, name + ".pcap")
        write_pcap(pcap, frames)
        one = run(idsd, out, name, pcap, rules, sets, len(frames), 1)
        want = {c: counter(one, c) for c in counters}
        check(all(v > 0 for v in want.values()), f"{name}, 1 worker: the memcap reached {want}")
        check("memuse" in one.get("flow", {}), f"{name}: flow.memuse in the stats")
        for workers in (2, 4):
            st = run(idsd, out, name, pcap, rules, sets, len(frames), workers)
            got = {c: counter(st, c) for c in counters}
            check(got == want, f"{name}, {workers} workers: the same refusals as 1: {got}")


if __name__ == "__main__":
    main()
