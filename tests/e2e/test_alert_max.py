#!/usr/bin/env python3
"""The packet's alert queue, as Suricata 7's (packet-alert-max):
usage: test_alert_max.py IDSD OUT_DIR.

A packet keeps at most packet-alert-max alerts (default 15): those of the
highest-priority rules (Suricata's internal order: action, then priority,
then sid), written to EVE in that order whatever order they matched in;
the others count in detect.alert_queue_overflow. An HTTP request makes a
packet rule match before the app-layer rules of the same packet: with a
queue of two, the app-layer ones of higher priority take its place. A value
outside 1 to 255 is warned about (file:line) and the default used, as
Suricata does; a value that is no integer is an error."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_check import check, eve_conf, run_capture  # noqa: E402
from pcapgen import Tcp, udp_frame  # noqa: E402

CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
# sid -> priority: Suricata's order is 2, 5 (priority 1), 3, then 1, 4
UDP_RULES = [f'alert udp any any -> any any (msg:"u{sid}"; content:"ping"; priority:{prio}; '
             f'sid:{sid};)' for sid, prio in ((1, 3), (2, 1), (3, 2), (4, 3), (5, 1))]
HTTP_RULES = [
    'alert tcp any any -> any 80 (msg:"client packet"; flow:established,to_server; '
    'priority:3; sid:10;)',
    'alert http any any -> any any (msg:"uri"; http.uri; content:"/admin"; priority:1; '
    'sid:11;)',
    'alert http any any -> any any (msg:"host"; http.host; content:"a.example"; priority:2; '
    'sid:12;)',
]


def alerts_by_packet(eve):
    """pcap_cnt -> the alert sids of that packet, in EVE order."""
    got = {}
    for e in eve:
        if e.get("event_type") == "alert":
            got.setdefault(e.get("pcap_cnt"), []).append(e["alert"]["signature_id"])
    return got


def overflow(eve):
    stats = [e["stats"] for e in eve if e.get("event_type") == "stats"]
    return stats[-1]["detect"]["alert_queue_overflow"] if stats else None


def udp_run(idsd, out, name, conf=None, args=()):
    os.makedirs(os.path.join(out, name))
    frames = [udp_frame(CLI, SRV, 4000, 5000, b"ping")]
    return run_capture(idsd, os.path.join(out, name), "ping", frames, UDP_RULES,
                       conf or eve_conf("- alert\n- stats"), args)


def check_udp(idsd, out):
    eve = udp_run(idsd, out, "default")
    check(alerts_by_packet(eve) == {1: [2, 5, 3, 1, 4]},
          f"default queue: all 5, in Suricata's order: {alerts_by_packet(eve)}")
    check(overflow(eve) == 0, f"no overflow: {overflow(eve)}")
    eve = udp_run(idsd, out, "set2", args=["--set", "packet-alert-max=2"])
    check(alerts_by_packet(eve) == {1: [2, 5]}, f"queue of 2: {alerts_by_packet(eve)}")
    check(overflow(eve) == 3, f"3 overflow: {overflow(eve)}")
    eve = udp_run(idsd, out, "conf3", conf=eve_conf("- alert\n- stats", "packet-alert-max: 3\n"))
    check(alerts_by_packet(eve) == {1: [2, 5, 3]}, f"config's queue of 3: {alerts_by_packet(eve)}")


def check_http(idsd, out):
    """The request's transaction is inspected with a client packet that the
    packet rule also matches (first): with a queue of two the transaction's
    alerts stay, the packet rule's goes there and only there."""
    frames = []
    t = Tcp(frames, CLI, SRV, 40000, 80)
    t.send(0, b"GET /admin HTTP/1.1\r\nHost: a.example\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    t.close()
    os.makedirs(os.path.join(out, "http"))
    eve = run_capture(idsd, os.path.join(out, "http"), "http", frames, HTTP_RULES,
                      eve_conf("- alert\n- stats"), ["--set", "packet-alert-max=2"])
    got = alerts_by_packet(eve)
    app = [k for k, v in got.items() if 11 in v]
    check(len(app) == 1 and got[app[0]] == [11, 12],
          f"the transaction's packet: uri then host, the packet rule's alert gone: {got}")
    others = [v for k, v in got.items() if k not in app]
    check(others and all(v == [10] for v in others),
          f"the other client packets: the packet rule alone: {got}")
    check(overflow(eve) == 1, f"1 overflow: {overflow(eve)}")


def check_config(idsd, out):
    d = os.path.join(out, "zero")
    os.makedirs(d)
    cf = os.path.join(d, "zero.yaml")
    with open(cf, "w", encoding="utf-8") as f:
        f.write("%YAML 1.1\n---\npacket-alert-max: 0\n")
    p = subprocess.run([idsd, "-T", "-c", cf], capture_output=True, text=True, timeout=120)
    msgs = p.stdout + p.stderr
    check(p.returncode == 0 and f"{cf}:3:" in msgs and
          "0 is not within 1 to 255, the default 15 is used" in msgs,
          f"packet-alert-max 0: a warning with its place, the default: rc {p.returncode} {msgs}")
    # the default taken: 20 matches keep 15
    rules = [f'alert udp any any -> any any (content:"ping"; sid:{i};)' for i in range(1, 21)]
    frames = [udp_frame(CLI, SRV, 4000, 5000, b"ping")]
    eve = run_capture(idsd, d, "ping", frames, rules,
                      eve_conf("- alert\n- stats", "packet-alert-max: 300\n"))
    check(alerts_by_packet(eve) == {1: list(range(1, 16))} and overflow(eve) == 5,
          f"packet-alert-max 300: the default 15, 5 overflow: {alerts_by_packet(eve)}")
    p = subprocess.run([idsd, "-T", "--set", "packet-alert-max=many"], capture_output=True,
                       text=True, timeout=120)
    check(p.returncode == 1 and "packet-alert-max" in p.stderr,
          f"packet-alert-max=many: refused, named: rc {p.returncode} {p.stderr[-300:]}")


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    check_udp(idsd, out)
    check_http(idsd, out)
    check_config(idsd, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
