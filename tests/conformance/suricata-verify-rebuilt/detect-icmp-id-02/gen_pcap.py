"""Capture for upstream tests/detect-icmp-id-02 (OISF suricata-verify
9eb39fb33c6d; made with scapy, not available): one ICMP packet built without
setting its "id" field, that is scapy's default echo request with
identifier 0, which the rule (icmp_id:0) matches once, as the upstream
check counts.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, IP, ICMP, wrpcap
wrpcap(sys.argv[1], [Ether()/IP(src="10.0.0.1", dst="10.0.0.2")/ICMP()])
