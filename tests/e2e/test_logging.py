#!/usr/bin/env python3
"""The process log (`logging:` as Suricata 7's) and the end-of-run summary
across a reload, through the real idsd, on a capture written here (rule 1
matches 5 datagrams, rule 2 two).

usage: test_logging.py IDSD OUT_DIR SCENARIO
  file      file outputs (relative and absolute filename, level, JSON lines)
            beside the console, whose lines keep their wording;
  syslog    the syslog output to a unix datagram socket made here (facility,
            level, format), not the system's syslog;
  journal   stderr that JOURNAL_STREAM names gets sd-daemon <N> priorities,
            any other stderr none;
  refused   unknown keys and values under logging: are errors with
            file:line:col, and idsd exits 1;
  daemon    -D without a file or syslog output logs (its summary and DPDK's
            messages too) to idsd.log in the log directory, with the config's
            warnings said before the section was read; refused when no
            output can write;
  reload    a live run: the log file moved and SIGHUP reopens it; a reload
            (SIGUSR2) and then the exit summary still counts the alerts of
            the retired rules, by gid:sid:rev.
  reconfig  a live run whose logging section changes: SIGUSR2 applies the
            new one (another file, JSON, its level, the console off) without
            a restart; a section that does not check keeps the running
            outputs, saying why in them; SIGHUP after the file was moved
            writes a new one.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from e2e_check import check  # noqa: E402
import pcapgen  # noqa: E402

IDSD = OUT = None
RULES = ('alert udp any any -> any any (msg:"one"; content:"aaa"; sid:1; rev:2;)\n'
         'alert udp any any -> any any (msg:"two"; content:"bbb"; sid:2;)\n')
BROKEN = 'alert udp any any -> any any (msg:"bad"; content:"x"; nosuchkeyword; sid:9;)\n'


def write(name, text):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def capture():
    a, b = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    frames = [pcapgen.udp_frame(a, b, 1000 + i, 53, b"xaaax") for i in range(5)]
    frames += [pcapgen.udp_frame(a, b, 2000 + i, 53, b"xbbbx") for i in range(2)]
    path = os.path.join(OUT, "log.pcap")
    pcapgen.write_pcap(path, frames)
    return path


def run(conf, rules=RULES, extra=(), env=None, stderr=subprocess.PIPE):
    cfg = write("idsd.yaml", conf)
    rf = write("log.rules", rules)
    logdir = os.path.join(OUT, "logs")
    return subprocess.run([IDSD, "-c", cfg, "-r", capture(), "-S", rf, "-l", logdir, *extra],
                          stdout=subprocess.PIPE, stderr=stderr, text=True, timeout=120,
                          env=env), logdir


def lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def test_file():
    absolute = os.path.join(OUT, "abs.json.log")
    # two file outputs are refused; the absolute path and JSON in a second run
    p, logdir = run("logging:\n  default-log-level: info\n  outputs:\n"
                    "    - console:\n        enabled: yes\n        level: notice\n"
                    "    - file:\n        enabled: yes\n        level: warning\n"
                    "        filename: proc.log\n",
                    rules=RULES + BROKEN)
    check(p.returncode == 0, f"idsd runs with a logging section: {p.returncode} {p.stderr[-400:]}")
    check("rules: 2 loaded, 1 failed" in p.stderr and
          re.search(r"^\S*log\.rules:3: .*nosuchkeyword", p.stderr, re.M),
          f"the console keeps its lines as they were: {p.stderr[-400:]}")
    check("info: " not in p.stderr, "the console's own level (notice) holds info back")
    got = lines(os.path.join(logdir, "proc.log"))
    stamp = r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] "
    check(any(re.match(stamp + r"error: \S*log\.rules:3: .*nosuchkeyword", ln) for ln in got),
          f"the failed rule in the file, timestamped, as an error: {got}")
    check(not any("loaded" in ln for ln in got),
          f"level warning: the notice 'rules: ... loaded' is not in the file: {got}")

    p, logdir = run("logging:\n  default-log-level: info\n  outputs:\n"
                    "    - file:\n        enabled: yes\n        type: json\n"
                    f"        filename: {absolute}\n")
    check(p.returncode == 0, f"absolute JSON file: rc {p.returncode} {p.stderr[-300:]}")
    check("rules: 2 loaded" not in p.stderr,
          "with an outputs list and no console in it, the console says nothing")
    docs = [json.loads(ln) for ln in lines(absolute)]
    check(docs and all(d["event_type"] == "engine" and "timestamp" in d and
                       d["log_level"] in ("Error", "Warning", "Notice", "Info")
                       for d in docs), f"one JSON object per line, as Suricata's: {docs[:2]}")
    msgs = [d["engine"]["message"] for d in docs]
    check("rules: 2 loaded, 0 failed" in msgs and
          any(d["log_level"] == "Notice" and d["engine"]["module"] == "rules" for d in docs),
          f"the rule report at notice from 'rules': {msgs}")
    check(not os.path.exists(os.path.join(logdir, "idsd.log")),
          "an absolute filename is not joined to the log directory")

    # as Suricata: a list that enables nothing leaves the console on
    p, _ = run("logging:\n  outputs:\n    - console: { enabled: no }\n"
               "    - file: { enabled: no }\n")
    check(p.returncode == 0 and "rules: 2 loaded, 0 failed" in p.stderr,
          f"no output enabled: the console, as by default: {p.stderr[-300:]}")

    # console type json: Suricata's engine records on stderr
    p, _ = run("logging:\n  outputs:\n    - console: { enabled: yes, type: json }\n",
               rules=RULES + BROKEN)
    docs = [json.loads(ln) for ln in p.stderr.splitlines() if ln.startswith("{")]
    check(p.returncode == 0 and len(docs) == len(p.stderr.splitlines()) and
          any(d["engine"]["message"] == "rules: 2 loaded, 1 failed" for d in docs) and
          any(d["log_level"] == "Error" and "nosuchkeyword" in d["engine"]["message"]
              for d in docs), f"console type json: one object per line: {p.stderr[-400:]}")


def test_syslog():
    path = os.path.join(OUT, "syslog.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(0)
    try:
        p, _ = run("logging:\n  outputs:\n"
                   "    - console: { enabled: yes }\n"
                   "    - syslog:\n        enabled: yes\n        facility: local3\n"
                   "        level: notice\n        format: \"[%p] <%d> %S -- \"\n"
                   f"        filename: {path}\n", rules=RULES + BROKEN)
        got = []
        while True:
            try:
                got.append(s.recv(8192).decode())
            except BlockingIOError:
                break
    finally:
        s.close()
    check(p.returncode == 0, f"idsd with syslog: {p.returncode} {p.stderr[-300:]}")
    pid = r"idsd\[\d+\]: "
    # local3 (19) * 8 + notice (5) = 157; error (3) = 155
    check(any(re.match(r"^<157>\w{3} [ \d]\d \d\d:\d\d:\d\d " + pid +
                       r"\[\d+\] <notice> rules -- rules: 2 loaded, 1 failed$", g) for g in got),
          f"the report as a syslog datagram, priority local3.notice, the format: {got}")
    check(any(g.startswith("<155>") and "nosuchkeyword" in g for g in got),
          f"the failed rule at local3.err: {got}")
    check(not any(re.match(r"<1[56][0-9]>", g) and "<info>" in g for g in got),
          "level notice: no info datagram")
    check("rules: 2 loaded, 1 failed" in p.stderr, "the console writes as well")


def test_journal():
    errf = os.path.join(OUT, "stderr.txt")
    with open(errf, "w", encoding="utf-8") as f:
        st = os.fstat(f.fileno())
        env = dict(os.environ, JOURNAL_STREAM=f"{st.st_dev}:{st.st_ino}")
        p, _ = run("", rules=RULES + BROKEN, env=env, stderr=f)
    out = lines(errf)
    check(p.returncode == 0, f"idsd under a journal stream: {p.returncode}")
    check("<5>rules: 2 loaded, 1 failed" in out, f"notice is <5>: {out[-6:]}")
    check(any(re.match(r"^<3>\S*log\.rules:3: ", ln) for ln in out), f"errors are <3>: {out}")
    p, _ = run("", env=dict(os.environ, JOURNAL_STREAM="1:1"))
    check("\nrules: 2 loaded, 0 failed" in "\n" + p.stderr,
          f"stderr not the journal's: no prefix: {p.stderr[-300:]}")


def test_refused():
    cases = [
        ("logging:\n  default-log-level: loud\n", r"idsd\.yaml:2:\d+: .*'loud'"),
        ("logging:\n  outputs:\n    - file:\n        enabled: yes\n        bogus: 1\n",
         r"idsd\.yaml:5:\d+: .*bogus"),
        ("logging:\n  outputs:\n    - journal:\n        enabled: yes\n",
         r"idsd\.yaml:3:\d+: .*journal"),
        ("logging:\n  outputs:\n    - console:\n        enabled: yes\n        type: xml\n",
         r"idsd\.yaml:5:\d+: .*'regular' or 'json', got 'xml'"),
        ("logging:\n  default-log-format: \"%q %M\"\n", r"idsd\.yaml:2:\d+: .*'%q'"),
        ("logging:\n  outputs:\n    - syslog:\n        enabled: yes\n        facility: local9\n",
         r"idsd\.yaml:5:\d+: .*'local9'"),
        ("logging:\n  outputs:\n    - syslog:\n        enabled: yes\n"
         "        filename: rel.sock\n", r"idsd\.yaml:5:\d+: .*absolute"),
        ("logging:\n  outputs:\n    - file: { enabled: yes }\n    - file: { enabled: no }\n",
         r"idsd\.yaml:4:\d+: .*'file' given twice"),
        ("logging:\n  default-output-filter: \"(\"\n", r"idsd\.yaml:2:\d+: .*regular expression"),
    ]
    for conf, want in cases:
        p, _ = run(conf)
        check(p.returncode == 1 and re.search(want, p.stderr),
              f"refused with file:line ({want}): rc {p.returncode} {p.stderr[-300:]}")
    # as Suricata: an output that cannot open is said, the run goes on
    p, _ = run("logging:\n  outputs:\n    - console: { enabled: yes }\n"
               "    - syslog:\n        enabled: yes\n"
               f"        filename: {OUT}/nobody-listens.sock\n"
               "    - file: { enabled: yes, filename: no/such/dir/x.log }\n")
    check(p.returncode == 0 and re.search(r"error: logging: \S+/no/such/dir/x\.log: cannot "
                                          r"open: .*; syslog: cannot connect to \S+nobody",
                                          p.stderr),
          f"outputs that cannot open are reported, the run goes on: {p.stderr[-300:]}")


def test_daemon():
    pidfile = os.path.join(OUT, "idsd.pid")
    p, _ = run("logging:\n  outputs:\n"
               "    - file: { enabled: yes, filename: /nonexistent-dir/x.log }\n",
               extra=("-D", "--pidfile", pidfile))
    check(p.returncode == 1 and "-D: neither the file nor the syslog output can write" in
          p.stderr, f"-D with no log that can write: refused: {p.returncode} {p.stderr[-300:]}")
    # a key warned about while the config is read, before the outputs are known
    p, logdir = run("detect:\n  profile: medium\n",
                    extra=("-D", "--pidfile", pidfile, "--", "--log-level=lib.eal:info"))
    check(re.search(r"idsd\.yaml:2:\d+: key 'detect\.profile': warning: accepted, has no "
                    r"effect", p.stderr),
          f"the config's warning on the terminal -D was started from: {p.stderr[-300:]}")
    check(p.returncode == 0, f"-D: the parent exits 0: {p.returncode} {p.stderr[-300:]}")
    log = os.path.join(logdir, "idsd.log")
    for _ in range(600):
        if os.path.exists(log) and not os.path.exists(pidfile) and \
                any("processed:" in ln for ln in lines(log)):
            break
        time.sleep(0.1)
    got = lines(log) if os.path.exists(log) else []
    check(any(re.search(r"notice: rules: 2 loaded, 0 failed$", ln) for ln in got),
          f"-D without file or syslog: idsd.log in the log directory: {got[:5]}")
    check(any(re.search(r"notice: \s+5\s+1:1:2\s+one$", ln) for ln in got) and
          any(re.search(r"notice: processed: 7 packets", ln) for ln in got),
          f"the daemon's summary goes to the log, not to /dev/null: {got[-12:]}")
    check(any(re.search(r"\] notice: EAL: Detected CPU lcores: \d+$", ln) for ln in got),
          f"DPDK's own messages go to the log as well: {got[:8]}")
    check(any(re.search(r"^\[[-\d :]+\] warning: \S*idsd\.yaml:2:\d+: key 'detect\.profile': "
                        r"warning: accepted, has no effect$", ln) for ln in got),
          f"what was said before the logging section was read is in idsd.log too: {got[:4]}")


def wait_for(path, pattern, seconds=60):
    for _ in range(seconds * 10):
        if os.path.exists(path) and any(re.search(pattern, ln) for ln in lines(path)):
            return True
        time.sleep(0.1)
    return False


def running(p, eve):
    """True once the live idsd p wrote the capture's 7 alerts to eve: its
    signals are handled from then on."""
    for _ in range(600):
        if p.poll() is not None:
            return False
        if os.path.exists(eve):
            with open(eve, encoding="utf-8") as f:
                if sum('"event_type":"alert"' in ln for ln in f) == 7:
                    return True
        time.sleep(0.1)
    return False


def test_reload():
    prefix = f"idslog{os.getpid()}"
    logdir = os.path.join(OUT, "live")
    os.makedirs(logdir)
    pcap = capture()
    rf = write("live.rules", RULES)
    cfg = write("live.yaml",
                "dpdk:\n  eal-params: { no-huge: true, no-pci: true, "
                f"file-prefix: {prefix}, vdev: [\"net_pcap0,rx_pcap={pcap}\"] }}\n"
                "  interfaces:\n    - interface: net_pcap0\n      threads: 1\n"
                "outputs:\n  - eve-log:\n      enabled: yes\n      types: [alert, stats]\n"
                "logging:\n  default-log-level: notice\n  outputs:\n"
                "    - console: { enabled: yes }\n"
                "    - file: { enabled: yes, filename: live.log }\n")
    log = os.path.join(logdir, "live.log")
    eve = os.path.join(logdir, "eve.json")
    p = subprocess.Popen([IDSD, "-c", cfg, "-S", rf, "-l", logdir],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # every alert of the capture written before the reload
        check(running(p, eve), "the capture's 7 alerts are written by the rules loaded at start")
        os.rename(log, log + ".1")
        p.send_signal(signal.SIGHUP)
        # a new revision of rule 2, rule 1 as it was: the reload swaps them in
        write("live.rules", RULES.replace("sid:2;", "sid:2; rev:7;"))
        for _ in range(50):
            if os.path.exists(log):
                break
            time.sleep(0.1)
        p.send_signal(signal.SIGUSR2)
        check(wait_for(log, r"notice: reload: generation 2: 2 rules loaded, 0 failed"),
              "the reload is logged in the file opened again after SIGHUP")
    finally:
        if p.poll() is None:
            p.terminate()
        out, err = p.communicate(timeout=60)
    check(p.returncode == 0, f"live idsd exits 0: {p.returncode} {err[-300:]}")
    old = lines(log + ".1")
    check(any("rules: 2 loaded, 0 failed" in ln for ln in old) and
          not any("reload" in ln for ln in old),
          f"the moved file holds what came before SIGHUP: {old}")
    check(re.search(r"^\s+5\s+1:1:2\s+one$", out, re.M) and
          re.search(r"^\s+2\s+1:2:0\s+two$", out, re.M),
          f"the summary counts the alerts of the retired rules by gid:sid:rev: {out}")
    check(not re.search(r"1:2:7", out), f"the new revision alerted nothing: {out}")


def live_config(prefix, pcap, logging):
    return write("live.yaml",
                 "dpdk:\n  eal-params: { no-huge: true, no-pci: true, "
                 f"file-prefix: {prefix}, vdev: [\"net_pcap0,rx_pcap={pcap}\"] }}\n"
                 "  interfaces:\n    - interface: net_pcap0\n      threads: 1\n"
                 "outputs:\n  - eve-log:\n      enabled: yes\n      types: [alert]\n"
                 "logging:\n" + logging)


def test_reconfig():
    prefix = f"idsrelog{os.getpid()}"
    logdir = os.path.join(OUT, "live")
    os.makedirs(logdir)
    pcap = capture()
    rf = write("live.rules", RULES)
    first = os.path.join(logdir, "first.log")
    second = os.path.join(logdir, "second.json")
    cfg = live_config(prefix, pcap, "  outputs:\n    - console: { enabled: yes }\n"
                      "    - file: { enabled: yes, filename: first.log }\n")
    p = subprocess.Popen([IDSD, "-c", cfg, "-S", rf, "-l", logdir],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        check(wait_for(first, r"notice: rules: 2 loaded, 0 failed"), "the first file output")
        check(running(p, os.path.join(logdir, "eve.json")), "idsd runs (its alerts written)")
        # another file, JSON lines at warning, the console off; a rule that
        # fails makes the reload say a warning
        live_config(prefix, pcap, "  default-log-level: notice\n  outputs:\n"
                    "    - console: { enabled: no }\n"
                    "    - file: { enabled: yes, filename: second.json, type: json, "
                    "level: warning }\n")
        write("live.rules", RULES + BROKEN)
        p.send_signal(signal.SIGUSR2)
        check(wait_for(second, r'"log_level":"Warning".*nosuchkeyword'),
              "SIGUSR2: the new logging section in force: JSON lines in the new file")
        time.sleep(0.5)
        docs = [json.loads(ln) for ln in lines(second)]
        check(all(d["event_type"] == "engine" and d["log_level"] in ("Error", "Warning")
                  for d in docs) and
              not any("generation 2" in d["engine"]["message"] for d in docs),
              f"its level (warning) holds the notices back: {docs}")
        check(not any("generation 2" in ln or "nosuchkeyword" in ln for ln in lines(first)),
              f"the first file gets nothing more: {lines(first)[-3:]}")
        # a section that does not check: the running outputs stay and say why
        live_config(prefix, pcap, "  default-log-level: loud\n")
        p.send_signal(signal.SIGHUP)
        check(wait_for(second, r"reload failed, the running logging stays"),
              "a logging section that does not check keeps the running outputs")
        msgs = [json.loads(ln)["engine"]["message"] for ln in lines(second)]
        check(any(re.search(r"reload: \S*live\.yaml:\d+:\d+: .*'loud'", m) for m in msgs),
              f"and says why with file:line:col: {msgs[-3:]}")
        # logrotate: the file moved, SIGHUP (the good section again) opens it anew
        live_config(prefix, pcap, "  outputs:\n    - console: { enabled: no }\n"
                    "    - file: { enabled: yes, filename: second.json, type: json, "
                    "level: warning }\n")
        os.rename(second, second + ".1")
        p.send_signal(signal.SIGHUP)
        for _ in range(50):
            if os.path.exists(second):
                break
            time.sleep(0.1)
        p.send_signal(signal.SIGUSR2)
        check(wait_for(second, r'"log_level":"Warning".*nosuchkeyword'),
              "SIGHUP: the moved file is opened anew under its name")
    finally:
        if p.poll() is None:
            p.terminate()
        out, err = p.communicate(timeout=60)
    check(p.returncode == 0, f"live idsd exits 0: {p.returncode} {err[-300:]}")
    check("rules: 2 loaded" in err and "generation 2" not in err and "nosuchkeyword" not in err,
          f"the console wrote until the reload turned it off: {err[-400:]}")


def main():
    global IDSD, OUT
    IDSD, OUT, scenario = sys.argv[1:4]
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    {"file": test_file, "syslog": test_syslog, "journal": test_journal,
     "refused": test_refused, "daemon": test_daemon, "reload": test_reload,
     "reconfig": test_reconfig}[scenario]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
