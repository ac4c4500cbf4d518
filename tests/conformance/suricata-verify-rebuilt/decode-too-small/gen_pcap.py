"""Capture for upstream tests/decode-too-small (OISF suricata-verify 4e4dafdb611c):
IPv4 and IPv6 packets that announce TCP, UDP or GRE but carry no header, or
half a UDP header. The upstream script writes the TCP and UDP frames; its test
also counts one GRE frame per IP version, added here as the same empty shape.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, IP, IPv6, Raw, wrpcap
# IPv4 and IPv6 packets whose TCP, UDP or GRE header is missing or cut short
half_udp = Raw(b"\x81\x58\x00\x35")
eth = Ether(src="cb:cf:2b:50:a7:61", dst="49:a2:25:1a:07:4a")
pkts = []
for proto in (6, 17, 47):
    pkts.append(eth/IP(src="1.1.1.1", dst="2.2.2.2", proto=proto))
    if proto == 17:
        pkts.append(eth/IP(src="1.1.1.1", dst="2.2.2.2", proto=proto)/half_udp)
for proto in (6, 17, 47):
    pkts.append(eth/IPv6(src="fd01::1.1.1.1", dst="fd02::2.2.2.2", nh=proto))
    if proto == 17:
        pkts.append(eth/IPv6(src="fd01::1.1.1.1", dst="fd02::2.2.2.2", nh=proto)/half_udp)
wrpcap(sys.argv[1], pkts)
