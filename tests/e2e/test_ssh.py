#!/usr/bin/env python3
"""SSH identification strings end to end: usage: test_ssh.py IDSD OUT_DIR.

Three SSH sessions (in the second the client speaks first and the server
sends a line before its banner, as RFC 4253 4.2 allows but Suricata 7's
parser refuses: invalid_banner, the server's banner is never read; the
first server puts comments after its version; the third server speaks
1.99). ssh.proto /
ssh_proto and ssh.software / ssh_software must match the client's banner
to the server and the server's to the client, without the comments; raw
content rules on the ssh protocol must still match the stream; the legacy
ssh.protoversion / ssh.softwareversion values match a field exactly
(2_compat: 2.x or 1.99)."""
import os
import shutil
import sys

from e2e_check import check, run_capture
from pcapgen import Tcp

RULES = [
    'flow:to_server; ssh.proto; content:"2.0"; bsize:3;',
    'flow:to_client; ssh.software; content:"OpenSSH_8.9p1"; bsize:13;',
    'ssh_software; content:"PuTTY"; startswith;',
    'ssh_proto; content:"PUTTY";',
    'ssh.software; content:"Ubuntu";',
    'content:"SSH-2.0-PuTTY";',
    'flow:to_client; ssh.proto; content:"1.99";',
    # the legacy value keywords (Suricata 7): the field is exactly the value
    'ssh.protoversion:2.0;',
    'flow:to_server; ssh.softwareversion:"PuTTY_Release_0.70";',
    'ssh.softwareversion:PuTTY;',
    'ssh.protoversion:2_compat;',
    'flow:to_client; ssh.softwareversion:OpenSSH_8.9p1;',
    'ssh.protoversion:1.99;',
]
# sid -> alerts expected (sids are 1-based positions in RULES)
WANT = {1: 3, 2: 1, 3: 1, 6: 1, 7: 1, 8: 3, 9: 1, 10: 0, 11: 3, 12: 1, 13: 1}


def build(frames):
    t = Tcp(frames, bytes([10, 0, 0, 1]), bytes([10, 0, 1, 1]), 40001, 22)
    t.send(1, b"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1\r\n")
    t.send(0, b"SSH-2.0-PuTTY_Release_0.70\r\n")
    t.send(0, b"\x00\x00\x01\x0c\x0a\x14" + bytes(16))
    t.close()
    t = Tcp(frames, bytes([10, 0, 0, 2]), bytes([10, 0, 1, 2]), 40002, 2222)
    t.send(0, b"SSH-2.0-libssh_0.9.6\r\n")
    t.send(1, b"Welcome to the box\r\nSSH-2.0-OpenSSH_8.9p1 Ubuntu\r\n")
    t.close()
    t = Tcp(frames, bytes([10, 0, 0, 3]), bytes([10, 0, 1, 3]), 40003, 22)
    t.send(1, b"SSH-1.99-OpenSSH_3.9p1\r\n")
    t.send(0, b"SSH-2.0-OpenSSH_9.0\r\n")
    t.close()


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    build(frames)
    rules = [f'alert ssh any any -> any any (msg:"{i}"; {opts} sid:{i};)'
             for i, opts in enumerate(RULES, 1)]
    alerts = [a for a in run_capture(idsd, out, "ssh", frames, rules)
              if a.get("event_type") == "alert"]
    for sid in range(1, len(RULES) + 1):
        n = sum(1 for a in alerts if a["alert"]["signature_id"] == sid)
        check(n == WANT.get(sid, 0), f"sid {sid} ({RULES[sid - 1]}): {n} alerts, want "
              f"{WANT.get(sid, 0)}")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
