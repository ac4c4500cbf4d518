#!/usr/bin/env python3
"""End-to-end test of the detection-only protocols: usage: test_app_detect.py IDSD OUT_DIR.

Writes a capture of four TCP sessions: SMTP on port 25, FTP on 21, SMB2 on
445 and SMTP again on 2525 (found by the client's EHLO, not the port). The
SMTP and FTP servers greet alike ("220 "), so only the client's command
tells them apart. Rules on the smtp, ftp and smb header protocols (and
app-layer-protocol:ftp) must each fire exactly once with the flow's
app_proto in the alert; rules 1xx put one protocol's content under another
protocol's header and must not fire. Then app-layer.protocols.smtp.enabled:
no must silence the smtp rules and leave the ftp ones."""
import os
import shutil
import struct
import sys

from e2e_check import alert_sids, check, run_capture
from pcapgen import Tcp

RULES = [
    ('smtp', 'flow:to_server,established; content:"MAIL FROM:<a@example.org>";', 1),
    ('smtp', 'content:"EHLO other.example.org";', 2),
    ('ftp', 'flow:to_server; content:"USER anonymous";', 3),
    ('ftp', 'flow:to_client; content:"331 Password required";', 4),
    ('smb', 'flow:to_server; content:"|fe|SMB"; content:"|00 00|"; distance:8; within:2;', 5),
    ('tcp', 'app-layer-protocol:ftp; content:"PASS guest";', 6),
    ('ftp', 'content:"EHLO";', 101),
    ('smtp', 'content:"USER anonymous";', 102),
    ('smb', 'content:"EHLO";', 103),
    ('ssh', 'content:"EHLO";', 104),
    ('dcerpc', 'content:"|fe|SMB";', 105),
    ('tcp', 'app-layer-protocol:smtp; content:"PASS guest";', 106),
]
PROTO = {1: "smtp", 2: "smtp", 3: "ftp", 4: "ftp", 5: "smb", 6: "ftp"}
CONFIG = """%YAML 1.1
---
app-layer:
  protocols:
    smtp:
      enabled: no
    ftp:
      enabled: detection-only
"""


def smtp(frames, port, n, helo, sender):
    t = Tcp(frames, bytes([10, 0, 0, n]), bytes([10, 0, 1, n]), 40000 + n, port)
    t.send(1, b"220 mail.example.org ESMTP ready\r\n")
    t.send(0, b"EHLO " + helo + b"\r\n")
    t.send(1, b"250 mail.example.org\r\n")
    t.send(0, b"MAIL FROM:<" + sender + b">\r\n")
    t.send(1, b"250 OK\r\n")
    t.send(0, b"QUIT\r\n")
    t.close()


def ftp(frames, n):
    t = Tcp(frames, bytes([10, 0, 0, n]), bytes([10, 0, 1, n]), 40000 + n, 21)
    t.send(1, b"220 files.example.org ready\r\n")
    t.send(0, b"USER anonymous\r\n")
    t.send(1, b"331 Password required\r\n")
    t.send(0, b"PASS guest\r\n")
    t.send(1, b"230 Logged in\r\n")
    t.send(0, b"QUIT\r\n")
    t.close()


def smb(frames, n):
    t = Tcp(frames, bytes([10, 0, 0, n]), bytes([10, 0, 1, n]), 40000 + n, 445)
    # SMB2 header: magic, header length 64, credit charge, status, command
    hdr = b"\xfeSMB" + struct.pack("<HHIHH", 64, 0, 0, 0, 1) + bytes(52)
    body = struct.pack("<HHHHI", 36, 1, 1, 0, 0) + bytes(28) + b"\x02\x02"
    msg = hdr + body
    t.send(0, struct.pack("!I", len(msg)) + msg)
    rsp = b"\xfeSMB" + struct.pack("<HHIHH", 64, 0, 0, 0, 1) + bytes(52) + bytes(65)
    t.send(1, struct.pack("!I", len(rsp)) + rsp)
    t.close()


def sessions():
    frames = []
    smtp(frames, 25, 1, b"client.example.org", b"a@example.org")
    ftp(frames, 2)
    smb(frames, 3)
    smtp(frames, 2525, 4, b"other.example.org", b"b@example.org")
    return frames


def run(idsd, out, conf=None):
    """The alert records of idsd on the sessions with RULES."""
    os.makedirs(out)
    rules = [f'alert {proto} any any -> any any (msg:"{sid}"; {opts} sid:{sid};)'
             for proto, opts, sid in RULES]
    recs = run_capture(idsd, out, "sessions", sessions(), rules, conf)
    return [r for r in recs if r.get("event_type") == "alert"]


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    alerts = run(idsd, os.path.join(out, "default"))
    sids = alert_sids(alerts)
    check(sids == [1, 2, 3, 4, 5, 6], f"alerts {sids}, want [1, 2, 3, 4, 5, 6]")
    for a in alerts:
        sid = a["alert"]["signature_id"]
        check(a.get("app_proto") == PROTO[sid], f"sid {sid} app_proto {a.get('app_proto')}")
    check(next(a for a in alerts if a["alert"]["signature_id"] == 2)["dest_port"] == 2525,
          "smtp found on port 2525 by its EHLO")
    alerts = run(idsd, os.path.join(out, "smtp-off"), CONFIG)
    sids = alert_sids(alerts)
    check(sids == [3, 4, 5, 6], f"smtp disabled: alerts {sids}, want [3, 4, 5, 6]")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
