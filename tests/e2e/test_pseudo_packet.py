#!/usr/bin/env python3
"""Alerts on a flow-end pseudo packet, as Suricata 7 writes them:
usage: test_pseudo_packet.py IDSD OUT_DIR.

A client's request that the server never acknowledges is inspected only at
the flow's end (the end of the capture, 100 s after it). Suricata stamps
the pseudo packet with the engine's time when the end is handled
(TimeGet(): here the capture's last packet, not the flow's), and with
packet: yes logs the IPv4 and TCP headers it makes up for it
(flow-timeout.c): TTL 64, no DF, an ACK with the client's next sequence
number and the ack the client last gave, window 10, valid checksums; the
link type is the capture's."""
import base64
import datetime
import os
import shutil
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_check import check, eve_conf, run_capture  # noqa: E402
from pcapgen import Tcp, udp_frame  # noqa: E402

CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
DATA = b"GET /secret-tail HTTP/1.1\r\n"
RULES = ['alert tcp any any -> any 80 (msg:"tail"; content:"secret-tail"; sid:1;)']


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    t = Tcp(frames, CLI, SRV, 40000, 80)
    t.seg(0, 0x18, DATA)            # never acknowledged
    t.seq[0] += len(DATA)
    frames.append(udp_frame(bytes([10, 0, 0, 3]), bytes([10, 0, 0, 4]), 5000, 6000, b"later"))
    secs = [0] * (len(frames) - 1) + [100]
    eve = run_capture(idsd, out, "tail", frames, RULES,
                      eve_conf("- alert:\n    packet: yes\n    payload: yes"), secs=secs)
    alerts = [e for e in eve if e.get("event_type") == "alert"]
    check(len(alerts) == 1 and alerts[0]["pkt_src"] == "stream (flow timeout)",
          f"one alert, on the flow's end: {[(a['alert']['signature_id'], a.get('pkt_src')) for a in alerts]}")
    a = alerts[0]
    last = datetime.datetime.fromtimestamp(1700000000 + 100, datetime.timezone.utc)
    check(a["timestamp"].startswith(last.strftime("%Y-%m-%dT%H:%M:%S.")),
          f"stamped with the capture's last packet time {last}: {a['timestamp']}")
    check("pcap_cnt" not in a, "no pcap_cnt")
    check(a.get("packet_info", {}).get("linktype") == 1, f"the capture's link type: {a.get('packet_info')}")
    raw = base64.b64decode(a.get("packet", ""))
    check(len(raw) == 40, f"40 bytes of IPv4 and TCP headers: {raw.hex()}")
    ip, tcp = raw[:20], raw[20:40]
    ver_ihl, _, tot, ipid, off, ttl, proto, _, src, dst = struct.unpack("!BBHHHBBH4s4s", ip)
    check((ver_ihl, tot, ipid, off, ttl, proto, src, dst) == (0x45, 40, 0, 0, 64, 6, CLI, SRV),
          f"IPv4 header as Suricata's: {ip.hex()}")
    check(csum(ip) == 0xffff, "IPv4 checksum valid")
    sp, dp, seq, ack, offx, flags, win, _, urp = struct.unpack("!HHIIBBHHH", tcp)
    check((sp, dp, offx, flags, win, urp) == (40000, 80, 0x50, 0x10, 10, 0),
          f"TCP header as Suricata's: {tcp.hex()}")
    check((seq, ack) == (1001 + len(DATA), 5001),
          f"seq the client's next, ack its last: {seq} {ack}")
    check(csum(src + dst + struct.pack("!BBH", 0, 6, 20) + tcp) == 0xffff, "TCP checksum valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
