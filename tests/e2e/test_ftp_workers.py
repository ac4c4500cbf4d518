#!/usr/bin/env python3
"""FTP data connections with 1, 2 and 4 workers: usage: test_ftp_workers.py IDSD SRC_ROOT OUT_DIR.

A crafted capture of 12 FTP sessions between 12 address pairs, their
packets interleaved, IPv4 and IPv6, active and passive: PORT then RETR,
PASV then RETR, EPSV then STOR (IPv4); EPRT then RETR, EPSV then RETR and
STOR (IPv6). A data connection's ports differ from its control
connection's, so the flow hash gives it to any worker; the expectation the
control connection announced is shared by all, and read in capture order.
Each session also has connections that must not be ftp-data: a second one
to a port already used, one to a port nobody announced, and an
announcement dropped because another connection of the pair looked after
its 30 s (as Suricata's expectations); one announcement is taken 40 s
late (Suricata takes a match however old).

idsd reads it with pcap-file.threads 1, 2 and 4: the alerts (an ftp-data
content rule, the same content on any TCP, and app-layer-protocol:ftp-data),
the flows' app_proto and the expectation counters must be the expected ones
and the same with every worker count, every field of the alert and flow
records (flow_id too, not flow.reason) alike; with several workers the gate's
counters show that the expectations were ordered.

Then the real FTP sessions of tests/data/ftp (zeek's traces) likewise: the
same flows, app_proto and alerts with 1, 2 and 4 workers, their data
connections ftp-data, each one flow (bigtransfer's GSO frames come as mbuf
chains, which the reader must hash whole like any frame)."""
import collections
import ipaddress
import json
import os
import shutil
import sys

from e2e_check import check, eve_conf, run_idsd
from pcapgen import Tcp, write_pcap

RULES = [
    'alert ftp-data any any -> any any (msg:"ftp-data payload"; flow:established; '
    'content:"SECRET-PAYLOAD"; sid:1;)',
    'alert tcp any any -> any any (msg:"payload on tcp"; content:"SECRET-PAYLOAD"; sid:2;)',
    'alert tcp any any -> any any (msg:"alp ftp-data"; app-layer-protocol:ftp-data; '
    'content:"XFER"; sid:3;)',
]
SESSIONS = 12


class Session:
    """One control connection and its data connections, frames with their
    second; want: the data connections' client port -> ftp-data or not."""

    def __init__(self, i):
        self.i, self.frames, self.secs, self.now = i, [], [], 10
        self.want = {}
        if i % 2:
            self.cli = ipaddress.ip_address(f"2001:db8:1::{i + 1:x}").packed
            self.srv = ipaddress.ip_address(f"2001:db8:2::{i + 1:x}").packed
        else:
            self.cli = bytes([192, 168, 10, i + 1])
            self.srv = bytes([203, 0, 113, i + 1])
        self.v6 = i % 2 == 1

    def stamp(self):
        self.secs += [self.now] * (len(self.frames) - len(self.secs))

    def conn(self, cli, srv, sp, dp):
        c = Tcp(self.frames, cli, srv, sp, dp)
        self.stamp()
        return c

    def send(self, c, d, data):
        c.send(d, data)
        self.stamp()

    def close(self, c):
        c.close()
        self.stamp()

    def data(self, cli, srv, sp, dp, d, ftp_data):
        """A data connection from cli:sp to srv:dp whose first data flows in
        d (0: to srv); its client port recorded with what it must be."""
        c = self.conn(cli, srv, sp, dp)
        self.send(c, d, b"XFER %d:%d SECRET-PAYLOAD file body\r\n" % (self.i, sp))
        self.close(c)
        self.want[(sp, dp)] = ftp_data

    def addr_text(self, a):
        return str(ipaddress.ip_address(a))


def login(s, c):
    s.send(c, 1, b"220 ready\r\n")
    s.send(c, 0, b"USER anonymous\r\n")
    s.send(c, 1, b"331 password please\r\n")
    s.send(c, 0, b"PASS guest@\r\n")
    s.send(c, 1, b"230 logged in\r\n")


def active(s, c, port, cmd):
    """PORT (IPv4) or EPRT (IPv6) naming the client's port, then cmd."""
    if s.v6:
        s.send(c, 0, b"EPRT |2|%s|%d|\r\n" % (s.addr_text(s.cli).encode(), port))
    else:
        h = ",".join(str(b) for b in s.cli).encode()
        s.send(c, 0, b"PORT %s,%d,%d\r\n" % (h, port >> 8, port & 255))
    s.send(c, 1, b"200 ok\r\n")
    s.send(c, 0, cmd + b" f%d\r\n" % port)
    s.send(c, 1, b"150 opening data connection\r\n")


