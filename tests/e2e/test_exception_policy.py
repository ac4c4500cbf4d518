#!/usr/bin/env python3
"""Exception policies (Suricata 7's *.memcap-policy and exception-policy)
end to end: usage: test_exception_policy.py IDSD OUT_DIR.

The sessions and fragments captures of test_memcap_workers (TCP sessions
under a stream.memcap reached about half way; first fragments under a
defrag.memcap reached about half way), read in IPS mode (--simulate-ips)
and in IDS mode, with a rule on every session's data packet:
- no policy set: in IDS mode ignore; in IPS mode drop-flow, as Suricata
  7.0's ExceptionPolicyGetDefault (util-exception-policy.c) when neither the
  key nor the exception-policy master switch is set;
- ignore: every data packet inspected, nothing dropped;
- stream.memcap-policy drop-flow / drop-packet (IPS): the sessions refused
  lose their data packet (dropped, uninspected: fewer alerts), counted in
  tcp.ssn_memcap_exception_policy.*, the drops in ips.*;
- pass-flow, pass-packet, bypass (IPS and IDS): uninspected, not dropped;
- flow.memcap-policy drop-packet: a packet left without a flow is dropped
  (past flow.memcap a flow is forced out only if no longer alive, as
  Suricata 7's FlowGetUsedFlow: the packets that find every flow alive,
  flow.get_used_failed, each an application and a drop);
- defrag.memcap-policy drop-packet: every fragment refused is dropped
  (the counter equals defrag.memcap_exceeded); drop-flow there is taken as
  drop-packet, with a warning;
- the master switch: auto is drop-flow in IPS (drop-packet for defrag),
  ignore in IDS; drop-flow through it in IDS mode is ignore;
- refused with a reason (exit 1): drop-flow on a key in IDS mode, an
  unknown value, reject, app-layer.error-policy other than ignore; a
  stream.midstream-policy other than pass-flow or ignore with stream.midstream,
  drop-flow in IDS mode, or a packet action (the policy's application is in
  the rebuilt suricata-verify exception-policy-master-switch cases)."""
import json
import os
import shutil
import subprocess
import sys

from e2e_check import Checks
from pcapgen import write_pcap
from test_memcap_workers import counter, flows, fragments, sessions

RULES = ['alert tcp any any -> any any (msg:"data"; content:"DATA "; sid:1;)',
         'alert udp any any -> any any (msg:"frag"; content:"FFFF"; sid:2;)']
SSN = ["stream.memcap=150kb", "stream.reassembly.memcap=64kb"]
# the other memcaps' policies left out of a key's case (IPS: drop-flow unset)
SSN_IGN = SSN + ["exception-policy=ignore"]
FRAG = ["defrag.memcap=400kb"]


def dropped(st):
    """Every packet dropped, whatever the reason."""
    ips = st.get("ips", {})
    return ips.get("blocked", 0) + sum(ips.get("drop_reason", {}).values())


