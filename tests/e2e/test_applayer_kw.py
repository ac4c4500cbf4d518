#!/usr/bin/env python3
"""End-to-end test of the TLS and DNS keywords: usage: test_applayer_kw.py IDSD SRCDIR OUT_DIR.

Runs idsd over two TLS captures of tests/conformance/suricata-verify-applayer
with rules on tls.alpn, tls.random*, tls.subjectaltname, tls.cert_chain_len
and the legacy tls.subject/issuerdn/fingerprint; the expected values were
read independently with tshark -V (ALPN h2,http/1.1 from the client and h2
from the server, randoms, subject CN=www.google.com, issuer GTS CA 1C3,
SHA-1 of the DER certificate, SAN lists, chain lengths 3 and 2). Then a
DNS capture written here (a query, and its response with a CNAME and an A
answer, an authority and an OPT record) is run with dns.queries.rrname,
dns.answers.rrname, dns.response.rrname and dns.rrtype rules. A sticky
buffer named twice on tls.alpn, tls.subjectaltname or dns.answers.rrname
is two lists that two instances may meet (Suricata 7's multi-buffer
matching, rules 12, 25 and 37); contents in one list need one instance.
Rules 1xx are near misses that must not fire."""
import json
import os
import shutil
import struct
import subprocess
import sys

FRAG = "tls/tls-client-hello-frag-01/dump_mtu300.pcap"
ZERO = "tls/tls-subject-zero/input.pcap"

TLS_RULES = {
    FRAG: ([
        ('flow:to_server; tls.alpn; content:"http/1.1"; bsize:8;', 1),
        ('flow:to_client; tls.alpn; content:"h2"; bsize:2;', 2),
        ('flow:to_server; tls.random_time; content:"|db d9 72 da|"; bsize:4;', 3),
        ('flow:to_client; tls.random_bytes; content:"|44 4f 57 4e 47 52 44 01|"; endswith; '
         'bsize:28;', 4),
        ('tls.random; content:"|62 eb cc 79|"; startswith; bsize:32;', 5),
        ('tls.subjectaltname; content:"www.google.com"; bsize:14;', 6),
        ('tls.cert_chain_len:3;', 7),
        ('tls.subject:"CN=www.google.com";', 8),
        ('tls.issuerdn:"O=Google Trust Services LLC, CN=GTS CA 1C3";', 9),
        ('tls.issuerdn:!"CN=Microsoft";', 10),
        ('tls.fingerprint:"27:2e:56:1b:56:00:b7:8d:84:07:c7:62:41:02:94:f3:9a:a0:c3:5e";', 11),
        ('flow:to_client; tls.alpn; content:"http/1.1";', 101),
        ('tls.alpn; content:"h2"; content:"http";', 102),
        ('tls.random_time; content:"|62 eb cd 79|";', 103),
        ('tls.cert_chain_len:>3;', 104),
        ('tls.subject:!"CN=www.google.com";', 105),
        ('tls.subject:"cn=www.google.com";', 106),
        ('tls.subjectaltname; content:"google.com"; bsize:10;', 107),
        ('flow:to_server; tls.alpn; content:"h2"; bsize:2; tls.alpn; content:"http/1.1";', 12),
        ('flow:to_client; tls.alpn; content:"h2"; tls.alpn; content:"http";', 108),
    ], {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}),
    ZERO: ([
        ('tls.subjectaltname; content:"aka.ms"; bsize:6;', 21),
        ('tls.subjectaltname; content:"go2.microsoft.com"; bsize:17;', 22),
        ('tls.cert_chain_len:2;', 23),
        ('tls.issuerdn:"CN=Microsoft RSA TLS CA 01";', 24),
        ('tls.alpn; content:"h2";', 121),
        ('tls.subjectaltname; content:"go.microsoft.com"; content:"aka.ms";', 122),
        ('tls.cert_chain_len:3;', 123),
        ('tls.subjectaltname; content:"go.microsoft.com"; tls.subjectaltname; '
         'content:"aka.ms";', 25),
    ], {21, 22, 23, 24, 25}),
}

