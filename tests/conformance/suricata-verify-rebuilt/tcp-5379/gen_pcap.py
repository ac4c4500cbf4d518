"""Capture for upstream tests/tcp-5379 (OISF suricata-verify 43d0fce41669; its
capture, from Suricata ticket 5379, is not available): one 134-byte frame, as
its checks describe it, 127.0.0.1:20 -> 127.0.0.1:80, a TCP SYN (scapy's
default TCP header) carrying data that ends in "AAA" within the IP datagram,
and 3 trailing bytes "DDD" after the datagram's end, which TCP must not see.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, IP, TCP, Raw, wrpcap
payload = b"B" * 74 + b"AAA"
pkt = (Ether(src="00:00:00:00:00:00", dst="00:00:00:00:00:00")/
       IP(src="127.0.0.1", dst="127.0.0.1")/TCP(sport=20, dport=80, flags="S")/payload)
frame = bytes(pkt) + b"DDD"
assert len(frame) == 134, len(frame)
wrpcap(sys.argv[1], [Ether(frame)])
