"""Capture for upstream tests/alert-max/alert-max-append-higher-priority (OISF
suricata-verify 4ba0a2d63539): one TCP PSH/ACK over VLAN 6, picked up
midstream, carrying an HTTP/1.0 request line and three headers (130 bytes,
the end of the headers never comes).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, Dot1Q, IP, TCP, wrpcap
request = (b"GET /index.html HTTP/1.0\r\n"
           b"Host: www.openinfosecfoundation.org\r\n"
           b"User-Agent: This is a dummy message body\r\n"
           b"Content-Type: text/html\r\n")
wrpcap(sys.argv[1], Ether(dst="ff:ff:ff:ff:ff:ff", src="00:01:02:03:04:05")/Dot1Q(vlan=6)/
       IP(src="5.6.7.8", dst="1.2.3.4")/TCP(sport=6666, dport=63, flags="PA")/request)
