#!/usr/bin/env python3
"""Live inline tests of idsd: two network namespaces (client, server) joined
through idsd's net_af_packet ports on veth pairs, real TCP traffic.

usage: test_inline.py IDSD SRC_ROOT TEST OUT_DIR   (as root)
Each test builds its own namespaces and veths (names from the test's slot) and
removes them at the end, also on failure.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from telemetry_client import Telemetry  # noqa: E402

IDSD = SRC = OUT = None
FAILS = []
TESTS = ["ips", "tap", "standby", "reload", "signals", "daemon", "reload_partial", "rate_filter",
         "ips_pair", "reload_vars"]
# Slots (namespace, veth and subnet names) away from 1..N for tests other
# branches may add at the same index.
SLOTS = {"reload_partial": 131, "rate_filter": 132, "ips_pair": 133, "reload_vars": 134}

RULES = """\
alert tcp any any -> any 8080 (msg:"INLINE secret"; content:"/secret"; sid:1;)
drop tcp any any -> any 8080 (msg:"INLINE blocked"; content:"/blockme"; sid:2;)
reject tcp any any -> any 8080 (msg:"INLINE rejected"; content:"/rejectme"; sid:3;)
"""


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("  not ok:", what, flush=True)
    else:
        print("  ok:", what, flush=True)
    return cond


def sh(*args, check_rc=True):
    p = subprocess.run(list(args), capture_output=True, text=True)
    if check_rc and p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {p.stderr.strip()}")
    return p


class Net:
    """Client ns --veth-- idsd --veth-- server ns, all in one /24."""

    def __init__(self, slot):
        self.slot = slot
        self.cns, self.sns = f"idsc{slot}", f"idss{slot}"
        self.cif, self.sif = f"idc{slot}", f"ids{slot}"      # idsd's ends
        self.client_ip = f"10.77.{slot}.1"
        self.server_ip = f"10.77.{slot}.2"
        self.procs = []

    def up(self):
        self.down()
        for ns, mine, peer, ip in ((self.cns, self.cif, self.cif + "p", self.client_ip),
                                   (self.sns, self.sif, self.sif + "p", self.server_ip)):
            sh("ip", "netns", "add", ns)
            sh("ip", "link", "add", mine, "type", "veth", "peer", "name", peer)
            sh("ip", "link", "set", peer, "netns", ns)
            sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", peer)
            sh("ip", "-n", ns, "link", "set", peer, "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "link", "set", mine, "up")
            # af_packet sees frames as the stack would send them: no TSO/GSO
            # super-frames, real checksums.
            sh("ethtool", "-K", mine, "tx", "off", "rx", "off", "gso", "off", "tso", "off",
               "gro", "off", check_rc=False)
            sh("ip", "netns", "exec", ns, "ethtool", "-K", peer, "tx", "off", "gso", "off",
               "tso", "off", check_rc=False)

    def down(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        self.procs = []
        for ns in (self.cns, self.sns):
            sh("ip", "netns", "del", ns, check_rc=False)
        for i in (self.cif, self.sif):
            sh("ip", "link", "del", i, check_rc=False)

    def http_server(self, root):
        p = subprocess.Popen(["ip", "netns", "exec", self.sns, sys.executable, "-m",
                              "http.server", "8080", "--bind", self.server_ip,
                              "--directory", root],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(p)
        for _ in range(100):
            if "10.77" in sh("ip", "netns", "exec", self.sns, "ss", "-ltn",
                             check_rc=False).stdout:
                return
            time.sleep(0.1)
        raise RuntimeError("http server did not start")

    def udp_to_client(self, n, port=9999):
        """n datagrams from the server to a client socket that answers
        nothing, each from its own source port (so they spread over the
        queues): flows the server side starts."""
        sink = subprocess.Popen(
            ["ip", "netns", "exec", self.cns, sys.executable, "-c",
             "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
             f"s.bind(('{self.client_ip}', {port}))\nwhile True:\n    s.recv(2048)\n"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(sink)
        for _ in range(100):
            if f":{port}" in sh("ip", "netns", "exec", self.cns, "ss", "-lun",
                                check_rc=False).stdout:
                break
            time.sleep(0.1)
        sh("ip", "netns", "exec", self.sns, sys.executable, "-c",
           "import socket\n"
           f"for _ in range({n}):\n"
           "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
           f"    s.sendto(b'x', ('{self.client_ip}', {port}))\n    s.close()\n")

    def udp_from_client(self, payload, sport, dport=9999):
        """One datagram from the client's port sport to the server (which
        listens on nothing): the same 5-tuple each time, one flow."""
        sh("ip", "netns", "exec", self.cns, sys.executable, "-c",
           "import socket\n"
           "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
           "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
           f"s.bind(('{self.client_ip}', {sport}))\n"
           f"s.sendto({payload!r}, ('{self.server_ip}', {dport}))\n")

    def curl(self, path, timeout=3):
        """(curl exit code, http code)"""
        p = sh("ip", "netns", "exec", self.cns, "curl", "-s", "-o", "/dev/null", "-m",
               str(timeout), "-w", "%{http_code}", f"http://{self.server_ip}:8080/{path}",
               check_rc=False)
        return p.returncode, p.stdout.strip()


class Idsd:
    """threads: each port's (dpdk.interfaces threads); qpairs: the
    net_af_packet queues of each (its fanout group's sockets)."""

    def __init__(self, net, out, mode="ips", extra_args=(), rules=RULES, extra_config="",
                 threads=(1, 1), qpairs=1):
        self.net, self.out, self.mode = net, out, mode
        self.threads, self.qpairs = threads, qpairs
        self.extra_config = extra_config
        self.prefix = f"idsinl{net.slot}"
        self.sock = f"/var/run/dpdk/{self.prefix}/dpdk_telemetry.v2"
        self.rules = os.path.join(out, "test.rules")
        with open(self.rules, "w") as f:
            f.write(rules)
        self.cfg = os.path.join(out, "idsd.yaml")
        with open(self.cfg, "w") as f:
            f.write(self.config())
        self.args = [IDSD, "-c", self.cfg, "-S", self.rules, "-l", out] + list(extra_args)
        self.proc = None
        self.stdout = self.stderr = ""

    def config(self):
        n = self.net
        ifs = ""
        for me, peer, t in (("net_af_packet0", "net_af_packet1", self.threads[0]),
                            ("net_af_packet1", "net_af_packet0", self.threads[1])):
            ifs += (f"    - interface: {me}\n      threads: {t}\n"
                    f"      copy-mode: {self.mode}\n      copy-iface: {peer}\n")
        q = f",qpairs={self.qpairs}" if self.qpairs > 1 else ""
        return ("dpdk:\n"
                f"  eal-params: {{ no-huge: true, no-pci: true, file-prefix: {self.prefix},\n"
                f"    vdev: [\"net_af_packet0,iface={n.cif}{q}\", "
                f"\"net_af_packet1,iface={n.sif}{q}\"] }}\n"
                "  interfaces:\n" + ifs +
                "stats:\n  interval: 1\n" + self.extra_config)

    def start(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        for _ in range(300):
            if os.path.exists(self.sock) and self.ready():
                return True
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        print(self.stderr)
        return False

    def ready(self):
        try:
            t = Telemetry(self.sock)
            r = t.cmd("/ids/workers")
            t.close()
            return bool((r.get("/ids/workers") or {}).get("heartbeat"))
        except (OSError, ValueError):
            return False

    def tel(self, cmd):
        t = Telemetry(self.sock)
        try:
            return t.cmd(cmd).get(cmd.split(",")[0])
        finally:
            t.close()

    def stop(self, sig=signal.SIGTERM):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.stdout, self.stderr = self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.stdout, self.stderr = self.proc.communicate()
        rc = self.proc.returncode
        self.proc = None
        return rc


def read_eve(path):
    recs = []
    if not os.path.exists(path):
        return recs
    with open(path, encoding="utf-8") as f:
        for line in f:
            recs.append(json.loads(line))
    return recs


def alerts(recs, sid=None):
    return [r for r in recs if r.get("event_type") == "alert" and
            (sid is None or r["alert"]["signature_id"] == sid)]


def last_stats(recs):
    st = [r["stats"] for r in recs if r.get("event_type") == "stats"]
    return st[-1] if st else {}


def site(out):
    root = os.path.join(out, "www")
    os.makedirs(root, exist_ok=True)
    for name in ("ok", "secret", "blockme", "rejectme"):
        with open(os.path.join(root, name), "w") as f:
            f.write(name + "\n")
    return root


def test_ips(net, out):
    d = Idsd(net, out)
    if not check(d.start(), "idsd starts on two af_packet ports (ips)"):
        return
    try:
        net.http_server(site(out))
        rc, code = net.curl("ok")
        check(rc == 0 and code == "200", f"a request passes through idsd: rc {rc}, http {code}")
        rc, code = net.curl("blockme")
        check(rc == 28, f"a drop rule stops /blockme (curl times out): rc {rc}, http {code}")
        rc, code = net.curl("rejectme")
        check(rc in (52, 56), f"a reject rule resets /rejectme: curl rc {rc} (56: reset)")
        rc, code = net.curl("ok")
        check(rc == 0 and code == "200", f"other requests still pass: rc {rc}, http {code}")
        caps = open(f"/proc/{d.proc.pid}/status").read()
        capeff = [l.split()[1] for l in caps.splitlines() if l.startswith("CapEff")][0]
        check(int(capeff, 16) == (1 << 12) | (1 << 13),
              f"after init only CAP_NET_ADMIN|CAP_NET_RAW remain: CapEff {capeff}")
        st = d.tel("/ids/stats")
        check(st["capture_dropped"] >= 1 and st["capture_reject_sent"] >= 1,
              f"telemetry counts drops and rejects: {st['capture_dropped']}, "
              f"{st['capture_reject_sent']}")
        check(st["capture_forwarded"] > 0, f"forwarded {st['capture_forwarded']}")
    finally:
        rc = d.stop()
    check(rc == 0, f"SIGTERM: exit 0, got {rc}")
    recs = read_eve(os.path.join(out, "eve.json"))
    blocked = alerts(recs, 2)
    check(len(blocked) >= 1 and all(a["alert"]["action"] == "blocked" for a in blocked),
          f"drop alert is 'blocked': {[a['alert']['action'] for a in blocked]}")
    check(len(alerts(recs, 3)) >= 1, "reject alert written")
    check(len(alerts(recs)) == last_stats(recs).get("detect", {}).get("alert"),
          f"alerts in eve.json ({len(alerts(recs))}) equal detect.alert")


def test_tap(net, out):
    d = Idsd(net, out, mode="tap")
    if not check(d.start(), "idsd starts (tap)"):
        return
    try:
        net.http_server(site(out))
        for path in ("ok", "blockme", "rejectme"):
            rc, code = net.curl(path)
            check(rc == 0 and code == "200", f"tap forwards /{path}: rc {rc}, http {code}")
    finally:
        rc = d.stop()
    recs = read_eve(os.path.join(out, "eve.json"))
    check(rc == 0, f"exit 0, got {rc}")
    for sid in (2, 3):
        a = alerts(recs, sid)
        check(len(a) >= 1 and all(x["alert"]["action"] == "allowed" for x in a),
              f"tap alerts sid {sid} as allowed: {[x['alert']['action'] for x in a]}")


def test_standby(net, out):
    d = Idsd(net, out)
    if not check(d.start(), "idsd starts"):
        return
    try:
        net.http_server(site(out))
        check(d.tel("/ids/role") == {"role": "active"}, "role is active at start")
        check(d.tel("/ids/role,standby") == {"role": "standby"}, "role set to standby")
        rc, _ = net.curl("ok", timeout=2)
        check(rc != 0, f"a standby forwards nothing: curl rc {rc}")
        st = d.tel("/ids/stats")
        check(st["capture_standby_dropped"] > 0,
              f"standby drops counted: {st['capture_standby_dropped']}")
        check(d.tel("/ids/role,active") == {"role": "active"}, "role back to active")
        # ARP went unanswered while standby: the client's neighbour entry failed.
        sh("ip", "-n", net.cns, "neigh", "flush", "all", check_rc=False)
        rc, code = net.curl("ok")
        check(rc == 0 and code == "200", f"active again forwards: rc {rc}, http {code}")
    finally:
        d.stop()


def test_reload(net, out):
    d = Idsd(net, out)
    if not check(d.start(), "idsd starts"):
        return
    n_req, n_reload = 0, 0
    try:
        net.http_server(site(out))
        t = Telemetry(d.sock)
        for i in range(40):
            rc, code = net.curl("secret")
            check(rc == 0 and code == "200", f"request {i} passes during reloads") \
                if rc != 0 else None
            n_req += rc == 0
            if i % 2 == 0:
                r = t.cmd("/ids/reload")["/ids/reload"]
                n_reload += r["status"] == "ok"
            else:
                d.proc.send_signal(signal.SIGUSR2)
        t.close()
        time.sleep(0.5)
        # A broken rule file: the reload fails, the old rules stay.
        with open(d.rules, "w") as f:
            f.write("this is not a rule\n")
        r = d.tel("/ids/reload")
        check(r["status"] == "failed" and r["message"],
              f"a failed reload says why: {r}")
        rc, code = net.curl("secret")
        n_req += rc == 0
        rules = d.tel("/ids/rules")
        check(rules["loaded"] == 3, f"old rules kept after a failed reload: {rules}")
        check(rules["reload_failures"] == 1, f"failure counted: {rules}")
        wk = d.tel("/ids/workers")
        check(min(wk["rules_generation"]) >= n_reload,
              f"workers run the newest generation: {wk['rules_generation']}")
    finally:
        rc = d.stop()
    check(rc == 0, f"exit 0, got {rc}")
    recs = read_eve(os.path.join(out, "eve.json"))
    st = last_stats(recs)
    flows = {a["flow_id"] for a in alerts(recs, 1)}
    check(n_req == 41, f"all 41 requests passed: {n_req}")
    check(len(flows) == n_req, f"every request alerted (no packet uninspected): "
          f"{len(flows)} flows with an alert of {n_req} requests")
    check(st.get("detect", {}).get("engines", {}).get("reloads", 0) >= 40,
          f"reloads counted: {st.get('detect', {}).get('engines')}")
    check(len(alerts(recs)) == st.get("detect", {}).get("alert"),
          f"no alert lost: eve {len(alerts(recs))} == detect.alert "
          f"{st.get('detect', {}).get('alert')}")
    print(f"  measured: {n_req} requests, {n_reload} telemetry reloads + 20 SIGUSR2, "
          f"{len(alerts(recs))} alerts, forwarded {st.get('capture', {}).get('forwarded')}")


def wait_rules(d, loaded, tries=100):
    """/ids/rules once it shows `loaded` rules (a SIGUSR2 reload is async)."""
    r = {}
    for _ in range(tries):
        r = d.tel("/ids/rules")
        if r.get("loaded") == loaded:
            break
        time.sleep(0.1)
    return r


def test_reload_partial(net, out):
    """A reload treats failed rules as startup does: reported file:line:
    reason, counted, skipped; the rest swap in (SIGUSR2 and /ids/reload)."""
    d = Idsd(net, out)
    if not check(d.start(), "idsd starts"):
        return
    try:
        net.http_server(site(out))
        with open(d.rules, "w") as f:
            f.write(RULES + 'alert tcp any any -> any 8080 (msg:"bad"; nosuchkw; sid:40;)\n'
                    'alert tcp any any -> any 8080 (msg:"INLINE new"; content:"/newrule"; '
                    'sid:4;)\n')
        d.proc.send_signal(signal.SIGUSR2)
        r = wait_rules(d, 4)
        check(r.get("loaded") == 4 and r.get("failed") == 1 and r.get("reload_failures") == 0
              and r.get("last_reload", "").startswith("ok: generation 2: 4 rules loaded, 1 failed"),
              f"SIGUSR2: 4 rules swap in, 1 failed and skipped: {r}")
        fl = d.tel("/ids/rules/failed")
        check(fl.get("total") == 1 and fl.get("shown") == 1 and
              fl.get("0", "").startswith("test.rules:4: ") and "nosuchkw" in fl.get("0", ""),
              f"/ids/rules/failed lists file:line: reason: {fl}")
        rc, code = net.curl("newrule")
        check(rc == 0 and code == "404", f"request for the new rule passes: {rc} {code}")
        # /ids/reload: another failure, a rule gone; the answer counts both.
        with open(d.rules, "w") as f:
            f.write(RULES + 'alert tcp any any -> any 8080 (msg:"bad2"; otherkw; '
                    'sid:41;)\n')
        r = d.tel("/ids/reload")
        check(r.get("status") == "ok" and "3 rules loaded, 1 failed" in r.get("message", ""),
              f"/ids/reload: the good rules swap in: {r}")
        fl = d.tel("/ids/rules/failed")
        check(fl.get("total") == 1 and fl.get("0", "").startswith("test.rules:4: ") and
              "otherkw" in fl.get("0", "") and "nosuchkw" not in fl.get("0", ""),
              f"/ids/rules/failed lists the new set's failure: {fl}")
        # Only an unusable set keeps the running one.
        with open(d.rules, "w") as f:
            f.write('alert tcp any any -> any 8080 (msg:"bad"; nosuchkw; sid:40;)\n')
        r = d.tel("/ids/reload")
        check(r.get("status") == "failed" and "no rule loaded" in r.get("message", "") and
              "test.rules:1: " in r.get("message", ""),
              f"/ids/reload of a set where nothing loads is refused: {r}")
        r = d.tel("/ids/rules")
        check(r.get("loaded") == 3 and r.get("reload_failures") == 1,
              f"the running set stays: {r}")
        with open(d.rules, "w") as f:
            f.write(RULES)
        reloads = r.get("reloads", 0)
        d.proc.send_signal(signal.SIGUSR2)
        # the running set has 3 rules too: wait for the reload itself
        for _ in range(100):
            if d.tel("/ids/rules").get("reloads", 0) > reloads:
                break
            time.sleep(0.1)
        fl = d.tel("/ids/rules/failed")
        check(fl.get("total") == 0 and fl.get("shown") == 0,
              f"a clean set has no failures listed: {fl}")
    finally:
        rc = d.stop()
    check(rc == 0, f"exit 0, got {rc}")
    check("test.rules:4: " in d.stderr and "nosuchkw" in d.stderr,
          "the reload reports each failed rule as file:line: reason")
    recs = read_eve(os.path.join(out, "eve.json"))
    check(len(alerts(recs, 4)) >= 1, "the rule added by the reload alerts")


def test_reload_vars(net, out):
    """A flow's flowbits and flowints keep their meaning and their names over
    a reload whose rules name others first (as Suricata's variable name
    store keeps its ids): a bit and a counter set before the reload are
    seen by the new rules, and the alert's metadata names them."""
    rules_v1 = ('alert udp any any -> any 9999 (msg:"VARS set"; content:"fbset"; '
                'flowbits:set,alpha; flowint:cnt,=,5; sid:10;)\n')
    rules_v2 = ('alert udp any any -> any 9999 (msg:"VARS other"; content:"other"; '
                'flowbits:set,beta; flowint:zed,=,1; sid:11;)\n'
                'alert udp any any -> any 9999 (msg:"VARS check"; content:"fbcheck"; '
                'flowbits:isset,alpha; flowint:cnt,==,5; sid:12;)\n')
    d = Idsd(net, out, rules=rules_v1)
    if not check(d.start(), "idsd starts"):
        return
    try:
        net.udp_from_client(b"fbset", 40000)
        for _ in range(50):
            if d.tel("/ids/stats").get("detect_alert", 0) >= 1:
                break
            time.sleep(0.1)
        with open(d.rules, "w") as f:
            f.write(rules_v2)
        r = d.tel("/ids/reload")
        check(r.get("status") == "ok" and "2 rules loaded" in r.get("message", ""),
              f"the new rules swap in: {r}")
        net.udp_from_client(b"fbcheck", 40000)
        time.sleep(1)
    finally:
        rc = d.stop()
    check(rc == 0, f"exit 0, got {rc}")
    recs = read_eve(os.path.join(out, "eve.json"))
    a10, a12 = alerts(recs, 10), alerts(recs, 12)
    check(len(a10) == 1 and a10[0].get("metadata") == {"flowbits": ["alpha"],
                                                        "flowints": {"cnt": 5}},
          f"before the reload: {[a.get('metadata') for a in a10]}")
    check(len(a12) == 1 and a12[0].get("metadata") == {"flowbits": ["alpha"],
                                                        "flowints": {"cnt": 5}} and
          a12[0].get("flow_id") == (a10[0].get("flow_id") if a10 else None),
          f"after it, the same flow's bit and counter, by name: "
          f"{[a.get('metadata') for a in a12]}")


def test_signals(net, out):
    d = Idsd(net, out)
    if not check(d.start(), "idsd starts"):
        return
    eve = os.path.join(out, "eve.json")
    try:
        net.http_server(site(out))
        net.curl("secret")
        time.sleep(0.5)
        os.rename(eve, eve + ".1")
        d.proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        check(os.path.exists(eve), "SIGHUP reopens eve.json after the rename")
        net.curl("secret")
    finally:
        rc = d.stop()
    check(rc == 0, f"SIGTERM: exit 0, got {rc}")
    old, new = read_eve(eve + ".1"), read_eve(eve)
    check(len(alerts(old, 1)) >= 1, "the rotated file holds the first alert")
    check(len(alerts(new, 1)) >= 1, "the new file holds the alert after rotation")
    st = last_stats(new)
    check(len(alerts(old)) + len(alerts(new)) == st.get("detect", {}).get("alert"),
          "SIGTERM flushed everything: alerts in both files equal detect.alert")


def test_rate_filter(net, out):
    """threshold.config rate_filter, live: past 2 matches of sid 5 from one
    source, its new action (drop) really drops the request; past 0 of sid 6,
    reject resets the connection."""
    thr = os.path.join(out, "threshold.config")
    with open(thr, "w") as f:
        f.write("rate_filter gen_id 1, sig_id 5, track by_src, count 2, seconds 600, "
                "new_action drop, timeout 600\n"
                "rate_filter gen_id 1, sig_id 6, track by_rule, count 0, seconds 600, "
                "new_action reject, timeout 600\n")
    d = Idsd(net, out, rules=RULES + 'alert tcp any any -> any 8080 (msg:"INLINE rated"; '
             'content:"/rated"; sid:5;)\n'
             'alert tcp any any -> any 8080 (msg:"INLINE rated reject"; '
             'content:"/rrej"; sid:6;)\n', extra_config=f"threshold-file: {thr}\n")
    if not check(d.start(), "idsd starts with a rate_filter"):
        return
    try:
        net.http_server(site(out))
        for i in (1, 2):
            rc, code = net.curl("rated")
            check(rc == 0 and code == "404", f"match {i} of an alert rule passes: {rc} {code}")
        rc, code = net.curl("rated")
        check(rc == 28, f"match 3: the rate_filter's drop stops it (curl times out): rc {rc}")
        rc, code = net.curl("ok")
        check(rc == 0 and code == "200", f"other requests still pass: rc {rc}, http {code}")
        rc, code = net.curl("rrej")
        check(rc == 0 and code == "404", f"the first match of sid 6 passes: {rc} {code}")
        rc, code = net.curl("rrej")
        check(rc in (52, 56), f"then its new action, reject, resets: curl rc {rc}")
    finally:
        rc = d.stop()
    check(rc == 0, f"SIGTERM: exit 0, got {rc}")
    acts = [a["alert"]["action"] for a in alerts(read_eve(os.path.join(out, "eve.json")), 5)]
    check(acts[:2] == ["allowed", "allowed"] and len(acts) >= 3 and
          set(acts[2:]) == {"blocked"}, f"EVE: allowed twice, then blocked: {acts}")


PAIR_RULES = RULES + """\
alert http any any -> any any (msg:"INLINE response"; flow:established,to_client; \
http.stat_code; content:"200"; sid:10;)
"""


def test_ips_pair(net, out):
    """runmode workers, an ips pair with 2 queues (net_af_packet qpairs=2:
    a fanout group per port) and 2 threads each: 2 workers, each polling
    queue k of both ports. Many sessions spread over both workers; each is
    seen whole by one of them: the default stream.midstream-policy in IPS
    mode (drop-flow) lets every request and reply through, every response
    is parsed on its request's flow (sid 10), and each session has one flow
    record counting packets both ways. Flow records name the port of the
    flow's first packet (Suricata's f->livedev), whichever port the worker
    read last: the client's for the sessions, the server's for datagrams
    the server sends last (so that a record taking the last burst's port
    would name the server's for the sessions). Then a pair given different
    threads is refused, naming both ports and their counts."""
    n_req, n_udp = 40, 16
    d = Idsd(net, out, rules=PAIR_RULES, threads=(2, 2), qpairs=2,
             extra_config="runmode: workers\noutputs:\n  - eve-log:\n      filename: eve.json\n"
             "      types: [alert, flow, stats]\n")
    if not check(d.start(), "idsd starts on a pair of 2-queue af_packet ports"):
        return
    try:
        net.http_server(site(out))
        ok = sum(net.curl("ok") == (0, "200") for _ in range(n_req))
        check(ok == n_req, f"every request and reply passes (midstream drop-flow default): "
              f"{ok} of {n_req}")
        rc, code = net.curl("rejectme")
        check(rc in (52, 56), f"a reject resets the client from the pair's worker: rc {rc}")
        net.udp_to_client(n_udp)
        time.sleep(1)
        wk = d.tel("/ids/workers")
        check(len(wk["packets"]) == 2 and min(wk["packets"]) > 0,
              f"2 workers, both receiving: packets {wk['packets']}")
    finally:
        rc = d.stop()
    check(rc == 0, f"SIGTERM: exit 0, got {rc}")
    recs = read_eve(os.path.join(out, "eve.json"))
    check(len(alerts(recs, 10)) == n_req,
          f"each response parsed on its request's flow: {len(alerts(recs, 10))} of {n_req}")
    ifs = tuple({a.get("in_iface") for a in alerts(recs, sid)} for sid in (3, 10))
    check(ifs == ({"net_af_packet0"}, {"net_af_packet1"}),
          f"in_iface: the port each packet came in on (request, response): {ifs}")
    flows, tcp_ifs, udp_ifs = {}, set(), []
    for r in recs:
        if r.get("event_type") == "flow" and r.get("proto") == "TCP" and r["dest_port"] == 8080:
            flows.setdefault(r["src_port"], []).append(r["flow"])
            tcp_ifs.add(r.get("in_iface"))
        if r.get("event_type") == "flow" and r.get("proto") == "UDP" and r["dest_port"] == 9999:
            udp_ifs.append(r.get("in_iface"))
    check(tcp_ifs == {"net_af_packet0"},
          f"the sessions' flow records name the client's port (their first packet's): "
          f"{tcp_ifs}")
    check(udp_ifs == ["net_af_packet1"] * n_udp,
          f"the server's datagrams' flow records name the server's port: {udp_ifs}")
    both = [p for p, f in flows.items()
            if len(f) == 1 and f[0]["pkts_toserver"] > 0 and f[0]["pkts_toclient"] > 0]
    check(len(flows) == n_req + 1 and len(both) == len(flows),
          f"one flow record per session, packets both ways: {len(both)} of {len(flows)} "
          f"sessions ({n_req + 1} made)")
    st = last_stats(recs)
    mid = st.get("tcp", {}).get("midstream_exception_policy", {})
    check(mid == {"drop_flow": 0}, f"the default midstream policy is drop-flow (IPS mode), and "
          f"no session met it: {mid}")

    os.makedirs(os.path.join(out, "mismatch"))
    bad = Idsd(net, os.path.join(out, "mismatch"), threads=(2, 1), qpairs=2)
    try:
        p = subprocess.run(bad.args, capture_output=True, text=True, timeout=30)
        rc, err = p.returncode, p.stderr
    except subprocess.TimeoutExpired as e:     # it ran (killed by run())
        rc, err = "still running after 30 s", (e.stderr or b"").decode(errors="replace")
    want = "net_af_packet0 (threads: 2) and net_af_packet1 (threads: 1)"
    check(rc == 1 and want in err,
          f"a pair with different threads is refused naming both: rc {rc} {err[-400:]}")


def test_daemon(net, out):
    pidfile = os.path.join(out, "idsd.pid")
    d = Idsd(net, out, extra_args=["-D", "--pidfile", pidfile])
    p = subprocess.run(d.args, capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, f"-D returns at once with 0: {p.returncode}")
    pid = None
    for _ in range(300):
        if os.path.exists(pidfile) and os.path.exists(d.sock) and d.ready():
            pid = int(open(pidfile).read())
            break
        time.sleep(0.1)
    if not check(pid is not None, "the daemon writes its pidfile and answers telemetry"):
        return
    try:
        net.http_server(site(out))
        rc, code = net.curl("ok")
        check(rc == 0 and code == "200", f"the daemon forwards: rc {rc}, http {code}")
    finally:
        os.kill(pid, signal.SIGTERM)
        for _ in range(300):
            if not os.path.exists(f"/proc/{pid}"):
                break
            time.sleep(0.1)
    check(not os.path.exists(f"/proc/{pid}"), "the daemon exits on SIGTERM")
    check(not os.path.exists(pidfile), "the pidfile is removed at exit")


def main():
    global IDSD, SRC, OUT
    IDSD, SRC, name, OUT = sys.argv[1:5]
    if os.geteuid() != 0:
        print("SKIP: needs root (network namespaces)")
        return 77
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    net = Net(SLOTS.get(name, TESTS.index(name) + 1))
    try:
        net.up()
        globals()["test_" + name](net, OUT)
    finally:
        net.down()
    print(f"{name}: {len(FAILS)} failures")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
