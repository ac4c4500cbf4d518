#!/usr/bin/env python3
"""Stream, app-layer and checksum events end to end: usage:
test_events.py IDSD SRC_ROOT OUT_DIR.

Writes a capture whose sessions each break one rule of TCP, HTTP or DNS,
then runs idsd with Suricata 7.0.0's own event rules (tests/data/
suricata-events, unchanged) plus local rules for the events Suricata ships
commented out and for the checksum keywords. Every event rule file must
load whole (279 rules), the alerts must be exactly
the expected sids (so clean sessions raise nothing), and the checksum
rules must follow -k all / -k none as Suricata's keywords do. engine-event
takes the full names (stream.NAME, decoder.NAME), l3_proto keeps a rule to
one IP version."""
import os
import shutil
import struct
import sys

from e2e_check import check, run_idsd
from pcapgen import Tcp, csum, ipv4, tcp_frame, udp_frame, write_pcap

LOCAL_RULES = """\
alert tcp any any -> any any (msg:"rst no session"; stream-event:rst_but_no_session; sid:9001;)
alert tcp any any -> any any (msg:"fin no session"; stream-event:stream.fin_but_no_session; sid:9002;)
alert tcp any any -> any any (msg:"broken ack"; stream-event:pkt_broken_ack; sid:9003;)
alert udp any any -> any 9999 (msg:"udp csum bad"; udpv4-csum:invalid; sid:9010;)
alert udp any any -> any 9999 (msg:"udp csum ok"; udpv4-csum:"valid"; sid:9011;)
alert ip any any -> any 9999 (msg:"ip csum ok"; ipv4-csum:valid; sid:9012;)
alert udp any any -> any 9999 (msg:"tcp csum on udp"; tcpv4-csum:invalid; sid:9013;)
alert tcp any any -> any any (msg:"two events"; stream-event:rst_but_no_session; stream-event:pkt_broken_ack; sid:9014;)
alert tcp any any -> any any (msg:"engine stream"; engine-event:stream.rst_but_no_session; sid:9015;)
alert ip any any -> any any (msg:"engine decoder"; engine-event:decoder.icmpv4.unknown_type; sid:9016;)
alert ip any any -> any any (msg:"v4 event, v6 only"; l3_proto:ipv6; decode-event:icmpv4.unknown_type; sid:9017;)
alert ip any any -> any any (msg:"v4 event, v4 only"; l3_proto:ip4; decode-event:icmpv4.unknown_type; sid:9018;)
alert ip any any -> any any (msg:"v6 event, v6 only"; l3_proto:ipv6; decode-event:icmpv6.unknown_code; sid:9019;)
alert ip any any -> any any (msg:"v6 event, v4 only"; l3_proto:ipv4; decode-event:icmpv6.unknown_code; sid:9020;)
"""

H = lambda n: bytes([10, 0, 0, n])  # noqa: E731
S = lambda n: bytes([10, 0, 1, n])  # noqa: E731


def dns(qid, flags, name=b"\x07example\x03org\x00", qd=1, tail=b"\x00\x01\x00\x01"):
    return struct.pack("!HHHHHH", qid, flags, qd, 0, 0, 0) + name + tail


def tls_record(rtype, body, version=b"\x03\x03"):
    return bytes([rtype]) + version + struct.pack("!H", len(body)) + body


# a ClientHello (RFC 5246 7.4.1.2): TLS 1.2, no session id, one cipher
# suite, null compression, no extensions; enough to detect and parse
HELLO_BODY = b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x02\x00\x2f" + b"\x01\x00"
CLIENT_HELLO = tls_record(22, b"\x01" + struct.pack("!I", len(HELLO_BODY))[1:] + HELLO_BODY,
                          b"\x03\x01")


def sni(name, name_type=0):
    """A server_name extension (RFC 6066 3) of one name."""
    entry = bytes([name_type]) + struct.pack("!H", len(name)) + name
    return struct.pack("!HH", 0, 2 + len(entry)) + struct.pack("!H", len(entry)) + entry


def client_hello(exts):
    body = HELLO_BODY + struct.pack("!H", len(exts)) + exts
    return tls_record(22, b"\x01" + struct.pack("!I", len(body))[1:] + body, b"\x03\x01")


def tls(frames):
    """TLS sessions that each break one rule of the record layer, of a
    heartbeat or of the ClientHello's server_name."""
    broken = [
        (0, tls_record(0x19, b"\x00")),  # unknown record type (0x40/0x80 set: SSLv2)
        (0, tls_record(22, b"\x01\x00\x00\x00", b"\x02\x00")),  # record version 2.0
        (1, tls_record(22, b"\x63\x00\x00\x00")),             # unknown handshake type
        (0, tls_record(24, b"\x01\x00\x10" + bytes(32))),      # a heartbeat request
        (0, tls_record(24, b"\x03\x00\x10" + bytes(32))),      # heartbeat type 3
        (0, tls_record(24, b"\x01\x40\x00" + bytes(32))),      # payload past the record
        (1, tls_record(24, b"\x02\x00\x10" + bytes(20))),      # 1 byte of padding
    ]
    for i, (d, rec) in enumerate(broken):
        t = Tcp(frames, H(20 + i), S(20 + i), 40020 + i, 443)
        t.send(0, CLIENT_HELLO)
        t.send(d, rec)
        t.close()
    hellos = [sni(b"a.example", 1), sni(b""), sni(b"x" * 256),
              sni(b"a.example") + sni(b"b.example")]
    for i, exts in enumerate(hellos):
        t = Tcp(frames, H(40 + i), S(40 + i), 40040 + i, 443)
        t.send(0, client_hello(exts))
        t.close()


