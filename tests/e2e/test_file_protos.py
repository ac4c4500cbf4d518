#!/usr/bin/env python3
"""Files carried by FTP data connections and SMTP attachments, end to end:
usage: test_file_protos.py IDSD OUT_DIR.

A crafted capture: an FTP session that downloads report.pdf (PASV, RETR:
the file flows to the client), uploads tool.exe actively (PORT, STOR:
the server connects, the file flows back to it, Suricata's direction for
an active STOR) and uploads notes.txt passively (EPSV, STOR); then an
SMTP mail with two base64 attachments (invoice.pdf by Content-Disposition
filename, run.exe by Content-Type name) and a text part that is no file.
As Suricata 7 writes them, EVE must carry one "ftp_data" record per data
connection (the flow's direction, tx_id 0, filename and command), one
"fileinfo" per file (app_proto ftp-data or smtp, state CLOSED, the size
and the hashes of the bytes the file holds: decoded, for mail; libmagic's
magic), and the file keywords (filename, fileext, filemagic, filesize,
filemd5) must match these files, in rules naming their protocol and in
rules naming none, once per file, all of a rule's on the same file; file_data
in an ftp-data rule inspects the transfer's bytes in their direction. A file keyword in a rule of a protocol without files
fails to load, as Suricata's "doesn't support file matching"."""
import base64
import hashlib
import os
import shutil
import subprocess
import sys

from e2e_check import check, run_capture
from pcapgen import Tcp

CONF = """%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types:
        - alert
        - ftp
        - files:
            force-magic: yes
            force-hash: [md5, sha256]
"""

PDF = b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 20 + b"%%EOF\n"
EXE = b"MZ" + b"\x90\x00\x03" * 200
NOTES = b"plain notes, nothing more\n" * 3
MAIL_PDF = b"%PDF-1.5\n" + b"2 0 obj << /Type /Page >> endobj\n" * 30 + b"%%EOF\n"
MAIL_EXE = b"MZ" + bytes(range(256)) * 3

CLIENT, SERVER = bytes([192, 168, 1, 20]), bytes([203, 0, 113, 7])
MAIL_CLIENT, MAIL_SERVER = bytes([192, 168, 1, 21]), bytes([192, 168, 1, 25])

# (rule, alerts wanted)
RULES = [
    ('alert ftp-data any any -> any any (msg:"ftp name"; filename:"report.pdf"; sid:1;)', 1),
    ('alert ftp-data any any -> any any (msg:"ftp ext"; fileext:"exe"; sid:2;)', 1),
    ('alert ftp-data any any -> any any (msg:"ftp magic"; filemagic:"PDF document"; sid:3;)',
     1),
    ('alert ftp-data any any -> any any (msg:"ftp size"; filesize:78; sid:4;)', 1),
    ('alert smtp any any -> any any (msg:"mail name"; filename:"invoice.pdf"; sid:5;)', 1),
    ('alert smtp any any -> any any (msg:"mail ext"; fileext:"exe"; sid:6;)', 1),
    ('alert smtp any any -> any any (msg:"mail magic"; file.magic; content:"PDF"; sid:7;)', 1),
    ('alert smtp any any -> any any (msg:"mail size"; filesize:%d; sid:8;)' % len(MAIL_EXE), 1),
    # no protocol named: every protocol's files (the FTP and the mail exe)
    ('alert tcp any any -> any any (msg:"any md5"; filemd5:exe.md5; sid:9;)', 2),
    ('alert smtp any any -> any any (msg:"mail none"; filename:"report.pdf"; sid:10;)', 0),
    ('alert ftp-data any any -> any any (msg:"ftp none"; filename:"invoice.pdf"; sid:11;)', 0),
    ('alert http any any -> any any (msg:"http none"; fileext:"exe"; sid:12;)', 0),
    ('alert smtp any any -> any any (msg:"text part"; filename:"body"; sid:13;)', 0),
    # once per file: both attachments; the keywords of a rule hold on one file
    ('alert smtp any any -> any any (msg:"per file"; filesize:>100; sid:14;)', 2),
    ('alert smtp any any -> any any (msg:"one file"; filename:"run.exe"; filesize:%d; sid:15;)'
     % len(MAIL_PDF), 0),
    ('alert smtp any any -> any any (msg:"one file"; fileext:"pdf"; filesize:%d; sid:16;)'
     % len(MAIL_PDF), 1),
    # file_data of ftp-data rules (Suricata 7's): the transfer's bytes, in
    # the direction they flow (to the client for the passive RETR and, the
    # data connection being the server's, for the active STOR; to the server
    # for the passive STOR), across segments, anchored at the file's start
    ('alert ftp-data any any -> any any (msg:"fd pdf"; flow:to_client; file_data; '
     'content:"/Catalog"; sid:17;)', 1),
    ('alert ftp-data any any -> any any (msg:"fd pdf ts"; flow:to_server; file_data; '
     'content:"/Catalog"; sid:18;)', 0),
    ('alert ftp-data any any -> any any (msg:"fd notes"; file.data; content:"plain notes"; '
     'sid:19;)', 1),
    ('alert ftp-data any any -> any any (msg:"fd notes tc"; flow:to_client; file_data; '
     'content:"plain notes"; sid:20;)', 0),
    ('alert ftp-data any any -> any any (msg:"fd mz"; file_data; content:"MZ"; depth:2; '
     'sid:21;)', 1),
    ('alert ftp-data any any -> any any (msg:"fd span"; file_data; content:"%s"; offset:92; '
     'depth:16; sid:22;)' % PDF[92:108].decode(), 1),
    ('alert ftp-data any any -> any any (msg:"fd end"; file_data; content:"%%EOF|0a|"; '
     'isdataat:!1,relative; sid:23;)', 1),
    ('alert ftp-data any any -> any any (msg:"fd none"; file_data; content:"invoice"; '
     'sid:24;)', 0),
    # no app-layer keyword: the client's empty packets of report.pdf's
    # transfer; once its protocol is known their alerts, with no
    # transaction, carry ftp_data (Suricata 7's EveFTPDataAddMetadata reads
    # the flow)
    ('alert tcp any 40011 -> any 10000 (msg:"pdf acks"; dsize:0; sid:25;)', 6),
]


