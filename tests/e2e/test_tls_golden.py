#!/usr/bin/env python3
"""TLS fields unchanged, byte for byte: usage
  test_tls_golden.py check|record IDSD SRC_ROOT SET OUT_DIR

SET names a list of captures, tests/data/tls-golden/SET.list (paths relative
to the checkout, or for "corpus" to ../shared/corpus/pcaps), and its expected
output, tests/data/tls-golden/SET.eve. Each capture goes through idsd with
EVE tls records (extended) and alerts on, and rules of two kinds: one per
TLS keyword that fires whenever its buffer or value is there (both
directions' certificates), and one per value in
tests/data/tls-golden/values.tsv (subject, issuer, serial, fingerprint,
SNI, JA3, JA3S, SAN DNS names and addresses, validity dates) matched whole
(startswith and endswith), so a value that changes loses its alert. Rules
go in four runs, so that no packet reaches the 15 alerts a packet may give.
The tls and alert records, flow_id left out, are written one a line after
the capture's name and compared with SET.eve line for line.

SET.eve and values.tsv were recorded ("record": values.tsv from the values
of both sets' output plus the SAN entries tshark reads from the captures)
with the binary before the certificate fields moved from GnuTLS to
tls_x509.c; see tests/data/tls-golden/README.md. The one intended change
is the DN text, now Suricata 7's (x509-parser's attribute names where
GnuTLS's differed): check applies suricata_dn() to the recorded DNs (in the
records and in the values the rules match) before comparing. Without
../shared the corpus set says so and exits 77."""
import calendar
import json
import re
import os
import subprocess
import sys
import time

from e2e_check import eve_conf, run_idsd

CONF = eve_conf("""
- alert
- tls:
    extended: yes
""")

# Keywords that fire on any value: sticky buffers (with a byte in them),
# and the value keywords with a range that holds every value.
PRESENCE = [
    "tls.sni; bsize:>0;", "tls.cert_subject; bsize:>0;", "tls.cert_issuer; bsize:>0;",
    "tls.cert_serial; bsize:>0;", "tls.cert_fingerprint; bsize:>0;", "tls.certs; bsize:>0;",
    "tls.subjectaltname; bsize:>0;", "ja3.hash; bsize:>0;", "ja3.string; bsize:>0;",
    "ja3s.hash; bsize:>0;", "ja3s.string; bsize:>0;", "tls.alpn; bsize:>0;",
    "tls.random; bsize:>0;", "tls.cert_chain_len:>0;", "tls_cert_expired;", "tls_cert_valid;",
    "tls_cert_notbefore:>1;", "tls_cert_notafter:>1;", "tls.version:1.2;", "tls.version:1.0;",
]


def golden_dir(src):
    return os.path.join(src, "tests", "data", "tls-golden")


def captures(src, which):
    base = os.path.join(src, "..", "shared", "corpus", "pcaps") if which == "corpus" else src
    with open(os.path.join(golden_dir(src), which + ".list")) as f:
        names = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    return base, names


def run_one(idsd, pcap, rules, nrules, out):
    os.makedirs(out, exist_ok=True)
    eve = os.path.join(out, "eve.json")
    if os.path.exists(eve):
        os.unlink(eve)
    lines = []
    for e in run_idsd(idsd, out, pcap, [rules], CONF, loaded=nrules, timeout=300):
        if e.get("event_type") in ("tls", "alert"):
            e.pop("flow_id", None)
            lines.append(json.dumps(e, sort_keys=True, ensure_ascii=False))
    return lines


# GnuTLS's attribute names that x509-parser (Suricata 7) spells otherwise:
# the pkcs9 e-mail's abbreviation, oid-registry's short name of 2.5.4.9,
# and the EV jurisdiction OIDs, not in oid-registry, by number.
DN_RENAMES = {
    "EMAIL": "Email", "street": "streetAddress",
    "jurisdictionOfIncorporationLocalityName": "OID(1.3.6.1.4.1.311.60.2.1.1)",
    "jurisdictionOfIncorporationStateOrProvinceName": "OID(1.3.6.1.4.1.311.60.2.1.2)",
    "jurisdictionOfIncorporationCountryName": "OID(1.3.6.1.4.1.311.60.2.1.3)",
}
DN_NAME = re.compile(r"(^|, )(" + "|".join(DN_RENAMES) + r")=")


def suricata_dn(v):
    return DN_NAME.sub(lambda m: m.group(1) + DN_RENAMES[m.group(2)] + "=", v)


def suricata_line(ln):
    """A recorded line with its DNs as Suricata 7 writes them."""
    cap, j = ln.split("\t", 1)
    e = json.loads(j)
    for k in ("subject", "issuerdn"):
        if isinstance(e.get("tls", {}).get(k), str):
            e["tls"][k] = suricata_dn(e["tls"][k])
    return cap + "\t" + json.dumps(e, sort_keys=True, ensure_ascii=False)


KW = {"subject": "tls.cert_subject", "issuerdn": "tls.cert_issuer",
      "serial": "tls.cert_serial", "fingerprint": "tls.cert_fingerprint", "sni": "tls.sni",
      "ja3": "ja3.hash", "ja3s": "ja3s.hash", "san": "tls.subjectaltname"}


