#!/usr/bin/env python3
"""EVE records as Suricata 7 writes them, on captures written here:
usage: test_eve_records.py IDSD OUT_DIR TEST

fileinfo: "fileinfo" records of HTTP bodies both ways (a POST upload named
          by the URI path, a response named by Content-Disposition, one by
          the URI), state CLOSED with md5/sha1/sha256 (force-hash, checked
          with hashlib), TRUNCATED without hashes when the flow ends inside
          the body, one per part with a filename of a multipart upload,
          none for a form field or a GET; a body with a
          stream hole TRUNCATED at the hole, gaps false (Suricata 7's HTTP
          parser refuses a gap and stops: its open files end truncated;
          only gap-taking parsers, SMB's and NFS's, mark gaps); the "http"
          object with it; the header from the
          file's sender; only with the files type listed; with
          force-magic: yes, "magic" as the file(1) utility describes the
          file's first 512 bytes (none without it); "start"/"end" of a
          response that is a valid Content-Range part (none for a whole
          file or an invalid range), as Suricata's FileSetRange.
http:     the http record's basic fields always (http_port, xff,
          content_range), the extended ones (http_refer, http_method,
          protocol, status, redirect, length) only with extended: yes,
          custom headers and dump-all-headers as Suricata's lists.
dns:      version 2 answers with every record of the response in "answers"
          (rrname, rrtype, ttl, rdata for A/AAAA/CNAME/MX/NS/PTR/TXT, soa and
          srv objects) and "grouped" by type, "authorities", the header's
          flags (hex and booleans) and rcode; formats and requests/responses
          as configured.
anomaly:  "anomaly" records of stream events (type stream, event
          stream.<name>) and of transactions' app-layer events (type
          applayer, layer proto_parser, app_proto, tx_id; HTTP names upper
          case as Suricata's C table, DNS lower case as its Rust one), on
          test_events.py's capture; each kind only when its types option
          says so (Suricata's defaults: applayer only); an app-layer one
          written at the packet that raised it, not when its transaction
          goes.
tls:      session_resumed when the server echoes the client's session id
          and sends no certificate (not for TLS 1.3, nor a new session);
          a server certificate made here with certtool: subject, issuerdn,
          serial, fingerprint (SHA-1 of the DER) and notbefore/notafter
          (its activation and expiration dates, UTC, as Suricata's
          CreateUtcIsoTimeString), sni and version with extended: yes;
          without it only subject, issuerdn and session_resumed (Suricata's
          JsonTlsLogJSONBasic, its default); custom: [...] those fields
          only, in Suricata's order, names it cannot write or does not know
          warned about; session-resumption: no leaves resumed sessions out.
xff:      the http record's xff option as Suricata's JsonHttpLogger: the
          address of X-Forwarded-For (or the configured header) as a
          top-level "xff" (extra-data) or in place of the client's src_ip
          (overwrite), the last element (reverse) or the first (forward);
          an address of the other IP version stays extra data; nothing
          without the option (the http object's raw "xff" stays); two
          outputs in one run each with its own header, mode, deployment.
alert_app: an alert of a rule without app-layer keywords (no transaction,
          Suricata 7's PACKET_ALERT_NOTX) carries what AlertAddAppLayer
          builds from the flow's state: a TLS flow's "tls" object (the
          extended fields, as the tls record), an HTTP flow's "http" object
          left empty (opened before the lookup by id fails), and for DNS,
          whose transaction is looked up by id, nothing; no "tx_id".
header:   no "in_iface" when reading a file (Suricata's pcap-file source
          sets no live device, so CreateEveHeader writes none).
pkt_src:  "pkt_src" and "pcap_cnt" on transaction, file and app-layer
          anomaly records as CreateEveHeader writes them from the packet
          that has them logged: "wire/pcap" with that packet's number for
          a transaction completed by a packet (a file's record at the
          packet that ended the file, before its transaction's), "stream (flow timeout)"
          without a number for one let go at flow end; none on flow and
          netflow records (CreateEveHeaderFromFlow).
"""
import base64
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys

from e2e_check import certtool_cert, check
from pcapgen import Tcp, udp_frame, write_pcap

IDSD = OUT = None
C = lambda n: bytes([10, 0, 0, n])  # noqa: E731
S = lambda n: bytes([10, 0, 1, n])  # noqa: E731
BODY_UP = bytes(range(256)) * 20              # 5120 bytes, crosses segments
BODY_DOWN = b"%PDF-1.4 " + b"x" * 3000 + b"\n%%EOF"
BODY_URI = b"plain text file\n" * 10


def seg_send(t, d, data, size=1400):
    for i in range(0, len(data), size):
        t.send(d, data[i:i + size])


def run(config, frames, rules=""):
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    pcap, cfg, rf = (os.path.join(OUT, n) for n in ("in.pcap", "idsd.yaml", "r.rules"))
    write_pcap(pcap, frames)
    with open(cfg, "w") as f:
        f.write(config)
    with open(rf, "w") as f:
        f.write(rules)
    p = subprocess.run([IDSD, "-c", cfg, "-r", pcap, "-S", rf, "-l", OUT],
                       capture_output=True, text=True, timeout=300)
    check(p.returncode == 0, f"idsd runs: rc {p.returncode} {p.stderr[-400:]}")
    with open(os.path.join(OUT, "eve.json")) as f:
        return [json.loads(x) for x in f if x.strip()], p.stderr


