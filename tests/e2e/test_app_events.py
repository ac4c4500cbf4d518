#!/usr/bin/env python3
"""App-layer events of TLS, HTTP and SMTP end to end: usage:
test_app_events.py IDSD SRC_ROOT OUT_DIR.

Writes a capture of one session per event, each crafted to break the one
rule that event names, plus clean sessions that must raise nothing, and runs
idsd on it with Suricata 7.0.0's own event rules (tests/data/suricata-events,
unchanged) and EVE anomaly records on. For each session the alerts must be
exactly the event rules of the events it is built to raise (the event named
by the case, and the companions Suricata raises with it), and each of those
events must be in an applayer anomaly record of that session, named as
Suricata's parser names it (upper case for the C parsers). Then two real
captures (tests/data/tls, from zeek's traces): an encrypted Heartbleed
whose answer leaks (dataleak_heartbeat_mismatch), one left unanswered
(only heartbeat_message).

The crafted capture goes through twice: with EVE fileinfo records on and
off. Suricata raises its file events (the HTTP multipart_*, range_invalid,
file_name_too_long) whatever the outputs, so every case must raise the
same events both times; and multipart_no_filedata, a file part the closing
delimiter follows at once, is no file for Suricata (it gives up before it
opens one): no fileinfo record of it."""
import json
import os
import re
import shutil
import struct
import subprocess
import sys

from e2e_check import check
from pcapgen import Tcp, write_pcap

CONF = """%YAML 1.1
---
app-layer:
  protocols:
    http:
      libhtp:
        default-config:
          double-decode-path: yes
          double-decode-query: yes
outputs:
  - eve-log:
      filename: eve.json
      types:
        - alert
        - tls
        - files
        - anomaly:
            types: {decode: no, stream: no, applayer: yes}
"""

C = lambda n: bytes([10, 2, n >> 8, n & 0xff])  # noqa: E731
S = lambda n: bytes([10, 3, n >> 8, n & 0xff])  # noqa: E731


# DER (X.690) of a certificate (RFC 5280 4.1) whose parts a case replaces
def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        ln = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + ln + body


def seq(*parts):
    return tlv(0x30, b"".join(parts))


def name(cn, tag=0x0c):
    """A Name of one RDN: CN (2.5.4.3) as a string of type tag."""
    return seq(tlv(0x31, seq(tlv(0x06, b"\x55\x04\x03"), tlv(tag, cn))))


SHA256_RSA = seq(tlv(0x06, bytes.fromhex("2a864886f70d01010b")), b"\x05\x00")
EC_P256 = seq(tlv(0x06, bytes.fromhex("2a8648ce3d0201")), tlv(0x06, bytes.fromhex("2a8648ce3d030107")))
PARTS = dict(
    version=tlv(0xa0, tlv(0x02, b"\x02")),
    serial=tlv(0x02, b"\x10\x01"),
    alg=SHA256_RSA,
    issuer=name(b"ca.test"),
    validity=seq(tlv(0x17, b"240101000000Z"), tlv(0x18, b"20340101000000Z")),
    subject=name(b"srv.test"),
    spki=seq(EC_P256, tlv(0x03, b"\x00\x04" + bytes(range(64)))),
    ext=tlv(0xa3, seq(seq(tlv(0x06, b"\x55\x1d\x13"), tlv(0x01, b"\xff"), tlv(0x04, seq())))),
    sigalg=SHA256_RSA,
    sig=tlv(0x03, b"\x00" + bytes(range(64))),
)


def cert(outer=0x30, **kw):
    p = dict(PARTS, **kw)
    tbs = seq(*(p[k] for k in ("version", "serial", "alg", "issuer", "validity", "subject",
                              "spki", "ext")))
    return tlv(outer, tbs + p["sigalg"] + p["sig"])


def record(rtype, body, version=b"\x03\x03"):
    return bytes([rtype]) + version + struct.pack("!H", len(body)) + body


def hs(htype, body):
    return record(22, bytes([htype]) + len(body).to_bytes(3, "big") + body)


