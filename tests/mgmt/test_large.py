#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Answers larger than the output a connection may queue (4 MiB), through the
REAL ids-control and idsd (suite "mgmt"): they are streamed, not refused.

  alerts: 30000 alerts in the backlog (about 7 MiB of EVE lines): "alerts -n
          30000" arrives whole and in order, as EVE lines and as fast.log
          lines, while ids-control's peak RSS (VmHWM, reset before through
          /proc/PID/clear_refs) grows by far less than the answer.
  rules:  idsd with 40000 rules: "rules list" (JSON and text, more than 4 MiB
          each) lists every rule with its file and line, fetched from idsd a
          page at a time as the client takes them, again with VmHWM bounded.
  Both: a client that leaves in the middle of a streamed answer leaves
  ids-control serving (and, in the sanitizer build, leaking nothing).
  --rules DIR (suite extended, ET Open): "rules list" of every rule of a real
          set, each file:line checked against the line its sid is on.

    test_large.py --ids-control BIN --idsctl BIN --idsd BIN [--rules DIR]
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_mgmt import authed_raw, check, failures, frame, read_frame  # noqa: E402
from test_control import Control, idsd_start, idsd_stop, wait_for  # noqa: E402

OLD_LIMIT = 4 << 20
# what ids-control may grow by while it streams an answer of any size: the
# output queue stays under MGMT_STREAM_LOW plus a piece or two
GROWTH_MAX = 2 << 20
# the sanitizer's allocator keeps freed memory in quarantine: with none, a
# freed buffer is reused as with glibc, so RSS measures what is live
ASAN_RSS = {"ASAN_OPTIONS": (os.environ.get("ASAN_OPTIONS", "") +
                             ":quarantine_size_mb=0:thread_local_quarantine_size_kb=0")
            .lstrip(":")}


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def peak_growth(env, run):
    """run() while ids-control's VmHWM counts from its RSS now: the growth, bytes."""
    pid = env.proc.pid
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")            # VmHWM := VmRSS (proc(5))
    base = status_kb(pid, "VmRSS")
    out = run()
    return out, (status_kb(pid, "VmHWM") - base) * 1024


def alert(i):
    return json.dumps({
        "timestamp": "2024-01-01T00:00:00.%06d+0000" % (i % 1000000), "flow_id": 1000 + i,
        "in_iface": "eth0", "event_type": "alert", "src_ip": "10.0.0.1", "src_port": 1024,
        "dest_ip": "10.0.0.2", "dest_port": 80, "proto": "TCP",
        "alert": {"action": "allowed", "gid": 1, "signature_id": 2000000 + i, "rev": 1,
                  "signature": f"ET large answer test alert {i:05d} with a long message "
                               "as Emerging Threats writes them",
                  "category": "Potentially Bad Traffic", "severity": 2}},
        separators=(",", ":"))


def leave_midway(env, request, what):
    """A client that reads a few PART frames of a streamed answer and goes."""
    s = authed_raw(env, "bob")
    s.sendall(frame("Q", request))
    kinds = [read_frame(s)[0] for _ in range(3)]
    s.close()
    check(kinds == ["P", "P", "P"], f"{what}: streamed in PART frames", repr(kinds))
    p = env.idsctl("bob", "whoami", "bob-pw")
    check(p.returncode == 0 and env.proc.poll() is None,
          f"{what}: a client leaving midway leaves ids-control serving", p.stderr)


def group_alerts(env):
    n = 30000
    cfg = env.control_config()
    with open(cfg) as f:
        text = f.read()
    with open(cfg, "w") as f:
        f.write(text.replace("  limits:\n", "  limits:\n    alerts_backlog: 40000\n"))
    env.start(cfg, env=ASAN_RSS)
    lines = [alert(i) for i in range(n)]
    with open(env.eve, "a") as f:
        f.write("\n".join(lines) + "\n")

    def held():
        q = env.idsctl("bob", "--json status", "bob-pw")
        return q.returncode == 0 and json.loads(q.stdout).get("eve", {}).get("alerts") == n

    check(wait_for(held, 60), f"ids-control read the {n} alerts")
    p, grew = peak_growth(env, lambda: env.idsctl("bob", f"alerts -n {n} --json", "bob-pw"))
    got = p.stdout.splitlines()
    check(p.returncode == 0 and len(p.stdout) > OLD_LIMIT and got == lines,
          f"alerts -n {n} --json: {len(p.stdout)} bytes, every EVE line in order",
          f"rc {p.returncode}, {len(got)} lines: {p.stderr}")
    check(grew < GROWTH_MAX, f"alerts -n {n} --json: ids-control's peak RSS grew by "
          f"{grew >> 10} KiB for a {len(p.stdout) >> 10} KiB answer")
    p, grew = peak_growth(env, lambda: env.idsctl("bob", f"alerts -n {n}", "bob-pw"))
    got = p.stdout.splitlines()
    check(p.returncode == 0 and len(got) == n and
          got[0].startswith("01/01/2024-00:00:00.000000  [**] [1:2000000:1] ET large answer "
                            "test alert 00000 ") and
          got[-1].startswith(f"01/01/2024-00:00:00.0{n - 1:05d}  [**] [1:{2000000 + n - 1}:1]")
          and "{TCP} 10.0.0.1:1024 -> 10.0.0.2:80" in got[-1],
          f"alerts -n {n}: every alert as its fast.log line, in order",
          f"rc {p.returncode}, {len(got)} lines: {got[:1]} {got[-1:]} {p.stderr}")
    check(grew < GROWTH_MAX, f"alerts -n {n}: peak RSS grew by {grew >> 10} KiB")
    leave_midway(env, f"\x01alerts\x00-n\x00{n}\x00".encode(), "alerts")
    env.stop()