def files_capture():
    fr = []
    # 1: an upload (POST, not multipart) and a response named by Content-Disposition
    t = Tcp(fr, C(1), S(1), 40001, 80)
    t.send(0, b"POST /upload/data.bin?x=1 HTTP/1.1\r\nHost: files.example\r\n"
              b"Content-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n"
           % len(BODY_UP))
    seg_send(t, 0, BODY_UP)
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Disposition: "
              b"attachment; filename=\"report 1.pdf\"\r\nContent-Length: %d\r\n\r\n"
           % len(BODY_DOWN))
    seg_send(t, 1, BODY_DOWN)
    # 2nd transaction on the same flow: a GET whose file is named by the URI
    t.send(0, b"GET /docs/readme.txt HTTP/1.1\r\nHost: files.example\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BODY_URI) + BODY_URI)
    t.close()
    # 2: a multipart upload (a file per part with a filename: a.txt, the
    # CR LF before the next delimiter not in it); a filename= among other
    # parameters in the response
    t = Tcp(fr, C(2), S(2), 40002, 80)
    mp = (b"--XyZ\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nfield\r\n"
          b"--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\n"
          b"hello\r\n--XyZ--\r\n")
    t.send(0, b"POST /form HTTP/1.1\r\nHost: files.example\r\nContent-Type: multipart/"
              b"form-data; boundary=XyZ\r\nContent-Length: %d\r\n\r\n" % len(mp) + mp)
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Disposition:  inline; filename=b.txt; size=5\r\n"
              b"Content-Length: 5\r\n\r\nhello")
    t.close()
    # 3: a PUT cut short: the flow ends inside the body
    t = Tcp(fr, C(3), S(3), 40003, 80)
    t.send(0, b"PUT /store/big.iso HTTP/1.1\r\nHost: files.example\r\nContent-Length: 100000"
              b"\r\n\r\n" + b"A" * 1000)
    t.close()
    # 4: a response with a hole: one segment never seen, acked past it
    t = Tcp(fr, C(4), S(4), 40004, 80)
    t.send(0, b"GET /gappy.bin HTTP/1.1\r\nHost: files.example\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n" + b"B" * 1000)
    t.seq[1] += 1000                          # lost
    t.send(1, b"B" * 1000)
    t.close()
    return fr


FILES_CFG = """%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types:
        - http
        - files:
            force-hash: [md5, sha1, sha256]
"""


def test_fileinfo():
    recs, _ = run(FILES_CFG, files_capture())
    fi = [r for r in recs if r["event_type"] == "fileinfo"]
    by = {r["fileinfo"]["filename"]: r for r in fi}
    print(json.dumps(fi, indent=None)[:3000])
    check(sorted(by) == sorted(["/upload/data.bin", "report 1.pdf", "/docs/readme.txt",
                                "/store/big.iso", "/gappy.bin", "b.txt", "a.txt"]) and
          len(fi) == 7,
          f"one fileinfo per body file, named as Suricata: {sorted(by)}")
    for name, body, tx in (("/upload/data.bin", BODY_UP, 0), ("report 1.pdf", BODY_DOWN, 0),
                           ("/docs/readme.txt", BODY_URI, 1), ("b.txt", b"hello", 0),
                           ("a.txt", b"hello", 0)):
        f = by[name]["fileinfo"]
        check(f["state"] == "CLOSED" and f["size"] == len(body) and f["gaps"] is False and
              f["stored"] is False and f["tx_id"] == tx and
              f["md5"] == hashlib.md5(body).hexdigest() and
              f["sha1"] == hashlib.sha1(body).hexdigest() and
              f["sha256"] == hashlib.sha256(body).hexdigest(),
              f"{name}: CLOSED, size, tx_id and the three hashes: {f}")
    up, down = by["/upload/data.bin"], by["report 1.pdf"]
    check(up["src_ip"] == "10.0.0.1" and up["dest_port"] == 80 and
          down["src_ip"] == "10.0.1.1" and down["src_port"] == 80,
          "the header is seen from the file's sender (client for uploads)")
    check(all(r["app_proto"] == "http" and r["http"]["hostname"] == "files.example" and
              "http_method" in r["http"] and "length" in r["http"] for r in fi),
          "each carries app_proto and the transaction's http object (extended fields)")
    check(up["http"]["url"] == "/upload/data.bin?x=1" and up["http"]["http_method"] == "POST",
          "the upload's http object is its transaction's")
    trunc = by["/store/big.iso"]["fileinfo"]
    check(trunc["state"] == "TRUNCATED" and trunc["size"] == 1000 and
          not any(k in trunc for k in ("md5", "sha1", "sha256")),
          f"a body cut short is TRUNCATED, without hashes: {trunc}")
    gap = by["/gappy.bin"]["fileinfo"]
    check(gap["gaps"] is False and gap["state"] == "TRUNCATED" and gap["size"] == 1000 and
          "sha256" not in gap,
          f"a stream hole inside the body ends the file there, TRUNCATED: {gap}")
    nohash, _ = run(FILES_CFG.replace("force-hash: [md5, sha1, sha256]", "force-magic: no"),
                    files_capture())
    f = [r["fileinfo"] for r in nohash if r["event_type"] == "fileinfo"]
    check(len(f) == 7 and not any("md5" in x or "sha256" in x for x in f),
          "no hashes unless force-hash lists them")
    recs, _ = run(FILES_CFG.replace("        - files:\n            force-hash: [md5, sha1, "
                                    "sha256]\n", ""), files_capture())
    check(not any(r["event_type"] == "fileinfo" for r in recs) and
          any(r["event_type"] == "http" for r in recs),
          "no fileinfo records unless the files type is listed")


