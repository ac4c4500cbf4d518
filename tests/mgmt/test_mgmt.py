#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of the management port (meson suite "mgmt").

Everything is made inside a temporary folder and removed at the end:
certificates with tools/pki/ids-pki.sh (certtool), users with saslpasswd2,
for GSSAPI a real MIT KDC on loopback. The server is the mgmt_harness (the
management library with a backend of fakes); clients are idsctl, gnutls-cli
(an independent TLS implementation) and Python's ssl module for raw frames.

    test_mgmt.py --harness BIN --idsctl BIN --only tls|sasl|roles|limits|gssapi|external|guard
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PKI = os.path.join(ROOT, "tools", "pki", "ids-pki.sh")
USERS = os.path.join(ROOT, "tools", "pki", "ids-users.sh")
REALM = "IDS.TEST"

failures = []


def check(cond, what, detail=""):
    if cond:
        print("ok   " + what)
    else:
        print("FAIL " + what + (": " + detail if detail else ""))
        failures.append(what)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw)


class Env:
    """A temporary PKI, sasldb and a harness started from a config."""

    def __init__(self, args):
        self.args = args
        self.dir = tempfile.mkdtemp(prefix="ids-mgmt-")
        self.pki = os.path.join(self.dir, "pki")
        self.sasldb = os.path.join(self.dir, "sasldb2")
        self.audit = os.path.join(self.dir, "audit.log")
        self.proc = None
        self.port = None
        self.env = dict(os.environ)
        # sanitizer build: leaks inside MIT Kerberos are not ours
        supp = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsan.supp")
        self.env["LSAN_OPTIONS"] = "suppressions=" + supp
        for step in (["ca", self.pki],
                     ["server", self.pki, "localhost", "--ip", "127.0.0.1"],
                     ["client", self.pki, "alice"],
                     ["client", self.pki, "mallory", "--org", "evil"]):
            subprocess.run(["sh", PKI] + step, check=True, capture_output=True)
        for user, pw in (("alice", "alice-pw"), ("olga", "olga-pw"), ("bob", "bob-pw"),
                         ("carol", "carol-pw")):
            subprocess.run(["sh", USERS, "add", self.sasldb, user, "-"], input=pw, text=True,
                           check=True, capture_output=True,
                           env=dict(os.environ, IDS_SASL_REALM="ids"))

    def config(self, extra_tls="", sasl="mechanisms: [SCRAM-SHA-256, PLAIN]", limits="",
               roles="{ alice: admin, olga: operator, bob: viewer }", unauth=60,
               per_source=None):
        path = os.path.join(self.dir, "ids-control.yaml")
        with open(path, "w") as f:
            f.write(f"""management:
  listen: {{ address: 127.0.0.1, port: 0 }}
  tls:
    cert: {self.pki}/server-cert.pem
    key: {self.pki}/server-key.pem
    ca: {self.pki}/ca-cert.pem
{extra_tls}
  sasl:
    realm: ids
    sasldb: {self.sasldb}
    {sasl}
  roles: {roles}
  audit: {self.audit}
  limits:
    max_clients: 80
    max_unauthenticated: {unauth}
    max_unauthenticated_per_source: {per_source or unauth}
    auth_fail_delay_ms: 150
    auth_fail_delay_max_ms: 2000
{limits}
vrrp: {{ instances: [ {{ name: VI_1, auth_pass: hunter2 }} ] }}
""")
        return path

    def start(self, cfg, alerts=None, expect_fail=False):
        self.stop()
        cmd = [self.args.harness, cfg] + (["--alerts", str(alerts)] if alerts is not None else [])
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=self.env)
        line = self.proc.stdout.readline()
        if not line.startswith("port "):
            err = self.proc.stderr.read()
            self.proc.wait()
            self.proc = None
            if not expect_fail:
                raise RuntimeError("harness did not start: " + err)
            return err
        self.port = int(line.split()[1])
        return None

    def stop(self):
        if self.proc:
            self.proc.send_signal(signal.SIGTERM)
            try:
                _, err = self.proc.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                _, err = self.proc.communicate()
            check(self.proc.returncode == 0 and "Sanitizer" not in err and
                  "runtime error" not in err, "harness exits cleanly", err[-2000:])
            self.proc = None

    def idsctl(self, user, cmd, password=None, host="127.0.0.1", ca=None, extra=(), env=None,
               timeout=60):
        e = dict(self.env)
        e.pop("IDSCTL_PASSWORD", None)
        if password is not None:
            e["IDSCTL_PASSWORD"] = password
        if env:
            e.update(env)
        uri = f"ids+tls://{user + '@' if user else ''}{host}:{self.port}"
        argv = [self.args.idsctl, "-c", uri, "--ca", ca or f"{self.pki}/ca-cert.pem",
                "--timeout", "10"] + list(extra) + cmd.split()
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=e,
                              stdin=subprocess.DEVNULL)

    def audit_lines(self):
        try:
            with open(self.audit) as f:
                return [json.loads(l) for l in f if l.strip()]
        except FileNotFoundError:
            return []

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# A raw protocol client over Python's ssl, for what idsctl will not send.
def raw_tls(env, cert=False):
    ctx = ssl.create_default_context(cafile=f"{env.pki}/ca-cert.pem")
    ctx.check_hostname = False
    if cert:
        ctx.load_cert_chain(f"{env.pki}/alice-cert.pem", f"{env.pki}/alice-key.pem")
    s = socket.create_connection(("127.0.0.1", env.port), timeout=10)
    return ctx.wrap_socket(s, server_hostname="localhost")


