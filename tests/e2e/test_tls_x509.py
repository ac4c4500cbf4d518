#!/usr/bin/env python3
"""Certificate fields as Suricata 7 gives them, end to end: usage
test_tls_x509.py IDSD OUT_DIR.

Certificates made here (DER built by hand, test_app_events.py's builder),
each sent by a server after its hello, and what EVE's tls record and the
tls.* keywords must give for it, as Suricata 7.0 prints them through
x509-parser 0.15 (X509Name's Display, raw_serial, ASN1Time):
- DN: RDNs in encoded order joined by ", ", the attributes of a
  multi-valued RDN by " + "; types by abbreviation (CN C L ST O OU DC
  Email), else oid-registry's short name (serialNumber, streetAddress...),
  else "OID(1.2.3)"; string values as text (BMPString from UTF-16), other
  types (a UniversalString, an OCTET STRING) in upper-case hex; a string
  that is not valid UTF-8 spoils the whole name:
  "<X509Error: Invalid X.509 name>";
- serial: the INTEGER's bytes, leading zero kept, "00:8F:01";
- validity: UTCTime (a year 50-99 is 19YY), GeneralizedTime with a
  fraction and an offset (taken out: UTC);
- tls.subjectaltname: the DNS names as written and the IP addresses as
  Suricata 8 (the first Suricata with the keyword) writes them: x509-parser's
  bytes in Rust's Debug form, "[127, 0, 0, 1]", of any length; others (a
  URI) passed over; on a certificate by certtool too (IPv4 and IPv6 SANs),
  whose tls record has no SAN field (Suricata 7.0 writes none);
- a certificate cut short: its event, no field, no crash."""
import os
import shutil
import sys

from e2e_check import certtool_cert, check, eve_conf, run_capture
from pcapgen import Tcp
from test_app_events import CLIENT_HELLO, SERVER_HELLO, cert, chain, seq, tlv

C = lambda n: bytes([10, 4, 0, n])  # noqa: E731
S = lambda n: bytes([10, 5, 0, n])  # noqa: E731

OID = {"CN": "550403", "C": "550406", "O": "55040a", "OU": "55040b", "street": "550409",
       "serial": "550405", "email": "2a864886f70d010901", "dc": "0992268993f22c640119",
       "ev_c": "2b0601040182373c020103", "wide": "2aff8180808080808080807f"}


def atv(oid, value, tag=0x0c):
    return seq(tlv(0x06, bytes.fromhex(OID[oid])), tlv(tag, value))


def rdn(*atvs):
    return tlv(0x31, b"".join(atvs))


def name(*rdns):
    return seq(*rdns)


def san(*entries):
    """A subjectAltName extension (2.5.29.17) of these GeneralNames."""
    return tlv(0xa3, seq(seq(tlv(0x06, b"\x55\x1d\x11"), tlv(0x04, seq(*entries)))))


V4 = "[127, 0, 0, 1]"
V6 = "[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]"
CERTTOOL_V4 = "[192, 0, 2, 7]"
CERTTOOL_V6 = "[32, 1, 13, 184, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]"
# what the SAN rules match whole (sid 100 on); the text forms must not match
SANS = ["a.test", V4, V6, "*.b.test", "[1, 2, 255]", "http://u.test/", "127.0.0.1", "::1",
        "certtool.test", CERTTOOL_V4, CERTTOOL_V6, "192.0.2.7", "2001:db8::7"]