def passive(s, c, port, cmd):
    """PASV (IPv4 sessions, every other one) or EPSV, then cmd."""
    if not s.v6 and s.i % 4 == 0:
        s.send(c, 0, b"PASV\r\n")
        h = ",".join(str(b) for b in s.srv).encode()
        s.send(c, 1, b"227 Entering Passive Mode (%s,%d,%d).\r\n" % (h, port >> 8, port & 255))
    else:
        s.send(c, 0, b"EPSV\r\n")
        s.send(c, 1, b"229 Entering Extended Passive Mode (|||%d|)\r\n" % port)
    s.send(c, 0, cmd + b" f%d\r\n" % port)
    s.send(c, 1, b"150 ok\r\n")


def session(i):
    s = Session(i)
    c = s.conn(s.cli, s.srv, 40000 + i, 21)
    login(s, c)
    # active RETR: the server connects from 20, its data flows to the client
    active(s, c, 50000 + i, b"RETR")
    s.data(s.srv, s.cli, 20, 50000 + i, 0, True)
    s.send(c, 1, b"226 transfer complete\r\n")
    # passive RETR: the client connects, the server's data comes first
    passive(s, c, 51000 + i, b"RETR")
    s.data(s.cli, s.srv, 41000 + i, 51000 + i, 1, True)
    s.send(c, 1, b"226 transfer complete\r\n")
    # passive STOR: the client connects and sends
    passive(s, c, 52000 + i, b"STOR")
    s.data(s.cli, s.srv, 42000 + i, 52000 + i, 0, True)
    s.send(c, 1, b"226 transfer complete\r\n")
    # the same port again: used up
    s.data(s.cli, s.srv, 43000 + i, 52000 + i, 0, False)
    # a port nobody announced
    s.data(s.cli, s.srv, 44000 + i, 53000 + i, 0, False)
    # announced, then another connection of the pair looks 31 s later:
    # that drops it, and the announced one a second later is not ftp-data
    passive(s, c, 54000 + i, b"RETR")
    s.now += 31
    s.data(s.cli, s.srv, 45000 + i, 55000 + i, 0, False)
    s.now += 1
    s.data(s.cli, s.srv, 46000 + i, 54000 + i, 1, False)
    s.send(c, 1, b"425 no connection\r\n")
    # announced, nothing else of the pair looks: taken 40 s late
    passive(s, c, 56000 + i, b"RETR")
    s.now += 40
    s.data(s.cli, s.srv, 47000 + i, 56000 + i, 1, True)
    s.send(c, 1, b"226 transfer complete\r\n")
    s.send(c, 0, b"QUIT\r\n")
    s.send(c, 1, b"221 bye\r\n")
    s.close(c)
    return s


def capture():
    """The sessions' frames interleaved (within a second, one of each
    session's in turn), their seconds, and the sessions."""
    sessions = [session(i) for i in range(SESSIONS)]
    order = sorted((sec, k, i) for i, s in enumerate(sessions) for k, sec in enumerate(s.secs))
    frames = [sessions[i].frames[k] for _, k, i in order]
    secs = [sec for sec, _, _ in order]
    return frames, secs, sessions


def run(idsd, pcap, rules, out, workers, nframes=None):
    """rules: (file, how many); nframes: a crafted capture's frames (its
    checksums checked), None for a real one (checksums as captured)."""
    log = os.path.join(out, f"w{workers}")
    os.makedirs(log)
    recs = run_idsd(idsd, log, pcap, [rules[0]], eve_conf("- alert\n- flow\n- stats"),
                    ["-k", "all" if nframes is not None else "none",
                     "--set", f"pcap-file.threads={workers}"],
                    loaded=rules[1], packets=nframes, timeout=280)
    alerts, flows, stats, dup = collections.Counter(), {}, {}, []
    records = collections.Counter()   # every alert and flow record whole
    for e in recs:
        t = e.get("event_type")
        if t in ("alert", "flow"):
            # a flow idle past its timeout is logged "timeout" by a
            # worker that sees later packets, "shutdown" by one that
            # sees none: the one field that may differ
            e.get("flow", {}).pop("reason", None)
            records[json.dumps(e, sort_keys=True)] += 1
        if t == "alert":
            alerts[(e["alert"]["signature_id"], e["timestamp"], e["src_ip"], e["src_port"],
                    e["dest_ip"], e["dest_port"], e.get("app_proto"))] += 1
        elif t == "flow":
            key = (e["src_ip"], e["src_port"], e["dest_ip"], e["dest_port"])
            if key in flows:
                dup.append(key)
            flows[key] = e.get("app_proto")
        elif t == "stats":
            stats = e["stats"]
    check(not dup, f"{workers} worker(s): one flow record per flow {dup}")
    check(stats.get("decoder", {}).get("invalid", 0) == 0,
          f"{workers} worker(s): every frame decoded (checksums checked)")
    app = stats.get("app_layer", {})
    expect = {k: app.get(k) for k in ("expectations", "expectation_created",
                                      "expectation_matched", "expectation_expired",
                                      "expectation_evicted", "expectation_refused")}
    gate = stats.get("capture", {}).get("gate", {})
    if workers > 1 and nframes is not None:
        check(gate.get("checks", 0) > 0,
              f"{workers} workers: the expectations went through the gate: {gate}")
    return alerts, flows, expect, records


