#!/usr/bin/env python3
"""The same alerts with 1, 2 and 4 workers: usage: test_hoststate.py IDSD SRCDIR OUT_DIR.

tests/data/hoststate/hoststate.pcap (made by make_hoststate.py there) has
one host's connections spread by the flow hash over every worker. The rules
keep state per host, per address pair and per rule: a hostbit set in one
flow and tested in others (as hostbits and as xbits track ip_src, the same
bit), by source and by destination; an ip_pair
xbit; thresholds by_src, by_dst, by_both and by_rule; a detection_filter; a
threshold.config entry. idsd reads the capture with pcap-file.threads 1, 2
and 4 (one reader, N workers, as Suricata's autofp reads a file); the
alerts (signature, addresses, ports, how many times each) must be those
expected, and the same for every worker count."""
import collections
import json
import os
import shutil
import subprocess
import sys

from e2e_check import check

RULES = [
    'content:"MARK-BAD"; hostbits:set,badhost; noalert;',
    'flow:to_server; content:"DATA-REQ"; xbits:isset,badhost,track ip_src;',
    'flow:to_client; content:"DATA-RESP"; hostbits:isset,badhost,dst;',
    'content:"PING-X"; threshold:type threshold,track by_src,count 3,seconds 60;',
    'content:"LIM-Y"; threshold:type limit,track by_dst,count 2,seconds 60;',
    'content:"SCAN-ME"; detection_filter:track by_src,count 2,seconds 60;',
    'content:"PAIR-SET"; xbits:set,pair,track ip_pair,expire 300; noalert;',
    'content:"PAIR-CHK"; xbits:isset,pair,track ip_pair;',
    'content:"RULE-Z"; threshold:type both,track by_rule,count 4,seconds 60;',
    'content:"BOTH-W"; threshold:type limit,track by_both,count 1,seconds 60;',
    'content:"TC-V";',
]
THRESHOLD_CONFIG = "threshold gen_id 1, sig_id 11, type limit, track by_src, count 1, seconds 60\n"
# sid -> alerts (make_hoststate.py says why)
WANT = {2: 8, 3: 3, 4: 2, 5: 2, 6: 3, 8: 3, 9: 1, 10: 1, 11: 2}
ATTACKER = "10.0.0.5"
FRAMES = 464


def run(idsd, pcap, rules, tconf, out, workers):
    log = os.path.join(out, f"w{workers}")
    os.makedirs(log)
    p = subprocess.run([idsd, "-r", pcap, "-S", rules, "-l", log,
                        "--set", f"pcap-file.threads={workers}",
                        "--set", f"threshold-file={tconf}"],
                       capture_output=True, text=True, timeout=300)
    check(p.returncode == 0, f"{workers} worker(s): idsd rc {p.returncode}: {p.stderr[-500:]}")
    check(f"{len(RULES)} loaded, 0 failed" in p.stderr, f"{workers} worker(s): every rule loaded")
    per_worker = [ln for ln in p.stdout.splitlines() if ln.startswith("  worker packets:")]
    check(len(per_worker) == 1, f"{workers} worker(s): the summary gives packets per worker")
    counts = [int(x) for x in per_worker[0].split(":")[1].split()]
    check(len(counts) == workers and all(c > 0 for c in counts),
          f"{workers} worker(s): every worker had packets: {counts}")
    check(f"processed: {FRAMES} packets" in p.stdout,
          f"{workers} worker(s): every frame of the capture inspected, none dropped")
    alerts = collections.Counter()
    stats = None
    with open(os.path.join(log, "eve.json"), encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if e.get("event_type") == "alert":
                alerts[(e["alert"]["signature_id"], e["src_ip"], e["src_port"], e["dest_ip"],
                        e["dest_port"])] += 1
            elif e.get("event_type") == "stats":
                stats = e["stats"]
    host = (stats or {}).get("host", {})
    check(host.get("entries", 0) > 0 and host.get("refused") == 0 and
          host.get("entries_max", 0) > host.get("entries", 0),
          f"{workers} worker(s): the shared host table in stats: {host}")
    return alerts


def main():
    idsd, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    pcap = os.path.join(src, "tests", "data", "hoststate", "hoststate.pcap")
    rules = os.path.join(out, "hoststate.rules")
    with open(rules, "w", encoding="utf-8") as f:
        for i, opts in enumerate(RULES, 1):
            f.write(f'alert tcp any any -> any any (msg:"{i}"; {opts} sid:{i};)\n')
    tconf = os.path.join(out, "threshold.config")
    with open(tconf, "w", encoding="utf-8") as f:
        f.write(THRESHOLD_CONFIG)

    one = run(idsd, pcap, rules, tconf, out, 1)
    by_sid = collections.Counter()
    for (sid, *_), n in one.items():
        by_sid[sid] += n
    check(dict(by_sid) == WANT, f"1 worker: alerts by signature {dict(sorted(by_sid.items()))}")
    check(all(k[1] == ATTACKER or k[3] == ATTACKER for k in one if k[0] in (2, 3, 4, 6, 8)),
          "1 worker: host state alerts are the attacker's")
    for workers in (2, 4):
        many = run(idsd, pcap, rules, tconf, out, workers)
        check(many == one, f"{workers} workers: the same alerts as 1 "
              f"(missing {sorted((one - many).elements())}, extra {sorted((many - one).elements())})")


if __name__ == "__main__":
    main()
