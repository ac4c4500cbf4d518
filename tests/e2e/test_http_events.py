#!/usr/bin/env python3
"""HTTP events from libhtp's messages and parse flags, end to end: usage:
test_http_events.py IDSD SRC_ROOT OUT_DIR.

Writes one TCP session per HTTP anomaly (each client its own address),
runs idsd with Suricata 7.0.0's own http, app-layer and stream event rules
(tests/data/suricata-events, unchanged) and checks, session by session,
that exactly the expected sids fire: the event named, the others libhtp's
message on that input also raises (Suricata maps every libhtp message to an
event by its text, HTPHandleError: a message it has no name for is
http.unknown_error), and nothing on the clean sessions. Found by the events
audit (tests/data/suricata-events/AUDIT.md): until then only the file and
URI events of HTTP had an end-to-end test.

The expectations are libhtp 0.5.42's (Debian 12's, which idsd links) with
Suricata 7's message table; where libhtp's text differs from that table's,
Suricata 7 raises what is written here too (a response header over the
field limit: libhtp says "Response the buffer limit", Suricata's table waits
for "Response buffer over": unknown_error; a repeated header: "Repetition
for header", no entry: unknown_error)."""
import collections
import os
import shutil
import sys

from e2e_check import check, run_idsd
from pcapgen import Tcp, write_pcap

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
GET = b"GET / HTTP/1.1\r\nHost: h.test\r\n\r\n"
# a gzip member header (RFC 1952 2.3) then bytes no deflate stream starts with
GZIP_BAD = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 16
UNKNOWN = 2221000


def resp(headers, body=b"ok"):
    return b"HTTP/1.1 200 OK\r\n" + headers + b"\r\n" + body


def req(line_and_headers, body=b""):
    return line_and_headers + b"\r\n" + body


