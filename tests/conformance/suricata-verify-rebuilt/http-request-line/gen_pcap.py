"""Capture for upstream tests/http-request-line (OISF suricata-verify
64652154fc27): two TCP flows of one data packet each (PSH/ACK, no handshake)
over VLAN 6 from 5.6.7.8 to 1.2.3.4: an HTTP/1.0 request whose headers are
not ended, to port 63, then an HTTP/1.0 200 response with a 7-byte body, to
port 53. Ethernet addresses as upstream's; TCP sequence numbers and
timestamps are this file's (upstream's generator leaves them to scapy).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, Dot1Q, IP, TCP, wrpcap
def pkt(sport, dport, data, t):
    p = (Ether(dst="ff:ff:ff:ff:ff:ff", src="00:01:02:03:04:05")/Dot1Q(vlan=6)/
         IP(src="5.6.7.8", dst="1.2.3.4")/TCP(sport=sport, dport=dport, flags="PA", seq=1000, ack=1)/data)
    p.time = t
    return p
req = (b"GET /index.html HTTP/1.0\r\nHost: www.openinfosecfoundation.org\r\n"
       b"User-Agent: This is dummy message body\r\nContent-Type: text/html\r\n")
resp = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 7\r\n\r\nmessage"
wrpcap(sys.argv[1], [pkt(6666, 63, req, 1700000000.0), pkt(6061, 53, resp, 1700000001.0)])
