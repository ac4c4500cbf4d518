"""Capture for upstream tests/detect-bytetest-02 (OISF suricata-verify e7cb0bb4105a):
one IPv6 TCP PSH/ACK over VLAN 6 (no handshake) holding an HTTP/1.0 GET of
/AllWorkAndNoPlayMakesWillADullBoy as scapy's HTTP layer writes it.
usage: gen_pcap.py OUT.pcap (system python with python3-scapy)."""
import sys
from scapy.all import Ether, Dot1Q, IPv6, TCP, load_layer, wrpcap
load_layer("http")
from scapy.layers.http import HTTP, HTTPRequest  # noqa: E402

req = HTTPRequest(Method="GET", Path="/AllWorkAndNoPlayMakesWillADullBoy",
                  Http_Version="HTTP/1.0", User_Agent="Wget/1.11.4", Accept="*/*",
                  Host="www.google.com", Connection="Keep-Alive",
                  Date="Mon, 04 Jan 2010 17:29:39 GMT")
wrpcap(sys.argv[1], Ether(dst="ff:ff:ff:ff:ff:ff", src="00:01:02:03:04:05")/Dot1Q(vlan=6)/
       IPv6(src="::ffff:5.6.7.8", dst="::ffff:1.2.3.4")/TCP(sport=6666, dport=63, flags="PA")/
       HTTP()/req)