# (what, [(direction, bytes), ...] sent in turns, sids that must fire)
CASES = [
    ("clean GET", [(0, GET), (1, OK)], []),
    ("clean POST, chunked response",
     [(0, req(b"POST /p HTTP/1.1\r\nHost: h.test\r\nContent-Length: 3\r\n", b"abc")),
      (1, resp(b"Transfer-Encoding: chunked\r\n", b"2\r\nok\r\n0\r\n\r\n"))], []),
    ("clean keep-alive, two requests", [(0, GET), (1, OK), (0, GET), (1, OK)], []),
    ("request_field_missing_colon",
     [(0, req(b"GET / HTTP/1.1\r\nHost: h.test\r\nNoColon\r\n")), (1, OK)], [2221002]),
    ("invalid_request_chunk_len",
     [(0, req(b"POST / HTTP/1.1\r\nHost: h.test\r\nTransfer-Encoding: chunked\r\n",
              b"zz\r\nab\r\n0\r\n\r\n")), (1, OK)], [2221003]),
    ("invalid_response_chunk_len",
     [(0, GET), (1, resp(b"Transfer-Encoding: chunked\r\n", b"zz\r\nab\r\n0\r\n\r\n"))],
     [2221004]),
    # libhtp also says "C-L value with extra data in the beginnning"
    ("invalid_content_length_field_in_response",
     [(0, GET), (1, resp(b"Content-Length: abc\r\n"))], [UNKNOWN, 2221008]),
    ("invalid_content_length_field_in_request",
     [(0, req(b"POST / HTTP/1.1\r\nHost: h.test\r\nContent-Length: abc\r\n")), (1, OK)],
     [UNKNOWN, 2221007]),
    ("100_continue_already_seen",
     [(0, req(b"POST / HTTP/1.1\r\nHost: h.test\r\nContent-Length: 2\r\n"
              b"Expect: 100-continue\r\n")),
      (1, b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n" + OK)], [2221009]),
    ("unable_to_match_response_to_request", [(0, GET), (1, OK + OK)], [2221010]),
    ("request_header_invalid (empty name)",
     [(0, req(b"GET / HTTP/1.1\r\nHost: h.test\r\n: v\r\n")), (1, OK)], [2221013]),
    ("request_header_invalid (name not a token)",
     [(0, req(b"GET / HTTP/1.1\r\nHost: h.test\r\nA(b: v\r\n")), (1, OK)], [2221013]),
    ("response_header_invalid", [(0, GET), (1, resp(b"Content-Length: 2\r\n: v\r\n"))],
     [2221021]),
    ("response_field_missing_colon", [(0, GET), (1, resp(b"Content-Length: 2\r\nNoColon\r\n"))],
     [2221020]),
    ("host_header_ambiguous",
     [(0, req(b"GET http://a.test/ HTTP/1.1\r\nHost: b.test\r\n")), (1, OK)], [2221015]),
    ("missing_host_header", [(0, req(b"GET / HTTP/1.1\r\n")), (1, OK)], [2221014]),
    # a folded first header has nothing to fold into: its line has no colon
    ("invalid_request_field_folding",
     [(0, req(b"GET / HTTP/1.1\r\n folded\r\nHost: h.test\r\n")), (1, OK)], [2221002, 2221016]),
    ("invalid_response_field_folding",
     [(0, GET), (1, resp(b" folded\r\nContent-Length: 2\r\n"))], [2221017, 2221020]),
    # a header line over libhtp's hard field limit (18000), across segments
    # (libhtp only measures a line it has to buffer)
    ("request_field_too_long",
     [(0, b"GET / HTTP/1.1\r\nHost: h.test\r\nX: ")] + [(0, b"a" * 1400)] * 14 +
     [(0, b"\r\n\r\n"), (1, OK)], [2221018]),
    ("response field too long (unknown_error, as Suricata 7 with libhtp 0.5)",
     [(0, GET), (1, b"HTTP/1.1 200 OK\r\nX: ")] + [(1, b"a" * 1400)] * 14 +
     [(1, b"\r\nContent-Length: 2\r\n\r\nok")], [UNKNOWN]),
    ("request_uri_host_invalid (and the Host header's)",
     [(0, req(b"GET http://a_b!.test/ HTTP/1.1\r\nHost: a_b!.test\r\n")), (1, OK)],
     [2221027, 2221028]),
    ("request_header_host_invalid",
     [(0, req(b"GET / HTTP/1.1\r\nHost: a b!.test\r\n")), (1, OK)], [2221028]),
    ("uri_delim_non_compliant",
     [(0, req(b"GET /a\tHTTP/1.1\r\nHost: h.test\r\n")), (1, OK)], [2221029]),
    ("method_delim_non_compliant",
     [(0, req(b"GET\t/ HTTP/1.1\r\nHost: h.test\r\n")), (1, OK)], [2221030]),
    # on a first request the leading space keeps detection from knowing
    # HTTP: the second request of a connection
    ("request_line_leading_whitespace",
     [(0, GET), (1, OK), (0, req(b" GET /b HTTP/1.1\r\nHost: h.test\r\n")), (1, OK)],
     [2221031]),
    ("abnormal_ce_header", [(0, GET), (1, resp(b"Content-Encoding: br\r\nContent-Length: 2\r\n"))],
     [2221033]),
    ("too_many_encoding_layers (the body is no gzip either)",
     [(0, GET), (1, resp(b"Content-Encoding: gzip, gzip, gzip, gzip, gzip, gzip\r\n"
                         b"Content-Length: 2\r\n"))], [2221001, 2221032]),
    ("gzip_decompression_failed",
     [(0, GET), (1, resp(b"Content-Encoding: gzip\r\nContent-Length: %d\r\n" % len(GZIP_BAD),
                         GZIP_BAD))], [2221001]),
    ("request_auth_unrecognized",
     [(0, req(b"GET / HTTP/1.1\r\nHost: h.test\r\nAuthorization: Foo bar\r\n")), (1, OK)],
     [2221034]),
    ("a repeated request header (unknown_error)",
     [(0, req(b"GET / HTTP/1.1\r\nHost: h.test\r\nAccept: a\r\nAccept: b\r\n")), (1, OK)],
     [UNKNOWN]),
    ("response_abnormal_transfer_encoding",
     [(0, GET), (1, resp(b"Transfer-Encoding: chunked, x\r\n", b"2\r\nok\r\n0\r\n\r\n"))],
     [2221038]),
    ("response_chunked_old_proto",
     [(0, b"GET / HTTP/1.0\r\n\r\n"),
      (1, b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")],
     [2221039]),
    ("response_invalid_protocol", [(0, GET), (1, b"HTTP/x 200 OK\r\nContent-Length: 2\r\n\r\nok")],
     [2221040]),
    ("response_invalid_status", [(0, GET), (1, b"HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok")],
     [2221041]),
    ("request_body_unexpected", [(0, GET + b"hello world\r\n"), (1, OK)], [2221045]),
    # the second C-L's extra byte is a body no request line explains
    ("duplicate_content_length_field_in_request",
     [(0, req(b"POST / HTTP/1.1\r\nHost: h.test\r\nContent-Length: 2\r\nContent-Length: 3\r\n",
              b"abc")), (1, OK)], [UNKNOWN, 2221045, 2221047]),
    ("duplicate_content_length_field_in_response",
     [(0, GET), (1, resp(b"Content-Length: 2\r\nContent-Length: 3\r\n", b"okk"))],
     [UNKNOWN, 2221048]),
    ("invalid_transfer_encoding_value_in_request",
     [(0, req(b"POST / HTTP/1.1\r\nHost: h.test\r\nTransfer-Encoding: x\r\n")), (1, OK)],
     [2221005]),
]


def client(i):
    return bytes([10, 0, 2, i + 1])


def main():
    idsd, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    for i, (_, turns, _) in enumerate(CASES):
        t = Tcp(frames, client(i), bytes([10, 0, 3, i + 1]), 41000 + i, 80)
        for d, data in turns:
            t.send(d, data)
        t.close()
    pcap = os.path.join(out, "http-events.pcap")
    write_pcap(pcap, frames)
    ev = os.path.join(root, "tests", "data", "suricata-events")
    rules = [os.path.join(ev, n + "-events.rules") for n in ("http", "app-layer", "stream")]
    recs = run_idsd(idsd, out, pcap, rules, loaded=116)  # the three files' active rules
    got = collections.defaultdict(set)
    for r in recs:
        if r.get("event_type") == "alert":
            ip = r["src_ip"] if r["src_ip"].startswith("10.0.2.") else r["dest_ip"]
            got[int(ip.rsplit(".", 1)[1]) - 1].add(r["alert"]["signature_id"])
    bad = [f"{what}: want {sorted(want)}, got {sorted(got.get(i, ()))}"
           for i, (what, _, want) in enumerate(CASES) if got.get(i, set()) != set(want)]
    check(not bad, "per session, exactly the expected sids:\n  " + "\n  ".join(bad))
    print(f"{len(CASES)} sessions as expected")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
