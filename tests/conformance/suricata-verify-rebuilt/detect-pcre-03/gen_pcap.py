"""Capture for upstream tests/detect-pcre/detect-pcre-03 (OISF suricata-verify
55d3c447a206): one TCP PSH/ACK over VLAN 6, no handshake, to port 80, holding
two pipelined HTTP/1.1 GETs (/one/ then /two/).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, Dot1Q, IP, TCP, wrpcap

data = (b"GET /one/ HTTP/1.1\r\nHost: one.example.org\r\n\r\n\r\n"
        b"GET /two/ HTTP/1.1\r\nHost: two.example.org\r\n\r\n\r\n")
wrpcap(sys.argv[1], Ether(dst="ff:ff:ff:ff:ff:ff", src="00:01:02:03:04:05")/Dot1Q(vlan=6)/
       IP(src="5.6.7.8", dst="1.2.3.4")/TCP(sport=6666, dport=80, flags="PA")/data)
