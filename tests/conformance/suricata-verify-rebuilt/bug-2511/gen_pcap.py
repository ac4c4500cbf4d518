"""Capture for upstream tests/bug-2511 (OISF suricata-verify f45c41bfc2fb; its
capture is not available). Its name says what it holds:
response_identity_identity_gzip_identity_gzip_gzip.pcap, an HTTP response whose
Content-Encoding lists identity, identity, gzip, identity, gzip, gzip: here a
GET answered with that header and a body gzip-compressed three times over, one
layer per gzip of the list. Assumed: the request, the other header lines, the
body's text, and the session around them (tcp_session_pcap).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import gzip
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tcp_session_pcap  # noqa: E402

body = b"Hello, world!\n"
for _ in range(3):
    body = gzip.compress(body, mtime=0)
request = b"GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nAccept: */*\r\n\r\n"
response = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            b"Content-Encoding: identity, identity, gzip, identity, gzip, gzip\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
tcp_session_pcap.write(sys.argv[1], request, response, dport=80)
