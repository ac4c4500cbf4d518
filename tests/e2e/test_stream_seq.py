#!/usr/bin/env python3
"""Stream events of TCP sequence tracking, as Suricata 7 raises them
(stream-tcp.c): usage: test_stream_seq.py IDSD OUT_DIR.

One crafted capture, one TCP connection per case (its own client port),
each breaking one rule of the tracker: acks past the window, data and FINs
out of window, data before the last ack, the closing states' (CLOSE_WAIT,
FIN_WAIT1/2, LAST_ACK, TIME_WAIT) wrong sequence numbers and acks, CLOSED
(after the last ACK or an RST) judging nothing, port reuse,
retransmissions, the handshake's wrong ACKs, SYN and SYN/ACK resent on an
established session, timestamps going back, a hole acked past (the app
layer's gap); and a clean connection that must raise none. For each connection the stream-event rules that fire and
the EVE anomaly records (type stream) must name exactly the expected
events; Suricata's "excessive retransmissions" rule pair (flowint on
pkt_retransmission) fires once on the connection that retransmits 10
times."""
import collections
import os
import shutil
import struct
import sys

from e2e_check import check, eve_conf, run_capture
from pcapgen import Tcp, tcp_frame

CLI, SRV = bytes([10, 0, 0, 1]), bytes([192, 168, 1, 1])
FAR = 100000     # past any window of these sessions (65535, unscaled)
SYN, ACK, PA, FA, SA = 0x02, 0x10, 0x18, 0x11, 0x12

EVENTS = [
    "pkt_invalid_ack", "est_invalid_ack", "est_packet_out_of_window", "est_pkt_before_last_ack",
    "pkt_spurious_retransmission", "fin_out_of_window", "fin_invalid_ack",
    "closewait_pkt_before_last_ack", "closewait_invalid_ack", "closewait_ack_out_of_window",
    "closewait_fin_out_of_window", "pkt_retransmission", "fin1_ack_wrong_seq",
    "fin2_invalid_ack", "lastack_ack_wrong_seq", "lastack_invalid_ack", "timewait_invalid_ack",
    "3whs_right_seq_wrong_ack_evasion", "3whs_wrong_seq_wrong_ack", "est_syn_resend",
    "est_syn_resend_diff_seq", "est_synack_resend", "est_synack_resend_with_different_ack",
    "est_synack_resend_with_diff_seq", "pkt_invalid_timestamp", "fin1_fin_wrong_seq",
    "fin2_ack_wrong_seq", "closing_invalid_ack", "timewait_ack_wrong_seq",
    "shutdown_syn_resend", "rst_invalid_ack", "reassembly_seq_gap",
]
SID = {e: 1000 + i for i, e in enumerate(EVENTS)}
RULES = [f'alert tcp any any -> any any (msg:"{e}"; stream-event:{e}; sid:{SID[e]};)'
         for e in EVENTS] + [
    # Suricata's 2210053/2210054 pair
    'alert tcp any any -> any any (msg:"retransmission counted"; stream-event:pkt_retransmission; '
    'flowint:tcp.retransmission.count,+,1; noalert; sid:2000;)',
    'alert tcp any any -> any any (msg:"excessive retransmissions"; '
    'flowbits:isnotset,tcp.retransmission.alerted; flowint:tcp.retransmission.count,>=,10; '
    'flowbits:set,tcp.retransmission.alerted; sid:2001;)',
]
CONF = eve_conf("""
- alert
- flow
- anomaly:
    types: {decode: no, stream: yes, applayer: no}
""")


# Suricata's EVE flow records name the session's state (tcp.state,
# StreamTcpStateAsString) and the flow's, which follows it (flow.state:
# closed from LAST_ACK, TIME_WAIT and CLOSED on); a reused port pair ends
# the old flow: {client port: sorted (tcp.state, flow.state) of its flows}
FLOW_STATES = {
    40016: [("close_wait", "established")],
    40024: [("closed", "closed")],
    40028: [("time_wait", "closed")],
    40029: [("close_wait", "established"), ("closed", "closed")],
    40031: [("closing", "established")],
}