def ftp(frames):
    c = Tcp(frames, CLIENT, SERVER, 40010, 21)
    for d, line in ((1, b"220 ready\r\n"), (0, b"USER anonymous\r\n"), (1, b"331 pass\r\n"),
                    (0, b"PASS x@\r\n"), (1, b"230 in\r\n"),
                    (0, b"PASV\r\n"), (1, b"227 Entering Passive Mode (203,0,113,7,39,16)\r\n"),
                    (0, b"RETR report.pdf\r\n"), (1, b"150 opening\r\n")):
        c.send(d, line)
    d = Tcp(frames, CLIENT, SERVER, 40011, 39 * 256 + 16)
    d.send(1, PDF[:100])
    d.send(1, PDF[100:])
    d.close()
    c.send(1, b"226 done\r\n")
    c.send(0, b"PORT 192,168,1,20,156,64\r\n")
    c.send(1, b"200 PORT ok\r\n")
    c.send(0, b"STOR tool.exe\r\n")
    c.send(1, b"150 opening\r\n")
    d = Tcp(frames, SERVER, CLIENT, 20, 156 * 256 + 64)
    d.send(1, EXE)
    d.close()
    c.send(1, b"226 done\r\n")
    c.send(0, b"EPSV\r\n")
    c.send(1, b"229 Entering Extended Passive Mode (|||40020|)\r\n")
    c.send(0, b"STOR notes.txt\r\n")
    c.send(1, b"150 opening\r\n")
    d = Tcp(frames, CLIENT, SERVER, 40012, 40020)
    d.send(0, NOTES)
    d.close()
    c.send(1, b"226 done\r\n")
    c.send(0, b"QUIT\r\n")
    c.send(1, b"221 bye\r\n")
    c.close()


def b64_lines(data):
    text = base64.b64encode(data)
    return b"".join(text[i:i + 76] + b"\r\n" for i in range(0, len(text), 76))


def smtp(frames):
    c = Tcp(frames, MAIL_CLIENT, MAIL_SERVER, 40030, 25)
    c.send(1, b"220 mail.example ESMTP\r\n")
    c.send(0, b"EHLO client.example\r\n")
    c.send(1, b"250 mail.example\r\n")
    c.send(0, b"MAIL FROM:<a@example.org>\r\n")
    c.send(1, b"250 ok\r\n")
    c.send(0, b"RCPT TO:<b@example.org>\r\n")
    c.send(1, b"250 ok\r\n")
    c.send(0, b"DATA\r\n")
    c.send(1, b"354 go ahead\r\n")
    body = (b"From: a@example.org\r\nTo: b@example.org\r\nSubject: files\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BND\"\r\n\r\n"
            b"--BND\r\nContent-Type: text/plain\r\n\r\nsee the attachments\r\n"
            b"--BND\r\nContent-Type: application/pdf\r\n"
            b"Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + b64_lines(MAIL_PDF) +
            b"--BND\r\nContent-Type: application/octet-stream; name=\"run.exe\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + b64_lines(MAIL_EXE) +
            b"--BND--\r\n.\r\n")
    for i in range(0, len(body), 600):
        c.send(0, body[i:i + 600])
    c.send(1, b"250 queued\r\n")
    c.send(0, b"QUIT\r\n")
    c.send(1, b"221 bye\r\n")
    c.close()


