"""The capture of upstream suricata-verify's tests/bug-3616-urldecode, which
tests/http-double-encoded-uri also runs on (not available; written for this
project from those tests' README and rules): `curl http://oisf.net/evil%2527sqli`
(http-double-encoded-uri's README) answered by an Apache 404 page saying "The
requested URL /evil%27sqli was not found on this server" (bug-3616-urldecode's
rules: the path decoded once). Assumed: curl's and Apache's other header lines
and the rest of the page, as those programs write them, and the addresses."""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tcp_session_pcap  # noqa: E402

REQUEST = (b"GET /evil%2527sqli HTTP/1.1\r\nHost: oisf.net\r\n"
           b"User-Agent: curl/7.58.0\r\nAccept: */*\r\n\r\n")
PAGE = (b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
        b"<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n"
        b"<p>The requested URL /evil%27sqli was not found on this server.</p>\n"
        b"<hr>\n<address>Apache Server at oisf.net Port 80</address>\n</body></html>\n")
RESPONSE = (b"HTTP/1.1 404 Not Found\r\nDate: Mon, 01 Jun 2020 12:00:00 GMT\r\n"
            b"Server: Apache\r\nContent-Length: " + str(len(PAGE)).encode() +
            b"\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n" + PAGE)


def write(out):
    tcp_session_pcap.write(out, REQUEST, RESPONSE, dport=80)
