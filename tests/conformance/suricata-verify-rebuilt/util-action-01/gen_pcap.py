"""Capture for upstream tests/util-action-tests/util-action-01 (OISF
suricata-verify; its test.yaml names the capture of util-action-13, not available:
its README says only 'generated with scapy'). util_action_pcap's three frames, the
reply as util-action-09's writepcap.py writes it; the checks do not depend on it
(the rules have no content, or the flow's verdict is set on the first packet).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import util_action_pcap  # noqa: E402
util_action_pcap.write(sys.argv[1], b"Hi all!\r\n")