def list_rules(env, tsock, timeout):
    """ids-control started on idsd's telemetry socket tsock, then the whole
    rule list as JSON: the idsctl result, ids-control's peak growth, the
    reply parsed and its rules."""
    env.start(env.control_config(dataplane=f"telemetry: {tsock}"), env=ASAN_RSS)
    wait_for(lambda: env.idsctl("bob", "rules stats", "bob-pw").returncode == 0, 10)
    p, grew = peak_growth(env, lambda: env.idsctl("bob", "--json rules list", "bob-pw",
                                                  timeout=timeout))
    rl = json.loads(p.stdout) if p.returncode == 0 else {}
    return p, grew, rl, rl.get("rules", [])


def group_rules(env):
    n = 40000
    rules = os.path.join(env.dir, "big.rules")
    pad = "with words enough to make the listing line longer than idsd keeps of it"
    with open(rules, "w") as f:
        for i in range(n):
            f.write(f'alert udp any any -> any 7 (msg:"large listing rule {i:05d} {pad}"; '
                    f'sid:{1000000 + i}; rev:2;)\n')
    idsd, tsock = idsd_start(env, "idsctllarge", rules,
                             "outputs:\n  - eve-log:\n      filename: eve.json\n"
                             "      types: [alert]\n", seconds=60)
    if idsd is None:
        return
    try:
        p, grew, rl, got = list_rules(env, tsock, 300)
        check(len(p.stdout) > OLD_LIMIT and rl.get("loaded") == n and rl.get("listed") == n and
              [(r["sid"], r["line"]) for r in got] == [(1000000 + i, i + 1) for i in range(n)]
              and all(r["file"] == "big.rules" and r["rev"] == 2 for r in got) and
              got[-1]["msg"].startswith(f"large listing rule {n - 1:05d} with words"),
              f"rules list --json: {len(p.stdout)} bytes, all {n} rules with file and line",
              f"rc {p.returncode}, {len(got)} rules: {p.stderr}")
        check(grew < GROWTH_MAX, f"rules list --json: ids-control's peak RSS grew by "
              f"{grew >> 10} KiB for a {len(p.stdout) >> 10} KiB answer")
        p, grew = peak_growth(env, lambda: env.idsctl("bob", "rules list", "bob-pw",
                                                      timeout=300))
        items = [l for l in p.stdout.splitlines() if l.startswith("  - big.rules:")]
        check(p.returncode == 0 and len(p.stdout) > OLD_LIMIT and len(items) == n and
              items[-1].startswith(f"  - big.rules:{n} 1:{1000000 + n - 1}:2 large listing") and
              p.stdout.rstrip().endswith(f"listed: {n}"),
              f"rules list: {len(p.stdout)} bytes, file:line gid:sid:rev msg for all {n}",
              f"rc {p.returncode}, {len(items)} rules: {p.stdout[-200:]} {p.stderr}")
        check(grew < GROWTH_MAX, f"rules list: peak RSS grew by {grew >> 10} KiB")
        leave_midway(env, b"\x00rules\x00list\x00", "rules list")
        p = env.idsctl("bob", "--json rules list --sid 1020000", "bob-pw")
        rl = json.loads(p.stdout) if p.returncode == 0 else {}
        check([(r["file"], r["line"]) for r in rl.get("rules", [])] == [("big.rules", 20001)],
              "and the next request is answered", p.stdout + p.stderr)
        env.stop()
    finally:
        idsd_stop(idsd)


def sid_at(path, line, cache={}):
    """The sid of the rule at line (1-based) of path."""
    if path not in cache:
        with open(path, encoding="utf-8", errors="replace") as f:
            cache[path] = f.read().splitlines()
    m = re.search(r"\bsid\s*:\s*(\d+)", cache[path][line - 1])
    return int(m.group(1)) if m else None


def group_ruleset(env):
    """A real rule set (ET Open): every rule listed, each file:line naming the
    line its sid is on, with bounded memory."""
    src = env.args.rules
    idsd, tsock = idsd_start(env, "idsctlset", src, "", seconds=300)
    if idsd is None:
        return
    try:
        p, grew, rl, got = list_rules(env, tsock, 600)
        bad = [r for r in got
               if sid_at(os.path.join(src, r["file"]), r["line"]) != r["sid"]][:3]
        check(len(got) > 1000 and rl.get("loaded") == len(got) == rl.get("listed") and
              not bad, f"rules list --json over {src}: all {len(got)} rules "
              f"({len(p.stdout) >> 10} KiB), each at the file:line of its sid",
              f"rc {p.returncode} loaded {rl.get('loaded')} listed {rl.get('listed')} "
              f"{bad} {p.stderr}")
        check(grew < GROWTH_MAX, f"peak RSS grew by {grew >> 10} KiB")
        env.stop()
    finally:
        idsd_stop(idsd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ids-control", required=True)
    ap.add_argument("--idsctl", required=True)
    ap.add_argument("--idsd", required=True)
    ap.add_argument("--rules", help="a rule folder (ET Open): list all of it instead")
    args = ap.parse_args()
    os.environ["PATH"] += ":/usr/sbin:/sbin"
    for group in (group_ruleset,) if args.rules else (group_alerts, group_rules):
        env = Control(args)
        try:
            group(env)
        finally:
            env.close()
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
