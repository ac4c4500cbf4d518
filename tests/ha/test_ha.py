#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""HA end-to-end: two ids-control in two namespaces on a bridge (and
keepalived as an independent VRRPv3 peer). Usage:
    test_ha.py IDS_CONTROL SCENARIO [ADVERT_INT]
Prints the failover times it measures; asserts only states and a generous
sanity bound on time."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hanet import Net, VIP, kill_group  # noqa: E402

SANITY_S = 5.0      # failover slower than this is a bug, not a slow machine


def conf(path, prio, adv, extra="", telemetry="none", inst_extra=""):
    with open(path, "w") as f:
        f.write("""vrrp:
%s  instances:
    - name: VI_1
      interface: ha0
      virtual_router_id: 51
      priority: %d
      advert_int: %s
      virtual_ipaddress: [%s/24]
      garp_master_repeat: 2
%s
dataplane:
  telemetry: %s
  interval: 0.005
""" % (extra, prio, adv, VIP, inst_extra, telemetry))
    return path


class Case:
    def __init__(self, exe, tag, adv):
        self.exe = exe
        self.adv = adv
        self.tmp = tempfile.mkdtemp(prefix="ha-")
        self.net = Net(tag).__enter__()
        self.p = {}

    def start(self, name, prio, inst_extra="", extra="", telemetry="none"):
        c = conf(os.path.join(self.tmp, name + ".yaml"), prio, self.adv, extra, telemetry,
                 inst_extra)
        self.p[name] = self.net.start(name, [self.exe, "-f", "-c", c],
                                      os.path.join(self.tmp, name + ".log"))
        return self.p[name]

    def log(self, name):
        with open(os.path.join(self.tmp, name + ".log")) as f:
            return f.read()

    def fail(self, msg):
        for n in self.p:
            sys.stderr.write("---- %s log ----\n%s\n" % (n, self.log(n)[-3000:]))
        raise SystemExit("FAIL: " + msg)

    def expect(self, cond, msg):
        if not cond:
            self.fail(msg)


def pair(c):
    c.net.node("a", "10.99.0.1")
    c.net.node("b", "10.99.0.2")


def measure(c, mon, t0, what):
    t = Net.wait_line(mon, VIP, SANITY_S)
    c.expect(t is not None, "%s: VIP never appeared on the backup" % what)
    ms = (t - t0) * 1000.0
    print("%s failover (advert_int %s s): VIP on backup after %.1f ms" % (what, c.adv, ms))
    return ms


def scen_crash(c):
    pair(c)
    c.start("a", 150)
    c.start("b", 100)
    c.expect(c.net.wait_vip("a"), "a never became master")
    time.sleep(0.3)
    c.expect(not c.net.has_vip("b"), "b holds the VIP while a is master")
    mon = c.net.monitor("b")
    t0 = time.monotonic()
    c.p["a"].send_signal(signal.SIGKILL)
    measure(c, mon, t0, "crash (kill -9)")
    # a kill -9 leaves the dead master's VIP behind: restart cleans it up,
    # and with preempt the higher priority takes the VIP back
    c.p["a"].wait()
    c.start("a", 150)
    c.expect(c.net.wait_vip("b", present=False), "b kept the VIP after a came back")
    c.expect(c.net.wait_vip("a"), "a did not preempt back")


def scen_graceful(c):
    pair(c)
    c.start("a", 150)
    c.start("b", 100)
    c.expect(c.net.wait_vip("a"), "a never became master")
    time.sleep(0.3)
    mon = c.net.monitor("b")
    t0 = time.monotonic()
    c.p["a"].send_signal(signal.SIGTERM)
    measure(c, mon, t0, "graceful (SIGTERM, priority 0)")
    c.expect(c.p["a"].wait(timeout=5) == 0, "a did not exit cleanly")
    c.expect(not c.net.has_vip("a"), "a left its VIP behind on a graceful stop")
    c.expect("prio0_tx 1" in c.log("a"), "a did not count its priority-0 advert")


def scen_nopreempt(c):
    pair(c)
    c.start("b", 100)
    c.expect(c.net.wait_vip("b"), "b alone never became master")
    c.start("a", 150, inst_extra="      nopreempt: true")
    time.sleep(1.0)
    c.expect(c.net.has_vip("b") and not c.net.has_vip("a"),
             "nopreempt: a took over from a live lower-priority master")


