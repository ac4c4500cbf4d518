#!/usr/bin/env python3
"""Snort 3 community rules on the real idsd: usage:
test_snort3_rules.py IDSD SOURCE_ROOT OUT_DIR

A slice of Talos' Snort 3 community rules (tests/data/snort3, copied
unchanged) loads whole with -T; two rules with options the engine has no
equivalent for fail with file:line and a counted reason. A crafted capture
(pcapgen) then triggers some of the slice: content suboptions (depth,
distance, nocase), sticky HTTP buffers, http_header:field, bufferlen,
file_data in both directions, service rules (alert http) and the service
option, which stands for the rule's ports on a flow of that service (HTTP
on 8090 for rules on $HTTP_PORTS, FTP on 2121 for a rule on port 21) but
not on a flow of another protocol; each request or connection that differs
in the one thing a rule checks gets no alert. A rule without content (a
port group's) gets the same service treatment."""
import os
import shutil
import subprocess
import sys

from e2e_check import Checks, run_idsd
from pcapgen import Tcp, write_pcap

EXT, EXT2 = bytes([203, 0, 113, 7]), bytes([198, 51, 100, 9])
SRV, CLI = bytes([10, 0, 0, 80]), bytes([10, 0, 0, 5])


def http_8090(frames):
    """An outside client to a web server of HOME_NET on port 8090."""
    t = Tcp(frames, EXT, SRV, 40001, 8090)
    t.send(0, b"GET /pages/x.action?q=${atlassian.util(1)} HTTP/1.1\r\nHost: srv\r\n"
              b"User-Agent: HttpBrowser/1.0\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 34\r\n\r\n<h1>Index of /cgi-bin/</h1>\r\n<hr>")
    t.send(0, b"GET /shell?cmd=ls+-la HTTP/1.1\r\nHost: srv\r\nUser-Agent: curl\r\n\r\n")
    t.send(1, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    # bufferlen:>13 does not hold
    t.send(0, b"GET /shell?x HTTP/1.1\r\nHost: srv\r\nUser-Agent: curl\r\n\r\n")
    t.send(1, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    body = b"bootstrapStatusProvider.applicationConfig.setupComplete=false"
    t.send(0, b"POST /setup/finishsetup.action HTTP/1.1\r\nHost: srv\r\n"
              b"Content-Type: application/x-www-form-urlencoded\r\n"
              b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    t.close()


def http_out(frames):
    """A client of HOME_NET to an outside web server on port 80."""
    t = Tcp(frames, CLI, EXT2, 40002, 80)
    t.send(0, b"GET /linkendorse.html HTTP/1.1\r\nHost: ext\r\n\r\n")
    page = b"<object classid=\"clsid:0534CF61-83C5-4765-B19B-45F7A4E135D0\"></object>"
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(page), page))
    # bufferlen:17 does not hold; the same page again: file_data holds
    t.send(0, b"GET /linkendorse.html?a=1 HTTP/1.1\r\nHost: ext\r\n\r\n")
    t.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nplain")
    t.close()


def dagger(frames, sport, lead):
    """Sid 105's server reply (content depth 16) after LEAD bytes."""
    t = Tcp(frames, EXT, CLI, sport, 2589)
    t.send(0, b"hello\r\n")
    t.send(1, lead + b"2\x00\x00\x00\x06\x00\x00\x00Drives$\x00C:\\")
    t.close()


def ftp(frames, dport, first):
    """An FTP-like session to port DPORT whose client first sends FIRST,
    then (after the server's reply) PASS."""
    t = Tcp(frames, EXT, SRV, 41000 + dport % 1000, dport)
    t.send(1, b"220 ready\r\n")
    t.send(0, first)
    t.send(1, b"331 password\r\n")
    t.send(0, b"PASS x\r\n")
    t.close()


# (sid, client port of the flow) -> alerts; every other pair none
WANT = {
    (59941, 40001): 1,   # alert http: http_uri contents and pcre, on port 8090
    (42886, 40001): 1,   # alert http: http_header:field user-agent
    (1666, 40001): 1,    # file_data to_client, $HTTP_SERVERS $HTTP_PORTS, service:http
    (42857, 40001): 1,   # http_uri; bufferlen:>13 on $HTTP_PORTS, service:http
    (62506, 40001): 1,   # alert http: http_client_body
    (26814, 40002): 1,   # http_uri; bufferlen:17
    (2485, 40002): 1,    # file_data, service:ftp-data,http,imap,pop3
    (105, 40100): 1,     # content:"...",depth 16
    (144, 41021): 1,     # port 21
    (144, 41121): 1,     # port 2121, detected FTP: service:ftp
    # a rule of this test without content (the port groups' always-checked
    # rules): the service stands for port 21 there too, from the packet
    # after the one the protocol is detected on (a packet rule sees the
    # flow's protocol as Suricata's app-layer-protocol does): PASS only
    (9000001, 41021): 2,
    (9000001, 41121): 1,
}

# (written here, not Talos') no fast pattern: checked by the port groups
LOCAL = ('alert tcp $EXTERNAL_NET any -> $HOME_NET 21 (msg:"client data to FTP"; '
         'flow:to_server,established; dsize:>5; service:ftp; sid:9000001;)')


def main():
    idsd, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    check = Checks()
    data = os.path.join(root, "tests", "data", "snort3")
    slice_rules = os.path.join(data, "community-slice.rules")
    bad = os.path.join(data, "community-unsupported.rules")

    p = subprocess.run([idsd, "-T", "-S", slice_rules], capture_output=True, text=True,
                       timeout=120)
    msgs = p.stdout + p.stderr
    check(p.returncode == 0 and "rules: 31 loaded, 0 failed" in msgs,
          f"-T loads the slice whole: rc {p.returncode}: {msgs[-300:]}")
    p = subprocess.run([idsd, "-T", "-S", bad], capture_output=True, text=True, timeout=120)
    msgs = p.stdout + p.stderr
    for w in (f"{bad}:1: unsupported keyword 'dce_iface'",
              f"{bad}:2: unknown variable '$SIP_SERVERS'", "rules: 0 loaded, 2 failed"):
        check(w in msgs, f"-T reports {w!r}")
    check(p.returncode == 1, f"-T with failed rules exits 1: {p.returncode}")

    frames = []
    http_8090(frames)
    http_out(frames)
    dagger(frames, 40100, b"")
    dagger(frames, 40101, b"01234567")      # past depth 16: no alert
    ftp(frames, 21, b"USER w0rm\r\n")
    ftp(frames, 2121, b"USER w0rm\r\n")
    ftp(frames, 2122, b"HELLO\r\nUSER w0rm\r\n")  # not FTP, not port 21: no alert
    pcap = os.path.join(out, "snort3.pcap")
    write_pcap(pcap, frames)
    local = os.path.join(out, "local.rules")
    with open(local, "w", encoding="utf-8") as f:
        f.write(LOCAL + "\n")
    eve = run_idsd(idsd, out, pcap, [slice_rules, local])
    got = {}
    for a in eve:
        if a.get("event_type") != "alert":
            continue
        cport = a["src_port"] if a["src_port"] > 40000 else a["dest_port"]
        key = (a["alert"]["signature_id"], cport)
        got[key] = got.get(key, 0) + 1
    for key, n in sorted(WANT.items()):
        check(got.get(key, 0) == n, f"sid {key[0]} on the flow from port {key[1]}: "
              f"{got.get(key, 0)} alerts, want {n}")
    extra = {k: v for k, v in got.items() if k not in WANT}
    check(not extra, f"no other alert: {extra}")
    return check.done("snort3_rules")


if __name__ == "__main__":
    sys.exit(main())
