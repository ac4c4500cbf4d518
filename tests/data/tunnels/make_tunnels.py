#!/usr/bin/python3
"""Writes the crafted tunnel captures of this folder with scapy (Debian's
python3-scapy; run with the system python: /usr/bin/python3 make_tunnels.py).

Each <name>.pcap carries the same inner TCP connection (10.1.1.1:40000 ->
10.2.2.2:80, or 2001:db8::1 -> 2001:db8::2 for the IPv6 ones): handshake, an
HTTP GET of /tunnel-marker, its response, in one encapsulation; plain.pcap
and plain6.pcap hold it bare. malformed.pcap holds one broken frame per
decoder event of the encapsulations (see MALFORMED for the order).
Deterministic: fixed timestamps, no random fields."""
import os
import sys

from scapy.all import (IP, TCP, UDP, Ether, Dot1Q, IPv6, Raw, PPP, PPPoE, PPPoED, GRE,
                       GRE_PPTP, wrpcap)
from scapy.contrib.erspan import ERSPAN_II, ERSPAN_III
from scapy.contrib.geneve import GENEVE
from scapy.contrib.mpls import MPLS
from scapy.contrib.nsh import NSH
from scapy.layers.vxlan import VXLAN

OUT = os.path.dirname(os.path.abspath(__file__))
MAC_C, MAC_S = "02:00:00:00:00:01", "02:00:00:00:00:02"
REQ = b"GET /tunnel-marker HTTP/1.1\r\nHost: inner.example\r\nUser-Agent: t\r\n\r\n"
RESP = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


def inner_packets(v6=False):
    """The inner connection, client first: (to_server, packet)."""
    if v6:
        c, s = IPv6(src="2001:db8::1", dst="2001:db8::2"), IPv6(src="2001:db8::2",
                                                                 dst="2001:db8::1")
    else:
        c, s = IP(src="10.1.1.1", dst="10.2.2.2", id=1), IP(src="10.2.2.2", dst="10.1.1.1", id=2)
    cs, ss = 1000, 5000
    return [
        (True, c / TCP(sport=40000, dport=80, flags="S", seq=cs)),
        (False, s / TCP(sport=80, dport=40000, flags="SA", seq=ss, ack=cs + 1)),
        (True, c / TCP(sport=40000, dport=80, flags="A", seq=cs + 1, ack=ss + 1)),
        (True, c / TCP(sport=40000, dport=80, flags="PA", seq=cs + 1, ack=ss + 1) / Raw(REQ)),
        (False, s / TCP(sport=80, dport=40000, flags="PA", seq=ss + 1, ack=cs + 1 + len(REQ))
         / Raw(RESP)),
        (True, c / TCP(sport=40000, dport=80, flags="A", seq=cs + 1 + len(REQ),
                       ack=ss + 1 + len(RESP))),
    ]


def eth(to_server):
    return Ether(src=MAC_C, dst=MAC_S) if to_server else Ether(src=MAC_S, dst=MAC_C)


def ip4(to_server, **kw):
    a, b = "192.0.2.1", "198.51.100.1"
    return IP(src=a, dst=b, **kw) if to_server else IP(src=b, dst=a, **kw)


def ip6(to_server, **kw):
    a, b = "2001:db8:ffff::1", "2001:db8:ffff::2"
    return IPv6(src=a, dst=b, **kw) if to_server else IPv6(src=b, dst=a, **kw)


def inner_eth(to_server, pkt):
    return eth(to_server) / pkt


