#!/usr/bin/env python3
"""ssl_version and tls.store on the real idsd: usage: test_ssl_version.py IDSD OUT_DIR

Three crafted TLS handshakes (pcapgen), each side's version as Suricata 7's
parser keeps it (connp.version: the record's, then the hello's, the
server's supported_versions overriding it):
  A: records 1.0, ClientHello 1.2 (SNI a.example), ServerHello 1.2
  B: ClientHello 1.2, ServerHello 1.2 with supported_versions 1.3
  C: ClientHello 1.0, ServerHello 1.0
ssl_version matches the inspected side's version when the rule names it;
as Suricata 7's DetectSslVersionMatch, a version named with '!' never
matches (nor do the others of an all-negated list). tls.store is accepted
with a load warning and the rule alerts as without it. Bad values fail
with file:line and the reason."""
import os
import shutil
import struct
import subprocess
import sys

from e2e_check import alert_sids, check, check_rule_errors, run_capture
from pcapgen import Tcp

CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])


def record(ctype, body, ver=0x0303):
    return struct.pack("!BHH", ctype, ver, len(body)) + body


def hs(htype, body):
    return struct.pack("!B", htype) + len(body).to_bytes(3, "big") + body


def ext(etype, body):
    return struct.pack("!HH", etype, len(body)) + body


def hello(htype, ver, exts=b""):
    suites = b"\x00\x02\xc0\x2f" if htype == 1 else b"\xc0\x2f"
    comp = b"\x01\x00" if htype == 1 else b"\x00"
    return hs(htype, struct.pack("!H", ver) + bytes(range(32)) + b"\x00" + suites + comp +
              struct.pack("!H", len(exts)) + exts)


def sni(name):
    entry = b"\x00" + struct.pack("!H", len(name)) + name
    return ext(0, struct.pack("!H", len(entry)) + entry)


def session(frames, sport, rec_ver, ch_ver, sh_ver, ch_exts=b"", sh_exts=b""):
    t = Tcp(frames, CLI, SRV, sport, 443)
    t.send(0, record(22, hello(1, ch_ver, ch_exts), rec_ver))
    t.send(1, record(22, hello(2, sh_ver, sh_exts), rec_ver))
    t.send(0, record(20, b"\x01", rec_ver))
    t.send(1, record(20, b"\x01", rec_ver))
    t.close()


RULES = [
    # (rule, sorted source ports of the flows it alerts on)
    ('alert tls any any -> any any (msg:"1.2"; ssl_version:tls1.2; sid:1;)', [40001, 40002]),
    ('alert tls any any -> any any (msg:"1.3"; ssl_version:tls1.3; sid:2;)', [40002]),
    ('alert tls any any -> any any (msg:"1.2 server"; flow:to_client; ssl_version:tls1.2; '
     'sid:3;)', [40001]),
    ('alert tcp any any -> any any (msg:"old"; ssl_version: sslv3 , TLS1.0; sid:4;)', [40003]),
    ('alert tls any any -> any any (msg:"not 1.2"; ssl_version:!tls1.2; sid:5;)', []),
    ('alert tls any any -> any any (msg:"1.1"; ssl_version:tls1.1; sid:6;)', []),
    ('alert tls any any -> any any (msg:"store"; tls.sni; content:"a.example"; tls.store; '
     'sid:7;)', [40001]),
    ('alert tcp any any -> any any (msg:"store none"; tls.sni; content:"b.example"; '
     'tls.store; sid:8;)', []),
]


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    session(frames, 40001, 0x0301, 0x0303, 0x0303, ch_exts=sni(b"a.example"))
    session(frames, 40002, 0x0303, 0x0303, 0x0303, sh_exts=ext(43, b"\x03\x04"))
    session(frames, 40003, 0x0301, 0x0301, 0x0301)
    eve = run_capture(idsd, out, "sslver", frames, [r for r, _ in RULES])
    alerts = [e for e in eve if e.get("event_type") == "alert"]
    for sid, (rule, ports) in enumerate(RULES, 1):
        got = sorted({a["src_port"] if a["dest_port"] == 443 else a["dest_port"]
                      for a in alerts if a["alert"]["signature_id"] == sid})
        check(got == ports, f"sid {sid} alerts on flows {got}, want {ports}")
    check(sum(1 for a in alerts if a["alert"]["signature_id"] == 7) == 1,
          f"tls.store rule alerts once: {alert_sids(eve)}")

    p = subprocess.run([idsd, "-T", "-S", os.path.join(out, "sslver.rules")],
                       capture_output=True, text=True, timeout=120)
    msgs = p.stdout + p.stderr
    check(p.returncode == 0 and "sslver.rules:7: warning: tls.store: idsd does not store "
          "certificates" in msgs, f"tls.store loads with a warning: {msgs[-400:]}")
    check_rule_errors(idsd, out, [
        'alert tls any any -> any any (ssl_version:tls1.4; sid:1;)',
        'alert tls any any -> any any (ssl_version:tls1.2,!tls1.3; sid:2;)',
        'alert tls any any -> any any (ssl_version:tls1.2,tls1.2; sid:3;)',
        'alert http any any -> any any (ssl_version:tls1.2; sid:4;)',
        'alert tls any any -> any any (ssl_version:; sid:5;)',
        'alert http any any -> any any (tls.store; sid:6;)',
        'alert tls any any -> any any (tls.store:yes; sid:7;)',
        'alert tls any any -> any any (ssl_version:tls1.0; ssl_version:tls1.1; sid:8;)',
    ], ["BAD:1: invalid ssl_version: unknown value 'tls1.4'",
        "BAD:2: invalid ssl_version: 'tls1.2,!tls1.3' mixes negated and plain values",
        "BAD:3: invalid ssl_version: 'tls1.2' named twice",
        "BAD:4: rule mixes protocols: ssl_version keyword in a http rule",
        "BAD:5: keyword 'ssl_version' needs a value",
        "BAD:6: rule mixes protocols: tls.store in a http rule",
        "BAD:7: keyword 'tls.store' takes no value",
        "BAD:8: duplicate keyword 'ssl_version'"])


if __name__ == "__main__":
    main()
