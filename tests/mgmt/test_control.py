#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The management port served by the REAL ids-control (suite "mgmt"), where
test_mgmt.py drives the harness of fakes for the protocol's corners.

  control:   telemetry none: -T and the daemon refuse the same configs,
             status, stats says why it is not available, alerts followed in
             an eve.json through rotation and truncation, SIGHUP reopens the
             audit log and nothing stops, sd_notify READY/WATCHDOG/STOPPING.
  dataplane: a real idsd on a net_af_packet port (a veth pair into a netns):
             idsctl stats and rules list/stats/reload answered by it, a bad
             rule file's reload fails with the reason, and idsctl alerts shows
             the alert idsd wrote for a packet sent through the port.
  reload:    SIGHUP reloads the TLS credentials: certificate A, then B for new
             connections while sessions opened before keep working; a key
             that does not match or does not parse keeps B, counted in status
             and logged naming the file.
  sighup:    SIGHUP re-reads the whole configuration: roles and SASL
             mechanisms changed for new logins, an unreadable keytab reported
             on stderr at start and at reload, a configuration that does not
             load keeps the running one and is reported with file:line, a
             missing certificate at start is refused naming the file.

    test_control.py --ids-control BIN --idsctl BIN [--idsd BIN] --only control|dataplane|reload
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_mgmt import (PKI, Env, authed_raw, check, failures, frame, free_port,  # noqa: E402
                       raw_tls, read_frame, run)


class Control(Env):
    """Env with ids-control in place of the harness."""

    def __init__(self, args):
        super().__init__(args)
        self.eve = os.path.join(self.dir, "eve.json")
        self.err = ""

    def control_config(self, dataplane="telemetry: none", vrrp=""):
        path = self.config(roles="{ alice: admin, olga: operator, bob: viewer }")
        self.port = free_port()
        with open(path) as f:
            text = f.read()
        # the harness's config less its vrrp stub, on a fixed port
        text = text.replace("port: 0", f"port: {self.port}")
        text = text[:text.index("vrrp:")]
        text += f"dataplane:\n  {dataplane}\n  eve: {self.eve}\n" + vrrp
        with open(path, "w") as f:
            f.write(text)
        return path

    def start(self, cfg, alerts=None, expect_fail=False, env=None, tail=False):
        """tail: stderr is read as it comes into self.lines (stderr_has)."""
        self.stop()
        e = dict(self.env)
        e.update(env or {})
        self.proc = subprocess.Popen([self.args.ids_control, "-f", "-c", cfg],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=e)
        self.lines, self.reader = [], None
        if tail:
            proc = self.proc
            self.reader = threading.Thread(
                target=lambda: [self.lines.append(l) for l in iter(proc.stderr.readline, "")],
                daemon=True)
            self.reader.start()
        for _ in range(100):
            if self.proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return None
            except OSError:
                time.sleep(0.05)
        self.stop()
        if not expect_fail:
            raise RuntimeError("ids-control did not start: " + self.err)
        return self.err

    def stop(self):
        if self.proc:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
            try:
                _, self.err = self.proc.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                _, self.err = self.proc.communicate()
            if self.reader:
                self.reader.join(5)
                self.err = "".join(self.lines) + (self.err or "")
                self.reader = None
            check(self.proc.returncode in (0, 1) and "Sanitizer" not in self.err and
                  "runtime error" not in self.err, "ids-control exits cleanly",
                  self.err[-2000:])
            self.proc = None

    def stderr_has(self, needle, since=0, seconds=5.0):
        """The stderr lines from index since on, once one contains needle."""
        return wait_for(lambda: any(needle in l for l in self.lines[since:]) and
                        self.lines[since:], seconds) or self.lines[since:]


def wait_for(fn, seconds=5.0):
    end = time.time() + seconds
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    return fn()


def alert_line(n):
    return json.dumps({"timestamp": "2024-01-01T00:00:00.000000+0000", "event_type": "alert",
                       "src_ip": "10.0.0.1", "alert": {"signature_id": n}}) + "\n"


