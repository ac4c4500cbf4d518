#!/usr/bin/env python3
"""flow:only_stream as Suricata's: usage: test_only_stream.py IDSD OUT_DIR.

only_stream (Suricata's SIG_FLAG_REQUIRE_STREAM) restricts a rule to the
reassembled stream; it is no test of the packet the stream is inspected on.
The stream of a direction is inspected when its peer acks it, at its FIN or
at the flow's end: packets that carry no data of their own. Each rule here
must alert exactly once on a session whose client sends a Cisco Smart
Install header (ET 2025519's content) and whose server answers."""
import collections
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_check import alert_sids, check, run_capture  # noqa: E402
from pcapgen import Tcp  # noqa: E402

RULES = """\
alert tcp any any -> any 4786 (msg:"only_stream, anchored"; flow:established,only_stream; content:"|00 00 00 01 00 00 00 01|"; depth:8; sid:1;)
alert tcp any any -> any 4786 (msg:"only_stream to_server"; flow:established,to_server,only_stream; content:"|00 00 00 01|"; sid:2;)
alert tcp any 4786 -> any any (msg:"only_stream to_client"; flow:established,to_client,only_stream; content:"smi-reply"; sid:3;)
alert tcp any any -> any 4786 (msg:"no_stream"; flow:established,no_stream; content:"|00 00 00 01 00 00 00 01|"; depth:8; sid:4;)
alert tcp any any -> any 4786 (msg:"only_stream, not there"; flow:established,only_stream; content:"|00 00 00 02|"; sid:101;)
"""
WANT = {1: 1, 2: 1, 3: 1, 4: 1}


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    t = Tcp(frames, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]), 40000, 4786)
    t.send(0, b"\x00\x00\x00\x01\x00\x00\x00\x01" + b"\x00" * 16)
    t.send(1, b"smi-reply" + b"\x00" * 8)
    t.close()
    got = dict(collections.Counter(alert_sids(run_capture(idsd, out, "s", frames,
                                                          RULES.splitlines()))))
    check(got == WANT, f"only_stream rules alert once on the stream: by sid {got}, want {WANT}")


if __name__ == "__main__":
    main()
