"""Capture for upstream tests/util-action-tests/util-action-04 (OISF
suricata-verify 667a9b86c062, writepcap.py). Its reply's string literal ends a
line with a backslash inside the quotes, so the reply is 'Hi ', the next line's
8 spaces of indentation, then 'all wo!': no "Hi all" in it.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import util_action_pcap  # noqa: E402
util_action_pcap.write(sys.argv[1], b"Hi         all wo!\r\n")