def group_control(env):
    ctl = env.args.ids_control
    # -T applies the daemon's checks: what it passes, the daemon starts
    bad = env.control_config(vrrp="vrrp:\n  instances:\n    - name: VI_1\n      interface: lo\n"
                             "      virtual_router_id: 9\n      priority: 100\n"
                             "      virtual_ipaddress: [192.0.2.9/32]\n"
                             "      track_dataplane: { weight: -50 }\n")
    t = run([ctl, "-T", "-c", bad])
    check(t.returncode == 1 and "track_dataplane needs dataplane.telemetry" in t.stderr and
          "ids-control.yaml:" in t.stderr,
          "-T refuses track_dataplane with telemetry none, naming file and line", t.stderr)
    d = run([ctl, "-f", "-c", bad])
    check(d.returncode == 1 and t.stderr.strip() in d.stderr,
          "the daemon refuses it with the same message", d.stderr)
    keyless = env.control_config().replace("ids-control.yaml", "keyless.yaml")
    with open(env.control_config()) as f, open(keyless, "w") as g:
        g.write(f.read().replace("server-key.pem", "no-such-key.pem"))
    t = run([ctl, "-T", "-c", keyless])
    check(t.returncode == 1 and "no-such-key.pem" in t.stderr,
          "-T checks the management section's files as the daemon does", t.stderr)

    with open(env.eve, "w") as f:
        f.write(alert_line(1))          # history: not shown
    cfg = env.control_config()
    t = run([ctl, "-T", "-c", cfg])
    check(t.returncode == 0, "-T accepts the config the daemon runs", t.stderr)
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    npath = os.path.join(env.dir, "notify.sock")
    notify.bind(npath)
    notify.settimeout(0.2)
    got = []

    def listen():
        # the service manager drains its socket: so do we, or sd_notify blocks
        while notify.fileno() >= 0:
            try:
                got.append(notify.recv(4096).decode())
            except socket.timeout:
                continue
            except OSError:
                return

    threading.Thread(target=listen, daemon=True).start()
    env.start(cfg, env={"NOTIFY_SOCKET": npath, "WATCHDOG_USEC": "200000"})
    wait_for(lambda: sum("WATCHDOG=1" in m for m in got) >= 3, 3)
    check(any("READY=1" in m for m in got), "sd_notify READY=1", repr(got))
    check(sum("WATCHDOG=1" in m for m in got) >= 3, "sd_notify WATCHDOG=1 every 100 ms",
          repr(got))

    p = env.idsctl("bob", "status", "bob-pw")
    check(p.returncode == 0 and "version: ids-control" in p.stdout and
          "management:" in p.stdout, "status from the real ids-control", p.stdout + p.stderr)
    p = env.idsctl("bob", "stats", "bob-pw")
    check(p.returncode == 1 and "no dataplane" in p.stderr, "stats without a dataplane says why",
          p.stderr)
    p = env.idsctl("olga", "rules reload", "olga-pw")
    check(p.returncode == 1 and "no dataplane" in p.stderr, "rules reload without a dataplane",
          p.stderr)
    p = env.idsctl("bob", "rules reload", "bob-pw")
    check(p.returncode == 3 and "needs operator" in p.stderr, "a viewer cannot reload rules",
          p.stderr)

    # alerts from eve.json: new lines only, alerts only
    with open(env.eve, "a") as f:
        f.write(alert_line(2) + '{"event_type":"stats","stats":{}}\n')
    shown = lambda: env.idsctl("bob", "alerts --json", "bob-pw").stdout  # noqa: E731
    out = wait_for(lambda: '"signature_id": 2' in shown() and shown())
    check(out and '"signature_id": 1' not in out and "stats" not in out,
          "alerts shows the new alert line of eve.json, not history or stats", out)
    # a line written in two parts is one alert
    with open(env.eve, "a") as f:
        f.write(alert_line(3)[:20])
        f.flush()
        time.sleep(0.3)
        f.write(alert_line(3)[20:])
    out = wait_for(lambda: '"signature_id": 3' in shown() and shown())
    check(out and out.count('"signature_id": 3') == 1, "a line written in two parts", out)
    # logrotate's create mode: moved away, a new file under the name
    os.rename(env.eve, env.eve + ".1")
    with open(env.eve + ".1", "a") as f:
        f.write(alert_line(4))          # written before the writer reopened
    with open(env.eve, "w") as f:
        f.write(alert_line(5))
    out = wait_for(lambda: '"signature_id": 5' in shown() and shown())
    check(out and '"signature_id": 4' in out, "alerts follow a rotation (old file drained)", out)
    # copytruncate: the same file starts again (seen while shorter than
    # what was read: the writer has not caught up yet)
    with open(env.eve, "w") as f:
        f.flush()
        time.sleep(0.3)
        f.write(alert_line(6))
    out = wait_for(lambda: '"signature_id": 6' in shown() and shown())
    check(bool(out), "alerts follow a truncation", out)
    p = env.idsctl("bob", "--json status", "bob-pw")
    eve = json.loads(p.stdout).get("eve", {}) if p.returncode == 0 else {}
    check(eve.get("alerts") == 5 and eve.get("rotations") == 1 and eve.get("truncations") == 1,
          "status counts the alerts, rotations and truncations of eve.json", p.stdout)

    # SIGHUP reopens the audit log and stops nothing
    os.rename(env.audit, env.audit + ".1")
    env.proc.send_signal(signal.SIGHUP)
    p = env.idsctl("alice", "whoami", "alice-pw")
    check(p.returncode == 0 and env.proc.poll() is None, "ids-control runs on after SIGHUP",
          p.stderr)
    lines = wait_for(lambda: [a for a in env.audit_lines() if a.get("command") == "whoami"])
    check(bool(lines), "after SIGHUP the audit goes to a new file at the configured path")
    env.proc.send_signal(signal.SIGTERM)
    wait_for(lambda: any("STOPPING=1" in m for m in got), 3)
    check(any("STOPPING=1" in m for m in got), "sd_notify STOPPING=1 on SIGTERM",
          repr(got[-5:]))
    env.stop()
    notify.close()


