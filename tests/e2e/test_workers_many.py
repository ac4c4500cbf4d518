#!/usr/bin/env python3
"""Many frames over 1, 2 and 4 workers, host state touched throughout:
usage: test_workers_many.py IDSD OUT_DIR.

A crafted capture of 24,000 UDP datagrams (each from its own source port,
so the flow hash spreads them over every worker) from 40 hosts to 8
servers, far more than the readers' rings hold (1,024 frames per worker),
so the reader waits for room and workers wait for each other at the
capture-order gate while they sleep instead of spinning. Rules with state
per host, per pair and per rule (thresholds by_src, by_dst, by_both,
by_rule, a detection_filter, an xbit set and tested by source) fire and
are suppressed all along the capture; one rule has no shared state, so
most packets never wait. idsd reads it with pcap-file.threads 1, 2 and 4:
every frame inspected, and the same alerts (signature, addresses, ports,
timestamps) with every worker count; the stats count the gate's work."""
import collections
import json
import os
import shutil
import subprocess
import sys

from e2e_check import check
from pcapgen import udp_frame, write_pcap

FRAMES = 24000
RULES = [
    'content:"TH"; threshold:type threshold,track by_src,count 5,seconds 60;',
    'content:"LM"; threshold:type limit,track by_dst,count 3,seconds 30;',
    'content:"BO"; threshold:type both,track by_both,count 2,seconds 20;',
    'content:"RU"; threshold:type threshold,track by_rule,count 50,seconds 10;',
    'content:"DF"; detection_filter:track by_src,count 4,seconds 15;',
    'content:"SET"; xbits:set,mark,track ip_src,expire 5; noalert;',
    'content:"CHK"; xbits:isset,mark,track ip_src;',
    'content:"PLAIN";',
]
WORDS = [b"TH", b"LM", b"BO", b"RU", b"DF", b"SET", b"CHK", b"PLAIN", b"none", b"none"]


def frames():
    """The frames, their seconds (about 2 ms apart: 48 s in all, so the
    thresholds' windows and the xbit's expiry turn over), and how many
    carry each word."""
    out, secs, words = [], [], collections.Counter()
    for i in range(FRAMES):
        src = bytes([10, 1, i % 40 // 10, i % 40])
        dst = bytes([192, 168, 2, (i * 7) % 8])
        word = WORDS[(i * 13 + i // 40) % len(WORDS)]
        words[word] += 1
        out.append(udp_frame(src, dst, 1024 + i % 60000, 5000, word + b" payload %d" % i))
        secs.append(i // 500)
    return out, secs, words


def run(idsd, pcap, rules, out, workers):
    log = os.path.join(out, f"w{workers}")
    os.makedirs(log)
    p = subprocess.run([idsd, "-r", pcap, "-S", rules, "-l", log,
                        "--set", f"pcap-file.threads={workers}"],
                       capture_output=True, text=True, timeout=280)
    check(p.returncode == 0, f"{workers} worker(s): idsd rc {p.returncode}: {p.stderr[-500:]}")
    check(f"{len(RULES)} loaded, 0 failed" in p.stderr, f"{workers} worker(s): every rule loaded")
    check(f"processed: {FRAMES} packets" in p.stdout,
          f"{workers} worker(s): every frame inspected, none dropped")
    alerts = collections.Counter()
    stats = {}
    with open(os.path.join(log, "eve.json"), encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if e.get("event_type") == "alert":
                alerts[(e["alert"]["signature_id"], e["timestamp"], e["src_ip"], e["src_port"],
                        e["dest_ip"])] += 1
            elif e.get("event_type") == "stats":
                stats = e["stats"]
    gate = stats.get("capture", {}).get("gate", {})
    if workers == 1:
        check(not gate, f"1 worker: no capture-order gate: {gate}")
    else:
        check(gate.get("checks", 0) > 0 and gate.get("waits", 0) <= gate["checks"],
              f"{workers} workers: the gate's counters in stats: {gate}")
        check("capture-order gate:" in p.stdout, f"{workers} workers: the gate in the summary")
        print(f"{workers} workers: gate {gate}, autofp {stats['capture']['autofp']}")
    return alerts


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    pcap = os.path.join(out, "many.pcap")
    fr, secs, words = frames()
    write_pcap(pcap, fr, secs)
    rules = os.path.join(out, "many.rules")
    with open(rules, "w", encoding="utf-8") as f:
        for i, opts in enumerate(RULES, 1):
            f.write(f'alert udp any any -> any any (msg:"{i}"; {opts} sid:{i};)\n')
    one = run(idsd, pcap, rules, out, 1)
    by_sid = collections.Counter()
    for (sid, *_), n in one.items():
        by_sid[sid] += n
    # every rule fired, the stateful ones fewer times than they matched
    check(set(by_sid) == {1, 2, 3, 4, 5, 7, 8}, f"1 worker: alerts by signature {dict(by_sid)}")
    check(by_sid[8] == words[b"PLAIN"] and
          all(0 < by_sid[s] < words[WORDS[s - 1]] for s in (1, 2, 3, 4, 5, 7)),
          f"1 worker: state cut the stateful rules' alerts: {dict(sorted(by_sid.items()))}, "
          f"matches {dict(words)}")
    for workers in (2, 4):
        many = run(idsd, pcap, rules, out, workers)
        check(many == one, f"{workers} workers: the same alerts as 1 "
              f"(missing {sorted((one - many).elements())[:5]}, "
              f"extra {sorted((many - one).elements())[:5]})")


if __name__ == "__main__":
    main()
