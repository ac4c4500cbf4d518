#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ids-setup-host --check (deploy/setup-host.sh) on a fake sysfs: a port, its
hugepages and the worker CPUs on one NUMA node pass; hugepages or workers on
the other node, a kernel driver or a missing device are each reported."""
import os
import shutil

from deploylib import Check, DEPLOY, run, tmpdir

c = Check("deploy_setup_host")
SCRIPT = os.path.join(DEPLOY, "setup-host.sh")
PORT = "0000:3b:00.0"


def fake_sys(root, port_node=1, pages=(0, 4), driver="vfio-pci", isolated="8-11"):
    """Two nodes: node0 CPUs 0-7, node1 CPUs 8-15; pages[i] 1G pages on node i."""
    for n, cpus in ((0, "0-7"), (1, "8-15")):
        hp = os.path.join(root, "devices/system/node/node%d/hugepages/hugepages-1048576kB" % n)
        os.makedirs(hp)
        with open(os.path.join(hp, "nr_hugepages"), "w") as f:
            f.write("%d\n" % pages[n])
        with open(os.path.join(root, "devices/system/node/node%d/cpulist" % n), "w") as f:
            f.write(cpus + "\n")
    os.makedirs(os.path.join(root, "devices/system/cpu"))
    with open(os.path.join(root, "devices/system/cpu/isolated"), "w") as f:
        f.write(isolated + "\n")
    dev = os.path.join(root, "bus/pci/devices", PORT)
    os.makedirs(dev)
    os.makedirs(os.path.join(root, "bus/pci/drivers", driver))
    os.symlink(os.path.join("../../drivers", driver), os.path.join(dev, "driver"))
    with open(os.path.join(dev, "numa_node"), "w") as f:
        f.write("%d\n" % port_node)


CONF = """dpdk:
  interfaces:
    - interface: "%s"
      threads: 4
threading:
  cpu-affinity:
    - management-cpu-set:
        cpu: [ 0 ]
    - worker-cpu-set:
        cpu: [ "%s" ]
"""


def check(tag, workers="8-11", port=PORT, **kw):
    root = tmpdir("sys-" + tag)
    fake_sys(root, **kw)
    conf = os.path.join(root, "idsd.yaml")
    with open(conf, "w") as f:
        f.write(CONF % (port, workers))
    r = run(["sh", SCRIPT, "--check", "--config", conf], env=dict(os.environ, IDS_SYSFS=root))
    shutil.rmtree(root, ignore_errors=True)
    return r


r = check("good")
c.ok(r.returncode == 0 and "placement: ok" in r.stdout, "good placement refused:\n" + r.stdout)
c.ok("NUMA node 1" in r.stdout and "4096 MB" in r.stdout, "report lacks node/pages:\n" + r.stdout)

r = check("pages", pages=(4, 0))
c.eq(r.returncode, 1, "hugepages only on the other node: status")
c.ok("no hugepages on its node 1" in r.stdout, "missing-hugepages reason:\n" + r.stdout)

r = check("cpus", workers="2-3")
c.eq(r.returncode, 1, "workers on the other node: status")
c.ok("worker CPU 2 is not on the port's node 1" in r.stdout, "CPU reason:\n" + r.stdout)
c.ok("isolcpus=managed_irq,domain,2-3" in r.stdout, "no isolation hint:\n" + r.stdout)

r = check("driver", driver="ixgbe")
c.eq(r.returncode, 1, "kernel driver: status")
c.ok("bound to 'ixgbe'" in r.stdout, "driver reason:\n" + r.stdout)

r = check("nodev", port="0000:99:00.0")
c.eq(r.returncode, 1, "missing device: status")
c.ok("0000:99:00.0: no such PCI device" in r.stdout, "missing-device reason:\n" + r.stdout)

r = run(["sh", SCRIPT, "--bogus"])
c.eq(r.returncode, 2, "unknown argument: status")
c.done()
