"""Capture for upstream tests/http-ipv6 (OISF suricata-verify cc2ccd12bc7b; its
capture is not available). Its README says what it holds: `curl "[::1]:8000/"`
against `python3 -m http.server` (or Python 2's SimpleHTTPServer) on ::1 port
8000. Assumed: curl's other header lines as curl 7.68 writes them, and the
server's answer, http.server's listing of an empty directory.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tcp_session_pcap  # noqa: E402

request = (b"GET / HTTP/1.1\r\nHost: [::1]:8000\r\nUser-Agent: curl/7.68.0\r\n"
           b"Accept: */*\r\n\r\n")
page = (b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" '
        b'"http://www.w3.org/TR/html4/strict.dtd">\n<html>\n<head>\n'
        b'<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        b"<title>Directory listing for /</title>\n</head>\n<body>\n"
        b"<h1>Directory listing for /</h1>\n<hr>\n<ul>\n</ul>\n<hr>\n</body>\n</html>\n")
response = (b"HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.8.10\r\n"
            b"Date: Mon, 01 Jun 2020 12:00:00 GMT\r\n"
            b"Content-type: text/html; charset=utf-8\r\nContent-Length: " +
            str(len(page)).encode() + b"\r\n\r\n" + page)
tcp_session_pcap.write(sys.argv[1], request, response, dport=8000, client="::1",
                       server="::1")
