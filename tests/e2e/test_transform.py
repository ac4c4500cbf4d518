#!/usr/bin/env python3
"""End-to-end test of transforms: usage: test_transform.py IDSD OUT_DIR.

Writes a capture of one HTTP transaction, runs idsd over it with rules that
use transform chains on http.uri.raw, http.host and http.user_agent, and
checks which fire: each of the rules 1-9 once, none of the near misses
(100+). Then idsd -T on a rule with a transform before any sticky buffer
must name the file and line."""
import hashlib
import os
import shutil
import sys

from e2e_check import Checks, check_rule_errors, run_capture
from pcapgen import Tcp

URI = b"/Admin%2Fpanel.php?q=a+b"
HOST = b"WWW.Example.COM"
UA = b"Mozilla/5.0  (X11;   Linux)"
REQ = (b"GET " + URI + b" HTTP/1.1\r\nHost: " + HOST + b"\r\nUser-Agent: " + UA +
       b"\r\n\r\n")
RESP = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def hexbytes(b):
    return "|" + " ".join(f"{x:02X}" for x in b) + "|"


def xor(b, key):
    return bytes(x ^ key[i % len(key)] for i, x in enumerate(b))


RULES = [
    # must fire, once each
    ('http.uri.raw; url_decode; content:"/Admin/panel.php?q=a b"; endswith;', 1),
    ('http.user_agent; to_lowercase; content:"mozilla/5.0  (x11|3B|   linux)"; bsize:27;', 2),
    ('http.user_agent; strip_whitespace; content:"Mozilla/5.0(X11|3B|Linux)"; bsize:22;', 3),
    ('http.host; to_sha256; content:"%s";' %
     hexbytes(hashlib.sha256(HOST.lower()).digest()), 4),
    ('http.uri.raw; xor:"0102"; content:"%s"; startswith;' % hexbytes(xor(URI, b"\x01\x02")[:6]),
     5),
    ('http.host; dotprefix; content:".example.com"; endswith;', 6),
    ('http.user_agent; compress_whitespace; content:"Mozilla/5.0 (X11|3B| Linux)"; bsize:24;', 7),
    ('http.uri.raw; pcrexform:"q=([^&]+)"; content:"a+b"; bsize:3;', 8),
    # the same chain as sid 2: shares its buffer and prefilter
    ('http.user_agent; to_lowercase; content:"linux)"; endswith;', 9),
    # near misses: must not fire
    ('http.user_agent; content:"mozilla";', 101),
    ('http.user_agent; strip_whitespace; content:"Mozilla/5.0 (X11";', 102),
    ('http.user_agent; compress_whitespace; content:"(X11|3B|Linux)";', 103),
    ('http.host; to_sha256; content:"%s";' % hexbytes(hashlib.sha256(HOST).digest()), 104),
    ('http.uri.raw; xor:"0201"; content:"%s"; startswith;' % hexbytes(xor(URI, b"\x01\x02")[:6]),
     105),
    ('http.host; dotprefix; content:".xample.com"; endswith;', 106),
    ('http.uri.raw; content:"/Admin/panel.php";', 107),
    ('http.uri.raw; url_decode; content:"q=a+b";', 108),
    ('http.uri.raw; pcrexform:"z=([^&]+)"; content:"a+b"; bsize:3;', 109),
    ('http.user_agent; to_uppercase; content:"mozilla";', 110),
]


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    check = Checks()
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    t = Tcp(frames, bytes([10, 0, 0, 1]), bytes([192, 168, 1, 1]), 40000, 80)
    t.send(0, REQ)
    t.send(1, RESP)
    t.close()
    recs = run_capture(idsd, out, "http", frames,
                       [f'alert http any any -> any any (msg:"xf {sid}"; {body} sid:{sid};)'
                        for body, sid in RULES], args=["--strict-rules"])
    got = {}
    for r in recs:
        if r.get("event_type") == "alert":
            sid = r["alert"]["signature_id"]
            got[sid] = got.get(sid, 0) + 1
    want = {sid: 1 for _, sid in RULES if sid < 100}
    check(got == want, f"alerts by sid: got {sorted(got.items())}, want {sorted(want.items())}")

    check_rule_errors(idsd, out, [
        'alert http any any -> any any (http.uri; content:"a"; sid:1;)',
        'alert http any any -> any any (to_sha256; content:"a"; sid:2;)',
        'alert http any any -> any any (http.uri; to_lowercase:x; content:"a"; sid:3;)',
    ], ["BAD:2: to_sha256 needs a sticky buffer before it",
        "BAD:3: keyword 'to_lowercase' takes no value", "1 loaded, 2 failed"], check)
    return check.done("transforms")


if __name__ == "__main__":
    sys.exit(main())