def rule_groups(src, mapped):
    """The rules of the four runs: the presence rules in two halves, the
    values but SANs, the SANs (mapped: the DNs as suricata_dn makes them)."""
    groups = [[], [], [], []]
    for i, r in enumerate(PRESENCE):
        groups[i * 2 // len(PRESENCE)].append(
            f'alert tls any any -> any any (msg:"present {i}"; {r} sid:{1000 + i};)')
    with open(os.path.join(golden_dir(src), "values.tsv")) as f:
        for sid, ln in enumerate(f, 2000):
            k, v = ln.rstrip("\n").split("\t", 1)
            v = json.loads(v)
            if k in ("subject", "issuerdn") and mapped:
                v = suricata_dn(v)
            if k in KW:
                body = f"{KW[k]}; {content(v)}"
            else:
                # the date EVE writes (UTC), in seconds: within one of it
                t = calendar.timegm(time.strptime(v, "%Y-%m-%dT%H:%M:%S"))
                body = f"tls_cert_{k}:{t - 1}<>{t + 1};"
            groups[3 if k == "san" else 2].append(
                f'alert tls any any -> any any (msg:"{k} {sid}"; {body} sid:{sid};)')
    return groups


def run_set(idsd, src, which, out, groups):
    base, names = captures(src, which)
    files = []
    os.makedirs(out, exist_ok=True)
    for g, rules in enumerate(groups):
        files.append(os.path.join(out, f"group{g}.rules"))
        with open(files[-1], "w") as f:
            f.write("".join(r + "\n" for r in rules))
    got = []
    for i, n in enumerate(names):
        for g, rf in enumerate(files):
            for ln in run_one(idsd, os.path.join(base, n), rf, len(groups[g]),
                              os.path.join(out, f"{i}.{g}")):
                got.append(n + "\t" + ln)
    return got


def content(v):
    """A content matching the string v whole, in hex."""
    b = v.encode("utf-8", "surrogateescape")
    return 'content:"|' + " ".join(f"{c:02x}" for c in b) + '|"; startswith; endswith;'


def tshark_sans(path):
    p = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "x509ce.dNSName",
                        "-e", "x509ce.iPAddress", "-Y", "x509ce.dNSName or x509ce.iPAddress"],
                       capture_output=True, text=True)
    vals = set()
    for ln in p.stdout.splitlines():
        for col in ln.split("\t"):
            vals.update(v for v in col.split(",") if v)
    return vals


def record_values(src, idsd, out):
    """values.tsv: the values of the records the presence rules give on
    every set, and the SANs tshark reads."""
    vals = {k: set() for k in ("subject", "issuerdn", "serial", "fingerprint", "sni",
                               "ja3", "ja3s", "san", "notbefore", "notafter")}
    with open(os.path.join(golden_dir(src), "values.tsv"), "w") as f:
        f.write("")
    for which in ("repo", "corpus"):
        base, names = captures(src, which)
        for n in names:
            vals["san"] |= tshark_sans(os.path.join(base, n))
        for ln in run_set(idsd, src, which, os.path.join(out, "values-" + which),
                          rule_groups(src, False)[:1]):
            t = json.loads(ln.split("\t", 1)[1]).get("tls", {})
            for k in ("subject", "issuerdn", "serial", "fingerprint", "sni", "notbefore",
                      "notafter"):
                if t.get(k):
                    vals[k].add(t[k])
            for k in ("ja3", "ja3s"):
                if t.get(k, {}).get("hash"):
                    vals[k].add(t[k]["hash"])
    with open(os.path.join(golden_dir(src), "values.tsv"), "w") as f:
        for k in sorted(vals):
            for v in sorted(vals[k]):
                f.write(k + "\t" + json.dumps(v, ensure_ascii=False) + "\n")


def main():
    mode, idsd, src, which, out = sys.argv[1:6]
    if which == "corpus" and not os.path.isdir(os.path.join(src, "..", "shared", "corpus")):
        print("skipped: ../shared/corpus is not there")
        return 77
    exp_path = os.path.join(golden_dir(src), which + ".eve")
    if mode == "record":
        if which == "repo":
            record_values(src, idsd, out)
        got = run_set(idsd, src, which, out, rule_groups(src, False))
        with open(exp_path, "w") as f:
            f.write("".join(ln + "\n" for ln in got))
        print(f"recorded {len(got)} records in {exp_path}")
        return 0
    got = run_set(idsd, src, which, out, rule_groups(src, True))
    with open(os.path.join(out, which + ".eve"), "w") as f:
        f.write("".join(ln + "\n" for ln in got))
    with open(exp_path) as f:
        exp = [suricata_line(ln.rstrip("\n")) for ln in f]
    bad = 0
    for i in range(max(len(got), len(exp))):
        g = got[i] if i < len(got) else "<none>"
        e = exp[i] if i < len(exp) else "<none>"
        if g != e:
            bad += 1
            if bad <= 20:
                print(f"FAIL: line {i + 1}:\n  expected {e}\n  got      {g}")
    if bad:
        print(f"FAIL: {bad} of {len(exp)} lines differ")
        return 1
    print(f"ok: {len(exp)} tls and alert records on {len(captures(src, which)[1])} captures "
          f"as recorded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
