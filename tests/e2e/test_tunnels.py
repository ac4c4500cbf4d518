#!/usr/bin/env python3
"""End-to-end test of the encapsulations: idsd reads each crafted capture of
tests/data/tunnels (one TCP connection with an HTTP GET of /tunnel-marker
inside one encapsulation, written by make_tunnels.py with scapy) and must
alert on the inner traffic exactly as on the same connection bare
(plain.pcap): same rules, inner addresses, one flow for both alerts; EVE
records the tunnel as Suricata 7 does ("tunnel" object of the wire packet,
pkt_src, packet_info link type RAW), the carrier's payload is not inspected
on its own, the decoder.<encapsulation> counter counts. decoder.vxlan.ports
and .enabled change what is decoded. malformed.pcap must give one decoder
event per broken frame, counted in stats and matched by decode-event rules;
the real ERSPAN/Geneve captures from tcpdump's tests must decode too.

usage: test_tunnels.py IDSD SRC_ROOT OUT_DIR"""
import os
import shutil
import sys

from e2e_check import Checks, eve_conf, run_idsd

RULES = """\
alert http any any -> any any (msg:"inner uri"; flow:established,to_server; http.uri; content:"/tunnel-marker"; sid:1;)
alert tcp any any -> any 80 (msg:"inner payload"; flow:established,to_server; content:"tunnel-marker"; sid:2;)
alert udp any any -> any any (msg:"carrier payload"; content:"tunnel-marker"; sid:3;)
alert tcp any 80 -> any any (msg:"inner response"; content:"200 OK"; sid:4;)
"""

CONFIG = eve_conf("""
- alert:
    packet: yes
- stats:
    totals: yes
""")
# capture -> (tunnel proto or None (in place), depth, pkt_src, counter, inner v6)
CASES = {
    "gre-v0-key-seq": ("GRE", 1, "gre tunnel", "gre", False),
    "gre-v0-csum-route": ("GRE", 1, "gre tunnel", "gre", False),
    "gre-pptp": ("GRE", 1, "gre tunnel", "gre", False),
    "gre-eth": ("GRE", 1, "gre tunnel", "gre", False),
    "gre-vlan": ("GRE", 1, "gre tunnel", "gre", False),
    "erspan-i": ("GRE", 1, "gre tunnel", "erspan", False),
    "erspan-ii": ("GRE", 1, "gre tunnel", "erspan", False),
    "erspan-iii": ("GRE", 1, "gre tunnel", "erspan", False),
    "ipip-4in4": ("IP-in-IP", 1, "ipv4 tunnel", "ipv4_in_ipv4", False),
    "ipip-6in4": ("IPv6", 1, "ipv4 tunnel", "ipv6_in_ipv4", True),
    "ipip-4in6": ("IP-in-IP", 1, "ipv6 tunnel", "ipv4_in_ipv6", False),
    "ipip-6in6": ("IPv6", 1, "ipv6 tunnel", "ipv6_in_ipv6", True),
    "vxlan": ("UDP", 1, "vxlan encapsulation", "vxlan", False),
    "geneve": ("UDP", 1, "geneve encapsulation", "geneve", False),
    "teredo": ("UDP", 1, "teredo tunnel", "teredo", True),
    "nested-gre-vxlan": ("GRE", 2, "vxlan encapsulation", "vxlan", False),
    "mpls": (None, 0, "wire/pcap", "mpls", False),
    "mpls-ipv4-label": (None, 0, "wire/pcap", "mpls", False),
    "mpls-pw": (None, 0, "wire/pcap", "mpls", False),
    "pppoe": (None, 0, "wire/pcap", "pppoe", False),
    "vntag": (None, 0, "wire/pcap", "vntag", False),
    "etag": (None, 0, "wire/pcap", "etag", False),
    "nsh": (None, 0, "wire/pcap", "nsh", False),
}