# zeek's FTP traces: capture -> the data connections' (client port, server
# port) that are ftp-data (RETR/STOR after PORT/EPRT/PASV/EPSV)
REAL = {"bigtransfer": {(59764, 37150)}, "ipv4": {(59378, 56667), (61918, 37835)},
        "ipv6": {(49188, 57088), (55785, 49189)}, "retr": {(50737, 38141)}}
REAL_RULES = RULES + [
    'alert tcp any any -> any any (msg:"ftp-data data"; app-layer-protocol:ftp-data; '
    'flow:established; dsize:>0; sid:4;)',
]


def real(idsd, src, out):
    rules = os.path.join(out, "real.rules")
    with open(rules, "w", encoding="utf-8") as f:
        f.write("\n".join(REAL_RULES) + "\n")
    fired = 0
    for name, want in REAL.items():
        d = os.path.join(out, name)
        os.makedirs(d)
        pcap = os.path.join(src, "tests", "data", "ftp", name + ".pcap")
        alerts, flows, expect, records = run(idsd, pcap, (rules, len(REAL_RULES)), d, 1)
        got = {(k[1], k[3]) for k, p in flows.items() if p == "ftp-data"}
        check(got == want, f"{name}: the ftp-data connections {sorted(got)}, want {sorted(want)}")
        fired += sum(n for (sid, *_), n in alerts.items() if sid == 4)
        for workers in (2, 4):
            a, f, e, r = run(idsd, pcap, (rules, len(REAL_RULES)), d, workers)
            check(a == alerts and f == flows and e == expect and r == records,
                  f"{name}, {workers} workers: the same alerts, flows and counters as 1 "
                  f"(flows {sorted(set(f.items()) ^ set(flows.items()))[:4]}, "
                  f"alerts {sorted((a - alerts) + (alerts - a))[:3]})")
    check(fired > 0, f"the ftp-data rule fired on the real sessions ({fired} alerts)")


def main():
    idsd, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames, secs, sessions = capture()
    pcap = os.path.join(out, "ftp-workers.pcap")
    write_pcap(pcap, frames, secs)
    rules = os.path.join(out, "ftp-workers.rules")
    with open(rules, "w", encoding="utf-8") as f:
        f.write("\n".join(RULES) + "\n")

    rules = (rules, len(RULES))
    alerts, flows, expect, records = run(idsd, pcap, rules, out, 1, len(frames))
    # what Suricata gives each connection, with one worker
    ndata = 0
    for s in sessions:
        for (sp, dp), ftp_data in s.want.items():
            ndata += ftp_data
            hits = [k for k in flows if k[1] == sp and k[3] == dp]
            check(len(hits) == 1, f"session {s.i}: the flow {sp} -> {dp} was logged")
            got = flows[hits[0]]
            check((got == "ftp-data") == ftp_data,
                  f"session {s.i}: {sp} -> {dp} app_proto {got!r}, ftp-data: {ftp_data}")
    ctl = [p for k, p in flows.items() if k[3] == 21]
    check(ctl == ["ftp"] * SESSIONS, f"the control connections are ftp: {ctl}")
    by_sid = collections.Counter()
    for (sid, *_, proto), n in alerts.items():
        by_sid[sid] += n
        check(sid != 1 and sid != 3 or proto == "ftp-data",
              f"sid {sid} alerted on ftp-data only (got {proto})")
    nconn = sum(len(s.want) for s in sessions)
    check(by_sid == {1: ndata, 2: nconn, 3: ndata},
          f"alerts by signature {dict(by_sid)}: want ftp-data {ndata}, data connections {nconn}")
    check(expect == {"expectations": 0, "expectation_created": 5 * SESSIONS,
                     "expectation_matched": 4 * SESSIONS,
                     "expectation_expired": SESSIONS, "expectation_evicted": 0,
                     "expectation_refused": 0},
          f"1 worker: expectation counters {expect}")
    for workers in (2, 4):
        a, f, e, r = run(idsd, pcap, rules, out, workers, len(frames))
        check(a == alerts, f"{workers} workers: the same alerts as 1 "
              f"(missing {sorted((alerts - a).elements())[:3]}, "
              f"extra {sorted((a - alerts).elements())[:3]})")
        diff = {k: (flows.get(k), f.get(k)) for k in set(flows) | set(f)
                if flows.get(k) != f.get(k)}
        check(not diff, f"{workers} workers: the same flows and app_proto as 1 {diff}")
        check(e == expect, f"{workers} workers: the same expectation counters {e}")
        check(r == records, f"{workers} workers: the same alert and flow records, every field "
              f"(flow_id too): {sorted((r - records).elements())[:1]}")
    real(idsd, src, out)


if __name__ == "__main__":
    main()
