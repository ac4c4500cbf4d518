#!/usr/bin/env python3
"""profiling.rules (per-rule checks, matches, ticks) through the real idsd,
on a capture written here: rule 1 matches 5 datagrams, rule 2 two, rule 3
is checked on rule 1's five (the same fast pattern) and never matches.

usage: test_profile.py IDSD SRC_ROOT OUT_DIR
  - a capture run (-r) writes rule_perf.log at exit: JSON as Suricata's
    (one object per sort order when no sort is given), the text table, the
    limit; nothing without profiling.rules.enabled;
  - a live run (net_pcap vdev, telemetry on): /ids/rules/profile gives the
    first N rules by the sort asked for, and says enabled 0 when off; a
    reload writes the retired set's figures to rule_perf.log, exit the rest.
"""
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "inline"))
from e2e_check import check  # noqa: E402
import pcapgen  # noqa: E402
from telemetry_client import Telemetry  # noqa: E402

IDSD = SRC = OUT = None
RULES = ('alert udp any any -> any any (msg:"one"; content:"aaa"; sid:1; rev:2;)\n'
         'alert udp any any -> any any (msg:"two"; content:"bbb"; sid:2;)\n'
         'alert udp any any -> any any (msg:"three"; content:"aaa"; pcre:"/nope/"; sid:3;)\n')


def capture():
    a, b = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    frames = [pcapgen.udp_frame(a, b, 1000 + i, 53, b"xaaax") for i in range(5)]
    frames += [pcapgen.udp_frame(a, b, 2000 + i, 53, b"xbbbx") for i in range(2)]
    frames += [pcapgen.udp_frame(a, b, 3000, 53, b"nothing")]
    path = os.path.join(OUT, "prof.pcap")
    pcapgen.write_pcap(path, frames)
    return path


def write(name, text):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def run_capture(pcap, rules, profiling, logdir):
    os.makedirs(logdir)
    cfg = write(os.path.basename(logdir) + ".yaml", "profiling:\n  rules:\n" + profiling)
    p = subprocess.run([IDSD, "-c", cfg, "-r", pcap, "-S", rules, "-l", logdir],
                       capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, f"idsd -r with profiling ({logdir}): rc {p.returncode} "
          f"{p.stderr[-300:]}")
    path = os.path.join(logdir, "rule_perf.log")
    return open(path, encoding="utf-8").read() if os.path.exists(path) else None


def test_log(pcap, rules):
    text = run_capture(pcap, rules, "    enabled: yes\n    json: yes\n", os.path.join(OUT, "all"))
    docs = [json.loads(line) for line in (text or "").splitlines() if line.strip()]
    check([d["sort"] for d in docs] == ["ticks", "average ticks", "number of checks",
                                        "number of matches", "max ticks"],
          f"no sort: one JSON object per order, as Suricata: {[d['sort'] for d in docs]}")
    by = {d["sort"]: d["rules"] for d in docs}
    one = {r["signature_id"]: r for r in by["ticks"]}
    check(set(one) == {1, 2, 3}, f"the three checked rules: {sorted(one)}")
    check(one[1]["checks"] == 5 and one[1]["matches"] == 5 and one[1]["rev"] == 2 and
          one[1]["gid"] == 1, f"rule 1: 5 checks, 5 matches: {one[1]}")
    check(one[2]["checks"] == 2 and one[2]["matches"] == 2, f"rule 2: {one[2]}")
    check(one[3]["checks"] == 5 and one[3]["matches"] == 0 and one[3]["ticks_avg_match"] == 0,
          f"rule 3: checked 5 times, never matched: {one[3]}")
    check(all(r["ticks_total"] > 0 and r["ticks_max"] <= r["ticks_total"] for r in one.values()),
          "ticks counted")
    check([r["signature_id"] for r in by["number of matches"]] == [1, 2, 3],
          f"sorted by matches: {[r['signature_id'] for r in by['number of matches']]}")
    check([r["signature_id"] for r in by["number of checks"]] == [1, 3, 2],
          f"sorted by checks (a tie in sid order): "
          f"{[r['signature_id'] for r in by['number of checks']]}")
    ticks = [r["ticks_total"] for r in by["ticks"]]
    check(ticks == sorted(ticks, reverse=True), f"sorted by ticks: {ticks}")

    text = run_capture(pcap, rules, "    enabled: yes\n    sort: matches\n    limit: 1\n"
                       "    filename: perf.txt\n", os.path.join(OUT, "text"))
    path = os.path.join(OUT, "text", "perf.txt")
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    rows = [line.split() for line in text.splitlines() if line[:3] == "  1" or
            line[:3] == "  2"]
    check("Sorted by: number of matches." in text and len(rows) == 1 and
          rows[0][1:4] == ["1", "1", "2"] and rows[0][6:8] == ["5", "5"],
          f"text table, its filename, limit 1: the rule that matches most: {text}")

    off = run_capture(pcap, rules, "    enabled: no\n", os.path.join(OUT, "off"))
    check(off is None, "disabled: no rule_perf.log")


