"""Capture for upstream tests/defrag/bug-6887-defrag-ipv6-tcp (OISF
suricata-verify e02102de6b39, frag-ip-tcp.py): a TCP ACK carrying 1000 bytes of
"A", cut into IPv6 fragments of at most 512 bytes, written as raw IPv6
(linktype 229).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import IPv6, IPv6ExtHdrFragment, TCP, fragment6, wrpcap
seg = IPv6()/IPv6ExtHdrFragment()/TCP(sport=12345, dport=8080, flags="A", seq=1)/(b"A" * 1000)
wrpcap(sys.argv[1], fragment6(seg, 512))