def handshakes(frames):
    """Handshakes whose sequence numbers do not add up (client ISN 1000,
    server ISN 5000): a SYN/ACK acking something else, a SYN/ACK sent again
    with another ack, SYN/ACKs sent again with 6 other ISNs (Suricata 7
    holds 5 of them, stream.max-synack-queued: the 6th is a flood; it never
    raises 3whs_synack_resend_with_diff_seq), a SYN sent again with another
    ISN."""
    cases = [
        [(1, 0x12, 5000, 1005)],
        [(1, 0x12, 5000, 1001), (1, 0x12, 5000, 1002)],
        [(1, 0x12, 5000, 1001)] + [(1, 0x12, 6000 + k, 1001) for k in range(6)],
        [(1, 0x12, 5000, 1001), (0, 0x02, 2000, 0)],
    ]
    for i, segs in enumerate(cases):
        t = Tcp(frames, H(30 + i), S(30 + i), 40030 + i, 8080, handshake=False)
        t.seg(0, 0x02, b"")
        for d, flags, seq, ack in segs:
            t.seg(d, flags, b"", seq=seq, ack=ack)


def icmpv6_frame(src, dst, hlim, icmp):
    """An ICMPv6 message over IPv6 over Ethernet, its checksum right."""
    pseudo = src + dst + struct.pack("!I", len(icmp)) + b"\x00\x00\x00\x3a"
    icmp = icmp[:2] + struct.pack("!H", csum(pseudo + icmp)) + icmp[4:]
    ip6 = struct.pack("!IHBB", 6 << 28, len(icmp), 58, hlim) + src + dst
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x86\xdd" + ip6 + icmp


