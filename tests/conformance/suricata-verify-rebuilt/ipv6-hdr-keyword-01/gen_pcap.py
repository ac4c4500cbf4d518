"""Capture for upstream tests/ipv6-hdr-keyword-01 (OISF suricata-verify
3f1a111141ae, writepcap.py): one IPv6 UDP datagram to port 80 over VLAN 6,
hop limit 64 (0x40, the byte at offset 7 of the IPv6 header).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, Dot1Q, IPv6, UDP, wrpcap
pkt = (Ether(dst="ff:ff:ff:ff:ff:ff", src="00:01:02:03:04:05")/Dot1Q(vlan=6)/
       IPv6()/UDP(dport=80))
wrpcap(sys.argv[1], [pkt])
