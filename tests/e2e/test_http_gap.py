#!/usr/bin/env python3
"""A stream gap in the middle of an HTTP session, as Suricata 7 handles it:
usage: test_http_gap.py IDSD OUT_DIR.

Suricata relays a gap to the app layer (AppLayerHandleTCPData with
STREAM_GAP); libhtp's parser does not take gaps (no
APP_LAYER_PARSER_OPT_ACCEPT_GAPS), so AppLayerParserParse counts
app_layer.error.http.gap and takes its error path: the flow's app layer is
disabled in both directions and both sides are set at EOF. So, on a
session whose first exchange is complete, whose second request loses its
last header segment (the server acks past it) and whose third request and
response come after the hole:
- the first transaction and the second (open at the gap) are logged, the
  second as it stood (its URL, no response), and their http-keyword rules
  match; nothing after the gap is parsed: no transaction, no http record
  and no http-keyword match for the third request, nor for the response
  after the gap;
- raw stream and packet rules still see the bytes after the gap;
- the stats count the gap (tcp.reassembly_gap) and the parser's refusal
  (app_layer.error.http.gap), the packet that hands the gap over raises
  stream.reassembly_seq_gap, the flow stays "http";
- a control capture, the same session without the hole, parses all three.
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_check import Checks, eve_conf, run_capture  # noqa: E402
from pcapgen import Tcp  # noqa: E402

CONF = eve_conf("- alert\n- http\n- flow\n- anomaly:\n    types:\n      stream: yes\n- stats")
RULES = [
    'alert http any any -> any any (msg:"uri one"; http.uri; content:"/one"; sid:1;)',
    'alert http any any -> any any (msg:"uri two"; http.uri; content:"/two"; sid:2;)',
    'alert http any any -> any any (msg:"uri three"; http.uri; content:"/three"; sid:3;)',
    'alert http any any -> any any (msg:"stat 404"; http.stat_code; content:"404"; sid:4;)',
    'alert tcp any any -> any 80 (msg:"raw three"; content:"GET /three"; sid:5;)',
    'alert tcp any 80 -> any any (msg:"raw 404"; content:"404 Not"; sid:6;)',
]
CLI, SRV = bytes([10, 0, 0, 1]), bytes([192, 0, 2, 1])
REQ2_HEAD = b"GET /two HTTP/1.1\r\nHost: gap.example\r\n"
REQ2_LOST = b"X-Lost: yes\r\n\r\n"


def capture(hole):
    fr = []
    t = Tcp(fr, CLI, SRV, 41000, 80)
    t.send(0, b"GET /one HTTP/1.1\r\nHost: gap.example\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    t.send(0, REQ2_HEAD)
    if hole:
        t.seq[0] += len(REQ2_LOST)            # never seen; the server acks past it
    else:
        t.send(0, REQ2_LOST)
    t.send(0, b"GET /three HTTP/1.1\r\nHost: gap.example\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
              b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    t.close()
    return fr


def counter(stats, name):
    v = stats
    for part in name.split("."):
        v = v.get(part, {}) if isinstance(v, dict) else {}
    return v if isinstance(v, int) else 0


def run(idsd, out, name, hole):
    o = os.path.join(out, name)
    os.makedirs(o)
    eve = run_capture(idsd, o, name, capture(hole), RULES, conf=CONF)
    sids = sorted(e["alert"]["signature_id"] for e in eve if e["event_type"] == "alert")
    urls = [e["http"].get("url") for e in eve if e["event_type"] == "http"]
    stats = [e["stats"] for e in eve if e["event_type"] == "stats"]
    return eve, sids, urls, (stats[-1] if stats else {})


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    check = Checks()

    eve, sids, urls, st = run(idsd, out, "gap", True)
    check(urls == ["/one", "/two"],
          f"gap: the transactions before the hole logged (the open one too), none after: "
          f"{urls}")
    two = [e["http"] for e in eve if e["event_type"] == "http" and e["http"].get("url") == "/two"]
    check(len(two) == 1 and "status" not in two[0],
          f"gap: the open transaction logged as it stood, without a response: {two}")
    check(sids == [1, 2, 5, 6],
          f"gap: http rules match what was parsed before the hole, raw rules the bytes "
          f"after it; no http match after it: {sids}")
    check(counter(st, "tcp.reassembly_gap") == 1 and
          counter(st, "app_layer.error.http.gap") == 1,
          f"gap: the hole counted, and the HTTP parser's refusal of it: "
          f"tcp {st.get('tcp', {}).get('reassembly_gap')} "
          f"app_layer.error {st.get('app_layer', {}).get('error')}")
    gaps = [e for e in eve if e["event_type"] == "anomaly" and
            e["anomaly"].get("event") == "stream.reassembly_seq_gap"]
    check(len(gaps) == 1, f"gap: stream.reassembly_seq_gap raised once: {gaps}")
    flows = [e for e in eve if e["event_type"] == "flow"]
    check(len(flows) == 1 and flows[0].get("app_proto") == "http",
          f"gap: the flow stays http: {[f.get('app_proto') for f in flows]}")

    eve, sids, urls, st = run(idsd, out, "control", False)
    check(urls == ["/one", "/two", "/three"],
          f"control: all three transactions logged: {urls}")
    check(sids == [1, 2, 3, 4, 5, 6], f"control: every rule matches: {sids}")
    check(counter(st, "tcp.reassembly_gap") == 0 and
          counter(st, "app_layer.error.http.gap") == 0,
          f"control: no gap counted: {st.get('app_layer', {}).get('error')}")
    sys.exit(check.done("http_gap"))


if __name__ == "__main__":
    main()
