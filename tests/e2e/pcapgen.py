"""Crafted captures for end-to-end tests: TCP sessions (IPv4, or IPv6 when
given 16-byte addresses) and IPv4 UDP datagrams over Ethernet with correct checksums (or a deliberately bad one),
written as a classic pcap."""
import struct


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(src, dst, proto, l4, ipid=1):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), ipid, 0x4000, 64, proto, 0, src,
                     dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip + l4


def ipv6(src, dst, nh, l4):
    ip = struct.pack("!IHBB16s16s", 6 << 28, len(l4), nh, 64, src, dst)
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x86\xdd" + ip + l4


def tcp_frame(src, dst, sp, dp, seq, ack, flags, payload=b"", opts=b"", win=65535):
    """opts: the TCP options' bytes, a multiple of 4. IPv6 when the
    addresses are 16 bytes."""
    tcp = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, (5 + len(opts) // 4) << 4, flags, win, 0,
                      0) + opts
    if len(src) == 16:
        pseudo = struct.pack("!16s16sIxxxB", src, dst, len(tcp) + len(payload), 6)
    else:
        pseudo = struct.pack("!4s4sBBH", src, dst, 0, 6, len(tcp) + len(payload))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp + payload)) + tcp[18:]
    if len(src) == 16:
        return ipv6(src, dst, 6, tcp + payload)
    return ipv4(src, dst, 6, tcp + payload)


def udp_frame(src, dst, sp, dp, payload, bad_csum=False):
    udp = struct.pack("!HHHH", sp, dp, 8 + len(payload), 0)
    pseudo = struct.pack("!4s4sBBH", src, dst, 0, 17, len(udp) + len(payload))
    c = csum(pseudo + udp + payload) or 0xffff
    if bad_csum:
        c ^= 0x1111
    return ipv4(src, dst, 17, udp[:6] + struct.pack("!H", c) + payload)


class Tcp:
    """One TCP connection: handshake (unless told not to), data in turns,
    FIN both ways. Direction 0 is the client."""

    def __init__(self, frames, cli, srv, sp, dp, handshake=True):
        self.frames, self.ends = frames, {0: (cli, sp), 1: (srv, dp)}
        self.seq = {0: 1000, 1: 5000}
        if handshake:
            self.seg(0, 0x02, b"")
            self.seq[0] += 1
            self.seg(1, 0x12, b"")
            self.seq[1] += 1
            self.seg(0, 0x10, b"")

    def seg(self, d, flags, payload=b"", seq=None, ack=None):
        (src, sp), (dst, dp) = self.ends[d], self.ends[1 - d]
        if ack is None:
            ack = self.seq[1 - d] if flags & 0x10 else 0
        self.frames.append(tcp_frame(src, dst, sp, dp, self.seq[d] if seq is None else seq, ack,
                                     flags, payload))

    def send(self, d, payload):
        self.seg(d, 0x18, payload)
        self.seq[d] += len(payload)
        self.seg(1 - d, 0x10, b"")

    def close(self):
        for d in (0, 1):
            self.seg(d, 0x11, b"")
            self.seq[d] += 1
        self.seg(0, 0x10, b"")


def write_pcap(path, frames, secs=None):
    """Frame i at 1700000000 s + i ms, or at 1700000000 + secs[i] s."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            t = (1700000000, i * 1000) if secs is None else (1700000000 + secs[i], i)
            f.write(struct.pack("<IIII", t[0], t[1], len(fr), len(fr)) + fr)
