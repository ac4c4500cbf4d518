"""Capture for upstream tests/defrag/bug-6887-defrag-eth-vlan-ipv4-tcp-syn (OISF
suricata-verify e02102de6b39, frag-eth-vlan-ip-tcp-syn.py): the same SYN as
bug-6887-defrag-ipv4-tcp-syn over Ethernet and VLAN 6, cut into 8-byte fragments.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, Dot1Q, IP, TCP, fragment, wrpcap
syn = (Ether(dst="05:04:03:02:01:00", src="00:01:02:03:04:05")/Dot1Q(vlan=6)/
       IP(src="1.1.1.1", dst="2.2.2.2")/
       TCP(sport=12345, dport=8080, flags="S", seq=1, options=[("WScale", 14)]))
wrpcap(sys.argv[1], fragment(syn, fragsize=8))
