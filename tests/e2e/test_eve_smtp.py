#!/usr/bin/env python3
"""EVE "smtp" records and the "smtp"/"email" objects of SMTP fileinfo and
alert records, as Suricata 7 writes them (EveSmtpDataLogger,
EveEmailLogJsonData): usage: test_eve_smtp.py IDSD OUT_DIR.

A session with two mails: the first (EHLO, MAIL FROM with a SIZE
parameter, two RCPT TO, a multipart/mixed with a text part and two
attachments, one inside a nested multipart, which Suricata does not list
among the message's attachments) and a second without DATA (QUIT only).
Each record's objects are checked whole, keys in Suricata's order; the
fileinfo records of the two files carry the same smtp and email objects
(status BODY_STARTED: each is logged as it ends, inside the mail);
an alert on the mail carries them too."""
import base64
import json
import os
import shutil
import sys

from e2e_check import Checks, eve_conf, run_capture
from pcapgen import Tcp

CLI, SRV = bytes([192, 168, 1, 20]), bytes([192, 168, 1, 5])

MAIL = (b"From:  Eve <eve@example.net>\r\n"
        b"To: bob@example.org,  carol@example.org,,\r\n"
        b"Cc: dave@example.org\r\n"
        b"Subject: hi\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=\"XyZ\"\r\n\r\n"
        b"--XyZ\r\nContent-Type: text/plain\r\n\r\nbody text\r\n"
        b"--XyZ\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\n"
        b"Content-Transfer-Encoding: base64\r\n"
        b"Content-Disposition: attachment; filename=\"a.bin\"\r\n\r\n" +
        base64.encodebytes(b"first attachment").replace(b"\n", b"\r\n") +
        b"--XyZ\r\nContent-Type: multipart/alternative; boundary=\"In\"\r\n\r\n"
        b"--In\r\nContent-Type: text/plain; name=\"inner.txt\"\r\n\r\ninner attachment\r\n"
        b"--In--\r\n--XyZ--\r\n.\r\n")

SMTP = {"helo": "client.example.net", "mail_from": "<eve@example.net>",
        "rcpt_to": ["<bob@example.org>", "<carol@example.org>"]}
EMAIL = {"status": "PARSE_DONE", "from": "Eve <eve@example.net>",
         "to": ["bob@example.org", "carol@example.org"], "cc": ["dave@example.org"],
         "attachment": ["a.bin"]}


def session(frames):
    c = Tcp(frames, CLI, SRV, 40001, 25)
    c.send(1, b"220 mail.example.org ESMTP\r\n")
    c.send(0, b"EHLO   client.example.net\r\n")
    c.send(1, b"250 mail.example.org\r\n")
    c.send(0, b"MAIL FROM:<eve@example.net> SIZE=1000\r\n")
    c.send(1, b"250 ok\r\n")
    c.send(0, b"RCPT TO:<bob@example.org>\r\n")
    c.send(1, b"250 ok\r\n")
    c.send(0, b"rcpt to: <carol@example.org>\r\n")
    c.send(1, b"250 ok\r\n")
    c.send(0, b"DATA\r\n")
    c.send(1, b"354 go ahead\r\n")
    c.send(0, MAIL)
    c.send(1, b"250 queued\r\n")
    c.send(0, b"QUIT\r\n")
    c.send(1, b"221 bye\r\n")
    c.close()


def main():
    idsd, out = sys.argv[1:3]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    check = Checks()
    frames = []
    session(frames)
    rules = ['alert smtp any any -> any any (msg:"attachment"; file_data; '
             'content:"first attachment"; sid:1;)']
    recs = run_capture(idsd, out, "smtp", frames, rules,
                       eve_conf("- alert\n- smtp\n- files:\n    force-magic: no\n"))
    smtp = [r for r in recs if r.get("event_type") == "smtp"]
    check(len(smtp) == 2, f"{len(smtp)} smtp records, want 2")
    if len(smtp) == 2:
        check(smtp[0]["smtp"] == SMTP and list(smtp[0]["smtp"]) == list(SMTP),
              f"mail 0 smtp object {json.dumps(smtp[0]['smtp'])}")
        check(smtp[0].get("email") == EMAIL and list(smtp[0]["email"]) == list(EMAIL),
              f"mail 0 email object {json.dumps(smtp[0].get('email'))}")
        check(smtp[0]["tx_id"] == 0 and smtp[1]["tx_id"] == 1, "tx_id 0 and 1")
        check(smtp[1]["smtp"] == {"helo": "client.example.net"} and "email" not in smtp[1],
              f"mail 1 (QUIT only): helo, no email {json.dumps(smtp[1])}")
        check(list(smtp[0])[-3:] == ["tx_id", "smtp", "email"] and "app_proto" not in smtp[0],
              f"record keys {list(smtp[0])}")
    files = [r for r in recs if r.get("event_type") == "fileinfo"]
    check(len(files) == 2, f"{len(files)} fileinfo records, want 2 (a.bin, inner.txt)")
    # a file is logged when it ends, inside the mail: the reader is in its body
    body = dict(EMAIL, status="BODY_STARTED")
    for f in files:
        check(f.get("smtp") == SMTP and f.get("email") == body,
              f"fileinfo {f['fileinfo'].get('filename')}: smtp and email objects")
        keys = list(f)
        check(keys.index("smtp") < keys.index("email") < keys.index("app_proto") <
              keys.index("fileinfo"), f"fileinfo keys in Suricata's order {keys}")
    alerts = [r for r in recs if r.get("event_type") == "alert"]
    check(len(alerts) == 1 and alerts[0].get("smtp") == SMTP and
          alerts[0].get("email", {}).get("from") == EMAIL["from"],
          f"the alert carries smtp and email: {[list(a) for a in alerts]}")
    return check.done("eve_smtp")


if __name__ == "__main__":
    sys.exit(main())
