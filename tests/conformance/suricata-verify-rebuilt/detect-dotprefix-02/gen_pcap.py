"""Capture for upstream tests/detect-dotprefix-02 (OISF suricata-verify
fde6220a60a4; its capture is not available, its checks want each rule to fire
once): one DNS query for www.google.co.uk, a subdomain, whose name already holds .google.co.uk, and its answer.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, IP, UDP, DNS, DNSQR, DNSRR, wrpcap
C, S = "10.16.1.11", "10.16.1.1"
q = DNS(id=0x2c1d, rd=1, qd=DNSQR(qname="www.google.co.uk", qtype="A"))
r = DNS(id=0x2c1d, qr=1, rd=1, ra=1, qd=DNSQR(qname="www.google.co.uk", qtype="A"),
        an=DNSRR(rrname="www.google.co.uk", type="A", ttl=60, rdata="192.0.2.80"))
pkts = [Ether()/IP(src=C, dst=S)/UDP(sport=41000, dport=53)/q,
        Ether()/IP(src=S, dst=C)/UDP(sport=53, dport=41000)/r]
pkts[1].time = pkts[0].time + 0.01
wrpcap(sys.argv[1], pkts)
