"""Capture for upstream tests/detect-icmp-seq (OISF suricata-verify
9566675af7e5; made with scapy, not available): one ICMP echo request with
sequence number 2216, which only the first of the two rules (icmp_seq 2216,
5000) matches.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, IP, ICMP, wrpcap
wrpcap(sys.argv[1], [Ether()/IP(src="10.0.0.1", dst="10.0.0.2")/ICMP(id=7, seq=2216)])
