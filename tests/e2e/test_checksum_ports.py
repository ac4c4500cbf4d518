#!/usr/bin/env python3
"""dpdk.interfaces.*.checksum-checks per port: usage:
test_checksum_ports.py IDSD OUT_DIR

Two live net_pcap ports (runmode workers, one worker each) read the same
capture: UDP datagrams with a bad checksum and with a good one. The port
with checksum-checks: yes sees the bad checksum (udpv4-csum:invalid), the
one with checksum-checks: no treats every checksum as valid, as Suricata's
per-interface setting; -k all on the command line wins over both."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from e2e_check import check
from pcapgen import udp_frame, write_pcap

RULES = """\
alert udp any any -> any 9999 (msg:"udp csum bad"; udpv4-csum:invalid; sid:1;)
alert udp any any -> any 9999 (msg:"udp csum ok"; udpv4-csum:valid; sid:2;)
"""


def run(idsd, out, pcap, extra=()):
    os.makedirs(out)
    cfg = os.path.join(out, "idsd.yaml")
    with open(cfg, "w") as f:
        f.write(f"""%YAML 1.1
---
dpdk:
  eal-params: {{ no-huge: true, no-pci: true, file-prefix: idscsum{os.getpid()},
                vdev: ["net_pcap0,rx_pcap={pcap}", "net_pcap1,rx_pcap={pcap}"] }}
  interfaces:
    - interface: net_pcap0
      threads: 1
      checksum-checks: yes
    - interface: net_pcap1
      threads: 1
      checksum-checks: no
runmode: workers
outputs:
  - eve-log:
      filename: eve.json
      types: [alert]
""")
    rules = os.path.join(out, "r.rules")
    with open(rules, "w") as f:
        f.write(RULES)
    p = subprocess.Popen([idsd, "-c", cfg, "-S", rules, "-l", out] + list(extra),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    eve = os.path.join(out, "eve.json")
    for _ in range(100):            # until both ports' alerts are in, 10 s at most
        time.sleep(0.1)
        if p.poll() is not None:
            break
        if os.path.exists(eve) and sum(1 for _ in open(eve)) >= 4:
            break
    time.sleep(0.5)
    alive = p.poll() is None
    if alive:
        p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    check(alive and p.returncode == 0, f"idsd runs on two live ports: rc {p.returncode} "
          f"{err[-600:]}")
    with open(eve) as f:
        recs = [json.loads(x) for x in f if x.strip()]
    got = {}
    for r in recs:
        if r.get("event_type") == "alert":
            got.setdefault(r["in_iface"], set()).add((r["alert"]["signature_id"], r["src_port"]))
    return got


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    a, b = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    pcap = os.path.join(out, "csum.pcap")
    write_pcap(pcap, [udp_frame(a, b, 1111, 9999, b"bad", bad_csum=True),
                      udp_frame(a, b, 2222, 9999, b"good")])
    got = run(idsd, os.path.join(out, "ports"), pcap)
    check(got.get("net_pcap0") == {(1, 1111), (2, 2222)},
          f"checksum-checks: yes: the bad checksum is invalid, the good valid: {got}")
    check(got.get("net_pcap1") == {(2, 1111), (2, 2222)},
          f"checksum-checks: no: every checksum counts as valid: {got}")
    got = run(idsd, os.path.join(out, "forced"), pcap, ["-k", "all"])
    check(got.get("net_pcap0") == got.get("net_pcap1") == {(1, 1111), (2, 2222)},
          f"-k all wins over the ports' settings: {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