def cert_fp(path):
    with open(path) as f:
        return hashlib.sha256(ssl.PEM_cert_to_DER_cert(f.read())).hexdigest()


def peer_fp(s):
    return hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest()


def new_server_cert(env, name, host):
    """A server certificate for host from the test CA, in its own folder."""
    d = os.path.join(env.dir, name)
    shutil.copytree(env.pki, d)
    subprocess.run(["sh", PKI, "server", d, host, "--ip", "127.0.0.1", "--dns", "localhost"],
                   check=True, capture_output=True)
    return d


def put_file(src, dst):
    """Replace dst as a rotation job would: a copy next to it, renamed over it."""
    shutil.copy(src, dst + ".new")
    os.replace(dst + ".new", dst)


def group_reload(env):
    cert, key = f"{env.pki}/server-cert.pem", f"{env.pki}/server-key.pem"
    fp_a = cert_fp(cert)
    env.start(env.control_config())
    old = authed_raw(env)
    check(old is not None and peer_fp(old) == fp_a, "the server presents certificate A")
    # accepted before the reload, handshaking after it: must still get A
    early = socket.create_connection(("127.0.0.1", env.port), timeout=10)
    time.sleep(0.5)

    b = new_server_cert(env, "pki-b", "ids-b.test")
    fp_b = cert_fp(f"{b}/server-cert.pem")
    put_file(f"{b}/server-cert.pem", cert)
    put_file(f"{b}/server-key.pem", key)
    env.proc.send_signal(signal.SIGHUP)
    seen = wait_for(lambda: (lambda s: (peer_fp(s), s.close())[0])(raw_tls(env)) == fp_b)
    check(seen, "after SIGHUP a new connection gets certificate B")
    p = env.idsctl("alice", "whoami", "alice-pw")
    check(p.returncode == 0, "idsctl verifies certificate B and works", p.stderr)
    ctx = ssl.create_default_context(cafile=f"{env.pki}/ca-cert.pem")
    ctx.check_hostname = False
    try:
        early = ctx.wrap_socket(early, server_hostname="localhost")
        t, body = read_frame(early)
        fp = peer_fp(early)
    except (OSError, ssl.SSLError) as e:
        t, body, fp = None, repr(e), None
    check(fp == fp_a and t == "H",
          "a connection accepted before SIGHUP completes its handshake with A", repr(body))
    early.close()
    old.sendall(frame("Q", b"\x00whoami\x00"))
    t, body = read_frame(old)
    check(t == "R" and body[0] == 0 and b"identity: alice" in body,
          "a session opened before SIGHUP still works after it", repr(body))

    def tls_status():
        q = env.idsctl("bob", "--json status", "bob-pw")
        return json.loads(q.stdout)["management"]["tls"] if q.returncode == 0 else {}

    st = tls_status()
    check(st.get("reloads") == 1 and st.get("reload_failures") == 0 and
          st.get("certificate") == "CN=ids-b.test,O=ids" and
          re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", st.get("not_after", "")),
          "status: reload counted, certificate B's subject and notAfter", repr(st))

    # a key that is not the certificate's, then one that does not parse
    c = new_server_cert(env, "pki-c", "ids-c.test")
    put_file(f"{c}/server-key.pem", key)
    env.proc.send_signal(signal.SIGHUP)
    st = wait_for(lambda: (lambda v: v.get("reload_failures") == 1 and v)(tls_status()))
    check(bool(st) and st.get("reloads") == 1 and st.get("certificate") == "CN=ids-b.test,O=ids",
          "a mismatched key is refused and counted, B stays", repr(st))
    s = raw_tls(env)
    check(peer_fp(s) == fp_b, "after the failed reload new connections still get B")
    s.close()
    with open(key + ".new", "w") as f:
        f.write("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")
    os.chmod(key + ".new", 0o600)
    os.replace(key + ".new", key)
    env.proc.send_signal(signal.SIGHUP)
    st = wait_for(lambda: (lambda v: v.get("reload_failures") == 2 and v)(tls_status()))
    check(bool(st), "a key that does not parse is refused and counted", repr(st))
    p = env.idsctl("alice", "whoami", "alice-pw")
    check(p.returncode == 0, "idsctl still works on B after both failures", p.stderr)
    p = env.idsctl("alice", "config show --json", "alice-pw")
    check(p.returncode == 0 and "management" in json.loads(p.stdout or "{}").get("config", {}),
          "config show after failed reloads: the configuration as last read", p.stderr)
    old.sendall(frame("Q", b"\x00whoami\x00"))
    t, body = read_frame(old)
    check(t == "R" and body[0] == 0, "the session from before the first SIGHUP still works")
    old.close()
    env.stop()
    log = env.err.splitlines()
    ok = [l for l in log if "TLS reloaded" in l]
    bad = [l for l in log if "TLS reload failed" in l]
    check(len(ok) == 1 and "CN=ids-b.test,O=ids" in ok[0] and "notAfter 20" in ok[0],
          "one log line for the reload with B's subject and notAfter", repr(ok))
    check(len(bad) == 2 and all(key in l for l in bad) and
          "not the key of the certificate" in bad[0],
          "one log line per failed reload naming the key file and the cause", repr(bad))