def file_magic(data):
    """file(1)'s description of the first 512 bytes (Suricata's
    FILEMAGIC_MIN_SIZE), the check independent of idsd's lookup."""
    return subprocess.run(["file", "-b", "-"], input=data[:512], capture_output=True,
                          check=True).stdout.decode().strip()


def test_fileinfo_magic_range():
    recs, err = run(FILES_CFG.replace("force-hash: [md5, sha1, sha256]", "force-magic: yes"),
                    files_capture())
    check("force-magic" not in err, f"force-magic is no longer a no-op warning: {err[-300:]}")
    by = {r["fileinfo"]["filename"]: r["fileinfo"] for r in recs
          if r["event_type"] == "fileinfo"}
    for name, body in (("/upload/data.bin", BODY_UP), ("report 1.pdf", BODY_DOWN),
                       ("/docs/readme.txt", BODY_URI), ("a.txt", b"hello")):
        want = file_magic(body)
        check(by.get(name, {}).get("magic") == want,
              f"{name}: magic {by.get(name, {}).get('magic')!r}, file(1) says {want!r}")
    check("PDF document" in by["report 1.pdf"]["magic"], "the PDF is one")
    check(by["/store/big.iso"].get("magic") == file_magic(b"A" * 1000),
          f"a truncated file has its magic too: {by['/store/big.iso']}")
    check(not any("start" in f or "end" in f for f in by.values()),
          "whole files carry no start/end")
    # libmagic's database missing ($MAGIC names the one it loads): a config
    # error at the key, not a worker that fails later
    cfg = os.path.join(OUT, "idsd.yaml")
    p = subprocess.run([IDSD, "-c", cfg, "-T", "-S", os.path.join(OUT, "r.rules")],
                       capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, MAGIC=os.path.join(OUT, "no-such.mgc")))
    check(p.returncode == 1 and "idsd.yaml:9:" in p.stderr and "libmagic" in p.stderr,
          f"no libmagic database: exit 1, file:line of force-magic: {p.returncode} "
          f"{p.stderr[-300:]}")
    # ranges: a valid part, one past its size (invalid), one with an unknown size
    fr = []
    t = Tcp(fr, C(9), S(9), 40009, 80)
    for rng, body in ((b"bytes 100-109/1000", b"0123456789"),
                      (b"bytes 100-109/50", b"0123456789"),
                      (b"bytes 100-109/*", b"0123456789")):
        t.send(0, b"GET /part.bin HTTP/1.1\r\nHost: files.example\r\nRange: bytes=100-109"
                  b"\r\n\r\n")
        t.send(1, b"HTTP/1.1 206 Partial Content\r\nContent-Range: " + rng +
               b"\r\nContent-Length: 10\r\n\r\n" + body)
    t.close()
    recs, _ = run(FILES_CFG, fr)
    fi = sorted((r["fileinfo"] for r in recs if r["event_type"] == "fileinfo"),
                key=lambda f: f["tx_id"])
    check(len(fi) == 3, f"three range responses, three files: {fi}")
    check(fi[0].get("start") == 100 and fi[0].get("end") == 109 and fi[0]["size"] == 10,
          f"a valid range: start 100, end 109: {fi[0]}")
    check(not any(k in f for f in fi[1:] for k in ("start", "end")),
          f"an invalid range (past the size, size unknown): none: {fi[1:]}")


def http_capture():
    fr = []
    t = Tcp(fr, C(5), S(5), 40005, 8080)
    t.send(0, b"GET /old HTTP/1.1\r\nHost: www.example:8080\r\nUser-Agent: ua/1\r\n"
              b"Referer: http://ref.example/\r\nX-Forwarded-For: 192.0.2.7\r\n"
              b"Accept-Encoding: gzip\r\nCookie: a=b\r\n\r\n")
    t.send(1, b"HTTP/1.1 301 Moved\r\nLocation: /new\r\nServer: srv/2\r\n"
              b"Content-Range: bytes 0-9/100\r\nContent-Length: 10\r\n\r\n0123456789")
    t.close()
    return fr


def test_http():
    base = """%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types:
        - http"""
    recs, _ = run(base + "\n", http_capture())
    h = [r["http"] for r in recs if r["event_type"] == "http"]
    check(len(h) == 1, f"one http record: {h}")
    h = h[0]
    check(h.get("hostname") == "www.example" and h.get("http_port") == 8080 and
          h.get("url") == "/old" and h.get("http_user_agent") == "ua/1" and
          h.get("xff") == "192.0.2.7" and
          h.get("content_range") == {"raw": "bytes 0-9/100", "start": 0, "end": 9,
                                     "size": 100},
          f"basic fields: {h}")
    check(not any(k in h for k in ("http_refer", "http_method", "protocol", "status",
                                   "redirect", "length", "request_headers")),
          "no extended field without extended: yes (Suricata's default)")
    recs, _ = run(base + """:
            extended: yes
            custom: [Accept-Encoding, server, referer, set_cookie]
""", http_capture())
    h = [r["http"] for r in recs if r["event_type"] == "http"][0]
    check(h.get("http_refer") == "http://ref.example/" and h.get("http_method") == "GET" and
          h.get("protocol") == "HTTP/1.1" and h.get("status") == 301 and
          h.get("redirect") == "/new" and h.get("length") == 10,
          f"extended fields: {h}")
    check(h.get("request_headers") == [{"name": "Accept-Encoding", "value": "gzip"}] and
          h.get("response_headers") == [{"name": "Server", "value": "srv/2"}],
          "custom: the listed headers only (referer not twice with extended; "
          f"no Set-Cookie sent): {h.get('request_headers')} {h.get('response_headers')}")
    recs, _ = run(base + """:
            dump-all-headers: request
""", http_capture())
    h = [r["http"] for r in recs if r["event_type"] == "http"][0]
    names = [x["name"] for x in h.get("request_headers", [])]
    check(names == ["Host", "User-Agent", "Referer", "X-Forwarded-For", "Accept-Encoding",
                    "Cookie"] and "response_headers" not in h,
          f"dump-all-headers: request: every request header in order: {names}")
    # alert options http-body and http-body-printable: the response body in
    # the alert's http object (the request has none)
    alert_cfg = """%%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types:
        - alert:
            http-body: %s
            http-body-printable: %s
"""
    rule = 'alert http any any -> any any (msg:"body"; file.data; content:"345"; sid:1;)\n'
    recs, _ = run(alert_cfg % ("yes", "yes"), http_capture(), rule)
    al = [r for r in recs if r["event_type"] == "alert"]
    check(len(al) == 1, f"one alert: {al}")
    h = al[0].get("http", {}) if al else {}
    check(base64.b64decode(h.get("http_response_body", "")) == b"0123456789" and
          h.get("http_response_body_printable") == "0123456789" and
          "http_request_body" not in h,
          f"http-body: the response body, base64 and printable: {h}")
    recs, _ = run(alert_cfg % ("no", "no"), http_capture(), rule)
    h = [r for r in recs if r["event_type"] == "alert"][0].get("http", {})
    check(not any("body" in k for k in h), f"no body without the options: {h}")


