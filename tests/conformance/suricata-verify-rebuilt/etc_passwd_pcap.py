"""The capture of upstream suricata-verify's tests/bug-4199, which
tests/bug-4199-3 and -4 also run on (the stored copy of upstream holds it once,
under bug-4199; not available here; written for this project from those tests'
rules and checks, no README describes it): an HTTP POST to a URI holding "exec"
whose body holds "id=cat" as it is and "/etc/passwd" only URL-encoded, so that
the rules without url_decode find "id=cat" but not "/etc/passwd", and those with
it find "/etc/passwd" and not "/passwd/etc". Assumed: the URI, the body's exact
text ("id=cat%20%2Fetc%2Fpasswd"), the other header lines, the server's answer
and the addresses (the server in $HOME_NET)."""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tcp_session_pcap  # noqa: E402

BODY = b"id=cat%20%2Fetc%2Fpasswd"
REQUEST = (b"POST /cgi-bin/exec HTTP/1.1\r\nHost: 10.0.0.2\r\nUser-Agent: curl/7.68.0\r\n"
           b"Accept: */*\r\nContent-Type: application/x-www-form-urlencoded\r\n"
           b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK"


def write(out):
    tcp_session_pcap.write(out, REQUEST, RESPONSE, dport=80)
