#!/usr/bin/env python3
"""File keywords end to end: usage: test_file_kw.py IDSD OUT_DIR.

Two HTTP sessions it crafts: a GET whose response is a PDF named by
Content-Disposition ("Setup.EXE"), and a multipart POST uploading
notes.txt (12 bytes of text) and photo.JPG (50 bytes). EVE logs alerts
only (no files output): idsd must still track the files for the rules.
Each of filename, fileext, filemagic, file.name, file.magic, filesize,
filemd5/filesha1/filesha256 (lists beside the rule file, some negated)
and filestore has a rule that must alert on the file it names, once per
file (the upload's two parts: twice), and one that must not. A second run checks that a missing
hash list fails its rule at load with the rule file and line."""
import hashlib
import os
import shutil
import subprocess
import sys

from e2e_check import check, eve_conf, run_capture
from pcapgen import Tcp

CONF = eve_conf("""
- alert
""")

PDF = b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 8 + b"%%EOF\n"
NOTES = b"hello world\n"
PHOTO = b"0123456789" * 5
BOUNDARY = b"xYzZY"

# (rule options, alerts wanted): sids are 1-based positions
RULES = [
    ('filename:"setup.exe";', 1),                 # nocase, the response's file
    ('filename:"nothere.bin";', 0),
    ('filename:!"setup";', 2),                    # the upload's parts, each
    ('fileext:"jpg";', 1),                        # photo.JPG, nocase
    ('fileext:"exe";', 1),
    ('fileext:"txt.gz";', 0),
    ('filemagic:"PDF document";', 1),
    ('filemagic:"JPEG image";', 0),
    ('file.name; content:"notes"; startswith;', 1),
    ('file.magic; content:"ASCII text";', 2),     # notes.txt, photo.JPG (digits)
    ('filesize:>200;', 1),                        # the PDF
    ('filesize:<20;', 1),                         # notes.txt
    ('filesize:1000-2000;', 0),
    ('filesize:50;', 1),                          # photo.JPG
    ('filemd5:pdf.md5;', 1),
    ('filemd5:!pdf.md5;', 2),                     # the upload's parts
    ('filesha1:notes.sha1;', 1),
    ('filesha256:other.sha256;', 0),
    ('filesha256:!other.sha256;', 3),             # every file of both transactions
    ('flow:to_server; filestore;', 2),            # the upload's two files
    ('flow:to_client; filemd5:notes.md5;', 0),    # notes.txt went to the server
]


def build(frames):
    t = Tcp(frames, bytes([10, 0, 0, 1]), bytes([10, 0, 1, 1]), 40001, 80)
    t.send(0, b"GET /dl?id=7 HTTP/1.1\r\nHost: example.com\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
              b"Content-Disposition: attachment; filename=\"Setup.EXE\"\r\n"
              b"Content-Length: %d\r\n\r\n" % len(PDF) + PDF)
    t.close()
    body = (b"--" + BOUNDARY + b"\r\n"
            b"Content-Disposition: form-data; name=\"a\"; filename=\"notes.txt\"\r\n"
            b"Content-Type: text/plain\r\n\r\n" + NOTES + b"\r\n"
            b"--" + BOUNDARY + b"\r\n"
            b"Content-Disposition: form-data; name=\"b\"; filename=\"photo.JPG\"\r\n"
            b"Content-Type: image/jpeg\r\n\r\n" + PHOTO + b"\r\n"
            b"--" + BOUNDARY + b"--\r\n")
    t = Tcp(frames, bytes([10, 0, 0, 2]), bytes([10, 0, 1, 1]), 40002, 80)
    t.send(0, b"POST /upload HTTP/1.1\r\nHost: example.com\r\n"
              b"Content-Type: multipart/form-data; boundary=" + BOUNDARY + b"\r\n"
              b"Content-Length: %d\r\n\r\n" % len(body) + body)
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    t.close()


def write_lists(out):
    lists = {
        "pdf.md5": hashlib.md5(PDF).hexdigest() + "  Setup.EXE\n",
        "notes.md5": hashlib.md5(NOTES).hexdigest() + "\n",
        "notes.sha1": "# the upload's text\n" + hashlib.sha1(NOTES).hexdigest().upper() + "\n",
        "other.sha256": hashlib.sha256(b"something else").hexdigest() + "\n",
    }
    for name, text in lists.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    write_lists(out)
    frames = []
    build(frames)
    rules = [f'alert http any any -> any any (msg:"{i}"; {opts} sid:{i};)'
             for i, (opts, _) in enumerate(RULES, 1)]
    recs = run_capture(idsd, out, "files", frames, rules, conf=CONF)
    check(not any(r.get("event_type") == "fileinfo" for r in recs),
          "no fileinfo record: the files output is off")
    alerts = [r for r in recs if r.get("event_type") == "alert"]
    for sid, (opts, want) in enumerate(RULES, 1):
        n = sum(1 for a in alerts if a["alert"]["signature_id"] == sid)
        check(n == want, f"sid {sid} ({opts}): {n} alerts, want {want}")

    bad = os.path.join(out, "bad.rules")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('alert http any any -> any any (msg:"x"; filesize:1; sid:1;)\n'
                '\n'
                'alert http any any -> any any (msg:"y"; filesha1:gone.sha1; sid:2;)\n')
    p = subprocess.run([idsd, "-T", "-S", bad], capture_output=True, text=True, timeout=120)
    check(p.returncode == 1, f"-T with a missing hash list exits 1 (rc {p.returncode})")
    check(f"{bad}:3: cannot read hash list '{out}/gone.sha1'" in p.stderr + p.stdout,
          "the missing list is named with the rule's file and line")
    check("rules: 1 loaded, 1 failed" in p.stdout, "one rule loaded, one failed")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