def run(idsd, out, name, pcap, sets, ips, rc=0):
    log = os.path.join(out, name)
    os.makedirs(log)
    rules = os.path.join(out, "ep.rules")
    cmd = [idsd, "-r", pcap, "-S", rules, "-l", log] + (["--simulate-ips"] if ips else [])
    for s in sets:
        cmd += ["--set", s]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    stats, alerts = {}, 0
    if rc == 0 and p.returncode == 0:
        with open(os.path.join(log, "eve.json"), encoding="utf-8") as f:
            for line in f:
                e = json.loads(line)
                if e.get("event_type") == "stats":
                    stats = e["stats"]
                alerts += e.get("event_type") == "alert"
    return p, stats, alerts


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    check = Checks()
    with open(os.path.join(out, "ep.rules"), "w", encoding="utf-8") as f:
        f.write("\n".join(RULES) + "\n")
    ssn_pcap, frag_pcap = os.path.join(out, "sessions.pcap"), os.path.join(out, "frags.pcap")
    write_pcap(ssn_pcap, sessions())
    write_pcap(frag_pcap, fragments())

    def ok(name, pcap, sets, ips):
        p, st, al = run(idsd, out, name, pcap, sets, ips)
        check(p.returncode == 0, f"{name}: idsd exits 0 (rc {p.returncode}: {p.stderr[-400:]})")
        return p, st, al

    _, st, al = ok("default-ips", ssn_pcap, SSN, True)
    check(counter(st, "tcp.ssn_memcap_exception_policy.drop_flow") > 0 and al < 600 and
          counter(st, "ips.drop_reason.stream_memcap") > 0,
          f"nothing set, IPS: drop-flow, as Suricata 7's built-in default ({al} alerts)")
    _, st, al = ok("default-ids", ssn_pcap, SSN, False)
    check(al == 600 and "exception_policy" not in json.dumps(st),
          f"nothing set, IDS: ignore ({al} alerts)")
    _, base, base_alerts = ok("ignore-ips", ssn_pcap, SSN_IGN, True)
    refused = counter(base, "tcp.ssn_memcap_drop")
    check(refused > 0 and base_alerts == 600, f"ignore: memcap reached ({refused}), every data "
          f"packet inspected ({base_alerts} alerts)")
    check(dropped(base) == 0 and
          "ssn_memcap_exception_policy" not in json.dumps(base),
          "ignore: nothing dropped, no policy counter")

    for pol in ("drop-flow", "drop-packet"):
        _, st, al = ok("ssn-" + pol, ssn_pcap, SSN_IGN + ["stream.memcap-policy=" + pol], True)
        key = "tcp.ssn_memcap_exception_policy." + pol.replace("-", "_")
        n = counter(st, key)
        mem = counter(st, "ips.drop_reason.stream_memcap")
        check(n > 0 and al < 600 and mem > 0 and (pol == "drop-flow" or mem == n),
              f"{pol} (IPS): applied {n} times, {al} alerts < 600, {mem} packets dropped "
              f"for the stream memcap, {dropped(st)} in all")
        check(al + counter(st, "tcp.ssn_memcap_drop") >= 600 or pol == "drop-flow",
              f"{pol}: the uninspected are the refused sessions' packets")
    for pol, ips in (("pass-flow", True), ("pass-packet", True), ("bypass", True),
                     ("pass-flow", False), ("pass-packet", False)):
        name = f"ssn-{pol}-{'ips' if ips else 'ids'}"
        _, st, al = ok(name, ssn_pcap, SSN_IGN + ["stream.memcap-policy=" + pol], ips)
        n = counter(st, "tcp.ssn_memcap_exception_policy." + pol.replace("-", "_"))
        check(n > 0 and al < 600 and dropped(st) == 0,
              f"{name}: applied {n} times, {al} alerts < 600, nothing dropped ({dropped(st)})")

    _, st, _ = ok("frag-drop-packet", frag_pcap, FRAG + ["defrag.memcap-policy=drop-packet"],
                  True)
    n, exceeded = (counter(st, "defrag.memcap_exception_policy.drop_packet"),
                   counter(st, "defrag.memcap_exceeded"))
    check(n > 0 and n == exceeded and counter(st, "ips.drop_reason.defrag_memcap") == n,
          f"defrag drop-packet: applied {n} times, once per fragment refused ({exceeded}), "
          f"each dropped")
    p, st, _ = ok("frag-drop-flow", frag_pcap, FRAG + ["defrag.memcap-policy=drop-flow"], True)
    check("taken as drop-packet" in p.stdout + p.stderr and
          counter(st, "defrag.memcap_exception_policy.drop_packet") == exceeded,
          "defrag drop-flow: a warning, applied as drop-packet")

    # flow.memcap: a worker forces out its least recently used flow that
    # is no longer alive (as Suricata's emergency mode); a packet left
    # without any flow (every flow alive) meets the policy, and is dropped
    flow_pcap = os.path.join(out, "flows.pcap")
    write_pcap(flow_pcap, flows())
    for workers in (1, 4):
        _, st, _ = ok(f"flow-drop-packet-w{workers}", flow_pcap,
                      ["flow.memcap=600kb", "flow.memcap-policy=drop-packet",
                       f"pcap-file.threads={workers}"], True)
        n = counter(st, "flow.memcap_exception_policy.drop_packet")
        check(n > 0 and n == counter(st, "flow.get_used_failed") and
              n == counter(st, "ips.drop_reason.flow_memcap"),
              f"flow drop-packet, {workers} worker(s): applied {n} times, each dropped")

    _, st, al = ok("master-auto-ips", ssn_pcap, SSN + ["exception-policy=auto"], True)
    check(counter(st, "tcp.ssn_memcap_exception_policy.drop_flow") > 0 and al < 600 and
          counter(st, "tcp.reassembly_memcap_exception_policy.drop_flow") > 0,
          f"master auto in IPS: drop-flow on both stream memcaps ({al} alerts)")
    _, st, al = ok("master-auto-ids", ssn_pcap, SSN + ["exception-policy=auto"], False)
    check(al == 600 and "exception_policy" not in json.dumps(st), "master auto in IDS: ignore")
    _, st, al = ok("master-drop-ids", ssn_pcap, SSN + ["exception-policy=drop-flow"], False)
    check(al == 600 and "exception_policy" not in json.dumps(st),
          "master drop-flow in IDS: ignore, as Suricata's")
    _, st, al = ok("master-key-wins", ssn_pcap,
                   SSN + ["exception-policy=auto", "stream.memcap-policy=pass-flow"], True)
    check(counter(st, "tcp.ssn_memcap_exception_policy.pass_flow") > 0 and
          "tcp.ssn_memcap_exception_policy.drop_flow" not in json.dumps(st) and
          counter(st, "tcp.reassembly_memcap_exception_policy.drop_flow") > 0,
          "a key's own value wins over the master switch (the others keep the master's): "
          + json.dumps(st.get("tcp")))

    for name, sets, ips, msg in (
            ("ids-drop", ["stream.memcap-policy=drop-flow"], False, "valid in IPS mode only"),
            ("bad-value", ["stream.memcap-policy=drop"], True, "not a valid exception policy"),
            ("reject", ["flow.memcap-policy=reject"], True, "reject is not supported"),
            ("app-error", ["app-layer.error-policy=drop-flow"], True, "only ignore is supported"),
            ("master-bad", ["exception-policy=sometimes"], True, "not a valid exception policy"),
            # stream.midstream-policy (Suricata 7's ExceptionPolicyMidstreamParse)
            ("mid-on-drop", ["stream.midstream-policy=drop-flow", "stream.midstream=true"], True,
             "only pass-flow or ignore"),
            ("mid-ids-drop", ["stream.midstream-policy=drop-flow"], False,
             "valid in IPS mode only"),
            ("mid-packet", ["stream.midstream-policy=pass-packet"], True,
             "packet action is not valid")):
        p, _, _ = run(idsd, out, name, ssn_pcap, sets, ips, rc=1)
        check(p.returncode == 1 and msg in p.stderr and sets[0].split("=")[0] in p.stderr,
              f"{name}: refused, exit 1, naming the key: {p.stderr.strip()[-300:]}")
    return check.done("exception_policy")


if __name__ == "__main__":
    sys.exit(main())
