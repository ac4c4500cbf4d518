"""Capture for upstream tests/bug-4623 (OISF suricata-verify f0c6d491e251; its
capture, random_tcp.pcap, is not available). Its rules file describes it: a TCP
payload of random bytes whose last eight are 7c e0 3a 01 e8 ed 0f 54 (sid 1's
content ends one byte before the buffer's end, sid 2's at it; a jump of -7 from
there lands on 7c and e0). Here 40 bytes of a seeded random generator, then those
eight, in one client segment of a complete session (tcp_session_pcap, assumed).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import random
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tcp_session_pcap  # noqa: E402
tail = bytes.fromhex("7ce03a01e8ed0f54")
rng = random.Random(4623)
head = bytes(rng.randrange(256) for _ in range(40))
assert tail[2:7] not in head and tail[3:] not in head
tcp_session_pcap.write(sys.argv[1], head + tail)
