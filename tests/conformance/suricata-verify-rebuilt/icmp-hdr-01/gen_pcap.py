"""Capture for upstream tests/icmp-hdr-01 (OISF suricata-verify 10b22b0c8665),
which runs on tests/bug-2190's capture (not available): its one alert is on an
ICMP router advertisement (type 9, code 0) whose icmpv4.hdr holds the bytes
0a 0e 50 54 42, past the 8 common header bytes, so in the address entries
that Suricata counts in the header. Rebuilt as that message: one entry
(router 10.14.80.84, preference 0x42000000) from 10.14.80.84 to 224.0.0.1.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import struct
import sys
from scapy.all import Ether, IP, Raw, checksum, wrpcap
entry = bytes([10, 14, 80, 84]) + struct.pack("!I", 0x42000000)
msg = struct.pack("!BBHBBH", 9, 0, 0, 1, 2, 1800) + entry
msg = msg[:2] + struct.pack("!H", checksum(msg)) + msg[4:]
pkt = (Ether(src="00:0e:50:54:00:01", dst="01:00:5e:00:00:01")/
       IP(src="10.14.80.84", dst="224.0.0.1", ttl=1, proto=1)/Raw(msg))
wrpcap(sys.argv[1], [pkt])