def name(n):
    return b"".join(bytes([len(x)]) + x for x in n.encode().split(b".")) + b"\0"


def rr(owner, rtype, ttl, rdata):
    return owner + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


def dns_capture():
    q = name("www.example.org")
    ptr = 12                                   # the question's name: c0 0c
    c = b"\xc0\x0c"
    ans = [
        rr(c, 5, 300, name("web.example.org")),                       # CNAME
        rr(name("web.example.org"), 1, 60, bytes([192, 0, 2, 1])),    # A
        rr(name("web.example.org"), 1, 60, bytes([192, 0, 2, 2])),    # A
        rr(c, 28, 60, bytes.fromhex("20010db8000000000000000000000001")),  # AAAA
        rr(c, 15, 3600, struct.pack("!H", 10) + name("mx.example.org")),   # MX
        rr(c, 2, 3600, name("ns1.example.org")),                      # NS
        rr(c, 12, 10, b"\xc0" + bytes([ptr])),                        # PTR by pointer
        rr(c, 16, 5, b"\x0bhello world\x03two"),                      # TXT, two strings
        rr(c, 33, 7, struct.pack("!HHH", 1, 5, 5060) + name("sip.example.org")),  # SRV
        rr(c, 99 + 1000, 9, b"\x01\x02"),                              # unknown type
    ]
    auth = [rr(name("example.org"), 6, 900, name("ns1.example.org") + name("admin.example.org")
               + struct.pack("!IIIII", 2024010101, 7200, 3600, 1209600, 300))]
    hdr_q = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
    hdr_r = struct.pack("!HHHHHH", 0x1234, 0x8580, 1, len(ans), len(auth), 0)
    query = hdr_q + q + struct.pack("!HH", 1, 1)
    resp = hdr_r + q + struct.pack("!HH", 1, 1) + b"".join(ans) + b"".join(auth)
    nx = struct.pack("!HHHHHH", 0x4321, 0x8183, 1, 0, 0, 0) + name("nx.example") + \
        struct.pack("!HH", 28, 1)
    return [udp_frame(C(9), S(9), 5353, 53, query), udp_frame(S(9), C(9), 53, 5353, resp),
            udp_frame(C(9), S(9), 5354, 53, nx[:2] + b"\x01\x00" + nx[4:]),
            udp_frame(S(9), C(9), 53, 5354, nx)]


