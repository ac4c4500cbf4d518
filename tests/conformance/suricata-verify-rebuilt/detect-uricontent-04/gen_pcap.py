"""Capture for upstream tests/uricontent/detect-uricontent-04 (OISF suricata-verify
418bb1232a2f), as its writepcap.py writes it: four GETs for images.gif with
host www.ExAmPlE.cOM, each its own flow: /../../images.gif (53 -> 80),
/%2e%2e/images.gif (80 -> 53), "GET%00 /images.gif" (43 -> 70, no HTTP method)
and /./././images.gif (42 -> 60).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from writepcap_frames import tcp, write  # noqa: E402

HOST = b"HTTP/1.1\r\nHost: www.ExAmPlE.cOM\r\n\r\n"
write(sys.argv[1], [
    tcp(53, 80, b"GET /../../images.gif " + HOST),
    tcp(80, 53, b"GET /%2e%2e/images.gif " + HOST),
    tcp(43, 70, b"GET%00 /images.gif " + HOST),
    tcp(42, 60, b"GET /./././images.gif " + HOST),
])
