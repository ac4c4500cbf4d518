#!/usr/bin/python3
"""Writes the crafted captures of this folder with scapy (Debian's
python3-scapy; run with the system python: /usr/bin/python3
make_decode_events.py).

events.pcap (Ethernet) and ppp.pcap (LINKTYPE_PPP) hold one frame per
Suricata 7 decoder event of IPv4 options, the IPv6 extension-header chain
(and its upper layer),
the headers quoted by ICMP errors, UDP lengths, VLAN, 802.1ah, Cisco DCE,
ERSPAN and PPP, plus frames that must decode cleanly (802.1ah and DCE
carrying a datagram). FRAMES and PPP_FRAMES list, frame by frame, the
decoder events each must raise; expected.json holds those lists for
test_decode_events.py, which checks them against EVE's anomaly records and
the alerts of Suricata's decoder-events.rules.
Deterministic: fixed timestamps, no random fields."""
import json
import os
import struct

from scapy.all import (IP, UDP, TCP, ICMP, Ether, Dot1Q, IPv6, Raw, IPOption,
                       ICMPv6DestUnreach, ICMPv6EchoRequest, wrpcap)

OUT = os.path.dirname(os.path.abspath(__file__))
MAC_C, MAC_S = "02:00:00:00:00:01", "02:00:00:00:00:02"
A4, B4 = "192.0.2.1", "198.51.100.1"
A6, B6 = "2001:db8::1", "2001:db8::2"
# each frame from a source of its own: a flow of its own, so that rules are
# evaluated on it as on a flow's first packet
_n = [0]


def src(v6=False):
    _n[0] += 1
    return f"2001:db8:1::{_n[0]:x}" if v6 else f"192.0.2.{_n[0]}"


def eth(t=None):
    return Ether(src=MAC_C, dst=MAC_S) if t is None else Ether(src=MAC_C, dst=MAC_S, type=t)


def v4(opts=None, **kw):
    ip = IP(src=src(), dst=B4, id=1, **kw)
    if opts is not None:
        ip.options = [IPOption(opts)]
    return eth() / ip


def udp4(opts=None, payload=b"decode-events"):
    return v4(opts) / UDP(sport=40000, dport=9999) / Raw(payload)


def v6(nh, chain, l4=b""):
    """IPv6 with a raw extension-header chain (nh: the first header)."""
    return eth() / IPv6(src=src(True), dst=B6, nh=nh, hlim=64) / Raw(chain + l4)


# 16 bytes, a multiple of 8: a whole fragment payload after a fragment header
UDP_RAW = struct.pack("!HHHH", 40000, 9999, 16, 0) + b"ev6-data"


