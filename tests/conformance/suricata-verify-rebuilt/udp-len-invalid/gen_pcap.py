"""Capture for upstream tests/udp-5379/udp-len-invalid (OISF suricata-verify
89ea3a95292a): one UDP datagram whose header length field (4) is below the
8-byte header, inside a well-formed IPv4 packet (udp.len_invalid); the upstream
capture ("created with Scapy and edited") is not available.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, IP, UDP, wrpcap
pkt = (Ether(src="00:01:02:03:04:05", dst="05:04:03:02:01:00")/
       IP(src="10.0.0.1", dst="10.0.0.2")/UDP(sport=1234, dport=5353, len=4)/(b"y" * 12))
wrpcap(sys.argv[1], [pkt])
