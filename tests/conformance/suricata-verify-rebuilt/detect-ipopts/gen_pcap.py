"""Capture for upstream tests/detect-ipopts (OISF suricata-verify c88ce18d639c):
eight raw-IP TCP packets, one per IPv4 option kind.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import (IP, TCP, IPOption_RR, IPOption_LSRR, IPOption_EOL, IPOption_NOP,
                       IPOption_Timestamp, IPOption_Security, IPOption_SSRR,
                       IPOption_Stream_Id, wrpcap)
# one raw-IP packet per option, each padded by scapy to a multiple of 4
options = [IPOption_RR(), IPOption_LSRR(routers=["1.2.3.4", "5.6.7.8"]), IPOption_EOL(),
           IPOption_NOP(), IPOption_Timestamp(flg=0, length=8),
           IPOption_Security(transmission_control_code="XYZ"),
           IPOption_SSRR(routers=["1.1.1.1", "8.8.8.8"]), IPOption_Stream_Id()]
wrpcap(sys.argv[1], [IP(src="9.10.11.12", dst="13.14.15.16", options=o)/TCP() for o in options])
