"""Capture for upstream tests/eve-metadata-03-noalert (OISF suricata-verify): the PTP example HTTP
session the eve-metadata tests share, not available, rebuilt by
../mozilla_http_pcap.py (which says what is assumed).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import mozilla_http_pcap  # noqa: E402
mozilla_http_pcap.write(sys.argv[1])