CASES = [
    ("attribute names and a multi-valued RDN",
     cert(subject=name(rdn(atv("C", b"US", 0x13)), rdn(atv("O", b"Ex, Inc.")),
                       rdn(atv("OU", b"a"), atv("CN", b"b")), rdn(atv("email", b"x@y.test", 0x16)),
                       rdn(atv("street", b"1 Way")), rdn(atv("serial", b"42", 0x13)),
                       rdn(atv("dc", b"test", 0x16)), rdn(atv("ev_c", b"US", 0x13)),
                       rdn(atv("wide", b"w"))),
          issuer=name(rdn(atv("CN", b"ca.test"))),
          serial=tlv(0x02, b"\x00\x8f\x01")),
     {"subject": "C=US, O=Ex, Inc., OU=a + CN=b, Email=x@y.test, streetAddress=1 Way, "
                 "serialNumber=42, DC=test, OID(1.3.6.1.4.1.311.60.2.1.3)=US, "
                 "OID(" + bytes.fromhex(OID["wide"]).hex(" ") + ")=w",
      "issuerdn": "CN=ca.test", "serial": "00:8F:01"}),
    ("string types: BMPString, UniversalString and OCTET STRING",
     cert(subject=name(rdn(atv("CN", "h\u00e9".encode("utf-16-be"), 0x1e)),
                       rdn(atv("O", b"\x00\x00\x00A", 0x1c)), rdn(atv("OU", b"\x01\xab", 0x04)))),
     {"subject": "CN=h\u00e9, O=00000041, OU=01AB", "issuerdn": "CN=ca.test"}),
    ("a value that is not UTF-8",
     cert(subject=name(rdn(atv("CN", b"a\xffb")))),
     {"subject": "<X509Error: Invalid X.509 name>", "issuerdn": "CN=ca.test"}),
    ("UTCTime of the last century, GeneralizedTime with a fraction and an offset",
     cert(validity=seq(tlv(0x17, b"990102030405Z"), tlv(0x18, b"20300101120000.5+0130"))),
     {"notbefore": "1999-01-02T03:04:05", "notafter": "2030-01-01T10:30:00"}),
    ("subjectAltName: DNS names and addresses, a URI passed over",
     cert(ext=san(tlv(0x82, b"a.test"), tlv(0x86, b"http://u.test/"),
                  tlv(0x87, b"\x7f\x00\x00\x01"), tlv(0x87, bytes(15) + b"\x01"),
                  tlv(0x82, b"*.b.test"), tlv(0x87, b"\x01\x02\xff"))),
     {"subject": "CN=srv.test", "san": ["a.test", V4, V6, "*.b.test", "[1, 2, 255]"]}),
    ("a certificate cut short", cert()[:-30], {"event": "tls.certificate_invalid_length"}),
]

RULES = [
    'alert tls any any -> any any (msg:"san"; tls.subjectaltname; content:"%s"; '
    'startswith; endswith; sid:%d;)' % (v, 100 + i)
    for i, v in enumerate(SANS)
] + [
    'alert tls any any -> any any (msg:"multi-valued subject"; tls.cert_subject; '
    'content:"OU=a + CN=b"; sid:200;)',
    'alert tls any any -> any any (msg:"serial"; tls.cert_serial; content:"00:8F:01"; '
    'startswith; endswith; sid:201;)',
    'alert tls any any -> any any (msg:"notbefore"; tls_cert_notbefore:1999-01-02 03:04:05<>'
    '1999-01-02 03:04:06; sid:202;)',
    'alert tls any any -> any any (msg:"cut short"; '
    'app-layer-event:tls.certificate_invalid_length; sid:203;)',
]
CONF = eve_conf("""
- alert
- tls:
    extended: yes
""")


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    CASES.append(("subjectAltName of a certificate by certtool: IPv4 and IPv6 addresses",
                  certtool_cert(out, 'cn = "certtool.test"\ndns_name = "certtool.test"\n'
                                     'ip_address = "192.0.2.7"\nip_address = "2001:db8::7"\n'),
                  {"subject": "CN=certtool.test", "subjectaltname": None,
                   "san": ["certtool.test", CERTTOOL_V4, CERTTOOL_V6]}))
    frames = []
    for i, (_, der, _) in enumerate(CASES):
        t = Tcp(frames, C(i), S(i), 43000 + i, 443)
        t.send(0, CLIENT_HELLO)
        t.send(1, SERVER_HELLO + chain(der))
        t.close()
    recs = run_capture(idsd, out, "x509", frames, RULES, CONF)
    for i, (what, _, want) in enumerate(CASES):
        mine = [r for r in recs if 43000 + i in (r.get("src_port"), r.get("dest_port"))]
        tls = [r["tls"] for r in mine if r["event_type"] == "tls"]
        sids = sorted(r["alert"]["signature_id"] for r in mine if r["event_type"] == "alert")
        check(len(tls) == 1, f"{what}: one tls record ({len(tls)})")
        for k, v in want.items():
            if k == "san":
                got = [RULES[s - 100].split('"')[3] for s in sids if 100 <= s < 200]
                check(got == v, f"{what}: tls.subjectaltname matches {got}, want {v}")
            elif k == "event":
                check(203 in sids and "subject" not in tls[0] and "serial" not in tls[0],
                      f"{what}: its event ({sids}) and no field ({tls[0]})")
            else:
                check(tls[0].get(k) == v, f"{what}: {k} {tls[0].get(k)!r}, want {v!r}")
    first = [r["alert"]["signature_id"] for r in recs if r["event_type"] == "alert" and
             43000 in (r["src_port"], r["dest_port"])]
    check(200 in first and 201 in first,
          f"the keywords see the DN and the serial as EVE writes them: {sorted(first)}")
    date = [r for r in recs if r["event_type"] == "alert" and r["alert"]["signature_id"] == 202]
    check(len(date) == 1 and 43003 in (date[0]["src_port"], date[0]["dest_port"]),
          "tls_cert_notbefore sees the UTCTime of 1999")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
