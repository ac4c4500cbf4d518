"""Capture for upstream tests/ipv4-truncated (OISF suricata-verify b1c580f9f20e,
Suricata ticket 7460): one IPv4 packet whose total length announces more bytes
than the frame holds (ipv4.trunc_pkt), so its addresses and ports are unknown
and the alert must not log them; the upstream capture is not available.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, IP, UDP, wrpcap
pkt = (Ether(src="00:01:02:03:04:05", dst="05:04:03:02:01:00")/
       IP(src="10.0.0.1", dst="10.0.0.2", len=400)/UDP(sport=1234, dport=53)/(b"x" * 20))
wrpcap(sys.argv[1], [pkt])
