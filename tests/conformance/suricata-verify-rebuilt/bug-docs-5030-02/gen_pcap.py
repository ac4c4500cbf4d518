"""Capture for upstream tests/bug-docs-5030-02 (OISF suricata-verify 9a4877e25ec4;
its capture, 39_bytes.pcap from Suricata ticket 5030, is not available). Its
README and name describe it: a 39-byte payload that ends with the rule's
17-byte content "yYYYYYYYYYYYYYYYY", which distance:9 within:29 endswith allow
only in a buffer of at most 38 bytes. Assumed: the 22 bytes before the content
("x"), and the complete session around the one client segment (tcp_session_pcap).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tcp_session_pcap  # noqa: E402
payload = b"x" * 22 + b"yYYYYYYYYYYYYYYYY"
assert len(payload) == 39
tcp_session_pcap.write(sys.argv[1], payload)
