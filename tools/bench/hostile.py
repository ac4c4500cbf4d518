"""Hostile traffic for the adversarial benchmark (adversarial.py) and the
hardening tests (tests/e2e/test_hardening.py): raw frames built with struct
(no scapy), written as classic pcap files.

Each generator returns a list of (timestamp_us, frame) pairs."""
import struct

CLIENT, SERVER = bytes([10, 0, 0, 1]), bytes([192, 168, 1, 1])
ETH = b"\x00\x00\x00\x00\x00\x02" + b"\x00\x00\x00\x00\x00\x01"


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(proto, payload, src=CLIENT, dst=SERVER, ident=1, frag=0, mf=False):
    """An Ethernet + IPv4 frame; frag is the fragment offset in bytes."""
    fo = (frag // 8) | (0x2000 if mf else 0)
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, fo, 64, proto, 0,
                    src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return ETH + b"\x08\x00" + h + payload


def udp(payload, sport=40000, dport=5000, **kw):
    return ipv4(17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload, **kw)


def tcp(sport, dport, seq, ack, flags, payload=b"", src=CLIENT, dst=SERVER):
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(h) + len(payload))
    h = h[:16] + struct.pack("!H", csum(pseudo + h + payload)) + h[18:]
    return ipv4(6, h + payload, src=src, dst=dst)


def write_pcap(path, frames, snaplen=65535):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, 1))
        for ts, fr in frames:
            f.write(struct.pack("<IIII", 1700000000 + ts // 1000000, ts % 1000000, len(fr),
                                len(fr)))
            f.write(fr)


def fragment_flood(copies, ident=7, payload=b"FRAGDATA" * 8, start_us=0):
    """The first fragment of one datagram sent `copies` times (each copy's
    bytes differ), then its last fragment: a duplicate-offset flood."""
    udp_hdr = struct.pack("!HHHH", 40000, 5000, 8 + len(payload) + 8, 0)
    first = udp_hdr + payload
    out = []
    for i in range(copies):
        body = first if i == 0 else udp_hdr + bytes([0x41 + i % 26]) * len(payload)
        out.append((start_us + i, ipv4(17, body, ident=ident, mf=True)))
    out.append((start_us + copies, ipv4(17, b"LASTPART", ident=ident, frag=len(first))))
    return out


def opened(sport, dport, start_us):
    """A connection's handshake (client ISN 1000, server ISN 5000: the next
    sequence numbers are 1001 and 5001): the list of its timed frames and
    the function that appends the next frame 10 us after the last."""
    out, t = [], start_us

    def add(fr):
        nonlocal t
        t += 10
        out.append((t, fr))
    add(tcp(sport, dport, 1000, 0, 0x02))
    add(tcp(dport, sport, 5000, 1001, 0x12, src=SERVER, dst=CLIENT))
    add(tcp(sport, dport, 1001, 5001, 0x10))
    return out, add


def tcp_session(requests, responses=b"", sport=41000, dport=80, mss=1400, start_us=0):
    """A client that sends `requests` (bytes) on one connection, the server
    acknowledging each segment and answering `responses` at the end."""
    out, add = opened(sport, dport, start_us)
    c, s = 1001, 5001
    for off in range(0, len(requests), mss):
        seg = requests[off:off + mss]
        add(tcp(sport, dport, c, s, 0x18, seg))
        c += len(seg)
        add(tcp(dport, sport, s, c, 0x10, src=SERVER, dst=CLIENT))
    for off in range(0, len(responses), mss):
        seg = responses[off:off + mss]
        add(tcp(dport, sport, s, c, 0x18, seg, src=SERVER, dst=CLIENT))
        s += len(seg)
        add(tcp(sport, dport, c, s, 0x10))
    add(tcp(sport, dport, c, s, 0x11))
    add(tcp(dport, sport, s, c + 1, 0x11, src=SERVER, dst=CLIENT))
    add(tcp(sport, dport, c + 1, s + 1, 0x10))
    return out


def overlap_retransmissions(rounds, sport=42000, dport=80, seg=512, start_us=0):
    """One connection whose every data segment is sent again `rounds` times,
    each copy shifted to overlap the previous and next ones (different
    bytes): the stream engine's overlap handling under load."""
    out, add = opened(sport, dport, start_us)
    c, s = 1001, 5001
    base = c
    for k in range(8):
        data = bytes([0x61 + k]) * seg
        add(tcp(sport, dport, base + k * seg, s, 0x18, data))
        for r in range(rounds):
            shift = (r * 37) % seg - seg // 2
            add(tcp(sport, dport, base + k * seg + shift, s, 0x18,
                    bytes([0x41 + r % 26]) * seg))
        add(tcp(dport, sport, s, base + (k + 1) * seg, 0x10, src=SERVER, dst=CLIENT))
    return out


def flow_flood(n, start_us=0):
    """n SYNs from distinct source addresses and ports: flow table churn."""
    out = []
    for i in range(n):
        src = bytes([10, (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF])
        out.append((start_us + i, tcp(1024 + i % 60000, 80, i, 0, 0x02, src=src)))
    return out


def deep_headers(n, depth=60):
    """IPv6 packets with `depth` destination-options headers before UDP:
    the decoder's extension-header walk at its longest."""
    out = []
    for i in range(n):
        payload = struct.pack("!HHHH", 40000 + i % 1000, 53, 12, 0) + b"deep"
        chain = b""
        for k in range(depth):
            nh = 60 if k + 1 < depth else 17
            chain += bytes([nh, 0]) + b"\x01\x04" + b"\0" * 4   # 8 bytes: PadN
        ip6 = struct.pack("!IHBB16s16s", 0x60000000, len(chain) + len(payload), 60, 64,
                          b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x01",
                          b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x02")
        out.append((i, ETH + b"\x86\xdd" + ip6 + chain + payload))
    return out


def benign_http(n, start_us=0):
    """n ordinary HTTP/1.1 connections, one request and response each."""
    out = []
    for i in range(n):
        req = b"GET /index%d.html HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: b\r\n\r\n" % i
        res = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 1000
        out += tcp_session(req, res, sport=20000 + i % 40000, start_us=start_us + i * 1000)
    return out
