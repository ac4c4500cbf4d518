#!/usr/bin/env python3
"""TLS flows once their encrypted application data starts, as Suricata 7's
app-layer.protocols.tls.encryption-handling: usage:
test_tls_encrypted.py IDSD OUT_DIR.

One TLS 1.2 session: a ClientHello naming "enc.test", the ServerHello and
ChangeCipherSpec, then application data records both ways carrying the
word SECRETWORD, then FIN both ways.
- default (and "track-only"): the TLS fields are still inspected (a
  tls.sni rule fires), so is the handshake's payload (a rule on the
  ClientHello bytes fires) and a header-only rule on a later packet, but
  not the payload of the encrypted data, neither on packets nor on the
  raw stream (the SECRETWORD rules do not fire);
- full: the encrypted data's payload is inspected like any other;
- bypass: after the application data starts, the flow is not inspected
  at all (the header-only rule on the FIN does not fire either);
- a value Suricata does not know is refused with the file, line and the
  values it takes."""
import os
import shutil
import struct
import subprocess
import sys

from e2e_check import alert_sids, check, run_capture
from pcapgen import Tcp

RULES = [
    'alert tls any any -> any any (msg:"sni"; tls.sni; content:"enc.test"; sid:1;)',
    'alert tcp any any -> any 443 (msg:"word to server"; flow:to_server; content:"SECRETWORD"; '
    'sid:2;)',
    'alert tcp any 443 -> any any (msg:"word to client"; flow:to_client; content:"SECRETWORD"; '
    'sid:3;)',
    'alert tcp any any -> any 443 (msg:"client hello bytes"; content:"|16 03 01|"; depth:3; '
    'sid:4;)',
    'alert tcp any any -> any 443 (msg:"client FIN"; flow:to_server; flags:FA; sid:5;)',
]


def tls_hs(htype, body):
    hs = bytes([htype]) + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def app_data(payload):
    return b"\x17\x03\x03" + struct.pack("!H", len(payload)) + payload


def frames():
    fr = []
    sni = b"\x00" + struct.pack("!H", 8) + b"enc.test"
    sni_ext = struct.pack("!HHH", 0, len(sni) + 2, len(sni)) + sni
    ch = (b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x02\xc0\x2f" + b"\x01\x00" +
          struct.pack("!H", len(sni_ext)) + sni_ext)
    sh = b"\x03\x03" + bytes(32) + b"\x00" + b"\xc0\x2f\x00" + b"\x00\x00"
    t = Tcp(fr, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]), 41000, 443)
    t.send(0, tls_hs(1, ch))
    t.send(1, tls_hs(2, sh) + b"\x14\x03\x03\x00\x01\x01")
    t.send(0, b"\x14\x03\x03\x00\x01\x01")
    for _ in range(3):
        t.send(0, app_data(b"GET / xx SECRETWORD " + bytes(200)))
        t.send(1, app_data(b"200 yy SECRETWORD " + bytes(1200)))
    t.close()
    return fr


def conf(mode):
    return ("%YAML 1.1\n---\napp-layer:\n  protocols:\n    tls:\n"
            f"      encryption-handling: {mode}\n")


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    runs = {}
    for mode in (None, "track-only", "full", "bypass"):
        d = os.path.join(out, mode or "unset")
        os.makedirs(d)
        runs[mode] = alert_sids(run_capture(idsd, d, "tls", frames(), RULES,
                                      conf=conf(mode) if mode else None))
        print(mode or "unset", runs[mode])
    for mode in (None, "track-only"):
        check(runs[mode] == [1, 4, 5],
              f"{mode or 'default'}: tls.sni, the ClientHello's bytes and the FIN's header "
              f"are inspected, the encrypted payload is not: {runs[mode]}")
    check(runs["full"] == [1, 2, 3, 4, 5], f"full: the encrypted payload too: {runs['full']}")
    check(runs["bypass"] == [1, 4],
          f"bypass: nothing after the application data, not even the FIN: {runs['bypass']}")

    bad = os.path.join(out, "bad.yaml")
    with open(bad, "w", encoding="utf-8") as f:
        f.write(conf("sometimes"))
    p = subprocess.run([idsd, "-T", "-c", bad, "-S", os.path.join(out, "unset", "tls.rules")],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode != 0 and "bad.yaml:6" in p.stderr and "track-only" in p.stderr,
          f"an unknown value is refused with its file and line: {p.stderr[-300:]}")


main()