def conn(frames, sp, handshake=True):
    """Client ISN 1000, server ISN 5000: after the handshake the client
    sends from 1001 and the server from 5001."""
    return Tcp(frames, CLI, SRV, sp, 80, handshake)


def cases():
    """{client port: expected events}, the frames."""
    fr, want = [], {}

    c = conn(fr, 40000)                     # clean: no event at all
    c.send(0, b"GET ")
    c.send(1, b"HTTP/1.0 200")
    c.close()
    want[40000] = set()

    c = conn(fr, 40001)                     # an ack far past the server's window
    c.seg(0, ACK, ack=5001 + FAR)
    c.close()
    want[40001] = {"pkt_invalid_ack", "est_invalid_ack"}

    c = conn(fr, 40002)                     # data far past the client's window
    c.seg(0, PA, b"DATA", seq=1001 + FAR)
    c.close()
    want[40002] = {"est_packet_out_of_window"}

    c = conn(fr, 40003)                     # acked data sent again
    c.send(0, b"AAAA")
    c.send(0, b"BBBB")
    c.seg(0, PA, b"AAAA", seq=1001)
    c.close()
    want[40003] = {"pkt_spurious_retransmission", "est_pkt_before_last_ack"}

    c = conn(fr, 40004)                     # a FIN out of window, one with a bad ack
    c.seg(0, FA, seq=1001 + FAR)
    c.seg(0, FA, ack=5001 + FAR)
    c.close()
    want[40004] = {"fin_out_of_window", "fin_invalid_ack", "pkt_invalid_ack"}

    c = conn(fr, 40005)                     # CLOSE_WAIT: the client's FIN came first
    c.send(1, b"XYZW")
    c.seg(0, FA)
    c.seq[0] += 1
    for _ in range(10):                     # the acked data again, 10 times
        c.seg(1, PA, b"XYZW", seq=5001)
    c.seg(1, ACK, ack=1002 + FAR)
    c.seg(1, ACK, seq=5005 + FAR)
    c.seg(1, FA, seq=5005 + FAR)
    c.seg(1, FA)
    c.seq[1] += 1
    c.seg(0, ACK)
    want[40005] = {"pkt_retransmission", "closewait_pkt_before_last_ack", "pkt_invalid_ack",
                   "closewait_invalid_ack", "closewait_ack_out_of_window",
                   "closewait_fin_out_of_window"}

    c = conn(fr, 40006)                     # FIN_WAIT1, FIN_WAIT2: the server's FIN first
    c.seg(1, FA)
    c.seq[1] += 1
    c.seg(0, ACK, seq=1001 + FAR)
    c.seg(0, ACK)
    c.seg(0, FA, ack=5002 + FAR)
    c.seg(0, FA)
    c.seq[0] += 1
    c.seg(1, ACK)
    want[40006] = {"fin1_ack_wrong_seq", "pkt_invalid_ack", "fin2_invalid_ack"}

    # LAST_ACK, then CLOSED: Suricata 7's LAST_ACK closes the session on the
    # client's ACK (StreamTcpPacketStateLastAck), and in CLOSED nothing is
    # judged (StreamTcpPacketStateClosed): the bad ack after it raises
    # nothing (idsd went to TIME_WAIT and raised timewait_invalid_ack)
    c = conn(fr, 40007)
    c.seg(0, FA)
    c.seq[0] += 1
    c.seg(1, FA)
    c.seq[1] += 1
    c.seg(0, ACK, seq=1002 + FAR)
    c.seg(0, ACK, ack=5002 + FAR)
    c.seg(0, ACK)
    c.seg(0, ACK, ack=5002 + FAR)
    want[40007] = {"lastack_ack_wrong_seq", "pkt_invalid_ack", "lastack_invalid_ack"}

    c = conn(fr, 40008, handshake=False)    # the handshake's ACK: right seq, wrong ack
    c.seg(0, SYN)
    c.seq[0] += 1
    c.seg(1, SA)
    c.seq[1] += 1
    c.seg(0, ACK, ack=7777)
    c.seg(0, ACK, seq=3000, ack=7777)
    c.seg(0, ACK)
    c.close()
    want[40008] = {"3whs_right_seq_wrong_ack_evasion", "3whs_wrong_seq_wrong_ack"}

    c = conn(fr, 40009)                     # SYN and SYN/ACK on an established session
    c.seg(0, SYN, seq=1000)
    c.seg(0, SYN, seq=4444)
    c.seg(1, SA, seq=5000)                  # before the server spoke: the ACK may be lost
    c.send(1, b"Z")
    c.seg(1, SA, seq=5000, ack=1001)
    c.seg(1, SA, seq=5000, ack=9999)
    c.seg(1, SA, seq=6000, ack=1001)
    c.close()
    want[40009] = {"est_syn_resend", "est_syn_resend_diff_seq", "est_synack_resend",
                   "est_synack_resend_with_different_ack", "est_synack_resend_with_diff_seq"}

    # timestamps: both sides offer them; a pure ACK going back in time, one with 0
    def ts(val, ecr):
        return b"\x01\x01\x08\x0a" + struct.pack("!II", val, ecr)
    a = (CLI, SRV, 40010, 80)
    b = (SRV, CLI, 80, 40010)
    fr += [tcp_frame(*a, 1000, 0, SYN, opts=ts(100, 0)),
           tcp_frame(*b, 5000, 1001, SA, opts=ts(900, 100)),
           tcp_frame(*a, 1001, 5001, ACK, opts=ts(101, 900)),
           tcp_frame(*a, 1001, 5001, PA, b"HI", opts=ts(102, 900)),
           tcp_frame(*b, 5001, 1003, ACK, opts=ts(901, 102)),
           tcp_frame(*a, 1003, 5001, ACK, opts=ts(50, 901)),
           tcp_frame(*a, 1003, 5001, ACK, opts=ts(0, 901)),
           tcp_frame(*a, 1003, 5001, FA, opts=ts(103, 901)),
           tcp_frame(*b, 5001, 1004, FA, opts=ts(902, 103)),
           tcp_frame(*a, 1004, 5002, ACK, opts=ts(104, 902))]
    want[40010] = {"pkt_invalid_timestamp"}

    c = conn(fr, 40011)                     # an RST acking past the window: ignored
    c.seg(1, 0x14, ack=1001 + FAR)
    c.send(0, b"STILL OPEN")
    c.seg(1, 0x14)
    want[40011] = {"rst_invalid_ack", "pkt_invalid_ack"}

    # FINs sent again in TIME_WAIT and LAST_ACK, as real stacks do when the
    # ack of their FIN is late (zeek's mysql/auth.pcap, http/get-gzip.pcap):
    # Suricata 7 takes no FIN in those states, so nothing is raised
    c = conn(fr, 40012)                     # the server closes first
    c.send(0, b"Q")
    c.seg(1, FA, seq=5001, ack=1002)        # FIN_WAIT1
    c.seg(0, FA, seq=1002, ack=5001)        # its FIN with an ACK: TIME_WAIT
    c.seg(1, ACK, seq=5002, ack=1003)
    c.seg(0, FA, seq=1002, ack=5002)        # the client's FIN again
    c.seg(0, ACK, seq=1003, ack=5002)
    want[40012] = set()
    c = conn(fr, 40013)                     # the client closes first
    c.send(0, b"Q")
    c.seg(0, FA, seq=1002, ack=5001)        # CLOSE_WAIT
    c.seg(1, FA, seq=5001, ack=1002)        # LAST_ACK (the client's FIN not acked)
    c.seg(0, FA, seq=1002, ack=5002)        # the client's FIN again
    c.seg(1, ACK, seq=5002, ack=1003)
    c.seg(0, ACK, seq=1002, ack=5002)       # an ack before the client's next seq
    c.seg(0, ACK, seq=1003, ack=5002)
    want[40013] = set()

    # a FIN sent again before the ack of it (its ack lost past the capture
    # point: zeek's and the corpus's real closings): Suricata 7 compares
    # FIN_WAIT1's FINs with next_seq - 1 and, in CLOSE_WAIT, the client's
    # with its FIN's own sequence number (StreamTcpHandleFin does not count
    # the client's FIN): nothing is raised
    c = conn(fr, 40014)                     # the server's FIN twice in FIN_WAIT1
    c.send(0, b"Q")
    c.seg(1, FA, seq=5001, ack=1002)
    c.seg(1, FA, seq=5001, ack=1002)
    c.seg(0, ACK, seq=1002, ack=5002)       # FIN_WAIT2
    c.seg(0, FA, seq=1002, ack=5002)        # TIME_WAIT
    c.seg(1, ACK, seq=5002, ack=1003)
    want[40014] = set()
    c = conn(fr, 40015)                     # the client's FIN twice in CLOSE_WAIT
    c.send(0, b"Q")
    c.seg(0, FA, seq=1002, ack=5001)
    c.seg(0, FA, seq=1002, ack=5001)
    c.seg(1, ACK, seq=5001, ack=1003)
    c.seg(1, FA, seq=5001, ack=1003)        # LAST_ACK
    c.seg(0, ACK, seq=1003, ack=5002)
    want[40015] = set()
    # once the server acked the client's FIN, Suricata's next_seq for the
    # client is past it (CLOSE_WAIT's update from the server's ack): the
    # FIN again is out of window
    c = conn(fr, 40016)
    c.send(0, b"Q")
    c.seg(0, FA, seq=1002, ack=5001)
    c.seg(1, ACK, seq=5001, ack=1003)
    c.seg(0, FA, seq=1002, ack=5001)
    want[40016] = {"closewait_fin_out_of_window"}

    # StreamTcpHandleFin: the FIN's ack first, then its segment from the
    # last ack to the window's right edge
    c = conn(fr, 40017)                     # a bad ack and a bad seq: the ack's event
    c.seg(0, FA, seq=1001 + FAR, ack=5001 + FAR)
    c.close()
    want[40017] = {"fin_invalid_ack", "pkt_invalid_ack"}
    c = conn(fr, 40018)                     # unacked data sent again with the FIN
    c.seg(0, PA, b"AAAA")
    c.seg(0, FA, b"AAAA", seq=1001)         # CLOSE_WAIT
    c.seq[0] += 5
    c.seg(1, ACK)
    c.seg(1, FA)                            # LAST_ACK
    c.seq[1] += 1
    c.seg(0, ACK)                           # CLOSED
    want[40018] = set()
    c = conn(fr, 40019)                     # a FIN whose data ends past the window
    c.seg(0, FA, b"ABCD", seq=1001 + 65535 - 2)
    want[40019] = {"fin_out_of_window"}

    # StreamTcpPacketStateFinWait1: a FIN with an ACK moves to TIME_WAIT
    # whatever it acks; an ACK that acks less than the server's FIN is not
    # judged by its sequence number
    c = conn(fr, 40020)                     # the server's FIN again, acking new data
    c.seg(1, FA, seq=5001, ack=1001)        # FIN_WAIT1
    c.seg(0, PA, b"MORE", seq=1001, ack=5001)
    c.seg(1, FA, seq=5001, ack=1005)        # TIME_WAIT
    c.seg(0, ACK, seq=1005, ack=5002 + FAR)
    want[40020] = {"timewait_invalid_ack", "pkt_invalid_ack"}
    c = conn(fr, 40021)                     # the client's FIN crossing the server's
    c.seg(1, FA, seq=5001, ack=1001)        # FIN_WAIT1
    c.seg(0, FA, seq=1001, ack=5001)        # TIME_WAIT, not CLOSING
    c.seg(1, ACK, seq=5002, ack=1002 + FAR)
    want[40021] = {"timewait_invalid_ack", "pkt_invalid_ack"}
    c = conn(fr, 40022)
    c.seg(1, FA, seq=5001, ack=1001)        # FIN_WAIT1
    c.seg(0, ACK, seq=1001 + FAR, ack=5001)  # acks less than the FIN: taken
    c.seg(0, ACK, seq=1001, ack=5002)       # FIN_WAIT2
    c.seg(0, FA, seq=1001, ack=5002)        # TIME_WAIT
    c.seg(1, ACK, seq=5002, ack=1002)
    want[40022] = set()

    # holes the server acks past: their bytes are not coming, and the app
    # layer is told of each gap (ReassembleUpdateAppLayer's
    # reassembly_seq_gap) with the server's ACK that passes it, data
    # waiting after it, whether raw inspection has caught up or not (idsd
    # told it once raw inspection had, with the client's next packet); the
    # session then closes cleanly, its next sequence number past the holes
    # (HandleEstablishedPacketTo*)
    c = conn(fr, 40023)
    c.send(0, b"GET /a HTTP/1.0\r\n\r\n")
    c.send(1, b"HTTP/1.0 200 OK\r\n\r\n")
    c.seg(0, PA, b"GET /b HTTP/1.0\r\n\r\n", seq=c.seq[0] + 4)  # 4 bytes never seen
    c.seq[0] += 4 + 20                      # and 1 after /b's 19
    c.seg(1, ACK)
    c.send(0, b"GET /c HTTP/1.0\r\n\r\n")
    c.close()
    want[40023] = {"reassembly_seq_gap"}

    # TIME_WAIT (StreamTcpPacketStateTimeWait): the ACK taken closes the
    # session (CLOSED), after which a bad ack raises nothing
    c = conn(fr, 40024)
    c.seg(1, FA)                            # FIN_WAIT1
    c.seq[1] += 1
    c.seg(0, ACK)                           # FIN_WAIT2
    c.seg(0, FA)                            # TIME_WAIT
    c.seq[0] += 1
    c.seg(1, ACK)                           # CLOSED
    c.seg(1, ACK, ack=1002 + FAR)
    c.seg(0, ACK, seq=1002 + FAR)
    want[40024] = set()
    # ... and its ACK's sequence number must be the sender's next exactly
    # (the server's: its FIN's or the one after), not anywhere in the window
    c = conn(fr, 40025)
    c.seg(1, FA)
    c.seq[1] += 1
    c.seg(0, ACK)
    c.seg(0, FA)                            # TIME_WAIT
    c.seq[0] += 1
    c.seg(1, ACK, seq=5002 + 10)
    c.seg(1, ACK)                           # CLOSED
    want[40025] = {"timewait_ack_wrong_seq"}
    # LAST_ACK judges only the client's ACKs: the server's packets pass
    # unjudged (no lastack_* event for a bad seq or ack)
    c = conn(fr, 40026)
    c.seg(0, FA)                            # CLOSE_WAIT
    c.seq[0] += 1
    c.seg(1, FA)                            # LAST_ACK
    c.seq[1] += 1
    c.seg(1, ACK, seq=5002 + FAR)
    c.seg(1, ACK, ack=1002 + FAR)
    c.seg(0, ACK)                           # CLOSED
    want[40026] = set()
    # an RST taken closes the session (StreamTcpCloseSsnWithReset): what
    # follows is not judged
    c = conn(fr, 40027)
    c.send(0, b"Q")
    c.seg(1, 0x14)                          # RST/ACK at the server's next seq
    c.seg(0, ACK, ack=5001 + FAR)
    c.seg(0, PA, b"LATE", seq=1002 + FAR)
    c.seg(1, 0x14, ack=1002 + FAR)          # an RST in CLOSED is not judged either
    want[40027] = set()
    # port reuse (TcpSessionReuseDoneEnoughSyn): a new SYN is a new
    # connection when the session is at least LAST_ACK in Suricata's order
    # (LAST_ACK, CLOSE_WAIT, CLOSING, CLOSED), not in TIME_WAIT: there it
    # is refused as a SYN resent on a closing session
    c = conn(fr, 40028)
    c.seg(1, FA)
    c.seq[1] += 1
    c.seg(0, ACK)
    c.seg(0, FA)                            # TIME_WAIT, its last ACK unseen
    c.seq[0] += 1
    c.seg(0, SYN, seq=90000)
    want[40028] = {"shutdown_syn_resend"}
    c = conn(fr, 40029)
    c.seg(0, FA)                            # CLOSE_WAIT: done enough
    c.seq[0] = 90000                        # a new connection, its own handshake
    c.seq[1] = 70000
    c.seg(0, SYN)
    c.seq[0] += 1
    c.seg(1, SA)
    c.seq[1] += 1
    c.seg(0, ACK)
    c.send(0, b"AGAIN")
    c.close()
    want[40029] = set()
    # the client's data lost before the capture point, the server's FIN
    # again acking it (FIN_WAIT1 -> TIME_WAIT): the closing states move the
    # client's next sequence number to that ack ("missed the client
    # packet"), so its next packet is the right one and closes the session,
    # its data past the hole handing the gap over with it (zeek's
    # tcp/reassembly.pcap)
    c = conn(fr, 40030)
    c.seg(1, FA, seq=5001, ack=1001)        # FIN_WAIT1
    c.seg(1, FA, seq=5001, ack=1005)        # TIME_WAIT, "LOST" unseen
    c.seg(0, PA, b"MORE", seq=1005, ack=5002)  # CLOSED
    c.seg(0, ACK, seq=1009, ack=5002 + FAR)
    want[40030] = {"reassembly_seq_gap"}
    # FINs crossing without an ACK: CLOSING, an established flow for
    # Suricata (its flow state is closed from LAST_ACK and TIME_WAIT on)
    c = conn(fr, 40031)
    c.seg(1, FA)                            # FIN_WAIT1
    c.seg(0, 0x01)                          # the client's FIN, no ACK: CLOSING
    want[40031] = set()
    return fr, want


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames, want = cases()
    recs = run_capture(idsd, out, "streamseq", frames, RULES, CONF)
    alerts, anomalies = collections.defaultdict(set), collections.defaultdict(set)
    excessive, gap_from = collections.Counter(), collections.defaultdict(set)
    states = collections.defaultdict(list)
    for r in recs:
        port = r.get("src_port") if r.get("src_port") != 80 else r.get("dest_port")
        if r["event_type"] == "alert":
            sid = r["alert"]["signature_id"]
            if sid == 2001:
                excessive[port] += 1
            else:
                alerts[port].add(r["alert"]["signature"])
        elif r["event_type"] == "flow":
            states[port].append((r["tcp"]["state"], r["flow"]["state"]))
        elif r["event_type"] == "anomaly" and r["anomaly"]["type"] == "stream":
            ev = r["anomaly"]["event"]
            check(ev.startswith("stream."), f"anomaly event named stream.NAME: {ev}")
            anomalies[port].add(ev[len("stream."):])
            if ev == "stream.reassembly_seq_gap":
                gap_from[port].add(r["src_port"])
    for port, evs in sorted(want.items()):
        check(alerts[port] == evs, f"client port {port}: stream-event rules fired "
              f"{sorted(alerts[port])}, want {sorted(evs)}")
        check(anomalies[port] == evs, f"client port {port}: anomaly records "
              f"{sorted(anomalies[port])}, want {sorted(evs)}")
    for port, want_states in FLOW_STATES.items():
        check(sorted(states[port]) == want_states, f"client port {port}: flow records' "
              f"(tcp.state, flow.state) {sorted(states[port])}, want {want_states}")
    # the server's ACKs past the holes carry the gaps (Suricata hands them to
    # the app layer with the ack, raw inspection caught up or not); in a
    # closed session the client's own packet does (both directions updated)
    check(dict(gap_from) == {40023: {80}, 40030: {40030}},
          f"reassembly_seq_gap raised on the packets handing the gap over: {dict(gap_from)}")
    check(dict(excessive) == {40005: 1},
          f"excessive retransmissions fired once, on the connection retransmitting: "
          f"{dict(excessive)}")
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
