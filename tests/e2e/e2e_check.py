"""The end-to-end tests' assertion (prints what held, or what failed and
stops the test with exit status 1) and the steps many of them share."""
import json
import os
import subprocess
import sys


def check(cond, what):
    if not cond:
        print(f"FAIL: {what}")
        sys.exit(1)
    print(f"ok: {what}")


def last_stats(path):
    """The counters of the last stats record of the eve.json at path ({}
    when it has none)."""
    stats = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if e.get("event_type") == "stats":
                stats = e["stats"]
    return stats


def alert_sids(eve):
    """The signature ids of the alert records, sorted (repeats kept)."""
    return sorted(e["alert"]["signature_id"] for e in eve if e.get("event_type") == "alert")


class Checks:
    """The assertion of tests that report every difference before they
    fail: check(cond, what) prints a failure, keeps it and goes on (it
    returns cond); done(name) prints how many failed and gives the exit
    status."""

    def __init__(self):
        self.fails = []

    def __call__(self, cond, what):
        if not cond:
            self.fails.append(what)
            print(f"FAIL: {what}")
        return cond

    def done(self, name):
        print(f"{name}: {len(self.fails)} failed")
        return 1 if self.fails else 0


def eve_conf(types, extra=""):
    """An idsd config (YAML text): one eve-log output, eve.json in the log
    directory, writing the types listed in TYPES (YAML list items written
    from column 0, as they stand under "types:"), then the top-level YAML
    of EXTRA."""
    items = "".join(" " * 8 + ln + "\n" for ln in types.strip("\n").splitlines())
    return ("%YAML 1.1\n---\noutputs:\n  - eve-log:\n      enabled: yes\n"
            "      filename: eve.json\n      types:\n" + items + extra)


def run_idsd(idsd, out, pcap, rule_files, conf=None, args=(), loaded=None, packets=None,
             timeout=120):
    """Runs idsd -r PCAP with each of the rule files (-S), logs in OUT, the
    config text conf written as OUT/idsd.yaml and the extra args; checks
    that it exits 0 (given loaded, that it says "LOADED loaded, 0 failed";
    given packets, that it read that many) and returns its EVE records
    (OUT/eve.json, which idsd appends to: a fresh OUT gives this run's
    alone)."""
    cmd = [idsd, "-r", pcap, *[a for r in rule_files for a in ("-S", r)], "-l", out, *args]
    if conf is not None:
        cf = os.path.join(out, "idsd.yaml")
        with open(cf, "w", encoding="utf-8") as f:
            f.write(conf)
        cmd += ["-c", cf]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    check(p.returncode == 0, f"idsd on {pcap} {list(args)} exits 0: rc {p.returncode}"
          + (f": {p.stderr[-800:]}" if p.returncode else ""))
    if loaded is not None:
        check(f"{loaded} loaded, 0 failed" in p.stderr, "every rule loaded")
    if packets is not None:
        check(f"processed: {packets} packets" in p.stdout, f"every frame read ({packets})")
    with open(os.path.join(out, "eve.json"), encoding="utf-8") as f:
        return [json.loads(ln) for ln in f]


def run_capture(idsd, out, name, frames, rules, conf=None, args=(), secs=None):
    """Writes frames as OUT/NAME.pcap (frame i at secs[i] s if given), the
    rule lines as OUT/NAME.rules (and conf as OUT/idsd.yaml), runs idsd -r
    on them (with the extra args), checks that it exits 0 with every rule
    loaded, and returns its EVE records."""
    from pcapgen import write_pcap
    pcap, rf = (os.path.join(out, name + ext) for ext in (".pcap", ".rules"))
    write_pcap(pcap, frames, secs)
    with open(rf, "w", encoding="utf-8") as f:
        f.write("\n".join(rules) + "\n")
    return run_idsd(idsd, out, pcap, [rf], conf, args, loaded=len(rules))


def check_rule_errors(idsd, out, rules, want, check=check):
    """Writes the rule lines as OUT/bad.rules, runs idsd -T on them and
    checks that its output holds each of the want messages (in which
    "BAD" stands for that file's path)."""
    bad = os.path.join(out, "bad.rules")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("\n".join(rules) + "\n")
    p = subprocess.run([idsd, "-T", "-S", bad], capture_output=True, text=True, timeout=120)
    msgs = p.stdout + p.stderr
    for w in want:
        w = w.replace("BAD", bad)
        check(w in msgs, f"-T output holds {w!r}: {msgs[-600:]}")


def certtool_cert(out, template):
    """A self-signed certificate (DER) by certtool, from these template
    lines (certtool's template keys: cn, serial, dns_name, ip_address,
    activation_date...), on a new ECDSA key; files in OUT."""
    tmpl, key, der = (os.path.join(out, n) for n in ("cert.tmpl", "key.pem", "cert.der"))
    with open(tmpl, "w", encoding="utf-8") as f:
        f.write(template)
    for cmd in (["certtool", "--generate-privkey", "--key-type", "ecdsa", "--outfile", key],
                ["certtool", "--generate-self-signed", "--load-privkey", key,
                 "--template", tmpl, "--outder", "--outfile", der]):
        subprocess.run(cmd, capture_output=True, check=True)
    with open(der, "rb") as f:
        return f.read()
