#!/usr/bin/env python3
"""HTTP detection as Suricata's patterns: usage: test_http_detect.py IDSD OUT_DIR.

Suricata detects HTTP by a request method of its list in any case followed
by a space or a tab (app-layer-htp.c), so "post / HTTP/1.1" and
"GET<tab>/" are HTTP and their buffers inspected (ET's "HTTP POST invalid
method case" rule, sid 2014380, is written for the first), as are the
WebDAV/DeltaV methods (CHECKOUT, MKACTIVITY, ...). "HELLO / HTTP/1.1" is
not a request Suricata detects: its rule must stay silent."""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_check import alert_sids, check, run_capture  # noqa: E402
from pcapgen import Tcp  # noqa: E402

RULES = """\
alert http any any -> any any (msg:"lowercase method"; flow:established,to_server; http.method; content:"post"; nocase; content:!"POST"; sid:1;)
alert http any any -> any any (msg:"tab after method"; flow:established,to_server; http.uri; content:"/tabbed"; sid:2;)
alert http any any -> any any (msg:"deltav method"; flow:established,to_server; http.method; content:"MKACTIVITY"; sid:3;)
alert http any any -> any any (msg:"mixed case uri"; flow:established,to_server; http.uri; content:"/mixed"; sid:4;)
alert http any any -> any any (msg:"not http"; flow:established,to_server; http.uri; content:"/hello"; sid:101;)
"""
REQUESTS = [
    b"post /lower HTTP/1.1\r\nHost: a.example\r\nContent-Length: 2\r\n\r\nab",
    b"GET\t/tabbed HTTP/1.1\r\nHost: a.example\r\n\r\n",
    b"MKACTIVITY /svn/act HTTP/1.1\r\nHost: a.example\r\n\r\n",
    b"gEt /mixed HTTP/1.1\r\nHost: a.example\r\n\r\n",
    b"HELLO /hello HTTP/1.1\r\nHost: a.example\r\n\r\n",
]
WANT = {1, 2, 3, 4}


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    for i, req in enumerate(REQUESTS):
        t = Tcp(frames, bytes([10, 0, 0, i + 1]), bytes([192, 0, 2, 1]), 40000 + i, 80)
        t.send(0, req)
        t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        t.close()
    got = set(alert_sids(run_capture(idsd, out, "http", frames, RULES.splitlines())))
    check(got == WANT, f"http detected by method in any case, space or tab: alerts "
          f"{sorted(got)}, want {sorted(WANT)}")


if __name__ == "__main__":
    main()
