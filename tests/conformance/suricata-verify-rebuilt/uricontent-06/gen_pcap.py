"""Capture for upstream tests/uricontent/uricontent-06 (OISF suricata-verify
92aee6af478f), as its writepcap.py writes it: four HTTP requests, each its own
flow (POST /one/self/ 53 -> 80, GET /%00/images.gif 43 -> 70,
GET /%2e%2e/one/images.gif 80 -> 53, GET /./././images.gif 42 -> 60), then a
DNS query for google.com with an answer record, UDP to port 50 (scapy's
default source port 53).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from writepcap_frames import tcp, write  # noqa: E402
from scapy.all import Ether, Dot1Q, IP, UDP, DNS, DNSQR, DNSRR  # noqa: E402

HOST = b"HTTP/1.1\r\nHost: www.ExAmPlE.cOM\r\n\r\n"
write(sys.argv[1], [
    tcp(53, 80, b"POST /one/self/ HTTP/1.0\r\nUser-Agent: Mozilla/1.0\r\n"
        b"Cookie: hellocatch\r\n\r\n"),
    tcp(43, 70, b"GET /%00/images.gif " + HOST),
    tcp(80, 53, b"GET /%2e%2e/one/images.gif " + HOST),
    tcp(42, 60, b"GET /./././images.gif " + HOST),
    Ether(dst="ff:ff:ff:ff:ff:ff", src="00:01:02:03:04:05") / Dot1Q(vlan=6) /
    IP(dst="192.168.1.1", src="192.168.1.5") / UDP(dport=50) /
    DNS(rd=1, qd=DNSQR(qtype="A", qname="google.com"), an=DNSRR(rdata="123.0.0.1")),
])
