"""Capture for upstream tests/7.0/dns/dns-invalid-opcode (OISF suricata-verify
6adedc38d952; Suricata 7 only): a DNS query for suricata.io A with opcode 9,
1.1.1.1:5333 -> 2.2.2.2:53, and its answer (flags 0xc800, 127.0.0.1, TTL 0,
the answer's name written out, not compressed): 71 and 98 bytes on the wire.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import struct
import sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap

name = b"\x08suricata\x02io\x00"
question = name + struct.pack("!HH", 1, 1)
query = struct.pack("!HHHHHH", 1, 9 << 11, 1, 0, 0, 0) + question
answer = (struct.pack("!HHHHHH", 1, 0xc800, 1, 1, 0, 0) + question +
          name + struct.pack("!HHIH", 1, 1, 0, 4) + bytes([127, 0, 0, 1]))
eth = Ether(src="00:01:02:03:04:05", dst="00:0a:0b:0c:0d:0e")
wrpcap(sys.argv[1], [eth/IP(src="1.1.1.1", dst="2.2.2.2")/UDP(sport=5333, dport=53)/Raw(query),
                     eth/IP(src="2.2.2.2", dst="1.1.1.1")/UDP(sport=53, dport=5333)/Raw(answer)])
