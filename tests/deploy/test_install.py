#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""meson install --destdir: every file where operators look for it, scripts
executable, no unsubstituted @VAR@, man pages clean and covering every
option of --help, and a reinstall that keeps edited configuration."""
import os
import re
import shutil
import stat

from deploylib import Check, IDSD, IDS_CONTROL, BUILD, install, options, run, tmpdir

c = Check("deploy_install")
d = options()
dest = tmpdir("install")
p, installed = install(dest)
c.ok(p.returncode == 0, "meson install failed:\n" + p.stdout[-3000:])


def at(path):
    return dest + path


etc = os.path.join(d["sysconfdir"], "ids")
share = os.path.join(d["datadir"], "ids")
expected = [os.path.join(d["bindir"], b) for b in
            ("idsd", "ids-control", "idsctl", "ids-pki", "ids-users")]
expected += [os.path.join(d["sbindir"], "ids-setup-host")]
expected += [os.path.join(etc, f) for f in
             ("idsd.yaml", "ids-control.yaml", "rules/local.rules", "classification.config",
              "reference.config")]
expected += [os.path.join(d["sysconfdir"], "logrotate.d", "ids"),
             os.path.join(d["prefix"], "lib/systemd/system/idsd.service"),
             os.path.join(d["prefix"], "lib/systemd/system/ids-control.service"),
             os.path.join(d["prefix"], "lib/tmpfiles.d/ids.conf"),
             os.path.join(d["datadir"], "doc/ids/README.md")]
expected += [os.path.join(share, f) for f in
             ("conf/idsd.yaml", "conf/ids-control.yaml", "conf/local.rules",
              "pair/node-a/idsd.yaml", "pair/node-a/ids-control.yaml",
              "pair/node-b/idsd.yaml", "pair/node-b/ids-control.yaml",
              "k8s/kustomization.yaml", "k8s/statefulset.yaml", "rules/examples/demo.rules")]
expected += [os.path.join(d["mandir"], m) for m in
             ("man8/idsd.8", "man8/ids-control.8", "man1/idsctl.1", "man8/ids-setup-host.8")]
for f in expected:
    c.ok(os.path.isfile(at(f)), "not installed: %s" % f)

# everything meson says it installs is there (the install script's files too)
for src, path in installed.items():
    c.ok(os.path.exists(at(path)), "listed by meson but missing: %s" % path)

for f in expected:
    if f.startswith((d["bindir"], d["sbindir"])) and os.path.isfile(at(f)):
        c.ok(os.stat(at(f)).st_mode & stat.S_IXUSR, "not executable: %s" % f)

# configured files: no placeholder left, paths from meson's options
for f in expected:
    if os.path.isfile(at(f)) and not f.startswith((d["bindir"], d["sbindir"])):
        with open(at(f), errors="replace") as fh:
            left = re.findall(r"@[A-Z_]+@", fh.read())
        c.ok(not left, "%s: unsubstituted %s" % (f, left))
with open(at(os.path.join(d["prefix"], "lib/systemd/system/idsd.service"))) as fh:
    unit = fh.read()
c.ok("ExecStart=%s/idsd -c %s/idsd.yaml" % (d["bindir"], etc) in unit,
     "idsd.service does not start the installed idsd on the installed config")

# the configuration is private: it sits beside keys and the SASL database
for f in ("idsd.yaml", "ids-control.yaml"):
    if os.path.isfile(at(os.path.join(etc, f))):
        c.eq(stat.S_IMODE(os.stat(at(os.path.join(etc, f))).st_mode), 0o640, "mode of " + f)

# a reinstall keeps the operator's edit; the pristine default stays in share
edited = at(os.path.join(etc, "idsd.yaml"))
if os.path.isfile(edited):
    with open(edited, "a") as fh:
        fh.write("# edited by the operator\n")
    p, _ = install(dest)
    c.ok(p.returncode == 0, "second meson install failed")
    with open(edited) as fh:
        c.ok(fh.read().endswith("# edited by the operator\n"), "a reinstall overwrote idsd.yaml")
    with open(at(os.path.join(share, "conf/idsd.yaml"))) as fh:
        c.ok("edited" not in fh.read(), "the pristine default changed")

# man pages: groff finds nothing to warn about, and each option of --help is
# in its page (a new flag without documentation fails here)
mans = {"idsd.8": IDSD, "ids-control.8": IDS_CONTROL,
        "idsctl.1": os.path.join(BUILD, "tools/idsctl/idsctl")}
for page, exe in mans.items():
    path = at(os.path.join(d["mandir"], "man" + page[-1], page))
    if not os.path.isfile(path):
        continue
    if shutil.which("groff"):
        g = run(["groff", "-man", "-ww", "-z", path])
        c.ok(g.returncode == 0 and not g.stdout.strip(), "%s: groff: %s" % (page, g.stdout))
    with open(path) as fh:
        text = fh.read().replace("\\-", "-").replace("\\fB", "").replace("\\fR", "")
    if not os.path.exists(exe):
        continue
    h = run([exe, "--help"])
    opts = set(re.findall(r"(?:^|[\s,\[])(--?[a-zA-Z][-a-zA-Z]*)", h.stdout))
    c.ok(len(opts) >= 5, "%s --help: too few options found (%s)" % (exe, sorted(opts)))
    for o in sorted(opts):
        c.ok(re.search(r"(^|[^-a-zA-Z])%s([^-a-zA-Z]|$)" % re.escape(o), text, re.M),
             "%s: option %s of --help is not documented" % (page, o))

shutil.rmtree(dest, ignore_errors=True)
c.done()
