"""Capture for upstream tests/util-action-tests/util-action-08 (OISF
suricata-verify 667a9b86c062; its own capture is not available and has no
generator of its own). util_action_pcap's three frames with the reply of
util-action-09's writepcap.py, "Hi all!": its README: "the three packets should trigger all three
signatures", sid 2 being content:"Hi all".
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import util_action_pcap  # noqa: E402
util_action_pcap.write(sys.argv[1], b"Hi all!\r\n")
