"""Capture for upstream tests/defrag/bug-6887-defrag-ipv4-tcp-syn (OISF
suricata-verify e02102de6b39, frag-ip-tcp-syn.py): a TCP SYN with a window
scale option, cut into 8-byte IPv4 fragments, written as raw IPv4 (linktype 228).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import IP, TCP, fragment, wrpcap
syn = IP(src="1.1.1.1", dst="2.2.2.2")/TCP(sport=12345, dport=8080, flags="S", seq=1,
                                           options=[("WScale", 14)])
wrpcap(sys.argv[1], fragment(syn, fragsize=8))
