"""A complete TCP session for the rebuilt cases whose upstream capture is one
exchange of data described only by its payload (written for this project):
three-way handshake CLIENT:41000 -> SERVER:DPORT (10.0.0.1 and 10.0.0.2 unless
given; IPv6 when they are IPv6 addresses), the client's data in one PSH/ACK
segment, the server's acknowledgement (with its data, if any, and the client's
acknowledgement of that), then FIN/ACK from each side."""
from scapy.all import Ether, IP, IPv6, TCP, wrpcap

SPORT = 41000


def write(out, client_data, server_data=b"", dport=12345, client="10.0.0.1",
          server="10.0.0.2"):
    cseq, sseq = 1000, 5000
    ip = IPv6 if ":" in client else IP

    def c(flags, payload=b""):
        return (Ether(src="00:00:00:00:00:01", dst="00:00:00:00:00:02") /
                ip(src=client, dst=server) /
                TCP(sport=SPORT, dport=dport, flags=flags, seq=cseq,
                    ack=sseq if "A" in flags else 0) / payload)

    def s(flags, payload=b""):
        return (Ether(src="00:00:00:00:00:02", dst="00:00:00:00:00:01") /
                ip(src=server, dst=client) /
                TCP(sport=dport, dport=SPORT, flags=flags, seq=sseq, ack=cseq) / payload)

    pkts = [c("S")]
    cseq += 1
    pkts.append(s("SA"))
    sseq += 1
    pkts.append(c("A"))
    pkts.append(c("PA", client_data))
    cseq += len(client_data)
    if server_data:
        pkts.append(s("PA", server_data))
        sseq += len(server_data)
        pkts.append(c("A"))
    else:
        pkts.append(s("A"))
    pkts.append(c("FA"))
    cseq += 1
    pkts.append(s("FA"))
    sseq += 1
    pkts.append(c("A"))
    for i, p in enumerate(pkts):
        p.time = 1700000000 + i * 0.01
    wrpcap(out, pkts)