def ext(nh, body):
    """A hop-by-hop, destination or routing header: nh, length, body (a
    multiple of 8 bytes in all)."""
    assert (len(body) + 2) % 8 == 0
    return bytes([nh, (len(body) + 2) // 8 - 1]) + body


RA = b"\x05\x02\x00\x00" + b"\x00\x00"          # router alert, two Pad1: other than padding
RA_PADN0 = b"\x05\x02\x00\x00" + b"\x01\x00"    # router alert, a PadN with no data
PAD = b"\x01\x04\x00\x00\x00\x00"               # PadN only
UNKNOWN_OPT = b"\x1e\x04\x00\x00\x00\x00"       # type 0x1e: not known
RH2 = b"\x02\x00" + bytes(4) + bytes(16)       # routing type 2, no segment left
RH0 = b"\x00\x00" + bytes(4) + bytes(16)       # routing type 0


def frag(nh, off, mf, res=0):
    return struct.pack("!BBHI", nh, res, (off << 3) | mf, 7)


def ah(nh, res=0):
    return struct.pack("!BBHII", nh, 1, res, 0x100, 1)


# Ethernet frames: (frame, decoder events it must raise)
FRAMES = [
    (eth(0x0800) / Raw(b"\x45\x00\x00\x14" + bytes(12)), ["ipv4.pkt_too_small"]),
    (udp4(b"\x1e\x04\x00\x00"), ["ipv4.opt_pad_required", "ipv4.opt_invalid"]),
    (udp4(b"\x07\x07\x05" + bytes(4) + b"\x01"), ["ipv4.opt_malformed"]),
    (udp4(b"\x44\x08\x06\x00" + bytes(4)), ["ipv4.opt_malformed"]),    # timestamp pointer
    (udp4(b"\x07\x02\x00\x00"), ["ipv4.opt_pad_required", "ipv4.opt_invalid_len"]),
    (udp4(b"\x01\x01\x01\x83"), ["ipv4.opt_pad_required", "ipv4.opt_eol_required"]),
    (udp4(b"\x94\x04\x00\x00\x94\x04\x00\x00"), ["ipv4.opt_duplicate"]),
    # RA, RR: fine but for their 12 bytes (options padded to 8 bytes, as Suricata wants)
    (udp4(b"\x94\x04\x00\x00\x07\x07\x04" + bytes(4) + b"\x00"), ["ipv4.opt_pad_required"]),
    (v4(proto=58) / Raw(bytes(ICMPv6EchoRequest())), ["ipv4.icmpv6"]),
    (eth(0x86dd) / Raw(b"\x60" + bytes(30)), ["ipv6.pkt_too_small"]),
    (v6(44, frag(44, 0, 1) + frag(17, 0, 1), UDP_RAW), ["ipv6.exthdr_dupl_fh"]),
    (v6(44, frag(17, 0, 0), UDP_RAW), ["ipv6.exthdr_useless_fh"]),
    (v6(44, frag(17, 0, 1, res=1), UDP_RAW), ["ipv6.fh_non_zero_reserved_field"]),
    (v6(43, ext(43, RH2) + ext(17, RH2), UDP_RAW), ["ipv6.exthdr_dupl_rh"]),
    (v6(43, ext(17, RH0), UDP_RAW), ["ipv6.rh_type_0"]),
    (v6(0, ext(0, RA) + ext(17, RA), UDP_RAW), ["ipv6.exthdr_dupl_hh"]),
    (v6(60, ext(60, RA) + ext(60, RA) + ext(17, RA), UDP_RAW), ["ipv6.exthdr_dupl_dh"]),
    (v6(60, ext(60, RA) + ext(17, RA), UDP_RAW), []),   # two destination headers: fine
    (v6(51, ah(51) + ah(17), UDP_RAW), ["ipv6.exthdr_dupl_ah"]),
    (v6(51, ah(17, res=1), UDP_RAW), ["ipv6.exthdr_ah_res_not_null"]),
    (v6(60, ext(17, b"\x1e\x05" + bytes(4)), UDP_RAW), ["ipv6.exthdr_invalid_optlen"]),
    (v6(0, ext(17, UNKNOWN_OPT), UDP_RAW), ["ipv6.hopopts_unknown_opt"]),
    (v6(0, ext(17, PAD), UDP_RAW), ["ipv6.hopopts_only_padding"]),
    (v6(60, ext(17, UNKNOWN_OPT), UDP_RAW), ["ipv6.dstopts_unknown_opt"]),
    (v6(60, ext(17, PAD), UDP_RAW), ["ipv6.dstopts_only_padding"]),
    (v6(59, b"", b"junk"), ["ipv6.data_after_none_header"]),
    (v6(1, bytes(ICMP()), b""), ["ipv6.icmpv4"]),
    # ICMP errors quoting a header that is not the right IP version, or cut
    (v4() / ICMP(type=3, code=1) / Raw(b"\x65" + bytes(27)), ["icmpv4.ipv4_unknown_ver"]),
    (v4() / ICMP(type=11, code=0) / Raw(b"\x45" + bytes(10)), ["icmpv4.ipv4_trunc_pkt"]),
    (v4() / ICMP(type=3, code=1) / Raw(bytes(IP(src=B4, dst=A4) / UDP())), []),
    (eth() / IPv6(src=src(True), dst=B6) / ICMPv6DestUnreach() / Raw(b"\x60" + bytes(10)),
     ["icmpv6.ipv6_trunc_pkt"]),
    (eth() / IPv6(src=src(True), dst=B6) / ICMPv6DestUnreach() / Raw(b"\x45" + bytes(39)),
     ["icmpv6.ipv6_unknown_version"]),
    (eth() / IPv6(src=src(True), dst=B6) / ICMPv6DestUnreach() / IPv6(src=B6, dst=A6)
     / UDP(), []),
    (v4(proto=17) / Raw(b"\x9c\x40\x27"), ["udp.hlen_too_small"]),
    (v4(proto=17) / Raw(struct.pack("!HHHH", 40000, 9999, 100, 0) + b"abcd"),
     ["udp.pkt_too_small"]),
    (v4(proto=17) / Raw(struct.pack("!HHHH", 40000, 9999, 4, 0) + b"abcd"),
     ["udp.len_invalid"]),
    (eth() / Dot1Q(vlan=5, type=0x1234) / Raw(b"not ip"), ["vlan.unknown_type"]),
    (eth(0x88e7) / Raw(bytes(10)), ["ieee8021ah.header_too_small"]),
    (eth(0x8903) / Raw(bytes(10)), ["dce.pkt_too_small"]),
    # 802.1ah (I-TAG, customer MACs) and DCE (2-byte tag, customer Ethernet)
    # carrying a datagram: decoded, inspected
    (eth(0x88e7) / Raw(b"\x00\x00\x01\x00") / Ether(src=MAC_S, dst=MAC_C)
     / IP(src=A4, dst=B4, id=2) / UDP(sport=40001, dport=9999) / Raw(b"pbb-marker"), []),
    (eth(0x8903) / Raw(b"\x00\x3f") / Ether(src=MAC_S, dst=MAC_C)
     / IP(src=A4, dst=B4, id=3) / UDP(sport=40002, dport=9999) / Raw(b"dce-marker"), []),
    # GRE/ERSPAN II naming VLAN 7 from a frame already on two VLANs
    (eth() / Dot1Q(vlan=1) / Dot1Q(vlan=2) / IP(src=A4, dst=B4, id=4, proto=47)
     / Raw(b"\x10\x00\x88\xbe" + b"\x00\x00\x00\x01" + b"\x10\x07\x00\x01" + bytes(4))
     / Ether(src=MAC_S, dst=MAC_C) / IP(src=A4, dst=B4, id=5) / UDP(sport=1, dport=2),
     ["erspan.too_many_vlan_layers"]),
    # events past bit 31 of the packet's set: options not padded to 8 bytes
    # (above), a PadN with no data, an upper layer no decoder knows (253,
    # experimental) directly and after a destination header; eight bytes
    # of NOPs and SCTP are fine
    (v6(0, ext(17, RA_PADN0), UDP_RAW), ["ipv6.zero_len_padn"]),
    (v6(253, b"", b"unknown-upper"), ["ipv6.unknown_next_header"]),
    (v6(60, ext(253, RA), b"unknown-upper"), ["ipv6.unknown_next_header"]),
    (udp4(b"\x01" * 8), []),
    (v6(132, b"", struct.pack("!HHII", 40000, 9999, 1, 0)), []),
]

# LINKTYPE_PPP frames (address and control, protocol field, payload)
IP4 = bytes(IP(src=A4, dst=B4, id=6) / UDP(sport=40003, dport=9999) / Raw(b"ppp-marker"))
PPP_FRAMES = [
    (b"\xff\x03\x00", ["ppp.pkt_too_small"]),
    (b"\xff\x03\x00\x2f" + bytes(10), ["ppp.vju_pkt_too_small"]),
    (b"\xff\x03\x00\x21" + IP4[:10], ["ppp.ip4_pkt_too_small"]),
    (b"\xff\x03\x00\x57" + b"\x60" + bytes(19), ["ppp.ip6_pkt_too_small"]),
    (b"\xff\x03\x12\x34" + bytes(8), ["ppp.wrong_type"]),
    (b"\xff\x03\xc0\x21" + b"\x01\x01\x00\x04", ["ppp.unsup_proto"]),
    (b"\xff\x03\x00\x21" + IP4, []),
]


def write(name, frames, linktype=None):
    pkts = []
    for i, (f, _) in enumerate(frames):
        p = f if not isinstance(f, bytes) else Raw(f)
        p.time = 1700000000 + i / 1000
        pkts.append(p)
    wrpcap(os.path.join(OUT, name), pkts, linktype=linktype)


if __name__ == "__main__":
    write("events.pcap", FRAMES)
    write("ppp.pcap", PPP_FRAMES, linktype=9)
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        for i, (name, frames) in enumerate((("events.pcap", FRAMES), ("ppp.pcap", PPP_FRAMES))):
            rows = ",\n  ".join(json.dumps(e) for _, e in frames)
            f.write(("{" if i == 0 else ",") + f'\n "{name}": [\n  {rows}\n ]')
        f.write("\n}\n")
