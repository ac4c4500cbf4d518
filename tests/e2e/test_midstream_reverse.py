#!/usr/bin/env python3
"""End-to-end test of a flow turned around by protocol detection: usage:
test_midstream_reverse.py IDSD OUT_DIR.

With stream.midstream on, a TCP session picked up without its handshake
takes the sender of its first packet as the client. When that first data is
an HTTP status line (a to-client pattern), Suricata 7 reverses the flow
(app-layer.c TCPProtoDetect: FlowSwap, PacketSwap): the server is the other
side from then on. The capture: 10.0.1.1:80 sends "HTTP/1.1 200 OK" to
10.0.0.1:40001 first, then both sides send more. The later bytes of
10.0.1.1 must be to_client and those of 10.0.0.1 to_server, and the flow
record must name 10.0.0.1 as its source, with the packets counted by their
reversed directions."""
import os
import shutil
import sys

from e2e_check import Checks, alert_sids, eve_conf, run_capture
from pcapgen import Tcp

RULES = [
    'alert tcp any any -> any any (flow:to_client; content:"LATER-FROM-SERVER"; sid:1;)',
    'alert tcp any any -> any any (flow:to_server; content:"LATER-FROM-CLIENT"; sid:2;)',
    'alert tcp any any -> any any (flow:to_server; content:"LATER-FROM-SERVER"; sid:3;)',
    'alert tcp any any -> any any (flow:to_client; content:"LATER-FROM-CLIENT"; sid:4;)',
]


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    # direction 0 is the side that sends first: the server, seen midstream
    t = Tcp(frames, bytes([10, 0, 1, 1]), bytes([10, 0, 0, 1]), 80, 40001, handshake=False)
    t.send(0, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
    t.send(0, b"LATER-FROM-SERVER")
    t.send(1, b"LATER-FROM-CLIENT")
    t.seg(0, 0x10)
    eve = run_capture(idsd, out, "reverse", frames, RULES,
                      conf=eve_conf("- alert\n- flow\n"), args=["--set", "stream.midstream=true"])
    check = Checks()
    sids = alert_sids(eve)
    check(1 in sids and 2 in sids, f"later bytes take the reversed directions: sids {sids}")
    check(3 not in sids and 4 not in sids, f"and not the first packet's: sids {sids}")
    flows = [e for e in eve if e.get("event_type") == "flow"]
    check(len(flows) == 1, f"one flow record: {len(flows)}")
    if flows:
        f = flows[0]
        check((f["src_ip"], f["src_port"], f["dest_ip"], f["dest_port"]) ==
              ("10.0.0.1", 40001, "10.0.1.1", 80),
              f"flow record from the client found: {f['src_ip']}:{f['src_port']}")
        # 10.0.1.1 sent 4 packets (2 data, 2 acks), 10.0.0.1 sent 3 (1 data, 2 acks)
        check((f["flow"]["pkts_toserver"], f["flow"]["pkts_toclient"]) == (3, 4),
              f"packets by reversed direction: {f['flow']}")
    return check.done("midstream_reverse")


if __name__ == "__main__":
    sys.exit(main())
