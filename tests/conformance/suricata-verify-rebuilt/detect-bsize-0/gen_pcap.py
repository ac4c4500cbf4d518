"""Capture for upstream tests/detect-bsize-0 (OISF suricata-verify
74fe8217fff0; "crafted with dummy HTTP server and nc client to have an empty
user-agent", not available): one HTTP/1.1 GET whose User-Agent header has
an empty value, a 200 answer, and the close.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, IP, TCP, wrpcap
C, S, CP, SP = "127.0.0.1", "127.0.0.1", 45678, 8000
def c2s(**kw):
    return Ether()/IP(src=C, dst=S)/TCP(sport=CP, dport=SP, **kw)
def s2c(**kw):
    return Ether()/IP(src=S, dst=C)/TCP(sport=SP, dport=CP, **kw)
req = b"GET / HTTP/1.1\r\nHost: localhost:8000\r\nUser-Agent: \r\n\r\n"
resp = (b"HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\n"
        b"Content-type: text/html\r\nContent-Length: 5\r\n\r\nhello")
cs, ss = 1000, 5000
pkts = [c2s(flags="S", seq=cs), s2c(flags="SA", seq=ss, ack=cs + 1),
        c2s(flags="A", seq=cs + 1, ack=ss + 1),
        c2s(flags="PA", seq=cs + 1, ack=ss + 1)/req,
        s2c(flags="A", seq=ss + 1, ack=cs + 1 + len(req)),
        s2c(flags="PA", seq=ss + 1, ack=cs + 1 + len(req))/resp,
        s2c(flags="FA", seq=ss + 1 + len(resp), ack=cs + 1 + len(req)),
        c2s(flags="A", seq=cs + 1 + len(req), ack=ss + 2 + len(resp)),
        c2s(flags="FA", seq=cs + 1 + len(req), ack=ss + 2 + len(resp)),
        s2c(flags="A", seq=ss + 2 + len(resp), ack=cs + 2 + len(req))]
for i, p in enumerate(pkts):
    p.time = 1700000000 + i * 0.001
wrpcap(sys.argv[1], pkts)
