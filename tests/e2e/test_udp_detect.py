#!/usr/bin/env python3
"""UDP protocol detection in both directions, as Suricata 7's
AppLayerHandleUdp: usage: test_udp_detect.py IDSD OUT_DIR.

Each direction's first datagram is probed. A first datagram that starts no
protocol fails the flow only until the other direction's first one starts
one: a query that is not DNS answered by a DNS response makes the flow
dns, its parser sees the response, and the flow and alert records say
app_proto_ts "failed". A DNS query answered by anything else keeps dns for
both (a probe that finds nothing takes the flow's: no app_proto_tc);
nothing in either direction leaves the flow failed."""
import os
import shutil
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_check import check, eve_conf, run_capture  # noqa: E402
from pcapgen import udp_frame  # noqa: E402

CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
QNAME = b"\x07example\x03org\x00"
QUERY = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + QNAME + struct.pack("!HH", 1, 1)
RESPONSE = (struct.pack("!HHHHHH", 0x1234, 0x8180, 1, 1, 0, 0) + QNAME + struct.pack("!HH", 1, 1)
            + struct.pack("!HHHIH", 0xc00c, 1, 1, 60, 4) + bytes([192, 0, 2, 7]))
GARBAGE = b"this is no dns message at all, just some text"
RULES = ['alert udp any 53 -> any any (msg:"dns reply"; app-layer-protocol:dns; sid:1;)']
# client port -> (query, answer)
FLOWS = {41001: (GARBAGE, RESPONSE), 41002: (QUERY, GARBAGE), 41003: (GARBAGE, GARBAGE)}


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    for port, (q, a) in FLOWS.items():
        frames.append(udp_frame(CLI, SRV, port, 53, q))
        frames.append(udp_frame(SRV, CLI, 53, port, a))
    eve = run_capture(idsd, out, "udp", frames, RULES, eve_conf("- alert\n- flow\n- dns"))
    flows = {e["src_port"]: e for e in eve if e.get("event_type") == "flow"}
    alerts = [e for e in eve if e.get("event_type") == "alert"]
    f = flows.get(41001, {})
    check((f.get("app_proto"), f.get("app_proto_ts"), "app_proto_tc" in f) == ("dns", "failed", False),
          f"not-DNS query, DNS answer: dns, app_proto_ts failed: {f}")
    a = [x for x in alerts if x["dest_port"] == 41001]
    check(len(a) == 1 and a[0].get("app_proto") == "dns" and a[0].get("app_proto_ts") == "failed",
          f"its answer alerts as dns, app_proto_ts failed: {a}")
    answers = [e for e in eve if e.get("event_type") == "dns" and
               e.get("flow_id") == f.get("flow_id")]
    check(len(answers) == 1 and answers[0]["dns"].get("type") == "answer",
          f"the parser saw the answer: {answers}")
    f = flows.get(41002, {})
    check((f.get("app_proto"), "app_proto_ts" in f, "app_proto_tc" in f) == ("dns", False, False),
          f"DNS query, other answer: dns both ways: {f}")
    f = flows.get(41003, {})
    check((f.get("app_proto"), "app_proto_ts" in f, "app_proto_tc" in f) == ("failed", False, False),
          f"neither: failed: {f}")
    # Suricata's app-layer-protocol takes the packet direction's protocol:
    # the answer that is no DNS took the flow's (dns); none on a failed flow
    check(sorted(x["dest_port"] for x in alerts) == [41001, 41002],
          f"dns answers on 41001 and 41002, none on the failed flow: {alerts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
