#!/usr/bin/env python3
"""Stream events of the TCP handshakes, RSTs and windows, as Suricata 7
raises them (stream-tcp.c), and refused packets kept out of the stream:
usage: test_stream_hs.py IDSD OUT_DIR.

Crafted captures, one TCP connection per case (its own client port):
the 4-way handshake (SYN both ways, the client's SYN/ACK, the server's
ACK) right and broken each way, SYNs resent with 11 other timestamps and
SYN/ACKs with 6 other ISNs (Suricata's queues of 10 and 5 overflow), TCP
Fast Open data acked or ignored, FIN with SYN, a window shrunk by a packet
acking unseen data, an RST with the wrong sequence number (ignored: the
session stays open, so a new SYN is a resend), an RST with an MD5 option
whose sender goes on (injected). For each connection the stream-event
rules that fire and the EVE anomaly records must name exactly the
expected events. Then data Suricata does not reassemble: the halves of
"EVIL" sent with an ack past the window, or out of the window, must not
match a content rule over the stream, while the same halves sent right
do. A second capture runs with stream.async-oneside, stream.inline and
stream.midstream on: a one-sided handshake's wrong sequence number, the
server's ACK before the client's (and with data fitting it), a segment
before the stream's base."""
import collections
import os
import shutil
import struct
import sys

from e2e_check import check, eve_conf, run_capture
from pcapgen import Tcp, tcp_frame

CLI, SRV = bytes([10, 0, 0, 1]), bytes([192, 168, 1, 1])
FAR = 100000     # past any window of these sessions (65535, unscaled)
SYN, ACK, PA, FA, SA, RA = 0x02, 0x10, 0x18, 0x11, 0x12, 0x14

EVENTS = [
    "4whs_synack_with_wrong_ack", "4whs_synack_with_wrong_syn", "4whs_wrong_seq",
    "4whs_invalid_ack", "pkt_invalid_ack", "3whs_syn_flood", "3whs_synack_flood",
    "3whs_synack_tfo_data_ignored", "fin_syn", "pkt_bad_window_update",
    "est_syn_resend_diff_seq", "suspected_rst_inject", "est_invalid_ack",
    "est_packet_out_of_window", "3whs_async_wrong_seq", "3whs_ack_in_wrong_dir",
    "3whs_ack_data_inject", "reassembly_segment_before_base_seq",
]
SID = {e: 1000 + i for i, e in enumerate(EVENTS)}
RULES = [f'alert tcp any any -> any any (msg:"{e}"; stream-event:{e}; sid:{SID[e]};)'
         for e in EVENTS] + [
    'alert tcp any any -> any any (msg:"EVIL in the stream"; flow:to_server; content:"EVIL"; '
    'sid:3000;)',
]
CONF = eve_conf("""
- alert
- anomaly:
    types: {decode: no, stream: yes, applayer: no}
""")


def ts(val, ecr=0):
    return b"\x01\x01\x08\x0a" + struct.pack("!II", val, ecr)


def four_way(fr, sp, synack_seq=1000, synack_ack=5001):
    """SYN (client ISN 1000), SYN (server ISN 5000), the client's SYN/ACK."""
    a, b = (CLI, SRV, sp, 80), (SRV, CLI, 80, sp)
    fr += [tcp_frame(*a, 1000, 0, SYN), tcp_frame(*b, 5000, 0, SYN),
           tcp_frame(*a, synack_seq, synack_ack, SA)]
    return a, b


