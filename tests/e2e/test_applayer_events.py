#!/usr/bin/env python3
"""Suricata's generic app-layer events end to end: usage:
test_applayer_events.py IDSD SRC_ROOT OUT_DIR.

Writes a capture of TCP sessions that each break one rule of protocol
detection (a request answered by bytes of no protocol, by another
protocol's, a server speaking HTTP first, 100 kB of a client's bytes of no
protocol with the server silent) and a clean HTTP session, runs idsd with
Suricata 7.0.0's app-layer-events.rules (unchanged) and anomaly records of
type applayer on. Each session must give exactly its rule's alert, on the
packet that raised the event, and one anomaly record naming the event as
Suricata does ("APPLAYER_...", layer "proto_detect"); the clean one none.
A server speaking HTTP first has the app layer give the flow up (failed),
as Suricata's detection error does. Flow, netflow and alert records say
what each direction was judged where it differs from app_proto, as
Suricata 7's EveAddAppProto and netflow logger write alproto_ts and
alproto_tc: app_proto_tc failed for a response of no protocol, tls for a
TLS record answering HTTP, http for the server that spoke first."""
import os
import shutil
import sys

from e2e_check import Checks, eve_conf, run_idsd
from pcapgen import Tcp, write_pcap

CONFIG = eve_conf("""
- alert
- anomaly:
    enabled: yes
    types: {applayer: yes}
- flow
- netflow
""")

GET = b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n"
RESP = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
JUNK = b"\x01\x02 no protocol starts so \r\n"
TLS = b"\x16\x03\x03\x00\x04\x02\x00\x00\x00"

# client port -> (event, sid, app_proto in the anomaly record)
WANT = {
    41001: ("applayer_detect_protocol_only_one_direction", 2260002, "http"),
    41002: ("applayer_mismatch_protocol_both_directions", 2260000, "http"),
    41003: ("applayer_wrong_direction_first_data", 2260001, "failed"),
    41004: ("applayer_proto_detection_skipped", 2260003, "failed"),
}

check = Checks()

# client port -> the flow record's (app_proto, app_proto_ts, app_proto_tc),
# and its netflow records' app_proto (to server, to client)
FLOWS = {
    41001: (("http", None, "failed"), ("http", "failed")),
    41002: (("http", None, "tls"), ("http", "tls")),
    41003: (("failed", None, "http"), ("failed", "http")),
    41004: (("failed", None, None), ("failed", "failed")),
    41005: (("http", None, None), ("http", "http")),
}


def build():
    frames = []
    cli, srv = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    t = Tcp(frames, cli, srv, 41001, 80)
    t.send(0, GET)
    t.send(1, JUNK)
    t.close()
    t = Tcp(frames, cli, srv, 41002, 80)
    t.send(0, GET)
    t.send(1, TLS)
    t.close()
    t = Tcp(frames, cli, srv, 41003, 80)
    t.send(1, RESP)
    t.send(0, GET)
    t.close()
    t = Tcp(frames, cli, srv, 41004, 9000)
    for _ in range(102):
        t.send(0, b"x" * 1000)
    t.close()
    t = Tcp(frames, cli, srv, 41005, 80)
    t.send(0, GET)
    t.send(1, RESP)
    t.close()
    return frames


def main():
    idsd, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    pcap = os.path.join(out, "applayer.pcap")
    write_pcap(pcap, build())
    rules = os.path.join(root, "tests", "data", "suricata-events", "app-layer-events.rules")
    recs = run_idsd(idsd, out, pcap, [rules], CONFIG, ["--strict-rules"])
    alerts, anomalies, flows, netflows = {}, {}, {}, {}

    def protos(r):
        return tuple(r.get(k) for k in ("app_proto", "app_proto_ts", "app_proto_tc"))

    for r in recs:
        port = r.get("src_port") if r.get("src_port", 0) > 40000 else r.get("dest_port")
        if r.get("event_type") == "alert":
            alerts.setdefault(port, []).append((r["alert"]["signature_id"], r.get("pcap_cnt")))
            check(protos(r) == FLOWS[port][0],
                  f"{port}: the alert's protocols {protos(r)}, want {FLOWS[port][0]}")
        elif r.get("event_type") == "flow":
            flows.setdefault(port, []).append(protos(r))
        elif r.get("event_type") == "netflow":
            netflows.setdefault(port, {})[r["src_port"] == port] = r.get("app_proto")
        elif r.get("event_type") == "anomaly" and r["anomaly"].get("type") == "applayer":
            anomalies.setdefault(port, []).append((r["anomaly"], r.get("pcap_cnt")))
    for port, (event, sid, proto) in WANT.items():
        a, n = alerts.get(port, []), anomalies.get(port, [])
        check([s for s, _ in a] == [sid], f"{event}: alerts {a}, want sid {sid} once")
        want = {"app_proto": proto, "type": "applayer", "event": event.upper(),
                "layer": "proto_detect"}
        check([x for x, _ in n] == [want], f"{event}: anomalies {n}, want {want}")
        check(a and n and a[0][1] == n[0][1] and a[0][1] is not None,
              f"{event}: alert and anomaly on the same packet: {a} {n}")
    check(41005 not in alerts and 41005 not in anomalies,
          f"clean HTTP: {alerts.get(41005)} {anomalies.get(41005)}")
    for port, (flow, (ts, tc)) in FLOWS.items():
        check(flows.get(port) == [flow], f"{port}: flow records' protocols {flows.get(port)}, "
              f"want {flow}")
        nf = netflows.get(port, {})
        check((nf.get(True), nf.get(False)) == (ts, tc),
              f"{port}: netflow app_proto (to server, to client) {nf}, want {(ts, tc)}")
    return check.done("applayer events")


if __name__ == "__main__":
    sys.exit(main())
