#!/usr/bin/env python3
"""End-to-end test of transforms: usage: test_transform.py IDSD OUT_DIR.

Writes a capture of one HTTP transaction, runs idsd over it with rules that
use transform chains on http.uri.raw, http.host and http.user_agent, and
checks which fire: each of the rules 1-9 once, none of the near misses
(100+). Then idsd -T on a rule with a transform before any sticky buffer
must name the file and line."""
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys

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


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(src, dst, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp) + len(payload))
    c = csum(pseudo + tcp + payload)
    tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), 1, 0x4000, 64,
                     6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = b"\x00\x00\x00\x00\x00\x02" + b"\x00\x00\x00\x00\x00\x01" + b"\x08\x00"
    return eth + ip + tcp + payload


def write_capture(path):
    c, s = bytes([10, 0, 0, 1]), bytes([192, 168, 1, 1])
    cp, sp = 40000, 80
    SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
    ci, si = 1000, 5000
    frames = [
        frame(c, s, cp, sp, ci, 0, SYN),
        frame(s, c, sp, cp, si, ci + 1, SYN | ACK),
        frame(c, s, cp, sp, ci + 1, si + 1, ACK),
        frame(c, s, cp, sp, ci + 1, si + 1, PSH | ACK, REQ),
        frame(s, c, sp, cp, si + 1, ci + 1 + len(REQ), ACK),
        frame(s, c, sp, cp, si + 1, ci + 1 + len(REQ), PSH | ACK, RESP),
        frame(c, s, cp, sp, ci + 1 + len(REQ), si + 1 + len(RESP), ACK),
        frame(c, s, cp, sp, ci + 1 + len(REQ), si + 1 + len(RESP), FIN | ACK),
        frame(s, c, sp, cp, si + 1 + len(RESP), ci + 2 + len(REQ), FIN | ACK),
        frame(c, s, cp, sp, ci + 2 + len(REQ), si + 2 + len(RESP), ACK),
    ]
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, i * 1000, len(fr), len(fr)))
            f.write(fr)


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    fails = []
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    pcap = os.path.join(out, "http.pcap")
    rules = os.path.join(out, "transform.rules")
    write_capture(pcap)
    with open(rules, "w", encoding="utf-8") as f:
        for body, sid in RULES:
            f.write(f'alert http any any -> any any (msg:"xf {sid}"; {body} sid:{sid};)\n')
    p = subprocess.run([idsd, "-r", pcap, "-S", rules, "-l", out, "--strict-rules"],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        fails.append(f"idsd rc {p.returncode}: {p.stderr[-500:]}")
    got = {}
    with open(os.path.join(out, "eve.json"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("event_type") == "alert":
                sid = r["alert"]["signature_id"]
                got[sid] = got.get(sid, 0) + 1
    want = {sid: 1 for _, sid in RULES if sid < 100}
    if got != want:
        fails.append(f"alerts by sid: got {sorted(got.items())}, want {sorted(want.items())}")

    bad = os.path.join(out, "bad.rules")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('alert http any any -> any any (http.uri; content:"a"; sid:1;)\n')
        f.write('alert http any any -> any any (to_sha256; content:"a"; sid:2;)\n')
        f.write('alert http any any -> any any (http.uri; to_lowercase:x; content:"a"; '
                'sid:3;)\n')
    p = subprocess.run([idsd, "-T", "-S", bad], capture_output=True, text=True, timeout=120)
    msgs = p.stdout + p.stderr
    for want_msg in (f"{bad}:2: to_sha256 needs a sticky buffer before it",
                     f"{bad}:3: keyword 'to_lowercase' takes no value",
                     "1 loaded, 2 failed"):
        if want_msg not in msgs:
            fails.append(f"-T output lacks {want_msg!r}: {msgs[-600:]}")
    for f_ in fails:
        print("not ok:", f_)
    print("ok" if not fails else "FAILED")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
