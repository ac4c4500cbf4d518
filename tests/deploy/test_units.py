#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The systemd units, tmpfiles entry and logrotate file as configured in the
build: systemd-analyze verify (with the unit's binaries pointed at the build),
the properties the deployment relies on, and logrotate -d."""
import os
import re
import shutil

from deploylib import Check, BUILD, DEPLOY, IDSD, IDS_CONTROL, options, run, tmpdir

c = Check("deploy_units")
d = options()
built = os.path.join(BUILD, "deploy")
tmp = tmpdir("units")


def props(path):
    """Unit file -> {key: [values]} (repeated keys keep every value)."""
    out = {}
    with open(path) as fh:
        for line in fh:
            line = line.strip()
            if line and line[0] not in "#;[" and "=" in line:
                k, v = line.split("=", 1)
                out.setdefault(k.strip(), []).append(v.strip())
    return out


units = {}
for name in ("idsd.service", "ids-control.service"):
    path = os.path.join(built, name)
    if c.ok(os.path.isfile(path), "%s was not configured" % path):
        units[name] = props(path)

# systemd-analyze verify checks syntax, every directive and that the
# commands are executable: point bindir at the built binaries.
if shutil.which("systemd-analyze") and len(units) == 2:
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir)
    os.symlink(IDSD, os.path.join(bindir, "idsd"))
    os.symlink(IDS_CONTROL, os.path.join(bindir, "ids-control"))
    for name in units:
        with open(os.path.join(built, name)) as fh:
            text = fh.read().replace(d["bindir"] + "/", bindir + "/")
        with open(os.path.join(tmp, name), "w") as fh:
            fh.write(text)
    v = run(["systemd-analyze", "verify", "--man=no"] + sorted(units), cwd=tmp)
    c.ok(v.returncode == 0 and not v.stdout.strip(),
         "systemd-analyze verify (status %d):\n%s" % (v.returncode, v.stdout))
    # the check can fail: a misspelt directive is reported
    with open(os.path.join(tmp, "bad.service"), "w") as fh:
        fh.write("[Service]\nExecStart=/bin/true\nRestartt=always\n")
    v = run(["systemd-analyze", "verify", "--man=no", "bad.service"], cwd=tmp)
    c.ok("Restartt" in v.stdout, "systemd-analyze verify let a bad directive pass")
else:
    print("systemd-analyze not found: verify skipped (apt install systemd)")


def one(u, k):
    return units.get(u, {}).get(k, [None])[-1]


i, k = "idsd.service", "ids-control.service"
# both daemons speak sd_notify in the foreground: readiness and a watchdog
for u in units:
    c.eq(one(u, "Type"), "notify", u + " Type")
    c.eq(one(u, "NotifyAccess"), "main", u + " NotifyAccess")
    wd = one(u, "WatchdogSec") or ""
    c.ok(re.fullmatch(r"[0-9]+s?", wd) and 2 <= int(wd.rstrip("s")) <= 60,
         "%s: WatchdogSec %r (want 2..60 s)" % (u, wd))
    c.eq(one(u, "Restart"), "on-failure", u + " Restart")
    for line in units[u].get("ExecStart", []):
        c.ok(not re.search(r"\s(-D|--daemon|--detach)\b", line),
             "%s detaches: sd_notify must come from the main PID" % u)
# the binaries are linked with libsystemd's notify (else READY never comes)
for exe in (IDSD, IDS_CONTROL):
    n = run(["nm", exe])
    c.ok(n.returncode != 0 or "sd_notify" in n.stdout,
         "%s has no sd_notify: built without libsystemd (libsystemd-dev)" % exe)
# HA after the dataplane, wanting but not requiring it
c.ok("idsd.service" in " ".join(units.get(k, {}).get("After", [])), "ids-control not After idsd")
c.ok("idsd.service" in " ".join(units.get(k, {}).get("Wants", [])), "ids-control not Wants idsd")
for dep in ("Requires", "BindsTo", "PartOf"):
    c.ok("idsd.service" not in " ".join(units.get(k, {}).get(dep, [])),
         "ids-control %s idsd: a dataplane restart would stop HA" % dep)
c.ok("1" in (one(i, "RestartPreventExitStatus") or "").split(),
     "idsd restarts on an invalid configuration (exit 1)")
# DPDK's needs
c.eq(one(i, "LimitMEMLOCK"), "infinity", "idsd LimitMEMLOCK")
c.ok(one(i, "PrivateDevices") in (None, "no", "false"), "idsd PrivateDevices hides /dev/vfio")
c.ok(one(i, "ProtectKernelTunables") in (None, "no", "false"),
     "idsd ProtectKernelTunables makes /sys read-only (uio mmaps sysfs)")
allowed = " ".join(units.get(i, {}).get("DeviceAllow", []))
c.ok("/dev/vfio/vfio" in allowed and "char-vfio" in allowed, "idsd: VFIO devices not allowed")
caps = (one(i, "CapabilityBoundingSet") or "").split()
for cap in ("CAP_IPC_LOCK", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_SYS_RAWIO"):
    c.ok(cap in caps, "idsd CapabilityBoundingSet lacks " + cap)
c.ok("/run/dpdk" in (one(i, "ReadWritePaths") or ""), "idsd cannot write /run/dpdk")
kcaps = (one(k, "CapabilityBoundingSet") or "").split()
for cap in ("CAP_NET_ADMIN", "CAP_NET_RAW"):
    c.ok(cap in kcaps, "ids-control CapabilityBoundingSet lacks " + cap)
c.eq(one(k, "PrivateDevices"), "yes", "ids-control PrivateDevices")
c.ok(any("HUP" in l for l in units.get(k, {}).get("ExecReload", [])),
   "ids-control: ExecReload should send SIGHUP (reopens the audit log)")

# every flag the units pass exists in the daemon's --help
for u, exe in ((i, IDSD), (k, IDS_CONTROL)):
    helptext = run([exe, "--help"]).stdout
    for line in units.get(u, {}).get("ExecStart", []) + units.get(u, {}).get("ExecReload", []):
        if os.path.basename(line.split()[0]) != os.path.basename(exe):
            continue
        for flag in re.findall(r"\s(--?[a-zA-Z][-a-zA-Z]*)", line):
            c.ok(re.search(r"(^|[\s,])%s\b" % re.escape(flag), helptext),
                 "%s passes %s, which %s --help does not list" % (u, flag, exe))

# tmpfiles: "d PATH MODE USER GROUP AGE" lines for the runtime and log dirs
tf = os.path.join(built, "ids-tmpfiles.conf")
paths = []
with open(tf) as fh:
    for line in fh:
        if line.strip() and not line.startswith("#"):
            f = line.split()
            c.ok(len(f) == 6 and f[0] == "d" and re.fullmatch(r"0[0-7]{3}", f[2]),
                 "tmpfiles line malformed: %r" % line)
            paths.append(f[1])
for want in ("/run/ids", "/run/dpdk", os.path.join(d["localstatedir"], "log/ids")):
    c.ok(want in paths, "tmpfiles does not create " + want)

# logrotate: parses, eve.json and audit.log moved, their writers signalled with SIGHUP
lr = os.path.join(built, "ids-logrotate")
with open(lr) as fh:
    text = fh.read()
eve = text[text.index("eve.json {"):text.index("\n}", text.index("eve.json {"))]
c.ok("HUP" in eve and "copytruncate" not in eve, "eve.json is not rotated with SIGHUP")
c.ok(re.search(r"/idsd\.log \S*/eve\.json \{", text) is not None,
     "idsd.log (the logging file output) is not rotated with eve.json")
audit = text[text.index("audit.log {"):]
c.ok("HUP" in audit and "ids-control" in audit and "copytruncate" not in audit,
     "audit.log is not rotated with SIGHUP to ids-control")
if shutil.which("logrotate"):
    state = os.path.join(tmp, "state")
    r = run(["logrotate", "-d", "-s", state, lr])
    c.ok(r.returncode == 0 and "error" not in r.stdout.lower(), "logrotate -d:\n" + r.stdout)
else:
    print("logrotate not found: its check skipped (apt install logrotate)")

# the shell scripts, if shellcheck is here
if shutil.which("shellcheck"):
    scripts = [os.path.join(DEPLOY, s) for s in
               ("setup-host.sh", "install-conf.sh", "container/ids-pod-start",
                "container/ids-k8s-label")]
    s = run(["shellcheck"] + scripts)
    c.ok(s.returncode == 0, "shellcheck:\n" + s.stdout)

shutil.rmtree(tmp, ignore_errors=True)
c.done()
