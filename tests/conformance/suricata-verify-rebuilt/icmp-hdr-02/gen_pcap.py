"""Capture for upstream tests/icmp-hdr-02 (OISF suricata-verify 9c0102c0ca5e;
its capture is not available): one ICMP redirect for host (type 5, code 1)
whose 8-byte header ends with the bytes be 0a 7b 00 03 the rule looks for:
the checksum's low byte 0xbe and the gateway 10.123.0.3. The quoted
datagram's IP id is chosen so the checksum ends in 0xbe (the quoted header's
own checksum is left 0, else it would cancel each change of the id).
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, IP, ICMP, IPerror, UDPerror, wrpcap
for ipid in range(65536):
    pkt = (Ether(src="00:00:0a:7b:00:01", dst="00:00:0a:7b:00:64")/
           IP(src="10.123.0.1", dst="10.123.0.100")/
           ICMP(type=5, code=1, gw="10.123.0.3")/
           IPerror(src="10.123.0.100", dst="192.0.2.10", id=ipid, proto=17, chksum=0)/
           UDPerror(sport=33000, dport=53))
    raw = bytes(pkt)
    if raw[14 + 20 + 3] == 0xbe:
        break
else:
    sys.exit("no IP id gives the checksum")
wrpcap(sys.argv[1], [pkt])
