#!/usr/bin/env python3
"""Why each flow ended, the same with 1 and 4 workers: usage:
test_flow_reason.py IDSD OUT_DIR.

A capture of 600 UDP flows of one datagram at second 0 (more than the
expiry walk's budget releases per look), a flow whose 5-tuple comes back
after 100 s (past its timeout: a new flow), a TCP session closed at
second 0 and one still open at the end, then nothing until a last
datagram at second 100, which only one worker sees. idsd reads it with
pcap-file.threads 1 and 4: each flow record's reason (flow.reason) must
be timeout for every flow idle past its timeout at the capture's end
(whichever worker held it and however far its walk got), shutdown for the
rest, the returning 5-tuple two flows, and the records the same set with
either worker count."""
import collections
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_check import check, run_capture  # noqa: E402
from pcapgen import Tcp, udp_frame  # noqa: E402

CONF = """%YAML 1.1
---
outputs:
  - eve-log:
      enabled: yes
      filename: eve.json
      types: [flow]
"""
RULES = ['alert udp any any -> any 9 (msg:"never"; content:"never"; sid:1;)']
CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
MANY, BACK, LAST = 600, 7000, 7001


def build():
    frames, secs = [], []
    for i in range(MANY):
        frames.append(udp_frame(CLI, SRV, 20000 + i, 5000, b"one %d" % i))
    frames.append(udp_frame(CLI, SRV, BACK, 5000, b"first"))
    Tcp(frames, CLI, SRV, 30000, 80).close()
    secs += [0] * len(frames)
    Tcp(frames, CLI, SRV, 30001, 80).send(0, b"still open")
    frames.append(udp_frame(CLI, SRV, BACK, 5000, b"back"))
    frames.append(udp_frame(CLI, SRV, LAST, 5000, b"last"))
    secs += [100] * (len(frames) - len(secs))
    return frames, secs


def reasons(eve):
    """(client port, reason, packets to server) of each flow record."""
    return collections.Counter((e["src_port"], e["flow"]["reason"], e["flow"]["pkts_toserver"])
                               for e in eve if e["event_type"] == "flow")


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    frames, secs = build()
    got = {}
    for workers in (1, 4):
        o = os.path.join(out, f"w{workers}")
        os.makedirs(o)
        got[workers] = reasons(run_capture(idsd, o, "reason", frames, RULES, conf=CONF,
                                           args=("--set", f"pcap-file.threads={workers}"),
                                           secs=secs))
        r = got[workers]
        by = collections.Counter(reason for (port, reason, _) in r.elements()
                                 if 20000 <= port < 20000 + MANY)
        check(by == {"timeout": MANY},
              f"{workers} worker(s): the {MANY} idle flows timed out: {dict(by)}")
        check(r[(BACK, "timeout", 1)] == 1 and r[(BACK, "shutdown", 1)] == 1,
              f"{workers} worker(s): the returning 5-tuple is two flows, the first timed "
              f"out: {[k for k in r if k[0] == BACK]}")
        check(r[(30000, "timeout", 4)] == 1 and r[(30001, "shutdown", 3)] == 1 and
              r[(LAST, "shutdown", 1)] == 1,
              f"{workers} worker(s): the closed session timed out, the open one and the "
              f"last datagram shut down: {[k for k in r if k[0] in (30000, 30001, LAST)]}")
    check(got[1] == got[4], f"1 and 4 workers give the same flow records: "
          f"{sorted((got[1] - got[4]).items())[:5]} / {sorted((got[4] - got[1]).items())[:5]}")


if __name__ == "__main__":
    main()
