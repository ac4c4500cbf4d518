"""Capture for upstream tests/dns/dns-additionals-rrname (OISF
suricata-verify 01bf47acaec1; Suricata 8 and later). Upstream runs on
pcaps/20250129-dns-with-additionals.pcap, not stored; its rules and checks
describe a query for suricata.io and a response carrying an authority
record owned by "io" and additional records for a0.nic.io and c0.nic.io.
Rebuilt as the referral a root server gives for it: the four NS records of
io (a0.nic.io, a2.nic.io, b0.nic.io, c0.nic.io) as authorities and their
A records as additionals. Assumed beyond the upstream text: the referral's
exact records, the addresses (a resolver 10.0.0.53 asking
a.root-servers.net, 198.41.0.4) and ports, ids and TTLs.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import struct
import sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap


def name(n):
    out = b""
    for label in n.split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


question = name("suricata.io") + struct.pack("!HH", 1, 1)
query = struct.pack("!HHHHHH", 0x1d5b, 0x0000, 1, 0, 0, 0) + question
servers = ["a0.nic.io", "a2.nic.io", "b0.nic.io", "c0.nic.io"]
# "io" is the question's last label: offset 12 + len("\x08suricata")
io_ptr = 0xc000 | (12 + 9)
authorities = b""
for s in servers:
    rdata = name(s)
    authorities += struct.pack("!HHHIH", io_ptr, 2, 1, 172800, len(rdata)) + rdata
additionals = b""
for i, s in enumerate(servers):
    additionals += name(s) + struct.pack("!HHIH", 1, 1, 172800, 4) + bytes([65, 22, 160 + i, 17])
answer = (struct.pack("!HHHHHH", 0x1d5b, 0x8000, 1, 0, len(servers), len(servers)) +
          question + authorities + additionals)
eth = Ether(src="00:01:02:03:04:05", dst="00:0a:0b:0c:0d:0e")
wrpcap(sys.argv[1], [eth/IP(src="10.0.0.53", dst="198.41.0.4")/UDP(sport=53211, dport=53)/Raw(query),
                     eth/IP(src="198.41.0.4", dst="10.0.0.53")/UDP(sport=53, dport=53211)/Raw(answer)])
