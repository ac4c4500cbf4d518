#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A stand-in for idsd's DPDK telemetry socket (SOCK_SEQPACKET, one JSON
reply per command, a greeting on connect), answering the commands
ids-control polls: /ethdev/list, /ethdev/link_status,N, /ids/workers (a
heartbeat that moves) and /ids/role. Killing it is the dataplane dying.
Usage: fake_telemetry.py SOCKET_PATH"""
import json
import os
import select
import socket
import sys


def main():
    path = sys.argv[1]
    if os.path.exists(path):
        os.unlink(path)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    srv.bind(path)
    srv.listen(4)
    conns = []
    beat = 0
    while True:
        r, _, _ = select.select([srv] + conns, [], [])
        for s in r:
            if s is srv:
                c, _ = srv.accept()
                c.send(json.dumps({"version": "DPDK 22.11 (stand-in)", "pid": os.getpid(),
                                   "max_output_len": 16384}).encode())
                conns.append(c)
                continue
            try:
                data = s.recv(1024)
            except ConnectionResetError:    # a client stopped mid-command
                data = b""
            if not data:
                conns.remove(s)
                s.close()
                continue
            cmd, _, arg = data.decode().partition(",")
            beat += 1
            if cmd == "/ethdev/list":
                out = [0]
            elif cmd == "/ethdev/link_status":
                out = {"status": "UP", "speed": 10000, "duplex": "full-duplex"}
            elif cmd == "/ids/workers":
                out = {"workers": [{"lcore": 1, "heartbeat": beat}]}
            elif cmd == "/ids/role":
                out = {"role": arg}
                sys.stdout.write("role %s\n" % arg)
                sys.stdout.flush()
            else:
                out = None
            try:
                s.send(json.dumps({cmd: out}).encode())
            except BrokenPipeError:
                conns.remove(s)
                s.close()


if __name__ == "__main__":
    main()