def scen_preempt_delay(c):
    pair(c)
    c.start("b", 100)
    c.expect(c.net.wait_vip("b"), "b alone never became master")
    t0 = time.monotonic()
    c.start("a", 150, inst_extra="      preempt_delay: 0.5")
    c.expect(c.net.wait_vip("a", timeout=SANITY_S), "a never preempted after its delay")
    took = time.monotonic() - t0
    print("preempt_delay 0.5 s: a took over after %.0f ms" % (took * 1000))
    c.expect(took >= 0.5, "a preempted before preempt_delay elapsed (%.3f s)" % took)
    c.expect(c.net.wait_vip("b", present=False), "b kept the VIP after a preempted")


def scen_dataplane(c):
    """Only the master's dataplane dies: track_dataplane with weight 0 puts
    the instance in FAULT, which steps down with priority 0."""
    pair(c)
    sock = os.path.join(c.tmp, "dpdk_telemetry.v2")
    here = os.path.dirname(os.path.abspath(__file__))
    dp = subprocess.Popen([sys.executable, os.path.join(here, "fake_telemetry.py"), sock],
                          stdout=open(os.path.join(c.tmp, "dp.log"), "w"))
    c.net.procs.append(dp)
    for _ in range(200):
        if os.path.exists(sock):
            break
        time.sleep(0.01)
    c.start("a", 150, telemetry=sock, inst_extra="      track_dataplane: { weight: 0 }")
    c.start("b", 100)
    c.expect(c.net.wait_vip("a"), "a never became master")
    time.sleep(0.3)
    with open(os.path.join(c.tmp, "dp.log")) as f:
        c.expect("role active" in f.read(), "the dataplane was not told it is active")
    mon = c.net.monitor("b")
    t0 = time.monotonic()
    kill_group(dp)
    measure(c, mon, t0, "dataplane death (fault, priority 0)")
    c.expect(c.net.wait_vip("a", present=False), "a kept the VIP with its dataplane dead")
    c.expect("FAULT (fault)" in c.log("a"), "a did not log its FAULT with the reason")


def scen_ipv6(c):
    """VRRPv3 for IPv6: ff02::12 from link-local sources, hop limit 255,
    unsolicited NA on takeover."""
    pair(c)
    vip6 = "2001:db8::100"
    for n in ("a", "b"):
        path = os.path.join(c.tmp, n + "6.yaml")
        with open(path, "w") as f:
            f.write("""vrrp:
  instances:
    - name: VI_6
      interface: ha0
      virtual_router_id: 52
      priority: %d
      advert_int: %s
      virtual_ipaddress: [%s/64]
dataplane: { telemetry: none }
""" % (150 if n == "a" else 100, c.adv, vip6))
        c.p[n] = c.net.start(n, [c.exe, "-f", "-c", path], os.path.join(c.tmp, n + ".log"))
    c.expect(c.net.wait_vip("a", vip=vip6, family="-6"), "a never became IPv6 master")
    time.sleep(0.3)
    c.expect(not c.net.has_vip("b", vip=vip6, family="-6"), "b holds the IPv6 VIP too")
    mon = c.net.monitor("b")
    t0 = time.monotonic()
    stop(c, "a")
    t = Net.wait_line(mon, vip6, SANITY_S)
    c.expect(t is not None, "IPv6 VIP never moved to b")
    print("IPv6 crash failover (advert_int %s s): VIP on backup after %.1f ms"
          % (c.adv, (t - t0) * 1000))


def masters(c):
    return [n for n in ("a", "b") if c.net.has_vip(n)]


def scen_split(c):
    pair(c)
    c.start("a", 150)
    c.start("b", 100)
    c.expect(c.net.wait_vip("a"), "a never became master")
    c.net.cut("b", False)
    c.expect(c.net.wait_vip("b"), "cut off, b did not become master")
    c.expect(masters(c) == ["a", "b"], "split brain expected while cut: %s" % masters(c))
    c.net.cut("b", True)
    c.expect(c.net.wait_vip("b", present=False), "after healing b stayed master")
    time.sleep(0.5)
    c.expect(masters(c) == ["a"], "after healing: masters %s, expected [a]" % masters(c))


KEEPALIVED = """global_defs {
    router_id K
    vrrp_version 3
    script_user root
    enable_script_security
}
vrrp_instance VI_1 {
    interface ha0
    virtual_router_id 51
    priority %d
    advert_int %s
    virtual_ipaddress {
        %s/24
    }
}
"""


