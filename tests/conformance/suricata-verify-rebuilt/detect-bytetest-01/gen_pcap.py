"""Capture for upstream tests/detect-bytetest-01 (OISF suricata-verify 3a0ae4d55210;
its capture, from Suricata ticket 3047, is not available). The five rules test
byte_test's bitmask on the first bytes of a payload holding "HTTP" ("HT" = 0x4854:
0x48 & 0xf8 >> 3 = 9, 0x4854 & 0xf8f8 >> 3 = 0x90a), each matching once: one
client segment starting with "HTTP", the only payload of the session
(tcp_session_pcap), which is assumed.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tcp_session_pcap  # noqa: E402
tcp_session_pcap.write(sys.argv[1], b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
