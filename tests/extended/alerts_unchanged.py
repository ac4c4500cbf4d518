#!/usr/bin/env python3
"""The detection rework of issue 12 changes how rules are found, never which
alerts fire. The two benchmark workloads of ../shared/bench, made small enough
for a test, go through idsd with all of ET Open, and
- every alert the engine before the rework gave (golden/*.before.tsv, commit
  a7de0ad) must still be there, on the same flow direction: the rework loses
  nothing (at the rework's last commit, bcd8e25, the two sets were equal; since
  the raw stream is inspected as Suricata does, on app-layer progress and at
  FIN, some fire on an earlier packet, so this check leaves out the time);
- the alerts must be exactly golden/*.alerts.tsv, recorded when the rework met
  the features that add alerts of their own (tunnel decoding, Suricata's
  event rules, SMTP...): any later change to what fires shows here.
One line per alert: sid, time in epoch microseconds, addresses and ports,
sorted.

  alerts_unchanged.py IDSD SRC_ROOT OUTDIR

- corpus-mix: every Ethernet capture under ../shared/corpus/pcaps (not the
  gzip-compressed ones), in name order, concatenated with mergecap (as
  ../shared/bench/README.md makes it: 56,825 packets);
- http2000: gen_http_pcap.py --flows 2000 --seed 1 (bench-http's generator).

Without ../shared it says so and exits 77 (meson's "skipped"), which the
test count reports as not passed.
"""
import datetime
from collections import Counter
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))


def alert_lines(eve):
    out = []
    with open(eve) as f:
        for line in f:
            e = json.loads(line)
            if e.get("event_type") != "alert":
                continue
            ts = datetime.datetime.strptime(e["timestamp"], "%Y-%m-%dT%H:%M:%S.%f%z")
            us = int(ts.timestamp()) * 1000000 + ts.microsecond
            out.append("\t".join(str(x) for x in (
                e["alert"]["signature_id"], us, e.get("src_ip"), e.get("src_port", 0),
                e.get("dest_ip"), e.get("dest_port", 0))))
    return sorted(out)


def untimed(lines):
    """The lines without their time field."""
    return [l.split("\t", 2)[0] + "\t" + l.split("\t", 2)[2] for l in lines]


def golden(name, kind):
    with open(os.path.join(ROOT, "golden", f"{name}.{kind}.tsv")) as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def make_corpus_mix(shared, path):
    files = []
    for d, _, names in os.walk(os.path.join(shared, "corpus", "pcaps")):
        # the captures Suricata reads as they are: not the gzip-compressed ones
        files += [os.path.join(d, n) for n in names if not n.endswith(".gz")]
    eth = []
    for f in sorted(files):
        p = subprocess.run(["capinfos", "-E", f], capture_output=True, text=True)
        if p.returncode == 0 and p.stdout.rstrip().endswith("Ethernet"):
            eth.append(f)
    subprocess.run(["mergecap", "-a", "-F", "pcap", "-w", path] + eth, check=True)


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    idsd, src, out = sys.argv[1:]
    shared = os.path.normpath(os.path.join(src, "..", "shared"))
    if not os.path.isdir(os.path.join(shared, "corpus")):
        print(f"{shared}/corpus is not there: nothing to compare")
        return 77
    os.makedirs(out, exist_ok=True)
    work = {
        "corpus-mix": lambda p: make_corpus_mix(shared, p),
        "http2000": lambda p: subprocess.run(
            [sys.executable, os.path.join(shared, "bench", "gen_http_pcap.py"), p,
             "--flows", "2000", "--seed", "1"], check=True, capture_output=True),
    }
    rules = os.path.join(shared, "corpus", "rules", "et-open-suricata-5.0-2024-04-21")
    bad = 0
    for name, make in work.items():
        pcap = os.path.join(out, name + ".pcap")
        if not os.path.exists(pcap):
            make(pcap)
        log = os.path.join(out, name)
        shutil.rmtree(log, ignore_errors=True)	# eve.json is appended to
        p = subprocess.run([idsd, "-r", pcap, "-S", rules, "-k", "none", "-l", log,
                            "--set", "stream.memcap=2gb", "--set", "stream.reassembly.memcap=4gb",
                            "--set", "flow.memcap=1gb"], capture_output=True, text=True)
        if p.returncode != 0:
            print(f"{name}: idsd exited {p.returncode}: {p.stderr[-800:]}")
            bad += 1
            continue
        got = alert_lines(os.path.join(log, "eve.json"))
        before, want = golden(name, "before"), golden(name, "alerts")
        lost = sorted((Counter(untimed(before)) - Counter(untimed(got))).elements())
        missing = sorted((Counter(want) - Counter(got)).elements())
        extra = sorted((Counter(got) - Counter(want)).elements())
        print(f"{name}: {len(got)} alerts, golden {len(want)}, before the rework {len(before)}")
        for m in lost[:10]:
            print(f"  lost since a7de0ad: {m}")
        for m in missing[:10]:
            print(f"  missing: {m}")
        for x in extra[:10]:
            print(f"  extra:   {x}")
        if lost or missing or extra:
            bad += 1
    print("alerts unchanged" if bad == 0 else f"{bad} workload(s) differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
