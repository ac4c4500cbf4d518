"""Capture for upstream tests/decode-too-many-layers (OISF suricata-verify
d14fbbd3372a, ethmpls.py): one frame of 32 nested layers, each Ethernet
(type MPLS unicast) then an MPLS label at the bottom of the stack and a zero
pseudowire control word, so Ethernet follows again. The upstream script writes
the frame in a fuzzer's container; here it is the one frame of a pcap.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Raw, wrpcap
layer = (bytes.fromhex("010203040506" "010203040507" "8847") +  # Ethernet, MPLS
         bytes.fromhex("00010100") +                          # label 16, S=1
         bytes.fromhex("00000000"))                           # PW control word
wrpcap(sys.argv[1], [Raw(layer * 32)], linktype=1)