def test_dns():
    cfg = """%%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types:
        - dns%s
"""
    recs, _ = run(cfg % "", dns_capture())
    dns = [r["dns"] for r in recs if r["event_type"] == "dns"]
    ans = [d for d in dns if d["type"] == "answer"]
    check(len(dns) == 4 and len(ans) == 2, f"two queries, two answers: {dns}")
    a = ans[0]
    print(json.dumps(a))
    check(a["version"] == 2 and a["id"] == 0x1234 and a["flags"] == "8580" and
          a["qr"] is True and a["aa"] is True and a["rd"] is True and a["ra"] is True and
          "tc" not in a and a["rcode"] == "NOERROR" and a["rrname"] == "www.example.org" and
          a["rrtype"] == "A" and a["opcode"] == 0,
          "the answer's header: id, flags in hex, qr/aa/rd/ra, rcode, the question")
    want = [
        {"rrname": "www.example.org", "rrtype": "CNAME", "ttl": 300, "rdata": "web.example.org"},
        {"rrname": "web.example.org", "rrtype": "A", "ttl": 60, "rdata": "192.0.2.1"},
        {"rrname": "web.example.org", "rrtype": "A", "ttl": 60, "rdata": "192.0.2.2"},
        {"rrname": "www.example.org", "rrtype": "AAAA", "ttl": 60,
         "rdata": "2001:0db8:0000:0000:0000:0000:0000:0001"},
        {"rrname": "www.example.org", "rrtype": "MX", "ttl": 3600, "rdata": "mx.example.org"},
        {"rrname": "www.example.org", "rrtype": "NS", "ttl": 3600, "rdata": "ns1.example.org"},
        {"rrname": "www.example.org", "rrtype": "PTR", "ttl": 10, "rdata": "www.example.org"},
        {"rrname": "www.example.org", "rrtype": "TXT", "ttl": 5, "rdata": "hello world"},
        {"rrname": "www.example.org", "rrtype": "SRV", "ttl": 7,
         "srv": {"priority": 1, "weight": 5, "port": 5060, "name": "sip.example.org"}},
        {"rrname": "www.example.org", "rrtype": "1099", "ttl": 9},
    ]
    check(a.get("answers") == want, f"answers, detailed: {a.get('answers')}")
    check(a.get("grouped") == {"CNAME": ["web.example.org"], "A": ["192.0.2.1", "192.0.2.2"],
                               "AAAA": ["2001:0db8:0000:0000:0000:0000:0000:0001"],
                               "MX": ["mx.example.org"], "NS": ["ns1.example.org"],
                               "PTR": ["www.example.org"], "TXT": ["hello world"],
                               "SRV": [{"priority": 1, "weight": 5, "port": 5060,
                                        "name": "sip.example.org"}]},
          f"grouped by type: {a.get('grouped')}")
    check(a.get("authorities") == [{"rrname": "example.org", "rrtype": "SOA", "ttl": 900,
                                    "soa": {"mname": "ns1.example.org",
                                            "rname": "admin.example.org", "serial": 2024010101,
                                            "refresh": 7200, "retry": 3600, "expire": 1209600,
                                            "minimum": 300}}],
          f"authorities with the SOA: {a.get('authorities')}")
    nx = ans[1]
    check(nx["rcode"] == "NXDOMAIN" and nx["rrtype"] == "AAAA" and "answers" not in nx and
          "grouped" not in nx, f"an NXDOMAIN answer without records: {nx}")
    recs, _ = run(cfg % """:
            version: 2
            requests: no
            formats: [grouped]""", dns_capture())
    dns = [r["dns"] for r in recs if r["event_type"] == "dns"]
    check(len(dns) == 2 and all(d["type"] == "answer" for d in dns) and
          "answers" not in dns[0] and "grouped" in dns[0] and "authorities" in dns[0],
          "requests: no drops queries; formats: [grouped] writes no answers list")
    recs, _ = run(cfg % """:
            responses: no
            formats: [detailed]""", dns_capture())
    dns = [r["dns"] for r in recs if r["event_type"] == "dns"]
    check(len(dns) == 2 and all(d["type"] == "query" for d in dns),
          "responses: no drops answers")


def tls_hs(htype, body):
    hs = bytes([htype]) + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def make_cert():
    """A self-signed certificate (DER) with known dates, by certtool."""
    return certtool_cert(OUT, 'cn = "cert.test"\nserial = 4660\n'
                              'activation_date = "2019-01-02 03:04:05"\n'
                              'expiration_date = "2031-05-06 07:08:09"\n')


def tls_session(fr, n, sid_c, sid_s, tls13=False, cert=None):
    ext = struct.pack("!HH", 43, 2) + b"\x03\x04" if tls13 else b""
    sni = b"\x00" + struct.pack("!H", 8) + b"tls.test"
    sni_ext = struct.pack("!HHH", 0, len(sni) + 2, len(sni)) + sni
    ch = (b"\x03\x03" + bytes(32) + bytes([len(sid_c)]) + sid_c + b"\x00\x02\xc0\x2f" +
          b"\x01\x00" + struct.pack("!H", len(sni_ext)) + sni_ext)
    sh = (b"\x03\x03" + bytes(32) + bytes([len(sid_s)]) + sid_s + b"\xc0\x2f\x00" +
          struct.pack("!H", len(ext)) + ext)
    t = Tcp(fr, C(20 + n), S(20 + n), 41000 + n, 443)
    t.send(0, tls_hs(1, ch))
    chain = b""
    if cert is not None:
        one = len(cert).to_bytes(3, "big") + cert
        chain = tls_hs(11, len(one).to_bytes(3, "big") + one)
    t.send(1, tls_hs(2, sh) + chain + b"\x14\x03\x03\x00\x01\x01")
    t.send(0, b"\x14\x03\x03\x00\x01\x01")
    t.close()


