"""Capture for upstream tests/issue-3267-tcphdr (OISF suricata-verify
1e12a025717f; its capture tcphdr_http.pcap is not available): an HTTP
request from 10.0.0.111:2904 to 10.0.0.199:80 as its rules and checks describe
it: packet 1 a SYN with ECN setup (flags CWR|ECE|SYN = 0xc2), 12 bytes of
options (data offset 8) and window 8192, its acknowledgement number 0;
packets 2 and 3 the rest of the handshake; packet 4 the GET, a 20-byte
header with PSH|ACK (0x18). Then the answer and the close.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, IP, TCP, wrpcap
C, S, CP = "10.0.0.111", "10.0.0.199", 2904
def c2s(**kw):
    return Ether(src="00:0c:29:00:00:6f", dst="00:0c:29:00:00:c7")/IP(src=C, dst=S)/TCP(sport=CP, dport=80, **kw)
def s2c(**kw):
    return Ether(src="00:0c:29:00:00:c7", dst="00:0c:29:00:00:6f")/IP(src=S, dst=C)/TCP(sport=80, dport=CP, **kw)
syn_opts = [("MSS", 1460), ("NOP", None), ("WScale", 8), ("NOP", None), ("NOP", None),
            ("SAckOK", b"")]
req = b"GET /index.html HTTP/1.1\r\nHost: 10.0.0.199\r\nUser-Agent: test\r\n\r\n"
resp = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
cs, ss = 0x2a5b3c01, 0x7d1e0001
pkts = [c2s(flags="SEC", seq=cs, window=8192, options=syn_opts),
        s2c(flags="SAE", seq=ss, ack=cs + 1, window=5840,
            options=[("MSS", 1460), ("NOP", None), ("NOP", None), ("SAckOK", b""),
                     ("NOP", None), ("WScale", 7)]),
        c2s(flags="A", seq=cs + 1, ack=ss + 1, window=256),
        c2s(flags="PA", seq=cs + 1, ack=ss + 1, window=256)/req,
        s2c(flags="A", seq=ss + 1, ack=cs + 1 + len(req), window=46),
        s2c(flags="PA", seq=ss + 1, ack=cs + 1 + len(req), window=46)/resp,
        c2s(flags="FA", seq=cs + 1 + len(req), ack=ss + 1 + len(resp), window=256),
        s2c(flags="FA", seq=ss + 1 + len(resp), ack=cs + 2 + len(req), window=46),
        c2s(flags="A", seq=cs + 2 + len(req), ack=ss + 2 + len(resp), window=256)]
for i, p in enumerate(pkts):
    p.time = 1600000000 + i * 0.01
wrpcap(sys.argv[1], pkts)
