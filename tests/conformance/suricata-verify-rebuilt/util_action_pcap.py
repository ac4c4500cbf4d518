"""The three-frame capture of upstream suricata-verify's util-action tests
(tests/util-action-tests/util-action-{03,04,09}/writepcap.py, OISF
suricata-verify 667a9b86c062; rewritten here, not copied): VLAN 6 frames,
192.168.1.5:41424 -> 192.168.1.1:80 "Hi all!\\r\\n" (scapy's default flags:
a SYN carrying data), the reply 80 -> 41424 (also a SYN with data) whose
payload is the only thing the tests' captures differ in, then the client's
PSH/ACK "Hi all!\\r\\n" (sequence and acknowledgement 0, as scapy's
defaults)."""
from scapy.all import Ether, Dot1Q, IP, TCP, wrpcap


def write(out, reply):
    def frame():
        return Ether(dst="ff:ff:ff:ff:ff:ff", src="00:01:02:03:04:05") / Dot1Q(vlan=6)

    wrpcap(out, [
        frame() / IP(dst="192.168.1.1", src="192.168.1.5") / TCP(sport=41424, dport=80)
        / b"Hi all!\r\n",
        frame() / IP(dst="192.168.1.5", src="192.168.1.1") / TCP(sport=80, dport=41424)
        / reply,
        frame() / IP(dst="192.168.1.1", src="192.168.1.5")
        / TCP(sport=41424, dport=80, flags="PA") / b"Hi all!\r\n",
    ])