def test_tls():
    fr = []
    sid = bytes(range(1, 33))
    tls_session(fr, 1, sid, sid)                      # resumed
    tls_session(fr, 2, sid, bytes(range(2, 34)))      # a new session id: not resumed
    tls_session(fr, 3, sid, sid, tls13=True)          # TLS 1.3 echoes it: not resumed
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    cert = make_cert()
    tls_session(fr, 4, sid, bytes(range(3, 35)), cert=cert)   # a full handshake
    recs, _ = run("""%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types: [{tls: {extended: yes}}]
""", fr)
    tls = {r["src_port"]: r["tls"] for r in recs if r["event_type"] == "tls"}
    check(len(tls) == 4, f"four tls records: {tls}")
    fp = ":".join(f"{b:02x}" for b in hashlib.sha1(cert).digest())
    full = tls.get(41004, {})
    check(full.get("subject") == "CN=cert.test" and full.get("issuerdn") == "CN=cert.test" and
          full.get("serial") == "12:34" and full.get("fingerprint") == fp and
          full.get("notbefore") == "2019-01-02T03:04:05" and
          full.get("notafter") == "2031-05-06T07:08:09" and
          full.get("sni") == "tls.test" and full.get("version") == "TLS 1.2" and
          "session_resumed" not in full,
          f"the certificate's fields, notbefore/notafter its dates: {full}")
    check(not any("notbefore" in tls.get(p, {}) for p in (41001, 41002, 41003)),
          "no dates without a certificate")
    recs, _ = run("""%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types: [tls]
""", fr)
    basic = {r["src_port"]: r["tls"] for r in recs if r["event_type"] == "tls"}
    check(basic == {41001: {"session_resumed": True}, 41002: {}, 41003: {},
                    41004: {"subject": "CN=cert.test", "issuerdn": "CN=cert.test"}},
          f"without extended: JsonTlsLogJSONBasic's subject, issuerdn, session_resumed "
          f"only: {basic}")
    check(tls.get(41001, {}).get("session_resumed") is True and
          "session_resumed" not in tls.get(41002, {}) and
          "session_resumed" not in tls.get(41003, {}) and
          tls.get(41003, {}).get("version") == "TLS 1.3",
          f"session_resumed only for the echoed id without a certificate: {tls}")
    # custom: those fields only (in Suricata's order), session-resumption: no
    recs, err = run("""%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types:
        - tls:
            extended: yes
            custom: [not_after, SNI, fingerprint, chain, bogus]
            session-resumption: no
""", fr)
    custom = {r["src_port"]: r["tls"] for r in recs if r["event_type"] == "tls"}
    check(list(custom.get(41004, {}).items()) ==
          [("fingerprint", fp), ("sni", "tls.test"), ("notafter", "2031-05-06T07:08:09")],
          f"custom: fingerprint, sni, notafter only, in Suricata's order: {custom.get(41004)}")
    check(41001 not in custom,
          f"session-resumption: no: the resumed session is not logged: {custom}")
    check(re.search(r"idsd\.yaml:\d+:\d+: .*tls custom field 'chain' accepted, has no effect",
                    err) and
          re.search(r"idsd\.yaml:\d+:\d+: .*tls custom field 'bogus' unknown, ignored", err)
          and "'custom'" not in err,
          f"a name idsd cannot write and one nobody knows are warned about: {err[-500:]}")


def test_anomaly():
    from test_events import build
    frames = []
    build(frames)
    cfg = """%%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types:
        - anomaly%s
"""
    recs, _ = run(cfg % """:
            types: {decode: yes, stream: yes, applayer: yes}""", frames)
    an = [r for r in recs if r["event_type"] == "anomaly"]
    stream = {r["anomaly"]["event"] for r in an if r["anomaly"]["type"] == "stream"}
    check(stream == {"stream.rst_but_no_session", "stream.fin_but_no_session",
                     "stream.pkt_broken_ack", "stream.3whs_synack_in_wrong_direction",
                     "stream.est_syn_toclient", "stream.reassembly_overlap_different_data",
                     "stream.3whs_synack_with_wrong_ack",
                     "stream.3whs_synack_resend_with_different_ack",
                     "stream.3whs_synack_flood",
                     "stream.3whs_syn_resend_diff_seq_on_syn_recv"},
          f"stream anomalies, named as Suricata's DEvents: {sorted(stream)}")
    check(all(set(r["anomaly"]) == {"type", "event"} and "tx_id" not in r
              for r in an if r["anomaly"]["type"] == "stream"),
          "a stream anomaly has type and event only")
    dec = {r["anomaly"]["event"] for r in an if r["anomaly"]["type"] == "decode"}
    check({"decoder.icmpv4.unknown_type", "decoder.icmpv4.unknown_code",
           "decoder.icmpv4.ipv4_trunc_pkt", "decoder.tcp.opt_invalid_len",
           "decoder.tcp.opt_duplicate", "decoder.icmpv6.unknown_code",
           "decoder.icmpv6.mld_message_with_invalid_hl", "decoder.icmpv6.unassigned_type",
           "decoder.icmpv6.experimentation_type", "decoder.icmpv6.unknown_type"} <= dec,
          f"decoder events of packets the decoder kept, as decode anomalies: {sorted(dec)}")
    app = [r for r in an if r["anomaly"]["type"] == "applayer"]
    got = {(r["anomaly"]["app_proto"], r["anomaly"]["event"]) for r in app}
    want = {("http", "INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST"),
            ("http", "MISSING_HOST_HEADER"), ("http", "RESPONSE_FIELD_MISSING_COLON"),
            ("dns", "z_flag_set"), ("dns", "invalid_opcode"), ("dns", "not_a_request"),
            ("dns", "malformed_data")}
    check(want <= got, f"app-layer anomalies of the transactions: {sorted(got)}")
    check(all(r["anomaly"]["layer"] == "proto_parser" and isinstance(r.get("tx_id"), int)
              for r in app), "with layer proto_parser and the transaction's tx_id")
    recs, _ = run(cfg % "", frames)
    kinds_ = {r["anomaly"]["type"] for r in recs if r["event_type"] == "anomaly"}
    check(kinds_ == {"applayer"}, f"Suricata's defaults: applayer only: {kinds_}")
    recs, err = run(cfg % """:
            types: {applayer: no, stream: yes}""", frames)
    kinds_ = {r["anomaly"]["type"] for r in recs if r["event_type"] == "anomaly"}
    check(kinds_ == {"stream"}, f"stream only: {kinds_}")
    # at the event: a request without Host, answered only later; its
    # anomaly is written at the packet that raised it (the client's
    # segment, parsed at its ack), the http record when the transaction goes
    fr = []
    t = Tcp(fr, C(30), S(30), 42000, 80)
    t.send(0, b"GET /nohost HTTP/1.1\r\nUser-Agent: x\r\n\r\n")
    raised = len(fr)                          # pcap_cnt of the ack that has it parsed
    for _ in range(3):
        t.send(0, b"")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    t.close()
    recs, _ = run(cfg % "", fr)
    an = [r for r in recs if r["event_type"] == "anomaly"]
    check(len(an) == 1 and an[0]["anomaly"]["event"] == "MISSING_HOST_HEADER" and
          an[0].get("pcap_cnt") == raised and an[0].get("pkt_src") == "wire/pcap",
          f"the anomaly at the packet that raised it ({raised}): {an}")


