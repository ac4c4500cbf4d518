#!/usr/bin/env python3
"""Flow emergency mode (Suricata 7's flow.emergency-recovery and the
flow-timeouts emergency-* keys) through the real binary: usage:
test_flow_emergency.py IDSD OUT_DIR.

A capture of a SYN flood (3,000 SYNs of their own, one a millisecond)
followed by 15 s of one UDP flow's datagrams (one a millisecond), read with
a flow.memcap of about 1,000 flows and, as the control, with the default
32 MiB:
- small memcap: the stats record at exit counts one entry into emergency
  mode (flow.emerg_mode_entered) and its end (flow.emerg_mode_over);
  past the memcap a flow is forced out only once it is no longer alive
  (Suricata 7's FlowGetUsedFlow and StillAlive: a new flow had a packet
  within 1 s): the SYNs of the flood's second second find every flow
  alive and get none (flow.get_used_failed; no flow record), those of the
  third force the first second's out (flow.get_used, their flow records
  "reason": "forced" and "emergency": true); flow.memcap stays 0 (Suricata
  7 counts there only an allocation failing after its memcap check); the
  flood's flows left in the table end by timeout (idle only 12 s at the
  end: the emergency-new timeout of 5 s, not the 60 s of new);
- the control: no emergency counted, every SYN's flow ends at shutdown,
  none is marked emergency;
- with flow-timeouts.tcp.emergency-new 30 set, the flood's flows outlive
  the capture (shutdown), and the mode is never over (they hold the
  memcap to the end);
- a flow forced out ends with its flow record alone, as Suricata 7's
  FlowGetUsedFlow logs it and clears its state: an HTTP session whose
  request is parsed (its transaction held, no response) and whose stream
  data waits for the flow's end, forced out 7 s later by a datagram under
  a memcap of one flow, writes no http record and its raw stream rule no
  alert (both do when the session ends at shutdown: the control)."""
import collections
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_check import check, eve_conf, run_capture  # noqa: E402
from pcapgen import Tcp, tcp_frame, udp_frame  # noqa: E402

CONF = eve_conf("- flow\n- stats")
RULES = ['alert udp any any -> any 9 (msg:"never"; content:"never"; sid:1;)']
SRV, CLI = bytes([192, 0, 2, 1]), bytes([10, 200, 0, 1])
FLOOD, TRICKLE = 3000, 15000


def build():
    frames = [tcp_frame(bytes([10, 1, i >> 8, i & 255]), SRV, 1024 + i, 80, i, 0, 0x02)
              for i in range(FLOOD)]
    frames += [udp_frame(CLI, SRV, 5000, 53, b"tick %d" % i) for i in range(TRICKLE)]
    return frames


def counter(stats, name):
    v = stats
    for part in name.split("."):
        v = v.get(part, {}) if isinstance(v, dict) else {}
    return v if isinstance(v, int) else 0


def run(idsd, out, name, frames, sets):
    o = os.path.join(out, name)
    os.makedirs(o)
    args = [a for s in sets for a in ("--set", s)]
    eve = run_capture(idsd, o, name, frames, RULES, conf=CONF, args=args)
    stats = [e["stats"] for e in eve if e["event_type"] == "stats"]
    flood = [e["flow"] for e in eve if e["event_type"] == "flow" and e["proto"] == "TCP"]
    return (stats[-1] if stats else {}), flood


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    frames = build()
    small = ["flow.memcap=450kb"]   # about 1,000 flows

    st, flood = run(idsd, out, "small", frames, small)
    why = collections.Counter((f["reason"], f.get("emergency", False)) for f in flood)
    used, failed = counter(st, "flow.get_used"), counter(st, "flow.get_used_failed")
    check(counter(st, "flow.emerg_mode_entered") == 1 and
          counter(st, "flow.emerg_mode_over") == 1,
          f"small memcap: emergency mode entered once and over once: {st.get('flow')}")
    check(used > 0 and failed > 0 and counter(st, "flow.memcap") == 0,
          f"small memcap: flows forced out ({used}) past the memcap, SYNs refused "
          f"({failed}), flow.memcap 0: {st.get('flow')}")
    check(len(flood) + failed == FLOOD and len(flood) == counter(st, "flow.tcp") and
          why[("forced", True)] == used and why[("timeout", False)] == len(flood) - used,
          f"small memcap: a flow record per SYN given a flow ({len(flood)}), {used} "
          f"forced (emergency), the rest timed out: {dict(why)}")

    st, flood = run(idsd, out, "control", frames, [])
    why = collections.Counter((f["reason"], f.get("emergency", False)) for f in flood)
    check(counter(st, "flow.emerg_mode_entered") == 0 and counter(st, "flow.get_used") == 0
          and counter(st, "flow.get_used_failed") == 0,
          f"control: no emergency: {st.get('flow')}")
    check(why == {("shutdown", False): FLOOD},
          f"control: every flood flow shut down at the end: {dict(why)}")

    st, flood = run(idsd, out, "emerg-new-30", frames,
                    small + ["flow-timeouts.tcp.emergency-new=30"])
    why = collections.Counter(f["reason"] for f in flood)
    check(counter(st, "flow.emerg_mode_entered") == 1 and
          counter(st, "flow.emerg_mode_over") == 0 and why["timeout"] == 0,
          f"emergency-new 30: no flood flow timed out, the mode never over: "
          f"{dict(why)} {st.get('flow')}")


    held_forced(idsd, out)


def held_forced(idsd, out):
    frames = []
    t = Tcp(frames, CLI, SRV, 40000, 80)
    t.send(0, b"GET /held HTTP/1.1\r\nHost: held.example\r\n\r\n")
    secs = [0] * len(frames)
    frames.append(udp_frame(bytes([10, 201, 0, 1]), SRV, 5000, 53, b"late"))
    secs.append(7)
    conf = eve_conf("- alert\n- http\n- flow\n- stats")
    rules = ['alert tcp any any -> any 80 (msg:"held raw"; flow:to_server; '
             'content:"GET /held"; sid:2;)']
    for name, sets, forced in (("held-forced", ["flow.memcap=1"], True),
                               ("held-control", [], False)):
        o = os.path.join(out, name)
        os.makedirs(o)
        eve = run_capture(idsd, o, name, frames, rules, conf=conf,
                          args=[a for s in sets for a in ("--set", s)], secs=secs)
        tcpf = [e for e in eve if e["event_type"] == "flow" and e["proto"] == "TCP"]
        http = [e for e in eve if e["event_type"] == "http"]
        alerts = [e for e in eve if e["event_type"] == "alert"]
        if forced:
            check(len(tcpf) == 1 and tcpf[0]["flow"]["reason"] == "forced" and
                  tcpf[0]["flow"].get("emergency") is True and
                  tcpf[0].get("app_proto") == "http",
                  f"{name}: the session's flow record, forced in emergency: {tcpf}")
            check(not http and not alerts,
                  f"{name}: nothing inspected or logged at its end: {http} {alerts}")
        else:
            check(len(tcpf) == 1 and tcpf[0]["flow"]["reason"] == "shutdown" and
                  len(http) == 1 and [a["alert"]["signature_id"] for a in alerts] == [2],
                  f"{name}: at shutdown the held transaction is logged, the stream "
                  f"inspected: {http} {alerts}")


if __name__ == "__main__":
    main()