CLIENT_HELLO = hs(1, b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x02\xc0\x2f" + b"\x01\x00")
SERVER_HELLO = hs(2, b"\x03\x03" + bytes(32) + b"\x00" + b"\xc0\x2f\x00")
CCS = record(20, b"\x01")


def chain(*certs, entry_len=None):
    entries = b"".join((len(c) if entry_len is None else entry_len).to_bytes(3, "big") + c
                       for c in certs)
    return hs(11, len(entries).to_bytes(3, "big") + entries)


def tls_cert(der=None, raw=None):
    """The server sends its hello and a chain of the certificate der (or
    the Certificate message raw)."""
    def run(t):
        t.send(0, CLIENT_HELLO)
        t.send(1, SERVER_HELLO + (raw if raw is not None else chain(der)))
    return run


def tls_then(*sends):
    """A ClientHello, then these (direction, bytes) segments."""
    def run(t):
        t.send(0, CLIENT_HELLO)
        for d, b in sends:
            t.send(d, b)
    return run


# (event the case is built for, the session, every event it raises)
TLS_CASES = [
    ("tls.certificate_invalid_version",
     tls_cert(cert(version=tlv(0xa0, tlv(0x04, b"\x02")))), None),
    ("tls.certificate_invalid_serial", tls_cert(cert(serial=tlv(0x04, b"\x10\x01"))), None),
    ("tls.certificate_invalid_algorithmidentifier",
     tls_cert(cert(alg=seq(tlv(0x02, b"\x01")))), None),
    ("tls.certificate_invalid_x509name",
     tls_cert(cert(issuer=tlv(0x31, b""))), None),
    ("tls.certificate_invalid_date",
     tls_cert(cert(validity=seq(tlv(0x17, b"241301000000Z"), tlv(0x17, b"340101000000Z")))),
     None),
    ("tls.certificate_invalid_extensions",
     tls_cert(cert(ext=tlv(0xa4, seq()))), None),
    ("tls.certificate_invalid_der", tls_cert(cert(outer=0x31)), None),
    ("tls.certificate_invalid_der (indefinite length)",
     tls_cert(b"\x30\x80" + cert()[4:] + b"\x00\x00"), ["tls.certificate_invalid_der"]),
    ("tls.certificate_invalid_length (a validity past its sequence)",
     tls_cert(cert(validity=b"\x30\x82\x7f\xff" + seq(tlv(0x17, b"240101000000Z"))[2:])),
     ["tls.certificate_invalid_length"]),
    ("tls.certificate_invalid_length", tls_cert(cert()[:-20]), None),
    ("tls.invalid_certificate", tls_cert(cert(sig=tlv(0x04, b"\x00"))), None),
    ("tls.invalid_certificate (chain entry past the message)",
     tls_cert(raw=chain(cert(), entry_len=len(cert()) + 1)), None),
    ("tls.certificate_invalid_subject", tls_cert(cert(subject=name(b"srv\x00.test"))), None),
    ("tls.certificate_invalid_issuer",
     tls_cert(cert(issuer=name(b"\x00\x63\x00\x00\x00\x61", tag=0x1e))), None),
    # an SSLv2 record (top bit set) of length 0, then a byte
    ("tls.invalid_sslv2_header", tls_then((0, b"\x80\x00\x01\x00")),
     ["tls.invalid_sslv2_header", "tls.invalid_ssl_record"]),
    # an SSLv2 ERROR message (type 0) of 3 bytes
    ("tls.error_message_encountered", tls_then((1, b"\x80\x03\x00\x00\x01")), None),
    # 7 empty records in one segment of 35 bytes: more than 35 / 6
    ("tls.too_many_records_in_packet", tls_then((0, record(22, b"") * 7)), None),
    # encrypted heartbeats (after a ChangeCipherSpec): an answer of 1000
    # bytes to a request of 40
    ("tls.dataleak_heartbeat_mismatch",
     tls_then((0, CCS), (0, record(24, bytes(40))), (1, record(24, bytes(1000)))),
     ["tls.dataleak_heartbeat_mismatch", "tls.heartbeat_message"]),
    # a heartbeat answered with no more than was asked, a full handshake
    ("clean: encrypted heartbeat answered in kind",
     tls_then((0, CCS), (0, record(24, bytes(40))), (1, CCS), (1, record(24, bytes(40)))),
     ["tls.heartbeat_message"]),
    ("clean: a well-formed certificate", tls_cert(cert()), []),
    ("clean: 5 empty records in 25 bytes", tls_then((0, record(22, b"") * 5)), []),
    # encrypted records of 6 bytes, each passed over: one a 6 bytes is no more than allowed
    ("clean: 12 encrypted records of 6 bytes in one segment",
     tls_then((0, CCS + record(23, b"\x00") * 11)), []),
]



def smtp(*sends):
    """A greeting, EHLO answered, then these (direction, bytes) segments."""
    def run(t):
        t.send(1, b"220 mx.test ESMTP\r\n")
        t.send(0, b"EHLO c.test\r\n")
        t.send(1, b"250-mx.test\r\n250 CHUNKING\r\n")
        for d, b in sends:
            t.send(d, b)
    return run


MAIL = [(0, b"MAIL FROM:<a@c.test>\r\n"), (1, b"250 ok\r\n"),
        (0, b"RCPT TO:<b@mx.test>\r\n"), (1, b"250 ok\r\n")]
LONG_NAME = b"x" * 300 + b".txt"
# a STARTTLS accepted and no TLS before the end (protocol detection's events)
NO_TLS_AT_END = ["applayer_no_tls_after_starttls", "applayer_unexpected_protocol"]
SMTP_CASES = [
    # a command pipelined after STARTTLS, before its answer (no TLS follows
    # the 220: the flow's end gives the change up, with its events)
    ("smtp.invalid_pipelined_sequence", smtp((0, b"STARTTLS\r\nNOOP\r\n"),
                                             (1, b"220 go ahead\r\n")),
     ["smtp.invalid_pipelined_sequence"] + NO_TLS_AT_END),
    # STARTTLS twice, both accepted: the second upgrade cannot be made
    ("smtp.failed_protocol_change", smtp((0, b"STARTTLS\r\nSTARTTLS\r\n"),
                                         (1, b"220 go ahead\r\n220 go ahead\r\n")),
     ["smtp.failed_protocol_change", "smtp.invalid_pipelined_sequence"] + NO_TLS_AT_END),
    # a chunk of 18 bytes announced as 10
    ("smtp.bdat_chunk_len_exceeded",
     smtp(*MAIL, (0, b"BDAT 10 LAST\r\n"), (0, b"0123456789abcdef\r\n")), None),
    ("smtp.duplicate_fields (EHLO again)", smtp((0, b"HELO c.test\r\n"), (1, b"250 ok\r\n")),
     ["smtp.duplicate_fields"]),
    ("smtp.duplicate_fields (MAIL FROM again)",
     smtp(*MAIL, (0, b"MAIL FROM:<z@c.test>\r\n"), (1, b"250 ok\r\n")),
     ["smtp.duplicate_fields"]),
    # DATA refused, then DATA again for the same mail
    ("smtp.unparsable_content",
     smtp(*MAIL, (0, b"DATA\r\n"), (1, b"451 later\r\n"), (0, b"DATA\r\n"),
          (1, b"354 go\r\n"), (0, b"Subject: x\r\n\r\nbody\r\n.\r\n"), (1, b"250 ok\r\n")),
     ["smtp.unparsable_content", "smtp.data_command_rejected"]),
    ("smtp.mime_long_filename",
     smtp(*MAIL, (0, b"DATA\r\n"), (1, b"354 go\r\n"),
          (0, b"Content-Type: text/plain\r\nContent-Disposition: attachment; filename=\"" +
           LONG_NAME + b"\"\r\n\r\nbody\r\n.\r\n"), (1, b"250 ok\r\n")), None),
    ("clean: a mail in one BDAT chunk of the size announced",
     smtp(*MAIL, (0, b"BDAT 12 LAST\r\n0123456789\r\n"), (1, b"250 ok\r\n"),
          (0, b"QUIT\r\n"), (1, b"221 bye\r\n")), []),
    ("clean: a mail with a 255-byte file name",
     smtp(*MAIL, (0, b"DATA\r\n"), (1, b"354 go\r\n"),
          (0, b"Content-Disposition: attachment; filename=" + b"y" * 255 +
           b"\r\n\r\nbody\r\n.\r\n"), (1, b"250 ok\r\n")), []),
]



def http(req, resp=b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"):
    def run(t):
        t.send(0, req)
        t.send(1, resp)
    return run


def post(body):
    """A multipart/form-data POST (boundary XyZ) of this body."""
    return (b"POST /up HTTP/1.1\r\nHost: h.test\r\n"
            b"Content-Type: multipart/form-data; boundary=XyZ\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def ranged(content_range):
    return (b"HTTP/1.1 206 Partial Content\r\nContent-Range: " + content_range +
            b"\r\nContent-Length: 4\r\n\r\nabcd")


GET = b"GET /f.bin HTTP/1.1\r\nHost: h.test\r\n\r\n"
FILE_PART = b'--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n'
HTTP_CASES = [
    ("http.multipart_invalid_header",
     http(post(b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\nX-Junk\r\n\r\n'
               b"v\r\n--XyZ--\r\n")), None),
    ("http.multipart_no_filedata", http(post(FILE_PART + b"\r\n--XyZ--\r\n")), None),
    # the closing delimiter inside the file part's header block
    ("http.multipart_generic_error",
     http(post(b'--XyZ\r\nContent-Disposition: form-data; name="f"; filename="--XyZ--"\r\n'
               b"\r\ndata\r\n--XyZ--\r\n")), None),
    ("http.file_name_too_long",
     http(b"PUT /" + b"n" * 4100 + b" HTTP/1.1\r\nHost: h.test\r\nContent-Length: 3\r\n\r\nabc"),
     None),
    ("http.range_invalid (start past end)", http(GET, ranged(b"bytes 10-5/100")),
     ["http.range_invalid"]),
    ("http.range_invalid (no range)", http(GET, ranged(b"bytes x-y/z")), ["http.range_invalid"]),
    # %25 decodes to %, then %41 to A: encoded twice
    ("http.double_encoded_uri", http(b"GET /a%2541b HTTP/1.1\r\nHost: h.test\r\n\r\n"), None),
    ("clean: a multipart upload of a file", http(post(FILE_PART + b"\r\ndata\r\n--XyZ--\r\n")),
     []),
    ("clean: a range inside its file", http(GET, ranged(b"bytes 0-3/10")), []),
    ("clean: a path of 4096 bytes, encoded once",
     http(b"PUT /" + b"m" * 4091 + b"%41 HTTP/1.1\r\nHost: h.test\r\nContent-Length: 3\r\n\r\nabc"),
     []),
]

CASES = ([(ev, run, want if want is not None else [ev.split(" ")[0]], 443)
          for ev, run, want in TLS_CASES] +
         [(ev, run, want if want is not None else [ev.split(" ")[0]], 25)
          for ev, run, want in SMTP_CASES] +
         [(ev, run, want if want is not None else [ev.split(" ")[0]], 80)
          for ev, run, want in HTTP_CASES])


def event_sids(root):
    """event name -> sid, from Suricata's event rule files."""
    out = {}
    d = os.path.join(root, "tests", "data", "suricata-events")
    for f in os.listdir(d):
        for ln in open(os.path.join(d, f), encoding="utf-8"):
            m = re.search(r"app-layer-event:\s*([^;]+);.*sid:(\d+);", ln)
            if ln.startswith("alert") and m:
                out[m.group(1).strip()] = int(m.group(2))
    return out


def main():
    idsd, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    sids = event_sids(root)
    frames = []
    for i, (_, run, _, port) in enumerate(CASES):
        t = Tcp(frames, C(i), S(i), 42000 + i, port)
        run(t)
        t.close()
    pcap, conf = os.path.join(out, "app_events.pcap"), os.path.join(out, "idsd.yaml")
    write_pcap(pcap, frames)
    with open(conf, "w", encoding="utf-8") as f:
        f.write(CONF)

    def run_events(cf, o, files_on):
        p = subprocess.run([idsd, "-c", cf, "-r", pcap, "-S",
                            os.path.join(root, "tests", "data", "suricata-events"), "-l", o],
                           capture_output=True, text=True, timeout=300)
        check(p.returncode == 0 and "279 loaded, 0 failed" in p.stderr,
              f"idsd runs with every event rule loaded: rc {p.returncode} {p.stderr[-600:]}")
        with open(os.path.join(o, "eve.json"), encoding="utf-8") as f:
            recs = [json.loads(ln) for ln in f]
        for i, (what, _, want, _) in enumerate(CASES):
            port = 42000 + i
            mine = [r for r in recs if port in (r.get("src_port"), r.get("dest_port"))]
            got = sorted({r["alert"]["signature_id"] for r in mine
                          if r["event_type"] == "alert"})
            # named as the rules name them: protocol detection's events bare
            an = {("" if r["anomaly"].get("layer") == "proto_detect" else
                   r["anomaly"]["app_proto"] + ".") + r["anomaly"]["event"].lower()
                  for r in mine if r["event_type"] == "anomaly"}
            check(got == sorted(sids[e] for e in want) and set(want) <= an,
                  f"{what} (fileinfo {'on' if files_on else 'off'}): alerts {got} of "
                  f"{want}, anomalies {sorted(an)}")
        return recs

    no_files = os.path.join(out, "no-files")
    os.makedirs(no_files)
    with open(os.path.join(no_files, "idsd.yaml"), "w", encoding="utf-8") as f:
        f.write(CONF.replace("        - files\n", ""))
    recs = run_events(os.path.join(no_files, "idsd.yaml"), no_files, False)
    check(not any(r["event_type"] == "fileinfo" for r in recs),
          "without the files output no fileinfo record is written")
    recs = run_events(conf, out, True)
    valid = [r["tls"] for r in recs if r["event_type"] == "tls" and
             r["src_port"] == 42000 + [c[0] for c in CASES].index(
                 "clean: a well-formed certificate")]
    check(valid and valid[0].get("subject") == "CN=srv.test" and
          valid[0].get("issuerdn") == "CN=ca.test",
          f"the well-formed certificate's subject and issuer are read: {valid}")
    def files(what):
        port = 42000 + [c[0] for c in CASES].index(what)
        return [r["fileinfo"] for r in recs if r["event_type"] == "fileinfo" and
                port in (r["src_port"], r["dest_port"])]
    long_names = {len(f["filename"]) for f in files("http.file_name_too_long")}
    check(long_names == {4096}, f"a file name past 4096 bytes is cut to 4096: {long_names}")
    nofile = files("http.multipart_no_filedata")
    check([(f["filename"], f["size"]) for f in nofile] == [("/up", 2)],
          f"multipart_no_filedata's part is no file (only the response is): {nofile}")
    up = files("clean: a multipart upload of a file")
    check(sorted((f["filename"], f["size"]) for f in up) == [("/up", 2), ("a.txt", 4)],
          f"the well-formed upload is a file of its 4 bytes (and the response one of 2): {up}")
    for name, want in (("heartbleed-encrypted-short.pcap", ["tls.heartbeat_message",
                                                             "tls.dataleak_heartbeat_mismatch"]),
                       ("heartbleed-encrypted.pcap", ["tls.heartbeat_message"])):
        o = os.path.join(out, name)
        os.makedirs(o)
        p = subprocess.run([idsd, "-c", conf, "-r", os.path.join(root, "tests", "data", "tls", name),
                            "-S", os.path.join(root, "tests", "data", "suricata-events"), "-l", o],
                           capture_output=True, text=True, timeout=300)
        with open(os.path.join(o, "eve.json"), encoding="utf-8") as f:
            recs = [json.loads(ln) for ln in f]
        got = sorted({r["alert"]["signature_id"] for r in recs if r["event_type"] == "alert"})
        check(p.returncode == 0 and got == sorted(sids[e] for e in want),
              f"{name}: alerts {got} of {want}")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
