#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every shipped configuration passes the daemons' own checks: idsd -T and
ids-control -T on the example pair and on the installed defaults (as
configured in the build), and the two nodes of the pair differ only where
they must."""
import os
import shutil

import yaml

from deploylib import (Check, BUILD, DEPLOY, IDSD, IDS_CONTROL, SRC, pki_paths, run, server_pki,
                       tmpdir)

c = Check("deploy_configs")
RULES = os.path.join(SRC, "rules")
# The example's paths are the server's (/etc/ids/...): point them at the tree.
PATHS = ["--set", "default-rule-path=" + os.path.join(DEPLOY, "conf"),
         "--set", "classification-file=" + os.path.join(RULES, "classification.config"),
         "--set", "reference-config-file=" + os.path.join(RULES, "reference.config")]


def cpus_needed(conf):
    """Highest CPU the config's cpu-affinity names (-1 if none)."""
    top = -1
    for s in (conf.get("threading") or {}).get("cpu-affinity") or []:
        for v in s.values():
            for item in (v or {}).get("cpu", []):
                for part in str(item).split(","):
                    top = max(top, int(part.split("-")[-1]))
    return top


def idsd_check(path):
    with open(path) as fh:
        conf = yaml.safe_load(fh)
    argv = [IDSD, "-T", "-c", path] + PATHS
    # a test machine may have fewer CPUs than the example's server
    if cpus_needed(conf) >= 0 and cpus_needed(conf) not in os.sched_getaffinity(0):
        argv += ["--set", "threading.set-cpu-affinity=no"]
    r = run(argv)
    c.ok(r.returncode == 0 and "rules: " in r.stdout and " 0 failed" in r.stdout,
         "idsd -T -c %s (status %d):\n%s" % (path, r.returncode, r.stdout))
    return conf


PKI_DIR = tmpdir("pki")
PKI = server_pki(PKI_DIR)
c.ok(PKI is not None, "ids-pki (certtool) could not make a test PKI")


def control_check(path):
    """ids-control -T with the server's /etc/ids/pki/ pointed at a test PKI."""
    with open(path) as fh:
        text = fh.read()
    local = os.path.join(PKI_DIR, os.path.basename(path))
    with open(local, "w") as fh:
        fh.write(pki_paths(text, PKI or "/nonexistent"))
    r = run([IDS_CONTROL, "-T", "-c", local])
    c.ok(r.returncode == 0 and "configuration ok" in r.stdout,
         "ids-control -T -c %s (status %d):\n%s" % (path, r.returncode, r.stdout))
    with open(path) as fh:
        return yaml.safe_load(fh)


pair = {}
for n in ("a", "b"):
    node = os.path.join(DEPLOY, "pair", "node-" + n)
    idsd_check(os.path.join(node, "idsd.yaml"))
    pair[n] = control_check(os.path.join(node, "ids-control.yaml"))

# the defaults meson installs, as configured for this build's paths
for f in ("idsd.yaml", "ids-control.yaml"):
    c.ok(os.path.isfile(os.path.join(BUILD, "deploy", f)), "deploy/%s not configured" % f)
idsd_check(os.path.join(BUILD, "deploy", "idsd.yaml"))
control_check(os.path.join(BUILD, "deploy", "ids-control.yaml"))

# node a and node b: one VRRP instance each, the same except the priority
ia = pair["a"]["vrrp"]["instances"][0]
ib = pair["b"]["vrrp"]["instances"][0]
c.ok(ia["priority"] > ib["priority"], "node a must be the preferred master")
c.ok(ia["priority"] + ia["track_dataplane"]["weight"] < ib["priority"],
     "node a with a dead dataplane still outranks node b")
for k in set(ia) | set(ib):
    if k != "priority":
        c.eq(ia.get(k), ib.get(k), "pair: %s differs between the nodes" % k)
c.eq({k: v for k, v in pair["a"].items() if k != "vrrp"},
     {k: v for k, v in pair["b"].items() if k != "vrrp"}, "pair: non-VRRP sections differ")
# the telemetry path is idsd's default socket (runtime dir /run/dpdk, prefix rte)
c.eq(pair["a"]["dataplane"]["telemetry"], "/run/dpdk/rte/dpdk_telemetry.v2", "telemetry path")

# the checks can fail: an unknown key is refused by both daemons
tmp = tmpdir("configs")
bad = os.path.join(tmp, "bad.yaml")
with open(os.path.join(DEPLOY, "pair", "node-a", "ids-control.yaml")) as fh:
    text = fh.read()
with open(bad, "w") as fh:
    fh.write(pki_paths(text.replace("      preempt: true\n", "      preempt: true\n      prio: 3\n"),
                       PKI or "/nonexistent"))
r = run([IDS_CONTROL, "-T", "-c", bad])
c.ok(r.returncode != 0 and "prio" in r.stdout, "ids-control -T accepted 'prio'")
with open(os.path.join(DEPLOY, "pair", "node-a", "idsd.yaml")) as fh:
    text = fh.read()
with open(bad, "w") as fh:
    fh.write(text + "default-log-dri: /tmp\n")
c.ok(run([IDSD, "-T", "-c", bad] + PATHS).returncode == 1, "idsd -T accepted 'default-log-dri'")
shutil.rmtree(tmp, ignore_errors=True)
shutil.rmtree(PKI_DIR, ignore_errors=True)
c.done()
