#!/usr/bin/python3
"""rule-trigger: synthesize, for each sampled Suricata rule, a flow meant to
make it alert, run idsd over them with the whole rule set loaded, and report
the rules whose sid did not alert on their own flow.

    rule-trigger.py --idsd build/dataplane/idsd/idsd --rules FILE [--rules FILE ...]
                    [--sid N ...] [--sample N] [--seed S] [--class http,tcp,udp,dns,tls]
                    --out DIR [--assert [--min-synth N]] [--json]

For each target rule the tool builds the buffers Suricata would inspect
(http.uri, http.header, file_data, dns.query, tls.sni, the raw payload, ...)
so that its content/pcre/isdataat/bsize chain matches as Suricata documents
the keywords, checks each buffer against that chain with its own matcher
(module `ruletrig.match`), and turns them into packets: a full TCP handshake,
both directions, FIN both ways; UDP for DNS and raw UDP. A flowbits:isset
rule gets, first in the same flow, the flow of a rule that sets the bit.
Rules it cannot satisfy (byte_test, xbits, ja3 hashes, ...) are counted as
"not synthesizable" with the reason and left out.

Every target gets its own address pair, so all flows go in one capture
(`all.pcap`, and one `pcaps/SID.pcap` each for replay), read by one idsd run.
The report lists the rules that did not alert, grouped by what they use."""
import argparse
import collections
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ruletrig import rule as R          # noqa: E402
from ruletrig import synth as S         # noqa: E402
from ruletrig import net as N           # noqa: E402


def load_rules(paths):
    rules = []
    for p in paths:
        files = sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".rules")) \
            if os.path.isdir(p) else [p]
        for f in files:
            with open(f, encoding="utf-8", errors="replace") as fh:
                for ln, line in enumerate(fh, 1):
                    line = line.strip()
                    if not line or line.startswith("#"):
                        continue
                    try:
                        rules.append(R.parse(line, f, ln))
                    except R.RuleError:
                        continue        # idsd reports those; not ours to trigger
    return rules


def rule_class(r):
    """The family a rule is sampled in: http, tls, dns, tcp, udp (else None)."""
    bufs = {m.buf for m in r.matches}
    if r.proto == "http" or any(b.startswith(("http.", "file.data")) for b in bufs):
        return "http"
    if r.proto == "tls" or any(b.startswith(("tls.", "ja3")) for b in bufs):
        return "tls"
    if r.proto == "dns" or any(b.startswith("dns.") for b in bufs):
        return "dns"
    if r.proto in ("tcp", "udp"):
        return r.proto
    return None


def run_idsd(idsd, rule_files, pcap, logdir):
    os.makedirs(logdir, exist_ok=True)
    eve = os.path.join(logdir, "eve.json")
    if os.path.exists(eve):
        os.unlink(eve)
    cmd = [idsd, "-r", pcap, "-l", logdir, "-k", "none"]
    for f in rule_files:
        cmd += ["-S", f]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    if p.returncode != 0:
        sys.exit(f"rule-trigger: idsd exited {p.returncode}: {p.stderr[-2000:]}")
    alerts = []
    with open(eve) as fh:
        for line in fh:
            ev = json.loads(line)
            if ev.get("event_type") == "alert":
                alerts.append(ev)
    return alerts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--idsd", required=True)
    ap.add_argument("--rules", action="append", required=True,
                    help="rule file or folder, all loaded into idsd (repeatable)")
    ap.add_argument("--sid", type=int, action="append", default=[])
    ap.add_argument("--sample", type=int, default=0, help="sample N target rules")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--class", dest="classes", default="http,tcp,udp,dns,tls")
    ap.add_argument("--out", required=True)
    ap.add_argument("--segment", type=int, default=1400,
                    help="TCP payload bytes per segment (smaller: more segments per message)")
    ap.add_argument("--assert", dest="check", action="store_true",
                    help="exit 1 if a synthesizable rule did not alert")
    ap.add_argument("--min-synth", type=int, default=0,
                    help="with --assert: exit 1 if fewer rules were synthesized")
    ap.add_argument("--json", action="store_true", help="print the result as one JSON object")
    a = ap.parse_args()

    N.SEGMENT = a.segment
    rules = load_rules(a.rules)
    index = S.RuleIndex(rules)
    classes = set(a.classes.split(","))
    if a.sid:
        targets = [r for r in rules if r.sid in set(a.sid)]
    else:
        pool = [r for r in rules if rule_class(r) in classes]
        targets = random.Random(a.seed).sample(pool, min(a.sample, len(pool))) \
            if a.sample else pool
    os.makedirs(os.path.join(a.out, "pcaps"), exist_ok=True)

    flows, unsynth = [], collections.Counter()
    unsynth_sids = collections.defaultdict(list)
    for i, r in enumerate(targets):
        try:
            f = S.synthesize(r, index, i)
        except S.Unsynth as e:
            unsynth[e.reason] += 1
            unsynth_sids[e.reason].append(r.sid)
            continue
        N.write_pcap(os.path.join(a.out, "pcaps", f"{r.sid}.pcap"), f.frames)
        flows.append(f)
    allframes = [fr for f in flows for fr in f.frames]
    pcap = os.path.join(a.out, "all.pcap")
    N.write_pcap(pcap, allframes)

    files = []
    for p in a.rules:
        files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".rules")) \
            if os.path.isdir(p) else [p]
    alerts = run_idsd(a.idsd, files, pcap, os.path.join(a.out, "log")) if flows else []
    fired = collections.defaultdict(set)
    for ev in alerts:
        key = N.pair_key(ev["src_ip"], ev["dest_ip"])
        fired[key].add(ev["alert"]["signature_id"])

    missed = collections.defaultdict(list)
    nfired = 0
    for f in flows:
        if f.rule.sid in fired.get(f.key, ()):
            nfired += 1
        else:
            missed[S.features(f.rule)].append(f.rule.sid)

    res = {"targets": len(targets), "synthesized": len(flows), "fired": nfired,
           "missed": sum(len(v) for v in missed.values()),
           "missed_by_feature": {k: sorted(v) for k, v in sorted(missed.items())},
           "not_synthesizable": dict(unsynth.most_common()),
           "not_synthesizable_sids": {k: sorted(v)[:20] for k, v in unsynth_sids.items()}}
    with open(os.path.join(a.out, "result.json"), "w") as fh:
        json.dump(res, fh, indent=1)
    if a.json:
        print(json.dumps(res))
    else:
        print(f"targets {res['targets']}, synthesized {res['synthesized']}, "
              f"fired {nfired}, missed {res['missed']}")
        for k, v in res["missed_by_feature"].items():
            print(f"  missed [{k}]: {len(v)}: {' '.join(map(str, v))}")
        print("not synthesizable:")
        for k, v in unsynth.most_common():
            print(f"  {v:5d}  {k}")
    if a.check and (res["missed"] or res["synthesized"] < a.min_synth):
        sys.exit(f"rule-trigger: {res['missed']} rules did not alert, "
                 f"{res['synthesized']} synthesized (at least {a.min_synth} expected)")


if __name__ == "__main__":
    main()
