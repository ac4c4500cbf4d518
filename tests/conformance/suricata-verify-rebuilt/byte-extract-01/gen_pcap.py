"""Capture for upstream tests/byte-extract-01 (OISF suricata-verify 002009b8fe8e;
its capture, from Suricata ticket 3047, is not available and not described beyond
"different byte_extract cases" that each match once). One client segment whose
payload was worked out from the ten rules so that each of them matches it:
"1026|10|8ab34xxxxxxf." -- bytes 0-1 "10" (two1 = 10; the "10" rules 4 to 6
start from; rule 10's "1"), byte 2 "2" (two2 = two3 = dectwo = 2, the "2" at
offset 2), byte 3 "6" (sixd = 6: "34" at 2 + 6), byte 4 0x10 (hexten = two4 =
16: "f" at offset 16, "." at 1 + 16; with rule 6's three1 = byte 8 "3", "6|10|"
at offset 3), byte 5 "8" (eight: "34" at offset 8). Assumed: the filler bytes
("ab", "xxxxxx") and the session around it (tcp_session_pcap).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tcp_session_pcap  # noqa: E402
tcp_session_pcap.write(sys.argv[1], b"1026\x108ab34xxxxxxf.")
