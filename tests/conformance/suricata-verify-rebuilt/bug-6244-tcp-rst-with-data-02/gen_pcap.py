"""Capture for upstream tests/bug-6244-tcp-rst-with-data-02 (OISF suricata-verify
e6524a35f992): as bug-6244-tcp-rst-with-data, but the server itself ends its
stream with a bare RST (no ACK) that carries "Access Denied".
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, Dot1Q, IP, TCP, wrpcap
C, S = "1.1.1.1", "2.2.2.2"
def c2s(**kw):
    return Ether(dst="05:04:03:02:01:00", src="00:01:02:03:04:05")/Dot1Q(vlan=6)/IP(src=C, dst=S)/TCP(sport=12345, dport=8080, **kw)
def s2c(**kw):
    return Ether(src="05:04:03:02:01:00", dst="00:01:02:03:04:05")/Dot1Q(vlan=6)/IP(src=S, dst=C)/TCP(sport=8080, dport=12345, **kw)
pkts = [c2s(flags="S", seq=1, options=[("WScale", 14)]),
        s2c(flags="SA", seq=1000, ack=2, options=[("WScale", 14)], window=65535),
        c2s(flags="A", seq=2, ack=1001, window=65535)]
seq = 1001
for word in (b"Please ", b"Let ", b"Me ", b"In!"):
    pkts.append(s2c(flags="AP", seq=seq, ack=2, window=65535)/word)
    seq += len(word)
pkts.append(s2c(flags="R", seq=seq, window=65535)/b"Access Denied")
wrpcap(sys.argv[1], pkts)
