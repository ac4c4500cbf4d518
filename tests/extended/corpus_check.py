#!/usr/bin/env python3
"""Extended checks over the shared corpus (../shared next to the checkout):

  corpus_check.py IDSD SRC_ROOT pcaps   every capture through idsd -r: those of
                                        a link type idsd reads (Ethernet, Linux
                                        cooked, BSD loopback, PPP, HDLC, raw IP) must
                                        exit 0 with a summary and no sanitizer
                                        report, the others (and pcapng files
                                        mixing link types) must be refused with
                                        exit 1 and a reason.
  corpus_check.py IDSD SRC_ROOT rules   idsd -T over each ET Open rule file: it
                                        must report its totals without crashing.
  corpus_check.py IDSD SRC_ROOT etopen  idsd -r over a few HTTP, TLS and DNS
                                        captures with the whole ET Open folder
                                        loaded: exit 0 with a summary and no
                                        sanitizer report (the app-layer parsers
                                        and per-buffer databases under real rules).

Prints figures and one line per problem; exits 0 or 1. Without ../shared it
says so and exits 77 (meson's "skipped"), which the test count reports as
not passed.
"""
import concurrent.futures
import csv
import os
import re
import subprocess
import sys

# LINKTYPE values (as the manifest gives them) that idsd decodes
SUPPORTED = {"0", "1", "9", "101", "104", "108", "113", "228", "229", "276"}
SANITIZER = re.compile(r"AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer")


def shared_root(src):
    return os.path.normpath(os.path.join(src, "..", "shared"))


def run(cmd, timeout=300):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def check_pcap(idsd, path, linktypes, out):
    rc, so, se = run([idsd, "-r", path, "-l", out, "-k", "all"])
    if SANITIZER.search(se):
        return f"{path}: sanitizer report: {se[-1500:]}"
    if path.endswith(".gz"):
        if rc != 1 or "gzip-compressed" not in se:
            return f"{path}: a compressed capture must be refused clearly: rc {rc}: {se[-300:]}"
        return None
    types = linktypes.split(",")
    if len(types) > 1:
        # libpcap reads one link type per file: a clear refusal
        if rc != 1 or "pcapng interfaces differ" not in se:
            return f"{path} (link types {linktypes}): rc {rc}: {se.strip()[-300:]}"
    elif linktypes in SUPPORTED:
        if rc != 0 or "processed:" not in so:
            return f"{path}: rc {rc}: {se.strip()[-400:]}"
    elif rc != 1 or "is not supported" not in se:
        return f"{path} (link type {linktypes}): rc {rc}: {se.strip()[-300:]}"
    return None


def pcaps(idsd, src, out_root):
    root = os.path.join(shared_root(src), "corpus", "pcaps")
    rows = []
    with open(os.path.join(root, "MANIFEST.tsv"), encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            rows.append((os.path.join(root, r["local_path"]), r["linktypes"]))
    problems, n_ok = [], sum(1 for _, lt in rows if lt in SUPPORTED)
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        futs = [ex.submit(check_pcap, idsd, p, lt, os.path.join(out_root, str(i)))
                for i, (p, lt) in enumerate(rows)]
        for fu in futs:
            r = fu.result()
            if r:
                problems.append(r)
    print(f"captures: {len(rows)} ({n_ok} of a link type idsd reads), "
          f"problems: {len(problems)}")
    return problems


def rules(idsd, src, _out):
    root = os.path.join(shared_root(src), "corpus", "rules", "et-open-suricata-5.0-2024-04-21")
    problems, loaded, failed = [], 0, 0
    for f in sorted(os.listdir(root)):
        if not f.endswith(".rules"):
            continue
        rc, so, se = run([idsd, "-T", "-S", os.path.join(root, f)])
        m = re.search(r"^rules: (\d+) loaded, (\d+) failed$", so, re.M)
        if SANITIZER.search(se) or rc not in (0, 1) or not m:
            problems.append(f"{f}: rc {rc}: {se.strip()[-400:]}")
            continue
        loaded += int(m.group(1))
        failed += int(m.group(2))
    print(f"ET Open: {loaded} rules loaded, {failed} failed")
    if failed:
        problems.append(f"ET Open: {failed} rules failed to load (every one must load)")
    return problems


# captures named for the protocols the app layer parses
APP_CAPTURE = re.compile(r"(?<!d)(http|tls|ssl|https|dns)", re.I)
ETOPEN_MIN_BYTES = 2000     # a capture with a few exchanges, not a lone packet
ETOPEN_CAPTURES = 8


def etopen_captures(src):
    """A few captures per protocol, of a link type idsd reads, smallest first."""
    root = os.path.join(shared_root(src), "corpus", "pcaps")
    by_proto = {}
    with open(os.path.join(root, "MANIFEST.tsv"), encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            m = APP_CAPTURE.search(r["local_path"])
            if not m or r["linktypes"] not in SUPPORTED or r["local_path"].endswith(".gz"):
                continue
            if int(r["bytes"] or 0) < ETOPEN_MIN_BYTES:
                continue
            proto = m.group(1).lower().replace("https", "tls").replace("ssl", "tls")
            by_proto.setdefault(proto, []).append(
                (int(r["bytes"] or 0), os.path.join(root, r["local_path"])))
    picked = []
    while len(picked) < ETOPEN_CAPTURES and any(by_proto.values()):
        for proto in sorted(by_proto):
            if by_proto[proto] and len(picked) < ETOPEN_CAPTURES:
                by_proto[proto].sort()
                picked.append(by_proto[proto].pop(0)[1])
    return picked


def etopen(idsd, src, out_root):
    rdir = os.path.join(shared_root(src), "corpus", "rules", "et-open-suricata-5.0-2024-04-21")
    args = []
    for f in sorted(os.listdir(rdir)):
        if f.endswith(".rules"):
            args += ["-S", os.path.join(rdir, f)]
    caps = etopen_captures(src)
    problems = []

    def one(i, path):
        out = os.path.join(out_root, str(i))
        os.makedirs(out, exist_ok=True)
        rc, so, se = run([idsd, "-r", path, "-l", out, "-k", "none"] + args, timeout=3000)
        if SANITIZER.search(se):
            return f"{path}: sanitizer report: {se[-1500:]}"
        if rc != 0 or "processed:" not in so:
            return f"{path}: rc {rc}: {se.strip()[-400:]}"
        m = re.search(r"^rules: (\d+) loaded", se, re.M)
        if not m or int(m.group(1)) == 0:
            return f"{path}: no rules loaded: {se.strip()[-300:]}"
        return None

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        for r in ex.map(lambda a: one(*a), enumerate(caps)):
            if r:
                problems.append(r)
    print(f"ET Open over {len(caps)} app-layer captures: problems: {len(problems)}")
    return problems


def main():
    idsd, src, what = sys.argv[1:4]
    out = sys.argv[4] if len(sys.argv) > 4 else "/tmp/ids-extended"
    if not os.path.isdir(os.path.join(shared_root(src), "corpus")):
        print(f"extended check skipped: {shared_root(src)}/corpus is not there")
        return 77
    os.makedirs(out, exist_ok=True)
    problems = {"pcaps": pcaps, "rules": rules, "etopen": etopen}[what](idsd, src, out)
    for p in problems:
        print("problem:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
