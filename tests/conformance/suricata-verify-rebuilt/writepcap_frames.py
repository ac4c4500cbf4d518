"""The frames upstream suricata-verify's writepcap.py scripts for the uricontent
tests write (rewritten for this project, not copied): single PSH/ACK segments
with no handshake, 192.168.1.5 -> 192.168.1.1, broadcast Ethernet from
00:01:02:03:04:05, over VLAN 6 unless said otherwise."""
from scapy.all import Ether, Dot1Q, IP, TCP, wrpcap


def tcp(sport, dport, data, vlan=True):
    eth = Ether(dst="ff:ff:ff:ff:ff:ff", src="00:01:02:03:04:05")
    if vlan:
        eth = eth / Dot1Q(vlan=6)
    return (eth / IP(dst="192.168.1.1", src="192.168.1.5") /
            TCP(sport=sport, dport=dport, flags="PA") / data)


def write(out, frames):
    """Fixed timestamps, 10 ms apart, so the capture is the same on every run."""
    for i, f in enumerate(frames):
        f.time = 1700000000 + i * 0.01
    wrpcap(out, frames)
