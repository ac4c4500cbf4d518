#!/usr/bin/env python3
"""flowbits and flowints in EVE's "metadata" on the real idsd: usage:
test_eve_metadata.py IDSD OUT_DIR

Crafted flows (pcapgen). As Suricata 7's EveAddMetadata (output-json.c),
with eve-log metadata on (its default):
- an alert's "metadata" lists its flow's flowbits as they are once the
  packet's rules ran, in the order set ("flowbits": [names]; an unset bit
  leaves the list, the others keep their order), and its flowints with
  their values ("flowints": {name: value}, in the order first set);
- flowbits named traffic/id/NAME and traffic/label/NAME go into a
  "traffic" object ({"id": [NAME], "label": [NAME]}) before "metadata";
- the flow record has them too, as the flow ends, after its "flow" object
  (EveFlowLogJSON); so does an app-layer record (http) of the flow;
- a flow without any variable has no "metadata";
- a flow holds 16 flowbits and 16 flowints: one more of either is left out
  and counted (flow.bits_overflow, detect.vars_table_full);
- eve-log "metadata: no" leaves "metadata" and "traffic" out."""
import os
import shutil
import sys

from e2e_check import Checks, eve_conf, run_capture
from pcapgen import Tcp, udp_frame

CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])

RULES = [
    'alert udp any any -> any any (msg:"login"; content:"login"; flowbits:set,seen; '
    'flowint:tries,+,1; sid:1;)',
    'alert udp any any -> any any (msg:"auth"; content:"auth"; flowbits:isset,seen; '
    'flowbits:set,authed; flowint:level,=,7; sid:2;)',
    'alert udp any any -> any any (msg:"bye"; content:"bye"; flowbits:unset,seen; '
    'flowbits:set,traffic/id/chat; flowbits:set,traffic/label/social; '
    'flowint:tries,+,10; sid:3;)',
    'alert udp any any -> any any (msg:"plain"; content:"plain"; sid:4;)',
    # more than a flow holds: 16 flowints and 16 flowbits, the rest counted
    'alert udp any any -> any any (msg:"many"; content:"many"; '
    + "".join(f"flowint:n{i},=,{i}; flowbits:set,b{i}; " for i in range(17)) + 'sid:6;)',
    'alert http any any -> any any (msg:"get"; flow:to_server; http.method; content:"GET"; '
    'flowbits:set,http.get; sid:5;)',
]

TYPES = "- alert\n- flow\n- http\n- stats\n"


def frames():
    out = [
        udp_frame(CLI, SRV, 4000, 5000, b"login"),
        udp_frame(CLI, SRV, 4000, 5000, b"auth"),
        udp_frame(CLI, SRV, 4000, 5000, b"bye"),
        udp_frame(CLI, SRV, 4001, 5000, b"plain"),
        udp_frame(CLI, SRV, 4003, 5000, b"many"),
    ]
    t = Tcp(out, CLI, SRV, 4002, 80)
    t.send(0, b"GET /x HTTP/1.1\r\nHost: h\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    t.close()
    return out


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    c = Checks()
    eve = run_capture(idsd, out, "meta", frames(), RULES, conf=eve_conf(TYPES))
    alerts = {e["alert"]["signature_id"]: e for e in eve if e.get("event_type") == "alert"}
    c(sorted(alerts) == [1, 2, 3, 4, 5, 6], f"one alert each of sids 1-6: {sorted(alerts)}")
    want = {
        1: {"flowbits": ["seen"], "flowints": {"tries": 1}},
        2: {"flowbits": ["seen", "authed"], "flowints": {"tries": 1, "level": 7}},
        3: {"flowbits": ["authed"], "flowints": {"tries": 11, "level": 7}},
        5: {"flowbits": ["http.get"]},
    }
    for sid, meta in want.items():
        got = alerts.get(sid, {}).get("metadata")
        c(got == meta, f"sid {sid}: metadata {got}, want {meta}")
    got = alerts.get(3, {}).get("traffic")
    c(got == {"id": ["chat"], "label": ["social"]}, f"sid 3: traffic {got}")
    c(all("traffic" not in alerts.get(s, {}) for s in (1, 2, 5)),
      "no traffic object before a traffic/ bit is set")
    c("metadata" not in alerts.get(4, {"metadata": 1}), "sid 4 (no variable): no metadata")
    got = alerts.get(6, {}).get("metadata", {})
    c(got.get("flowbits") == [f"b{i}" for i in range(16)] and
      got.get("flowints") == {f"n{i}": i for i in range(16)},
      f"sid 6: the first 16 flowbits and flowints, in order: {got}")
    st = [e["stats"] for e in eve if e.get("event_type") == "stats"]
    last = st[-1] if st else {}
    c(last.get("flow", {}).get("bits_overflow") == 1 and
      last.get("detect", {}).get("vars_table_full") == 1,
      f"the 17th of each counted: flow.bits_overflow, detect.vars_table_full: "
      f"{last.get('flow')} {last.get('detect')}")

    flows = {e["src_port"]: e for e in eve if e.get("event_type") == "flow"}
    got = flows.get(4000, {})
    c(got.get("metadata") == want[3] and
      got.get("traffic") == {"id": ["chat"], "label": ["social"]},
      f"the flow record: its variables at the end: {got}")
    c("metadata" not in flows.get(4001, {"metadata": 1}), "a flow without variables: none")
    http = [e for e in eve if e.get("event_type") == "http"]
    c(len(http) == 1 and http[0].get("metadata") == want[5],
      f"the http record: its flow's bits: {http}")
    # where they go, as Suricata's writers put them
    with open(os.path.join(out, "eve.json"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    a3 = next((ln for ln in lines if '"signature_id":3,' in ln), "")
    c('"pkt_src":"wire/pcap","traffic":{"id":["chat"],"label":["social"]},"metadata":'
      '{"flowbits":["authed"],"flowints":{"tries":11,"level":7}},"alert":{' in a3,
      f"alert: traffic and metadata after pkt_src: {a3[:500]}")
    fl = next((ln for ln in lines if '"event_type":"flow"' in ln and '"src_port":4000,' in ln),
              "")
    c('"alerted":true},"traffic":{' in fl, f"flow: after the flow object: {fl[:600]}")

    # eve-log metadata: no
    off = os.path.join(out, "off")
    os.makedirs(off)
    conf = eve_conf(TYPES).replace("enabled: yes\n", "enabled: yes\n      metadata: no\n")
    eve = run_capture(idsd, off, "meta", frames(), RULES, conf=conf)
    c(sum(1 for e in eve if e.get("event_type") == "alert") == 6 and
      not any("metadata" in e or "traffic" in e for e in eve),
      "metadata: no: the same 6 alerts, no record with metadata or traffic")
    sys.exit(c.done("eve_metadata"))


if __name__ == "__main__":
    main()