def cases():
    """{client port: expected events}, {client port: EVIL expected}, frames."""
    fr, want, evil = [], {}, {}

    a, b = four_way(fr, 41000)              # a clean 4-way handshake, then data
    fr += [tcp_frame(*b, 5001, 1001, ACK), tcp_frame(*a, 1001, 5001, PA, b"GET /"),
           tcp_frame(*b, 5001, 1006, PA, b"200 OK"), tcp_frame(*a, 1006, 5007, ACK),
           tcp_frame(*a, 1006, 5007, FA), tcp_frame(*b, 5007, 1007, FA),
           tcp_frame(*a, 1007, 5008, ACK)]
    want[41000] = set()

    four_way(fr, 41001, synack_ack=9999)     # the SYN/ACK acks something else
    want[41001] = {"4whs_synack_with_wrong_ack"}

    four_way(fr, 41002, synack_seq=1234)     # ... or is not from the first SYN
    want[41002] = {"4whs_synack_with_wrong_syn"}

    _, b = four_way(fr, 41003)              # the server's ACK: wrong seq, then bad ack
    fr += [tcp_frame(*b, 7777, 1001, ACK), tcp_frame(*b, 5001, 1001 + FAR, ACK)]
    want[41003] = {"4whs_wrong_seq", "4whs_invalid_ack", "pkt_invalid_ack"}

    a = (CLI, SRV, 41004, 80)               # a SYN resent with 11 other timestamps
    fr += [tcp_frame(*a, 1000, 0, SYN, opts=ts(100 + i)) for i in range(12)]
    want[41004] = {"3whs_syn_flood"}

    c = Tcp(fr, CLI, SRV, 41005, 80, handshake=False)   # SYN/ACKs with 6 other ISNs
    c.seg(0, SYN, seq=1000)
    for isn in [5000] + [6000 + k for k in range(6)]:
        c.seg(1, SA, seq=isn, ack=1001)
    want[41005] = {"3whs_synack_flood"}

    # TCP Fast Open: a SYN with a cookie and data; the server acks the SYN only
    tfo = b"\x22\x0a" + b"\x11" * 8 + b"\x01\x01"
    for sp, acked in ((41006, 1001), (41007, 1006)):
        a, b = (CLI, SRV, sp, 80), (SRV, CLI, 80, sp)
        fr += [tcp_frame(*a, 1000, 0, SYN, b"HELLO", opts=tfo),
               tcp_frame(*b, 5000, acked, SA), tcp_frame(*a, acked, 5001, ACK)]
        if acked == 1001:
            fr.append(tcp_frame(*a, 1001, 5001, PA, b"HELLO"))
        fr += [tcp_frame(*b, 5001, 1006, ACK), tcp_frame(*a, 1006, 5001, FA),
               tcp_frame(*b, 5001, 1007, FA), tcp_frame(*a, 1007, 5002, ACK)]
    want[41006] = {"3whs_synack_tfo_data_ignored"}
    want[41007] = set()

    c = Tcp(fr, CLI, SRV, 41008, 80)        # FIN with SYN from the client
    c.seg(0, FA | SYN)
    want[41008] = {"fin_syn"}

    c = Tcp(fr, CLI, SRV, 41009, 80)        # the server acks unseen data, shrinks the window
    fr.append(tcp_frame(SRV, CLI, 80, 41009, 5101, 1051, ACK, win=100))
    want[41009] = {"pkt_bad_window_update"}

    c = Tcp(fr, CLI, SRV, 41010, 80)        # an RST out of sequence: ignored
    c.seg(0, RA, seq=1501)
    c.seg(0, SYN, seq=3000)
    want[41010] = {"est_syn_resend_diff_seq"}

    c = Tcp(fr, CLI, SRV, 41011, 80)        # the same RST in sequence closes: a new SYN is new
    c.seg(0, RA)
    c.seg(0, SYN, seq=3000)
    want[41011] = set()

    c = Tcp(fr, CLI, SRV, 41012, 80)        # an RST with MD5 whose sender goes on
    fr.append(tcp_frame(CLI, SRV, 41012, 80, 1001, 5001, RA,
                        opts=b"\x13\x12" + b"\x00" * 16 + b"\x01\x01"))
    c.send(0, b"MORE")
    want[41012] = {"suspected_rst_inject"}

    # "EVIL" in two halves: right, the second with an ack past the window,
    # the second past the 3 bytes of window the server gave
    for sp, ack2, win in ((42000, 5001, 65535), (42001, 5001 + FAR, 65535), (42002, 5001, 3)):
        a, b = (CLI, SRV, sp, 80), (SRV, CLI, 80, sp)
        fr += [tcp_frame(*a, 1000, 0, SYN), tcp_frame(*b, 5000, 1001, SA, win=win),
               tcp_frame(*a, 1001, 5001, ACK), tcp_frame(*a, 1001, 5001, PA, b"EV"),
               tcp_frame(*a, 1003, ack2, PA, b"IL")]
        # what the tracker took: both halves, or the first
        nxt = 1005 if sp == 42000 else 1003
        fr += [tcp_frame(*b, 5001, nxt, ACK), tcp_frame(*a, nxt, 5001, FA),
               tcp_frame(*b, 5001, nxt + 1, FA), tcp_frame(*a, nxt + 1, 5002, ACK)]
    want[42000] = set()
    want[42001] = {"pkt_invalid_ack", "est_invalid_ack"}
    want[42002] = {"est_packet_out_of_window"}
    evil.update({42000: True, 42001: False, 42002: False})
    return fr, want, evil


