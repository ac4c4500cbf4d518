#!/usr/bin/env python3
"""SMTP mails end to end: usage: test_smtp.py IDSD OUT_DIR.

Writes SMTP sessions: a mail with a text body, a base64 attachment and a
quoted-printable attachment in a multipart/mixed; a DATA the server refuses;
a server that does not greet with 220; an attachment with bytes outside
base64; multi-line replies and a reply no command asked for. file_data
on smtp rules must see each attachment decoded (and
never the text body), ET Open's Ghostscript rule (sid 2026084, verbatim)
must fire on the attachment it was written for, the smtp.* events must
fire where they happen (unable_to_match_reply_with_request on the
unasked reply only), and raw stream content must still match."""
import base64
import os
import shutil
import sys

from e2e_check import check, run_capture
from pcapgen import Tcp

ET_GHOSTSCRIPT = (
    'alert smtp $EXTERNAL_NET any -> $SMTP_SERVERS any (msg:"ET EXPLOIT Ghostscript '
    'invalidcheck escape attempt (SMTP)"; flow:to_server,established; file_data; '
    'content:"legal"; content:"restore"; distance:0; content:"currentdevice"; '
    'content:"putdeviceprops"; pcre:"/legal[^x7B]*\\x7B[^\\x7D]*restore/smi"; '
    'reference:url,seclists.org/oss-sec/2018/q3/142; classtype:attempted-user; '
    'sid:2026084; rev:2;)')
RULES = [
    'file_data; content:"attachment-two|0d 0a|second line"; sid:2;',
    'file_data; content:"inline body text"; sid:3;',
    'file_data; content:"%!PS"; startswith; sid:4;',
    'app-layer-event:smtp.data_command_rejected; sid:5;',
    'app-layer-event:smtp.no_server_welcome_message; sid:6;',
    'app-layer-event:smtp.mime_invalid_base64; sid:7;',
    'flow:to_server; content:"MAIL FROM:<eve@example.net>"; sid:8;',
    'file_data; content:"Content-Type"; sid:9;',
    'app-layer-event:smtp.unable_to_match_reply_with_request; sid:10;',
]
# sid -> alerts expected
WANT = {2026084: 1, 2: 1, 3: 0, 4: 1, 5: 1, 6: 1, 7: 1, 8: 5, 9: 0, 10: 1}

PS = b"%!PS\n/x legal { null restore } stopped { currentdevice putdeviceprops } if\n"


def mail(attach_b64):
    b64 = base64.encodebytes(attach_b64).replace(b"\n", b"\r\n")
    return (b"From: eve@example.net\r\nTo: bob@example.org\r\nSubject: hi\r\n"
            b"MIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=\"XyZ\"\r\n\r\n"
            b"preamble\r\n--XyZ\r\nContent-Type: text/plain\r\n\r\ninline body text\r\n"
            b"--XyZ\r\nContent-Type: application/postscript; name=\"a.ps\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n"
            b"Content-Disposition: attachment; filename=\"a.ps\"\r\n\r\n" + b64 +
            b"--XyZ\r\nContent-Type: text/plain\r\n"
            b"Content-Disposition: attachment; filename=\"b.txt\"\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            b"attachment=2Dtwo\r\nsecond =\r\nline\r\n--XyZ--\r\n..\r\n.\r\n")


def session(frames, n, greeting, data_reply, body, ehlo_reply=b"250 mail.example.org\r\n",
            unasked=b""):
    t = Tcp(frames, bytes([198, 51, 100, n]), bytes([192, 168, 1, n]), 40000 + n, 25)
    t.send(1, greeting)
    t.send(0, b"EHLO client.example.net\r\n")
    t.send(1, ehlo_reply)
    t.send(0, b"MAIL FROM:<eve@example.net>\r\n")
    t.send(1, b"250 OK\r\n")
    t.send(0, b"RCPT TO:<bob@example.org>\r\n")
    t.send(1, b"250 OK\r\n" + unasked)
    t.send(0, b"DATA\r\n")
    t.send(1, data_reply)
    if body is not None:
        for i in range(0, len(body), 700):
            t.send(0, body[i:i + 700])
        t.send(1, b"250 queued\r\n")
    t.send(0, b"QUIT\r\n")
    t.send(1, b"221 bye\r\n")
    t.close()


def build(frames):
    session(frames, 1, b"220 mail.example.org ESMTP\r\n", b"354 go ahead\r\n", mail(PS))
    session(frames, 2, b"220 mail.example.org ESMTP\r\n", b"554 no\r\n", None)
    session(frames, 3, b"554 go away\r\n", b"354 go ahead\r\n", b"hello\r\n.\r\n")
    bad = (b"Content-Type: application/octet-stream; name=x\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\nQUJD!REVG\r\n.\r\n")
    session(frames, 4, b"220 mail.example.org ESMTP\r\n", b"354 go ahead\r\n", bad)
    # multi-line greeting and EHLO reply (each one reply), then a reply to
    # no command: smtp.unable_to_match_reply_with_request, once
    session(frames, 5, b"220-mail.example.org\r\n220 ESMTP\r\n", b"354 go ahead\r\n",
            b"hello\r\n.\r\n", b"250-mail.example.org\r\n250 PIPELINING\r\n",
            b"250 nobody asked\r\n")


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    build(frames)
    rules = [ET_GHOSTSCRIPT] + [f'alert smtp any any -> any any (msg:"t"; {opts})'
                                for opts in RULES]
    alerts = run_capture(idsd, out, "smtp", frames, rules)
    alerts = [a for a in alerts if a.get("event_type") == "alert"]
    for sid, want in WANT.items():
        got = [a for a in alerts if a["alert"]["signature_id"] == sid]
        check(len(got) == want, f"sid {sid}: {len(got)} alerts, want {want}")
        for a in got:
            check(a.get("app_proto") == "smtp", f"sid {sid} on an smtp flow")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