def group_sighup(env):
    ctl = env.args.ids_control
    cfg = env.control_config()
    with open(cfg) as f:
        good = f.read()
    # a keytab that cannot be read: said on stderr at start, not only audited
    with open(cfg, "w") as f:
        f.write(good.replace("    realm: ids\n",
                             "    realm: ids\n    keytab: /nonexistent/start.keytab\n"))
    env.start(cfg, tail=True)
    line = [l for l in env.stderr_has("start.keytab") if "start.keytab" in l]
    check(bool(line) and "management.sasl.keytab /nonexistent/start.keytab: cannot be read"
          in line[0] and "GSSAPI logins will fail" in line[0],
          "an unreadable keytab is reported on stderr at start", repr(line))
    p = env.idsctl("bob", "rules reload", "bob-pw")
    check(p.returncode == 3, "before the reload bob is a viewer", p.stderr)
    p = env.idsctl("alice", "whoami", "alice-pw", extra=["--mech", "PLAIN"])
    check(p.returncode == 0, "before the reload PLAIN is offered", p.stderr)

    # roles and mechanisms changed, another unreadable keytab: all taken
    with open(cfg, "w") as f:
        f.write(good.replace("bob: viewer", "bob: operator")
                .replace("mechanisms: [SCRAM-SHA-256, PLAIN]", "mechanisms: [SCRAM-SHA-256]")
                .replace("    realm: ids\n",
                         "    realm: ids\n    keytab: /nonexistent/reload.keytab\n"))
    mark = len(env.lines)
    env.proc.send_signal(signal.SIGHUP)
    line = [l for l in env.stderr_has("reload.keytab", mark) if "reload.keytab" in l]
    check(bool(line) and "cannot be read" in line[0],
          "an unreadable keytab is reported on stderr at reload", repr(line))
    p = env.idsctl("bob", "rules reload", "bob-pw")
    check(p.returncode == 1 and "no dataplane" in p.stderr,
          "after SIGHUP bob is an operator (the new roles)", p.stderr)
    p = env.idsctl("alice", "whoami", "alice-pw", extra=["--mech", "PLAIN"])
    check(p.returncode != 0, "after SIGHUP PLAIN is no longer offered", p.stdout + p.stderr)
    p = env.idsctl("alice", "whoami", "alice-pw")
    check(p.returncode == 0, "SCRAM still works after SIGHUP", p.stderr)

    # a configuration that does not load: the running one stays, file:line said
    with open(cfg) as f:
        text = f.read()
    bad = text.replace("bob: operator", "bob: emperor")
    with open(cfg, "w") as f:
        f.write(bad)
    mark = len(env.lines)
    env.proc.send_signal(signal.SIGHUP)
    lines = env.stderr_has("configuration reload failed", mark)
    want = [l for l in lines if "ids-control.yaml:" in l and "emperor" in l]
    check(any("configuration reload failed" in l for l in lines) and bool(want) and
          "reload: " in want[0],
          "a role that does not exist: reload refused, reported with file:line", repr(lines))
    p = env.idsctl("bob", "rules reload", "bob-pw")
    check(p.returncode == 1 and "no dataplane" in p.stderr and env.proc.poll() is None,
          "after a failed reload the running configuration stays", p.stderr)
    with open(cfg, "w") as f:
        f.write(text.replace("vrrp:", "vrrp: [") if "vrrp:" in text else text + "dataplane: [\n")
    mark = len(env.lines)
    env.proc.send_signal(signal.SIGHUP)
    lines = env.stderr_has("configuration reload failed", mark)
    check(any("configuration reload failed" in l for l in lines) and
          any("ids-control.yaml:" in l for l in lines),
          "YAML that does not parse: refused with file:line", repr(lines))
    p = env.idsctl("bob", "rules reload", "bob-pw")
    check(p.returncode == 1 and "no dataplane" in p.stderr, "and the running one stays",
          p.stderr)
    # a certificate that cannot be read at reload: said on stderr, the
    # served set and every management setting stay
    with open(cfg, "w") as f:
        f.write(text.replace("server-cert.pem", "gone-cert.pem").replace("bob: operator",
                                                                        "bob: viewer"))
    mark = len(env.lines)
    env.proc.send_signal(signal.SIGHUP)
    lines = env.stderr_has("TLS reload failed", mark)
    bad = [l for l in lines if "TLS reload failed" in l]
    check(bool(bad) and "gone-cert.pem" in bad[0] and "still serving CN=" in bad[0],
          "an unreadable certificate at reload is reported on stderr, naming the file",
          repr(lines))
    p = env.idsctl("bob", "rules reload", "bob-pw")
    check(p.returncode == 1 and "no dataplane" in p.stderr,
          "the management settings stay when the TLS set does not load", p.stderr)
    env.stop()

    # a certificate that cannot be read at start: refused, naming the file
    with open(cfg, "w") as f:
        f.write(good.replace("server-cert.pem", "missing-cert.pem"))
    p = run([ctl, "-f", "-c", cfg])
    check(p.returncode == 1 and "missing-cert.pem" in p.stderr,
          "a certificate that cannot be read at start: refused on stderr", p.stderr)


