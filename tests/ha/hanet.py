# SPDX-License-Identifier: MIT
"""Network namespaces for the HA tests: a switch namespace holding a bridge,
and one namespace per node joined to it by a veth pair (ha0 inside the
node). Everything lives in namespaces named after this process, so tests
can run side by side and cleanup is deleting the namespaces, which also
happens when a test fails (context manager + atexit)."""
import atexit
import os
import select
import signal
import subprocess
import time

VIP = "192.0.2.100"


def sh(*args, check=True):
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and r.returncode:
        raise RuntimeError("%s: %s" % (" ".join(args), r.stderr.strip()))
    return r


def kill_group(p):
    """SIGKILL p and, when it leads one, its process group."""
    try:
        if os.getpgid(p.pid) == p.pid:
            os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if p.poll() is None:
        p.kill()
    p.wait()


class Net:
    def __init__(self, tag):
        self.pfx = "ha%s%d" % (tag, os.getpid() % 100000)
        self.sw = self.pfx + "sw"
        self.nodes = {}
        self.procs = []
        self.made_sw = False
        atexit.register(self.close)

    def __enter__(self):
        sh("ip", "netns", "add", self.sw)
        self.made_sw = True
        sh("ip", "-n", self.sw, "link", "add", "br0", "type", "bridge")
        sh("ip", "-n", self.sw, "link", "set", "br0", "up")
        return self

    def __exit__(self, *exc):
        self.close()

    def node(self, name, addr):
        ns = self.pfx + name
        sh("ip", "netns", "add", ns)
        self.nodes[name] = ns
        port = "p" + name
        sh("ip", "-n", self.sw, "link", "add", port, "type", "veth", "peer", "name", "ha0",
           "netns", ns)
        sh("ip", "-n", self.sw, "link", "set", port, "master", "br0", "up")
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        # link-local addresses usable at once (no DAD wait) for VRRP over IPv6
        sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.ha0.accept_dad=0")
        sh("ip", "-n", ns, "addr", "add", addr + "/24", "dev", "ha0")
        sh("ip", "-n", ns, "link", "set", "ha0", "up")
        return ns

    def cut(self, name, up):
        sh("ip", "-n", self.sw, "link", "set", "p" + name, "up" if up else "down")

    def start(self, name, argv, log):
        out = open(log, "w")
        # its own process group: keepalived forks, and a kill must reach all
        p = subprocess.Popen(["ip", "netns", "exec", self.nodes[name]] + argv,
                             stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(p)
        return p

    def has_vip(self, name, vip=VIP, family="-4"):
        r = sh("ip", "-n", self.nodes[name], family, "addr", "show", "dev", "ha0")
        return (" %s/" % vip) in r.stdout

    def wait_vip(self, name, present=True, timeout=10.0, vip=VIP, family="-4"):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.has_vip(name, vip, family) == present:
                return True
            time.sleep(0.01)
        return False

    def monitor(self, name):
        """An 'ip monitor address' in the node, started before an event, so
        the moment the VIP appears is read from a pipe, not polled."""
        p = subprocess.Popen(["ip", "-n", self.nodes[name], "monitor", "address"],
                             stdout=subprocess.PIPE, text=True, bufsize=1)
        self.procs.append(p)
        time.sleep(0.05)
        return p

    @staticmethod
    def wait_line(mon, needle, timeout=10.0):
        """Monotonic time of the first monitor line containing needle, or None."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            r, _, _ = select.select([mon.stdout], [], [], max(0.0, end - time.monotonic()))
            if not r:
                break
            line = mon.stdout.readline()
            if not line:
                break
            if needle in line and not line.startswith("Deleted"):
                return time.monotonic()
        return None

    def close(self):
        for p in self.procs:
            kill_group(p)
        self.procs = []
        for ns in list(self.nodes.values()) + ([self.sw] if self.made_sw else []):
            sh("ip", "netns", "del", ns, check=False)
        self.nodes = {}
        self.made_sw = False
