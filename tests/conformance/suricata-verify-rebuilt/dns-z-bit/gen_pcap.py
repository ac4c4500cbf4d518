"""Capture for upstream tests/7.0/dns-z-bit (OISF suricata-verify c444a1e17f14;
Suricata 7 only): a DNS query for www.google.com A with the reserved Z bit
set, 10.16.1.11:42150 -> 8.8.8.8:53, and its answer (flags 0x8180,
142.251.32.68, TTL 58, the name compressed): 74 and 90 bytes on the wire.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import struct
import sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap

question = b"\x03www\x06google\x03com\x00" + struct.pack("!HH", 1, 1)
query = struct.pack("!HHHHHH", 1, 0x0140, 1, 0, 0, 0) + question
answer = (struct.pack("!HHHHHH", 1, 0x8180, 1, 1, 0, 0) + question +
          struct.pack("!HHHIH", 0xc00c, 1, 1, 58, 4) + bytes([142, 251, 32, 68]))
eth = Ether(src="00:01:02:03:04:05", dst="00:0a:0b:0c:0d:0e")
wrpcap(sys.argv[1], [eth/IP(src="10.16.1.11", dst="8.8.8.8")/UDP(sport=42150, dport=53)/Raw(query),
                     eth/IP(src="8.8.8.8", dst="10.16.1.11")/UDP(sport=53, dport=42150)/Raw(answer)])
