#!/usr/bin/python3
"""Writes starttls.pcap with scapy (Debian's python3-scapy; run with the
system python: /usr/bin/python3 make_starttls.py): TCP sessions whose
application protocol changes midway, as test_starttls.py checks them.
The TLS records are scapy's (scapy.layers.tls), the server's certificate
cert.der (self-signed, CN=mail.example.org, made once with certtool:
certtool --generate-privkey --key-type ecdsa; certtool
--generate-self-signed --outder). The TCP framing is tests/e2e/pcapgen.py's.

Sessions, client 10.0.0.1 port 42000 + n to server 10.0.0.2:
 1 SMTP (25): STARTTLS accepted (220), then a TLS handshake with SNI
   mail.example.org and the certificate;
 2 SMTP: STARTTLS accepted, then the client speaks SMTP in plain text;
 3 SMTP: STARTTLS accepted, then bytes of no protocol, then the end;
 4 SMTP: STARTTLS refused (454), then a mail with an attachment in plain text;
 5 FTP (21): AUTH TLS accepted (234), then the TLS handshake;
 6 SMTP: STARTTLS accepted, then 4800 bytes of no protocol in 4 segments;
 7 HTTP (8080): CONNECT answered 200, then the TLS handshake;
 8 HTTP: CONNECT answered 407, then a plain request.
Deterministic: fixed times, fixed TLS randoms, the committed cert.der."""
import os
import sys

from scapy.layers.tls.all import (TLS, TLSClientHello, TLSServerHello, TLSCertificate,
                                  TLSServerHelloDone)
from scapy.layers.tls.cert import Cert
from scapy.layers.tls.extensions import TLS_Ext_ServerName, ServerName

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "e2e"))
from pcapgen import Tcp, write_pcap  # noqa: E402

CLI, SRV = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
CCS = b"\x14\x03\x03\x00\x01\x01"


def hello():
    ch = TLS(type=22, version=0x0301, msg=[TLSClientHello(
        version=0x0303, gmt_unix_time=0, random_bytes=bytes(28), sid=b"",
        ciphers=[0xc02f, 0xc030], comp=[0],
        ext=[TLS_Ext_ServerName(servernames=[ServerName(servername=b"mail.example.org")])])])
    with open(os.path.join(HERE, "cert.der"), "rb") as f:
        der = f.read()
    sh = TLS(type=22, version=0x0303, msg=[
        TLSServerHello(version=0x0303, gmt_unix_time=0, random_bytes=bytes(28), sid=b"",
                       cipher=0xc02f, comp=0),
        TLSCertificate(certs=[Cert(der)]), TLSServerHelloDone()])
    return bytes(ch), bytes(sh)


def handshake(t):
    ch, sh = hello()
    t.send(0, ch)
    t.send(1, sh)
    t.send(0, CCS)
    t.send(1, CCS)


def smtp_starttls(t, reply=b"220 2.0.0 Ready to start TLS\r\n"):
    t.send(1, b"220 mail.example.org ESMTP\r\n")
    t.send(0, b"EHLO client.example.org\r\n")
    t.send(1, b"250-mail.example.org\r\n250 STARTTLS\r\n")
    t.send(0, b"STARTTLS\r\n")
    t.send(1, reply)


def main():
    fr = []
    t = Tcp(fr, CLI, SRV, 42001, 25)
    smtp_starttls(t)
    handshake(t)
    t.close()

    t = Tcp(fr, CLI, SRV, 42002, 25)
    smtp_starttls(t)
    t.send(0, b"EHLO again.example.org\r\n")
    t.send(1, b"250 mail.example.org\r\n")
    t.close()

    t = Tcp(fr, CLI, SRV, 42003, 25)
    smtp_starttls(t)
    t.send(0, b"\x01\x02 no protocol starts so\r\n")
    t.close()

    t = Tcp(fr, CLI, SRV, 42004, 25)
    smtp_starttls(t, b"454 4.7.0 TLS not available\r\n")
    t.send(0, b"MAIL FROM:<eve@example.net>\r\n")
    t.send(1, b"250 OK\r\n")
    t.send(0, b"RCPT TO:<bob@example.org>\r\n")
    t.send(1, b"250 OK\r\n")
    t.send(0, b"DATA\r\n")
    t.send(1, b"354 go ahead\r\n")
    t.send(0, b"Subject: hi\r\nMIME-Version: 1.0\r\n"
              b"Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\n"
              b"Content-Type: text/plain\r\n"
              b"Content-Disposition: attachment; filename=\"a.txt\"\r\n\r\n"
              b"plain body after 454\r\n--B--\r\n.\r\n")
    t.send(1, b"250 queued\r\n")
    t.close()

    t = Tcp(fr, CLI, SRV, 42005, 21)
    t.send(1, b"220 ftp.example.org FTP ready\r\n")
    t.send(0, b"AUTH TLS\r\n")
    t.send(1, b"234 AUTH TLS OK.\r\n")
    handshake(t)
    t.close()

    t = Tcp(fr, CLI, SRV, 42006, 25)
    smtp_starttls(t)
    for i in range(4):
        t.send(0, bytes([1 + i]) * 1200)
    t.close()

    t = Tcp(fr, CLI, SRV, 42007, 8080)
    t.send(0, b"CONNECT mail.example.org:443 HTTP/1.1\r\nHost: mail.example.org:443\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 Connection established\r\n\r\n")
    handshake(t)
    t.close()

    t = Tcp(fr, CLI, SRV, 42008, 8080)
    t.send(0, b"CONNECT mail.example.org:443 HTTP/1.1\r\nHost: mail.example.org:443\r\n\r\n")
    t.send(1, b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
    t.send(0, b"GET /after-407 HTTP/1.1\r\nHost: mail.example.org\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    t.close()

    write_pcap(os.path.join(HERE, "starttls.pcap"), fr)


if __name__ == "__main__":
    main()
