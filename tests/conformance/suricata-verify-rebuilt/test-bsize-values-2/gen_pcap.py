"""Capture for upstream tests/test-bsize-values-2 (OISF suricata-verify
e111ad479e58; "a tcpdump capture of a dns query to google[.]com", not
available), which tests/test-bsize-values-1 shares: a DNS query for the A
record of google.com and its answer, over UDP.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, IP, UDP, DNS, DNSQR, DNSRR, wrpcap
C, S = "192.168.1.10", "192.168.1.1"
q = DNS(id=0x1a2b, rd=1, qd=DNSQR(qname="google.com", qtype="A"))
r = DNS(id=0x1a2b, qr=1, rd=1, ra=1, qd=DNSQR(qname="google.com", qtype="A"),
        an=DNSRR(rrname="google.com", type="A", ttl=300, rdata="142.250.74.46"))
pkts = [Ether()/IP(src=C, dst=S)/UDP(sport=53124, dport=53)/q,
        Ether()/IP(src=S, dst=C)/UDP(sport=53, dport=53124)/r]
pkts[1].time = pkts[0].time + 0.02
wrpcap(sys.argv[1], pkts)
