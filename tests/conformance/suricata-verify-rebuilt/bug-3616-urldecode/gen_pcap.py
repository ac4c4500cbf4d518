"""Capture for upstream tests/bug-3616-urldecode (OISF suricata-verify): its capture, not
available, rebuilt by ../evil_sqli_pcap.py (which says what is assumed).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import evil_sqli_pcap  # noqa: E402
evil_sqli_pcap.write(sys.argv[1])