# malformed.pcap, frame by frame (make_tunnels.py MALFORMED): the event each
# frame must raise; None: an inner packet Suricata discards, counted only
EVENTS = [
    "gre.pkt_too_small", "gre.wrong_version", "gre.version0_recur", "gre.version0_flags",
    "gre.version0_hdr_too_big", "gre.version0_malformed_sre_hdr", "gre.version1_chksum",
    "gre.version1_no_key", "gre.version1_wrong_protocol", "gre.version1_hdr_too_big",
    "erspan.header_too_small", "erspan.unsupported_version", "vxlan.unknown_payload_type",
    "geneve.unknown_payload_type", "ipv6.ipv4_in_ipv6_too_small",
    "ipv6.ipv6_in_ipv6_wrong_version", "mpls.header_too_small", "mpls.pkt_too_small",
    "mpls.bad_label_router_alert", "mpls.unknown_payload_type", "pppoe.pkt_too_small",
    "pppoe.wrong_code", "pppoe.malformed_tags", "vntag.header_too_small", "vntag.unknown_type",
    "etag.header_too_small", "nsh.header_too_small", "nsh.unsupported_version",
    "nsh.bad_header_length", "too_many_layers", None,
]
INNER_DISCARDED = "ipv4.pkt_too_small"

# real captures (tests/data/tunnels/real, from zeek's and tcpdump's test
# suites): name -> (decoder counter, its value, extra rule, (sid, count,
# inner src_ip, tunnel depth) the extra rule must give)
ANY = 'alert ip any any -> any any (msg:"any"; sid:1;)\n'
REAL = {
    "tcpdump-erspan-type-ii-2.pcap": ("erspan", 16, "", None),
    "tcpdump-geneve.pcap": ("geneve", 39, "", None),
    "zeek-4in6.pcap": ("ipv4_in_ipv6", 1, "", None),
    "zeek-6in4.pcap": ("ipv6_in_ipv4", 1, "", None),
    # of its four Teredo frames, two carry an authentication indicator and one
    # a hop limit of 0: Suricata's heuristic takes them for plain UDP
    "zeek-Teredo.pcap": ("teredo", 1, "", None),
    "zeek-gre-erspan3-dot1q.pcap": ("erspan", 2, "", None),
    "zeek-gre-sample.pcap": ("gre", 40, "", None),
    # DNS in PPTP (GRE v1, PPP) in IPv4 in IPv6: two tunnels deep
    "zeek-gre-pptp.pcap": ("gre", 2, 'alert dns any any -> any any (msg:"pptp dns"; '
                           'dns.query; content:"xqt-detect-mode2"; sid:6;)\n',
                           (6, 1, "172.16.44.3", 2)),
    "zeek-vxlan-encapsulated-http.pcap": ("vxlan", 12, 'alert http any any -> any any '
                                          '(msg:"vxlan http"; http.uri; content:"/image/svg"; '
                                          'sid:5;)\n', (5, 1, "172.16.11.201", 1)),
}

check = Checks()


def alerts_stats(idsd, out, pcap, rules, extra=()):
    """idsd on pcap with the rules text, in a fresh OUT: its alert records
    and its last stats."""
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    rf = os.path.join(out, "t.rules")
    with open(rf, "w", encoding="utf-8") as f:
        f.write(rules)
    recs = run_idsd(idsd, out, pcap, [rf], CONFIG, ["--strict-rules", *extra])
    stats = [r["stats"] for r in recs if r.get("event_type") == "stats"]
    return [r for r in recs if r.get("event_type") == "alert"], (stats[-1] if stats else {})


def sids(alerts):
    out = {}
    for a in alerts:
        s = a["alert"]["signature_id"]
        out[s] = out.get(s, 0) + 1
    return out