# A veth pair: idsd's end in the root namespace, the sender in a netns.
# named after this process, so two builds can run the suite side by side
TAG = os.getpid() % 100000
NS, IF, PEER = f"idsctlns{TAG}", f"idsctl{TAG}", f"idsctl{TAG}p"
RULES = ('alert udp any any -> any any (msg:"idsctl test"; content:"IDSCTL-PROBE"; '
         'sid:7100001; rev:1;)\n')


def sh(*a):
    return subprocess.run(list(a), capture_output=True, text=True)


def net_up():
    net_down()
    for cmd in (["ip", "netns", "add", NS],
                ["ip", "link", "add", IF, "type", "veth", "peer", "name", PEER],
                ["ip", "link", "set", PEER, "netns", NS],
                ["ip", "-n", NS, "addr", "add", "10.78.0.1/24", "dev", PEER],
                ["ip", "-n", NS, "link", "set", PEER, "up"],
                ["ip", "-n", NS, "neigh", "add", "10.78.0.2", "lladdr", "02:00:00:00:78:02",
                 "dev", PEER],
                ["ip", "link", "set", IF, "up"]):
        p = sh(*cmd)
        if p.returncode:
            raise RuntimeError(" ".join(cmd) + ": " + p.stderr)


def net_down():
    sh("ip", "netns", "del", NS)
    sh("ip", "link", "del", IF)


