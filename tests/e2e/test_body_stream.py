#!/usr/bin/env python3
"""Response bodies scanned once: usage: test_body_stream.py IDSD OUT_DIR.

An HTTP response body without chunking or content coding is the stream's
bytes as sent; its file_data prefilter hits come from the stream's scan
(detect.mpm.body_from_stream_bytes counts its bytes), the rest is scanned
on the body. Each case below must alert (or not) as file_data's definition
says, whichever way its prefilter went:
- a needle split across two segments of an identity body, in a short body
  (inspected whole at its end) and at 70 KB of a 100 KB one (inspected by
  window as it grows);
- a needle in a response header only: no file_data alert, but the raw
  stream rule, scanned with the same joined set, fires;
- a needle split by the chunked framing (whole in the dechunked body only);
- a needle in a gzip body (whole in the decompressed body only);
- a needle followed, in one segment, by more hits of another body pattern
  than the stream's hit log keeps: the needle's hit is dropped from the
  log, so the body must be scanned;
- a pattern bounded to the body's start (depth), found there and not when
  it is further in;
- the second of two pipelined responses in one segment;
- a 300 KB body past response-body-limit (100 KiB): a needle within the
  limit is in file_data, one past it is not, and the raw stream rule still
  finds the latter (those windows are scanned without the body set:
  detect.mpm.stream_unjoined counts them).
A second run on the identity flows alone checks that their bodies did take
the stream's hits (the counter), and a third on the chunked and gzip ones
that those did not."""
import gzip
import os
import shutil
import sys

from e2e_check import alert_sids, check, run_capture
from pcapgen import Tcp

SEG = 1400
CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])

RULES = [
    'alert http any any -> any any (msg:"split"; flow:to_client; file_data; '
    'content:"SPLITNEEDLE01"; sid:1;)',
    'alert http any any -> any any (msg:"header only"; flow:to_client; file_data; '
    'content:"HDRONLYNEEDLE"; sid:2;)',
    'alert tcp any 80 -> any any (msg:"header on the stream"; flow:to_client; '
    'content:"HDRONLYNEEDLE"; sid:20;)',
    'alert http any any -> any any (msg:"chunk"; flow:to_client; file_data; '
    'content:"CHUNKEDNEEDLE"; sid:3;)',
    'alert http any any -> any any (msg:"gzip"; flow:to_client; file_data; '
    'content:"GZIPPEDNEEDLE"; sid:4;)',
    'alert http any any -> any any (msg:"ring"; flow:to_client; file_data; '
    'content:"RINGNEEDLE77"; sid:5;)',
    'alert http any any -> any any (msg:"filler"; flow:to_client; file_data; '
    'content:"RINGFILLER"; content:"NEVERTHERE"; sid:6;)',
    'alert http any any -> any any (msg:"pipelined"; flow:to_client; file_data; '
    'content:"PIPENEEDLE55"; sid:7;)',
    'alert http any any -> any any (msg:"at start"; flow:to_client; file_data; '
    'content:"MZ"; depth:2; sid:8;)',
    'alert http any any -> any any (msg:"deep split"; flow:to_client; file_data; '
    'content:"DEEPNEEDLE99"; sid:9;)',
    'alert http any any -> any any (msg:"within the limit"; flow:to_client; file_data; '
    'content:"LIMITNEEDLE10"; sid:10;)',
    'alert http any any -> any any (msg:"past the limit"; flow:to_client; file_data; '
    'content:"PASTNEEDLE22"; sid:11;)',
    'alert tcp any 80 -> any any (msg:"past the limit on the stream"; flow:to_client; '
    'content:"PASTNEEDLE22"; sid:21;)',
]


def conn(fr, port):
    return Tcp(fr, CLI, SRV, port, 80)


def get(t, path):
    t.send(0, b"GET /%s HTTP/1.1\r\nHost: example.com\r\n\r\n" % path)


def respond(t, body, extra=b""):
    """Headers and body in SEG-byte segments, each acknowledged."""
    data = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + extra
            + b"Content-Length: %d\r\n\r\n" % len(body) + body)
    for i in range(0, len(data), SEG):
        t.send(1, data[i:i + SEG])


def split_at(size, off, needle):
    b = bytearray(b"x" * size)
    b[off:off + len(needle)] = needle
    return bytes(b)


