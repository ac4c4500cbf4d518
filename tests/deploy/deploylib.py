# SPDX-License-Identifier: MIT
"""Shared by the deploy tests: paths, a checker that counts failures, and an
install into a temporary destdir."""
import json
import os
import re
import subprocess
import sys
import tempfile

SRC = os.environ["SRC"]
BUILD = os.environ["BUILD"]
IDSD = os.environ["IDSD"]
IDS_CONTROL = os.environ["IDS_CONTROL"]
DEPLOY = os.path.join(SRC, "deploy")


class Check:
    def __init__(self, name):
        self.name = name
        self.failed = 0
        self.passed = 0

    def ok(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: %s" % what)
        return cond

    def eq(self, got, want, what):
        return self.ok(got == want, "%s: expected %r, got %r" % (what, want, got))

    def done(self):
        print("%s: %d passed, %d failed" % (self.name, self.passed, self.failed))
        sys.exit(1 if self.failed else 0)


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kw)


def install(destdir):
    """meson install into destdir; returns (process, {installed path: source})."""
    p = run(["meson", "install", "-C", BUILD, "--no-rebuild", "--destdir", destdir])
    q = run(["meson", "introspect", BUILD, "--installed"])
    return p, json.loads(q.stdout) if q.returncode == 0 else {}


def options():
    q = run(["meson", "introspect", BUILD, "--buildoptions"])
    opts = {o["name"]: o["value"] for o in json.loads(q.stdout)}
    prefix = opts["prefix"]
    dirs = {k: os.path.join(prefix, opts[k]) for k in
            ("bindir", "sbindir", "sysconfdir", "datadir", "mandir", "localstatedir")}
    dirs["prefix"] = prefix
    return dirs


def tmpdir(tag):
    return tempfile.mkdtemp(prefix="deploy-%s-" % tag)


def server_pki(parent):
    """A CA and a server certificate in parent/pki (tools/pki/ids-pki.sh):
    ids-control -T checks the TLS files its config names, as the daemon
    does at start, so configs naming /etc/ids/pki/ are checked against
    these (pki_paths). Returns the folder, or None if certtool failed."""
    pki = os.path.join(parent, "pki")
    tool = os.path.join(SRC, "tools", "pki", "ids-pki.sh")
    for step in (["ca", pki], ["server", pki, "localhost"]):
        if run(["sh", tool] + step).returncode != 0:
            return None
    return pki


def pki_paths(text, pki):
    """The config's .../etc/ids/pki/ (any prefix) pointed at pki."""
    return re.sub(r"[^\s:]*/etc/ids/pki/", pki + "/", text)