def start_keepalived(c, prio):
    path = os.path.join(c.tmp, "keepalived-%d.conf" % prio)
    with open(path, "w") as f:
        f.write(KEEPALIVED % (prio, c.adv, VIP))
    c.p["k"] = c.net.start("b", ["keepalived", "-n", "-l", "-D", "-f", path,
                                 "-p", os.path.join(c.tmp, "k%d.pid" % prio),
                                 "-r", os.path.join(c.tmp, "k%d.vrrp.pid" % prio),
                                 "-c", os.path.join(c.tmp, "k%d.chk.pid" % prio)],
                           os.path.join(c.tmp, "k.log"))


def stop(c, name):
    kill_group(c.p[name])


def scen_keepalived(c):
    if subprocess.run(["sh", "-c", "command -v keepalived"], stdout=subprocess.DEVNULL).returncode:
        c.fail("keepalived is not installed (tools/setup-deps.sh installs it)")
    pair(c)
    # ours higher: ours master, keepalived backup; then kill ours
    c.start("a", 150)
    start_keepalived(c, 100)
    c.expect(c.net.wait_vip("a"), "ours (150) never became master against keepalived")
    time.sleep(1.0)
    c.expect(not c.net.has_vip("b"), "keepalived (100) took the VIP from ours (150)")
    mon = c.net.monitor("b")
    t0 = time.monotonic()
    stop(c, "a")
    measure(c, mon, t0, "keepalived replacing a crashed ids-control")
    stop(c, "k")
    sh_del = ["ip", "-n", c.net.nodes["b"], "addr", "flush", "dev", "ha0", "to", VIP + "/32"]
    subprocess.run(sh_del)
    subprocess.run(["ip", "-n", c.net.nodes["a"], "addr", "del", VIP + "/24", "dev", "ha0"],
                   stderr=subprocess.DEVNULL)
    # keepalived higher: keepalived master, ours backup; then kill keepalived
    start_keepalived(c, 150)
    c.expect(c.net.wait_vip("b"), "keepalived (150) never became master")
    c.start("a", 100)
    time.sleep(1.0)
    c.expect(c.net.has_vip("b") and not c.net.has_vip("a"),
             "ours (100) took the VIP from keepalived (150)")
    mon = c.net.monitor("a")
    t0 = time.monotonic()
    stop(c, "k")
    measure(c, mon, t0, "ids-control replacing a crashed keepalived")


def scen_example(c):
    """deploy/pair/node-a and node-b as shipped (the operator's example),
    with only the paths moved: /etc/ids, /var/log/ids and the telemetry
    socket into the case's folder, a fresh PKI and SASL database there, and
    a fake dataplane per node for track_dataplane."""
    for tool in ("certtool", "saslpasswd2"):
        if shutil.which(tool) is None:
            c.fail("%s is not installed (tools/setup-deps.sh installs it)" % tool)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    pki = os.path.join(c.tmp, "pki")
    for args in (["ca", pki], ["server", pki, "ids", "--ip", VIP]):
        subprocess.run(["sh", os.path.join(root, "tools/pki/ids-pki.sh")] + args, check=True,
                       stdout=subprocess.DEVNULL)
    subprocess.run(["saslpasswd2", "-a", "ids-control", "-p", "-c", "-f",
                    os.path.join(c.tmp, "sasldb2"), "alice"], input=b"secret", check=True)
    pair(c)
    for n in ("a", "b"):
        with open(os.path.join(root, "deploy/pair/node-%s/ids-control.yaml" % n)) as f:
            text = f.read()
        text = text.replace("/etc/ids/", c.tmp + "/").replace("/var/log/ids/", c.tmp + "/")
        sock = os.path.join(c.tmp, "dp-%s.sock" % n)
        text = text.replace("/run/dpdk/rte/dpdk_telemetry.v2", sock)
        dp = subprocess.Popen([sys.executable, os.path.join(root, "tests/ha/fake_telemetry.py"),
                               sock], stdout=open(os.path.join(c.tmp, "dp-%s.log" % n), "w"))
        c.net.procs.append(dp)
        for _ in range(200):
            if os.path.exists(sock):
                break
            time.sleep(0.01)
        path = os.path.join(c.tmp, "example-%s.yaml" % n)
        with open(path, "w") as f:
            f.write(text)
        c.p[n] = c.net.start(n, [c.exe, "-f", "-c", path], os.path.join(c.tmp, n + ".log"))
    c.expect(c.net.wait_vip("a"), "example: node a (150) never became master")
    time.sleep(0.5)
    c.expect(not c.net.has_vip("b"), "example: node b holds the VIP too")
    mon = c.net.monitor("b")
    t0 = time.monotonic()
    c.p["a"].send_signal(signal.SIGTERM)
    measure(c, mon, t0, "example pair, node a stopped")
    c.p["a"].wait(timeout=5)
    c.p["a"] = c.net.start("a", [c.exe, "-f", "-c", os.path.join(c.tmp, "example-a.yaml")],
                           os.path.join(c.tmp, "a.log"))
    c.expect(c.net.wait_vip("a"), "example: node a did not take the VIP back (preempt)")