DNS_RULES = ([
    ('flow:to_server; dns.queries.rrname; content:"q.example"; bsize:9;', 31),
    ('flow:to_client; dns.queries.rrname; content:"q.example"; bsize:9;', 32),
    ('dns.answers.rrname; content:"cdn.example"; bsize:11;', 33),
    ('dns.response.rrname; content:"ns.example"; bsize:10;', 34),
    ('flow:to_server; dns.rrtype:28;', 35),
    ('flow:to_client; dns.rrtype:1;', 36),
    ('dns.answers.rrname; content:"ns.example";', 131),
    ('flow:to_server; dns.response.rrname; content:"q.example";', 132),
    ('dns.rrtype:5;', 133),
    ('flow:to_client; dns.query; content:"q.example";', 134),
    ('dns.answers.rrname; content:"q.example"; bsize:9; dns.answers.rrname; '
     'content:"cdn.example"; bsize:11;', 37),
    ('dns.answers.rrname; content:"q.example"; content:"cdn";', 135),
], {31, 32, 33, 34, 35, 36, 37})


def check(cond, what):
    if not cond:
        print(f"FAIL: {what}")
        sys.exit(1)
    print(f"ok: {what}")


def write_rules(path, proto, rules):
    with open(path, "w", encoding="utf-8") as f:
        for opts, sid in rules:
            f.write(f'alert {proto} any any -> any any (msg:"kw {sid}"; {opts} sid:{sid};)\n')


def alerts(idsd, pcap, rules, out):
    os.makedirs(out, exist_ok=True)
    r = subprocess.run([idsd, "-r", pcap, "-S", rules, "-l", out], capture_output=True,
                       text=True, timeout=120)
    check(r.returncode == 0, f"idsd on {os.path.basename(pcap)}: rc {r.returncode} {r.stderr}")
    check("0 failed" in r.stderr, f"every rule of {os.path.basename(rules)} loaded")
    sids = []
    with open(os.path.join(out, "eve.json"), encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec.get("event_type") == "alert":
                sids.append(rec["alert"]["signature_id"])
    return sids


def name(n):
    return b"".join(bytes([len(p)]) + p.encode() for p in n.split(".")) + b"\0"


def dns_query():
    return struct.pack(">6H", 0x4242, 0x0100, 1, 0, 0, 0) + name("q.example") + \
        struct.pack(">2H", 28, 1)


def dns_response():
    m = struct.pack(">6H", 0x4242, 0x8180, 1, 2, 1, 1) + name("q.example") + \
        struct.pack(">2H", 1, 1)
    cname = name("cdn.example")
    m += struct.pack(">HHHIH", 0xc00c, 5, 1, 60, len(cname)) + cname
    m += name("cdn.example") + struct.pack(">HHIH", 1, 1, 60, 4) + bytes([192, 0, 2, 1])
    m += name("ns.example") + struct.pack(">HHIH", 2, 1, 60, 0)
    m += b"\0" + struct.pack(">HHIH", 41, 512, 0, 0)
    return m


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f">{len(b) // 2}H", b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def udp_frame(src, dst, sp, dp, payload):
    udp = struct.pack(">4H", sp, dp, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, bytes(src),
                     bytes(dst))
    ip = ip[:10] + struct.pack(">H", csum(ip)) + ip[12:]
    eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
    return eth + ip + udp


def write_dns_pcap(path):
    c, s = [10, 0, 0, 1], [10, 0, 0, 53]
    frames = [udp_frame(c, s, 40000, 53, dns_query()), udp_frame(s, c, 53, 40000, dns_response())]
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, i * 1000, len(fr), len(fr)) + fr)


def main():
    idsd, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    base = os.path.join(src, "tests", "conformance", "suricata-verify-applayer")
    for i, (pcap, (rules, want)) in enumerate(sorted(TLS_RULES.items())):
        rf = os.path.join(out, f"tls{i}.rules")
        write_rules(rf, "tls", rules)
        sids = alerts(idsd, os.path.join(base, pcap), rf, os.path.join(out, f"tls{i}"))
        check(sorted(sids) == sorted(want), f"{pcap}: alerts {sorted(sids)}, want {sorted(want)}")
    rf = os.path.join(out, "dns.rules")
    write_rules(rf, "dns", DNS_RULES[0])
    pcap = os.path.join(out, "dns.pcap")
    write_dns_pcap(pcap)
    sids = alerts(idsd, pcap, rf, os.path.join(out, "dns"))
    check(sorted(sids) == sorted(DNS_RULES[1]),
          f"dns: alerts {sorted(sids)}, want {sorted(DNS_RULES[1])}")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
