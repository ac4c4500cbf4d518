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


def alert_sids(eve):
    """The signature ids of the alert records, sorted (repeats kept)."""
    return sorted(e["alert"]["signature_id"] for e in eve if e.get("event_type") == "alert")


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
    cmd = [idsd, "-r", pcap, "-S", rf, "-l", out, *args]
    if conf is not None:
        cf = os.path.join(out, "idsd.yaml")
        with open(cf, "w", encoding="utf-8") as f:
            f.write(conf)
        cmd += ["-c", cf]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, f"idsd rc {p.returncode}: {p.stderr[-500:]}")
    check(f"{len(rules)} loaded, 0 failed" in p.stderr, "every rule loaded")
    with open(os.path.join(out, "eve.json"), encoding="utf-8") as f:
        return [json.loads(ln) for ln in f]


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