def live(pcap, rules, profiling, name):
    """idsd on a net_pcap port with telemetry: the profile once the capture is
    read (None if it never is)."""
    prefix = f"idsprof{os.getpid()}{name}"
    sock = f"/var/run/dpdk/{prefix}/dpdk_telemetry.v2"
    logdir = os.path.join(OUT, name)
    os.makedirs(logdir)
    cfg = write(name + ".yaml",
                "dpdk:\n  eal-params: { no-huge: true, no-pci: true, "
                f"file-prefix: {prefix}, vdev: [\"net_pcap0,rx_pcap={pcap}\"] }}\n"
                "  interfaces:\n    - interface: net_pcap0\n      threads: 1\n" + profiling)
    p = subprocess.Popen([IDSD, "-c", cfg, "-S", rules, "-l", logdir],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    got = {}
    try:
        for _ in range(300):
            time.sleep(0.1)
            if p.poll() is not None or not os.path.exists(sock):
                continue
            try:
                t = Telemetry(sock)
                stats = t.cmd("/ids/stats")["/ids/stats"] or {}
                if stats.get("decoder_pkts", 0) < 8:
                    t.close()
                    continue
                for q in ("matches,2", "checks,3", "ticks,80", "cost,1"):
                    got[q] = t.cmd("/ids/rules/profile," + q)["/ids/rules/profile"]
                got["reload"] = t.cmd("/ids/reload")["/ids/reload"]
                t.close()
                break
            except (OSError, ValueError, KeyError):
                continue
    finally:
        if p.poll() is None:
            p.terminate()
        _, err = p.communicate(timeout=60)
    check(p.returncode == 0, f"{name}: live idsd exits 0: {p.returncode} {err[-300:]}")
    path = os.path.join(logdir, "rule_perf.log")
    got["log"] = open(path, encoding="utf-8").read() if os.path.exists(path) else None
    return got


def sids(reply):
    return [int(reply[str(i)].split()[0].split(":")[1]) for i in range(reply["shown"])]


def test_telemetry(pcap, rules):
    got = live(pcap, rules, "profiling:\n  rules:\n    enabled: yes\n    json: yes\n"
               "    sort: checks\n", "live")
    check({"matches,2", "checks,3", "ticks,80", "cost,1"} <= set(got),
          f"telemetry answered once the capture was read: {sorted(got)}")
    m = got["matches,2"]
    check(m["enabled"] == 1 and m["sort"] == "matches" and m["checked"] == 3 and
          m["shown"] == 2 and sids(m) == [1, 2],
          f"/ids/rules/profile,matches,2: the top 2 by matches: {m}")
    first = m["0"].split()
    check(first[0] == "1:1:2" and first[1:3] == ["5", "5"],
          f"gid:sid:rev checks matches ticks ...: {m['0']}")
    c = got["checks,3"]
    check(sids(c) == [1, 3, 2], f"by checks: {c}")
    t = got["ticks,80"]
    ticks = [int(t[str(i)].split()[3]) for i in range(t["shown"])]
    check(t["shown"] == 3 and ticks == sorted(ticks, reverse=True), f"by ticks: {t}")
    check(got["cost,1"] is None, f"an unknown sort is refused: {got['cost,1']}")
    docs = [json.loads(line) for line in (got["log"] or "").splitlines() if line.strip()]
    check(got["reload"]["status"] == "ok" and len(docs) == 2 and
          [r["signature_id"] for r in docs[0]["rules"]] == [1, 3, 2] and
          docs[0]["rules"][0]["checks"] == 5 and docs[1]["rules"] == [],
          f"rule_perf.log: the retired set's figures at the reload, the new set's (no "
          f"packet since) at exit: {got['reload']} {got['log']}")
    got = live(pcap, rules, "", "live_off")
    check(got.get("matches,2") == {"enabled": 0} and got["log"] is None,
          f"profiling off says so, writes no file: {got}")


def main():
    global IDSD, SRC, OUT
    IDSD, SRC, OUT = sys.argv[1:4]
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    pcap = capture()
    rules = write("prof.rules", RULES)
    test_log(pcap, rules)
    if os.geteuid() != 0:
        check(False, "the live part needs root (DPDK's runtime directory)")
    test_telemetry(pcap, rules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
