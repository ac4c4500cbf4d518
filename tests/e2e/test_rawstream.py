#!/usr/bin/env python3
"""Raw stream inspection on every TCP flow: usage: test_rawstream.py IDSD OUT_DIR.

`alert tcp` content rules see the reassembled stream of each direction
whatever protocol the flow was detected as, anchored (depth, offset,
startswith) at the stream's first byte, and at the moments Suricata
inspects: as the app layer parses (small request/reply exchanges shorter
than a chunk), at the direction's end (FIN) and at flow end. Writes: FTP
and SMTP servers with a banner (anchored banner rules fire once, a reply
later in the stream does not match an anchored rule), an SMB session
("|FF|SMB" at offset 4 of the stream, not of later messages), an HTTP
keep-alive connection (startswith matches the first request only), an FTP
PORT bounce (ET's rule needs the raw stream while the command is
inspected), and a content split over two segments that the peer never
acks before the client's FIN."""
import os
import shutil
import struct
import sys

from e2e_check import check, run_capture
from pcapgen import Tcp

RULES = [
    # banners: the server's stream starts with them
    'alert tcp $EXTERNAL_NET 21 -> $HOME_NET any (msg:"ftp banner"; flow:established,from_server; '
    'content:"220 "; depth:4; content:"evilftpd"; distance:0; sid:1;)',
    'alert tcp $EXTERNAL_NET 25 -> $HOME_NET any (msg:"smtp banner"; flow:established,from_server; '
    'content:"220 "; depth:4; content:"badsmtp"; distance:0; sid:2;)',
    'alert tcp $EXTERNAL_NET 21 -> $HOME_NET any (msg:"not at start"; flow:from_server; '
    'content:"331"; depth:3; sid:3;)',
    # SMB: the magic at offset 4 of the stream
    'alert tcp any any -> any 445 (msg:"smb at start"; flow:to_server; content:"|FF|SMB"; '
    'offset:4; depth:4; sid:4;)',
    'alert tcp any any -> any 445 (msg:"smb session setup"; flow:to_server; '
    'content:"|FF|SMB|73|"; offset:4; depth:5; sid:5;)',
    # HTTP keep-alive: startswith is the stream's start, not each request's
    'alert tcp any any -> any 80 (msg:"first"; flow:to_server; content:"GET /first"; '
    'startswith; sid:6;)',
    'alert tcp any any -> any 80 (msg:"second"; flow:to_server; content:"GET /second"; '
    'startswith; sid:7;)',
    'alert tcp any any -> any 80 (msg:"get"; flow:to_server; content:"GET /"; depth:5; sid:8;)',
    'alert tcp any 80 -> any any (msg:"reply"; flow:to_client; content:"HTTP/1.1 200"; depth:12; '
    'sid:9;)',
    # across a segment boundary, never acked, before the FIN
    'alert tcp any any -> any 7000 (msg:"split"; flow:to_server; content:"SPLITMARKER"; sid:10;)',
    # ET's FTP bounce rule: raw content and the parsed command together
    'alert tcp $EXTERNAL_NET any -> $HOME_NET 21 (msg:"GPL FTP PORT bounce attempt"; '
    'flow:to_server,established; content:"PORT"; nocase; ftpbounce; pcre:"/^PORT/smi"; '
    'classtype:misc-attack; sid:2103441; rev:2;)',
]
# sid -> (alerts expected, app_proto of the flow or None: any)
WANT = {1: (1, "ftp"), 2: (1, "smtp"), 3: (0, None), 4: (1, "smb"), 5: (0, None),
        6: (1, "http"), 7: (0, None), 8: (1, "http"), 9: (1, "http"), 10: (1, None),
        2103441: (1, "ftp")}

EXT, HOME = bytes([203, 0, 113, 9]), bytes([192, 168, 1, 30])


def ftp(frames):
    c = Tcp(frames, HOME, EXT, 41000, 21)
    c.send(1, b"220 evilftpd ready\r\n")
    c.send(0, b"USER anonymous\r\n")
    c.send(1, b"331 password please\r\n")
    c.send(0, b"PASS x@\r\n")
    c.send(1, b"230 ok\r\n")
    c.send(0, b"QUIT\r\n")
    c.send(1, b"221 bye\r\n")
    c.close()