def mgmt_section(c, listen, ips, role):
    """A CA and a server certificate for ips, alice (password alice-pw) in a
    sasldb with role: the management section of a node listening on listen."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    pki, db = os.path.join(c.tmp, "pki"), os.path.join(c.tmp, "sasldb2")
    server = ["server", pki, "ids-node"]
    for ip in ips:
        server += ["--ip", ip]
    for step in (["ca", pki], server):
        subprocess.run(["sh", os.path.join(root, "tools/pki/ids-pki.sh")] + step, check=True,
                       capture_output=True)
    subprocess.run(["sh", os.path.join(root, "tools/pki/ids-users.sh"), "add", db, "alice", "-"],
                   input="alice-pw", text=True, check=True, capture_output=True,
                   env=dict(os.environ, IDS_SASL_REALM="ids",
                            PATH=os.environ["PATH"] + ":/usr/sbin"))
    c.pki = pki
    return """management:
  listen: { address: %s, port: 7443 }
  tls: { cert: %s/server-cert.pem, key: %s/server-key.pem, ca: %s/ca-cert.pem }
  sasl: { realm: ids, sasldb: %s, mechanisms: [SCRAM-SHA-256] }
  roles: { alice: %s }
""" % (listen, pki, pki, pki, db, role)


def idsctl_in(c, ns, host, *cmd):
    """idsctl as alice from inside the namespace ns."""
    return subprocess.run(["ip", "netns", "exec", ns, os.environ["IDSCTL"], "-c",
                           "ids+tls://alice@%s:7443" % host, "--ca", c.pki + "/ca-cert.pem",
                           "--timeout", "5"] + list(cmd),
                          capture_output=True, text=True, timeout=30,
                          env=dict(os.environ, IDSCTL_PASSWORD="alice-pw"))


def scen_mgmt_vip(c):
    """idsctl through the VIP reaches whichever node is master: each node's
    management listener binds the VIP (IP_FREEBIND) before it holds it."""
    idsctl = os.environ.get("IDSCTL")
    c.expect(idsctl and os.access(idsctl, os.X_OK), "IDSCTL names the idsctl binary")
    mgmt = mgmt_section(c, VIP, [VIP], "viewer")
    pair(c)
    client = c.net.node("c", "10.99.0.3")
    # the VIP's subnet is on the same link (as an operator's would be)
    subprocess.run(["ip", "-n", client, "route", "add", VIP + "/32", "dev", "ha0"], check=True)
    for name, prio in (("a", 150), ("b", 100)):
        path = conf(os.path.join(c.tmp, name + ".yaml"), prio, c.adv)
        with open(path, "a") as f:
            f.write(mgmt)
        c.p[name] = c.net.start(name, [c.exe, "-f", "-c", path],
                                os.path.join(c.tmp, name + ".log"))
    c.expect(c.net.wait_vip("a"), "a never became master")

    def status():
        return idsctl_in(c, client, VIP, "--json", "status")

    def master_prio():
        r = status()
        if r.returncode:
            return None, r.stderr
        inst = json.loads(r.stdout)["instances"][0]
        return (inst["configured_priority"] if inst["state"] == "MASTER" else None), r.stdout

    def until(want):
        t0 = time.monotonic()
        prio, out = master_prio()
        while prio != want and time.monotonic() - t0 < SANITY_S:
            time.sleep(0.05)
            prio, out = master_prio()
        return prio, out, (time.monotonic() - t0) * 1000.0

    # the first try may race the client's ARP entry for the VIP
    prio, out, _ = until(150)
    c.expect(prio == 150, "idsctl through the VIP did not reach master a: %s" % out)
    print("idsctl status through %s: master a (priority 150)" % VIP)
    # a dies as a machine does: the process and its link
    c.p["a"].send_signal(signal.SIGKILL)
    c.p["a"].wait()
    sh_a = ["ip", "-n", c.net.nodes["a"], "link", "set", "ha0", "down"]
    subprocess.run(sh_a, check=True)
    c.expect(c.net.wait_vip("b"), "b never took the VIP")
    prio, out, ms = until(100)
    c.expect(prio == 100, "after failover idsctl through the VIP did not reach b: %s" % out)
    print("idsctl status through %s after failover: master b (priority 100), %.0f ms after "
          "the VIP moved" % (VIP, ms))


def scen_release(c):
    """ha demote / promote and ha release, which undoes either: the
    configured priorities elect again (preempt: the higher one wins)."""
    c.expect(os.access(os.environ.get("IDSCTL", ""), os.X_OK), "IDSCTL names the idsctl binary")
    mgmt = mgmt_section(c, "127.0.0.1", ["127.0.0.1"], "operator")
    pair(c)
    for name, prio in (("a", 150), ("b", 100)):
        path = conf(os.path.join(c.tmp, name + ".yaml"), prio, c.adv)
        with open(path, "a") as f:
            f.write(mgmt)
        c.p[name] = c.net.start(name, [c.exe, "-f", "-c", path],
                                os.path.join(c.tmp, name + ".log"))
    c.expect(c.net.wait_vip("a"), "a never became master")

    def ctl(node, *cmd):
        return idsctl_in(c, c.net.nodes[node], "127.0.0.1", *cmd)

    def inst(node):
        r = ctl(node, "ha", "status", "--json")
        return json.loads(r.stdout)["instances"][0] if r.returncode == 0 else {}

    r = ctl("a", "ha", "demote")
    c.expect(r.returncode == 0, "ha demote on a: %s" % r.stderr)
    c.expect(c.net.wait_vip("b") and c.net.wait_vip("a", present=False),
             "after ha demote on a, b did not take the VIP")
    c.expect(inst("a").get("priority") == 1, "demoted a advertises priority 1: %s" % inst("a"))
    r = ctl("a", "ha", "release")
    c.expect(r.returncode == 0, "ha release on a: %s" % r.stderr)
    c.expect(c.net.wait_vip("a") and c.net.wait_vip("b", present=False),
             "after ha release on a, a (150, preempt) did not take the VIP back")
    i = inst("a")
    c.expect(i.get("priority") == 150 and i.get("state") == "MASTER",
             "released a: configured priority 150, MASTER: %s" % i)
    print("ha release after demote: a master again at priority 150")
    r = ctl("b", "ha", "promote")
    c.expect(r.returncode == 0, "ha promote on b: %s" % r.stderr)
    c.expect(c.net.wait_vip("b") and c.net.wait_vip("a", present=False),
             "after ha promote on b, b did not take the VIP")
    r = ctl("b", "ha", "release")
    c.expect(r.returncode == 0, "ha release on b: %s" % r.stderr)
    c.expect(c.net.wait_vip("a") and c.net.wait_vip("b", present=False),
             "after ha release on b, a (150) did not win the election again")
    i = inst("b")
    c.expect(i.get("priority") == 100 and i.get("state") == "BACKUP",
             "released b: configured priority 100, BACKUP: %s" % i)
    print("ha release after promote: b back to BACKUP at priority 100")
    r = ctl("a", "ha", "release")
    c.expect(r.returncode == 1 and "already released" in r.stderr,
             "ha release with nothing to undo: %s" % r.stderr)


VIP2 = "192.0.2.101"
INST2 = """    - name: VI_2
      interface: ha0
      virtual_router_id: 52
      priority: 150
      advert_int: %s
      virtual_ipaddress: [%s/24]