def cases_relaxed():
    """stream.async-oneside, stream.inline, stream.midstream on."""
    fr, want = [], {}
    for sp, seq in ((43000, 1005), (43001, 1001)):   # SYN, then the client's ACK only
        a = (CLI, SRV, sp, 80)
        fr += [tcp_frame(*a, 1000, 0, SYN), tcp_frame(*a, seq, 5001, ACK)]
    want[43000] = {"3whs_async_wrong_seq"}
    want[43001] = set()
    for sp, data in ((43002, b""), (43003, b"INJECTED")):  # the server's ACK first
        c = Tcp(fr, CLI, SRV, sp, 80, handshake=False)
        c.seg(0, SYN)
        c.seq[0] += 1
        c.seg(1, SA)
        c.seq[1] += 1
        c.seg(1, PA if data else ACK, data)
    want[43002] = {"3whs_ack_in_wrong_dir"}
    want[43003] = {"3whs_ack_data_inject"}
    c = Tcp(fr, CLI, SRV, 43004, 80, handshake=False)   # midstream: data before the base
    c.seg(0, PA, b"ABCD", seq=2000, ack=5001)
    c.seg(1, ACK, seq=5001, ack=2004)
    c.seg(0, PA, b"0123456789", seq=1900, ack=5001)
    want[43004] = {"reassembly_segment_before_base_seq"}
    return fr, want


def events_by_port(recs):
    alerts, anomalies = collections.defaultdict(set), collections.defaultdict(set)
    for r in recs:
        port = r.get("src_port") if r.get("src_port") != 80 else r.get("dest_port")
        if r["event_type"] == "alert":
            alerts[port].add(r["alert"]["signature"])
        elif r["event_type"] == "anomaly" and r["anomaly"]["type"] == "stream":
            ev = r["anomaly"]["event"]
            check(ev.startswith("stream."), f"anomaly event named stream.NAME: {ev}")
            anomalies[port].add(ev[len("stream."):])
    return alerts, anomalies


def compare(alerts, anomalies, want):
    for port, evs in sorted(want.items()):
        got = alerts[port] - {"EVIL in the stream"}
        check(got == evs, f"client port {port}: stream-event rules fired {sorted(got)}, "
              f"want {sorted(evs)}")
        check(anomalies[port] == evs, f"client port {port}: anomaly records "
              f"{sorted(anomalies[port])}, want {sorted(evs)}")


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "relaxed"))
    frames, want, evil = cases()
    alerts, anomalies = events_by_port(run_capture(idsd, out, "streamhs", frames, RULES, CONF))
    compare(alerts, anomalies, want)
    for port, fires in sorted(evil.items()):
        check(("EVIL in the stream" in alerts[port]) == fires,
              f"client port {port}: the content rule over the stream "
              f"{'fires' if fires else 'does not fire'}")
    frames, want = cases_relaxed()
    recs = run_capture(idsd, os.path.join(out, "relaxed"), "relaxed", frames, RULES, CONF,
                       args=("--set", "stream.async-oneside=yes", "--set", "stream.inline=yes",
                             "--set", "stream.midstream=yes"))
    compare(*events_by_port(recs), want)
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
