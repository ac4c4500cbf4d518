"""The capture upstream suricata-verify's tests/eve-metadata-01-alert, -02-pass
and -03-noalert run on (80000000-037-PTP_Example_IPv4_HTTP_Session-PUBLIC-tp-01
-TEST1.pcap, not available; written for this project): as its name and the
tests' rules and checks describe it, one IPv4 HTTP session whose request's
User-Agent starts with "Mozilla". Assumed: the rest of the request, the answer
and the addresses."""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tcp_session_pcap  # noqa: E402

REQUEST = (b"GET / HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0 "
           b"(X11; Linux x86_64; rv:68.0) Gecko/20100101 Firefox/68.0\r\n"
           b"Accept: text/html\r\n\r\n")
PAGE = b"<html><body>It works!</body></html>\n"
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " +
            str(len(PAGE)).encode() + b"\r\n\r\n" + PAGE)


def write(out):
    tcp_session_pcap.write(out, REQUEST, RESPONSE, dport=80)