def fileinfo(recs, name):
    got = [r for r in recs if r.get("event_type") == "fileinfo"
           and r["fileinfo"]["filename"] == name]
    check(len(got) == 1, f"one fileinfo record for {name} ({len(got)})")
    return got[0]


def check_file(recs, name, data, proto, src):
    r = fileinfo(recs, name)
    fi = r["fileinfo"]
    check(r.get("app_proto") == proto, f"{name}: app_proto {r.get('app_proto')}, want {proto}")
    check(r["src_ip"] == src, f"{name}: sent by {r['src_ip']}, want {src}")
    check(fi["state"] == "CLOSED" and fi["gaps"] is False, f"{name}: CLOSED, no gaps")
    check(fi["size"] == len(data), f"{name}: size {fi['size']}, want {len(data)}")
    check(fi.get("md5") == hashlib.md5(data).hexdigest(), f"{name}: md5 of its bytes")
    check(fi.get("sha256") == hashlib.sha256(data).hexdigest(), f"{name}: sha256 of its bytes")
    check("sha1" not in fi, f"{name}: no sha1 (not asked for)")
    return fi


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    with open(os.path.join(out, "exe.md5"), "w", encoding="utf-8") as f:
        f.write(hashlib.md5(EXE).hexdigest() + "\n" + hashlib.md5(MAIL_EXE).hexdigest() + "\n")
    frames = []
    ftp(frames)
    smtp(frames)
    recs = run_capture(idsd, out, "files", frames, [r for r, _ in RULES], conf=CONF)

    fd = [r for r in recs if r.get("event_type") == "ftp_data"]
    want = {("report.pdf", "RETR", "40011"), ("tool.exe", "STOR", "20"),
            ("notes.txt", "STOR", "40012")}
    got = {(r["ftp_data"].get("filename"), r["ftp_data"].get("command"), str(r["src_port"]))
           for r in fd}
    check(len(fd) == 3 and got == want, f"ftp_data records {sorted(got)}")
    check(all(r.get("tx_id") == 0 for r in fd), "ftp_data records carry tx_id 0")

    pdf = check_file(recs, "report.pdf", PDF, "ftp-data", "203.0.113.7")
    check("PDF document" in pdf.get("magic", ""), f"report.pdf magic: {pdf.get('magic')}")
    check_file(recs, "tool.exe", EXE, "ftp-data", "192.168.1.20")
    check_file(recs, "notes.txt", NOTES, "ftp-data", "192.168.1.20")
    mail = check_file(recs, "invoice.pdf", MAIL_PDF, "smtp", "192.168.1.21")
    check("PDF document" in mail.get("magic", ""), f"invoice.pdf magic: {mail.get('magic')}")
    check_file(recs, "run.exe", MAIL_EXE, "smtp", "192.168.1.21")
    check(sum(1 for r in recs if r.get("event_type") == "fileinfo") == 5,
          "five fileinfo records: the text part is no file")

    alerts = [r for r in recs if r.get("event_type") == "alert"]
    for sid, (rule, n) in enumerate(RULES, 1):
        got_n = sum(1 for a in alerts if a["alert"]["signature_id"] == sid)
        check(got_n == n, f"sid {sid}: {got_n} alerts, want {n}")
    a1 = [a for a in alerts if a["alert"]["signature_id"] == 1][0]
    check(a1.get("app_proto") == "ftp-data" and
          a1.get("ftp_data", {}).get("filename") == "report.pdf",
          "an ftp-data alert carries the ftp_data object")
    a25 = [a for a in alerts if a["alert"]["signature_id"] == 25 and "app_proto" in a]
    check(len(a25) > 0 and
          all(a["app_proto"] == "ftp-data" and "tx_id" not in a and
              a.get("ftp_data", {}).get("filename") == "report.pdf" for a in a25),
          f"packet alerts on ftp-data carry the ftp_data object: {a25}")

    bad = os.path.join(out, "bad.rules")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('alert dns any any -> any any (msg:"x"; filename:"a"; sid:1;)\n')
    p = subprocess.run([idsd, "-T", "-S", bad], capture_output=True, text=True, timeout=120)
    check(p.returncode == 1 and "protocol dns doesn't support file matching" in
          p.stdout + p.stderr, "a file keyword in a dns rule fails to load")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
