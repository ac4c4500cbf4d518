"""Capture for upstream tests/http-multiple-cl (OISF suricata-verify d5b0655d9c34;
its capture is not available). Its README and client.py say what it holds: the
request client.py sends to `python -m SimpleHTTPServer 8000` on 127.0.0.1 (a POST
with two different Content-Length values, smuggling two more POSTs in its body),
written here byte for byte as client.py formats it, and the server's answer,
assumed: Python 2's SimpleHTTPServer refuses POST with its 501 error page.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tcp_session_pcap  # noqa: E402

dummy = "bar=1&foo=2"
bad = "badbar=5&badfoo=6"
bad_req = "POST /bad.php HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length:%d\r\n\r\n%s" % (
    len(bad), bad)
evil = "evilbar=3&evilfoo=4"
evil_req = "POST /evil.php HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length:%d\r\n\r\n%s" % (
    len(evil) + len(bad_req), evil)
request = ("POST /which.php HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length:%d\r\n"
           "Content-Length:%d\r\n\r\n%s%s%s" % (
               len(dummy), len(dummy) + len(evil_req), dummy, evil_req, bad_req))
page = ("<head>\n<title>Error response</title>\n</head>\n<body>\n<h1>Error response</h1>\n"
        "<p>Error code 501.\n<p>Message: Unsupported method ('POST').\n"
        "<p>Error code explanation: 501 = Server does not support this operation.\n"
        "</body>\n")
response = ("HTTP/1.0 501 Unsupported method ('POST')\r\n"
            "Server: SimpleHTTP/0.6 Python/2.7.18\r\n"
            "Date: Mon, 01 Jun 2020 12:00:00 GMT\r\nContent-Type: text/html\r\n"
            "Connection: close\r\n\r\n" + page)
tcp_session_pcap.write(sys.argv[1], request.encode(), response.encode(), dport=8000)