def idsd_start(env, name, rules, extra, seconds=30):
    """A real idsd on the veth pair's net_af_packet port with the rule file
    rules and extra config lines: the process and its telemetry socket, or
    (None, None) once said why."""
    prefix = f"{name}{TAG}"
    tsock = f"/var/run/dpdk/{prefix}/dpdk_telemetry.v2"
    icfg = os.path.join(env.dir, "idsd.yaml")
    with open(icfg, "w") as f:
        f.write("dpdk:\n"
                f"  eal-params: {{ no-huge: true, no-pci: true, file-prefix: {prefix},\n"
                f"    vdev: [\"net_af_packet0,iface={IF}\"] }}\n"
                "  interfaces:\n    - interface: net_af_packet0\n      threads: 1\n"
                "      copy-mode: none\n" + extra)
    net_up()
    idsd = subprocess.Popen([env.args.idsd, "-c", icfg, "-S", rules, "-l", env.dir],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    up = wait_for(lambda: os.path.exists(tsock) or idsd.poll() is not None, seconds)
    up = up and idsd.poll() is None
    check(up, "idsd runs on a net_af_packet port")
    if not up:
        idsd_stop(idsd)
        return None, None
    return idsd, tsock


def idsd_stop(idsd):
    if idsd.poll() is None:
        idsd.send_signal(signal.SIGTERM)
    try:
        _, err = idsd.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        idsd.kill()
        _, err = idsd.communicate()
    check(idsd.returncode == 0, "idsd exits cleanly", err[-2000:])
    net_down()


def group_dataplane(env):
    if not env.args.idsd:
        check(False, "--idsd given")
        return
    rules = os.path.join(env.dir, "test.rules")
    with open(rules, "w") as f:
        f.write(RULES)
    idsd, tsock = idsd_start(env, "idsctltest", rules,
                             "stats:\n  interval: 1\n"
                             "outputs:\n  - fast:\n      enabled: yes\n      filename: fast.log\n"
                             "  - eve-log:\n      filename: eve.json\n      types: [alert, stats]\n"
                             "profiling:\n  rules:\n    enabled: yes\n")
    if idsd is None:
        return
    try:
        env.start(env.control_config(dataplane=f"telemetry: {tsock}"))
        p = wait_for(lambda: (lambda q: q.returncode == 0 and q)(
            env.idsctl("bob", "--json stats", "bob-pw")), 10)
        st = json.loads(p.stdout) if p else {}
        check("decoder_pkts" in st and "detect_alert" in st,
              "idsctl stats: the dataplane's counters", p.stdout if p else "")
        # the health tracker reads the real /ids/workers (heartbeat columns)
        time.sleep(0.5)
        p = env.idsctl("bob", "--json status", "bob-pw")
        dp = json.loads(p.stdout).get("dataplane", {}) if p.returncode == 0 else {}
        check(dp.get("healthy") is True and "stalled" not in dp.get("reason", ""),
              "status: the real dataplane is healthy, its workers alive", p.stdout + p.stderr)
        p = env.idsctl("bob", "--json rules list", "bob-pw")
        rl = json.loads(p.stdout) if p.returncode == 0 else {}
        check(rl.get("loaded") == 1 and rl.get("failed") == 0,
              "idsctl rules list: 1 loaded, 0 failed", p.stdout + p.stderr)
        check(rl.get("rules") == [{"file": "test.rules", "line": 1, "gid": 1, "sid": 7100001,
                                   "rev": 1, "msg": "idsctl test"}] and rl.get("listed") == 1,
              "idsctl rules list: each rule with the file:line it came from",
              p.stdout + p.stderr)
        p = env.idsctl("bob", "rules list", "bob-pw")
        check(p.returncode == 0 and "  - test.rules:1 1:7100001:1 idsctl test" in p.stdout,
              "idsctl rules list, human form: file:line gid:sid:rev msg", p.stdout + p.stderr)
        p = env.idsctl("bob", "rules list --sid 9", "bob-pw")
        check(p.returncode == 0 and "listed: 0" in p.stdout, "rules list --sid: no such rule",
              p.stdout + p.stderr)
        p = env.idsctl("bob", "rules list --sid", "bob-pw")
        check(p.returncode == 1 and "usage: rules list" in p.stderr, "rules list --sid: usage",
              p.stderr)
        p = env.idsctl("olga", "rules reload", "olga-pw")
        check(p.returncode == 0 and "status: ok" in p.stdout and "1 rules loaded" in p.stdout,
              "idsctl rules reload: the dataplane reloaded", p.stdout + p.stderr)
        # A failed rule is skipped as at startup: the rest swap in.
        with open(rules, "a") as f:
            f.write("alert udp any any -> any any (msg:\"broken\"; nosuchkeyword; sid:2;)\n")
        p = env.idsctl("olga", "rules reload", "olga-pw")
        check(p.returncode == 0 and "1 rules loaded, 1 failed" in p.stdout,
              "a reload with a failed rule swaps in the rest", p.stdout + p.stderr)
        p = env.idsctl("bob", "--json rules failed", "bob-pw")
        rf = json.loads(p.stdout) if p.returncode == 0 else {}
        check(rf.get("total") == 1 and rf.get("listed") == 1 and
              rf.get("failed", [""])[0].startswith("test.rules:2: ") and
              "nosuchkeyword" in rf.get("failed", [""])[0],
              "idsctl rules failed: file:line: reason", p.stdout + p.stderr)
        p = env.idsctl("bob", "rules failed", "bob-pw")
        check(p.returncode == 0 and "- test.rules:2: " in p.stdout,
              "idsctl rules failed, human form", p.stdout + p.stderr)
        # Many failures are read page by page (idsd answers 80 at a time).
        with open(rules, "a") as f:
            for i in range(200):
                f.write(f"alert udp any any -> any any (msg:\"bad {i}\"; nope{i}; sid:{100 + i};)\n")
        p = env.idsctl("olga", "rules reload", "olga-pw")
        check(p.returncode == 0 and "1 rules loaded, 201 failed" in p.stdout,
              "a reload with 201 failed rules swaps in the one good rule", p.stdout + p.stderr)
        p = env.idsctl("bob", "--json rules failed", "bob-pw")
        rf = json.loads(p.stdout) if p.returncode == 0 else {}
        lines = rf.get("failed", [])
        check(rf.get("total") == 201 and len(lines) == 201 and
              lines[-1].startswith("test.rules:202: ") and "nope199" in lines[-1],
              "idsctl rules failed lists all 201 over three pages",
              f"{rf.get('total')} {len(lines)} {lines[-1:]}" + p.stderr)
        # Only an unusable set (no rule loading at all) keeps the running one.
        with open(rules, "w") as f:
            f.write("alert udp any any -> any any (msg:\"broken\"; nosuchkeyword; sid:2;)\n")
        p = env.idsctl("olga", "rules reload", "olga-pw")
        check(p.returncode == 1 and "reload failed" in p.stderr and
              "running rules stay" in p.stderr and "no rule loaded" in p.stderr,
              "a reload where no rule loads is refused with the dataplane's reason", p.stderr)
        p = env.idsctl("bob", "--json rules stats", "bob-pw")
        rs = json.loads(p.stdout) if p.returncode == 0 else {}
        check(rs.get("reloads") == 3 and rs.get("reload_failures") == 1 and
              rs.get("loaded") == 1 and rs.get("failed") == 201,
              "idsctl rules stats counts the reloads; the running set stays",
              p.stdout + p.stderr)
        # a real alert: a UDP datagram through the port
        sh("ip", "netns", "exec", NS, sys.executable, "-c",
           "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);"
           "[s.sendto(b'xx IDSCTL-PROBE xx', ('10.78.0.2', 9999)) for _ in range(3)]")
        out = wait_for(lambda: (lambda q: re.search(r'"signature_id": ?7100001', q.stdout) and
                                q.stdout)(env.idsctl("bob", "alerts --json", "bob-pw")), 10)
        check(bool(out) and re.search(r'"event_type": ?"alert"', out),
              "idsctl alerts --json shows idsd's EVE alert",
              str(out) + sh("tail", "-3", env.eve).stdout)
        check(bool(out) and '"in_iface":"net_af_packet0"' in out,
              "a live port's alert names it as in_iface", str(out))
        # by default the same alerts as the lines of idsd's own fast.log
        p = wait_for(lambda: (lambda q: len(q.stdout.splitlines()) == 3 and q)(
            env.idsctl("bob", "alerts -n 3", "bob-pw")), 10) or env.idsctl("bob", "alerts", "bob-pw")
        with open(os.path.join(env.dir, "fast.log")) as f:
            fast = f.read().splitlines()
        check(p.returncode == 0 and len(fast) == 3 and p.stdout.splitlines() == fast and
              "[1:7100001:1] idsctl test [**]" in fast[0] and "{UDP} 10.78.0.1:" in fast[0],
              "idsctl alerts prints each alert as idsd's fast.log line",
              p.stdout + "---\n" + "\n".join(fast))
        # per-rule profiling through the management port
        p = env.idsctl("bob", "--json rules stats --top 5 --sort matches", "bob-pw")
        top = json.loads(p.stdout) if p.returncode == 0 else {}
        r0 = (top.get("rules") or [{}])[0]
        check(top.get("sort") == "matches" and top.get("checked") == 1 and
              len(top.get("rules", [])) == 1 and r0.get("sid") == 7100001 and
              r0.get("gid") == 1 and r0.get("rev") == 1 and r0.get("matches", 0) >= 1 and
              r0.get("checks", 0) >= r0.get("matches", 0) and r0.get("ticks", 0) > 0 and
              r0.get("avgticks") == r0.get("ticks", 0) // max(r0.get("checks", 1), 1),
              "idsctl rules stats --top: the rule that matched, its checks, matches, ticks",
              p.stdout + p.stderr)
        p = env.idsctl("bob", "rules stats --top 1", "bob-pw")
        check(p.returncode == 0 and "sid: 7100001" in p.stdout and "sort: ticks" in p.stdout,
              "idsctl rules stats --top, human form (sort ticks by default)",
              p.stdout + p.stderr)
        p = env.idsctl("bob", "rules stats --top 0 --sort cost", "bob-pw")
        check(p.returncode != 0 and "usage: rules stats --top N" in p.stderr,
              "a bad --top or --sort is a usage error", p.stdout + p.stderr)
        # 203 rules over three pages of the list, filtered by file and sid
        with open(rules, "w") as f:
            f.write(RULES)
            for i in range(202):
                f.write(f"alert udp any any -> any any (msg:\"more {i}\"; content:\"M{i}X\"; "
                        f"sid:{5000 + i};)\n")
        p = env.idsctl("olga", "rules reload", "olga-pw")
        check(p.returncode == 0 and "203 rules loaded, 0 failed" in p.stdout,
              "a reload with 203 rules", p.stdout + p.stderr)
        p = env.idsctl("bob", "rules list --json", "bob-pw")
        rl = json.loads(p.stdout) if p.returncode == 0 else {}
        got = rl.get("rules", [])
        check(rl.get("loaded") == 203 and len(got) == 203 and got[-1].get("sid") == 5201 and
              got[-1].get("line") == 203 and got[-1].get("msg") == "more 201" and
              [r.get("line") for r in got] == list(range(1, 204)),
              "rules list pages through all 203 rules, each with its line",
              f"{rl.get('loaded')} {len(got)} {got[-1:]} {p.stderr}")
        p = env.idsctl("bob", "rules list --sid 5150 --json", "bob-pw")
        rl = json.loads(p.stdout) if p.returncode == 0 else {}
        check([(r["file"], r["line"]) for r in rl.get("rules", [])] == [("test.rules", 152)],
              "rules list --sid N: where that rule was read", p.stdout + p.stderr)
        p = env.idsctl("bob", "rules list --file other.rules", "bob-pw")
        check(p.returncode == 0 and "listed: 0" in p.stdout,
              "rules list --file: only that file's rules", p.stdout + p.stderr)
        p = env.idsctl("bob", "rules list --file test.rules", "bob-pw")
        check(p.returncode == 0 and "listed: 203" in p.stdout,
              "rules list --file test.rules: all of them", p.stdout[-200:] + p.stderr)
        env.stop()
    finally:
        idsd_stop(idsd)


def group_logging(env):
    """The logging section, as idsd's: outputs, levels, JSON; -T and a reload
    refuse what does not check; SIGHUP applies a new one without a restart."""
    ctl = env.args.ids_control
    first, second = os.path.join(env.dir, "ctl.log"), os.path.join(env.dir, "ctl2.json")
    cfg = env.control_config()
    with open(cfg) as f:
        base = f.read()

    def write(logging):
        with open(cfg, "w") as f:
            f.write(base + "logging:\n" + logging)

    write("  default-log-level: loud\n")
    t = run([ctl, "-T", "-c", cfg])
    check(t.returncode == 1 and re.search(r"ids-control\.yaml:\d+:\d+: .*'loud'", t.stderr),
          "-T refuses a bad logging value with file:line:col", t.stderr)
    write("  outputs:\n    - file: { enabled: yes, level: bogus }\n")
    t = run([ctl, "-T", "-c", cfg])
    check(t.returncode == 1 and "'bogus'" in t.stderr, "-T checks each output's keys too",
          t.stderr)
    write("  default-log-level: info\n  outputs:\n    - console: { enabled: yes }\n"
          f"    - file: {{ enabled: yes, filename: {first} }}\n")
    env.start(cfg, tail=True)
    got = wait_for(lambda: os.path.exists(first) and "started: 0 VRRP" in open(first).read(),
                   5)
    text = open(first).read() if os.path.exists(first) else ""
    check(bool(got) and re.search(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] notice: control: "
                                  r"started: 0 VRRP instance\(s\)$", text, re.M),
          "the file output, timestamped, as idsd's", text)
    check(any("started: 0 VRRP" in l for l in env.lines), "and the console", repr(env.lines))
    # SIGHUP: another file, JSON lines, level warning, the console off
    write("  outputs:\n    - console: { enabled: no }\n"
          f"    - file: {{ enabled: yes, filename: {second}, type: json, level: warning }}\n")
    env.proc.send_signal(signal.SIGHUP)
    check(wait_for(lambda: os.path.exists(second), 5), "SIGHUP opens the new file")
    mark = len(env.lines)
    time.sleep(0.3)
    # a configuration that does not load: said at error level in the new file
    with open(cfg, "a") as f:
        f.write("vrrp: [\n")
    env.proc.send_signal(signal.SIGHUP)
    docs = wait_for(lambda: (lambda d: any("configuration reload failed" in
                                           x["engine"]["message"] for x in d) and d)(
        [json.loads(l) for l in open(second) if l.strip()]), 5) or []
    check(bool(docs) and all(d["event_type"] == "engine" and d["log_level"] == "Error"
                             for d in docs) and
          any(re.search(r"ids-control\.yaml:\d+", d["engine"]["message"]) for d in docs),
          "a reload that fails is logged in the new JSON file, at error level, with file:line",
          repr(docs))
    check(not any("configuration reloaded" in d["engine"]["message"] for d in docs),
          "level warning holds the notices back", repr(docs))
    first_text = open(first).read()
    check("SIGHUP: reloading" in first_text and "configuration reload failed" not in first_text,
          "the first file got what came before the switch only", first_text[-300:])
    check(not any("reload failed" in l for l in env.lines[mark:]),
          "the console is off after the reload", repr(env.lines[mark:]))
    p = env.idsctl("alice", "whoami", "alice-pw")
    check(p.returncode == 0, "ids-control serves on", p.stderr)
    env.stop()


GROUPS = {"control": group_control, "logging": group_logging, "dataplane": group_dataplane, "reload": group_reload,
          "sighup": group_sighup}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ids-control", required=True)
    ap.add_argument("--idsctl", required=True)
    ap.add_argument("--idsd")
    ap.add_argument("--only", choices=sorted(GROUPS), action="append")
    args = ap.parse_args()
    os.environ["PATH"] += ":/usr/sbin:/sbin"
    for name in args.only or sorted(GROUPS):
        env = Control(args)
        try:
            GROUPS[name](env)
        finally:
            env.close()
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
