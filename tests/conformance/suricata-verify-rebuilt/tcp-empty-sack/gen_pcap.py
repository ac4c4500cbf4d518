"""Capture for upstream tests/tcp-empty-sack (OISF suricata-verify 8ffd4d2829d4):
a TCP handshake whose SYN offers SACK, then segments carrying an empty SACK
option (kind 5, length 2: no blocks), which Suricata 7 accepts without the
tcp.opt_invalid_len event; the upstream capture is not available, its rules and
check (no alert from sid 2200036) are what is rebuilt here.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, IP, TCP, wrpcap
C, S = "10.0.0.1", "10.0.0.2"
eth = Ether(src="00:01:02:03:04:05", dst="05:04:03:02:01:00")
def c2s(**kw):
    return eth/IP(src=C, dst=S)/TCP(sport=40000, dport=80, **kw)
def s2c(**kw):
    return eth/IP(src=S, dst=C)/TCP(sport=80, dport=40000, **kw)
empty_sack = [("NOP", None), ("NOP", None), ("SAck", b"")]
req = b"GET / HTTP/1.0\r\n\r\n"
pkts = [c2s(flags="S", seq=100, options=[("MSS", 1460), ("SAckOK", b"")]),
        s2c(flags="SA", seq=500, ack=101, options=[("MSS", 1460), ("SAckOK", b"")]),
        c2s(flags="A", seq=101, ack=501, options=empty_sack),
        c2s(flags="PA", seq=101, ack=501, options=empty_sack)/req,
        s2c(flags="A", seq=501, ack=101 + len(req), options=empty_sack)]
wrpcap(sys.argv[1], pkts)
