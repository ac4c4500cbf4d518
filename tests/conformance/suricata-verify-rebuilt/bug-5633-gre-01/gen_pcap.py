"""Capture for upstream tests/bug-5633-gre-01 (OISF suricata-verify d28d26435650):
three GRE (version 0) packets over VLAN 6, each carrying an inner IPv4 UDP
datagram 2.2.2.3:12345 -> 2.2.2.2:514 with "EVIL", "GOOD", "EVIL".
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, Dot1Q, IP, GRE, UDP, wrpcap

outer = Ether(dst="ff:ff:ff:ff:ff:ff", src="00:01:02:03:04:05")/Dot1Q(vlan=6)/IP(src="1.1.1.2", dst="1.1.1.1")/GRE()
wrpcap(sys.argv[1], [outer/IP(src="2.2.2.3", dst="2.2.2.2")/UDP(sport=12345, dport=514)/w
                     for w in (b"EVIL", b"GOOD", b"EVIL")])
