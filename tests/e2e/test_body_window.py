#!/usr/bin/env python3
"""HTTP bodies past the minimal inspection size are inspected by window, as
Suricata's body_inspected: usage: test_body_window.py IDSD OUT_DIR.

A 100 KB response body goes out in 1,400-byte segments, each acknowledged,
so detection sees it grow. Once an inspection has seen more than
response-body-minimal-inspect-size (40 KiB), an update inspects its new
bytes and the response-body-inspect-window (16 KiB) before them, not the
whole body again: a rule needing a marker near the body's start and one
near its end does not fire, while each marker alone does; depth still
counts from the body's start. The same for a request body (32 KiB, 4 KiB).
A second run with larger windows (both set to the body limit) shows the
settings are read: the start-and-end rule then fires."""
import os
import shutil
import sys

from e2e_check import alert_sids, check, run_capture
from pcapgen import Tcp

SEG = 1400


def body(size, marks):
    """size filler bytes with each marker written at its offset."""
    b = bytearray(b"x" * size)
    for off, m in marks.items():
        b[off:off + len(m)] = m
    return bytes(b)


RESP = body(100000, {0: b"MZ", 1000: b"HEADMARK", 60000: b"DEEPMARK", 95000: b"TAILMARK"})
REQ = body(60000, {500: b"REQSTART", 55000: b"REQFINAL"})
RULES = [
    'alert http any any -> any any (msg:"tail alone"; flow:to_client; file_data; '
    'content:"TAILMARK"; sid:1;)',
    'alert http any any -> any any (msg:"head alone"; flow:to_client; file_data; '
    'content:"HEADMARK"; sid:2;)',
    'alert http any any -> any any (msg:"head then tail"; flow:to_client; file_data; '
    'content:"HEADMARK"; content:"TAILMARK"; distance:0; sid:3;)',
    'alert http any any -> any any (msg:"MZ at start"; flow:to_client; file_data; '
    'content:"MZ"; depth:2; sid:4;)',
    'alert http any any -> any any (msg:"deep beyond depth"; flow:to_client; file_data; '
    'content:"DEEPMARK"; depth:50000; sid:5;)',
    'alert http any any -> any any (msg:"deep within depth"; flow:to_client; file_data; '
    'content:"DEEPMARK"; depth:65000; sid:6;)',
    'alert http any any -> any any (msg:"request start then end"; flow:to_server; '
    'http.request_body; content:"REQSTART"; content:"REQFINAL"; distance:0; sid:7;)',
    'alert http any any -> any any (msg:"request end alone"; flow:to_server; '
    'http.request_body; content:"REQFINAL"; sid:8;)',
]


def frames():
    fr = []
    t = Tcp(fr, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]), 40000, 80)
    hdr = (b"POST /up HTTP/1.1\r\nHost: example.com\r\nContent-Length: %d\r\n\r\n" % len(REQ))
    t.send(0, hdr)
    for i in range(0, len(REQ), SEG):
        t.send(0, REQ[i:i + SEG])
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(RESP))
    for i in range(0, len(RESP), SEG):
        t.send(1, RESP[i:i + SEG])
    # the next request carries the last response's inspection to the server side
    t.send(0, b"GET /next HTTP/1.1\r\nHost: example.com\r\n\r\n")
    t.close()
    return fr


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    got = alert_sids(run_capture(idsd, out, "window", frames(), RULES))
    print("alerts:", got)
    for sid in (1, 2, 4, 6, 8):
        check(got.count(sid) == 1, f"sid {sid} fires once")
    check(3 not in got, "a response match spanning beyond the inspection window does not fire")
    check(7 not in got, "nor a request one")
    check(5 not in got, "depth counts from the body's start, not the window's")

    wide = ("%YAML 1.1\n---\napp-layer:\n  protocols:\n    http:\n      libhtp:\n"
            "        default-config:\n          request-body-inspect-window: 100kb\n"
            "          response-body-inspect-window: 200kb\n")
    out2 = os.path.join(out, "wide")
    os.makedirs(out2)
    got = alert_sids(run_capture(idsd, out2, "window", frames(), RULES, conf=wide))
    print("alerts with wide windows:", got)
    check(3 in got and 7 in got, "windows as large as the body: every match is seen")
    check(5 not in got, "depth still holds")


main()
