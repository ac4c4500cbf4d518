#!/usr/bin/env python3
"""Detection on a flow's end (Suricata's flow-timeout pseudo packets):
usage: test_flow_end.py IDSD SRC_ROOT OUT_DIR.

SMTP sessions accept STARTTLS and then send no TLS: the stream ends with
the protocol change undecided, so the app layer gives the flow up when the
flow ends and raises applayer_unexpected_protocol and
applayer_no_tls_after_starttls there, on the flow's first pseudo packet. As
in Suricata 7, Suricata 7.0.0's app-layer-events.rules (unchanged, from
tests/data/suricata-events) must alert on them however the flow ends: FIN
both ways, RST, idle timeout (a later packet, two hours on, expires it),
end of the capture. The alerts carry what Suricata writes for a pseudo
packet (pkt_src "stream (flow timeout)", no pcap_cnt, the flow's
app_proto failed with app_proto_orig smtp and app_proto_expected tls); a
STARTTLS refused (454) raises nothing. At the same flow ends, a content
rule still sees the stream's last bytes, an app-layer rule its transaction,
and a rule with no payload and no event (which the pseudo packets never
feed) alerts only on the wire packets."""
import collections
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_check import check, run_capture  # noqa: E402
from pcapgen import Tcp  # noqa: E402

NO_TLS, UNEXPECTED = 2260004, 2260005
LOCAL = [
    # the server's last bytes, never acked: only the flow's end inspects them
    'alert tcp any 25 -> any any (msg:"last bytes"; flow:established,to_client; '
    'content:"bye for now"; sid:1;)',
    # a response body delimited by the close, never acked: its transaction
    # is parsed and inspected at the flow's end
    'alert http any any -> any any (msg:"body at the end"; flow:established,to_client; '
    'file_data; content:"delimited tail"; sid:2;)',
    # no payload, no event: the wire packets only
    'alert tcp any any -> any 25 (msg:"every packet"; flow:established,to_server; sid:3;)',
]
# client port -> how the flow ends
ENDS = {42101: "fin", 42102: "rst", 42103: "timeout", 42104: "shutdown"}
REFUSED, HTTP = 42105, 42106
CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])


def starttls(frames, port, answer=b"220 2.0.0 Ready to start TLS\r\n"):
    t = Tcp(frames, CLI, SRV, port, 25)
    t.send(1, b"220 mail.example.org ESMTP\r\n")
    t.send(0, b"EHLO client.example.org\r\n")
    t.send(1, b"250-mail.example.org\r\n250 STARTTLS\r\n")
    t.send(0, b"STARTTLS\r\n")
    t.send(1, answer)
    return t


def build():
    """The frames and each one's time in seconds: the first three
    sessions at 0, the rest two hours on (every flow of the first ones is
    idle past its timeout by then)."""
    frames = []
    for port in (42101, 42102, 42103):
        t = starttls(frames, port)
        if ENDS[port] == "fin":
            t.close()
        elif ENDS[port] == "rst":
            t.seg(0, 0x14)
    secs = [0] * len(frames)
    starttls(frames, 42104)
    t = starttls(frames, REFUSED, b"454 4.7.0 TLS not available\r\n")
    t.send(0, b"QUIT\r\n")
    t.seg(1, 0x18, b"221 bye for now\r\n")
    t = Tcp(frames, CLI, SRV, HTTP, 80)
    t.send(0, b"GET / HTTP/1.0\r\nHost: example.org\r\n\r\n")
    t.seg(1, 0x18, b"HTTP/1.0 200 OK\r\n\r\nbody up to the close-delimited tail")
    secs += [7200] * (len(frames) - len(secs))
    return frames, secs


def main():
    idsd, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    with open(os.path.join(root, "tests", "data", "suricata-events",
                           "app-layer-events.rules"), encoding="utf-8") as f:
        shipped = [ln.strip() for ln in f if ln.startswith("alert")]
    frames, secs = build()
    eve = run_capture(idsd, out, "flow_end", frames, shipped + LOCAL, secs=secs,
                      conf="%YAML 1.1\n---\noutputs:\n  - eve-log:\n      enabled: yes\n"
                           "      filename: eve.json\n      types: [alert, flow]\n")
    alerts = collections.defaultdict(list)
    flows = {}
    for e in eve:
        if e["event_type"] == "alert":
            alerts[e["src_port"] if e["dest_port"] == 25 else e["dest_port"]].append(e)
        elif e["event_type"] == "flow":
            flows[e["src_port"]] = e

    for port, end in ENDS.items():
        ev = [a for a in alerts[port] if a["alert"]["signature_id"] in (NO_TLS, UNEXPECTED)]
        check(sorted(a["alert"]["signature_id"] for a in ev) == [NO_TLS, UNEXPECTED],
              f"{port} ({end}): the change's event rules alert once each: "
              f"{[a['alert']['signature_id'] for a in ev]}")
        check(all(a.get("pkt_src") == "stream (flow timeout)" and "pcap_cnt" not in a and
                  a.get("direction") == "to_server" and a.get("app_proto") == "failed" and
                  a.get("app_proto_orig") == "smtp" and
                  a.get("app_proto_expected") == "tls" for a in ev),
              f"{port} ({end}): the alerts are the pseudo packet's: "
              f"{[(a.get('pkt_src'), a.get('app_proto'), a.get('direction')) for a in ev]}")
        reason = flows.get(port, {}).get("flow", {}).get("reason")
        check(reason == ("shutdown" if end == "shutdown" else "timeout"),
              f"{port} ({end}): the flow ended by {reason}")

    got = collections.Counter(a["alert"]["signature_id"] for port in (REFUSED, HTTP)
                              for a in alerts[port])
    check(got[1] == 1 and got[2] == 1 and set(got) == {1, 2, 3},
          f"the last bytes and the last transaction alert once each: by sid {dict(got)}")
    late = [a for port in (REFUSED, HTTP) for a in alerts[port]
            if a["alert"]["signature_id"] in (1, 2)]
    check(all(a.get("pkt_src") == "stream (flow timeout)" for a in late),
          "the last bytes and transaction are inspected at the flow's end: "
          f"{[(a['alert']['signature_id'], a.get('pkt_src')) for a in late]}")
    every = [a for port in alerts for a in alerts[port] if a["alert"]["signature_id"] == 3]
    check(every and all(a.get("pkt_src") == "wire/pcap" for a in every) and
          len({(a["src_port"], a["pcap_cnt"]) for a in every}) == len(every),
          "a rule with no payload and no event alerts on wire packets only, once each")


if __name__ == "__main__":
    main()
