"""Capture for upstream tests/bug-4199 (OISF suricata-verify): bug-4199's capture, not
available, rebuilt by ../etc_passwd_pcap.py (which says what is assumed).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import etc_passwd_pcap  # noqa: E402
etc_passwd_pcap.write(sys.argv[1])
