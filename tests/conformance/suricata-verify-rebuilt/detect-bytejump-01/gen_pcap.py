"""Capture for upstream tests/detect-bytejump-01 (OISF suricata-verify 093b235e67cf):
its rules file gives the payload, "Question?13When will the pandemic end?", sent
here in one client segment of a complete session (tcp_session_pcap, assumed).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tcp_session_pcap  # noqa: E402
tcp_session_pcap.write(sys.argv[1], b"Question?13When will the pandemic end?")
