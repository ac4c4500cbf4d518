"""A complete TCP session for the rebuilt cases whose upstream capture is one
exchange of data described only by its payload (written for this project):
three-way handshake 10.0.0.1:41000 -> 10.0.0.2:DPORT, the client's data in one
PSH/ACK segment, the server's acknowledgement (with its data, if any, and the
client's acknowledgement of that), then FIN/ACK from each side."""
from scapy.all import Ether, IP, TCP, wrpcap

CLIENT, SERVER, SPORT = "10.0.0.1", "10.0.0.2", 41000


def write(out, client_data, server_data=b"", dport=12345):
    cseq, sseq = 1000, 5000

    def c(flags, payload=b""):
        return (Ether(src="00:00:00:00:00:01", dst="00:00:00:00:00:02") /
                IP(src=CLIENT, dst=SERVER) /
                TCP(sport=SPORT, dport=dport, flags=flags, seq=cseq,
                    ack=sseq if "A" in flags else 0) / payload)

    def s(flags, payload=b""):
        return (Ether(src="00:00:00:00:00:02", dst="00:00:00:00:00:01") /
                IP(src=SERVER, dst=CLIENT) /
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