def check_capture(idsd, data, out, name, want, plain_sids):
    proto, depth, src, counter, v6 = CASES[name]
    alerts, stats = alerts_stats(idsd, os.path.join(out, name), os.path.join(data, name + ".pcap"),
                                 RULES)
    got = sids(alerts)
    check(got == plain_sids[v6], f"{name}: alerts {got}, bare connection {plain_sids[v6]}")
    check(3 not in got, f"{name}: the carrier's payload was inspected (sid 3)")
    client = "2001:0db8:0000:0000:0000:0000:0000:0001" if v6 else "10.1.1.1"
    flows = set()
    for a in alerts:
        sid = a["alert"]["signature_id"]
        if sid in (1, 2):
            check(a.get("src_ip") == client and a.get("dest_port") == 80,
                  f"{name}: sid {sid} not on the inner tuple: {a.get('src_ip')}")
            flows.add(a.get("flow_id"))
        if a.get("pkt_src") == "stream (flow timeout)":
            # the stream inspected at flow end: no packet, no tunnel (as Suricata)
            check(sid != 1 and "tunnel" not in a, f"{name}: flow-end alert {a}")
            continue
        check(a.get("pkt_src") == src, f"{name}: pkt_src {a.get('pkt_src')}, want {src}")
        info = a.get("packet_info", {})
        tun = a.get("tunnel")
        if proto is None:
            check(tun is None, f"{name}: in-place encapsulation logged a tunnel: {tun}")
            check(info.get("linktype") == 1, f"{name}: packet_info {info}")
            check("pcap_cnt" in a, f"{name}: wire packet without pcap_cnt")
            continue
        check(info == {"linktype": 12, "linktype_name": "RAW"}, f"{name}: packet_info {info}")
        check("pcap_cnt" not in a, f"{name}: tunnel packet has a pcap_cnt of its own")
        if not check(tun is not None, f"{name}: sid {sid}: no tunnel object"):
            continue
        check(tun.get("proto") == proto and tun.get("depth") == depth and
              tun.get("pkt_src") == "wire/pcap" and tun.get("pcap_cnt", 0) > 0 and
              "src_ip" in tun and "dest_ip" in tun and "src_port" in tun,
              f"{name}: tunnel {tun}, want proto {proto} depth {depth}")
        outer = ("2001:0db8:ffff:0000:0000:0000:0000:0001", "2001:0db8:ffff:0000:0000:0000:0000:0002") \
            if name.startswith("ipip-4in6") or name.startswith("ipip-6in6") \
            else ("192.0.2.1", "198.51.100.1")
        check({tun.get("src_ip"), tun.get("dest_ip")} == set(outer),
              f"{name}: tunnel addresses {tun.get('src_ip')} {tun.get('dest_ip')}")
    check(len(flows) == 1, f"{name}: sids 1 and 2 on {len(flows)} flows")
    dec = stats.get("decoder", {})
    check(dec.get(counter, 0) > 0, f"{name}: decoder.{counter} is {dec.get(counter)}")
    check(dec.get("invalid", 0) == 0, f"{name}: decoder.invalid {dec.get('invalid')}")


def check_vxlan_config(idsd, data, out):
    v = os.path.join(data, "vxlan-8472.pcap")
    alerts, _ = alerts_stats(idsd, os.path.join(out, "vxlan-8472-default"), v, RULES)
    got = sids(alerts)
    check(1 not in got and got.get(3, 0) > 0,
          f"vxlan on 8472 without decoder.vxlan.ports: alerts {got} (want plain UDP)")
    alerts, stats = alerts_stats(idsd, os.path.join(out, "vxlan-8472-set"), v, RULES,
                                 ["--set", "decoder.vxlan.ports=[4789, 8472]"])
    got = sids(alerts)
    check(got.get(1) == 1 and 3 not in got, f"vxlan on 8472 with its port set: alerts {got}")
    alerts, _ = alerts_stats(idsd, os.path.join(out, "vxlan-off"), os.path.join(data, "vxlan.pcap"),
                             RULES, ["--set", "decoder.vxlan.enabled=no"])
    got = sids(alerts)
    check(1 not in got and got.get(3, 0) > 0, f"decoder.vxlan.enabled=no: alerts {got}")
    alerts, _ = alerts_stats(idsd, os.path.join(out, "max-layers"),
                             os.path.join(data, "nested-gre-vxlan.pcap"), RULES,
                             ["--set", "decoder.max-layers=1"])
    check(1 not in sids(alerts), f"decoder.max-layers=1 still reached depth 2: {sids(alerts)}")


def check_ips(idsd, data, out):
    """A drop on the inner packet drops the frame that carries it."""
    rules = RULES.replace("alert http", "drop http", 1)
    alerts, stats = alerts_stats(idsd, os.path.join(out, "ips"), os.path.join(data, "vxlan.pcap"),
                                 rules, ["--simulate-ips"])
    hits = [a for a in alerts if a["alert"]["signature_id"] == 1]
    check(len(hits) == 1 and hits[0]["alert"]["action"] == "blocked" and "tunnel" in hits[0],
          f"ips: inner drop {hits}")
    ips = stats.get("ips", {})
    check(ips.get("blocked", 0) >= 1, f"ips: ips.blocked {ips.get('blocked')}")