def identity_flows(fr):
    # the needle straddles the first and second body segments
    hdr = len(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n")
    t = conn(fr, 40001)
    get(t, b"split")
    respond(t, split_at(5000, SEG - hdr - 5, b"SPLITNEEDLE01"))
    t.close()
    t = conn(fr, 40002)
    get(t, b"deep")
    respond(t, split_at(100000, 70000 - 6, b"DEEPNEEDLE99"))
    t.close()
    t = conn(fr, 40003)
    get(t, b"hdr")
    respond(t, b"<html>xxMZ nothing here</html>", b"X-Note: HDRONLYNEEDLE\r\n")
    t.close()
    t = conn(fr, 40004)
    get(t, b"ring")
    respond(t, b"RINGNEEDLE77 " + b"RINGFILLER " * 60)
    t.close()
    t = conn(fr, 40005)
    get(t, b"mz")
    respond(t, b"MZ\x90\x00 a file")
    t.close()
    t = conn(fr, 40006)
    t.send(0, b"GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n"
              b"GET /b HTTP/1.1\r\nHost: example.com\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd"
              b"HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\nzzPIPENEEDLE55zz")
    t.close()
    t = conn(fr, 40007)
    get(t, b"big")
    big = bytearray(split_at(300000, 50000, b"LIMITNEEDLE10"))
    big[200000:200012] = b"PASTNEEDLE22"
    respond(t, bytes(big))
    t.close()


def coded_flows(fr):
    t = conn(fr, 40011)
    get(t, b"chunked")
    t.send(1, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"9\r\naaCHUNKED\r\n8\r\nNEEDLEbb\r\n0\r\n\r\n")
    t.close()
    t = conn(fr, 40012)
    get(t, b"gzip")
    z = gzip.compress(b"<html>" + b"y" * 300 + b"GZIPPEDNEEDLE</html>")
    respond(t, z, b"Content-Encoding: gzip\r\n")
    t.close()


def stat(eve, dotted):
    st = [e["stats"] for e in eve if e.get("event_type") == "stats"][-1]
    for k in dotted.split("."):
        st = st.get(k, {}) if isinstance(st, dict) else {}
    return st if isinstance(st, int) else 0


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    fr = []
    identity_flows(fr)
    coded_flows(fr)
    got = alert_sids(run_capture(idsd, out, "all", fr, RULES))
    print("alerts:", got)
    for sid, what in ((1, "a needle split across segments"),
                      (9, "a needle split across segments deep in a body inspected by window"),
                      (20, "the raw stream rule on a header"),
                      (3, "a needle split by the chunked framing"),
                      (4, "a needle in a gzip body"),
                      (5, "a needle whose hit the stream's log dropped"),
                      (7, "the second pipelined response"),
                      (8, "a pattern at the body's start"),
                      (10, "a needle within response-body-limit"),
                      (21, "the raw stream rule past response-body-limit")):
        check(got.count(sid) == 1, f"{what}: sid {sid} once")
    check(2 not in got, "a needle in a header is not in file_data")
    check(6 not in got, "the filler rule does not match")
    check(11 not in got, "a needle past response-body-limit is not in file_data")

    fr = []
    identity_flows(fr)
    os.makedirs(os.path.join(out, "identity"))
    eve = run_capture(idsd, os.path.join(out, "identity"), "identity", fr, RULES)
    n = stat(eve, "detect.mpm.body_from_stream_bytes")
    print("identity bodies: body_from_stream_bytes", n, "app_bytes",
          stat(eve, "detect.mpm.app_bytes"))
    check(n >= 100000, "identity bodies take their hits from the stream's scan")
    check(stat(eve, "detect.mpm.stream_unjoined") > 0,
          "windows past response-body-limit are scanned without the body set")
    check(sorted(set(alert_sids(eve))) == [1, 5, 7, 8, 9, 10, 20, 21], "with the same alerts")

    fr = []
    coded_flows(fr)
    os.makedirs(os.path.join(out, "coded"))
    eve = run_capture(idsd, os.path.join(out, "coded"), "coded", fr, RULES)
    check(stat(eve, "detect.mpm.body_from_stream_bytes") == 0,
          "chunked and gzip bodies are scanned on their own")
    check(alert_sids(eve) == [3, 4], "and alert")


main()
