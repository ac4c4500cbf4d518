"""Capture for upstream tests/uricontent/uricontent-03 (OISF suricata-verify
435141bee773), as its writepcap.py writes it: one segment 41424 -> 80,
POST /one/two/three/six HTTP/1.0 with a Mozilla/1.0 user agent and a cookie.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from writepcap_frames import tcp, write  # noqa: E402

write(sys.argv[1], [
    tcp(41424, 80, b"POST /one/two/three/six HTTP/1.0\r\nUser-Agent: Mozilla/1.0\r\n"
        b"Cookie: hellocatch\r\n\r\n"),
])
