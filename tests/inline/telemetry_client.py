#!/usr/bin/env python3
"""A minimal DPDK telemetry v2 client (SOCK_SEQPACKET), as dpdk-telemetry.py.

usage: telemetry_client.py SOCKET_PATH COMMAND [COMMAND ...]  -> one JSON line per command
"""
import json
import socket
import sys


class Telemetry:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(30)
        self.sock.connect(path)
        self.info = json.loads(self.sock.recv(16384).decode())
        self.max_len = self.info.get("max_output_len", 16384)

    def cmd(self, command):
        self.sock.send(command.encode())
        return json.loads(self.sock.recv(self.max_len).decode())

    def close(self):
        self.sock.close()


def main():
    t = Telemetry(sys.argv[1])
    for c in sys.argv[2:]:
        print(json.dumps(t.cmd(c)))
    t.close()


if __name__ == "__main__":
    main()