"""


def scen_reload(c):
    """SIGHUP re-reads the configuration (keepalived's reload): an instance
    added while the unchanged one stays MASTER (its VIP never removed, the
    peer never master), a configuration that does not load keeps the
    running one (file:line logged), an instance removed, one changed."""
    pair(c)
    path_a = os.path.join(c.tmp, "a.yaml")
    # a tracked script, running most of the time: a reload that changes it
    # retires the old one while its check still runs
    c.start("a", 150, inst_extra="      track_script: [chk]",
            extra="  scripts:\n    chk: { script: '/bin/sleep 0.03', interval: 0.04, timeout: 2 }\n")
    c.start("b", 100)
    c.expect(c.net.wait_vip("a"), "a never became master")
    time.sleep(0.3)
    with open(path_a) as f:
        base = f.read()
    # what each node logged before the reloads (both may start as master)
    mark_a, mark_b = len(c.log("a")), len(c.log("b"))
    mon = c.net.monitor("a")

    def write(text):
        with open(path_a + ".new", "w") as f:
            f.write(text)
        os.replace(path_a + ".new", path_a)

    def logged(needle, timeout=5.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if needle in c.log("a"):
                return True
            time.sleep(0.02)
        return False

    two = base.replace("\ndataplane:", "\n" + INST2 % (c.adv, VIP2) + "dataplane:").replace(
        "interval: 0.04", "interval: 0.05")
    write(two)
    c.p["a"].send_signal(signal.SIGHUP)
    c.expect(c.net.wait_vip("a", vip=VIP2), "VI_2 added by SIGHUP never took its VIP")
    c.expect(logged("1 instance(s) kept, 1 started, 0 stopped"), "reload summary not logged")
    time.sleep(3 * float(c.adv) + 0.3)
    mon.terminate()
    events = mon.communicate()[0]
    c.expect(c.net.has_vip("a") and not any(VIP + "/" in l and l.startswith("Deleted")
                                            for l in events.splitlines()),
             "VI_1 lost its VIP across the reload:\n%s" % events)
    c.expect("-> MASTER" not in c.log("b")[mark_b:], "b became master during a's reload")
    c.expect("VI_1:" not in c.log("a")[mark_a:], "VI_1 on a changed state during the reload")
    print("SIGHUP added VI_2; VI_1 stayed MASTER (VIP kept, peer stayed BACKUP)")

    # a configuration that does not load: the running one stays
    broken = two.replace("priority: 150", "priority: 300", 1)
    line = broken.splitlines().index("      priority: 300") + 1
    write(broken)
    c.p["a"].send_signal(signal.SIGHUP)
    c.expect(logged("configuration reload failed, the running configuration stays"),
             "a broken configuration was not reported")
    c.expect("reload: %s:%d" % (path_a, line) in c.log("a"),
             "the broken key not reported as %s:%d" % (path_a, line))
    time.sleep(0.3)
    c.expect(c.p["a"].poll() is None and c.net.has_vip("a") and c.net.has_vip("a", VIP2),
             "after a failed reload a does not run on with both instances")

    # VI_2 removed: its VIP released, VI_1 untouched
    write(base)
    c.p["a"].send_signal(signal.SIGHUP)
    c.expect(c.net.wait_vip("a", present=False, vip=VIP2), "VI_2 removed kept its VIP")
    c.expect(logged("1 instance(s) kept, 0 started, 1 stopped"), "removal not logged")
    c.expect(c.net.has_vip("a") and "-> MASTER" not in c.log("b")[mark_b:] and
             "VI_1:" not in c.log("a")[mark_a:], "removing VI_2 disturbed VI_1")

    # VI_1 changed (priority 150 -> 120): restarted, and still wins over b
    write(base.replace("priority: 150", "priority: 120"))
    c.p["a"].send_signal(signal.SIGHUP)
    c.expect(logged("0 instance(s) kept, 1 started, 1 stopped"), "change not logged")
    c.expect(logged("VI_1: INIT -> BACKUP"), "the changed VI_1 did not start again")
    c.expect(c.net.wait_vip("a"), "the changed VI_1 (120 > 100) did not become master again")
    print("SIGHUP: broken config kept the old, VI_2 removed, VI_1 changed and restarted")


SCENARIOS = {
    "release": scen_release,
    "reload": scen_reload,
    "mgmt_vip": scen_mgmt_vip,
    "example": scen_example,
    "crash": scen_crash,
    "graceful": scen_graceful,
    "nopreempt": scen_nopreempt,
    "preempt_delay": scen_preempt_delay,
    "split": scen_split,
    "dataplane": scen_dataplane,
    "ipv6": scen_ipv6,
    "keepalived": scen_keepalived,
}


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in SCENARIOS:
        sys.exit("usage: test_ha.py IDS_CONTROL {%s} [ADVERT_INT]" % ",".join(SCENARIOS))
    if os.geteuid() != 0:
        print("SKIP: the ha suite needs root (network namespaces)")
        sys.exit(77)
    adv = sys.argv[3] if len(sys.argv) > 3 else "0.01"
    c = Case(sys.argv[1], sys.argv[2][:2], adv)
    try:
        SCENARIOS[sys.argv[2]](c)
    finally:
        c.net.close()
    shutil.rmtree(c.tmp, ignore_errors=True)   # kept when a case fails
    print("PASS: %s" % sys.argv[2])


if __name__ == "__main__":
    main()
