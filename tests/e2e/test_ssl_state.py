#!/usr/bin/env python3
"""ssl_state on the real idsd: usage: test_ssl_state.py IDSD OUT_DIR

A crafted TLS 1.2 handshake (pcapgen): ClientHello; ServerHello alone in a
segment; ServerKeyExchange and ServerHelloDone in the next; then
ClientKeyExchange with ChangeCipherSpec. With stream.inline each segment is
parsed and inspected as it arrives, so each packet's state is the last
state-setting message its own data held (Suricata's SSLState
current_flags): client_hello, server_hello, server_keyx (the ServerHelloDone
after it sets nothing), client_keyx. A state no message set never matches;
a negated one matches when the packet's state is another. Bad values fail
with file:line and the reason."""
import os
import shutil
import struct
import sys

from e2e_check import alert_sids, check, check_rule_errors, run_capture
from pcapgen import Tcp

CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])


def record(ctype, body):
    return struct.pack("!BHH", ctype, 0x0303, len(body)) + body


def hs(htype, body):
    return struct.pack("!B", htype) + len(body).to_bytes(3, "big") + body


def hello(htype):
    # version, random, empty session id, one suite (client: a list), no
    # compression, no extensions
    suites = b"\x00\x02\xc0\x2f" if htype == 1 else b"\xc0\x2f"
    comp = b"\x01\x00" if htype == 1 else b"\x00"
    return hs(htype, b"\x03\x03" + bytes(range(32)) + b"\x00" + suites + comp + b"\x00\x00")


RULES = [
    'alert tls any any -> any any (msg:"ch"; ssl_state:client_hello; sid:1;)',
    'alert tls any any -> any any (msg:"sh"; ssl_state:server_hello; sid:2;)',
    'alert tls any any -> any any (msg:"skx"; flow:to_client; ssl_state:server_keyx; sid:3;)',
    'alert tls any any -> any any (msg:"ckx"; ssl_state:client_keyx; sid:4;)',
    'alert tls any any -> any any (msg:"either"; flow:to_client; '
    'ssl_state:server_hello|server_keyx; sid:5;)',
    # to the server: the ClientHello's packet is client_hello, the
    # ClientKeyExchange's is not
    'alert tls any any -> any any (msg:"not ch"; flow:to_server; '
    'ssl_state:!client_hello; sid:6;)',
    'alert tls any any -> any any (msg:"unknown"; ssl_state:unknown; sid:7;)',
    # an implied tls rule: alert tcp with ssl_state inspects TLS only
    'alert tcp any any -> any any (msg:"tcp ch"; ssl_state: client_hello , !unknown; sid:8;)',
]


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    t = Tcp(frames, CLI, SRV, 40001, 443)
    t.send(0, record(22, hello(1)))
    t.send(1, record(22, hello(2)))
    t.send(1, record(22, hs(12, b"\x03\x00\x17\x41" + bytes(65)) + hs(14, b"")))
    t.send(0, record(22, hs(16, b"\x41" + bytes(65))) + record(20, b"\x01"))
    t.send(1, record(20, b"\x01"))
    t.close()
    eve = run_capture(idsd, out, "sslstate", frames, RULES,
                      args=["--set", "stream.inline=true"])
    check(alert_sids(eve) == [1, 2, 3, 4, 5, 6, 8],
          f"each state on its message's packet: {alert_sids(eve)}")
    check_rule_errors(idsd, out, [
        'alert tls any any -> any any (ssl_state:client_hi; sid:1;)',
        'alert tls any any -> any any (ssl_state:client_hello;server_hello; sid:2;)',
        'alert tls any any -> any any (ssl_state:client_hello|; sid:3;)',
        'alert http any any -> any any (ssl_state:client_hello; sid:4;)',
        'alert tls any any -> any any (ssl_state:client_hello; ssl_state:server_hello; sid:5;)',
    ], ["BAD:1: invalid ssl_state option 'client_hi'",
        "BAD:2: unsupported keyword 'server_hello'",
        "BAD:3: invalid ssl_state: 'client_hello|'",
        "BAD:4: rule mixes protocols: ssl_state keyword in a http rule",
        "BAD:5: duplicate keyword 'ssl_state'"])


if __name__ == "__main__":
    main()
