#!/usr/bin/python3
"""Writes hoststate.pcap, the capture of tests/e2e/test_hoststate.py, with
scapy (Debian's python3-scapy; run with the system python:
/usr/bin/python3 make_hoststate.py). Crafted here, no third-party data.

One attacker host (10.0.0.5) opens many TCP connections, each from its own
source port, to servers in 192.168.1.0/24, so that a flow hash spreads them
over every worker; two other clients (10.0.0.6, 10.0.0.7) add traffic that
must not count as the attacker's. Each connection is a handshake, one
request (optionally one response), FIN both ways. What the requests carry
drives the rules of the test: an xbit set on the attacker in one flow and
tested in later ones (by source and, on responses, by destination), an
ip_pair bit, thresholds by_src / by_dst / by_both / by_rule and a
detection_filter, and a threshold.config entry, whose counts need flows of
several workers. Deterministic:
fixed timestamps (1 ms apart), no random fields."""
import os

from scapy.all import IP, TCP, Ether, Raw, wrpcap

OUT = os.path.dirname(os.path.abspath(__file__))
A, B, C = "10.0.0.5", "10.0.0.6", "10.0.0.7"


def srv(n):
    return f"192.168.1.{n}"


class Capture:
    def __init__(self):
        self.frames = []
        self.t = 1700000000.0
        self.sport = 20000

    def add(self, pkt):
        pkt = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / pkt
        pkt.time = self.t
        self.t += 0.001
        self.frames.append(pkt)

    def session(self, cli, server, dport, req, resp=None):
        """A connection from cli to server:dport carrying req (and resp)."""
        self.sport += 1
        sp, cs, ss = self.sport, 1000, 5000
        c = IP(src=cli, dst=server, id=1)
        s = IP(src=server, dst=cli, id=2)
        self.add(c / TCP(sport=sp, dport=dport, flags="S", seq=cs))
        self.add(s / TCP(sport=dport, dport=sp, flags="SA", seq=ss, ack=cs + 1))
        cs += 1
        ss += 1
        self.add(c / TCP(sport=sp, dport=dport, flags="A", seq=cs, ack=ss))
        self.add(c / TCP(sport=sp, dport=dport, flags="PA", seq=cs, ack=ss) / Raw(req))
        cs += len(req)
        self.add(s / TCP(sport=dport, dport=sp, flags="A", seq=ss, ack=cs))
        if resp is not None:
            self.add(s / TCP(sport=dport, dport=sp, flags="PA", seq=ss, ack=cs) / Raw(resp))
            ss += len(resp)
            self.add(c / TCP(sport=sp, dport=dport, flags="A", seq=cs, ack=ss))
        self.add(c / TCP(sport=sp, dport=dport, flags="FA", seq=cs, ack=ss))
        self.add(s / TCP(sport=dport, dport=sp, flags="FA", seq=ss, ack=cs + 1))
        self.add(c / TCP(sport=sp, dport=dport, flags="A", seq=cs + 1, ack=ss + 1))


def build(cap):
    # before the mark: the attacker's data requests are not flagged yet
    for n in range(1, 4):
        cap.session(A, srv(n), 7000, b"DATA-REQ before")
    # the mark: hostbit (xbits track ip_src) on the attacker
    cap.session(A, srv(9), 7001, b"MARK-BAD login failed")
    # after it: every data request of the attacker, any server; its
    # responses match by destination; the other client never
    for n in range(1, 9):
        cap.session(A, srv(n), 7000, b"DATA-REQ after", b"DATA-RESP" if n <= 3 else None)
    cap.session(B, srv(1), 7000, b"DATA-REQ other", b"DATA-RESP")
    # threshold by_src, count 3: the 3rd and the 6th of the attacker's 7;
    # the other client's 2 are its own count
    for n in range(7):
        cap.session(A, srv(10 + n), 7002, b"PING-X")
        if n in (1, 4):
            cap.session(B, srv(10 + n), 7002, b"PING-X")
    # limit by_dst, count 2: the first two to .30 from anyone
    for cli in (A, B, A, C, A):
        cap.session(cli, srv(30), 7003, b"LIM-Y")
    # detection_filter by_src, count 2: the attacker's 3rd, 4th, 5th
    for n in range(5):
        cap.session(A, srv(40 + n), 7004, b"SCAN-ME")
    # ip_pair bit between the attacker and .50, tested towards .50 and .51
    cap.session(A, srv(50), 7005, b"PAIR-SET")
    for n in range(3):
        cap.session(A, srv(50), 7006 + n, b"PAIR-CHK")
        cap.session(A, srv(51), 7006 + n, b"PAIR-CHK")
    # threshold both by_rule, count 4: one alert, on the 4th from anyone
    for cli in (A, B, C, A, B, C):
        cap.session(cli, srv(60), 7010, b"RULE-Z")
    # limit by_both, count 1: one pair, either direction
    for n in range(3):
        cap.session(A, srv(70), 7011 + n, b"BOTH-W")
    cap.session(srv(70), A, 7014, b"BOTH-W")
    # threshold.config's limit by_src, count 1, on a rule without one
    for n in range(4):
        cap.session(A, srv(80 + n), 7020, b"TC-V")
        cap.session(B, srv(80 + n), 7020, b"TC-V")


def main():
    cap = Capture()
    build(cap)
    wrpcap(os.path.join(OUT, "hoststate.pcap"), cap.frames)


if __name__ == "__main__":
    main()
