#!/usr/bin/env python3
"""tag:host with 1 and 2 workers: usage: test_tag_host.py IDSD OUT_DIR.

A crafted capture of UDP datagrams, each in a flow of its own (its own
source port), so the flow hash spreads them over both workers:
- sid 1, tag:host,4,packets,src, fires on a datagram from 10.0.0.5: the
  next packets from or to 10.0.0.5 (any flow) are tagged; the alerting one
  counts as the first of 4 and is not tagged, so 3 are; the 4th after it
  ends the tag. Packets between other hosts are never tagged.
- sid 2, tag:host,2,seconds (dst by default), fires on a datagram to
  192.168.7.7: packets of that host are tagged while under 3 s have passed
  (Suricata: last - first > count ends the tag).
idsd reads it with pcap-file.threads 1 and 2: the "packet" records must be
exactly the expected frames, with both worker counts."""
import os
import shutil
import sys

from e2e_check import check, eve_conf, run_capture
from pcapgen import udp_frame

A, B, C, D = (bytes(x) for x in ([10, 0, 0, 5], [192, 168, 1, 1], [192, 168, 1, 2],
                                  [10, 0, 0, 9]))
H = bytes([192, 168, 7, 7])
RULES = [
    'alert udp any any -> any any (msg:"tag src host"; content:"TAGSRC"; '
    'tag:host,4,packets,src; sid:1;)',
    'alert udp any any -> any any (msg:"tag dst host"; content:"TAGDST"; '
    'tag:host,2,seconds; sid:2;)',
]
CONF = eve_conf("""
- alert:
    tagged-packets: yes
""")


def capture():
    """frames, their times (s), and the source ports of the tagged ones."""
    frames, secs, want = [], [], []

    def add(src, dst, sp, dp, payload, t, tagged=False):
        frames.append(udp_frame(src, dst, sp, dp, payload))
        secs.append(t)
        if tagged:
            want.append(sp)

    add(A, B, 40000, 5000, b"before", 0)                # no tag yet
    add(A, B, 40001, 5000, b"TAGSRC", 0)                # sid 1: tags A (counted, not tagged)
    add(A, C, 40002, 53, b"one", 0, True)               # A's 2nd
    add(D, B, 40003, 5000, b"other", 0)                 # not A
    add(C, A, 40004, 40002, b"two", 0, True)            # to A: 3rd
    add(A, B, 40005, 5000, b"three", 0, True)           # 4th
    add(A, C, 40006, 53, b"four", 0)                    # 5th > 4: the tag ends
    add(A, B, 40007, 5000, b"after", 0)                 # no tag any more
    add(D, H, 40008, 80, b"TAGDST", 10)                 # sid 2: tags H for 2 s
    add(H, D, 40009, 40008, b"h1", 11, True)            # 1 s
    add(B, H, 40010, 80, b"h2", 12, True)               # 2 s: not past 2
    add(D, B, 40011, 5000, b"h-none", 12)               # not H
    add(H, C, 40012, 80, b"h3", 13)                     # 3 s > 2: ends
    add(B, H, 40013, 80, b"h4", 13)                     # gone
    return frames, secs, want


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    frames, secs, want = capture()
    seen = {}
    for workers in (1, 2):
        d = os.path.join(out, f"w{workers}")
        os.makedirs(d)
        recs = run_capture(idsd, d, "taghost", frames, RULES, CONF,
                           ["--set", f"pcap-file.threads={workers}"], secs)
        sids = sorted(r["alert"]["signature_id"] for r in recs if r["event_type"] == "alert")
        check(sids == [1, 2], f"{workers} worker(s): one alert of each rule: {sids}")
        got = sorted(r["src_port"] for r in recs if r["event_type"] == "packet")
        check(got == sorted(want),
              f"{workers} worker(s): tagged packets {got}, want {sorted(want)}")
        seen[workers] = got
    check(seen[1] == seen[2], "1 and 2 workers tag the same packets")
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
