"""Capture for upstream tests/detect-icmp-id-01 (OISF suricata-verify
76bde9ebc0a2; "a crafted packet", made with scapy, not available): one ICMP
echo request with identifier 21781, which only the first of the two rules
(icmp_id 21781, 21782) matches.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, IP, ICMP, wrpcap
wrpcap(sys.argv[1], [Ether()/IP(src="10.0.0.1", dst="10.0.0.2")/ICMP(id=21781, seq=1)/b"ping"])
