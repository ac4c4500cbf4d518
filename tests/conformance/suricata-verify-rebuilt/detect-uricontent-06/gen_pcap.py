"""Capture for upstream tests/uricontent/detect-uricontent-06 (OISF suricata-verify
e0b79ad8d32a), as its writepcap.py writes it: one segment (no VLAN) 53 -> 80,
"GET%00 /images.gif HTTP/1.1" with host www.ExAmPlE.cOM: no HTTP method.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from writepcap_frames import tcp, write  # noqa: E402

write(sys.argv[1], [
    tcp(53, 80, b"GET%00 /images.gif HTTP/1.1\r\nHost: www.ExAmPlE.cOM\r\n\r\n", vlan=False),
])
