#!/usr/bin/env python3
"""Protocol change midway (STARTTLS, AUTH TLS, CONNECT) end to end: usage:
test_starttls.py IDSD SRC_ROOT OUT_DIR.

Runs idsd over tests/data/starttls/starttls.pcap (scapy's TLS records,
written by make_starttls.py; its docstring lists the sessions) with tls.sni
and tls.cert_subject rules, an smtp file_data rule, an http.uri rule and
Suricata 7.0.0's app-layer, smtp and http event rules (unchanged), EVE
alert, anomaly, tls (extended, ja3) and flow records on. As Suricata 7:
after STARTTLS or AUTH TLS accepted, the TLS handshake is parsed (the rules
fire, a tls record carries SNI, subject and ja3, the flow record says
app_proto tls, app_proto_orig smtp or ftp); SMTP in plain text after it
raises applayer_no_tls_after_starttls and applayer_unexpected_protocol on
that packet (the flow keeps app_proto smtp, app_proto_expected tls), so do
4096 bytes of no protocol (the flow: failed) and the end of a stream with
nothing decided (on the flow's end); a refused STARTTLS keeps SMTP parsed
(smtp.tls_rejected, the mail's body matched); a CONNECT answered 200 gives
the tunnel's TLS (app_proto_orig http, no event), a refused one keeps
HTTP."""
import hashlib
import os
import shutil
import sys

from e2e_check import Checks, eve_conf, run_idsd

check = Checks()

CONFIG = eve_conf("""
- alert
- anomaly:
    enabled: yes
- tls:
    extended: yes
- flow
""", """app-layer:
  protocols:
    tls:
      ja3-fingerprints: yes
""")

LOCAL = """\
alert tls any any -> any any (msg:"sni"; tls.sni; content:"mail.example.org"; sid:1001;)
alert tls any any -> any any (msg:"subject"; tls.cert_subject; content:"CN=mail.example.org"; sid:1002;)
alert smtp any any -> any any (msg:"mail after 454"; file_data; content:"plain body after 454"; sid:1003;)
alert http any any -> any any (msg:"after 407"; http.uri; content:"/after-407"; sid:1004;)
"""
NO_TLS, UNEXPECTED, TLS_REJECTED = 2260004, 2260005, 2220007
# client port -> the sids that must alert on the session
ALERTS = {
    42001: {1001, 1002},
    42002: {NO_TLS, UNEXPECTED, 2220006},  # the new SMTP state sees a 250 first
    42003: {NO_TLS, UNEXPECTED},           # events on the flow's end (a pseudo packet)
    42004: {TLS_REJECTED, 1003},
    42005: {1001, 1002},
    42006: {NO_TLS, UNEXPECTED},
    42007: {1001, 1002},
    42008: {1004},
}
# client port -> the flow record's (app_proto, app_proto_orig, app_proto_expected)
FLOWS = {
    42001: ("tls", "smtp", None),
    42002: ("smtp", None, "tls"),
    42003: ("failed", "smtp", "tls"),
    42004: ("smtp", None, None),
    42005: ("tls", "ftp", None),
    42006: ("failed", "smtp", "tls"),
    42007: ("tls", "http", None),
    42008: ("http", None, None),
}
CHANGE_EVENTS = ["APPLAYER_NO_TLS_AFTER_STARTTLS", "APPLAYER_UNEXPECTED_PROTOCOL"]


def port(r):
    return r["src_port"] if r.get("src_port", 0) > 40000 else r.get("dest_port")


def main():
    idsd, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
    data = os.path.join(root, "tests", "data", "starttls")
    suri = os.path.join(root, "tests", "data", "suricata-events")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    local = os.path.join(out, "local.rules")
    with open(local, "w", encoding="utf-8") as f:
        f.write(LOCAL)
    rules = [local] + [os.path.join(suri, n + "-events.rules") for n in ("app-layer", "smtp", "http")]
    recs = run_idsd(idsd, out, os.path.join(data, "starttls.pcap"), rules, CONFIG,
                    ["--strict-rules"])
    by = {}
    for r in recs:
        by.setdefault((port(r), r["event_type"]), []).append(r)

    for cp, want in ALERTS.items():
        got = [a["alert"]["signature_id"] for a in by.get((cp, "alert"), [])]
        check(sorted(got) == sorted(want), f"{cp}: alerts {sorted(got)}, want {sorted(want)}")
    for cp, (proto, orig, expect) in FLOWS.items():
        fl = by.get((cp, "flow"), [])
        got = [(f.get("app_proto"), f.get("app_proto_orig"), f.get("app_proto_expected"))
               for f in fl]
        check(got == [(proto, orig, expect)], f"{cp}: flow protos {got}, want {(proto, orig, expect)}")

    # the handshakes after the change: one tls record each, as on port 443
    with open(os.path.join(data, "cert.der"), "rb") as f:
        fp = ":".join(f"{b:02x}" for b in hashlib.sha1(f.read()).digest())
    for cp in (42001, 42005, 42007):
        tls = [r["tls"] for r in by.get((cp, "tls"), [])]
        t = tls[0] if len(tls) == 1 else {}
        check(t.get("sni") == "mail.example.org" and t.get("subject") == "CN=mail.example.org"
              and t.get("fingerprint") == fp and t.get("version") == "TLS 1.2" and
              len(t.get("ja3", {}).get("hash", "")) == 32 and
              len(t.get("ja3s", {}).get("hash", "")) == 32, f"{cp}: tls records {tls}")
    # the alerts after the change name the flow's protocols as its record
    for a in by.get((42001, "alert"), []):
        check(a.get("app_proto") == "tls" and a.get("app_proto_orig") == "smtp" and
              "app_proto_expected" not in a, f"42001: alert protos {a}")

    # the change's events: on the packet that showed them, with the alerts
    for cp, src in ((42002, "wire/pcap"), (42006, "wire/pcap"), (42003, "stream (flow timeout)")):
        an = [r for r in by.get((cp, "anomaly"), []) if r["anomaly"]["layer"] == "proto_detect"]
        check(sorted(r["anomaly"]["event"] for r in an) == CHANGE_EVENTS and
              all(r.get("pkt_src") == src for r in an),
              f"{cp}: change anomalies {[(r['anomaly'], r.get('pkt_src')) for r in an]}, "
              f"want {CHANGE_EVENTS} from {src}")
        al = [r for r in by.get((cp, "alert"), []) if r["alert"]["signature_id"] in (NO_TLS, UNEXPECTED)]
        check(all(r.get("pcap_cnt") == an[0].get("pcap_cnt") for r in al),
              f"{cp}: event alerts on the anomalies' packet: {al}")
    for cp in (42001, 42004, 42005, 42007, 42008):
        an = [r for r in by.get((cp, "anomaly"), []) if r["anomaly"]["layer"] == "proto_detect"]
        check(not an, f"{cp}: no change event: {an}")
    return check.done("starttls")


if __name__ == "__main__":
    sys.exit(main())
