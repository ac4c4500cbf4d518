"""Capture for upstream tests/detect-bytejump-05 (OISF suricata-verify 8ff63ff8e785;
its capture, from Suricata ticket 4624, is not available). The rules' names say
what it holds: "|0A 95 00 20|" four bytes into the payload, so that a jump of -8
from its end lands on the buffer's start and one of -10 before it, with "NSLO"
(the pcre) from the start on: "NSLO" + "|0A 95 00 20|" + "NSLO", in one client
segment of a complete session (tcp_session_pcap, assumed).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tcp_session_pcap  # noqa: E402
tcp_session_pcap.write(sys.argv[1], b"NSLO\x0a\x95\x00\x20NSLO")
