#!/usr/bin/env python3
"""Every counter idsd writes in its stats records is described in idsd(8)'s
STATISTICS section: usage: test_man_counters.py IDSD MAN_PAGE CAPTURE OUT_DIR.

The section names counters whole (decoder.oversize), in groups under a
prefix ("\\fBtcp.\\fR sessions, overlap;"), after a first full name
(".BR host.entries ", " refused": a short name takes the place of as
many of the first's last parts), or with
braces (capture.dpdk.{imissed,rx_errors}); an upper-case word (PROTO,
WHAT_exception_policy) stands for any one within a name part."""
import os
import re
import shutil
import subprocess
import sys

from e2e_check import Checks, last_stats

check = Checks()
WORD = r"[a-z0-9_\\-]+"


def section(path):
    """STATISTICS's text, groff escapes undone except for group marks."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = text.split(".SH STATISTICS", 1)[1].split("\n.SH ", 1)[0]
    return text.replace("\\-", "-").replace("\\&", "")


def patterns(text):
    """Regular expressions of the names the section documents."""
    names = []
    # prefix groups: \fBprefix.\fR a, b (c), d;
    for prefix, items in re.findall(r"\\fB([a-z_]+\.)\\fR ([^;]*)", text):
        for item in items.split(","):
            item = re.sub(r"\(.*?\)", "", item).strip()
            if item:
                names.append(prefix + item)
    plain = re.sub(r"\\f[BRI]", "", text)
    # .BR first ", " second ...: a short one takes the first's prefix
    for line in plain.splitlines():
        if line.startswith(".BR ") or line.startswith(".B "):
            words = [w for w in re.findall(r"[A-Za-z0-9_.{},\-]+", line[3:]) if w != ","]
            first = None
            for w in words:
                w = w.strip(",")
                if "." in w and first is None:
                    first = w
                    names.append(w)
                elif first is not None and re.fullmatch(r"[a-z0-9_.]+", w) and \
                        w.split(".")[0] != first.split(".")[0]:
                    keep = first.split(".")[:-len(w.split("."))]
                    names.append(".".join(keep + [w]))
                else:
                    names.append(w)
    names += re.findall(r"[A-Za-z_]+(?:\.[A-Za-z0-9_{},\-]+)+", plain)
    names += re.findall(r"\\fB([a-z_]+)\\fR", text)
    out = []
    for n in set(names):
        m = re.fullmatch(r"(.*)\{([^}]*)\}(.*)", n)
        for part in (m.group(2).split(",") if m else [None]):
            full = m.group(1) + part + m.group(3) if m else n
            rx = "\\.".join(re.sub(r"[A-Z]+", WORD, re.escape(seg))
                            for seg in full.strip(".").split("."))
            out.append(re.compile(rx))
    return out


def counters(idsd, capture, out, extra):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    p = subprocess.run([idsd, "-r", capture, "-S", "/dev/null", "-l", out] + extra,
                       capture_output=True, text=True, timeout=300)
    check(p.returncode == 0, f"idsd {' '.join(extra)}: rc {p.returncode}: {p.stderr[-400:]}")
    last = last_stats(os.path.join(out, "eve.json"))
    names = []

    def walk(d, prefix):
        for k, v in d.items():
            if isinstance(v, dict):
                walk(v, prefix + k + ".")
            else:
                names.append(prefix + k)
    walk(last, "")
    check(len(names) > 100, f"idsd {' '.join(extra)}: {len(names)} counters")
    return names


def main():
    idsd, man, capture, out = sys.argv[1:5]
    rx = patterns(section(man))
    seen = set()
    for i, extra in enumerate(([], ["--runmode", "autofp"])):
        seen.update(counters(idsd, capture, os.path.join(out, str(i)), extra))
    missing = sorted(n for n in seen if not any(r.fullmatch(n) for r in rx))
    check(not missing, f"{len(missing)} counters not in idsd(8) STATISTICS: {missing}")
    return check.done("man_counters")


if __name__ == "__main__":
    sys.exit(main())