def ftp_bounce(frames):
    c = Tcp(frames, EXT, HOME, 41005, 21)
    c.send(1, b"220 home ftpd\r\n")
    c.send(0, b"USER anonymous\r\n")
    c.send(1, b"331 password please\r\n")
    c.send(0, b"PASS x@\r\n")
    c.send(1, b"230 ok\r\n")
    c.send(0, b"PORT 203,0,113,9,10,1\r\n")     # the client itself: no bounce
    c.send(1, b"200 ok\r\n")
    c.send(0, b"PORT 10,1,2,3,0,25\r\n")        # another host
    c.send(1, b"200 ok\r\n")
    c.send(0, b"QUIT\r\n")
    c.send(1, b"221 bye\r\n")
    c.close()


def smtp(frames):
    c = Tcp(frames, HOME, EXT, 41001, 25)
    c.send(1, b"220 badsmtp ESMTP\r\n")
    c.send(0, b"EHLO me\r\n")
    c.send(1, b"250 hello\r\n")
    c.send(0, b"QUIT\r\n")
    c.send(1, b"221 bye\r\n")
    c.close()


def smb_msg(cmd, body):
    hdr = b"\xffSMB" + bytes([cmd]) + b"\0" * 27
    m = hdr + body
    return struct.pack("!I", len(m)) + m


def smb(frames):
    c = Tcp(frames, HOME, EXT, 41002, 445)
    c.send(0, smb_msg(0x72, b"\x00\x0c\x00\x02NT LM 0.12\x00"))
    c.send(1, smb_msg(0x72, b"\x11" + b"\0" * 40))
    c.send(0, smb_msg(0x73, b"\x0c" + b"\0" * 30))   # session setup: not the stream's start
    c.send(1, smb_msg(0x73, b"\x03" + b"\0" * 10))
    c.close()


def http(frames):
    c = Tcp(frames, HOME, EXT, 41003, 80)
    c.send(0, b"GET /first HTTP/1.1\r\nHost: a.example\r\n\r\n")
    c.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    c.send(0, b"GET /second HTTP/1.1\r\nHost: a.example\r\n\r\n")
    c.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    c.close()


def split(frames):
    c = Tcp(frames, HOME, EXT, 41004, 7000)
    c.seg(0, 0x18, b"head SPLIT")
    c.seq[0] += 10
    c.seg(0, 0x18, b"MARKER tail")
    c.seq[0] += 11
    c.seg(0, 0x11, b"")                 # FIN; the server never acks any of it


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    for build in (ftp, smtp, smb, http, ftp_bounce, split):
        build(frames)
    alerts = [a for a in run_capture(idsd, out, "rawstream", frames, RULES)
              if a.get("event_type") == "alert"]
    for sid, (want, proto) in WANT.items():
        got = [a for a in alerts if a["alert"]["signature_id"] == sid]
        check(len(got) == want, f"sid {sid}: {len(got)} alerts, want {want}")
        for a in got:
            check(proto is None or a.get("app_proto") == proto,
                  f"sid {sid}: app_proto {a.get('app_proto')!r}, want {proto!r}")
    # inspected as the exchange goes, not only when the flows end
    for sid in (1, 2, 4, 6, 9, 2103441):
        a = [a for a in alerts if a["alert"]["signature_id"] == sid][0]
        check(a["packet_info"]["pkt_src"] == "wire/pcap" if "packet_info" in a
              else a.get("pkt_src", "wire/pcap") == "wire/pcap",
              f"sid {sid} alerts on a packet of the exchange, not at flow end")
    # the split content: on the FIN that ends the direction
    a = [a for a in alerts if a["alert"]["signature_id"] == 10][0]
    check(a.get("pkt_src", a.get("packet_info", {}).get("pkt_src")) == "wire/pcap",
          "the split content alerts on the FIN, not at flow end")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