def check_malformed(idsd, data, out):
    rules = "".join(
        f'alert pkthdr any any -> any any (msg:"{e}"; decode-event:{e}; sid:{100 + i};)\n'
        for i, e in enumerate(EVENTS) if e is not None)
    rules += (f'alert pkthdr any any -> any any (msg:"inner"; decode-event:{INNER_DISCARDED}; '
              'sid:999;)\n')
    alerts, stats = alerts_stats(idsd, os.path.join(out, "malformed"),
                                 os.path.join(data, "malformed.pcap"), rules)
    got = sids(alerts)
    ev = stats.get("decoder", {}).get("event", {})
    for i, e in enumerate(EVENTS):
        if e is None:
            continue
        # Suricata 7 counts its one generic event, too_many_layers, as
        # decoder.too_many_layers, the rest as decoder.event.<layer>.<name>
        layer, _, name = e.partition(".")
        n = ev.get(layer, {}).get(name) if name else stats.get("decoder", {}).get(layer)
        where = "decoder.event." + e if name else "decoder." + e
        check(n == 1, f"malformed: {where} = {n}, want 1")
        check(got.get(100 + i) == 1, f"malformed: decode-event:{e} fired {got.get(100 + i)}")
    check(ev.get("ipv4", {}).get("pkt_too_small") == 1,
          f"malformed: inner ipv4.pkt_too_small counted {ev.get('ipv4')}")
    check(999 not in got, "malformed: the discarded inner packet was inspected")
    check(stats.get("decoder", {}).get("invalid") == len(EVENTS),
          f"malformed: decoder.invalid {stats.get('decoder', {}).get('invalid')}")


def check_real(idsd, data, out):
    for name, (counter, n, rule, want) in REAL.items():
        alerts, stats = alerts_stats(idsd, os.path.join(out, name),
                                     os.path.join(data, "real", name), ANY + rule)
        dec = stats.get("decoder", {})
        check(dec.get(counter) == n, f"{name}: decoder.{counter} {dec.get(counter)}, want {n}")
        check(dec.get("invalid") == 0, f"{name}: decoder.invalid {dec.get('invalid')}")
        check(any("tunnel" in a for a in alerts), f"{name}: no alert on a tunnelled packet")
        if want is None:
            continue
        sid, count, src, depth = want
        hits = [a for a in alerts if a["alert"]["signature_id"] == sid]
        check(len(hits) == count, f"{name}: sid {sid} fired {len(hits)} times, want {count}")
        for a in hits:
            check(a.get("src_ip") == src and a.get("tunnel", {}).get("depth") == depth,
                  f"{name}: sid {sid} from {a.get('src_ip')} depth "
                  f"{a.get('tunnel', {}).get('depth')}, want {src} depth {depth}")


def main():
    idsd, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
    data = os.path.join(src, "tests", "data", "tunnels")
    shutil.rmtree(out, ignore_errors=True)
    plain = {}
    for v6, name in ((False, "plain"), (True, "plain6")):
        alerts, _ = alerts_stats(idsd, os.path.join(out, name), os.path.join(data, name + ".pcap"),
                                 RULES)
        plain[v6] = sids(alerts)
        check(plain[v6] == {1: 1, 2: 1, 4: 1}, f"{name}: alerts {plain[v6]}")
    for name in CASES:
        check_capture(idsd, data, out, name, CASES[name], plain)
    # a PPPoE discovery frame: valid, counted, no network layer
    _, stats = alerts_stats(idsd, os.path.join(out, "pppoe-discovery"),
                            os.path.join(data, "pppoe-discovery.pcap"), RULES)
    dec = stats.get("decoder", {})
    check(dec.get("pppoe") == 1 and dec.get("invalid") == 0 and dec.get("other_l3") == 1,
          f"pppoe discovery: decoder {dec}")
    check_vxlan_config(idsd, data, out)
    check_ips(idsd, data, out)
    check_malformed(idsd, data, out)
    check_real(idsd, data, out)
    return check.done("tunnels")


if __name__ == "__main__":
    sys.exit(main())
