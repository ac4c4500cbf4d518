#!/usr/bin/env python3
"""pcre captures into packet and flow variables on the real idsd: usage:
test_pcre_vars.py IDSD OUT_DIR

Crafted UDP flows (pcapgen). As Suricata 7 (detect-pcre.c, detect-flowvar.c,
detect-pktvar.c, output-json.c's EveAddMetadata):
- (?P<pkt_name>..) and "/../, flow:name" store the captures; pktvar reads
  the packet's (set by an earlier rule on it), flowvar the flow's;
- every alert of the packet has "metadata": {"flowvars": [{name: value}],
  "pktvars": [...]}, the flow's first, values with bytes outside printable
  ASCII (CR and LF kept) as '.';
- a packet of another flow sees none of them; an alert of a rule without
  captures on a flow without variables has no "metadata" (as before);
- eve-log "metadata: no" leaves them out;
- a malformed capture spec fails its rule with file and line."""
import os
import shutil
import sys

from e2e_check import Checks, check_rule_errors, eve_conf, run_capture
from pcapgen import Tcp, udp_frame

CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])

RULES = [
    'alert udp any any -> any any (msg:"cap"; pcre:"/user=(?P<pkt_user>[^&]+)/"; sid:1;)',
    'alert udp any any -> any any (msg:"pkt read"; pktvar:user,"ali"; sid:2;)',
    'alert udp any any -> any any (msg:"flow cap"; pcre:"/(end)/, flow:tail"; sid:3;)',
    'alert udp any any -> any any (msg:"flow read"; content:"ping"; flowvar:tail,"en"; sid:4;)',
    'alert udp any any -> any any (msg:"crlf"; pcre:"/note=(?P<pkt_note>[^&]+)/s"; sid:5;)',
    'alert udp any any -> any any (msg:"plain"; content:"plain"; sid:6;)',
    # the reassembled stream: the capture spans two segments
    'alert tcp any any -> any any (msg:"tcp"; flow:to_server; '
    'pcre:"/user=(?P<flow_who>[a-z]+)&/"; sid:7;)',
]


def frames():
    out = []
    t = Tcp(out, CLI, SRV, 4003, 6000)
    t.send(0, b"hello user=tc")
    t.send(0, b"p& bye")
    t.close()
    return out + [
        # flow 1: the captures, then a packet that reads the flow's
        udp_frame(CLI, SRV, 4000, 5000, b"user=alice\x00\xffz&end"),
        udp_frame(CLI, SRV, 4000, 5000, b"ping"),
        # flow 2: none of flow 1's variables
        udp_frame(CLI, SRV, 4001, 5000, b"ping plain"),
        # flow 3: CR LF kept, escaped
        udp_frame(CLI, SRV, 4002, 5000, b"note=a\r\nb&"),
    ]


def by_sid(alerts):
    out = {}
    for a in alerts:
        out.setdefault(a["alert"]["signature_id"], []).append(a)
    return out


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    c = Checks()
    eve = run_capture(idsd, out, "vars", frames(), RULES)
    alerts = [e for e in eve if e.get("event_type") == "alert"]
    s = by_sid(alerts)
    c(sorted(s) == [1, 2, 3, 4, 5, 6, 7] and all(len(v) == 1 for v in s.values()),
            f"one alert each of sids 1-7: {sorted((k, len(v)) for k, v in s.items())}")
    got = s.get(7, [{}])[0].get("metadata")
    c(got == {"flowvars": [{"who": "tcp"}]}, f"sid 7 (stream): {got}")
    both = {"flowvars": [{"tail": "end"}], "pktvars": [{"user": "alice..z"}]}
    for sid in (1, 2, 3):
        got = s.get(sid, [{}])[0].get("metadata")
        c(got == both, f"sid {sid}: the packet's and the flow's variables: {got}")
    got = s.get(4, [{}])[0].get("metadata")
    c(got == {"flowvars": [{"tail": "end"}]},
            f"sid 4 (next packet): the flow's variable only: {got}")
    got = s.get(5, [{}])[0].get("metadata")
    c(got == {"pktvars": [{"note": "a\r\nb"}]}, f"sid 5: CR LF kept: {got}")
    c("metadata" not in s.get(6, [{"metadata": 1}])[0],
            "sid 6 (no capture, no variable on its flow): no metadata")
    # the header's order: metadata right after pkt_src, as Suricata's
    with open(os.path.join(out, "eve.json"), encoding="utf-8") as f:
        line = next(ln for ln in f if '"signature_id":1,' in ln)
    c('"pkt_src":"wire/pcap","metadata":{"flowvars":[{"tail":"end"}],'
            '"pktvars":[{"user":"alice..z"}]},"alert":{' in line,
            f"metadata after pkt_src: {line[:400]}")

    # eve-log metadata: no
    off = os.path.join(out, "off")
    os.makedirs(off)
    eve = run_capture(idsd, off, "vars", frames(), RULES,
                      conf=eve_conf("- alert\n").replace("enabled: yes\n",
                                                         "enabled: yes\n      metadata: no\n"))
    alerts = [e for e in eve if e.get("event_type") == "alert"]
    c(len(alerts) == 7 and not any("metadata" in a for a in alerts),
            f"metadata: no: the same 7 alerts, none with metadata ({len(alerts)})")

    # malformed specs: the rule fails with its file and line
    check_rule_errors(idsd, out, [
        'alert udp any any -> any any (pcre:"/(a)/, pkt:x, flow:y"; sid:11;)',
        'alert udp any any -> any any (pcre:"/(a)(b)/, pkt:x, var:y"; sid:12;)',
        'alert udp any any -> any any (flowvar:x,abc; sid:13;)',
        'alert udp any any -> any any (pcre:"/(a)(b)/, pkt:key, pkt:value"; sid:14;)',
    ], [
        "BAD:1: pcre: more pkt/flow var capture names than capturing substrings",
        "BAD:2: pcre: pkt/flow var capture names must start with 'pkt:' or 'flow:'",
        "BAD:3: flowvar: content must be within quotes",
        "BAD:4: pcre: pkt:key/pkt:value captures are not supported",
        "rules: 0 loaded, 4 failed",
    ], check=c)
    sys.exit(c.done("pcre_vars"))


if __name__ == "__main__":
    main()
