"""Capture for upstream tests/dns/dns-rcode (OISF suricata-verify
fde2b0f66176; Suricata 8 and later). Upstream runs on the capture of
tests/dns-eve-v2-udp-nxdomain-soa, its query's header flags hex-edited so
that the query carries an RCODE too (README). That capture is not stored;
what its test.yaml says of it is rebuilt: a response with RCODE NXDOMAIN
and one authority, the SOA of oisf.net (TTL 899, mname ns-110.awsdns-13.com,
rname awsdns-hostmaster.amazon.com, serial 1, refresh 7200, retry 900,
expire 1209600, minimum 86400). Assumed beyond it: the queried name
(nonexistent.oisf.net, type A), the addresses and ports, and the query's
edited RCODE, 2 (the checks hold for any value but 3: rule 2 is
dns.rcode:!3).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import struct
import sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap


def name(n):
    out = b""
    for label in n.split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


question = name("nonexistent.oisf.net") + struct.pack("!HH", 1, 1)
query = struct.pack("!HHHHHH", 0x4d2a, 0x0102, 1, 0, 0, 0) + question
soa = (name("ns-110.awsdns-13.com") + name("awsdns-hostmaster.amazon.com") +
       struct.pack("!IIIII", 1, 7200, 900, 1209600, 86400))
# the authority's owner, oisf.net, points into the question (offset 12 + 12)
authority = struct.pack("!HHHIH", 0xc000 | 24, 6, 1, 899, len(soa)) + soa
answer = struct.pack("!HHHHHH", 0x4d2a, 0x8183, 1, 0, 1, 0) + question + authority
eth = Ether(src="00:01:02:03:04:05", dst="00:0a:0b:0c:0d:0e")
wrpcap(sys.argv[1], [eth/IP(src="10.16.1.11", dst="8.8.8.8")/UDP(sport=40123, dport=53)/Raw(query),
                     eth/IP(src="8.8.8.8", dst="10.16.1.11")/UDP(sport=53, dport=40123)/Raw(answer)])
