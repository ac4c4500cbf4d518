"""Capture for upstream tests/test-bsize-values-1 (OISF suricata-verify
6d98b1649122), which runs on tests/test-bsize-values-2's capture: the same
DNS query for google.com and its answer (see ../test-bsize-values-2).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import runpy
import sys
runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "..", "test-bsize-values-2", "gen_pcap.py"), run_name="__main__")