def build(frames):
    tls(frames)
    handshakes(frames)
    # HTTP: a Transfer-Encoding that is not chunked (libhtp gives up on the
    # flow there), no Host in HTTP/1.1
    t = Tcp(frames, H(1), S(1), 40001, 80)
    t.send(0, b"POST /x HTTP/1.1\r\nTransfer-Encoding: foo\r\nContent-Length: 3\r\n\r\nabc")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    t.close()
    # a clean request, then a response header line without a colon
    t = Tcp(frames, H(11), S(11), 40011, 80)
    t.send(0, b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nNoColonHere\r\n\r\nok")
    t.close()
    # a clean HTTP session: no event
    t = Tcp(frames, H(12), S(12), 40012, 80)
    t.send(0, b"GET /a HTTP/1.1\r\nHost: example.org\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    t.close()
    # DNS over UDP: a clean query starts the flow, then Z set, opcode 7, a
    # response sent to the server, and a question cut short
    c, s = H(2), S(2)
    frames.append(udp_frame(c, s, 5353, 53, dns(1, 0x0100)))
    frames.append(udp_frame(s, c, 53, 5353, dns(1, 0x8180)))
    frames.append(udp_frame(c, s, 5353, 53, dns(2, 0x0140)))
    frames.append(udp_frame(c, s, 5353, 53, dns(3, 0x3900)))
    frames.append(udp_frame(c, s, 5353, 53, dns(4, 0x8180)))
    frames.append(udp_frame(c, s, 5353, 53, dns(5, 0x0100, name=b"\x07exam")))
    # TCP without a session: RST (its ack field set without the ACK flag:
    # also a broken ack), FIN, and a SYN with the same broken ack
    frames.append(tcp_frame(H(3), S(3), 40003, 80, 7, 99, 0x04))
    frames.append(tcp_frame(H(4), S(4), 40004, 8080, 7, 99, 0x11))
    frames.append(tcp_frame(H(5), S(5), 40005, 8080, 7, 12345, 0x02))
    # decoder events of packets the decoder keeps: ICMPv4 of an unknown
    # type, an echo request with a code, a timestamp request cut short; a
    # SYN with a window scale of length 4, one with two MSS options
    for i, head in enumerate([b"\x2a\x00", b"\x08\x05", b"\x0d\x00"]):
        icmp = head + b"\x00\x00\x00\x01\x00\x01"
        icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
        frames.append(ipv4(H(50 + i), S(50 + i), 1, icmp))
    # ICMPv6: an unknown code, MLD with hop limit 64, an unassigned type,
    # an experimentation type, a type Suricata does not know
    for i, (head, hlim) in enumerate([(b"\x01\x09", 64), (b"\x82\x00", 64), (b"\x32\x00", 64),
                                      (b"\xc8\x00", 64), (b"\x7f\x00", 64)]):
        frames.append(icmpv6_frame(bytes(15) + bytes([60 + i]), bytes(15) + bytes([1]), hlim,
                                   head + b"\x00\x00\x00\x00\x00\x00"))
    frames.append(tcp_frame(H(53), S(53), 40053, 80, 1, 0, 0x02, opts=b"\x03\x04\x07\x00"))
    frames.append(tcp_frame(H(54), S(54), 40054, 80, 1, 0, 0x02,
                            opts=b"\x02\x04\x05\xb4\x02\x04\x05\xb4"))
    # a SYN/ACK from the client after its SYN
    t = Tcp(frames, H(6), S(6), 40006, 8080, handshake=False)
    t.seg(0, 0x02, b"")
    t.seg(0, 0x12, b"", ack=1)
    # established, then a SYN from the server
    t = Tcp(frames, H(7), S(7), 40007, 8080)
    t.seg(1, 0x02, b"")
    # established, then a retransmission that carries other bytes
    t = Tcp(frames, H(8), S(8), 40008, 8080)
    t.seg(0, 0x18, b"AAAAAAAA")
    t.seg(0, 0x18, b"BBBBBBBB")
    t.seq[0] += 8
    t.seg(1, 0x10, b"")
    t.close()
    # UDP with a bad checksum
    frames.append(udp_frame(H(9), S(9), 40009, 9999, b"checksum", bad_csum=True))


WANT = {
    2221005: "http.invalid_transfer_encoding_value_in_request",
    2221014: "http.missing_host_header",
    2221020: "http.response_field_missing_colon",
    2240006: "dns.z_flag_set",
    2240007: "dns.invalid_opcode",
    2240004: "dns.not_a_request",
    2240002: "dns.malformed_data (request)",
    9001: "rst_but_no_session",
    9002: "fin_but_no_session",
    9003: "pkt_broken_ack",
    2210003: "3whs_synack_in_wrong_direction",
    2210028: "est_syn_toclient",
    2210050: "reassembly_overlap_different_data",
    2210007: "3whs_synack_with_wrong_ack",
    2210004: "3whs_synack_resend_with_different_ack",
    2210055: "3whs_synack_flood",
    2210008: "3whs_syn_resend_diff_seq_on_syn_recv",
    2230002: "tls.invalid_record_type",
    2230010: "tls.invalid_ssl_record (with the unknown record type)",
    2230015: "tls.invalid_record_version",
    2230003: "tls.invalid_handshake_message",
    2230011: "tls.heartbeat_message",
    2230013: "tls.invalid_heartbeat_message (type 3, 1 byte of padding)",
    2230012: "tls.overflow_heartbeat_message",
    2230017: "tls.invalid_sni_type",
    2230018: "tls.invalid_sni_length (empty, 256 bytes)",
    2230016: "tls.multiple_sni_extensions",
    2200024: "icmpv4.unknown_type",
    2200025: "icmpv4.unknown_code",
    2200026: "icmpv4.ipv4_trunc_pkt",
    2200030: "icmpv6.unknown_code",
    2200102: "icmpv6.mld_message_with_invalid_hl",
    2200108: "icmpv6.unassigned_type",
    2200109: "icmpv6.experimentation_type",
    2200036: "tcp.opt_invalid_len",
    2200037: "tcp.opt_duplicate",
    9012: "ipv4-csum:valid",
    9014: "rst_but_no_session and pkt_broken_ack, on the RST only",
    9015: "engine-event:stream.rst_but_no_session",
    9016: "engine-event:decoder.icmpv4.unknown_type",
    9018: "l3_proto:ip4 with an ICMPv4 event",
    9019: "l3_proto:ipv6 with an ICMPv6 event",
}


def run(idsd, pcap, rules, out, csum):
    os.makedirs(out)
    recs = run_idsd(idsd, out, pcap, rules, args=["-k", csum], loaded=293)
    return sorted({r["alert"]["signature_id"] for r in recs if r.get("event_type") == "alert"})


def main():
    idsd, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    build(frames)
    pcap = os.path.join(out, "events.pcap")
    write_pcap(pcap, frames)
    local = os.path.join(out, "local.rules")
    with open(local, "w", encoding="utf-8") as f:
        f.write(LOCAL_RULES)
    rules = (os.path.join(root, "tests", "data", "suricata-events"), local)
    sids = run(idsd, pcap, rules, os.path.join(out, "k-none"), "none")
    want = sorted(set(WANT) | {9011})
    missing = [f"{s} {WANT.get(s, '')}" for s in want if s not in sids]
    extra = [s for s in sids if s not in want]
    check(not missing and not extra, f"-k none: missing {missing}, unexpected {extra}")
    sids = run(idsd, pcap, rules, os.path.join(out, "k-all"), "all")
    check(9010 in sids and 9011 not in sids and 9012 in sids and 9013 not in sids,
          f"-k all: udpv4-csum invalid fires, valid does not, ipv4-csum valid: {sids}")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