# name -> function(to_server, inner packet) -> frame
WRAPS = {
    "gre-v0-key-seq": lambda d, p: eth(d) / ip4(d) / GRE(key_present=1, key=0x1234,
                                                         seqnum_present=1, seqence_number=7,
                                                         proto=0x0800) / p,
    "gre-v0-csum-route": lambda d, p: eth(d) / ip4(d) / GRE(chksum_present=1,
                                                            routing_present=1, proto=0x0800)
    / Raw(b"\x00\x02\x00\x04\x0a\x00\x00\x01" + b"\x00\x00\x00\x00") / p,
    "gre-pptp": lambda d, p: eth(d) / ip4(d) / GRE_PPTP(seqnum_present=1, acknum_present=1,
                                                       payload_len=len(p) + 4, call_id=9,
                                                       seqence_number=3, ack_number=2)
    / PPP(proto=0x0021) / p,
    "gre-eth": lambda d, p: eth(d) / ip4(d) / GRE(proto=0x6558) / inner_eth(d, p),
    "gre-vlan": lambda d, p: eth(d) / ip4(d) / GRE(proto=0x8100) / Dot1Q(vlan=7, type=0x0800) / p,
    "erspan-i": lambda d, p: eth(d) / ip4(d) / GRE(proto=0x88be) / inner_eth(d, p),
    "erspan-ii": lambda d, p: eth(d) / ip4(d) / GRE(seqnum_present=1, proto=0x88be)
    / ERSPAN_II(ver=1, vlan=100, session_id=5) / inner_eth(d, p),
    "erspan-iii": lambda d, p: eth(d) / ip4(d) / GRE(seqnum_present=1, proto=0x22eb)
    / ERSPAN_III(vlan=100, session_id=5) / inner_eth(d, p),
    "ipip-4in4": lambda d, p: eth(d) / ip4(d, proto=4) / p,
    "ipip-6in4": lambda d, p: eth(d) / ip4(d, proto=41) / p,
    "ipip-4in6": lambda d, p: eth(d) / ip6(d, nh=4) / p,
    "ipip-6in6": lambda d, p: eth(d) / ip6(d, nh=41) / p,
    # the tunnel's UDP source port differs by direction, as VTEPs pick them
    "vxlan": lambda d, p: eth(d) / ip4(d) / UDP(sport=50000 if d else 50001, dport=4789)
    / VXLAN(vni=42) / inner_eth(d, p),
    "vxlan-8472": lambda d, p: eth(d) / ip4(d) / UDP(sport=50000, dport=8472)
    / VXLAN(vni=42) / inner_eth(d, p),
    "geneve": lambda d, p: eth(d) / ip4(d) / UDP(sport=50000, dport=6081)
    / GENEVE(vni=42, proto=0x6558, optionlen=2, options=b"\x01\x02\x03\x01\xaa\xbb\xcc\xdd")
    / inner_eth(d, p),
    "teredo": lambda d, p: eth(d) / ip4(d) / UDP(sport=3544 if d else 60000,
                                                  dport=60000 if d else 3544) / p,
    "mpls": lambda d, p: eth(d) / MPLS(label=100, s=0) / MPLS(label=200, s=1) / p,
    "mpls-ipv4-label": lambda d, p: eth(d) / MPLS(label=0, s=1) / p,
    "mpls-pw": lambda d, p: eth(d) / MPLS(label=300, s=1) / Raw(b"\x00\x00\x00\x00")
    / inner_eth(d, p),
    "pppoe": lambda d, p: eth(d) / PPPoE(sessionid=17) / PPP(proto=0x0021) / p,
    "vntag": lambda d, p: Ether(src=eth(d).src, dst=eth(d).dst, type=0x8926)
    / Raw(b"\x80\x01\x00\x02\x08\x00") / p,
    "etag": lambda d, p: Ether(src=eth(d).src, dst=eth(d).dst, type=0x893f)
    / Raw(b"\x00\x00\x00\x12\x00\x00\x08\x00") / p,
    "nsh": lambda d, p: eth(d) / NSH(mdtype=2, nextproto=1, length=2, spi=1, si=255) / p,
    # two tunnels: VXLAN inside GRE
    "nested-gre-vxlan": lambda d, p: eth(d) / ip4(d) / GRE(proto=0x0800)
    / IP(src="172.16.0.1" if d else "172.16.0.2", dst="172.16.0.2" if d else "172.16.0.1")
    / UDP(sport=50000, dport=4789) / VXLAN(vni=1) / inner_eth(d, p),
}
V6 = {"ipip-6in4", "ipip-6in6", "teredo"}


def write(name, frames):
    pkts = []
    for i, f in enumerate(frames):
        f.time = 1700000000 + i / 1000
        pkts.append(f)
    wrpcap(os.path.join(OUT, name + ".pcap"), pkts)


def fix(pkt):
    """Freeze lengths and checksums as scapy computes them."""
    return pkt.__class__(bytes(pkt))


def main():
    for v6, name in ((False, "plain"), (True, "plain6")):
        write(name, [fix(eth(d) / p) for d, p in inner_packets(v6)])
    for name, wrap in WRAPS.items():
        write(name, [fix(wrap(d, p)) for d, p in inner_packets(name in V6)])
    write("malformed", [fix(f) if isinstance(f, Ether) else f for f in MALFORMED()])
    # PPPoE discovery: a PADI, valid, no network layer
    write("pppoe-discovery", [fix(Ether(src=MAC_C, dst="ff:ff:ff:ff:ff:ff")
                                  / PPPoED(code=0x09, len=4) / Raw(b"\x01\x01\x00\x00"))])
    return 0


def g(gre_bytes):
    """An outer IPv4 packet carrying raw GRE bytes."""
    return Ether(src=MAC_C, dst=MAC_S) / IP(src="192.0.2.1", dst="198.51.100.1", proto=47) \
        / Raw(gre_bytes)


