#!/usr/bin/env python3
"""http.request_header and http.response_header on the real idsd: usage:
test_http_header_kw.py IDSD OUT_DIR

A crafted HTTP/1.1 connection (pcapgen) with two transactions. As Suricata
7's keywords do for HTTP/1, each header of the request (or the response) is
one buffer, "Name: Value" as sent (not lower-cased); transforms apply; a
request header is never a response's. A pcre capturing into a flow
variable keeps the header's value on the flow (test_pcre_vars.py tests
the variables in full)."""
import os
import shutil
import sys

from e2e_check import check, run_capture
from pcapgen import Tcp

RULES = [
    # (options, alerts wanted)
    ('http.request_header; content:"User-Agent: curl/8.0"; bsize:20;', 1),
    ('http.request_header; content:"Host: b.example"; startswith; endswith;', 1),
    ('http.response_header; content:"Server: nginx"; bsize:13;', 2),
    ('http.request_header; content:"Server";', 0),
    ('http.request_header; content:"X-Test: 1"; bsize:9;', 1),
    ('http.request_header; content:"user-agent";', 0),
    ('http.request_header; to_lowercase; content:"user-agent: curl";', 1),
    ('flow:to_server; http.response_header; content:"X-Powered-By";', 0),
    ('http.response_header; content:"X-Powered-By: php"; bsize:17;', 1),
    # a capture into a flow variable: the alert's metadata has it
    ('http.request_header; pcre:"/^User-Agent: (?P<flow_ua>[a-z]+)/";', 1),
]


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    t = Tcp(frames, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 80]), 40001, 80)
    t.send(0, b"GET /a HTTP/1.1\r\nHost: a.example\r\nUser-Agent: curl/8.0\r\n"
              b"Accept: */*\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 2\r\n\r\nok")
    t.send(0, b"GET /b HTTP/1.1\r\nHost: b.example\r\nAccept: */*\r\nX-Test: 1\r\n\r\n")
    t.send(1, b"HTTP/1.1 404 Not Found\r\nServer: nginx\r\nX-Powered-By: php\r\n"
              b"Content-Length: 0\r\n\r\n")
    t.close()
    rules = [f'alert http any any -> any any (msg:"{i}"; {opts} sid:{i};)'
             for i, (opts, _) in enumerate(RULES, 1)]
    alerts = [a for a in run_capture(idsd, out, "hdr", frames, rules)
              if a.get("event_type") == "alert"]
    for sid, (opts, n) in enumerate(RULES, 1):
        got = sum(1 for a in alerts if a["alert"]["signature_id"] == sid)
        check(got == n, f"sid {sid} ({opts}): {got} alerts, want {n}")
    ua = [a for a in alerts if a["alert"]["signature_id"] == len(RULES)]
    check(ua and ua[0].get("metadata") == {"flowvars": [{"ua": "curl"}]},
          f"the capture is the flow's variable: {ua}")


if __name__ == "__main__":
    main()
