"""Capture for upstream tests/tcp-hdr-keyword (OISF suricata-verify
bcfd24903218, writepcap.py): one TCP SYN over VLAN 6 to port 80 whose options
are a NOP then an MSS of 8 (below 536, which the rule's byte_test checks).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, Dot1Q, IP, TCP, wrpcap
pkt = (Ether(dst="ff:ff:ff:ff:ff:ff", src="00:01:02:03:04:05")/Dot1Q(vlan=6)/
       IP(dst="255.255.255.255", src="192.168.0.1")/
       TCP(dport=80, flags="S", options=[("NOP", None), ("MSS", 8)]))
wrpcap(sys.argv[1], [pkt])