def frame(t, payload=b""):
    return struct.pack(">I", len(payload) + 1) + t.encode() + payload


def read_frame(s):
    hdr = b""
    while len(hdr) < 5:
        chunk = s.recv(5 - len(hdr))
        if not chunk:
            return None, None
        hdr += chunk
    n = struct.unpack(">I", hdr[:4])[0] - 1
    body = b""
    while len(body) < n:
        chunk = s.recv(n - len(body))
        if not chunk:
            return None, None
        body += chunk
    return chr(hdr[4]), body


def closed_within(s, seconds):
    """True if the server closes s (EOF or reset) within seconds."""
    s.settimeout(seconds)
    try:
        while True:
            d = s.recv(4096)
            if not d:
                return True
    except (socket.timeout, TimeoutError):
        return False
    except (ConnectionError, ssl.SSLError, OSError):
        return True


def gnutls_cli(env, prio, cert=False):
    argv = ["gnutls-cli", "--x509cafile", f"{env.pki}/ca-cert.pem", "--priority", prio,
            "-p", str(env.port), "localhost"]
    if cert:
        argv += ["--x509certfile", f"{env.pki}/alice-cert.pem",
                 "--x509keyfile", f"{env.pki}/alice-key.pem"]
    p = subprocess.run(argv, input="", capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout + p.stderr


def group_tls(env):
    env.start(env.config())
    rc, out = gnutls_cli(env, "NORMAL:-VERS-ALL:+VERS-TLS1.3")
    check(rc == 0 and "Handshake was completed" in out and "TLS1.3" in out,
          "gnutls-cli: TLS 1.3 handshake", out[-300:])
    rc, out = gnutls_cli(env, "NORMAL:-VERS-ALL:+VERS-TLS1.2")
    check(rc == 0 and "TLS1.2" in out, "gnutls-cli: TLS 1.2 handshake", out[-300:])
    rc, out = gnutls_cli(env, "NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0:%VERIFY_ALLOW_SHA1")
    check(rc != 0 and "Handshake was completed" not in out, "gnutls-cli: TLS 1.1 refused",
          out[-300:])
    # the server's certificate must be trusted and match the name used
    other = os.path.join(env.dir, "other")
    subprocess.run(["sh", PKI, "ca", other, "someone else"], check=True, capture_output=True)
    p = env.idsctl("alice", "status", "alice-pw", ca=f"{other}/ca-cert.pem")
    check(p.returncode == 5 and "certificate not trusted" in p.stderr,
          "idsctl: untrusted CA refused (exit 5)", p.stderr)
    # a server certificate for another name, from the same CA
    wrong = os.path.join(env.dir, "wrong")
    shutil.copytree(env.pki, wrong)
    subprocess.run(["sh", PKI, "server", wrong, "wrong.example"], check=True,
                   capture_output=True)
    cfg = env.config()
    with open(cfg) as f:
        text = f.read()
    with open(cfg, "w") as f:
        f.write(text.replace(f"{env.pki}/server-", f"{wrong}/server-"))
    env.start(cfg)
    p = env.idsctl("alice", "status", "alice-pw")
    check(p.returncode == 5 and "certificate not trusted" in p.stderr and
          "name in the certificate does not match" in p.stderr,
          "idsctl: certificate name mismatch", p.stderr)
    # connection refused is said as such
    env.stop()
    p = env.idsctl("alice", "status", "alice-pw")
    check(p.returncode == 6 and "connection refused" in p.stderr,
          "idsctl: connection refused (exit 6)", p.stderr)

    # mandatory client certificates with a DN allow-list
    env.start(env.config(extra_tls="    require_client_cert: true\n"
                         "    allowed_dn: ['CN=alice,O=ids']"))
    rc, out = gnutls_cli(env, "NORMAL")
    check(rc != 0, "gnutls-cli without a client certificate refused", out[-300:])
    rc, out = gnutls_cli(env, "NORMAL", cert=True)
    check(rc == 0 and "Handshake was completed" in out, "gnutls-cli with a client certificate")
    p = env.idsctl("alice", "whoami", "alice-pw")
    check(p.returncode == 5 and "client certificate" in p.stderr,
          "idsctl without --cert: TLS refused with a hint", p.stderr)
    p = env.idsctl("alice", "whoami", "alice-pw",
                   extra=["--cert", f"{env.pki}/alice-cert.pem",
                          "--key", f"{env.pki}/alice-key.pem"])
    check(p.returncode == 0 and "certificate: CN=alice,O=ids" in p.stdout,
          "idsctl with an allowed certificate", p.stdout + p.stderr)
    p = env.idsctl("alice", "whoami", "alice-pw",
                   extra=["--cert", f"{env.pki}/mallory-cert.pem",
                          "--key", f"{env.pki}/mallory-key.pem"])
    check(p.returncode == 5 and "DN not allowed: CN=mallory,O=evil" in p.stderr,
          "idsctl with a DN outside the allow-list refused", p.stderr)
    check(any(a["event"] == "tls" and a["result"] == "refused" for a in env.audit_lines()),
          "audit: refused DN logged")
    env.stop()

    # key file permissions are checked at start
    os.chmod(f"{env.pki}/server-key.pem", 0o644)
    err = env.start(env.config(), expect_fail=True)
    check(err is not None and "mode 0644 gives access to others" in err,
          "key readable by others refused at start", str(err))
    os.chmod(f"{env.pki}/server-key.pem", 0o600)
    err = env.start(env.config(extra_tls="    priority: 'NORMAL:+BOGUS'"), expect_fail=True)
    check(err is not None and "management.tls.priority" in err, "bad priority string refused",
          str(err))


def group_sasl(env):
    env.start(env.config())
    p = env.idsctl("alice", "whoami", "alice-pw")
    check(p.returncode == 0 and "identity: alice" in p.stdout and
          "mechanism: SCRAM-SHA-256-PLUS" in p.stdout,
          "SCRAM-SHA-256-PLUS (channel binding) by default", p.stdout + p.stderr)
    p = env.idsctl("alice", "whoami", "alice-pw", extra=["--mech", "PLAIN"])
    check(p.returncode == 0 and "mechanism: PLAIN" in p.stdout, "PLAIN inside TLS",
          p.stdout + p.stderr)
    p = env.idsctl("alice", "whoami", "wrong")
    check(p.returncode == 4 and p.stderr.strip() == "idsctl: authentication failed",
          "SCRAM wrong password: authentication failed (exit 4)", p.stderr)
    p = env.idsctl("alice", "whoami", "wrong", extra=["--mech", "PLAIN"])
    check(p.returncode == 4, "PLAIN wrong password refused", p.stderr)
    p = env.idsctl("nobody", "whoami", "x")
    check(p.returncode == 4, "unknown user refused", p.stderr)
    p = env.idsctl("carol", "whoami", "carol-pw")
    check(p.returncode == 4, "user without a role refused", p.stderr)
    check(any(a.get("detail") == "user 'carol' has no role" for a in env.audit_lines()),
          "audit: why carol was refused")
    p = env.idsctl("alice", "whoami", "alice-pw", extra=["--mech", "CRAM-MD5"])
    check(p.returncode == 4 and "not offered" in p.stderr, "CRAM-MD5 not offered", p.stderr)
    pwfile = os.path.join(env.dir, "pw")
    with open(pwfile, "w") as f:
        f.write("bob-pw\n")
    p = env.idsctl("bob", "whoami", None, extra=["--password-file", pwfile])
    check(p.returncode == 0 and "role: viewer" in p.stdout, "--password-file", p.stderr)

    # nothing is answered before authentication
    s = raw_tls(env)
    t, hello = read_frame(s)
    check(t == "H" and hello.startswith(b"IDS-MGMT/1 ") and b"SCRAM-SHA-256" in hello,
          "HELLO lists the mechanisms", repr(hello))
    s.sendall(frame("Q", b"\x00status\x00"))
    t, body = read_frame(s)
    check(t == "E" and body == b"not authenticated" and closed_within(s, 5),
          "a request before authentication is refused and the connection closed", repr(body))

    # allow-lists: an empty list refuses everyone, a list admits its names
    env.start(env.config(sasl="mechanisms: [SCRAM-SHA-256]\n    allowed_users: []"))
    p = env.idsctl("alice", "whoami", "alice-pw")
    check(p.returncode == 4, "empty allowed_users refuses everyone", p.stderr)
    env.start(env.config(sasl="mechanisms: [SCRAM-SHA-256]\n    allowed_users: ['b*']"))
    p = env.idsctl("alice", "whoami", "alice-pw")
    check(p.returncode == 4, "allowed_users: alice not in ['b*']", p.stderr)
    p = env.idsctl("bob", "whoami", "bob-pw")
    check(p.returncode == 0, "allowed_users: bob matches 'b*'", p.stderr)
    p = env.idsctl("alice", "whoami", "alice-pw", extra=["--mech", "PLAIN"])
    check(p.returncode == 4 and "not offered" in p.stderr, "PLAIN not configured: not offered",
          p.stderr)
    # weak mechanisms need an explicit switch
    err = env.start(env.config(sasl="mechanisms: [DIGEST-MD5]"), expect_fail=True)
    check(err is not None and "DIGEST-MD5 is refused (weak)" in err,
          "DIGEST-MD5 refused unless enabled", str(err))
    err = env.start(env.config(sasl="mechanisms: [CRAM-MD5, SCRAM-SHA-256]\n"
                               "    allow_weak_mechanisms: true"))
    check(err is None and "weak SASL mechanism CRAM-MD5 enabled" in
          (env.proc.stderr.readline() if env.proc else ""), "CRAM-MD5 enabled with a warning")


def group_roles(env):
    env.start(env.config(), alerts=5)
    p = env.idsctl("bob", "status", "bob-pw")
    check(p.returncode == 0 and "node: harness" in p.stdout and "state: MASTER" in p.stdout,
          "viewer: status", p.stdout + p.stderr)
    p = env.idsctl("bob", "rules reload", "bob-pw")
    check(p.returncode == 3 and p.stderr.strip() == "idsctl: permission denied: needs operator",
          "viewer cannot reload rules (exit 3, exact message)", p.stderr)
    p = env.idsctl("bob", "ha demote", "bob-pw")
    check(p.returncode == 3 and "needs operator" in p.stderr, "viewer cannot demote", p.stderr)
    p = env.idsctl("olga", "rules reload", "olga-pw")
    check(p.returncode == 0 and "result: reloaded" in p.stdout, "operator: rules reload",
          p.stdout + p.stderr)
    p = env.idsctl("olga", "config show", "olga-pw")
    check(p.returncode == 3 and p.stderr.strip() == "idsctl: permission denied: needs admin",
          "operator cannot show the config", p.stderr)
    p = env.idsctl("alice", "config show", "alice-pw", extra=["--json"])
    cfg = json.loads(p.stdout) if p.returncode == 0 else {}
    vi = cfg.get("config", {}).get("vrrp", {}).get("instances", [{}])[0]
    check(vi.get("auth_pass") == "<redacted>" and vi.get("name") == "VI_1",
          "admin: config show, secrets redacted", p.stdout[:300] + p.stderr)
    p = env.idsctl("olga", "ha demote", "olga-pw")
    check(p.returncode == 0, "operator: ha demote", p.stderr)
    p = env.idsctl("olga", "ha demote", "olga-pw")
    check(p.returncode == 1 and "already in maintenance" in p.stderr,
          "backend failure reported (exit 1)", p.stderr)
    p = env.idsctl("bob", "ha promote", "olga-pw")
    check(p.returncode == 4, "wrong password for bob", p.stderr)
    p = env.idsctl("olga", "ha promote", "olga-pw")
    check(p.returncode == 1 and "not available: ha promote" in p.stderr,
          "missing backend callback: not available", p.stderr)
    p = env.idsctl("bob", "status", "bob-pw", extra=["--json"])
    try:
        st = json.loads(p.stdout)
    except ValueError:
        st = {}
    check(st.get("vrrp", {}).get("priority") == 150 and "management" in st,
          "--json output parses", p.stdout[:200])
    # idsctl's options after the command as well as before it
    p = env.idsctl("bob", "status --json", "bob-pw")
    try:
        st2 = json.loads(p.stdout)
    except ValueError:
        st2 = {}
    check(p.returncode == 0 and st2.get("vrrp", {}).get("priority") == 150,
          "status --json: the option after the command", p.stdout[:200] + p.stderr)
    p = env.idsctl("bob", "whoami --timeout=5 --json", "bob-pw")
    check(p.returncode == 0 and json.loads(p.stdout or "{}").get("identity") == "bob",
          "whoami --timeout=5 --json", p.stdout + p.stderr)
    p = env.idsctl("bob", "whoami --timeout", "bob-pw")
    check(p.returncode == 2 and "--timeout needs a value" in p.stderr,
          "a trailing option without its value: usage", p.stderr)
    p = env.idsctl("bob", "whoami -- --json", "bob-pw")
    check(p.returncode == 1 and "usage: whoami" in p.stderr,
          "after --, --json is the command's word", p.stdout + p.stderr)
    # ha release: operator, as demote and promote
    p = env.idsctl("bob", "ha release", "bob-pw")
    check(p.returncode == 3 and "needs operator" in p.stderr, "viewer cannot release", p.stderr)
    p = env.idsctl("olga", "ha release", "olga-pw")
    check(p.returncode == 1 and "not available: ha release" in p.stderr,
          "operator: ha release reaches the backend", p.stderr)
    p = env.idsctl("bob", "frobnicate", "bob-pw")
    check(p.returncode == 1 and "unknown command 'frobnicate'" in p.stderr, "unknown command",
          p.stderr)
    p = env.idsctl("bob", "rules", "bob-pw")
    check(p.returncode == 1 and "usage: rules list|stats|reload" in p.stderr, "group usage",
          p.stderr)
    p = env.idsctl("bob", "ha", "bob-pw")
    check(p.returncode == 1 and "usage: ha status|demote|promote|release" in p.stderr,
          "group usage lists ha release", p.stderr)
    p = env.idsctl("bob", "help", "bob-pw", extra=["--json"])
    cmds = {c["command"]: c for c in json.loads(p.stdout)["commands"]} if p.returncode == 0 \
        else {}
    check(cmds.get("rules reload", {}).get("role") == "operator" and
          cmds["rules reload"]["allowed"] is False and cmds["status"]["allowed"] is True,
          "help lists roles and what the caller may run")
    # one fast.log line per alert by default; --json (after the command too)
    # gives the EVE lines as they are
    p = env.idsctl("bob", "alerts -n 2", "bob-pw")
    lines = p.stdout.splitlines()
    check(p.returncode == 0 and len(lines) == 2 and
          all(re.fullmatch(r"-  \[\*\*\] \[1:1\d{3,}:0\] harness alert \d+ \[\*\*\] "
                           r"\[Classification: \] \[Priority: 0\] \{\?\} -:0 -> -:0", l)
              for l in lines),
          "alerts -n 2: fast.log lines", p.stdout + p.stderr)
    p = env.idsctl("bob", "alerts -n 2 --json", "bob-pw")
    lines = p.stdout.splitlines()
    check(p.returncode == 0 and len(lines) == 2 and
          all(json.loads(l)["event_type"] == "alert" for l in lines),
          "alerts -n 2 --json: the EVE lines", p.stdout + p.stderr)
    p = env.idsctl("bob", "alerts -n 100000", "bob-pw")
    check(p.returncode == 0 and len(p.stdout.splitlines()) >= 5,
          "alerts -n beyond the backlog: what the backlog holds", p.stdout + p.stderr)
    p = env.idsctl("bob", "alerts -n -3", "bob-pw")
    check(p.returncode == 1 and "usage: alerts" in p.stderr, "alerts -n -3: usage", p.stderr)
    # --follow streams new alerts (the harness adds one every 200 ms)
    e = dict(env.env, IDSCTL_PASSWORD="bob-pw")
    f = subprocess.Popen([env.args.idsctl, "-c", f"ids+tls://bob@127.0.0.1:{env.port}", "--ca",
                          f"{env.pki}/ca-cert.pem", "alerts", "-n", "1", "--follow"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=e)
    got = [f.stdout.readline() for _ in range(4)]
    f.terminate()
    f.wait()
    check(all(re.match(r"-  \[\*\*\] \[1:\d+:0\] harness alert", g) for g in got) and
          len(set(got)) == 4, "alerts --follow streams fast.log lines", repr(got))
    f = subprocess.Popen([env.args.idsctl, "-c", f"ids+tls://bob@127.0.0.1:{env.port}", "--ca",
                          f"{env.pki}/ca-cert.pem", "alerts", "--follow", "--json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=e)
    got = [f.stdout.readline() for _ in range(2)]
    f.terminate()
    f.wait()
    check(all(json.loads(g)["event_type"] == "alert" for g in got),
          "alerts --follow --json streams the EVE lines", repr(got))
    audit = env.audit_lines()
    check(any(a["event"] == "command" and a["command"] == "rules reload" and
              a["result"] == "denied" and a["identity"] == "bob" for a in audit) and
          any(a["event"] == "command" and a["command"] == "rules reload" and
              a["result"] == "ok" and a["identity"] == "olga" and
              a["mechanism"] == "SCRAM-SHA-256-PLUS" for a in audit) and
          all({"time", "peer", "event", "result"} <= set(a) for a in audit),
          "audit lines: time, peer, identity, mechanism, command, result")


def authed_raw(env, user="alice"):
    """A raw TLS connection authenticated with PLAIN."""
    s = raw_tls(env)
    read_frame(s)
    s.sendall(frame("A", b"PLAIN\x00\x00" + user.encode() + b"\x00" + user.encode() + b"-pw"))
    t, _ = read_frame(s)
    return s if t == "K" else None


def group_limits(env):
    env.start(env.config(limits="    max_frame: 4096\n    handshake_timeout: 1\n"
                         "    auth_timeout: 2\n    idle_timeout: 2"))
    s = authed_raw(env)
    check(s is not None, "raw PLAIN authentication")
    s.sendall(frame("Q", b"\x00whoami\x00"))
    t, body = read_frame(s)
    check(t == "R" and body[0] == 0 and b"identity: alice" in body, "raw request answered",
          repr(body))
    # oversized frame: refused from its header, that connection closed, others served
    other = authed_raw(env)
    s.sendall(struct.pack(">I", 100000) + b"Q")
    t, body = read_frame(s)
    check(t == "E" and body == b"frame too large (max 4096 bytes)" and closed_within(s, 5),
          "oversized frame closes the connection", repr(body))
    other.sendall(frame("Q", b"\x00whoami\x00"))
    t, body = read_frame(other)
    check(t == "R" and body[0] == 0, "another connection still served")
    other.sendall(frame("Z", b"junk"))
    t, body = read_frame(other)
    check(t == "E" and b"malformed frame (unknown_type)" in body, "malformed frame refused",
          repr(body))
    p = env.idsctl("bob", "whoami", "bob-pw")
    check(p.returncode == 0, "server keeps serving after bad frames", p.stderr)
    # timeouts
    t0 = time.time()
    raw = socket.create_connection(("127.0.0.1", env.port))
    check(closed_within(raw, 5) and time.time() - t0 < 3, "handshake timeout closes a silent client")
    s = raw_tls(env)
    read_frame(s)
    t0 = time.time()
    t, body = read_frame(s)
    check(t == "E" and body == b"authentication timeout" and 1.5 < time.time() - t0 < 4,
          "authentication timeout", repr(body))
    s = authed_raw(env)
    t0 = time.time()
    t, body = read_frame(s)
    check(t == "E" and body == b"idle timeout" and 1.5 < time.time() - t0 < 4, "idle timeout",
          repr(body))

    # unauthenticated cap: connections beyond it are closed at once
    env.start(env.config(limits="    handshake_timeout: 3", unauth=4))
    held = [socket.create_connection(("127.0.0.1", env.port)) for _ in range(4)]
    time.sleep(0.3)
    extra = socket.create_connection(("127.0.0.1", env.port))
    check(closed_within(extra, 1), "connection beyond max_unauthenticated closed")
    p = env.idsctl("bob", "whoami", "bob-pw")
    check(p.returncode != 0, "idsctl refused while the cap is reached", p.stderr)
    for h in held:
        h.close()
    time.sleep(0.3)
    p = env.idsctl("bob", "whoami", "bob-pw")
    check(p.returncode == 0, "served again once the cap frees", p.stderr)

    # repeated failures from one address are slowed down (150 ms doubling)
    times = []
    for _ in range(4):
        t0 = time.time()
        env.idsctl("bob", "whoami", "bad")
        times.append(time.time() - t0)
    check(times[3] > times[0] + 0.6 and times[3] >= 1.1, "failed authentications slowed down",
          repr(times))
    p = env.idsctl("bob", "whoami", "bob-pw")
    check(p.returncode == 0, "a success still gets through", p.stderr)

    # 50 clients at once (from one address: the per-source cap raised; on a
    # slow sanitizer build 50 handshakes can take longer than the 10 s default)
    env.start(env.config(limits="    auth_timeout: 60\n    handshake_timeout: 60"))
    results = [None] * 50

    def one(i):
        results[i] = env.idsctl("bob" if i % 2 else "olga", "whoami",
                                "bob-pw" if i % 2 else "olga-pw",
                                extra=("--timeout", "60"), timeout=120).returncode

    threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(results.count(0) == 50, "50 clients at once", repr(results))


def kdc_setup(env):
    kdir = os.path.join(env.dir, "krb5")
    os.makedirs(kdir)
    port = free_port()
    krb5conf = os.path.join(kdir, "krb5.conf")
    kdcconf = os.path.join(kdir, "kdc.conf")
    with open(krb5conf, "w") as f:
        f.write(f"""[libdefaults]
  default_realm = {REALM}
  dns_lookup_kdc = false
  dns_lookup_realm = false
  dns_canonicalize_hostname = false
  rdns = false
  udp_preference_limit = 1
[realms]
  {REALM} = {{
    kdc = 127.0.0.1:{port}
  }}
[domain_realm]
  localhost = {REALM}
  127.0.0.1 = {REALM}
""")
    with open(kdcconf, "w") as f:
        f.write(f"""[kdcdefaults]
  kdc_ports = {port}
  kdc_tcp_ports = {port}
[realms]
  {REALM} = {{
    database_name = {kdir}/principal
    key_stash_file = {kdir}/stash
    acl_file = {kdir}/kadm5.acl
  }}
[logging]
  kdc = FILE:{kdir}/kdc.log
""")
    env.env.update(KRB5_CONFIG=krb5conf, KRB5_KDC_PROFILE=kdcconf,
                   KRB5CCNAME=f"FILE:{kdir}/ccache")
    kw = dict(env=env.env, check=True, capture_output=True, text=True, timeout=60)
    subprocess.run(["kdb5_util", "create", "-s", "-r", REALM, "-P", "master-pw"], **kw)
    for q in ("addprinc -pw alice-krb alice", "addprinc -randkey ids/localhost",
              f"ktadd -k {kdir}/ids.keytab ids/localhost"):
        subprocess.run(["kadmin.local", "-r", REALM, "-q", q], **kw)
    kdc = subprocess.Popen(["krb5kdc", "-n", "-r", REALM], env=env.env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        subprocess.run(["kinit", "alice"], input="alice-krb\n", **kw)
    except subprocess.CalledProcessError:
        kdc.terminate()
        kdc.wait()
        raise
    return kdc, f"{kdir}/ids.keytab"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def group_gssapi(env):
    if not shutil.which("krb5kdc") or not shutil.which("kdb5_util"):
        check(False, "MIT KDC installed (krb5-kdc, krb5-admin-server)")
        return
    kdc, keytab = kdc_setup(env)
    try:
        env.start(env.config(sasl=f"mechanisms: [GSSAPI, SCRAM-SHA-256]\n"
                             f"    keytab: {keytab}\n    hostname: localhost",
                             roles="{ alice: operator }"))
        p = env.idsctl("", "whoami", host="localhost", extra=["--mech", "GSSAPI"])
        # Cyrus drops the realm when it is the default realm of krb5.conf
        check(p.returncode == 0 and "identity: alice\n" in p.stdout and
              "role: operator" in p.stdout and "mechanism: GSSAPI" in p.stdout,
              "GSSAPI with a ticket from the KDC", p.stdout + p.stderr)
        # the principal is ids/localhost: a client using another name for the
        # same host asks the KDC for ids/127.0.0.1 and must say so clearly
        p = env.idsctl("", "whoami", host="127.0.0.1", extra=["--mech", "GSSAPI"])
        check(p.returncode == 4 and "ids/127.0.0.1@REALM" in p.stderr and
              "authentication failed" in p.stderr,
              "GSSAPI host name mismatch fails with a clear message", p.stderr)
        subprocess.run(["kdestroy"], env=env.env, capture_output=True)
        p = env.idsctl("", "whoami", host="localhost", extra=["--mech", "GSSAPI"])
        check(p.returncode == 4 and "kinit" in p.stderr, "GSSAPI without a ticket", p.stderr)
        p = env.idsctl("alice", "whoami", "alice-pw", host="localhost")
        check(p.returncode == 0 and "role: operator" in p.stdout, "SCRAM alongside GSSAPI",
              p.stderr)
    finally:
        kdc.terminate()
        kdc.wait()


def group_external(env):
    env.start(env.config(extra_tls="    require_client_cert: true",
                         sasl="mechanisms: [EXTERNAL, SCRAM-SHA-256]",
                         roles="{ alice: operator, mallory: viewer }"))
    cert = ["--cert", f"{env.pki}/alice-cert.pem", "--key", f"{env.pki}/alice-key.pem"]
    p = env.idsctl("alice", "whoami", extra=cert + ["--mech", "EXTERNAL"])
    check(p.returncode == 0 and "identity: alice" in p.stdout and
          "mechanism: EXTERNAL" in p.stdout and "role: operator" in p.stdout,
          "EXTERNAL from the client certificate", p.stdout + p.stderr)
    p = env.idsctl("mallory", "whoami", extra=cert + ["--mech", "EXTERNAL"])
    check(p.returncode == 4, "EXTERNAL as someone other than the certificate refused",
          p.stdout + p.stderr)
    p = env.idsctl("alice", "whoami", "alice-pw", extra=cert)
    check(p.returncode == 0 and "SCRAM-SHA-256" in p.stdout, "SCRAM with a client certificate",
          p.stderr)


def group_guard(env):
    """One address cannot hold the unauthenticated pool; failed logins back
    off and lock the address and the user for a while (audited with the name
    tried); a certificate bound to its CN; CANCEL outside a stream."""
    env.start(env.config(limits="    handshake_timeout: 5\n    lockout_failures: 3\n"
                         "    lockout_seconds: 3", per_source=2))
    held = [socket.create_connection(("127.0.0.1", env.port)) for _ in range(2)]
    time.sleep(0.3)
    extra = socket.create_connection(("127.0.0.1", env.port))
    check(closed_within(extra, 1), "a third unauthenticated connection from one address closed")
    for h in held:
        h.close()
    time.sleep(0.3)
    refusals = [a for a in env.audit_lines() if a.get("event") == "connect"]
    check(len(refusals) == 1 and refusals[0]["result"] == "refused" and
          "per_source" in refusals[0]["detail"] and refusals[0]["peer"] == "127.0.0.1",
          "the refusal is audited", repr(refusals))
    p = env.idsctl("bob", "status", "bob-pw")
    check(p.returncode == 0 and "refused_source: 1" in p.stdout, "counted in status",
          p.stdout + p.stderr)

    # CANCEL outside a stream: an error reply, the connection stays
    s = authed_raw(env)
    s.sendall(frame("X"))
    t, body = read_frame(s)
    check(t == "R" and body == b"\x01no stream to cancel", "CANCEL outside a stream answered",
          repr((t, body)))
    s.sendall(frame("Q", b"\x00whoami\x00"))
    t, body = read_frame(s)
    check(t == "R" and body[0] == 0, "the connection still serves", repr(body))
    s.close()

    # three failures lock the address (and the user) for 3 s
    for _ in range(3):
        p = env.idsctl("bob", "whoami", "wrong")
        check(p.returncode == 4, "a wrong password fails", p.stderr)
    p = env.idsctl("bob", "whoami", "bob-pw")
    check(p.returncode != 0, "locked out: even the right password is refused", p.stderr)
    audit = env.audit_lines()
    fails = [a for a in audit if a.get("event") == "auth" and a["result"] == "failed"]
    check(fails and all(a.get("user") == "bob" for a in fails),
          "failed logins audited with the name tried", repr(fails[-1:]))
    locks = [a["detail"] for a in audit if a.get("event") == "lockout"]
    check(any("user 'bob' locked out" in d for d in locks) and
          any("address of 127.0.0.1" in d for d in locks), "the lockouts audited", repr(locks))
    time.sleep(3.2)
    p = env.idsctl("bob", "whoami", "bob-pw")
    check(p.returncode == 0, "served again after the lockout", p.stderr)

    # a reply larger than max_frame comes in PART frames, then the REPLY
    env.start(env.config(limits="    max_frame: 4096\n    alerts_backlog: 2000"), alerts=1500)
    p = env.idsctl("bob", "alerts -n 1500 --json", "bob-pw")
    lines = p.stdout.splitlines()
    check(p.returncode == 0 and len(lines) == 1500 and len(p.stdout) > 4096 * 4 and
          all(json.loads(l) for l in lines), "a large reply arrives whole through idsctl",
          f"{len(lines)} lines, {len(p.stdout)} bytes: {p.stderr}")
    s = authed_raw(env, "bob")
    s.sendall(frame("Q", b"\x00alerts\x00-n\x001500\x00"))
    kinds, body = [], b""
    while True:
        t, b = read_frame(s)
        kinds.append(t)
        if t != "P":
            break
        body += b
    check(kinds[-1] == "R" and kinds.count("P") >= 4 and b[0] == 0 and
          (body + b[1:]).count(b"\n") >= 1499, "PART frames then the REPLY",
          repr(kinds[:3] + kinds[-2:]))
    s.close()

    # bind_client_cert: alice's certificate cannot log in as bob
    env.start(env.config(extra_tls=f"    bind_client_cert: true"))
    cert = ["--cert", f"{env.pki}/alice-cert.pem", "--key", f"{env.pki}/alice-key.pem"]
    p = env.idsctl("bob", "whoami", "bob-pw", extra=cert)
    check(p.returncode == 4, "another user's certificate refused", p.stdout + p.stderr)
    p = env.idsctl("alice", "whoami", "alice-pw", extra=cert)
    check(p.returncode == 0 and "identity: alice" in p.stdout, "the certificate's own user",
          p.stderr)
    p = env.idsctl("alice", "whoami", "alice-pw")
    check(p.returncode == 4, "no certificate: refused", p.stderr)
    bad = [a for a in env.audit_lines() if a.get("event") == "auth" and
           a["result"] == "failed" and "is not the identity 'bob'" in a.get("detail", "")]
    check(bad and "CN=alice" in bad[0].get("cert_dn", ""), "audited with the certificate DN",
          repr(bad))


GROUPS = {"tls": group_tls, "sasl": group_sasl, "roles": group_roles, "limits": group_limits,
          "gssapi": group_gssapi, "external": group_external, "guard": group_guard}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--harness", required=True)
    ap.add_argument("--idsctl", required=True)
    ap.add_argument("--only", choices=sorted(GROUPS), action="append")
    args = ap.parse_args()
    for tool in ("certtool", "saslpasswd2", "gnutls-cli"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            print(f"FAIL {tool} missing (tools/setup-deps.sh installs it)")
            return 1
    os.environ["PATH"] += ":/usr/sbin:/sbin"
    for name in args.only or sorted(GROUPS):
        env = Env(args)
        try:
            GROUPS[name](env)
        finally:
            env.close()
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