def xff_capture(value):
    fr = []
    t = Tcp(fr, C(6), S(6), 40006, 80)
    t.send(0, b"GET /x HTTP/1.1\r\nHost: p.example\r\nX-Real: 198.51.100.9\r\n"
              b"X-Forwarded-For: " + value + b"\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    t.close()
    return fr


def test_xff():
    cfg = """%%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types:
        - http:
            xff:
              enabled: yes
              mode: %s
              deployment: %s
              header: %s
"""
    chain = b"203.0.113.5, 192.0.2.44:8080"
    cases = (("extra-data", "reverse", "X-Forwarded-For", chain,
              {"xff": "192.0.2.44", "src_ip": "10.0.0.6"}),
             ("extra-data", "forward", "X-Forwarded-For", chain,
              {"xff": "203.0.113.5", "src_ip": "10.0.0.6"}),
             ("overwrite", "reverse", "X-Forwarded-For", chain,
              {"xff": None, "src_ip": "192.0.2.44"}),
             ("overwrite", "forward", "X-Real", chain,
              {"xff": None, "src_ip": "198.51.100.9"}),
             ("overwrite", "reverse", "X-Forwarded-For", b"2001:db8::1",
              {"xff": "2001:db8::1", "src_ip": "10.0.0.6"}))
    for mode, dep, hdr, value, want in cases:
        recs, err = run(cfg % (mode, dep, hdr), xff_capture(value))
        h = [r for r in recs if r["event_type"] == "http"]
        check(len(h) == 1, f"{mode}/{dep}/{hdr}: one http record: {h}")
        got = {"xff": h[0].get("xff"), "src_ip": h[0]["src_ip"]}
        check(got == want and h[0]["dest_ip"] == "10.0.1.6" and
              h[0]["http"].get("xff") == value.decode(),
              f"{mode}/{dep}/{hdr} {value}: {got}, want {want}")
        check("xff" not in err, f"no warning about xff: {err[-300:]}")
    recs, _ = run(cfg.replace("enabled: yes", "enabled: no") % ("extra-data", "reverse",
                                                              "X-Forwarded-For"),
                  xff_capture(chain))
    h = [r for r in recs if r["event_type"] == "http"][0]
    check("xff" not in h and h["src_ip"] == "10.0.0.6", f"xff disabled: nothing: {h}")
    # per output, in one run: each eve-log its own header, mode and deployment
    two = """%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types:
        - http: { xff: { enabled: yes, mode: extra-data, deployment: reverse,
                         header: X-Forwarded-For } }
  - eve-log:
      filename: eve2.json
      types:
        - alert: { xff: { enabled: yes, mode: extra-data, deployment: forward,
                          header: X-Real } }
        - http: { xff: { enabled: yes, mode: overwrite, deployment: forward,
                         header: X-Real } }
"""
    recs, _ = run(two, xff_capture(chain),
                  'alert tcp any any -> any 80 (msg:"x"; flow:to_server; content:"GET"; sid:5;)\n')
    with open(os.path.join(OUT, "eve2.json")) as f:
        recs2 = [json.loads(x) for x in f if x.strip()]
    h1 = [r for r in recs if r["event_type"] == "http"]
    h2 = [r for r in recs2 if r["event_type"] == "http"]
    a2 = [r for r in recs2 if r["event_type"] == "alert"]
    check(len(h1) == 1 and h1[0].get("xff") == "192.0.2.44" and h1[0]["src_ip"] == "10.0.0.6",
          f"first output: X-Forwarded-For, extra-data, the last element: {h1}")
    check(len(h2) == 1 and "xff" not in h2[0] and h2[0]["src_ip"] == "198.51.100.9",
          f"second output: its own header X-Real, overwrite: {h2}")
    check(len(a2) == 1 and a2[0]["alert"].get("xff") == "198.51.100.9" and
          a2[0]["src_ip"] == "10.0.0.6",
          f"second output's alert: X-Real as alert.xff: {a2}")


def test_pkt_src():
    fr = []
    # a transaction the response completes, on the wire
    t = Tcp(fr, C(7), S(7), 40007, 80)
    t.send(0, b"GET /a HTTP/1.1\r\nHost: s.example\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
    t.close()
    # a request never answered: let go when the flow ends
    t = Tcp(fr, C(8), S(8), 40008, 80)
    t.send(0, b"POST /up HTTP/1.1\r\nHost: s.example\r\nContent-Length: 99\r\n\r\nabc")
    # an upload in a multipart POST: each part's file ends at its delimiter
    # (the CR LF and boundary after it), logged there, before the response
    # lets the transaction go
    t = Tcp(fr, C(9), S(9), 40009, 80)
    part = b"--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"%s\"\r\n\r\n"
    body1 = part % b"one.txt" + b"first\r\n" + part % b"two.txt" + b"sec"
    body2 = b"ond\r\n--B--"
    t.send(0, b"POST /form HTTP/1.1\r\nHost: s.example\r\nContent-Type: multipart/form-data; "
              b"boundary=B\r\nContent-Length: %d\r\n\r\n" % (len(body1) + len(body2)) + body1)
    # the server's ack of a segment has it parsed (stream reassembly, IDS
    # mode): pcap_cnt of that ack, the last frame sent
    seg1 = len(fr)
    t.send(0, body2)
    seg2 = len(fr)
    for _ in range(3):
        t.send(0, b"")                      # empty segments: time passes
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    t.close()
    cfg = """%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types:
        - http
        - files
        - flow
        - netflow
"""
    recs, _ = run(cfg, fr)
    wire = [r for r in recs if 40007 in (r.get("src_port"), r.get("dest_port")) and
            r["event_type"] in ("http", "fileinfo")]
    check(len(wire) == 2 and all(r.get("pkt_src") == "wire/pcap" and
                                 isinstance(r.get("pcap_cnt"), int) for r in wire),
          f"a transaction completed by a packet: wire/pcap and its pcap_cnt: {wire}")
    # the response (packet 6, parsed once the client acks it: 7) ends the
    # file, logged there as Suricata's file logger does; the transaction
    # is let go once inspected both ways, by a later packet of the same
    # flow (at most its last, 10)
    cnt = {r["event_type"]: r["pcap_cnt"] for r in wire}
    check(6 <= cnt.get("fileinfo", 0) <= 7 and cnt["fileinfo"] <= cnt.get("http", 0) <= 10,
          f"pcap_cnt: the number of the packet that had it logged: {cnt}")
    end = [r for r in recs if (r.get("src_port") == 40008 or r.get("dest_port") == 40008)
           and r["event_type"] in ("http", "fileinfo")]
    check(len(end) == 2 and all(r.get("pkt_src") == "stream (flow timeout)" and
                                "pcap_cnt" not in r for r in end),
          f"let go at flow end: stream (flow timeout), no pcap_cnt: {end}")
    up = {r["fileinfo"]["filename"]: r["pcap_cnt"] for r in recs
          if r["event_type"] == "fileinfo" and r["src_port"] == 40009}
    http9 = [r.get("pcap_cnt") for r in recs
             if r["event_type"] == "http" and r["src_port"] == 40009]
    check(up.get("one.txt") == seg1 and up.get("two.txt") == seg2 and
          len(http9) == 1 and http9[0] > seg2 + 6,
          f"multipart parts logged at the segment that ended each ({seg1}, {seg2}), the "
          f"transaction later: {up} {http9}")
    fl = [r for r in recs if r["event_type"] in ("flow", "netflow")]
    check(len(fl) >= 3 and not any("pkt_src" in r or "pcap_cnt" in r for r in fl),
          "flow and netflow records carry neither (CreateEveHeaderFromFlow)")


def test_header():
    recs, _ = run("""%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types: [alert, http, flow]
""", http_capture(), 'alert tcp any any -> any any (msg:"hdr"; flow:to_server; '
                     'content:"GET"; sid:9;)\n')
    kinds = {r["event_type"] for r in recs}
    check({"alert", "http", "flow"} <= kinds, f"alert, http and flow records: {kinds}")
    check(not any("in_iface" in r for r in recs),
          "reading a file, no record has in_iface (Suricata's pcap-file source sets no "
          f"live device): {[r for r in recs if 'in_iface' in r][:1]}")
    check(all(r.get("pkt_src") == "wire/pcap" for r in recs if r["event_type"] == "alert"),
          "the rest of the header stays (pkt_src)")


def test_alert_app():
    fr = []
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    tls_session(fr, 4, bytes(range(1, 33)), bytes(range(3, 35)), cert=make_cert())
    fr += http_capture()
    fr += dns_capture()
    recs, _ = run("""%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types: [alert, {tls: {extended: yes}}]
""", fr, "\n".join([
        # the client's ChangeCipherSpec: it acks the server's handshake;
        # dsize keeps these rules to the packet (Suricata's
        # SIG_FLAG_REQUIRE_PACKET), no stream match with its transaction
        'alert tcp any any -> any 443 (msg:"ccs"; flow:to_server; '
        'content:"|14 03 03 00 01 01|"; dsize:6; sid:1;)',
        'alert tcp any 8080 -> any any (msg:"moved"; content:"301 Moved"; dsize:>10; sid:2;)',
        'alert udp any 53 -> any any (msg:"dns answer"; content:"|12 34 85 80|"; sid:3;)',
    ]) + "\n")
    alerts = {}
    for r in recs:
        if r["event_type"] == "alert":
            alerts.setdefault(r["alert"]["signature_id"], []).append(r)
    check(sorted(alerts) == [1, 2, 3], f"each rule alerts: {sorted(alerts)}")
    rec = [r["tls"] for r in recs if r["event_type"] == "tls"]
    check(len(rec) == 1 and rec[0].get("sni") == "tls.test" and "fingerprint" in rec[0],
          f"one tls record: {rec}")
    for a in alerts.get(1, []):
        got = {k: v for k, v in a.get("tls", {}).items() if k in rec[0]}
        check(a.get("app_proto") == "tls" and got == rec[0] and "tx_id" not in a,
              f"a packet alert on TLS carries the flow's tls object, no tx_id: {a}")
    for a in alerts.get(2, []):
        check(a.get("app_proto") == "http" and a.get("http") == {} and "tx_id" not in a,
              f"a packet alert on HTTP carries an empty http object, no tx_id: {a}")
    for a in alerts.get(3, []):
        check(a.get("app_proto") == "dns" and "dns" not in a and "tx_id" not in a,
              f"a packet alert on DNS carries no dns object: {a}")


def main():
    global IDSD, OUT
    IDSD, OUT, test = sys.argv[1], sys.argv[2], sys.argv[3]
    {"fileinfo": test_fileinfo, "fileinfo_magic_range": test_fileinfo_magic_range,
     "http": test_http, "dns": test_dns,
     "tls": test_tls, "anomaly": test_anomaly, "xff": test_xff,
     "pkt_src": test_pkt_src, "header": test_header, "alert_app": test_alert_app}[test]()


if __name__ == "__main__":
    main()