def e(ethertype, payload):
    return Ether(src=MAC_C, dst=MAC_S, type=ethertype) / Raw(payload)


INNER = bytes(IP(src="10.1.1.1", dst="10.2.2.2") / TCP(sport=1, dport=2))


def MALFORMED():
    """One frame per event, in the order of test_tunnels.py's EVENTS."""
    udp = lambda dport, b: (Ether(src=MAC_C, dst=MAC_S) / IP(src="192.0.2.1", dst="198.51.100.1")
                            / UDP(sport=1234, dport=dport) / Raw(b))
    return [
        g(b"\x00\x00\x08"),                                     # gre.pkt_too_small
        g(b"\x00\x02\x08\x00" + INNER),                         # gre.wrong_version
        g(b"\x01\x00\x08\x00" + INNER),                         # gre.version0_recur
        g(b"\x00\x08\x08\x00" + INNER),                         # gre.version0_flags
        g(b"\x30\x00\x08\x00\x00\x00"),                         # gre.version0_hdr_too_big
        g(b"\x40\x00\x08\x00\x00\x00\x00\x00\x00\x02\x00\x09"),  # gre.version0_malformed_sre_hdr
        g(b"\x80\x01\x88\x0b" + INNER),                         # gre.version1_chksum
        g(b"\x00\x01\x88\x0b" + INNER),                         # gre.version1_no_key
        g(b"\x20\x01\x08\x00\x00\x10\x00\x01" + INNER),          # gre.version1_wrong_protocol
        g(b"\x30\x01\x88\x0b\x00\x10\x00\x01"),                 # gre.version1_hdr_too_big
        g(b"\x10\x00\x88\xbe\x00\x00\x00\x01" + b"\x10\x00"),   # erspan.header_too_small
        g(b"\x10\x00\x88\xbe\x00\x00\x00\x01" + b"\x50\x00\x00\x00\x00\x00\x00\x00"
          + bytes(Ether() / INNER)),                            # erspan.unsupported_version
        udp(4789, bytes(VXLAN(vni=1)) + b"\x00" * 12 + b"\x12\x34" + INNER),
                                                                # vxlan.unknown_payload_type
        udp(6081, bytes(GENEVE(proto=0x1234)) + INNER),         # geneve.unknown_payload_type
        Ether(src=MAC_C, dst=MAC_S) / IPv6(src="2001:db8::1", dst="2001:db8::2", nh=4)
        / Raw(b"\x45\x00\x00"),                                 # ipv6.ipv4_in_ipv6_too_small
        Ether(src=MAC_C, dst=MAC_S) / IPv6(src="2001:db8::1", dst="2001:db8::2", nh=41)
        / Raw(INNER + b"\x00" * 20),                            # ipv6.ipv6_in_ipv6_wrong_version
        e(0x8847, b"\x00\x01"),                                 # mpls.header_too_small
        e(0x8847, b"\x00\x01\x41\x40\x45"),                     # mpls.pkt_too_small
        e(0x8847, b"\x00\x00\x11\x40" + INNER),                 # mpls.bad_label_router_alert
        e(0x8847, b"\x00\x06\x41\x40\x15" + INNER[1:]),        # mpls.unknown_payload_type
        e(0x8864, b"\x11\x00\x00\x01"),                         # pppoe.pkt_too_small
        e(0x8863, b"\x11\xbb\x00\x00\x00\x00"),                 # pppoe.wrong_code
        e(0x8863, b"\x11\x09\x00\x00\x00\x20\x01\x01"),         # pppoe.malformed_tags
        e(0x8926, b"\x80\x01"),                                 # vntag.header_too_small
        e(0x8926, b"\x80\x01\x00\x02\x12\x34" + INNER),         # vntag.unknown_type
        e(0x893f, b"\x00\x00\x00"),                             # etag.header_too_small
        e(0x894f, b"\x00\x02"),                                 # nsh.header_too_small
        e(0x894f, b"\xc0\x02\x02\x01\x00\x00\x01\xff" + INNER),  # nsh.unsupported_version
        e(0x894f, b"\x00\x3f\x02\x01\x00\x00\x01\xff" + INNER),  # nsh.bad_header_length
        # twenty VN-Tags in a row: past decoder.max-layers (16)
        e(0x8926, b"\x80\x01\x00\x02\x89\x26" * 20 + b"\x80\x01\x00\x02\x08\x00" + INNER),
                                                                # too_many_layers
        # GRE carrying a truncated IPv4 header: counted, not inspected
        g(b"\x00\x00\x08\x00" + INNER[:12]),                    # ipv4.pkt_too_small (inner)
    ]


if __name__ == "__main__":
    sys.exit(main())
